"""The work report asked for in words (tests/corpus/report.jsonl, read at 2018-07-20 10:00 KST like the rest of the
corpus): every phrasing is read as the report with its format and as-of date, the look-alikes (a reminder to hand in
a report, an event called 업무보고, the report's figures) keep their own kinds, and no line of the older corpus
files is taken for the report."""

from __future__ import annotations

from corpus_check import load, problems, read


def test_report_phrasings_are_understood() -> None:
    cases = load("report.jsonl")
    asked = [case for case in cases if case.kind == "report"]
    assert len(asked) >= 30 and {case.writer for case in asked} == {"junior", "senior", "voice", "typo", "mixed"}
    assert {case.slots.get("format") for case in asked} == {"pdf", "xlsx", "hwpx"}
    misses = [f"{case.text} → {'; '.join(wrong)}" for case in cases if (wrong := problems(case, read(case)))]
    assert misses == []


def test_no_other_corpus_line_reads_as_the_report() -> None:
    taken = [case.text for name in ("messages.jsonl", "no_create.jsonl") for case in load(name)
             if any(reading.kind == "report" for reading in read(case).readings[:2])]
    assert taken == []
