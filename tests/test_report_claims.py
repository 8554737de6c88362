"""Claims against measurements: profile verdicts the way the OCA decides certification, the run
outcome and exit code, OCA catalogue coverage, and the comparison of two runs."""

from __future__ import annotations

from typing import Any

import pytest

from harness.report.claims import assess
from harness.report.coverage import coverage, coverage_sentence
from harness.report.diff import compare, diff_lines
from harness.report.results import results_document
from tests.report_samples import claims, sample_run


def _case(case_id: str, verdict: str, profile: str = "core", octt: str = "ok") -> dict[str, Any]:
    return {"id": case_id, "profile": profile, "verdict": verdict, "octt": octt}


def _assess(
    cases: list[dict[str, Any]],
    claimed: list[str],
    not_run: list[dict[str, Any]] | None = None,
    versions: list[str] | None = None,
) -> dict[str, Any]:
    return assess(
        cases,
        not_run or [],
        {"profiles": claimed, "versions": versions or []},
        role="charging-station",
        version="2.0.1",
    )


def _status(result: dict[str, Any], slug: str) -> str:
    return str(next(p["status"] for p in result["profiles"] if p["profile"] == slug))


def test_all_applicable_cases_passing_verify_a_claimed_profile() -> None:
    result = _assess([_case("TC_B_01_CS", "pass"), _case("TC_B_03_CS", "not-applicable")], ["core"])
    assert _status(result, "core") == "verified"
    assert result["outcome"]["status"] == "verified"
    assert result["outcome"]["exit_code"] == 0
    assert result["discrepancies"] == []


def test_one_failing_case_fails_the_profile_and_the_run() -> None:
    cases = [
        _case("TC_B_01_CS", "pass"),
        _case("TC_B_06_CS", "fail"),
        _case("TC_B_02_CS", "inconclusive"),
    ]
    result = _assess(cases, ["core"])
    assert _status(result, "core") == "failed"
    assert (result["outcome"]["status"], result["outcome"]["exit_code"]) == ("failed", 1)
    (d,) = result["discrepancies"]
    assert (d["kind"], d["severity"]) == ("claimed-failing", "fail")
    assert "TC_B_06_CS" in d["message"]


@pytest.mark.parametrize("verdict", ["inconclusive", "error"])
def test_no_verdict_on_a_case_leaves_the_profile_incomplete(verdict: str) -> None:
    result = _assess([_case("TC_B_01_CS", "pass"), _case("TC_B_02_CS", verdict)], ["core"])
    assert _status(result, "core") == "incomplete"
    assert (result["outcome"]["status"], result["outcome"]["exit_code"]) == ("incomplete", 3)
    assert result["discrepancies"][0]["kind"] == "claimed-incomplete"


def test_a_case_not_run_leaves_the_profile_incomplete() -> None:
    not_run = [{"id": "TC_B_02_CS", "profile": "core", "not_applicable": None}]
    result = _assess([_case("TC_B_01_CS", "pass")], ["core"], not_run)
    assert _status(result, "core") == "incomplete"
    assert "TC_B_02_CS" in result["discrepancies"][0]["message"]


def test_an_inconclusive_only_run_is_not_a_success() -> None:
    result = _assess([_case("TC_B_01_CS", "inconclusive")], ["core"])
    assert result["outcome"]["exit_code"] == 3


def test_a_claimed_profile_without_implemented_cases_is_not_testable() -> None:
    result = _assess([_case("TC_B_01_CS", "pass")], ["core", "smart-charging"])
    assert _status(result, "smart-charging") == "not-testable"
    assert result["outcome"]["exit_code"] == 3
    assert result["discrepancies"][0]["kind"] == "claimed-not-testable"
    assert result["profiles"][0]["profile"] == "smart-charging"  # discrepancies first


def test_a_passing_unclaimed_certification_profile_is_shown_as_working_but_not_claimed() -> None:
    cases = [_case("TC_B_01_CS", "pass"), _case("TC_H_01_CS", "pass", "reservation")]
    result = _assess(cases, ["core"])
    assert result["outcome"]["exit_code"] == 0
    (d,) = result["discrepancies"]
    assert (d["kind"], d["subject"], d["severity"]) == (
        "passing-not-claimed",
        "reservation",
        "info",
    )
    reservation = next(p for p in result["profiles"] if p["profile"] == "reservation")
    assert reservation["claimed"] is False


def test_an_unclaimed_failure_does_not_fail_the_run() -> None:
    cases = [_case("TC_B_01_CS", "pass"), _case("RB_01_CS", "fail", "robustness")]
    result = _assess(cases, ["core"])
    assert _status(result, "robustness") == "failed"
    assert result["outcome"]["exit_code"] == 0
    assert result["discrepancies"] == []  # robustness is the harness's own, not an OCA profile


def test_without_claims_every_profile_that_ran_is_held_to_passing() -> None:
    assert _assess([_case("TC_B_01_CS", "pass")], [])["outcome"]["exit_code"] == 0
    assert _assess([_case("TC_B_01_CS", "fail")], [])["outcome"]["exit_code"] == 1
    assert _assess([], [])["outcome"]["exit_code"] == 3


def test_a_claimed_version_that_did_not_run_is_shown_as_not_tested() -> None:
    result = _assess([_case("TC_B_01_CS", "pass")], ["core"], versions=["1.6", "2.0.1"])
    assert {(v["version"], v["tested"]) for v in result["versions"]} == {
        ("1.6", False),
        ("2.0.1", True),
    }
    assert [d["kind"] for d in result["discrepancies"]] == ["version-not-tested"]
    assert result["outcome"]["exit_code"] == 0
    other = _assess([_case("TC_B_01_CS", "pass")], ["core"], versions=["1.6"])
    assert {d["kind"] for d in other["discrepancies"]} == {
        "version-not-tested",
        "version-not-claimed",
    }


def test_octt_warnings_are_counted_per_profile() -> None:
    result = _assess([_case("TC_B_01_CS", "pass", octt="warning")], ["core"])
    assert result["profiles"][0]["octt_warnings"] == 1
    assert _status(result, "core") == "verified"  # a warning does not change the spec verdict


def test_coverage_counts_the_oca_catalogue_honestly() -> None:
    rows = {r["profile"]: r for r in coverage("charging-station", "2.0.1", {"TC_B_01_CS"})}
    core = rows["core"]
    assert core["mandatory"] == {"catalogue": 104, "implemented": 1}
    assert "TC_B_01_CS" not in {m["id"] for m in core["missing_mandatory"]}
    assert len(core["missing_mandatory"]) == 103
    assert coverage_sentence(core, "2.0.1") == (
        "Core: 1 of 104 mandatory OCA cases implemented in this harness version"
    )
    v16 = {r["profile"]: r for r in coverage("charging-station", "1.6", set())}
    assert not v16["core"]["graded"]
    assert "OCA OCPP 1.6 cases" in coverage_sentence(v16["core"], "1.6")


def _diff_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    before = results_document(sample_run(claims=claims("core")), with_traces=False)
    after = results_document(sample_run(claims=claims("core")), with_traces=False)
    for case in before["cases"]:
        if case["id"] == "TC_B_06_CS":
            case["verdict"] = "pass"  # fixed firmware before, broken after
        if case["id"] == "TC_B_09_CS":
            case["verdict"] = "fail"
    after["cases"] = [c for c in after["cases"] if c["id"] != "TC_K_01_CS"]
    after["cases"].append({**after["cases"][0], "id": "TC_B_04_CS", "title": "new case"})
    before["profiles"][0]["status"] = "verified"
    return before, after


def test_diff_lists_regressions_fixes_new_removed_and_profile_changes() -> None:
    before, after = _diff_pair()
    diff = compare(before, after)
    assert [(c["id"], c["before"], c["after"]) for c in diff["regressions"]] == [
        ("TC_B_06_CS", "pass", "fail")
    ]
    assert [c["id"] for c in diff["changed"]] == ["TC_B_09_CS"]  # fail -> error
    assert [c["id"] for c in diff["new"]] == ["TC_B_04_CS"]
    assert [c["id"] for c in diff["removed"]] == ["TC_K_01_CS"]
    assert next((p["profile"], p["before"], p["after"], p["worse"]) for p in diff["profiles"]) == (
        "core",
        "verified",
        "failed",
        True,
    )
    assert diff["exit_code"] == 1
    text = "\n".join(diff_lines(diff))
    assert "Regressions (1):" in text
    assert "TC_B_06_CS" in text
    assert "Result: REGRESSED (exit 1)" in text


def test_diff_of_a_run_with_itself_has_no_regression() -> None:
    document = results_document(sample_run(), with_traces=False)
    diff = compare(document, document)
    assert diff["exit_code"] == 0
    assert not diff["regressions"]
    assert not diff["profiles"]
    assert [c["id"] for c in diff["still_failing"]] == ["TC_B_02_CS", "TC_B_06_CS", "TC_B_09_CS"]
