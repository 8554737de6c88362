"""Read the OCA test case catalogue (the TSV files beside this module) into CatalogueEntry objects.

The files list OCA test case ids and short titles per OCPP version:

- ``ocpp201.tsv`` (id, title, cs, csms, profiles, condition): 2.0.1 cases, which 2.1 runs as well;
  the cs/csms cells say whether the case is M(andatory), C(onditional) or doc(umented) for that SUT
  role, a dash when the role has no such case.
- ``ocpp21-new.tsv`` (id, title, cs, csms): cases new in 2.1, ``yes`` or a dash per role.
- ``ocpp16-cs.tsv`` (section, id, title, feature_profile) and ``ocpp16-csms.tsv`` (id, title):
  1.6 cases, ids already carrying their ``_CS`` / ``_CSMS`` suffix.
- ``robustness.tsv`` (id, title, cs, csms, versions): our own cases beyond the OCA catalogue (the
  OCPP-J framework under malformed input, ``RB_nn``), profile ``robustness``; ``versions`` is a
  comma-separated list and the cs/csms cells read like ``ocpp21-new.tsv``'s.

The files are parsed once, on first use.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from harness.config import OcppVersion, Profile, Role

_DATA = Path(__file__).parent
_SUFFIX: Mapping[Role, str] = {Role.CHARGING_STATION: "CS", Role.CSMS: "CSMS"}
_NOT_APPLICABLE = frozenset({"\u2013", "\u2014", "-", ""})  # en dash, em dash, hyphen, empty


class Requirement(StrEnum):
    """How the catalogue lists a case for a SUT role."""

    MANDATORY = "M"
    CONDITIONAL = "C"
    DEFINED = "doc"  # defined and documented, not (yet) part of certification
    OPTIONAL = "yes"  # new in 2.1: the case exists; certification status not assigned


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One OCA test case for one SUT role, e.g. ``TC_B_01_CS`` (a charging station under test)."""

    id: str
    title: str
    role: Role
    versions: tuple[OcppVersion, ...]
    profiles: tuple[str, ...]  # certification profile slugs; empty when none is assigned
    requirement: Requirement | None  # None for 1.6, whose catalogue does not grade cases
    condition: str  # the catalogue's applicability condition (feature / question ids), or ""

    @property
    def base(self) -> str:
        """The id without its role suffix (``TC_B_01_CS`` -> ``TC_B_01``)."""
        return self.id.removesuffix(f"_{_SUFFIX[self.role]}")

    @property
    def block(self) -> str:
        """The OCA functional block (``TC_B_01_CS`` -> ``B``); ``1.6`` for the 1.6 ids, whose
        catalogue has no blocks, and ``robustness`` for our own ``RB_*`` cases."""
        parts = self.id.split("_")
        if parts[0] == "RB":
            return "robustness"
        return parts[1] if len(parts) > 2 and parts[1].isalpha() else "1.6"


class UnknownTestCase(KeyError):
    """An id that is not in the catalogue (a KeyError that prints its message plainly)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# Certification profile names as the catalogue files spell them, normalised by _norm().
_SLUGS: Mapping[str, str] = {
    **{_p.value.replace("-", ""): _p.value for _p in Profile},
    "advsec": Profile.ADVANCED_SECURITY,
    "securitywhitepaper": Profile.ADVANCED_SECURITY,  # 1.6 security extension
    "localauthorizationlistmanagement": Profile.LOCAL_AUTH_LIST,
    "localauthlistmanagement": Profile.LOCAL_AUTH_LIST,
    "advdevmgmt": Profile.ADVANCED_DEVICE_MANAGEMENT,
    "advui": Profile.ADVANCED_USER_INTERFACE,
    "iso15118support": Profile.ISO15118,
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _strip_notes(text: str) -> str:
    """``text`` without parenthesised remarks: "Core (DataTransfer)" → "Core"."""
    return re.sub(r"\([^)]*\)", "", text).strip()


def profile_slug(name: str) -> str:
    """The certification profile slug for a catalogue or datasheet name.

    "Smart Charging", "SmartCharging" and "smart-charging" all give ``smart-charging``; a name we do
    not know becomes lower-kebab case ("Battery Swap" → ``battery-swap``). ValueError when ``name``
    holds no name at all (only a parenthesised remark, or nothing).
    """
    text = _strip_notes(name)
    if not text:
        raise ValueError(f"no certification profile name in {name!r}")
    known = _SLUGS.get(_norm(text))
    if known is not None:
        return str(known)
    kebab = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)
    return re.sub(r"[^a-z0-9]+", "-", kebab.lower()).strip("-")


def _profiles(cell: str) -> tuple[str, ...]:
    """Slugs for a profiles cell such as "SmartCharging, ISO15118"; remarks-only cells give ()."""
    names = (part for part in re.split(r"[,;/+&]", cell) if _strip_notes(part))
    return tuple(dict.fromkeys(profile_slug(name) for name in names))


def _rows(filename: str) -> Iterator[dict[str, str]]:
    """The rows of a TSV file as dicts keyed by its header (short rows padded with "")."""
    lines = (_DATA / filename).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        if line.strip():
            cells = [cell.strip() for cell in line.split("\t")]
            yield dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))


def _titles(title: str) -> dict[Role, str]:
    """Per-role titles: "CS title (CSMS: CSMS title)" splits in two."""
    cs_title, sep, rest = title.partition(" (CSMS: ")
    csms_title = rest.removesuffix(")") if sep else title
    return {Role.CHARGING_STATION: cs_title, Role.CSMS: csms_title}


def _graded(row: dict[str, str], versions: tuple[OcppVersion, ...]) -> Iterator[CatalogueEntry]:
    """One entry per role whose cs/csms cell grades the 2.x case.

    A cell that is not a grade holds the role's condition (a column slip in the source table), and
    "C/M" (conditional for some SUTs) counts as conditional.
    """
    titles = _titles(row["title"])
    for role, column in ((Role.CHARGING_STATION, "cs"), (Role.CSMS, "csms")):
        cell, condition = row[column], row.get("condition", "")
        if cell in _NOT_APPLICABLE:
            continue
        if cell in Requirement._value2member_map_:
            requirement = Requirement(cell)
        elif cell == "C/M":
            requirement = Requirement.CONDITIONAL
        else:
            requirement, condition = Requirement.CONDITIONAL, cell
        yield CatalogueEntry(
            id=f"{row['id']}_{_SUFFIX[role]}",
            title=titles[role],
            role=role,
            versions=versions,
            profiles=_profiles(row.get("profiles", "")),
            requirement=requirement,
            condition=condition,
        )


def _ocpp16() -> Iterator[CatalogueEntry]:
    cs_profiles: dict[str, tuple[str, ...]] = {}
    for row in _rows("ocpp16-cs.tsv"):
        profiles = _profiles(row["feature_profile"]) or (Profile.CORE.value,)
        cs_profiles[row["id"].removesuffix("_CS")] = profiles
        yield CatalogueEntry(
            row["id"], row["title"], Role.CHARGING_STATION, (OcppVersion.V16,), profiles, None, ""
        )
    for row in _rows("ocpp16-csms.tsv"):
        # The CSMS list has no profile column: take the profile of the matching station case,
        # or of its family (TC_043_4 → TC_043_*), else Core.
        base = row["id"].removesuffix("_CSMS")
        family = [p for b, p in cs_profiles.items() if b.split("_")[:2] == base.split("_")[:2]]
        profiles = cs_profiles.get(base) or (family[0] if family else (Profile.CORE.value,))
        yield CatalogueEntry(
            row["id"], row["title"], Role.CSMS, (OcppVersion.V16,), profiles, None, ""
        )


def _robustness() -> Iterator[CatalogueEntry]:
    for row in _rows("robustness.tsv"):
        versions = tuple(OcppVersion(v.strip()) for v in row["versions"].split(",") if v.strip())
        yield from _graded({**row, "profiles": Profile.ROBUSTNESS.value}, versions)


@functools.cache
def all_entries() -> tuple[CatalogueEntry, ...]:
    """Every catalogue entry: 2.0.1 (also run for 2.1), new in 2.1, 1.6, then our robustness
    cases; in file order."""
    entries: list[CatalogueEntry] = []
    for row in _rows("ocpp201.tsv"):
        entries.extend(_graded(row, (OcppVersion.V201, OcppVersion.V21)))
    for row in _rows("ocpp21-new.tsv"):
        entries.extend(_graded(row, (OcppVersion.V21,)))
    entries.extend(_ocpp16())
    entries.extend(_robustness())
    return tuple(entries)


@functools.cache
def _index() -> dict[str, CatalogueEntry]:
    return {entry.id: entry for entry in all_entries()}


@functools.cache
def _variants() -> dict[str, tuple[str, ...]]:
    """Case id without role suffix → the full ids the catalogue has for it."""
    variants: dict[str, list[str]] = {}
    for entry in all_entries():
        variants.setdefault(entry.base, []).append(entry.id)
    return {base: tuple(ids) for base, ids in variants.items()}


def lookup(case_id: str) -> CatalogueEntry:
    """The entry for a full case id such as ``TC_B_01_CS`` or ``TC_001_CSMS``.

    UnknownTestCase (a KeyError) when the id is not in the catalogue, naming the variants that do
    exist (``TC_B_58_CS``: TC_B_58 has a CSMS variant only) or the closest ids.
    """
    key = case_id.strip().upper()
    entry = _index().get(key)
    if entry is not None:
        return entry
    base, _, suffix = key.rpartition("_")
    if key in _variants():
        hint = f"add the SUT role as a suffix: {', '.join(_variants()[key])}"
    elif suffix in _SUFFIX.values() and base in _variants():
        hint = f"{base} has no {suffix} variant; the catalogue has {', '.join(_variants()[base])}"
    else:
        close = difflib.get_close_matches(key, list(_index()), n=3, cutoff=0.8)
        hint = f"closest: {', '.join(close)}" if close else "no similar id"
    raise UnknownTestCase(f"{case_id!r} is not in the OCA catalogue ({hint})")
