"""The report files as a reader meets them: every verdict kind, unicode, markup sent by a SUT,
thousands of frames, and results.json against its JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harness.report import write_run
from harness.report.html import render_case, render_index
from harness.report.results import SCHEMA, results_document
from harness.report.schema import ResultsError, load_results, validate, validate_case
from tests.report_samples import UNICODE, claims, sample_run


def _case(document: dict[str, Any], case_id: str) -> dict[str, Any]:
    return next(c for c in document["cases"] if c["id"] == case_id)


def test_written_files_follow_the_schema(tmp_path: Path) -> None:
    document = write_run(sample_run(), tmp_path)
    assert document["schema"] == SCHEMA
    validate(json.loads((tmp_path / "results.json").read_text("utf-8")))
    for case in document["cases"]:
        stem = f"{case['id']}-{case['version']}"
        validate_case(json.loads((tmp_path / "cases" / f"{stem}.json").read_text("utf-8")))
        assert (tmp_path / "cases" / f"{stem}.html").is_file()
        assert (tmp_path / "cases" / f"{stem}.jsonl").is_file()
    assert load_results(tmp_path / "results.json") == json.loads(
        (tmp_path / "results.json").read_text("utf-8")
    )


def test_every_verdict_kind_is_shown_with_its_reason() -> None:
    document = results_document(sample_run())
    html = render_index(document)
    for label in ("PASS", "FAIL", "INCONCLUSIVE", "N/A", "ERROR"):
        assert f">{label}</span>" in html, label
    assert "the operator did not reboot the station within 120 s" in html
    assert "harness error: KeyError" in html
    assert "Collected but not run" in html
    assert "TC_E_03_CS" in html
    passed = _case(document, "TC_B_01_CS")
    assert passed["reason"].startswith("Every expectation of TC_B_01_CS was met")


def test_markup_sent_by_the_sut_is_escaped_everywhere() -> None:
    document = results_document(sample_run())
    pages = [render_index(document)] + [render_case(c, document["run"]) for c in document["cases"]]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        # the page's only script is its own print helper
        assert page.count("<script>") == 1
    failing = render_case(_case(document, "TC_B_06_CS"), document["run"])
    assert "&lt;script&gt;alert(" in failing


def test_unicode_survives_json_and_html(tmp_path: Path) -> None:
    write_run(sample_run(), tmp_path)
    document = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert document["run"]["sut"]["identity"]["vendor"] == UNICODE
    index = (tmp_path / "index.html").read_text("utf-8")
    assert UNICODE in index
    assert '<meta charset="utf-8">' in index


def test_both_axes_are_shown_per_case() -> None:
    document = results_document(sample_run())
    passed = _case(document, "TC_B_01_CS")
    assert (passed["verdict"], passed["octt"]) == ("pass", "warning")
    page = render_case(passed, document["run"])
    spec = page.split('id="axis-spec"')[1].split("</section>")[0]
    octt = page.split('id="axis-octt"')[1].split("</section>")[0]
    assert "PASS" in spec
    assert "no spec warnings" in spec
    assert "1 warning" in octt
    assert "the official tool expects the Heartbeat within 1 s" in octt
    failed = _case(document, "TC_B_06_CS")
    assert failed["octt"] == "ok"
    assert "dateTime without time zone" in render_case(failed, document["run"])


def test_the_failing_frame_is_the_problem_frame_before_the_failure() -> None:
    document = results_document(sample_run())
    case = _case(document, "TC_B_06_CS")
    trace = case["trace"]
    problem = [f["seq"] for f in trace if f["problem"]]
    assert case["failing_frame"] == problem[-1]
    page = render_case(case, document["run"])
    rows = re.findall(r'<tr id="f(\d+)" class="([^"]*)"', page)
    assert [seq for seq, css in rows if "failing" in css] == [str(case["failing_frame"])]
    assert f'href="#f{case["failing_frame"]}"' in page
    assert "Expected" in page
    assert "Actual" in page


def test_without_a_problem_frame_the_last_received_frame_before_the_failure_fails() -> None:
    run = sample_run()
    record = next(r for r in run.records.values() if r.id == "TC_B_06_CS")
    assert record.trace is not None
    entries = record.trace.entries()
    record.trace = type(record.trace)("copy")
    for e in entries:
        record.trace.record(e.flow, e.raw)
    document = results_document(run)
    case = _case(document, "TC_B_06_CS")
    received = [f["seq"] for f in case["trace"] if f["flow"] == "received"]
    assert case["failing_frame"] == received[-1]
    assert case["failing_frame"] <= record.failure_seq


def test_a_trace_of_ten_thousand_frames_renders_every_frame() -> None:
    document = results_document(sample_run(frames=10_000))
    case = _case(document, "TC_B_01_CS")
    assert len(case["trace"]) > 10_000
    page = render_case(case, document["run"])
    assert page.count('<tr id="f') == len(case["trace"])
    assert page.rstrip().endswith("</html>")


def test_discrepancies_come_first_and_claimed_failures_are_red() -> None:
    document = results_document(sample_run(claims=claims("core", "reservation")))
    html = render_index(document)
    assert html.index('id="discrepancies"') < html.index('id="profiles"') < html.index('id="cases"')
    first = document["discrepancies"][0]
    assert (first["kind"], first["severity"], first["subject"]) == (
        "claimed-failing",
        "fail",
        "core",
    )
    kinds = [d["kind"] for d in document["discrepancies"]]
    assert kinds.index("claimed-not-testable") < kinds.index("passing-not-claimed")
    core_row = re.search(r'<tr class="row (\w+)" data-profile="core"', html)
    assert core_row is not None
    assert core_row.group(1) == "bad"


def test_reading_back_rejects_what_is_not_a_results_file(tmp_path: Path) -> None:
    bad = tmp_path / "results.json"
    bad.write_text('{"schema": "something/else"}', "utf-8")
    with pytest.raises(ResultsError, match="is not an ocpp-harness results schema"):
        load_results(bad)
    document = results_document(sample_run())
    document["cases"][0]["verdict"] = "passed"
    bad.write_text(json.dumps(document), "utf-8")
    with pytest.raises(ResultsError, match="cases/0/verdict"):
        load_results(bad)


def test_schema_1_results_are_upgraded(tmp_path: Path) -> None:
    document = results_document(sample_run())
    old: dict[str, Any] = {
        "schema": "ocpp-harness/results/1",
        "run": {k: v for k, v in document["run"].items() if k != "selection"},
        "cases": [
            {k: v for k, v in c.items() if k not in ("requirement", "octt", "failing_frame")}
            for c in document["cases"]
        ],
    }
    del old["run"]["claims"]["source"]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(old), "utf-8")
    upgraded = load_results(path)
    assert upgraded["schema"] == SCHEMA
    assert next(p["profile"] for p in upgraded["profiles"]) == "core"
    assert upgraded["outcome"]["status"] == "failed"
