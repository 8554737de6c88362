"""Named scopes of the catalogue: a certification profile narrowed to some blocks, minus some rows.

A scope says which part of a profile a piece of work covers, so the catalogue report can say how
much of *that* is implemented: ``core-issue9`` is Core in blocks B, C, E, F, G, J, N and P without
the transaction-status, offline and retry rows of E (E_28 to E_34, E_40 to E_45, E_50, E_51, E_53),
which have issues of their own, as have blocks A and M (security) and L (firmware).

``scopes.tsv`` beside this module holds them, one a row (name, versions, profile, blocks,
exclude, title): ``versions`` and ``blocks`` are comma-separated, ``exclude`` lists case ids
without their role suffix, a range written ``TC_E_28-34`` (both ends included).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from harness.catalogue.loader import CatalogueEntry, all_entries, profile_slug
from harness.config import OcppVersion

_DATA = Path(__file__).parent / "scopes.tsv"
_RANGE = re.compile(r"(?P<stem>.+_)(?P<first>\d+)-(?P<last>\d+)")


class ScopeError(ValueError):
    """A row of ``scopes.tsv`` that cannot be read, or an exclusion the catalogue does not have."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Part of a certification profile: its cases in ``blocks`` but for the ``excluded`` ids."""

    name: str
    title: str
    versions: tuple[OcppVersion, ...]
    profile: str
    blocks: tuple[str, ...]
    excluded: tuple[str, ...]  # case ids without their role suffix, e.g. "TC_E_28"

    def covers(self, entry: CatalogueEntry) -> bool:
        """Whether ``entry`` is in this scope (for whichever of the scope's versions it has)."""
        return (
            self.profile in entry.profiles
            and entry.block in self.blocks
            and entry.base not in self.excluded
            and any(v in entry.versions for v in self.versions)
        )


def expand(cell: str) -> tuple[str, ...]:
    """The ids of an ``exclude`` cell: ``"TC_E_28-30, TC_E_50"`` -> TC_E_28, TC_E_29, TC_E_30,
    TC_E_50 (numbers keep the width of the range's first end)."""
    ids: list[str] = []
    for item in (part.strip().upper() for part in cell.split(",")):
        if not item:
            continue
        match = _RANGE.fullmatch(item)
        if match is None:
            ids.append(item)
            continue
        first, last = int(match["first"]), int(match["last"])
        if last < first:
            raise ScopeError(f"range {item!r} runs backwards")
        width = len(match["first"])
        ids += [f"{match['stem']}{n:0{width}d}" for n in range(first, last + 1)]
    return tuple(ids)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def _scope(row: dict[str, str]) -> Scope:
    try:
        versions = tuple(OcppVersion(v) for v in _split(row["versions"]))
    except ValueError as exc:
        raise ScopeError(f"scope {row['name']!r}: {exc}") from None
    scope = Scope(
        name=row["name"],
        title=row["title"],
        versions=versions,
        profile=profile_slug(row["profile"]),
        blocks=tuple(b.upper() for b in _split(row["blocks"])),
        excluded=expand(row["exclude"]),
    )
    known = {entry.base for entry in all_entries()}
    unknown = [base for base in scope.excluded if base not in known]
    if unknown:
        raise ScopeError(
            f"scope {scope.name!r} excludes ids the catalogue does not have: {unknown}"
        )
    return scope


@functools.cache
def all_scopes() -> tuple[Scope, ...]:
    """Every scope of ``scopes.tsv``, in file order (read once)."""
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line.strip()]
    return tuple(_scope(row) for row in rows)
