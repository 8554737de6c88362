"""``ocpp-harness catalogue``: how much of the OCA catalogue this harness implements.

Per SUT role and certification profile of one OCPP version: how many catalogue ids there are
(mandatory, conditional, all), how many are implemented (:mod:`harness.catalogue.implemented`:
an ``@oca`` case exists for the id and version), the same per functional block, and which ids
are missing; then the named scopes of the version (:mod:`harness.catalogue.scopes`), e.g. the
Core blocks issue 9 covers. The counts are :func:`harness.report.coverage.coverage`'s, the ones
the HTML report shows beside the profile verdicts.

:func:`catalogue_report` builds one JSON object (keys documented in the README, section
"What the harness implements"); :func:`render_text` prints it as tables and missing lists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from harness.catalogue.implemented import (
    CasesUnreadable,
    declaration_problems,
    implemented_ids,
)
from harness.catalogue.loader import CatalogueEntry, all_entries, profile_slug
from harness.catalogue.scopes import Scope, all_scopes
from harness.config import OcppVersion, Role
from harness.report.coverage import coverage, profile_order

SCHEMA = "ocpp-harness/catalogue/1"
ROLE_NAMES: dict[str, Role] = {
    "cs": Role.CHARGING_STATION,
    "station": Role.CHARGING_STATION,
    "charging-station": Role.CHARGING_STATION,
    "csms": Role.CSMS,
}
_SUFFIX = {Role.CHARGING_STATION: "CS", Role.CSMS: "CSMS"}
_ROLE_TITLES = {Role.CHARGING_STATION: "Charging station under test", Role.CSMS: "CSMS under test"}
_COUNTS = ("mandatory", "conditional", "total")


class CatalogueUsageError(ValueError):
    """A filter of the command that names nothing in the catalogue (exit status 2)."""


def block_order(block: str) -> tuple[bool, str]:
    """OCA blocks A, B, ... first, then ``1.6`` and ``robustness``."""
    return (len(block) > 1, block)


def _entries(
    role: Role, version: str, keep: Callable[[CatalogueEntry], bool]
) -> list[CatalogueEntry]:
    return [e for e in all_entries() if e.role is role and version in e.versions and keep(e)]


def _counts(row: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {key: dict(row[key]) for key in _COUNTS}


def _profile_row(
    row: dict[str, Any],
    entries: list[CatalogueEntry],
    implemented: frozenset[str],
    by_block: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    mine = [e for e in entries if row["profile"] in e.profiles]
    blocks = sorted({e.block for e in mine}, key=block_order)
    return {
        "profile": row["profile"],
        "title": row["title"],
        "certification": row["certification"],
        "graded": row["graded"],
        **_counts(row),
        "blocks": [{"block": b, **_counts(by_block[b][row["profile"]])} for b in blocks],
        "implemented": [e.id for e in mine if e.id in implemented],
        "missing": [_missing(e) for e in mine if e.id not in implemented],
    }


def _in(block: str, keep: Callable[[CatalogueEntry], bool]) -> Callable[[CatalogueEntry], bool]:
    """The entries ``keep`` keeps in one block."""
    return lambda entry: entry.block == block and keep(entry)


def _role(
    role: Role, version: str, profile: str | None, keep: Callable[[CatalogueEntry], bool]
) -> dict[str, Any]:
    implemented = implemented_ids(role, version)
    entries = _entries(role, version, keep)
    by_block = {
        block: {
            row["profile"]: row for row in coverage(role, version, implemented, _in(block, keep))
        }
        for block in {e.block for e in entries}
    }
    rows = [
        r for r in coverage(role, version, implemented, keep) if profile in (None, r["profile"])
    ]
    return {
        "role": str(role),
        "suffix": _SUFFIX[role],
        "profiles": [_profile_row(r, entries, implemented, by_block) for r in rows],
        "unprofiled": None if profile else _unprofiled(entries, implemented),
    }


def _unprofiled(entries: list[CatalogueEntry], implemented: frozenset[str]) -> dict[str, Any]:
    """The ids no certification profile lists (most of those new in 2.1), which the profile
    rows cannot show."""
    mine = [e for e in entries if not e.profiles]
    return {
        "total": {
            "catalogue": len(mine),
            "implemented": sum(e.id in implemented for e in mine),
        },
        "implemented": [e.id for e in mine if e.id in implemented],
        "missing": [_missing(e) for e in mine if e.id not in implemented],
    }


def _missing(entry: CatalogueEntry) -> dict[str, Any]:
    grade = entry.requirement.value if entry.requirement is not None else None
    return {"id": entry.id, "title": entry.title, "block": entry.block, "requirement": grade}


def _scope(scope: Scope, version: str, roles: Sequence[Role]) -> dict[str, Any]:
    per_role: list[dict[str, Any]] = []
    for role in roles:
        rows = coverage(role, version, implemented_ids(role, version), scope.covers)
        row = next((r for r in rows if r["profile"] == scope.profile), None)
        if row is None:
            continue
        m = row["mandatory"]
        per_role.append(
            {
                "role": str(role),
                **_counts(row),
                "mandatory_share": round(m["implemented"] / m["catalogue"], 4)
                if m["catalogue"]
                else None,
                "missing_mandatory": row["missing_mandatory"],
            }
        )
    return {
        "name": scope.name,
        "title": scope.title,
        "profile": scope.profile,
        "blocks": list(scope.blocks),
        "excluded": list(scope.excluded),
        "roles": per_role,
    }


def catalogue_report(
    version: str = OcppVersion.V201,
    role: str | None = None,
    profile: str | None = None,
    blocks: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The catalogue against the implemented cases for ``version``, narrowed by the filters.

    ``role``: ``cs`` / ``station`` / ``charging-station`` or ``csms`` (both when None);
    ``profile``: a slug or catalogue name ("Core", ``smart-charging``); ``blocks``: OCA block
    letters. CatalogueUsageError when a filter names nothing the version's catalogue has.
    """
    version = _version(version)
    roles = _roles(role)
    slug = _profile(profile, version)
    wanted = _blocks(blocks, version)

    def keep(entry: CatalogueEntry) -> bool:
        return wanted is None or entry.block in wanted

    scopes = [s for s in all_scopes() if version in s.versions and slug in (None, s.profile)]
    return {
        "schema": SCHEMA,
        "version": version,
        "filters": {
            "role": str(roles[0]) if role is not None else None,
            "profile": slug,
            "blocks": sorted(wanted, key=block_order) if wanted is not None else None,
        },
        "roles": [_role(r, version, slug, keep) for r in roles],
        "scopes": [_scope(s, version, roles) for s in scopes],
        "problems": declaration_problems(),
    }


def _version(version: str) -> str:
    try:
        return str(OcppVersion(str(version)))
    except ValueError:
        known = ", ".join(v.value for v in OcppVersion)
        raise CatalogueUsageError(f"unknown OCPP version {version!r} (one of {known})") from None


def _roles(role: str | None) -> list[Role]:
    if role is None:
        return [Role.CHARGING_STATION, Role.CSMS]
    found = ROLE_NAMES.get(role.strip().lower())
    if found is None:
        raise CatalogueUsageError(f"unknown role {role!r} (one of {', '.join(ROLE_NAMES)})")
    return [found]


def _profile(profile: str | None, version: str) -> str | None:
    if profile is None:
        return None
    try:
        slug = profile_slug(profile)
    except ValueError as exc:
        raise CatalogueUsageError(str(exc)) from None
    known = {p for e in all_entries() if version in e.versions for p in e.profiles}
    if slug not in known:
        names = ", ".join(sorted(known, key=profile_order))
        raise CatalogueUsageError(
            f"no OCPP {version} case in profile {profile!r} (profiles: {names})"
        )
    return slug


def _blocks(blocks: Iterable[str] | None, version: str) -> frozenset[str] | None:
    if blocks is None:
        return None
    names = [b.strip() for cell in blocks for b in cell.split(",") if b.strip()]
    wanted = frozenset(b.upper() if len(b) == 1 else b.lower() for b in names)
    known = {e.block for e in all_entries() if version in e.versions}
    unknown = sorted(wanted - known)
    if unknown or not wanted:
        have = " ".join(sorted(known, key=block_order))
        raise CatalogueUsageError(f"no OCPP {version} block {unknown or names} (blocks: {have})")
    return wanted


def _cell(count: dict[str, int]) -> str:
    return (
        f"{count['implemented']:>3} / {count['catalogue']:<3}"
        if count["catalogue"]
        else "    -    "
    )


def _header(first: str) -> str:
    first = first if len(first) < 37 else first[:32] + " ..."  # the columns stay apart
    return f"  {first:<38}{'mandatory':>9}   {'conditional':>11} {'all':>7}"


def render_text(report: dict[str, Any]) -> str:
    """The report as tables (per role: profiles, then blocks when a profile or blocks were
    asked for), the missing ids with their grade and title, and the scopes."""
    lines = [
        f"OCA catalogue, OCPP {report['version']}: cases implemented (an @oca case under "
        "testcases/) of the catalogue's, as implemented / catalogue"
    ]
    detail = report["filters"]["profile"] is not None or report["filters"]["blocks"] is not None
    for role in report["roles"]:
        lines += ["", f"{_ROLE_TITLES[Role(role['role'])]} (ids ending _{role['suffix']})"]
        lines.append(_header("profile"))
        for row in role["profiles"]:
            cells = "   ".join(_cell(row[key]) for key in _COUNTS)
            lines.append(f"  {row['title']:<38}{cells}")
        for row in role["profiles"] if detail else []:
            lines += ["", _header(f"{row['title']} by block")]
            for block in row["blocks"]:
                cells = "   ".join(_cell(block[key]) for key in _COUNTS)
                lines.append(f"    {block['block']:<36}{cells}")
        groups = [(row["title"], row) for row in role["profiles"]]
        if role["unprofiled"] is not None:
            count = _cell(role["unprofiled"]["total"]).strip()
            lines.append(f"  {'in no profile':<38}{'':>9}   {'':>11} {count:>9}")
            groups.append(("in no profile", role["unprofiled"]))
        for title, row in groups:
            if row["missing"]:
                lines += ["", f"  missing, {title} ({len(row['missing'])}):"]
                lines += [
                    f"    {m['requirement'] or '':<4}{m['id']:<18}{m['title']}"
                    for m in row["missing"]
                ]
    for scope in report["scopes"]:
        lines += ["", f"Scope {scope['name']}: {scope['title']}"]
        for part in scope["roles"]:
            m, c = part["mandatory"], part["conditional"]
            share = (
                f" ({part['mandatory_share']:.0%})" if part["mandatory_share"] is not None else ""
            )
            lines.append(
                f"  {part['role']}: {m['implemented']} of {m['catalogue']} mandatory ids "
                f"implemented{share}, {c['implemented']} of {c['catalogue']} conditional"
            )
    if report["problems"]:
        lines += ["", "The code is out of step with the catalogue (tests/test_catalogue.py fails):"]
        lines += [f"  {problem}" for problem in report["problems"]]
    return "\n".join(line.rstrip() for line in lines)


def main(
    version: str, role: str | None, profile: str | None, blocks: list[str] | None, fmt: str
) -> int:
    """The ``catalogue`` subcommand: print the report; 0, or 2 for a filter that names nothing."""
    import sys

    try:
        report = catalogue_report(version, role, profile, blocks)
    except (CatalogueUsageError, CasesUnreadable) as exc:
        print(f"ocpp-harness catalogue: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if fmt == "json" else render_text(report))
    return 0
