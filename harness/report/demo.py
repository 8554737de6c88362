"""The demo's top page: one row per built-in SUT with its outcome, linking its report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.report.html import render_demo_index
from harness.report.schema import ResultsError, load_results


def demo_entry(out: Path, name: str) -> dict[str, Any]:
    """The row of one built-in SUT, from ``<out>/<name>/results.json`` (if it was written)."""
    entry: dict[str, Any] = {
        "name": name,
        "link": f"{name}/index.html",
        "title": name,
        "role": "?",
        "ocpp": "?",
        "outcome": "incomplete",
        "summary": "no results.json: the run did not finish (see pytest.log)",
        "counts": {},
        "profiles": [],
    }
    try:
        document = load_results(out / name / "results.json")
    except ResultsError as exc:
        entry["summary"] = str(exc)
        return entry
    run = document["run"]
    entry.update(
        title=run["sut"]["name"],
        role=run["sut"]["role"],
        ocpp=run["sut"]["ocpp"],
        outcome=document["outcome"]["status"],
        summary=document["outcome"]["summary"],
        counts={k: v for k, v in run["counts"].items() if v},
        profiles=document["profiles"],
    )
    return entry


def write_demo_index(out: Path, names: list[str]) -> Path:
    """Write ``<out>/index.html`` linking each built-in SUT's report."""
    index = out / "index.html"
    index.write_text(render_demo_index([demo_entry(out, name) for name in names]), "utf-8")
    return index
