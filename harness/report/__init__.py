"""Reports of a run: ``results.json``, ``index.html`` and per-case evidence (``cases/``).

During a run with ``--ocpp-report`` the report is written case by case
(:mod:`harness.report.live`); :func:`write_run` writes the final one. JUnit XML and Allure
results come from their pytest plugins, pointed at the same directory; the OCA id names each
JUnit test case (:mod:`harness.report.junit`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.report.html import write_html
from harness.report.live import LiveReport, clean, write_between, write_case, write_summary
from harness.run import HarnessRun


def write_case_files(document: dict[str, Any], directory: Path) -> None:
    """``cases/<id>-<version>.{json,jsonl,html}`` of every case of a results document."""
    for case in document["cases"]:
        write_case(case, document["run"], directory)


def write_document(document: dict[str, Any], directory: Path) -> Path:
    """Write a results document and everything rendered from it; returns ``index.html``."""
    clean(directory)
    write_case_files(document, directory)
    if "between_cases" in document and "trace" in document["between_cases"]:
        write_between(document["between_cases"], document["run"], directory)
    write_summary(document, directory)
    return directory / "index.html"


def write_run(run: HarnessRun, directory: Path) -> dict[str, Any]:
    """Write the final ``results.json``, ``index.html`` and ``cases/``; returns the document.

    Cases whose files were written when they ended (``run.live``) are not written again.
    """
    live = run.live if run.live is not None and run.live.directory == directory else None
    if live is None:
        live = LiveReport(directory)
        clean(directory)
    return live.finish(run)


__all__ = ["write_case_files", "write_document", "write_html", "write_run"]
