"""The per-case view a harness peer keeps of its SUT: trace, inbox, replies and violations.

Everything here runs in the background as frames arrive: CALLs from the SUT are queued for the
script (or answered with the default reply at once, DESIGN §5), protocol violations are collected
and surface at the script's next step, and every change wakes whoever waits.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from harness.checks import TIME_DEVIATION_S
from harness.ocppj.frames import Call, CallError, CallResult, CallResultError
from harness.ocppj.session import Received
from harness.peers.exchange import InboundCall, trim_settled
from harness.peers.limits import (
    BETWEEN_INBOX,
    BETWEEN_TRACE,
    BURST_REQUIREMENT,
    BURST_REQUIREMENT_2X,
    CASE_TRACE,
    FLOOD_CHARS,
    LAST_FRAMES,
    LEAN_CASE_TRACE,
    MAX_INBOX,
    MAX_VIOLATIONS,
    RPC_REQUIREMENT,
    SESSION_TRACE_CHARS,
    flood_failure,
)
from harness.peers.matching import mismatches
from harness.peers.replies import DefaultReplies
from harness.strict import StrictChecker
from harness.trace import Trace
from harness.transport.link import Link
from harness.verdicts import Axis, Finding, HarnessError, Inconclusive, SutFailure

if TYPE_CHECKING:
    from harness.peers.tls_setup import SessionTls


class PeerView(DefaultReplies):
    """State and background handling shared by :class:`CsmsPeer` and :class:`StationPeer`."""

    def __init__(self, version: str, *, response_s: float, action_s: float) -> None:
        super().__init__()
        self.version = version
        self.response_s = response_s
        self.action_s = action_s
        #: How far a time the SUT reports may be from the harness's (``timeouts.clock_deviation_s``).
        self.clock_deviation_s = TIME_DEVIATION_S
        #: Security profile 2/3: the session's TLS (contexts, trust anchor, PKI), else None.
        self.tls: SessionTls | None = None
        self.link: Link | None = None
        #: Frames outside any case (connect, boot, restores): never blamed on a case.
        self.between = Trace("between cases", **BETWEEN_TRACE)
        self.trace = self.between
        #: Frame text the traces of the cases so far kept (see :data:`SESSION_TRACE_CHARS`).
        self._kept_chars = 0
        self._inbox: list[InboundCall] = []
        self._call_watchers: list[asyncio.Future[None]] = []  # resolved by the SUT's next CALL
        self._flushed = 0  # inbox entries before this index are all answered
        self._responses: list[Received] = []
        self._waiters: list[tuple[str, dict[str, Any]]] = []
        self._holds: set[str] = set()
        self._forbidden: dict[str, str] = {}
        self._violations: list[str] = []
        self._violations_dropped = 0
        #: Forbidden CALLs and bursts past :data:`MAX_VIOLATIONS` (counted in "+N more").
        self._breaches_dropped = 0
        self._too_big: str | None = None  # what the SUT sent over the frame limit (issue 8)
        #: Rules the SUT broke in the background this case: a forbidden CALL (always judged)
        #: and, in 2.x, a burst of CALLs (a protocol violation: not judged while the case
        #: tolerates violations). The first one fails the case's next step.
        self._breaches: list[tuple[str, str, str]] = []
        self._burst_breaches: list[tuple[str, str, str]] = []
        self._received_chars = 0
        self._flooded = False
        self._raw_ids: set[str] = set()
        self._arrival: asyncio.Future[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._waits = 0  # script waits under way (they scan the inbox by index)
        self._tx_counter = 0
        self.tolerate_violations = False
        #: Warnings of the current case (they do not change its verdict).
        self.findings: list[Finding] = []
        #: Stricter-than-schema checks of every schema-valid frame the SUT sends (warnings).
        self.strict = StrictChecker(toward_station=self.table == "station")

    # -- per test case ---------------------------------------------------------------------
    def begin_case(self, name: str) -> Trace:
        """Start a fresh view for one test case and return its trace."""
        spent = self._kept_chars >= SESSION_TRACE_CHARS
        self.trace = Trace(name, **(LEAN_CASE_TRACE if spent else CASE_TRACE))
        if self.link is not None:
            self.link.trace = self.trace
        self._inbox.clear()
        self._flushed = 0
        self._responses.clear()
        self._waiters.clear()
        self._holds.clear()
        self._forbidden.clear()
        self._overrides.clear()
        self._violations.clear()
        self._violations_dropped = 0
        self._breaches.clear()
        self._burst_breaches.clear()
        self._breaches_dropped = 0
        self._too_big = None
        self._received_chars = 0
        self._flooded = False
        self._raw_ids.clear()
        self.tolerate_violations = False
        self.findings = []
        self.strict.reset()
        return self.trace

    def warn(self, axis: Axis, requirement: str, message: str) -> None:
        """Record a warning for this case (spec conformance or OCTT compatibility axis); past
        :data:`MAX_VIOLATIONS` warnings of a case, one more says how many were not kept."""
        findings = self.findings
        if len(findings) < MAX_VIOLATIONS:
            findings.append(Finding(axis, requirement, message))
        elif len(findings) == MAX_VIOLATIONS:
            findings.append(Finding(axis, "harness limit", "more warnings were not kept"))

    @property
    def in_case(self) -> bool:
        """Whether a test case is under way (otherwise frames go to :attr:`between`)."""
        return self.trace is not self.between

    async def end_case(self) -> None:
        """Answer whatever the script left unanswered; surface late violations; from here on
        frames belong to the "between cases" trace."""
        try:
            for item in self._inbox:
                if not item.replied:
                    item.held = False
                    item.consumed = True
            await self._flush_replies()
            self._raise_violations()
        finally:
            self.enter_between()

    def enter_between(self, note: str = "") -> None:
        """Record from now on into the session's "between cases" trace."""
        if self.trace is not self.between:
            self._kept_chars += self.trace.kept_chars
        self.trace = self.between
        self._forbidden.clear()
        self._holds.clear()
        if self.link is not None:
            self.link.trace = self.between
        if note:
            self.between.event(note)

    # -- receiving --------------------------------------------------------------------------
    def _attach(self, link: Link) -> None:
        link.trace = self.trace
        link.on_closed = self._link_closed
        link.on_receive = self._on_receive
        link.after_receive = self._answer_due
        link.after_due = self._replies_due
        link.answer_now = self._answer_due_now
        link.on_inspect = self._inspect
        link.on_stray = self._stray_fails_call
        self.link = link

    def _link_closed(self, link: Link) -> None:
        """A frame over the limit closed the link (issue 8 item 9): the case's next step says so
        (INCONCLUSIVE: the harness could not take the frame in, so it cannot judge the case)."""
        if link.too_big and link is self.link and self.in_case:
            self._too_big = link.too_big
            self._notify()

    def _raise_too_big(self) -> None:
        if self._too_big:
            raise Inconclusive(
                f"{self._too_big}: the harness closed the connection (code 1009, message too "
                "big) and cannot judge the case; raise the limit if such frames are legitimate"
            )

    def _inspect(self, link: Link, event: Received) -> None:
        """Every frame the SUT sends, CALLRESULTs that resolve a waiting CALL included: the
        stricter-than-schema checks (spec-axis warnings) while a case is under way."""
        if event.problem is None and self.in_case:
            self.findings.extend(self.strict.inspect(link.version, event))

    def _stray_fails_call(self, link: Link, event: Received) -> bool:
        """A response under an unknown id fails the open CALL at once, unless it answers a
        frame the script sent raw on purpose."""
        frame = event.frame
        return frame is not None and getattr(frame, "unique_id", None) not in self._raw_ids

    def _harness_delays_answer(self) -> bool:
        """Whether a CALL from the SUT waits for the script (held, claimed or in its grace):
        then a next CALL from the SUT is provoked by our delay, not a burst of its own."""
        return any(
            not item.replied and (item.held or item.claimed or item.consumed)
            for item in self._inbox[self._flushed :]
        )

    def _burst(self, link: Link, what: str) -> None:
        """A second CALL while the first is unanswered, not provoked by the harness."""
        if link.version == "1.6":
            self.warn(Axis.SPEC, BURST_REQUIREMENT, what)
        else:
            self.trace.event(what, problem=BURST_REQUIREMENT_2X)
            self._breach(self._burst_breaches, (BURST_REQUIREMENT_2X, "one CALL at a time", what))

    def _breach(self, into: list[tuple[str, str, str]], breach: tuple[str, str, str]) -> None:
        """Keep a forbidden CALL or a burst, up to :data:`MAX_VIOLATIONS` (then count it)."""
        if len(self._breaches) + len(self._burst_breaches) < MAX_VIOLATIONS:
            into.append(breach)
        else:
            self._breaches_dropped += 1

    def next_call(self) -> asyncio.Future[None]:
        """A future resolved when the SUT sends its next CALL: a CSMS under test acting on an
        operator action whose request has not returned yet (an API that answers only once the
        station has answered; see :meth:`harness.actions.SutActions.ask_csms`)."""
        watcher: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._call_watchers.append(watcher)
        return watcher

    def _on_receive(self, link: Link, event: Received) -> None:
        frame = event.frame
        self._budget(event)
        if event.warning is not None and self.in_case and not self._harness_delays_answer():
            self._burst(link, event.warning)
        if isinstance(frame, Call) and event.reply is None:
            for watcher in self._call_watchers:
                if not watcher.done():
                    watcher.set_result(None)
            self._call_watchers.clear()
            item = InboundCall(frame, link, self)
            if self._flooded:  # answered as protocol requires, but no longer kept
                self._due.append(item)
                return
            self._inbox.append(item)
            if len(self._inbox) > 2 * BETWEEN_INBOX and not self.in_case and not self._waits:
                self._inbox, self._flushed = trim_settled(self._inbox, BETWEEN_INBOX), 0
            if frame.action in self._forbidden and self.in_case:
                req = self._forbidden[frame.action]
                self._breach(
                    self._breaches,
                    (
                        req,
                        f"no {frame.action} at this step",
                        f"{frame.action} {json.dumps(frame.payload)[:300]}",
                    ),
                )
                self.trace.event(
                    f"{frame.action} received where the case forbids it",
                    problem=f"forbidden: {req}",
                )
            if any(
                a == frame.action and not mismatches(frame.payload, s) for a, s in self._waiters
            ):
                item.claimed = True
            if frame.action in self._holds:
                item.held = True
            elif not item.claimed:
                self._due.append(item)  # answered by the receive loop (:meth:`_answer_due`)
        elif isinstance(frame, (CallResult, CallError, CallResultError)):
            if not self._flooded:
                self._responses.append(event)
            if frame.unique_id in self._raw_ids:
                event = Received(event.raw, frame)  # a reply to a deliberately raw frame
        if event.problem and not self.tolerate_violations and self.in_case:
            self._violation(event.problem)
        self._notify()

    def _budget(self, event: Received) -> None:
        """Flood guard: call a flood a flood (the trace bounds itself, see :data:`CASE_TRACE`)."""
        self._received_chars += len(event.raw)
        if not self._flooded and (
            len(self._inbox) + len(self._responses) >= MAX_INBOX
            or self._received_chars > FLOOD_CHARS
        ):
            self._flooded = True  # the next wait (or the one under way) ends: _flood_failure()

    def _flood_failure(self) -> SutFailure:
        """What a flood ends a wait with, whether or not the case tolerates violations."""
        return flood_failure(self._violations, self.trace.render(last=LAST_FRAMES))

    def _violation(self, problem: str) -> None:
        if len(self._violations) < MAX_VIOLATIONS:
            self._violations.append(problem)
        else:
            self._violations_dropped += 1

    def _notify(self) -> None:
        if self._arrival is not None and not self._arrival.done():
            self._arrival.set_result(None)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def next_transaction_id(self) -> int:
        self._tx_counter += 1
        return self._tx_counter

    @property
    def last_transaction_id(self) -> int:
        """The transactionId the default reply to the last 1.6 StartTransaction gave."""
        return self._tx_counter

    async def _flush_replies(self) -> None:
        if self._due and self.link is not None:
            await self._answer_due(self.link)
        for item in self._inbox[self._flushed :]:
            if item.consumed and not item.replied and not item.held:
                await self._answer_default(item)
        # everything before the first CALL still waiting for the script is settled for good
        while self._flushed < len(self._inbox) and self._inbox[self._flushed].replied:
            self._flushed += 1

    def _raise_violations(self) -> None:
        if self.link is not None and self.link.handler_errors:
            errors, self.link.handler_errors = self.link.handler_errors, []
            raise HarnessError("error while handling received frames: " + "; ".join(errors[:3]))
        self._raise_too_big()
        if self.tolerate_violations:
            self._burst_breaches.clear()
        breaches = self._breaches + self._burst_breaches
        if breaches:
            req, expected, actual = breaches[0]
            more = len(breaches) - 1 + self._breaches_dropped
            self._breaches.clear()
            self._burst_breaches.clear()
            self._breaches_dropped = 0
            raise SutFailure(
                req,
                expected,
                actual + (f" (+{more} more)" if more > 0 else ""),
                self.trace.render(last=LAST_FRAMES),
            )
        if self._violations and not self.tolerate_violations:
            problems, self._violations = self._violations, []
            more = len(problems) - 5 + self._violations_dropped
            self._violations_dropped = 0
            raise SutFailure(
                RPC_REQUIREMENT,
                "well-formed, schema-valid OCPP-J frames",
                "; ".join(problems[:5]) + (f" (+{more} more)" if more > 0 else ""),
                self.trace.render(last=LAST_FRAMES),
            )

    async def _prepare(self) -> None:
        await self._flush_replies()
        self._raise_violations()

    # -- waiting ------------------------------------------------------------------------------
