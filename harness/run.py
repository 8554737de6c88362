"""Per-session state of one harness run: the SUT profile, the verdict of every case, the traces.

The :class:`HarnessRun` is registered as a pytest plugin object (STYLE: pytest-xdist habit) and
turns pytest's phase reports into one verdict per OCA case (DESIGN §5): a :class:`SutFailure` is a
FAIL, :class:`Inconclusive` is INCONCLUSIVE (reported to pytest as skipped), a skip is
NOT-APPLICABLE and any other exception is an ERROR — a bug of ours, reported as such.

It also remembers every case collected for the SUT's role and version (:class:`PlannedCase`),
so the report can tell a profile whose cases all passed from one whose cases were not all run.

pytest's own counts agree with the verdicts: the phase reports of an OCA case are logged together
once the case has finished, and exactly one of them is counted, in the category of the case's
verdict (:mod:`harness.report.tally`).

With ``--ocpp-report`` each finished case is written as it ends (:mod:`harness.report.live`), and
SIGTERM / SIGINT stop the run in order (:mod:`harness.interrupt`), so an interrupted run still
leaves the report of every case it finished, marked interrupted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest.runner import runtestprotocol

from harness import __version__
from harness.config import SutProfile
from harness.interrupt import StopOnSignal
from harness.testcase import OcaCase, case_of
from harness.trace import Trace
from harness.verdicts import Axis, Finding, Inconclusive, NotApplicable, SutFailure, Verdict

if TYPE_CHECKING:
    from harness.report.live import LiveReport
    from harness.report.tally import TestStatus

TRACE_KEY = pytest.StashKey[Trace]()
#: Frames shown before and after the failing one in a failure's "OCPP trace" section.
EXCERPT_FRAMES = 4
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
    #: When the case started (its setup began), ISO 8601 UTC.
    started: str = field(default_factory=lambda: utc_now("milliseconds"))
    #: ``seq`` of the last trace entry when the failure was raised (frames after it are cleanup).
    failure_seq: int | None = None
    #: False while the case runs; a case interrupted before its teardown ended never counts.
    complete: bool = True

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


def utc_now(timespec: str = "seconds") -> str:
    """The current UTC time in ISO 8601 (``timespec`` as :meth:`datetime.isoformat` takes it)."""
    return datetime.now(UTC).isoformat(timespec=timespec)


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
        #: Why the run ended before every case ran ("SIGTERM", "KeyboardInterrupt", ...), or None.
        self.interruption: str | None = None
        #: The report written case by case (``--ocpp-report``), once collection is done.
        self.live: LiveReport | None = None
        self.stop = StopOnSignal(self._stop)
        self._session: pytest.Session | None = None
        self._config: pytest.Config | None = None
        self._t0 = time.monotonic()
        self._starts: dict[str, str] = {}
        #: The case running now, and the cases a signal cut short (no verdict for them).
        self._running: str | None = None
        self._cut_short: set[str] = set()
        #: Set when the profile cannot work here (port in use, CSMS unreachable): nothing ran.
        self.setup_error: str | None = None
        #: Spec warnings about the profile itself (security profile 0 with 2.x), on every case.
        self.profile_findings = [
            Finding(Axis.SPEC, "Part 2 §A00", text) for text in profile.warnings
        ]

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
        self._session = session
        self._config = session.config
        self.stop.install()

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """^C, SIGTERM or ``pytest.exit`` reached pytest: the running case gets no verdict."""
        exc = excinfo.value
        self.stop.note(f"pytest.exit: {exc}" if excinfo.typename == "Exit" else "SIGINT")
        if self._running is not None:
            self._cut_short.add(self._running)

    def _stop(self, signal_name: str) -> None:
        """A stop signal: no further case starts, the running one gets no verdict."""
        if self._session is not None:
            self._session.shouldstop = f"{signal_name}: stopping after the current case"
        if self._running is not None:
            self._cut_short.add(self._running)

    def pytest_unconfigure(self) -> None:
        self.stop.uninstall()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """With a report directory: clear what an earlier run left there, write the first
        snapshot (every collected case not reached yet)."""
        if self.report_dir is not None and not hasattr(session.config, "workerinput"):
            from harness.report.live import LiveReport  # (not in an xdist worker: one writer)

            self.live = LiveReport(self.report_dir)
            self.live.begin(self)

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        """A case starts when its setup starts (fixtures that restore preconditions included)."""
        self._starts[nodeid] = utc_now("milliseconds")
        self._running = nodeid

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        """A finished case goes into the report at once (its files, results.json, index.html)."""
        self._running = None
        record = self.records.get(nodeid)
        if record is not None and record.complete and self.live is not None:
            try:
                self.live.case_finished(self, record)
            except Exception as exc:  # the run goes on; the final write tries again
                sys.stderr.write(
                    "ocpp-harness: cannot update the report as cases end "
                    f"({type(exc).__name__}: {exc}); it is written when the run ends\n"
                )
                self.live = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> bool | None:
        """Run an OCA case's phases, then log their reports with the case's verdict settled."""
        if case_of(item) is None:
            return None
        ihook = item.ihook
        ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        reports = runtestprotocol(item, log=False, nextitem=nextitem)
        record = self.records.get(item.nodeid)
        if record is not None:
            from harness.report.tally import settle

            settle(record.verdict, reports)
        for report in reports:
            ihook.pytest_runtest_logreport(report=report)
        ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> TestStatus | None:
        """Count an OCA case once, in its verdict's category (:mod:`harness.report.tally`)."""
        if not hasattr(report, "ocpp_tally"):
            return None
        from harness.report.tally import teststatus

        return teststatus(report)

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
        record.complete = report.when == "teardown" and item.nodeid not in self._cut_short
        record.trace = item.stash.get(TRACE_KEY, record.trace)
        findings = item.stash.get(FINDINGS_KEY, None)
        if findings is not None:
            record.findings = [*self.profile_findings, *findings]
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
            report.sections.append(("OCPP trace", self._trace_excerpt(record, record.trace)))
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

    def _trace_excerpt(self, record: CaseRecord, trace: Trace) -> str:
        """A failure's terminal section (issue 8 item 8: bounded terminal output): the failing
        frame with a few frames around it, and where the whole trace is."""
        from harness.report.results import failing_frame

        seq = failing_frame(record) or record.failure_seq
        text = trace.excerpt(seq, before=EXCERPT_FRAMES, after=EXCERPT_FRAMES)
        kept = f"{len(trace)} entries" + (
            f", {trace.dropped} more not kept" if trace.dropped else ""
        )
        if self.report_dir is None:
            return f"{text}\nwhole trace ({kept}): run with --ocpp-report DIR to keep it"
        return f"{text}\nwhole trace ({kept}): {self.report_dir / 'cases' / record.key}.html"

    def _new_record(self, case: OcaCase, item: pytest.Item) -> CaseRecord:
        record = CaseRecord(
            case.id, case.title, case.profile, str(case.role), self.version, item.nodeid, case.kills
        )
        record.started = self._starts.get(item.nodeid, record.started)
        record.findings = list(self.profile_findings)
        record.complete = False
        return record

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
    def finish(self, exitstatus: int = 0) -> None:
        """The session ended: note when, and whether it was cut short (signal, ^C, crash)."""
        self.finished = utc_now()
        if self.interruption is None:
            if self.stop.received is not None:
                self.interruption = self.stop.received
            elif exitstatus == pytest.ExitCode.INTERRUPTED:
                self.interruption = "KeyboardInterrupt"
            elif exitstatus == pytest.ExitCode.INTERNAL_ERROR:
                self.interruption = "internal error"

    def finished_records(self) -> list[CaseRecord]:
        """The cases that ran to the end of their teardown: the only ones with a verdict."""
        return [r for r in self.records.values() if r.complete]

    @property
    def duration_s(self) -> float:
        return time.monotonic() - self._t0

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for record in self.finished_records():
            out[record.verdict.value] += 1
        return out
