"""The report of a run, written as it goes, so that evidence survives an interrupted run.

When a case ends, its files (``cases/<id>-<version>.{json,jsonl,html}``) are written once, and a
snapshot of ``results.json`` and ``index.html`` replaces the previous one atomically (written
beside, then renamed). A snapshot says ``run.interrupted: true`` and ``finished: ""``: that is
the truth if the process dies before the end (SIGKILL, power loss, a crash below Python). The
last write, at the end of the session, is the full report (traces inline in ``results.json``, as
far as :data:`~harness.report.results.INLINE_TRACE_CHARS` allows) and says whether the run was
interrupted.

A snapshot leaves the traces out of ``results.json`` (each case's trace is in its ``.jsonl``
file, named by ``trace_file``) and is compact JSON, so writing one stays cheap as the run grows
(about 20 ms with 120 cases on the reference machine).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from harness.report.html import case_file, render_between, render_case, render_index
from harness.report.results import case_record, results_document, run_header
from harness.run import CaseRecord, HarnessRun

#: What the harness owns inside ``cases/``: stale files of an earlier run there are removed.
CASE_FILES = ("*.html", "*.json", "*.jsonl")
#: Top-level files of an earlier run that must not answer for this one.
STALE = ("results.json", "index.html")
#: During the run the between-cases page is rendered again at most this often (its ``.jsonl``
#: after every case); a long session trace takes a while to render.
BETWEEN_PAGE_S = 5.0


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a reader sees the old file or the new one."""
    part = path.with_name(f".{path.name}.part")
    part.write_text(text, "utf-8")
    os.replace(part, path)


def clean(directory: Path) -> None:
    """Remove what an earlier run wrote into ``directory`` (case files, results, index)."""
    cases_dir = directory / "cases"
    if cases_dir.is_dir():
        for pattern in CASE_FILES:
            for stale in cases_dir.glob(pattern):
                stale.unlink()
    for name in STALE:
        (directory / name).unlink(missing_ok=True)


def write_case(case: dict[str, Any], header: dict[str, Any], directory: Path) -> None:
    """``cases/<id>-<version>.json`` (the record with its trace), ``.jsonl`` (one frame a line)
    and ``.html`` (the case page)."""
    cases_dir = directory / "cases"
    cases_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{case['id']}-{case['version']}"  # not Path.with_suffix: "2.0.1" has a dot
    (cases_dir / f"{stem}.json").write_text(json.dumps(case, indent=1, ensure_ascii=False), "utf-8")
    _write_jsonl(cases_dir / f"{stem}.jsonl", case.get("trace", []), case.get("trace_dropped", 0))
    (directory / case_file(case)).write_text(render_case(case, header), "utf-8")


def write_between(
    between: dict[str, Any], header: dict[str, Any], directory: Path, *, page: bool = True
) -> None:
    """The between-cases trace: ``cases/_between.jsonl`` and (``page``) ``cases/_between.html``."""
    cases_dir = directory / "cases"
    cases_dir.mkdir(parents=True, exist_ok=True)
    _write_jsonl(directory / between["trace_file"], between["trace"], between["trace_dropped"])
    if page:
        write_atomic(directory / between["page"], render_between(between, header))


def _write_jsonl(path: Path, frames: list[dict[str, Any]], dropped: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for frame in frames:
            out.write(json.dumps(frame, ensure_ascii=False) + "\n")
        if dropped:
            out.write(json.dumps({"dropped": dropped}) + "\n")


def attach_traces(document: dict[str, Any], directory: Path) -> int:
    """Put back the traces a snapshot left out of ``results.json`` (cases, between cases) from
    their ``.jsonl`` files in ``directory``, so pages rendered again show them; returns how many
    traces were read."""
    read = 0
    sections = [
        *document["cases"],
        *([document["between_cases"]] if "between_cases" in document else []),
    ]
    for section in sections:
        path = directory / str(section.get("trace_file", ""))
        if "trace" in section or not section.get("trace_file") or not path.is_file():
            continue
        lines = path.read_text("utf-8").splitlines()
        section["trace"] = [f for f in map(json.loads, lines) if "seq" in f]
        read += 1
    return read


def write_summary(document: dict[str, Any], directory: Path, *, indent: int | None = 1) -> None:
    """``results.json`` and ``index.html`` of ``document``, each replaced atomically
    (``indent=None``: compact JSON, several times faster to write, for snapshots)."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    write_atomic(directory / "results.json", text)
    write_atomic(directory / "index.html", render_index(document))


class LiveReport:
    """Writes one run's report into ``directory`` case by case (see the module doc)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        #: Keys (``<id>-<version>``) of the cases whose files are written.
        self.written: set[str] = set()
        self._between_frames = -1
        self._between_page_at: float | None = None

    def begin(self, run: HarnessRun) -> None:
        """Clear an earlier run's files; the first snapshot lists every case as not reached."""
        clean(self.directory)
        self.snapshot(run)

    def case_finished(self, run: HarnessRun, record: CaseRecord) -> None:
        """Write the case's files, then a new snapshot of results.json and index.html."""
        case = case_record(record)
        write_case(case, run_header(run, in_progress=True), self.directory)
        self.written.add(record.key)
        self.snapshot(run)

    def snapshot(self, run: HarnessRun) -> None:
        """results.json (no inline traces) and index.html as of now, marked interrupted."""
        document = results_document(run, with_traces=False, in_progress=True)
        self._between(run, document)
        write_summary(document, self.directory, indent=None)

    def finish(self, run: HarnessRun) -> dict[str, Any]:
        """The full report: case files not written yet, results.json with traces, index.html."""
        document = results_document(run)
        header = document["run"]
        for record in run.finished_records():
            if record.key not in self.written:  # with its trace, inline in results.json or not
                write_case(case_record(record), header, self.directory)
        if "between_cases" in document:
            write_between(document["between_cases"], header, self.directory)
        write_summary(document, self.directory)
        return document

    def _between(self, run: HarnessRun, document: dict[str, Any]) -> None:
        """Rewrite the between-cases files when new frames arrived since the last snapshot."""
        trace = run.between_cases
        if trace is None or len(trace) + trace.dropped == self._between_frames:
            return
        self._between_frames = len(trace) + trace.dropped
        between = dict(document["between_cases"])
        between["trace"] = trace.to_dicts()
        now = time.monotonic()
        page = self._between_page_at is None or now - self._between_page_at >= BETWEEN_PAGE_S
        if page:
            self._between_page_at = now
        write_between(between, document["run"], self.directory, page=page)
