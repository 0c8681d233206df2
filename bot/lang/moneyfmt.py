"""Won amounts written the way the office writes them; every form reads back with ``parse_amount``.

- ``format_won(120000)``                → ``120,000원``
- ``format_thousand_won(118_575_000)``  → ``118,575천원`` (the report's budget tables)
- ``format_won_words(118_575_000)``     → ``1억 1,857만 5천원`` (chat replies)

Rounding: ``format_thousand_won`` rounds half up to the nearest 1,000원 (1,499원 → 1천원, 1,500원 → 2천원),
as budget tables do; it is exact, and reads back exactly, for multiples of 1,000. The other two are exact.
Negative amounts (an overspent line) get a leading ``-``; ``parse_amount`` refuses them by design.
"""

from __future__ import annotations

_SECTIONS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))


def format_won(won: int) -> str:
    return f"{won:,}원"


def format_thousand_won(won: int) -> str:
    sign = "-" if won < 0 else ""
    thousands = (abs(won) + 500) // 1000
    return f"{sign}{thousands:,}천원"


def format_won_words(won: int) -> str:
    if won < 0:
        return "-" + format_won_words(-won)
    parts: list[str] = []
    rest = won
    for size, name in _SECTIONS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{name}")
    if rest:
        parts.append(f"{rest // 1000}천" if rest % 1000 == 0 else f"{rest:,}")
    return " ".join(parts) + "원" if parts else "0원"
