"""Reports of a run: results.json, index.html and per-case evidence (JUnit and Allure come from
their pytest plugins, pointed at the same directory)."""

from __future__ import annotations

import json
from pathlib import Path

from harness.report.html import render_case, render_index
from harness.report.results import case_record, results_document
from harness.run import HarnessRun


def write_run(run: HarnessRun, directory: Path) -> Path:
    """Write ``results.json``, ``index.html`` and ``cases/<id>-<version>.{json,jsonl,html}``."""
    directory.mkdir(parents=True, exist_ok=True)
    cases_dir = directory / "cases"
    cases_dir.mkdir(exist_ok=True)
    document = results_document(run)
    (directory / "results.json").write_text(
        json.dumps(document, indent=1, ensure_ascii=False), "utf-8"
    )
    for record, case in zip(run.records.values(), document["cases"], strict=True):
        if record.trace is not None:
            record.trace.write_jsonl(cases_dir / f"{record.key}.jsonl")
        summary = case_record(record, with_trace=False)
        (cases_dir / f"{record.key}.json").write_text(json.dumps(summary, indent=1), "utf-8")
        (cases_dir / f"{record.key}.html").write_text(render_case(case, document["run"]), "utf-8")
    (directory / "index.html").write_text(render_index(document), "utf-8")
    return directory / "index.html"


__all__ = ["write_run"]
