"""No overclaim (issue 7 item 12) and the between-cases trace (item 1): "verified" always says on
how many cases, a case's ``started`` is when its setup began, and frames outside any case are
shown as the session's own trace, never counted as a case."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from harness.report import write_run
from harness.report.html import render_index, write_html
from harness.report.results import results_document
from harness.report.schema import load_results, validate
from harness.report.terminal import summary_lines
from harness.run import HarnessRun
from harness.trace import Flow
from harness.verdicts import Verdict
from tests.report_samples import MARKUP, boot_trace, claims, frame, sample_run

VERIFIED = re.compile(r"verified", re.IGNORECASE)
#: "verified on 10 of 104 mandatory OCA cases", "Verified on 4 of 35 cases", "... 3 harness cases"
ON_HOW_MANY = re.compile(r"verified on \d+ (of \d+ )?", re.IGNORECASE)


def _all_core_passing() -> HarnessRun:
    run = sample_run(claims=claims("core"))
    for nodeid, record in list(run.records.items()):
        if record.profile == "core":
            record.verdict, record.reason = Verdict.PASS, ""
            record.failed_requirement = record.expected = record.actual = None
        else:
            del run.records[nodeid]
    run.planned = {k: v for k, v in run.planned.items() if k in run.records}
    return run


def test_a_verified_profile_says_on_how_many_oca_cases() -> None:
    document = results_document(_all_core_passing(), with_traces=False)
    (core,) = [p for p in document["profiles"] if p["profile"] == "core"]
    assert core["status"] == "verified"
    on = core["verified_on"]
    assert on["graded"] is True
    assert on["catalogue"] > on["cases"] > 0
    assert on["text"] == f"verified on {on['cases']} of {on['catalogue']} mandatory OCA cases"
    assert (
        f"Core: verified on {on['cases']} of {on['catalogue']} mandatory OCA cases"
        in (document["outcome"]["summary"])
    )
    validate(document)


def test_wherever_the_terminal_says_verified_it_says_on_how_many_cases() -> None:
    document = results_document(_all_core_passing(), with_traces=False)
    lines = [text for text, _ in summary_lines(document)]
    said = [line for line in lines if VERIFIED.search(line)]
    assert said, lines
    for line in said:
        assert ON_HOW_MANY.search(line), line


def test_wherever_the_report_says_verified_it_says_on_how_many_cases() -> None:
    document = results_document(_all_core_passing(), with_traces=False)
    html = render_index(document)
    visible = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])
    visible = re.sub(r"\s+", " ", visible)
    # the one definition of the word ("A claimed profile is verified when ...") is not a claim
    claims_made = [
        m.start()
        for m in VERIFIED.finditer(visible)
        if "is verified when" not in visible[m.start() - 20 : m.end() + 6]
    ]
    assert claims_made
    for start in claims_made:
        window = visible[start : start + 80]
        assert ON_HOW_MANY.match(window) or "VERIFIED" in window[:8], window


def test_a_profile_without_catalogue_cases_counts_harness_cases() -> None:
    run = sample_run()
    for record in run.records.values():
        record.profile, record.verdict = "house-extras", Verdict.PASS
    document = results_document(run, with_traces=False)
    (row,) = [p for p in document["profiles"] if p["profile"] == "house-extras"]
    assert row["verified_on"]["catalogue"] is None
    assert row["verified_on"]["text"].startswith(f"verified on {len(run.records)} harness cases")


def test_the_between_cases_trace_is_shown_and_never_counted_as_a_case(tmp_path: Path) -> None:
    run = sample_run()
    between = boot_trace("between cases")
    frame(between, Flow.RECEIVED, [2, "s9", "StatusNotification", {"note": MARKUP}], problem="late")
    run.between_cases = between
    counts_before = run.counts()
    document = write_run(run, tmp_path)
    validate(document)
    assert document["run"]["counts"] == counts_before
    assert len(document["cases"]) == len(run.finished_records())
    assert all(not c["id"].startswith("_") for c in document["cases"])
    section = document["between_cases"]
    assert (section["frames"], section["problems"]) == (len(between), 1)
    assert [f["seq"] for f in section["trace"]] == [e.seq for e in between]
    page = (tmp_path / "cases" / "_between.html").read_text("utf-8")
    assert "StatusNotification" in page
    assert "<script>alert" not in page  # SUT text is escaped
    lines = (tmp_path / "cases" / "_between.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(between)
    index = (tmp_path / "index.html").read_text("utf-8")
    assert 'href="cases/_between.html"' in index
    assert "1 with a problem" in index
    # ``ocpp-harness report`` renders the page again from results.json
    (tmp_path / "cases" / "_between.html").unlink()
    write_html(load_results(tmp_path / "results.json"), tmp_path)
    assert (tmp_path / "cases" / "_between.html").is_file()


def test_a_run_without_a_between_cases_trace_has_no_such_section() -> None:
    document = results_document(sample_run())
    assert "between_cases" not in document
    assert 'id="between"' not in render_index(document)


SLOW_SETUP = """
import time

import pytest

from harness import oca


@pytest.fixture
def slow_precondition() -> None:
    time.sleep(1.0)


@oca("TC_B_01_CS", "slow setup", profile="core", versions=("2.0.1",),
     kills=("boot-skips-status",))
def test_after_slow_setup(slow_precondition: None) -> None:
    with open("called_at", "w") as out:
        out.write(str(time.time()))
"""


def test_a_case_starts_when_its_setup_starts(tmp_path: Path) -> None:
    (tmp_path / "test_slow.py").write_text(SLOW_SETUP, "utf-8")
    report = tmp_path / "report"
    subprocess.run(
        [sys.executable, "-m", "pytest", "test_slow.py", "-p", "no:cacheprovider",
         "--ocpp-sut", "reference-station-v201", "--ocpp-report", str(report)],
        cwd=tmp_path, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    (case,) = json.loads((report / "results.json").read_text("utf-8"))["cases"]
    from datetime import datetime

    started = datetime.fromisoformat(case["started"]).timestamp()
    called = float((tmp_path / "called_at").read_text("utf-8"))
    assert called - started >= 0.9, (case["started"], called)


def test_the_diff_says_on_how_many_cases_a_profile_was_verified() -> None:
    from harness.report.diff import compare, diff_lines

    before = results_document(_all_core_passing(), with_traces=False)
    after = results_document(sample_run(claims=claims("core")), with_traces=False)
    lines = [line for line in diff_lines(compare(before, after)) if VERIFIED.search(line)]
    assert lines
    for line in lines:
        assert ON_HOW_MANY.search(line), line
