"""Live progress on the terminal: a line when an OCA case starts and when it ends, and what a
long wait waits for (issue 8 item 2). Under ``pytest -q``, plain ``pytest`` and ``ocpp-harness
run`` alike::

    TC_B_01_CS  (1/25) Cold Boot Charging Station - Accepted ...
    TC_B_01_CS  ... waiting up to 30 s for BootNotification
    TC_B_01_CS  PASS  2.1 s
    TC_B_02_CS  (2/25) Cold Boot Charging Station - Pending ...
    TC_B_02_CS  FAIL  30.2 s  B02.FR.01: ...

* The ids are padded to one column; every line starts with the id of the case it belongs to,
  so ``grep TC_B_02_CS`` on a CI log finds the whole story of a case. A case that did not pass
  ends with its failed requirement or reason (shortened; the summary and the report have it
  all).
* These lines take the place of pytest's dots for the OCA cases (pytest's counts and summary are
  unchanged). With ``-v`` pytest prints a line per test itself: then only the waits are added.
* A wait announced by :mod:`harness.progress` (longer than a few seconds) is a ``...`` line.
* On a terminal the verdict is coloured through pytest's terminal writer; anywhere else (a CI
  log, a pipe, a file) the lines are plain text: no escape codes, no carriage returns.
* Output capture is suspended while a line is written inside a test phase, so the lines reach
  the terminal as they happen and never end up in a case's captured output, results.json or
  any report file.

``--ocpp-progress off`` (ini ``ocpp_progress``) leaves pytest's output as it is.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import pytest

from harness import progress
from harness.testcase import OcaCase, case_of
from harness.verdicts import Verdict

if TYPE_CHECKING:
    from harness.report.tally import TestStatus
    from harness.run import CaseRecord

PLUGIN_NAME = "ocpp-harness-progress"
MODES = ("auto", "off")
#: How much of a reason an end line shows (the summary and the report show all of it).
REASON_CHARS = 100
#: Widest id column (longer ids just push the rest of their line to the right).
ID_COLUMN = 24

_VERDICT_MARKUP = {
    Verdict.PASS: {"green": True},
    Verdict.FAIL: {"red": True, "bold": True},
    Verdict.ERROR: {"red": True, "bold": True},
    Verdict.INCONCLUSIVE: {"yellow": True},
    Verdict.NOT_APPLICABLE: {"yellow": True},
}


def mode_of(config: pytest.Config) -> str:
    """``--ocpp-progress`` or its ini key ``ocpp_progress`` (``auto`` when neither is set)."""
    value = config.getoption("ocpp_progress", None) or config.getini("ocpp_progress") or "auto"
    mode = str(value).strip().lower()
    if mode not in MODES:
        raise pytest.UsageError(
            f"--ocpp-progress / ocpp_progress: {value!r} is not one of {', '.join(MODES)}"
        )
    return mode


def register(config: pytest.Config) -> None:
    """Register the progress reporter unless progress is off or this is an xdist worker (whose
    output nobody sees)."""
    if mode_of(config) == "off" or hasattr(config, "workerinput"):
        return
    config.pluginmanager.register(ProgressReporter(config), PLUGIN_NAME)


class ProgressReporter:
    """The pytest plugin object behind the progress lines (see the module doc)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        #: The OCA cases that will run, by node id.
        self.cases: dict[str, OcaCase] = {}
        #: Start and end lines per case (off with -v: pytest prints a line per test then).
        self.case_lines = False
        self._width = 0
        self._started = 0
        self._current: OcaCase | None = None
        self._phase = 0
        self._installed = False
        self._previous_sink: progress.Sink | None = None

    @property
    def _terminal(self) -> pytest.TerminalReporter | None:
        plugin = self.config.pluginmanager.getplugin("terminalreporter")
        return plugin if isinstance(plugin, pytest.TerminalReporter) else None

    # -- set-up -----------------------------------------------------------------------------
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Know the selected cases; take over pytest's dots for them; start announcing waits."""
        for item in session.items:
            case = case_of(item)
            if case is not None:
                self.cases[item.nodeid] = case
        terminal = self._terminal
        if not self.cases or terminal is None:
            return
        self._width = min(max(len(c.id) for c in self.cases.values()), ID_COLUMN)
        verbosity = self.config.get_verbosity(pytest.Config.VERBOSITY_TEST_CASES)
        self.case_lines = verbosity <= 0
        if self.case_lines and len(self.cases) == len(session.items):
            # every test is an OCA case: the case lines say where the run is; pytest's file
            # names and percentages would only break them up
            terminal.showfspath = False
            if hasattr(terminal, "_show_progress_info"):
                terminal._show_progress_info = False
        self._previous_sink = progress.set_sink(self._announce)
        self._installed = True

    def pytest_unconfigure(self) -> None:
        if self._installed and progress.current_sink() == self._announce:
            progress.set_sink(self._previous_sink)
        self._installed = False

    # -- a case starts and ends -------------------------------------------------------------
    def pytest_runtest_logstart(self, nodeid: str) -> None:
        case = self.cases.get(nodeid)
        self._current = case
        if case is None or not self.case_lines:
            return
        self._started += 1
        if self._started == 1 and self.config.get_verbosity() >= 0:
            self._write()  # below pytest's "collected ..." line, as its own file lines would be
        self._write(
            (self._id(case), {"bold": True}),
            (f"({self._started}/{len(self.cases)}) {case.title} ...", {}),
        )

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        case = self.cases.get(nodeid)
        self._current = None
        if case is None or not self.case_lines:
            return
        from harness.fixtures import RUN_KEY

        run = self.config.stash.get(RUN_KEY, None)
        record = run.records.get(nodeid) if run is not None else None
        self._write(*end_line(self._id(case), record))

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(
        self, report: pytest.TestReport
    ) -> Generator[None, TestStatus | None, TestStatus | None]:
        """No dot (or F, E, s) for an OCA case whose progress lines are printed: its end line
        says the verdict. The category (pytest's counts) and the verbose word stay."""
        status = yield
        if self.case_lines and status and status[1] and report.nodeid in self.cases:
            return status[0], "", status[2]
        return status

    # -- waits ------------------------------------------------------------------------------
    def _announce(self, text: str) -> None:
        """The sink of :mod:`harness.progress`: one line under the running case."""
        if threading.current_thread() is not threading.main_thread():
            return  # the terminal writer and output capture belong to the main thread
        prefix = self._id(self._current) if self._current is not None else " " * self._width
        self._write((prefix, {}), (f"... {text}", {"cyan": True}))

    # Output capture is active inside the test phases only; a line written there suspends it.
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self) -> Generator[None, None, None]:
        with self._in_phase():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self) -> Generator[None, None, None]:
        with self._in_phase():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self) -> Generator[None, None, None]:
        with self._in_phase():
            return (yield)

    @contextlib.contextmanager
    def _in_phase(self) -> Generator[None, None, None]:
        self._phase += 1
        try:
            yield
        finally:
            self._phase -= 1

    # -- writing ----------------------------------------------------------------------------
    def _id(self, case: OcaCase) -> str:
        return f"{case.id:<{self._width}}  "

    def _write(self, *parts: tuple[str, dict[str, bool]]) -> None:
        """One line on the terminal, in order with pytest's own output (see the module doc)."""
        terminal = self._terminal
        if terminal is None:
            return
        capture = self.config.pluginmanager.getplugin("capturemanager")
        suspended = (
            capture.global_and_fixture_disabled()
            if capture is not None and self._phase and _capturing(capture)
            else contextlib.nullcontext()
        )
        with suspended:
            terminal.ensure_newline()
            writer = getattr(terminal, "_tw", None)
            if getattr(writer, "width_of_current_line", 0):
                terminal.line("")  # after the dots of a test that is no OCA case
            for text, markup in parts:
                terminal.write(text, **markup)
            terminal.line("")
            terminal.flush()


def _capturing(capture: Any) -> bool:
    """Whether pytest's global capture is on right now: not when a test phase already suspended
    it (an operator prompt waits with capture suspended), so a line written then does not turn
    it back on early. Without a way to tell, inside a test phase it is."""
    is_started = getattr(getattr(capture, "_global_capturing", None), "is_started", None)
    return bool(is_started()) if callable(is_started) else True


def end_line(prefix: str, record: CaseRecord | None) -> tuple[tuple[str, dict[str, bool]], ...]:
    """The parts of a case's end line: id, verdict, seconds, and why when it did not pass."""
    if record is None or not record.complete:
        return (prefix, {}), ("no verdict (interrupted)", {"yellow": True})
    verdict = record.verdict
    text = f"{verdict.value.upper()}  {record.duration_s:.1f} s"
    why = record.reason
    if record.failed_requirement:  # a FAIL: the rule and what happened instead
        why = record.failed_requirement + (f": {record.actual}" if record.actual else "")
    why = " ".join(why.split())
    if verdict is not Verdict.PASS and why:
        short = why if len(why) <= REASON_CHARS else why[: REASON_CHARS - 3] + "..."
        text += f"  {short}"
    return (prefix, {}), (text, _VERDICT_MARKUP[verdict])
