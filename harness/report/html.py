"""HTML rendering of a run (jinja2, autoescaped: SUT frames may contain markup).

Pages are self-contained (inline CSS, no fetches), readable when opened from disk and printable:
``index.html`` (claims against measurements, discrepancies first, then every case),
``cases/<id>-<version>.html`` (one case with its frame trace), ``cases/_between.html`` (frames
outside any case) and the demo and diff pages.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from harness.report.coverage import profile_order
from harness.report.sequence import sequence_rows

#: Labels of verdicts, profile statuses and discrepancy severities, by their JSON value.
LABELS = {
    "pass": "PASS",
    "fail": "FAIL",
    "inconclusive": "INCONCLUSIVE",
    "not-applicable": "N/A",
    "error": "ERROR",
    "verified": "Verified",
    "failed": "FAILED",
    "incomplete": "Incomplete",
    "not-testable": "Not testable",
    "not-run": "not run",
}
_SEVERITY = {"fail": 0, "error": 1, "inconclusive": 2, "pass": 3, "not-applicable": 4}


def case_file(case: dict[str, Any], ext: str = "html") -> str:
    """``cases/<id>-<version>.<ext>``, relative to the report directory."""
    return f"cases/{case['id']}-{case['version']}.{ext}"


def profile_label(row: dict[str, Any]) -> str:
    """How a profile row reads: "Verified on 10 of 104 mandatory" (verified always says on how
    many cases), "FAILED", or "Works, not claimed" and the like."""
    status = str(row["status"])
    if row["claimed"]:
        on = row.get("verified_on")
        return str(on["short"]) if status == "verified" and on else LABELS[status]
    if not row.get("certification", True):
        return {"verified": "Passed", "failed": "Failed", "incomplete": "Incomplete"}.get(
            status, "Not run"
        )
    return {
        "verified": "Works, not claimed",
        "failed": "Fails (not claimed)",
        "incomplete": "Incomplete (not claimed)",
        "not-testable": "Not claimed",
    }[status]


def profile_css(row: dict[str, Any]) -> str:
    """The CSS class of a profile row: red/amber for claimed problems, blue for unclaimed passes."""
    status = str(row["status"])
    if row["claimed"]:
        return {"verified": "ok", "failed": "bad", "incomplete": "warn", "not-testable": "warn"}[
            status
        ]
    return {"verified": "info", "failed": "warn"}.get(status, "muted")


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("harness.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        LABELS=LABELS, case_file=case_file, profile_label=profile_label, profile_css=profile_css
    )
    return env


def _sorted_cases(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        cases, key=lambda c: (_SEVERITY.get(c["verdict"], 9), profile_order(c["profile"]), c["id"])
    )


def render_index(document: dict[str, Any]) -> str:
    """The run overview: outcome, discrepancies, profiles, cases, OCA coverage."""
    return (
        environment()
        .get_template("index.html.j2")
        .render(doc=document, cases=_sorted_cases(document["cases"]))
    )


def render_case(case: dict[str, Any], run: dict[str, Any]) -> str:
    """One case: verdict on both axes, Expected/Actual and the frame trace as a sequence."""
    spec = [w for w in case.get("warnings", []) if w["axis"] == "spec"]
    octt = [w for w in case.get("warnings", []) if w["axis"] == "octt"]
    return (
        environment()
        .get_template("case.html.j2")
        .render(case=case, run=run, rows=sequence_rows(case), spec=spec, octt=octt)
    )


def render_between(between: dict[str, Any], run: dict[str, Any]) -> str:
    """The session's between-cases trace (``results.json`` ``between_cases``): never a case."""
    rows = sequence_rows({"trace": between.get("trace", []), "failing_frame": None})
    return environment().get_template("between.html.j2").render(between=between, run=run, rows=rows)


def render_demo_index(entries: list[dict[str, Any]]) -> str:
    """The demo's top page linking every built-in SUT's report."""
    return environment().get_template("demo.html.j2").render(entries=entries)


def render_diff(diff: dict[str, Any]) -> str:
    """The comparison of two runs (:func:`harness.report.diff.compare`)."""
    return environment().get_template("diff.html.j2").render(diff=diff)


def write_html(document: dict[str, Any], directory: Path) -> Path:
    """Write ``index.html``, every ``cases/<id>-<version>.html`` and the between-cases page
    (when the document carries that trace) of a results document."""
    cases_dir = directory / "cases"
    cases_dir.mkdir(parents=True, exist_ok=True)
    for case in document["cases"]:
        (directory / case_file(case)).write_text(render_case(case, document["run"]), "utf-8")
    between = document.get("between_cases")
    if between is not None and "trace" in between:
        (directory / between["page"]).write_text(render_between(between, document["run"]), "utf-8")
    index = directory / "index.html"
    index.write_text(render_index(document), "utf-8")
    return index
