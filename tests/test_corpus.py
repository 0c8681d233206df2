"""The understanding step on the corpus (tests/corpus, read at 2018-07-20 10:00 KST): the top reading's kind
and listed slots right on at least 97% of the messages, and no question in the must-not-create set ever
read as a creation."""

from __future__ import annotations

from collections import defaultdict

from corpus_check import creates, load, problems, read

REQUIRED = 0.97


def test_messages_are_understood() -> None:
    cases = load("messages.jsonl")
    assert len(cases) >= 600
    misses = [(case, wrong) for case in cases if (wrong := problems(case, read(case)))]
    by_writer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        by_writer[case.writer][1] += 1
    for case, _wrong in misses:
        by_writer[case.writer][0] += 1
    for case, wrong in misses:
        print(f"[{case.writer}] {case.text}  →  {'; '.join(wrong)}")
    for writer, (missed, total) in sorted(by_writer.items()):
        print(f"{writer}: {total - missed}/{total}")
    rate = 1 - len(misses) / len(cases)
    assert rate >= REQUIRED, f"{rate:.1%} understood ({len(misses)} misses, printed above)"


def test_questions_never_create() -> None:
    cases = load("no_create.jsonl")
    assert len(cases) >= 100
    created = []
    for case in cases:
        understood = read(case)
        if creates(understood) or any(r.creates for r in understood.readings[:1]):
            created.append(f"{case.text} → {understood.best.kind}")
    assert created == []


def test_a_second_request_is_kept() -> None:
    cases = [case for case in load("messages.jsonl") if case.also]
    assert cases
    missed = [case.text for case in cases if any(p.startswith("also") for p in problems(case, read(case)))]
    assert len(missed) <= len(cases) * (1 - REQUIRED), missed
