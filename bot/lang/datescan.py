"""A faster drop-in for korean-datetime's token scanner: the same tokens, fewer regex calls.

The library's :class:`~korean_datetime.core.scanner.Scanner` tries every one of its ~60 rules at every
position of the text (longest match wins, ties go to the earlier rule). Most rules cannot start at most
characters — a clock rule needs a digit, `다음 주` needs 다 — so this scanner indexes the rules by the
characters their patterns can start with, and at each position tries only the rules that could match
there, in the library's order. The per-character candidate lists are worked out from the compiled
patterns (:mod:`re._parser`); a pattern whose start cannot be worked out is tried everywhere, as before.

Nothing is cached per input: the index maps a single character to a tuple of rules. The equivalence with
the library's scanner is checked by ``tests/lang/test_lang_datescan.py``; if the library's scanner ever
stops looking the way this module expects, :func:`speed_up` leaves the parser as it is.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from korean_datetime import TemporalParser
from korean_datetime.core.scanner import Scanner, Split, Token, TokenRule, ends_word

# The standard library's regex parser (sre_parse before Python 3.11); not in the type stubs.
_sre: Any = importlib.import_module("re._constants")
_sre_parse: Any = importlib.import_module("re._parser")

_ANY = None  # "this pattern may start with any character"
_MAX_INDEXED = 4096  # characters remembered in the index (the rest are worked out each time)
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = tuple(
    getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sre, name)
)


Piece = str | tuple[str]  # a literal character, or (the regex of a one-character class,)


class _Unknown(Exception):
    """The start of a pattern could not be worked out: try the rule everywhere."""


class Start:
    """The characters a pattern can start with: literal characters, plus classes such as ``\\d``."""

    __slots__ = ("chars", "classes")

    def __init__(self, chars: frozenset[str], classes: re.Pattern[str] | None) -> None:
        self.chars = chars
        self.classes = classes

    def admits(self, char: str) -> bool:
        return char in self.chars or (self.classes is not None and self.classes.match(char) is not None)


def first_chars(pattern: re.Pattern[str]) -> Start | None:
    """Every character a match of ``pattern`` can start with (a superset), or None when that cannot be
    worked out or the pattern can match the empty string."""
    if not isinstance(pattern.pattern, str):
        return _ANY
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
        pieces, nullable = _first_of_sequence(list(tree))
    except (_Unknown, re.error, TypeError, ValueError, AttributeError):
        return _ANY
    if nullable or not pieces:
        return _ANY
    caseless = pattern.flags & re.IGNORECASE
    chars = {piece for piece in pieces if isinstance(piece, str) and not (caseless and piece.isalpha())}
    classes = [_class_text(piece) for piece in pieces if piece not in chars]
    compiled = re.compile("|".join(classes), pattern.flags & ~re.VERBOSE) if classes else None
    return Start(frozenset(chars), compiled)


def _class_text(piece: Piece) -> str:
    return piece[0] if isinstance(piece, tuple) else re.escape(piece)


def _first_of_sequence(items: Sequence[Any]) -> tuple[list[Piece], bool]:
    """What may start the sequence, and whether it can match the empty string."""
    pieces: list[Piece] = []
    for op, av in items:
        first, nullable = _first_of_item(op, av)
        pieces.extend(first)
        if not nullable:
            return pieces, False
    return pieces, True


def _first_of_item(op: Any, av: Any) -> tuple[list[Piece], bool]:
    if op is _sre.LITERAL:
        return [chr(av)], False
    if op is _sre.IN:
        return [(_char_class(av),)], False
    if op is _sre.CATEGORY:
        if av not in _CATEGORIES:
            raise _Unknown
        return [(_CATEGORIES[av],)], False
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown  # inline flags: keep it simple
        return _first_of_sequence(list(sub))
    if op is _sre.BRANCH:
        pieces: list[Piece] = []
        nullable = False
        for alternative in av[1]:
            first, empty = _first_of_sequence(list(alternative))
            pieces.extend(first)
            nullable = nullable or empty
        return pieces, nullable
    if op in _REPEATS:
        low, _high, sub = av
        first, empty = _first_of_sequence(list(sub))
        return first, empty or low == 0
    if op is getattr(_sre, "ATOMIC_GROUP", object()):
        return _first_of_sequence(list(av))
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return [], True  # zero-width: it only narrows what follows, so skipping it keeps a superset
    raise _Unknown  # ANY, NOT_LITERAL, back-references, conditionals, ...


def _char_class(items: Sequence[Any]) -> str:
    parts: list[str] = []
    negate = False
    for op, av in items:
        if op is _sre.NEGATE:
            negate = True
        elif op is _sre.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is _sre.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _sre.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            raise _Unknown
    return f"[{'^' if negate else ''}{''.join(parts)}]"


class IndexedScanner(Scanner):
    """The library's scanner with its rules indexed by the first character they can match."""

    def __init__(self, rules: Sequence[TokenRule]) -> None:
        super().__init__(rules)
        self._starts = tuple(first_chars(rule.pattern) for rule in self.rules)
        self._index: dict[str, tuple[TokenRule, ...]] = {}
        self._attached_index: dict[str, tuple[TokenRule, ...]] = {}

    def candidates(self, char: str, attached: bool = False) -> tuple[TokenRule, ...]:
        """The rules that may match starting at ``char``, in the library's order."""
        index = self._attached_index if attached else self._index
        found = index.get(char)
        if found is None:
            found = tuple(
                rule
                for rule, start in zip(self.rules, self._starts, strict=True)
                if (start is None or start.admits(char)) and (rule.attachable or not attached)
            )
            if len(index) < _MAX_INDEXED:
                index[char] = found
        return found

    def _best_match(self, text: str, pos: int, attached: bool = False) -> Sequence[Token] | None:
        best: Sequence[Token] | None = None
        best_end = pos
        for rule in self.candidates(text[pos], attached):
            match = rule.pattern.match(text, pos)
            if match is None or match.end() <= best_end:
                continue
            if rule.right_boundary and not self._right_ok(text, match.end()):
                continue
            value = rule.build(match)
            if value is None:
                continue
            best = value if isinstance(value, Split) else (self._token(rule, match, value),)
            best_end = match.end()
        return best

    def _right_ok(self, text: str, end: int) -> bool:
        # a rule that can match the empty string is among the candidates of every character
        return ends_word(text, end) or any(rule.pattern.match(text, end) for rule in self.candidates(text[end]))


def speed_up(parser: TemporalParser) -> TemporalParser:
    """Give ``parser`` an :class:`IndexedScanner` with the same rules (in place; returns it). Parsers
    that share a scanner (the library shares one per built-in rule set) share the indexed one too."""
    scanner = getattr(parser, "_scanner", None)
    if type(scanner) is Scanner and _looks_usual(scanner):
        indexed = _INDEXED.get(scanner)
        if indexed is None:
            indexed = _INDEXED[scanner] = IndexedScanner(scanner.rules)
        parser._scanner = indexed
    return parser


# the library's scanner → ours, for as long as the library keeps its scanner (it caches the built-in ones)
_INDEXED: WeakKeyDictionary[Scanner, IndexedScanner] = WeakKeyDictionary()


def _looks_usual(scanner: Scanner) -> bool:
    """The methods this module replaces are still there, with the names it expects."""
    return all(callable(getattr(scanner, name, None)) for name in ("scan", "_best_match", "_right_ok", "_token"))
