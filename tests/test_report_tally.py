"""pytest's own counts agree with the harness's verdicts (issue 7 item 9).

A crafted module of OCA cases, one per verdict (and a case whose failure only shows at teardown,
after its call passed), runs in a child pytest; its summary line must count exactly what
results.json counts: PASS as passed, FAIL as failed, ERROR as error, INCONCLUSIVE and
NOT-APPLICABLE as skipped — and a verdict ERROR or FAIL never as passed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.report.schema import load_results

ROOT = Path(__file__).resolve().parents[1]

CASES = """
from collections.abc import Iterator

import pytest

from harness import oca
from harness.verdicts import Inconclusive, NotApplicable, SutFailure

V2 = ("2.0.1",)


@pytest.fixture
def breaks_at_teardown() -> Iterator[None]:
    yield
    raise SutFailure("B01.FR.05", "no CALL after the case", "a StatusNotification at teardown")


@pytest.fixture
def harness_bug_at_teardown() -> Iterator[None]:
    yield
    raise KeyError("cleanup")


@oca("TC_B_01_CS", "passes", profile="core", versions=V2, kills=("boot-skips-status",))
def test_passes() -> None:
    pass


@oca("TC_B_02_CS", "fails", profile="core", versions=V2, kills=("pending-sends-status",))
def test_fails() -> None:
    raise SutFailure("B02.FR.01", "Pending", "Accepted")


@oca("TC_B_03_CS", "inconclusive", profile="core", versions=V2,
     kills=("rejected-retries-immediately",))
def test_inconclusive() -> None:
    raise Inconclusive("the operator did not plug in within 2 s")


@oca("TC_B_06_CS", "not applicable", profile="core", versions=V2,
     kills=("getvariables-rejects-known",))
def test_not_applicable() -> None:
    raise NotApplicable("TriggerMessage Rejected: the SUT may refuse it")


@oca("TC_B_09_CS", "harness error", profile="core", versions=V2,
     kills=("config-change-not-applied",))
def test_harness_error() -> None:
    raise KeyError("oops")


@oca("TC_E_03_CS", "fails at teardown", profile="core", versions=V2,
     kills=("tx-reports-wrong-token",))
def test_fails_at_teardown(breaks_at_teardown: None) -> None:
    pass


@oca("TC_F_01_CS", "fails, then errors at teardown", profile="core", versions=V2,
     kills=("remote-start-ignored",))
def test_fails_then_errors(harness_bug_at_teardown: None) -> None:
    raise SutFailure("F01.FR.01", "Accepted", "Rejected")
"""


@dataclass(frozen=True)
class Mixed:
    """The child run: its terminal output, pytest's summary counts and the harness's counts."""

    output: str
    pytest_counts: dict[str, int]
    counts: dict[str, int]


def _summary_counts(output: str) -> dict[str, int]:
    summary = re.compile(r"\d+ (passed|failed|skipped|errors?|deselected).* in [\d.]+s")
    last = [line for line in output.splitlines() if summary.search(line)][-1]
    return {
        word.rstrip("s") if word in ("errors",) else word: int(n)
        for n, word in re.findall(r"(\d+) (passed|failed|skipped|errors?|deselected)", last)
    }


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Mixed:
    from harness.reference.faults import FAULTS

    base = tmp_path_factory.mktemp("mixed")
    cases = CASES
    if "remote-start-ignored" not in FAULTS:  # any known fault will do for a crafted case
        cases = cases.replace("remote-start-ignored", sorted(FAULTS)[0])
    (base / "test_mixed.py").write_text(cases, "utf-8")
    report = base / "report"
    args = ["--ocpp-sut", "reference-station-v201", "--ocpp-report", str(report), "-rA"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "test_mixed.py", "-p", "no:cacheprovider", *args],
        cwd=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    document = load_results(report / "results.json")  # schema-valid
    return Mixed(result.stdout, _summary_counts(result.stdout), document["run"]["counts"])


def test_pytest_counts_each_case_once_in_its_verdicts_category(mixed: Mixed) -> None:
    assert mixed.counts == {
        "pass": 1,
        "fail": 2,
        "inconclusive": 1,
        "not-applicable": 1,
        "error": 2,
    }
    assert mixed.pytest_counts == {
        "passed": mixed.counts["pass"],
        "failed": mixed.counts["fail"],
        "error": mixed.counts["error"],
        "skipped": mixed.counts["inconclusive"] + mixed.counts["not-applicable"],
    }, mixed.output


def test_an_error_or_a_failure_at_teardown_is_never_counted_as_passed(mixed: Mixed) -> None:
    assert "PASSED test_mixed.py::test_fails_at_teardown" not in mixed.output
    assert "PASSED test_mixed.py::test_harness_error" not in mixed.output
    assert "FAILED test_mixed.py::test_fails_at_teardown" in mixed.output
    assert "ERROR test_mixed.py::test_harness_error" in mixed.output
    # the second problem of one case is shown with the counted one, not counted again
    assert "also at teardown" in mixed.output
    assert "KeyError: 'cleanup'" in mixed.output


def test_skips_say_which_verdict_they_are(mixed: Mixed) -> None:
    assert "INCONCLUSIVE: the operator did not plug in within 2 s" in mixed.output
    assert "NOT-APPLICABLE: TriggerMessage Rejected" in mixed.output


def test_a_real_run_with_a_fault_counts_the_same_in_pytest_and_in_the_report(
    tmp_path: Path,
) -> None:
    """The built-in station with a seeded fault: a FAIL, and whatever else follows from it (block
    B, where GetVariables is used most: the whole suite would take minutes and show no more)."""
    report = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "testcases", "-p", "no:cacheprovider", "-q",
         "--ocpp-sut", "reference-station-v201", "--ocpp-report", str(report),
         "--ocpp-fault", "getvariables-rejects-known", "--oca", "TC_B_*"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    counts = load_results(report / "results.json")["run"]["counts"]
    assert counts["fail"] >= 1, result.stdout[-3000:]
    seen = _summary_counts(result.stdout)
    assert seen.get("passed", 0) == counts["pass"]
    assert seen.get("failed", 0) == counts["fail"]
    assert seen.get("error", 0) == counts["error"]
    assert seen.get("skipped", 0) == counts["inconclusive"] + counts["not-applicable"]
