"""pytest's own counts agree with the verdicts: one OCA case, one count, in its verdict's category.

An OCA case's phase reports (setup, call, teardown) are logged together once it has finished
(:meth:`harness.run.HarnessRun.pytest_runtest_protocol`), and :func:`settle` marks which one
counts: the first that shows the verdict (failed for FAIL and ERROR, skipped for INCONCLUSIVE
and NOT-APPLICABLE, the call for a pass). pytest's summary line then reads PASS as passed, FAIL
as failed, ERROR as error and INCONCLUSIVE/NOT-APPLICABLE as skipped; a second problem of the
same case (a teardown failure after a failed call) is shown in the counted report's sections
instead of being counted twice, and an ERROR is never counted as passed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from harness.verdicts import Verdict

#: The pytest category (summary line) each verdict is counted in, its letter and verbose word.
TALLY = {
    Verdict.PASS: ("passed", ".", "PASSED"),
    Verdict.FAIL: ("failed", "F", "FAILED"),
    Verdict.ERROR: ("error", "E", "ERROR"),
    Verdict.INCONCLUSIVE: ("skipped", "s", "INCONCLUSIVE"),
    Verdict.NOT_APPLICABLE: ("skipped", "s", "NOT-APPLICABLE"),
}
#: The report attribute holding the verdict a phase report is counted as ("" = not counted);
#: a plain attribute, so it survives xdist's report serialisation.
TALLY_ATTR = "ocpp_tally"
_COLOUR = {"passed": "green", "skipped": "yellow", "failed": "red", "error": "red"}

TestStatus = tuple[str, str, str | tuple[str, dict[str, bool]]]


def settle(verdict: Verdict, reports: Sequence[pytest.TestReport]) -> None:
    """Mark the one report of a case that pytest counts, in ``verdict``'s category."""
    want = {Verdict.PASS: "passed", Verdict.FAIL: "failed", Verdict.ERROR: "failed"}.get(
        verdict, "skipped"
    )
    counted = next(
        (r for r in reports if r.outcome == want and (want != "passed" or r.when == "call")),
        None,
    )
    if counted is None:
        counted = next((r for r in reports if not r.passed), reports[-1])
    for report in reports:
        setattr(report, TALLY_ATTR, verdict.value if report is counted else "")
        if report is not counted and not report.passed:
            counted.sections.append((f"also at {report.when}", _longrepr_text(report)))


def teststatus(report: pytest.TestReport) -> TestStatus | None:
    """What ``pytest_report_teststatus`` answers for a settled report (None: not an OCA case)."""
    tally = getattr(report, TALLY_ATTR, None)
    if tally is None:
        return None
    if not tally:
        return "", "", ""
    category, letter, word = TALLY[Verdict(tally)]
    return category, letter, (word, {_COLOUR[category]: True})


def _longrepr_text(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        return str(longrepr[2])
    return str(longrepr)
