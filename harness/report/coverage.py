"""How much of the OCA catalogue this harness implements, per certification profile.

Shown beside the profile verdicts so that "verified" is read honestly: a profile is verified on
the cases this harness implements, and this module says how many of the OCA's cases that is
(e.g. "Core: 10 of 104 mandatory OCA cases implemented"). The catalogue grades 2.0.1 cases M
(mandatory) or C (conditional) per SUT role; the 1.6 catalogue does not grade them, so 1.6
coverage is a plain count.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import Any

from harness.catalogue import CatalogueEntry, Requirement, UnknownTestCase, all_entries, lookup
from harness.config import Profile

#: Display names of the certification profile slugs (OCA Part 5 spelling; 1.6 feature profiles).
PROFILE_TITLES: dict[str, str] = {
    Profile.CORE: "Core",
    Profile.ADVANCED_SECURITY: "Advanced Security",
    Profile.LOCAL_AUTH_LIST: "Local Authorization List Management",
    Profile.SMART_CHARGING: "Smart Charging",
    Profile.ADVANCED_DEVICE_MANAGEMENT: "Advanced Device Management",
    Profile.RESERVATION: "Reservation",
    Profile.ADVANCED_USER_INTERFACE: "Advanced User Interface",
    Profile.ISO15118: "ISO 15118 Support",
    Profile.FIRMWARE_MANAGEMENT: "Firmware Management",
    Profile.REMOTE_TRIGGER: "Remote Trigger",
    Profile.OFFLINE_TRANSACTIONS: "Offline Transactions",
    Profile.ROBUSTNESS: "Robustness",
}
_ORDER = {slug: n for n, slug in enumerate(PROFILE_TITLES)}
#: The profiles the OCA certifies (2.0.1 Part 5; the 1.6 feature profiles and security
#: extension). Others (offline-transactions, robustness) are this harness's own groupings.
CERTIFICATION_PROFILES = frozenset(
    {
        Profile.CORE,
        Profile.ADVANCED_SECURITY,
        Profile.LOCAL_AUTH_LIST,
        Profile.SMART_CHARGING,
        Profile.ADVANCED_DEVICE_MANAGEMENT,
        Profile.RESERVATION,
        Profile.ADVANCED_USER_INTERFACE,
        Profile.ISO15118,
        Profile.FIRMWARE_MANAGEMENT,
        Profile.REMOTE_TRIGGER,
    }
)


def profile_title(slug: str) -> str:
    """The display name of a profile slug (``smart-charging`` → "Smart Charging")."""
    return PROFILE_TITLES.get(slug) or slug.replace("-", " ").title()


def profile_order(slug: str) -> tuple[int, str]:
    """Sort key: the OCA profiles in Part 5 order, unknown slugs after them by name."""
    return (_ORDER.get(slug, len(_ORDER)), slug)


def requirement_of(case_id: str) -> str | None:
    """The catalogue grade of a case for its role: "M", "C", "doc", "yes" or None (1.6, unknown)."""
    try:
        grade = lookup(case_id).requirement
    except UnknownTestCase:
        return None
    return grade.value if grade is not None else None


@functools.cache
def _entries(role: str, version: str) -> tuple[CatalogueEntry, ...]:
    """The catalogue's cases for a role and version (the catalogue is fixed data: computed once;
    the report is rebuilt after every case)."""
    return tuple(e for e in all_entries() if str(e.role) == role and version in e.versions)


def coverage(
    role: str,
    version: str,
    implemented: Collection[str],
    select: Callable[[CatalogueEntry], bool] | None = None,
) -> list[dict[str, Any]]:
    """Per profile of ``version`` for a ``role`` SUT: catalogue cases vs implemented ones
    (``select``: only the catalogue cases it keeps, e.g. one block's).

    Each row: ``profile``, ``title``, ``certification`` (an OCA certification profile, not one
    of the harness's own groupings), ``graded`` (the catalogue says M or C for its cases),
    ``mandatory`` / ``conditional`` / ``total`` as ``{"catalogue": n, "implemented": n}`` and
    ``missing_mandatory``: ``[{"id", "title"}]`` of the mandatory cases not implemented (for an
    ungraded profile such as 1.6's: every case not implemented).
    """
    rows: dict[str, dict[str, Any]] = {}
    missing_any: dict[str, list[dict[str, str]]] = {}
    for entry in _entries(role, version):
        if select is not None and not select(entry):
            continue
        for slug in entry.profiles:
            row = rows.setdefault(slug, _empty_row(slug))
            done = entry.id in implemented
            _count(row["total"], done)
            if not done:
                missing_any.setdefault(slug, []).append({"id": entry.id, "title": entry.title})
            if entry.requirement is Requirement.MANDATORY:
                _count(row["mandatory"], done)
                if not done:
                    row["missing_mandatory"].append({"id": entry.id, "title": entry.title})
            elif entry.requirement is Requirement.CONDITIONAL:
                _count(row["conditional"], done)
    for slug, row in rows.items():
        row["graded"] = bool(row["mandatory"]["catalogue"] or row["conditional"]["catalogue"])
        if not row["graded"]:
            row["missing_mandatory"] = missing_any.get(slug, [])
    return [rows[slug] for slug in sorted(rows, key=profile_order)]


def _empty_row(slug: str) -> dict[str, Any]:
    return {
        "profile": slug,
        "title": profile_title(slug),
        "certification": slug in CERTIFICATION_PROFILES,
        "graded": False,
        "mandatory": {"catalogue": 0, "implemented": 0},
        "conditional": {"catalogue": 0, "implemented": 0},
        "total": {"catalogue": 0, "implemented": 0},
        "missing_mandatory": [],
    }


def _count(cell: dict[str, int], done: bool) -> None:
    cell["catalogue"] += 1
    cell["implemented"] += int(done)


def coverage_sentence(row: dict[str, Any], version: str) -> str:
    """E.g. "Core: 10 of 104 mandatory OCA cases implemented in this harness version"."""
    source = "OCA" if row["certification"] else "catalogued"
    if row["graded"]:
        m = row["mandatory"]
        return (
            f"{row['title']}: {m['implemented']} of {m['catalogue']} mandatory {source} cases "
            "implemented in this harness version"
        )
    t = row["total"]
    return (
        f"{row['title']}: {t['implemented']} of {t['catalogue']} {source} OCPP {version} cases "
        "implemented in this harness version"
    )
