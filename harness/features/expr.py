"""Condition expressions of Part 5 ("C-44", "NOT AQ-2 and (C-30 - C-35 or ISO 15118 support)").

Grammar (keywords in any case)::

    expr    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" expr ")" | atom
    atom    := ITEM [("-" | "..") ITEM]     a range: C-30 - C-35 is C-30 or C-31 ... or C-35
             | ITEM OP NUMBER               a number: HFS-8 > 1 (OP one of > >= < <= =)
             | PROFILE                      a certification profile: "ISO 15118 support"

An ITEM is a PICS id (``C-09.1``, ``AQ-2``, ``HFS-8``); a PROFILE one of Part 5's certification
profile names. :func:`parse` gives a :class:`Expr` tree; :meth:`Expr.unmet` says, in words, why it
does not hold for a :class:`Facts` (None when it holds).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

#: Part 5 Table 1's certification profile names, as an expression may name them.
PROFILE_NAMES = (
    "Core",
    "Advanced Security",
    "Local Authorization List Management",
    "Smart Charging",
    "Advanced Device Management",
    "Advanced User Interface",
    "Reservation",
    "ISO 15118 support",
)
_ITEM = r"[A-Z]{1,3}-\d+(?:\.\d+)?"
_PROFILE = "|".join(re.escape(name).replace(r"\ ", r"\s*") for name in PROFILE_NAMES)
_TOKEN = re.compile(
    rf"\s*(?:(?P<profile>{_PROFILE})\b|(?P<item>{_ITEM})|(?P<word>and|or|not)\b"
    r"|(?P<op>>=|<=|>|<|=|\.\.|-|\(|\))|(?P<number>\d+))",
    re.IGNORECASE,
)
_COMPARE: Mapping[str, Callable[[int, int], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
}


class ConditionError(ValueError):
    """A condition expression that does not parse, or names an item the role does not have."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What a SUT profile says about the SUT, as conditions read it."""

    holds: Callable[[str], bool]  # whether a PICS item holds
    title: Callable[[str], str]  # the short title of an item
    numbers: Mapping[str, int] = field(default_factory=dict)  # numeric items (HFS-8)
    profiles: frozenset[str] = frozenset()  # claimed certification profiles, as named in Part 5


class Expr:
    """A parsed condition."""

    def unmet(self, facts: Facts) -> str | None:
        """Why the condition does not hold, in words (None: it holds)."""
        raise NotImplementedError

    def met(self, facts: Facts) -> bool:
        return self.unmet(facts) is None

    def items(self) -> Iterator[str]:
        """The PICS ids the condition names."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Item(Expr):
    id: str

    def unmet(self, facts: Facts) -> str | None:
        return None if facts.holds(self.id) else f"needs {self.id}: {facts.title(self.id)}"

    def items(self) -> Iterator[str]:
        yield self.id

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class Number(Expr):
    id: str
    op: str
    value: int

    def unmet(self, facts: Facts) -> str | None:
        have = facts.numbers.get(self.id)
        if have is not None and _COMPARE[self.op](have, self.value):
            return None
        known = "unknown" if have is None else str(have)
        return f"needs {self}: {facts.title(self.id)} is {known}"

    def items(self) -> Iterator[str]:
        yield self.id

    def __str__(self) -> str:
        return f"{self.id} {self.op} {self.value}"


@dataclass(frozen=True, slots=True)
class CertProfile(Expr):
    name: str

    def unmet(self, facts: Facts) -> str | None:
        if self.name in facts.profiles:
            return None
        return f"needs the certification profile {self.name} (claims.profiles)"

    def items(self) -> Iterator[str]:
        yield from ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Not(Expr):
    term: Expr

    def unmet(self, facts: Facts) -> str | None:
        if not self.term.met(facts):
            return None
        if isinstance(self.term, Item):
            return f"needs NOT {self.term.id}, declared: {facts.title(self.term.id)}"
        return f"needs NOT ({self.term}), which holds"

    def items(self) -> Iterator[str]:
        yield from self.term.items()

    def __str__(self) -> str:
        inner = str(self.term)
        return f"NOT {inner}" if isinstance(self.term, Item | CertProfile) else f"NOT ({inner})"


@dataclass(frozen=True, slots=True)
class All(Expr):
    terms: tuple[Expr, ...]

    def unmet(self, facts: Facts) -> str | None:
        reasons = [r for r in (t.unmet(facts) for t in self.terms) if r is not None]
        return "; ".join(reasons) or None

    def items(self) -> Iterator[str]:
        for term in self.terms:
            yield from term.items()

    def __str__(self) -> str:
        return " AND ".join(_grouped(t) for t in self.terms)


@dataclass(frozen=True, slots=True)
class Any_(Expr):
    terms: tuple[Expr, ...]

    def unmet(self, facts: Facts) -> str | None:
        reasons = [t.unmet(facts) for t in self.terms]
        if any(r is None for r in reasons):
            return None
        parts = [str(r).removeprefix("needs ") for r in reasons]
        return "needs one of " + ", or ".join(parts)

    def items(self) -> Iterator[str]:
        for term in self.terms:
            yield from term.items()

    def __str__(self) -> str:
        return " OR ".join(_grouped(t) for t in self.terms)


def _grouped(term: Expr) -> str:
    return f"({term})" if isinstance(term, All | Any_) else str(term)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos, text = 0, text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ConditionError(f"cannot read {text[pos:].strip()!r} in condition {text!r}")
        kind = m.lastgroup or ""
        value = m.group(kind)
        out.append((kind, value.lower() if kind == "word" else value.upper()))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, ordered: tuple[str, ...]) -> None:
        self.text, self.ordered = text, ordered
        self.toks = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str]:
        return self.toks[self.pos] if self.pos < len(self.toks) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.pos += 1
        return tok

    def fail(self, what: str) -> ConditionError:
        kind, value = self.peek()
        got = "the end" if kind == "end" else repr(value)
        return ConditionError(f"condition {self.text!r}: expected {what}, got {got}")

    def parse(self) -> Expr:
        expr = self.either()
        if self.peek()[0] != "end":
            raise self.fail("AND, OR or the end")
        return expr

    def either(self) -> Expr:
        terms = [self.both()]
        while self.peek() == ("word", "or"):
            self.take()
            terms.append(self.both())
        if len(terms) == 1:
            return terms[0]
        flat = (u for t in terms for u in (t.terms if isinstance(t, Any_) else (t,)))
        return Any_(tuple(flat))

    def both(self) -> Expr:
        terms = [self.unary()]
        while self.peek() == ("word", "and"):
            self.take()
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else All(tuple(terms))  # no flattening: "a AND (b)"

    def unary(self) -> Expr:
        kind, value = self.peek()
        if (kind, value) == ("word", "not"):
            self.take()
            return Not(self.unary())
        if (kind, value) == ("op", "("):
            self.take()
            inner = self.either()
            if self.take() != ("op", ")"):
                self.pos -= 1
                raise self.fail("')'")
            return inner
        if kind == "profile":
            self.take()
            return CertProfile(_profile_name(value))
        if kind == "item":
            self.take()
            return self.after_item(value)
        raise self.fail("a PICS item, a profile name, NOT or '('")

    def after_item(self, first: str) -> Expr:
        kind, value = self.peek()
        if kind == "op" and value in ("-", ".."):
            self.take()
            last = self.take()
            if last[0] != "item":
                self.pos -= 1
                raise self.fail(f"a PICS item to end the range {first} {value}")
            return self.span(first, last[1])
        if kind == "op" and value in _COMPARE:
            self.take()
            number = self.take()
            if number[0] != "number":
                self.pos -= 1
                raise self.fail("a number")
            return Number(first, value, int(number[1]))
        return Item(first)

    def span(self, first: str, last: str) -> Expr:
        try:
            i, j = self.ordered.index(first), self.ordered.index(last)
        except ValueError:
            raise ConditionError(
                f"condition {self.text!r}: range {first} - {last} needs items of the role"
            ) from None
        if j <= i:
            raise ConditionError(f"condition {self.text!r}: empty range {first} - {last}")
        return Any_(tuple(Item(x) for x in self.ordered[i : j + 1] if "." not in x))


def _profile_name(text: str) -> str:
    flat = re.sub(r"\s+", "", text).lower()
    return next(n for n in PROFILE_NAMES if n.replace(" ", "").lower() == flat)


def parse(text: str, ordered: tuple[str, ...] = ()) -> Expr:
    """The expression ``text``; ``ordered`` lists the role's item ids in Part 5's order (for
    ranges). ConditionError when it does not parse."""
    if not text.strip():
        raise ConditionError("empty condition")
    return _Parser(text, ordered).parse()
