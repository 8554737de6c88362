"""Reports of a run: ``results.json``, ``index.html`` and per-case evidence (``cases/``).

JUnit XML and Allure results come from their pytest plugins, pointed at the same directory; the
OCA id names each JUnit test case (:mod:`harness.report.junit`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.report.html import write_html
from harness.report.results import results_document
from harness.run import HarnessRun

#: What write_run owns inside ``cases/``: stale files of an earlier run there are removed.
_CASE_FILES = ("*.html", "*.json", "*.jsonl")


def _clean_cases(cases_dir: Path) -> None:
    if cases_dir.is_dir():
        for pattern in _CASE_FILES:
            for stale in cases_dir.glob(pattern):
                stale.unlink()


def write_case_files(document: dict[str, Any], directory: Path) -> None:
    """``cases/<id>-<version>.json`` (the case record with its trace) and ``.jsonl`` (frames)."""
    cases_dir = directory / "cases"
    cases_dir.mkdir(parents=True, exist_ok=True)
    for case in document["cases"]:
        stem = f"{case['id']}-{case['version']}"  # not Path.with_suffix: "2.0.1" has a dot
        (cases_dir / f"{stem}.json").write_text(
            json.dumps(case, indent=1, ensure_ascii=False), "utf-8"
        )
        with (cases_dir / f"{stem}.jsonl").open("w", encoding="utf-8") as out:
            for frame in case.get("trace", []):
                out.write(json.dumps(frame, ensure_ascii=False) + "\n")
            if case.get("trace_dropped"):
                out.write(json.dumps({"dropped": case["trace_dropped"]}) + "\n")


def write_document(document: dict[str, Any], directory: Path) -> Path:
    """Write a results document and everything rendered from it; returns ``index.html``."""
    directory.mkdir(parents=True, exist_ok=True)
    _clean_cases(directory / "cases")
    (directory / "results.json").write_text(
        json.dumps(document, indent=1, ensure_ascii=False), "utf-8"
    )
    write_case_files(document, directory)
    return write_html(document, directory)


def write_run(run: HarnessRun, directory: Path) -> dict[str, Any]:
    """Write ``results.json``, ``index.html`` and ``cases/``; returns the results document."""
    document = results_document(run)
    write_document(document, directory)
    return document


__all__ = ["write_case_files", "write_document", "write_run"]
