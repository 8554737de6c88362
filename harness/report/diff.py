"""What changed between two runs (e.g. two firmware builds): ``ocpp-harness diff A B``.

Cases are matched by OCA id and OCPP version. A *regression* is a case that passed in A and
FAILed, errored or was INCONCLUSIVE in B, or a certification profile whose verdict got worse
(verified → incomplete → failed). A *fix* is the reverse. Cases only in B are *new*, cases only
in A *removed*; any other verdict change is listed as *changed*.
"""

from __future__ import annotations

from typing import Any

BAD = frozenset({"fail", "error", "inconclusive"})
_PROFILE_RANK = {"verified": 0, "incomplete": 1, "not-testable": 1, "failed": 2}


def _header(document: dict[str, Any], path: str) -> dict[str, Any]:
    run = document["run"]
    identity = run["sut"]["identity"]
    return {
        "path": path,
        "name": run["sut"]["name"],
        "role": run["sut"]["role"],
        "ocpp": run["sut"]["ocpp"],
        "firmware": identity.get("firmware"),
        "model": identity.get("model"),
        "started": run["started"],
        "harness_version": run["harness_version"],
        "outcome": document["outcome"]["status"],
        "summary": document["outcome"]["summary"],
        "href": None,  # the report directory relative to an HTML diff page, set by its writer
    }


def _change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    case = after or before
    assert case is not None
    why = ""
    if after is not None and after["verdict"] != "pass":
        why = after.get("failed_requirement") or after.get("reason") or ""
    return {
        "id": case["id"],
        "version": case["version"],
        "title": case["title"],
        "profile": case["profile"],
        "before": before["verdict"] if before else None,
        "after": after["verdict"] if after else None,
        "why": why,
    }


def _profiles(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    rows_a = {p["profile"]: p for p in a["profiles"]}
    rows_b = {p["profile"]: p for p in b["profiles"]}
    out: list[dict[str, Any]] = []
    for slug in [*rows_a, *(s for s in rows_b if s not in rows_a)]:
        pa, pb = rows_a.get(slug), rows_b.get(slug)
        before = pa["status"] if pa else None
        after = pb["status"] if pb else None
        claimed = bool((pa and pa["claimed"]) or (pb and pb["claimed"]))
        if before == after and (pa and pa["claimed"]) == (pb and pb["claimed"]):
            continue
        worse = (
            before is not None
            and after is not None
            and _PROFILE_RANK[after] > _PROFILE_RANK[before]
        )
        out.append(
            {
                "profile": slug,
                "title": (pb or pa or {}).get("title", slug),
                "claimed": claimed,
                "before": before,
                "after": after,
                "before_label": _status_label(pa),
                "after_label": _status_label(pb),
                "worse": worse,
            }
        )
    return out


def _status_label(row: dict[str, Any] | None) -> str | None:
    """A profile's status as the diff shows it: verified says on how many cases."""
    if row is None:
        return None
    on = row.get("verified_on")
    if not on:
        return str(row["status"])
    of = f" of {on['catalogue']}" if on["catalogue"] is not None else ""
    return f"verified on {on['cases']}{of} cases"


def compare(
    a: dict[str, Any], b: dict[str, Any], *, a_path: str = "A", b_path: str = "B"
) -> dict[str, Any]:
    """Compare results document ``a`` (before) with ``b`` (after)."""
    cases_a = {(c["id"], c["version"]): c for c in a["cases"]}
    cases_b = {(c["id"], c["version"]): c for c in b["cases"]}
    out: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("regressions", "fixes", "changed", "new", "removed", "still_failing")
    }
    for key in sorted(cases_a.keys() | cases_b.keys()):
        before, after = cases_a.get(key), cases_b.get(key)
        if before is None:
            out["new"].append(_change(None, after))
        elif after is None:
            out["removed"].append(_change(before, None))
        elif before["verdict"] == after["verdict"]:
            if after["verdict"] in BAD:
                out["still_failing"].append(_change(before, after))
        elif before["verdict"] == "pass" and after["verdict"] in BAD:
            out["regressions"].append(_change(before, after))
        elif before["verdict"] in BAD and after["verdict"] == "pass":
            out["fixes"].append(_change(before, after))
        else:
            out["changed"].append(_change(before, after))
    profiles = _profiles(a, b)
    regressed = bool(out["regressions"]) or any(p["worse"] for p in profiles)
    return {
        "a": _header(a, a_path),
        "b": _header(b, b_path),
        **out,
        "profiles": profiles,
        "regressed": regressed,
        "exit_code": 1 if regressed else 0,
    }


def _case_line(c: dict[str, Any]) -> str:
    arrow = f"{c['before'] or '—'} → {c['after'] or '—'}"
    tail = f"  {c['why'][:100]}" if c["why"] else ""
    return f"  {c['id']:<16} {c['version']:<6} {arrow:<24}{tail}"


def _verified_on(header: dict[str, Any]) -> str:
    """A verified run's outcome says on how many cases (its summary sentence)."""
    return f" ({header['summary']})" if header["outcome"] == "verified" else ""


def diff_lines(diff: dict[str, Any]) -> list[str]:
    """The comparison as plain text, regressions first."""
    lines = []
    for side in ("a", "b"):
        h = diff[side]
        fw = f" firmware {h['firmware']}" if h.get("firmware") else ""
        lines.append(
            f"{side.upper()}: {h['name']}{fw} (OCPP {h['ocpp']}, {h['started']}): "
            f"{h['outcome'].upper()}{_verified_on(h)}  [{h['path']}]"
        )
    sections = (
        ("Regressions", "regressions"),
        ("Fixes", "fixes"),
        ("Other verdict changes", "changed"),
        ("New cases", "new"),
        ("Removed cases", "removed"),
        ("Still failing", "still_failing"),
    )
    for title, key in sections:
        items = diff[key]
        if items or key == "regressions":
            lines.append(f"{title} ({len(items)}):")
            lines += [_case_line(c) for c in items] or ["  none"]
    if diff["profiles"]:
        lines.append(f"Profile verdict changes ({len(diff['profiles'])}):")
        for p in diff["profiles"]:
            mark = "  WORSE" if p["worse"] else ""
            claimed = "claimed" if p["claimed"] else "not claimed"
            lines.append(
                f"  {p['title']:<36} {p.get('before_label') or p['before'] or '—'} → "
                f"{p.get('after_label') or p['after'] or '—'} ({claimed}){mark}"
            )
    verdict = "REGRESSED" if diff["regressed"] else "no regression"
    lines.append(f"Result: {verdict} (exit {diff['exit_code']})")
    return lines
