"""Evaluation: our normaliser (bot.lang.normalize) vs kiwipiepy (Kiwi, with typo correction) on the corpus.

Run from the project root:  .venv/bin/python bench/kiwi_eval.py [--corpus tests/corpus/messages.jsonl]

Measured side by side in one run (issue 12 item 2):
1. Typos of the office's words: every corpus message that holds a known word of three or more syllables
   gets one letter of one such word changed (a wrong vowel or consonant, seeded, reproducible); a
   normaliser recovers the word if it appears in its output. Kiwi gets the same vocabulary as user words
   (NNP) so that its typo model may correct towards them; its output is the tokens' forms.
2. Harm: on the messages as written, known words present in the input and missing from the output.
3. The messages with typos as staff typed them (writer "typo"): words of the vocabulary in the output
   that were not in the input.
4. Numbers in words: messages with a Korean numeral before a counter; ours turns them into digits, Kiwi
   only tags them (NR), which still leaves the arithmetic to us.
5. Time per message (median, p95; ours without its per-text cache), and Kiwi's load time (constructor, user
   words, first typo-corrected call, when its typo model loads).

kiwipiepy is not a dependency: the script says so and exits 0 when it is not installed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.lang import normalize as normalize_module  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "corpus" / "messages.jsonl"
FALLBACK = (
    "업무츄진비 잔엑 얼마야", "담주화욜3시 구청장협 일정", "어 오늘 구청장협의회 오찬으로 이십칠만 오천 원 결제했어",
    "현장방뭄 기록", "간담호 내일 오후 네 시 반", "집헹률 알려줘", "업추비 잔액이랑 내일 일정 알려줘",
)
NUMBER_WORD = re.compile(
    r"(?:[일이삼사오육칠팔구십백천만]+\s?(?:원|분|일|월|만)"
    r"|(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?(?:시|명|건|시간))(?![가-힣])"
)


def load_messages(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        print(f"(no corpus at {path}: using {len(FALLBACK)} built-in messages)")
        return [{"text": text, "writer": "typo"} for text in FALLBACK]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def typo_of(word: str, rng: random.Random) -> str:
    """``word`` with one letter of one syllable changed (initial, vowel or final)."""
    positions = [at for at, char in enumerate(word) if "가" <= char <= "힣"]
    at = rng.choice(positions)
    code = ord(word[at]) - 0xAC00
    initial, vowel, final = code // 588, code % 588 // 28, code % 28
    slot = rng.randrange(3)
    if slot == 0:
        initial = rng.choice([i for i in range(19) if i != initial])
    elif slot == 1:
        vowel = rng.choice([v for v in range(21) if v != vowel])
    else:
        final = rng.choice([f for f in range(28) if f != final])
    return word[:at] + chr(0xAC00 + (initial * 21 + vowel) * 28 + final) + word[at + 1 :]


def timed(run: Callable[[str], str], texts: Iterable[str]) -> tuple[list[str], list[float]]:
    outputs: list[str] = []
    times: list[float] = []
    for text in texts:
        start = time.perf_counter()
        outputs.append(run(text))
        times.append(time.perf_counter() - start)
    return outputs, times


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    return f"median {statistics.median(ordered) * 1e3:.3f} ms, p95 {ordered[int(0.95 * len(ordered))] * 1e3:.3f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    try:
        import kiwipiepy  # noqa: F401
    except ImportError:
        print("kiwipiepy is not installed (pip install kiwipiepy): nothing to compare; skipped.")
        return 0
    from kiwipiepy import Kiwi

    messages = load_messages(args.corpus)
    texts = [str(message["text"]) for message in messages]
    _every, nouns = normalize_module._vocabulary()
    known = sorted((word for word in nouns if len(word) >= 3), key=len, reverse=True)

    started = time.perf_counter()
    kiwi = Kiwi()
    constructed = time.perf_counter() - started
    for word in known:
        kiwi.add_user_word(word, "NNP")
    kiwi.tokenize("업무츄진비 잔엑", typos="basic")
    loaded = time.perf_counter() - started

    def ours(text: str) -> str:
        return normalize_module._normalize.__wrapped__(text).text

    def kiwi_forms(text: str) -> str:
        return " ".join(token.form for token in kiwi.tokenize(text, typos="basic"))

    rng = random.Random(args.seed)
    typo_cases: list[tuple[str, str]] = []  # (text with a typo, the word it should give back)
    for text in texts:
        present = [word for word in known if word in text]
        if present:
            word = rng.choice(present)
            typo_cases.append((text.replace(word, typo_of(word, rng), 1), word))
    for run in (ours, kiwi_forms):  # warm-up
        for text in texts[:50]:
            run(text)

    print(f"corpus: {len(texts)} messages ({args.corpus}); vocabulary: {len(known)} words of 3+ syllables")
    print(f"kiwi load: Kiwi() {constructed:.2f} s; with user words and the first typo-corrected call {loaded:.2f} s")
    rows = []
    for name, run in (("ours (normalize)", ours), ("kiwi tokenize+typos", kiwi_forms)):
        outputs, times = timed(run, texts)
        typo_outputs, typo_times = timed(run, (text for text, _word in typo_cases))
        recovered = sum(word in output for output, (_text, word) in zip(typo_outputs, typo_cases, strict=True))
        lost = sum(
            1 for text, output in zip(texts, outputs, strict=True)
            for word in known if word in text and word not in output.replace(" ", "") and word not in output
        )
        typed_gain = sum(
            1 for message, output in zip(messages, outputs, strict=True) if message.get("writer") == "typo"
            for word in known if word in output and word not in str(message["text"])
        )
        rows.append((name, recovered, lost, typed_gain, describe(times + typo_times)))
    print(f"\n{'normaliser':22} {'typos fixed':>14} {'words lost':>11} {'typo writer: words gained':>26}  time/message")
    for name, recovered, lost, typed_gain, timing in rows:
        print(f"{name:22} {recovered:>6}/{len(typo_cases):<7} {lost:>11} {typed_gain:>26}  {timing}")

    numeric = [text for text in texts if NUMBER_WORD.search(text)]
    converted = sum(bool(re.search(r"\d", ours(text))) and ours(text) != text for text in numeric)
    tagged = sum(any(token.tag == "NR" for token in kiwi.tokenize(text)) for text in numeric)
    print(f"\nnumbers in words: {len(numeric)} messages; ours turned {converted} into digits; "
          f"kiwi tagged a numeral (NR) in {tagged} (the value is still left to compute)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
