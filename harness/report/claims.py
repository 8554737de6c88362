"""Claims against measured behaviour: the verdict per certification profile, as the OCA decides.

A profile's *applicable* cases are the cases this harness run collected for the SUT's role and
OCPP version whose ``@oca(profile=...)`` is that profile, NOT-APPLICABLE ones excluded. Then:

* **verified** — every applicable case passed; the row's ``verified_on`` says on how many cases
  ("verified on 10 of 104 mandatory OCA cases"), and so does every text that says verified;
* **failed** — at least one applicable case FAILed (the SUT broke a requirement);
* **incomplete** — none failed, but some were not run, were INCONCLUSIVE or ended in a harness
  ERROR (no verdict on the SUT);
* **not-testable** — the harness has no applicable case for the profile.

The run's outcome gates on the *claimed* profiles (all profiles that ran, when nothing is
claimed): ``verified`` (exit 0) when every one is verified, ``failed`` (exit 1) when any failed,
``incomplete`` (exit 3) otherwise — an INCONCLUSIVE-only run verifies nothing.

Everything here works on plain result dicts (``results.json`` records), so a re-rendered or
compared report decides exactly as the run did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from harness.report.coverage import (
    CERTIFICATION_PROFILES,
    coverage,
    coverage_sentence,
    profile_order,
    profile_title,
)

VERDICTS = ("pass", "fail", "inconclusive", "not-applicable", "error")


class ProfileStatus(StrEnum):
    """The verdict on one certification profile."""

    VERIFIED = "verified"
    FAILED = "failed"
    INCOMPLETE = "incomplete"
    NOT_TESTABLE = "not-testable"


class Outcome(StrEnum):
    """The run's answer to "does the SUT do what its datasheet says?"."""

    VERIFIED = "verified"
    FAILED = "failed"
    INCOMPLETE = "incomplete"

    @property
    def exit_code(self) -> int:
        """``ocpp-harness run``'s exit status for this outcome (2 is kept for usage errors)."""
        return {"verified": 0, "failed": 1, "incomplete": 3}[self.value]


#: Discrepancy kinds, most severe first; severity fail (red), warn (amber), info (blue).
DISCREPANCY_SEVERITY = {
    "claimed-failing": "fail",
    "claimed-not-testable": "warn",
    "claimed-incomplete": "warn",
    "version-not-tested": "warn",
    "security-profile-not-tested": "warn",
    "passing-not-claimed": "info",
    "version-not-claimed": "info",
    "security-profile-not-claimed": "info",
}


def _ids(cases: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(c["id"]) for c in cases]


def _profile_row(
    slug: str,
    claimed: bool,
    cases: Sequence[Mapping[str, Any]],
    not_run: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    counts = dict.fromkeys((*VERDICTS, "not-run"), 0)
    for case in cases:
        counts[case["verdict"]] += 1
    counts["not-run"] = len(not_run)
    applicable = [c for c in cases if c["verdict"] != "not-applicable"]
    failed = [c for c in applicable if c["verdict"] == "fail"]
    open_ = [c for c in applicable if c["verdict"] in ("inconclusive", "error")]
    if not applicable and not not_run:
        status = ProfileStatus.NOT_TESTABLE
    elif failed:
        status = ProfileStatus.FAILED
    elif open_ or not_run:
        status = ProfileStatus.INCOMPLETE
    else:
        status = ProfileStatus.VERIFIED
    return {
        "profile": slug,
        "title": profile_title(slug),
        "certification": slug in CERTIFICATION_PROFILES,
        "claimed": claimed,
        "status": status.value,
        "applicable": len(applicable) + len(not_run),
        "counts": counts,
        "failed_cases": _ids(failed),
        "open_cases": _ids(open_) + _ids(not_run),
        "octt_warnings": sum(1 for c in cases if c.get("octt") == "warning"),
        "coverage": None,
        "verified_on": None,
    }


def verified_on(row: Mapping[str, Any], passed: Mapping[str, Any] | None) -> dict[str, Any]:
    """On how many cases a verified profile rests: its passed cases against the catalogue.

    ``passed`` is the profile's coverage row computed over the passed cases (None when the
    catalogue has no case of the profile: the harness's own groupings). Returns ``cases``
    (passed), ``catalogue`` (the mandatory or, ungraded, all catalogue cases; None), ``graded``,
    ``text`` ("verified on 10 of 104 mandatory OCA cases") and ``short`` (for tables).
    """
    source = "OCA" if row["certification"] else "catalogued"
    if passed is None:
        n = row["counts"]["pass"]
        cases, of, graded = n, None, False
        text = f"verified on {n} harness case{'s' if n != 1 else ''} (none in the OCA catalogue)"
        short = f"Verified on {n} harness cases"
    elif passed["graded"]:
        m, c = passed["mandatory"], passed["conditional"]
        cases, of, graded = m["implemented"], m["catalogue"], True
        text = f"verified on {cases} of {of} mandatory {source} cases"
        if c["implemented"]:
            text += f" (and {c['implemented']} of {c['catalogue']} conditional)"
        short = f"Verified on {cases} of {of} mandatory"
    else:
        cases, of, graded = passed["total"]["implemented"], passed["total"]["catalogue"], False
        text = f"verified on {cases} of {of} {source} cases"
        short = f"Verified on {cases} of {of} cases"
    return {"cases": cases, "catalogue": of, "graded": graded, "text": text, "short": short}


def _profile_discrepancy(row: Mapping[str, Any], role: str, version: str) -> dict[str, str] | None:
    title, n = row["title"], row["applicable"]
    status = row["status"]
    if row["claimed"] and status == ProfileStatus.FAILED:
        failed = row["failed_cases"]
        kind = "claimed-failing"
        text = f"{title} is claimed, but {len(failed)} of {n} applicable cases failed: {', '.join(failed)}."
    elif row["claimed"] and status == ProfileStatus.NOT_TESTABLE:
        kind = "claimed-not-testable"
        text = (
            f"{title} is claimed, but this harness has no applicable case for a {role} on "
            f"OCPP {version}: the claim cannot be checked here."
        )
    elif row["claimed"] and status == ProfileStatus.INCOMPLETE:
        open_ = row["open_cases"]
        kind = "claimed-incomplete"
        text = (
            f"{title} is claimed, but {len(open_)} of {n} applicable cases were not run or gave "
            f"no verdict ({', '.join(open_)}): not verified."
        )
    elif not row["claimed"] and status == ProfileStatus.VERIFIED and row["certification"]:
        # only OCA certification profiles belong on a datasheet
        kind = "passing-not-claimed"
        text = (
            f"{title} is not claimed, yet all {n} applicable cases passed (works but not claimed)."
        )
    else:
        return None
    return _discrepancy(kind, row["profile"], text)


def _discrepancy(kind: str, subject: str, message: str) -> dict[str, str]:
    return {
        "kind": kind,
        "severity": DISCREPANCY_SEVERITY[kind],
        "subject": subject,
        "message": message,
    }


def _versions(
    claims: Mapping[str, Any], version: str
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    claimed = [str(v) for v in claims.get("versions", [])]
    rows = [{"version": v, "claimed": True, "tested": v == version} for v in claimed]
    if version not in claimed:
        rows.append({"version": version, "claimed": False, "tested": True})
    found = [
        _discrepancy(
            "version-not-tested",
            v,
            f"OCPP {v} is claimed but was not tested in this run (the SUT ran OCPP {version}).",
        )
        for v in claimed
        if v != version
    ]
    if claimed and version not in claimed:
        found.append(
            _discrepancy(
                "version-not-claimed",
                version,
                f"OCPP {version} was tested but is not among the claimed versions ({', '.join(claimed)}).",
            )
        )
    return rows, found


def _security_profiles(
    claims: Mapping[str, Any], tested: int | None
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    claimed = [int(sp) for sp in claims.get("security_profiles", [])]
    rows = [{"security_profile": sp, "claimed": True, "tested": sp == tested} for sp in claimed]
    found: list[dict[str, str]] = []
    if tested is None:
        return rows, found
    if tested not in claimed:
        rows.append({"security_profile": tested, "claimed": False, "tested": True})
    for sp in claimed:
        if sp != tested:
            text = f"Security profile {sp} is claimed but this run connected with security profile {tested}."
            found.append(_discrepancy("security-profile-not-tested", str(sp), text))
    if claimed and tested not in claimed:
        text = f"This run connected with security profile {tested}, which is not claimed."
        found.append(_discrepancy("security-profile-not-claimed", str(tested), text))
    return rows, found


def _outcome(profiles: Sequence[Mapping[str, Any]], any_claimed: bool) -> dict[str, Any]:
    gated = [p for p in profiles if p["claimed"]] if any_claimed else list(profiles)
    statuses = {p["status"] for p in gated}
    if ProfileStatus.FAILED in statuses:
        outcome = Outcome.FAILED
        failed = [p for p in gated if p["status"] == ProfileStatus.FAILED]
        ids = [case for p in failed for case in p["failed_cases"]]
        what = "claimed and failed" if any_claimed else "failed"
        summary = (
            f"{', '.join(p['title'] for p in failed)}: {what} — {len(ids)} failing "
            f"case{'s' if len(ids) != 1 else ''} ({', '.join(ids)})."
        )
    elif gated and statuses == {ProfileStatus.VERIFIED}:
        outcome = Outcome.VERIFIED
        on = "; ".join(f"{p['title']}: {p['verified_on']['text']}" for p in gated)
        summary = f"{'Claimed' if any_claimed else 'Tested'} profiles — {on}."
    else:
        outcome = Outcome.INCOMPLETE
        names = [p["title"] for p in gated if p["status"] != ProfileStatus.VERIFIED]
        summary = (
            f"Not verified: {', '.join(names)} (cases not run, inconclusive, errored or not implemented)."
            if names
            else "Nothing verified: no case ran."
        )
    if not any_claimed:
        summary += " (No profile is claimed: the profiles that ran are held to passing.)"
    return {
        "status": outcome.value,
        "exit_code": outcome.exit_code,
        "summary": summary,
        "gated_on": [p["profile"] for p in gated],
    }


def assess(
    cases: Sequence[Mapping[str, Any]],
    not_run: Sequence[Mapping[str, Any]],
    claims: Mapping[str, Any],
    *,
    role: str,
    version: str,
    security_profile: int | None = None,
) -> dict[str, Any]:
    """Hold ``claims`` against the case verdicts of one run.

    ``cases`` are case records (``id``, ``profile``, ``verdict``, ``octt``), ``not_run`` the
    collected cases that never ran (``id``, ``profile``). Returns ``profiles`` (one row per
    claimed or run profile, discrepancies first), ``versions``, ``security_profiles``,
    ``coverage`` (catalogue vs implemented), ``discrepancies`` (most severe first) and
    ``outcome`` (status, exit code, summary sentence).
    """
    claimed = [str(p) for p in claims.get("profiles", [])]
    slugs = set(claimed) | {str(c["profile"]) for c in cases}  # unclaimed: only if some ran
    rows = [
        _profile_row(
            slug,
            slug in claimed,
            [c for c in cases if c["profile"] == slug],
            [c for c in not_run if c["profile"] == slug and not c.get("not_applicable")],
        )
        for slug in slugs
    ]
    implemented = {str(c["id"]) for c in (*cases, *not_run)}
    cover = coverage(role, version, implemented)
    by_profile = {row["profile"]: row for row in cover}
    passed = {str(c["id"]) for c in cases if c["verdict"] == "pass"}
    passed_by_profile = {row["profile"]: row for row in coverage(role, version, passed)}
    for row in rows:
        if row["status"] == ProfileStatus.VERIFIED:
            row["verified_on"] = verified_on(row, passed_by_profile.get(row["profile"]))
        cov = by_profile.get(row["profile"])
        if cov is not None:
            row["coverage"] = {
                "sentence": coverage_sentence(cov, version),
                "graded": cov["graded"],
                "mandatory": cov["mandatory"],
                "total": cov["total"],
            }
    found = [d for d in (_profile_discrepancy(r, role, version) for r in rows) if d is not None]
    versions, version_found = _versions(claims, version)
    sps, sp_found = _security_profiles(claims, security_profile)
    found += version_found + sp_found
    rank = list(DISCREPANCY_SEVERITY)
    found.sort(key=lambda d: rank.index(d["kind"]))
    flagged = {d["subject"]: rank.index(d["kind"]) for d in reversed(found)}
    rows.sort(
        key=lambda r: (
            flagged.get(r["profile"], len(rank)),
            not r["claimed"],
            profile_order(r["profile"]),
        )
    )
    return {
        "profiles": rows,
        "versions": versions,
        "security_profiles": sps,
        "coverage": cover,
        "discrepancies": found,
        "outcome": _outcome(rows, bool(claimed)),
    }
