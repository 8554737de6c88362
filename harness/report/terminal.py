"""The compact text summary printed at the end of a run: cases that did not pass, then one row
per certification profile (claimed / verdict / counts), the discrepancies and the outcome.

Works on a results document (``results.json`` shape), so the pytest terminal summary and
``ocpp-harness run`` print the same table. Each line comes with a colour hint for pytest's
terminal writer (``red``, ``yellow``, ``green``, ``cyan`` or none).
"""

from __future__ import annotations

from typing import Any

from harness.report.html import LABELS, profile_label

Line = tuple[str, str | None]

_CASE_COLOUR = {"fail": "red", "error": "red", "inconclusive": "yellow"}
_PROFILE_COLOUR = {"ok": "green", "bad": "red", "warn": "yellow", "info": "cyan", "muted": None}
_SEVERITY_COLOUR = {"fail": "red", "warn": "yellow", "info": "cyan"}
_OUTCOME_COLOUR = {"verified": "green", "failed": "red", "incomplete": "yellow"}


def case_lines(document: dict[str, Any]) -> list[Line]:
    """One line per case that did not pass (verdict, id, version, requirement or reason)."""
    lines: list[Line] = []
    for case in sorted(document["cases"], key=lambda c: c["id"]):
        verdict = case["verdict"]
        if verdict == "pass":
            continue
        why = case["failed_requirement"] or case["reason"]
        text = f"  {LABELS[verdict]:<12} {case['id']:<16} {case['version']:<6} {why[:110]}"
        lines.append((text, _CASE_COLOUR.get(verdict)))
    return lines


def profile_lines(document: dict[str, Any]) -> list[Line]:
    """The per-profile table, the discrepancies and the outcome line."""
    from harness.report.html import profile_css

    head = (
        f"  {'profile':<36} {'claimed':<8} {'verdict':<33} "
        f"{'pass':>5} {'fail':>5} {'inc':>4} {'err':>4} {'n/a':>4} {'not run':>8} {'octt':>5}"
    )
    lines: list[Line] = [(head, None)]
    for p in document["profiles"]:
        c = p["counts"]
        text = (
            f"  {p['title'][:36]:<36} {'yes' if p['claimed'] else 'no':<8} {profile_label(p):<33} "
            f"{c['pass']:>5} {c['fail']:>5} {c['inconclusive']:>4} {c['error']:>4} "
            f"{c['not-applicable']:>4} {c['not-run']:>8} {p['octt_warnings']:>5}"
        )
        lines.append((text, _PROFILE_COLOUR[profile_css(p)]))
    if not document["profiles"]:
        lines.append(("  (no profile claimed, no case ran)", None))
    for d in document["discrepancies"]:
        lines.append((f"  ! {d['message']}", _SEVERITY_COLOUR[d["severity"]]))
    outcome = document["outcome"]
    lines.append(
        (
            f"  outcome: {outcome['status'].upper()} (exit {outcome['exit_code']}): {outcome['summary']}",
            _OUTCOME_COLOUR[outcome["status"]],
        )
    )
    return lines


def summary_lines(document: dict[str, Any], *, table: bool = True) -> list[Line]:
    """The SUT line, seeded faults, cases that did not pass, verdict totals, the profile table.

    ``table=False`` leaves out the profile table and the outcome, for a caller that prints them
    itself (``ocpp-harness run`` after its pytest child ended: ``--ocpp-summary cases``), so the
    table is printed once (issue 8 item 2)."""
    run = document["run"]
    sut = run["sut"]
    lines: list[Line] = [(f"SUT: {sut['name']} (OCPP {sut['ocpp']}, {sut['role']})", None)]
    if sut["faults"]:
        lines.append((f"seeded faults: {', '.join(sut['faults'])}", "yellow"))
    lines += case_lines(document)
    counts = ", ".join(f"{n} {LABELS[v]}" for v, n in run["counts"].items() if n)
    lines.append((f"  cases: {counts or 'none ran'}", None))
    if table:
        lines += profile_lines(document)
    return lines
