"""Per-session state of one harness run: the SUT profile, the verdict of every case, the traces.

The :class:`HarnessRun` is registered as a pytest plugin object (STYLE: pytest-xdist habit) and
turns pytest's phase reports into one verdict per OCA case (DESIGN §5): a :class:`SutFailure` is a
FAIL, :class:`Inconclusive` is INCONCLUSIVE (reported to pytest as skipped), a skip is
NOT-APPLICABLE and any other exception is an ERROR — a bug of ours, reported as such.

It also remembers every case collected for the SUT's role and version (:class:`PlannedCase`),
so the report can tell a profile whose cases all passed from one whose cases were not all run.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness import __version__
from harness.config import SutProfile
from harness.testcase import OcaCase, case_of
from harness.trace import Trace
from harness.verdicts import Finding, Inconclusive, NotApplicable, SutFailure, Verdict

TRACE_KEY = pytest.StashKey[Trace]()
FINDINGS_KEY = pytest.StashKey[list[Finding]]()

_SEVERITY = {
    Verdict.PASS: 0,
    Verdict.NOT_APPLICABLE: 1,
    Verdict.INCONCLUSIVE: 2,
    Verdict.FAIL: 3,
    Verdict.ERROR: 4,
}


@dataclass
class CaseRecord:
    """The verdict of one OCA case for one OCPP version, with its evidence."""

    id: str
    title: str
    profile: str
    role: str
    version: str
    nodeid: str
    kills: tuple[str, ...]
    verdict: Verdict = Verdict.PASS
    duration_s: float = 0.0
    reason: str = ""
    failed_requirement: str | None = None
    expected: str | None = None
    actual: str | None = None
    trace: Trace | None = None
    findings: list[Finding] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    #: ``seq`` of the last trace entry when the failure was raised (frames after it are cleanup).
    failure_seq: int | None = None

    @property
    def key(self) -> str:
        return f"{self.id}-{self.version}"


@dataclass(frozen=True, slots=True)
class PlannedCase:
    """A case collected for this SUT (its role and version), whether or not it ends up running."""

    id: str
    title: str
    profile: str
    nodeid: str
    not_applicable: str | None


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class HarnessRun:
    """Collects verdicts during the session and hands them to the reporters at the end."""

    def __init__(
        self, profile: SutProfile, faults: frozenset[str], report_dir: Path | None
    ) -> None:
        self.profile = profile
        self.faults = faults
        self.report_dir = report_dir
        self.records: dict[str, CaseRecord] = {}
        self.started = utc_now()
        self.finished = ""
        self.sut_identity: dict[str, Any] = {}
        self.harness_version = __version__
        #: Cases collected for the SUT's role and version, by node id (before any deselection).
        self.planned: dict[str, PlannedCase] = {}
        self.deselected: set[str] = set()
        #: The ``--ocpp-claims`` file, when the claims did not come from the SUT profile.
        self.claims_file: Path | None = None
        self.oca_patterns: tuple[str, ...] = ()
        #: Frames that arrived outside any case (at connect, at boot, between cases): shown in
        #: the report as the session's "between cases" trace, never blamed on a case.
        self.between_cases: Trace | None = None
        self._config: pytest.Config | None = None
        self._t0 = time.monotonic()

    @property
    def version(self) -> str:
        return str(self.profile.sut.ocpp)

    # -- pytest hooks ---------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Remember the cases for this SUT before ``--oca`` / ``-k`` deselect any of them."""
        sut = self.profile.sut
        for item in items:
            case = case_of(item)
            if case is not None and case.role == sut.role and self.version in case.versions:
                self.planned[item.nodeid] = PlannedCase(
                    case.id,
                    case.title,
                    case.profile,
                    item.nodeid,
                    case.not_applicable(self.profile),
                )

    def pytest_deselected(self, items: Sequence[pytest.Item]) -> None:
        self.deselected.update(item.nodeid for item in items)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self._config = session.config

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Name an OCA case's JUnit test case after its OCA id, before junitxml records it."""
        if self._config is not None and report.user_properties:
            from harness.report.junit import name_testcase

            name_testcase(self._config, report)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        case = case_of(item)
        if case is not None:
            self._observe(case, item, call, report)
        return report

    def _observe(
        self,
        case: OcaCase,
        item: pytest.Item,
        call: pytest.CallInfo[None],
        report: pytest.TestReport,
    ) -> None:
        record = self.records.get(item.nodeid)
        if record is None:
            record = self.records[item.nodeid] = self._new_record(case, item)
        record.duration_s += report.duration
        record.trace = item.stash.get(TRACE_KEY, record.trace)
        record.findings = item.stash.get(FINDINGS_KEY, record.findings)
        verdict, reason = self._verdict_of(call)
        if verdict in (Verdict.INCONCLUSIVE, Verdict.NOT_APPLICABLE) and report.failed:
            report.outcome = "skipped"
            label = "INCONCLUSIVE" if verdict is Verdict.INCONCLUSIVE else "NOT-APPLICABLE"
            report.longrepr = (str(item.path), 0, f"{label}: {reason}")
        if _SEVERITY[verdict] > _SEVERITY[record.verdict]:
            record.verdict = verdict
            record.reason = reason
            exc = call.excinfo.value if call.excinfo is not None else None
            if isinstance(exc, SutFailure):
                record.failed_requirement = exc.requirement
                record.expected = exc.expected
                record.actual = exc.actual
            if record.trace is not None and len(record.trace):
                record.failure_seq = record.trace.entries()[-1].seq
        if report.failed and record.trace is not None:
            report.sections.append(("OCPP trace", record.trace.render()))
        # The OCA id on every phase's report names the JUnit test case (harness.report.junit).
        report.user_properties.append(("oca_id", case.id))
        if report.when == "teardown":
            report.user_properties.extend(
                [
                    ("verdict", record.verdict.value),
                    ("profile", case.profile),
                    ("version", record.version),
                    ("title", case.title),
                    ("test", item.name),
                ]
            )

    def _new_record(self, case: OcaCase, item: pytest.Item) -> CaseRecord:
        return CaseRecord(
            case.id, case.title, case.profile, str(case.role), self.version, item.nodeid, case.kills
        )

    @staticmethod
    def _verdict_of(call: pytest.CallInfo[None]) -> tuple[Verdict, str]:
        if call.excinfo is None:
            return Verdict.PASS, ""
        exc = call.excinfo.value
        if isinstance(exc, SutFailure):
            return Verdict.FAIL, f"{exc.requirement}: expected {exc.expected}; actual {exc.actual}"
        if isinstance(exc, Inconclusive):
            return Verdict.INCONCLUSIVE, str(exc)
        if isinstance(exc, NotApplicable):
            return Verdict.NOT_APPLICABLE, str(exc)
        if call.excinfo.errisinstance(pytest.skip.Exception):
            return Verdict.NOT_APPLICABLE, str(getattr(exc, "msg", exc))
        return Verdict.ERROR, f"harness error: {type(exc).__name__}: {exc}"

    # -- results --------------------------------------------------------------------------------
    def finish(self) -> None:
        self.finished = utc_now()

    @property
    def duration_s(self) -> float:
        return time.monotonic() - self._t0

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for record in self.records.values():
            out[record.verdict.value] += 1
        return out
