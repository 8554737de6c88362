"""One connection of the reference station: boot, heartbeats, the sender and the CSMS's CALLs.

* Boot (OCPP 1.6 §4.2; 2.0.1 B01-B03): BootNotification until Accepted. Pending and Rejected retry
  after ``interval`` (1 s of its own when the interval is 0) and send nothing else (B02.FR.02)
  except what the CSMS triggered or asked for (B02.FR.01). Accepted sets the heartbeat interval
  and reports every connector (B01.FR.05). After a reconnect with an Accepted boot nothing is
  booted again: the connectors that changed while offline are reported (all of them after
  OfflineThreshold, B04.FR.01/02) and queued transaction messages are delivered (E12).
  Seeded faults: ``rejected-retries-immediately`` / ``pending-retries-immediately`` (the next
  BootNotification at once), ``pending-never-retries`` (no BootNotification after Pending), ``pending-sends-status`` / ``rejected-sends-status`` (its connectors reported
  while Pending / Rejected) and ``boot-skips-status``.
* Heartbeat every heartbeat interval once Accepted (G02; 1.6 §4.6).
* Sender: one CALL at a time from the :class:`~harness.reference.station.outbox.Outbox` (Part 4
  §4.1.1). A transaction message without an answer or with a CALLERROR is retried after the
  attempt interval up to the attempt count (1.6 §3.3 TransactionMessageAttempts/RetryInterval;
  2.0.1 E13 MessageAttempts/MessageAttemptInterval); other messages are dropped.
* CSMS CALLs are answered in their own tasks (the receive loop never waits). Until its boot is
  Accepted a 2.x station answers what B02.FR.01 lets the CSMS ask (RequestStart/StopTransaction
  with Rejected, B02.FR.05) and refuses anything else with SecurityError; while Rejected only
  TriggerMessage(BootNotification) is handled (the one CALL the CSMS may send then, B03.FR.08) and
  everything else gets SecurityError (OCA TC_B_30_CS). A 1.6 charge point does not respond at all
  while Rejected (1.6 §4.2).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from typing import TYPE_CHECKING

from harness.ocppj.errors import ErrorKind, error_code
from harness.ocppj.frames import Call, CallResult
from harness.ocppj.session import LocalProtocolError, Received
from harness.reference import fuzz_faults, variant_rpc
from harness.reference.station.model import CallRefused, Outgoing, Payload
from harness.transport.link import Link, LinkClosed, ResponseTimeout

if TYPE_CHECKING:
    from harness.reference.station.core import ReferenceStation

log = logging.getLogger(__name__)

#: How long the station waits before its next BootNotification under ``pending-never-retries``.
NEVER_RETRY_S = 3600.0
#: What a 2.x station handles before Accepted: B02.FR.01 (+ B02.FR.05: the remote start/stop,
#: which the handlers answer Rejected).
PENDING_ALLOWED = frozenset(
    {
        "GetVariables",
        "SetVariables",
        "GetBaseReport",
        "GetReport",
        "TriggerMessage",
        "RequestStartTransaction",
        "RequestStopTransaction",
    }
)


class Session:
    """What the station does on one open :class:`Link`."""

    def __init__(self, station: ReferenceStation, link: Link) -> None:
        self.st = station
        self.link = link
        link.on_receive = self.on_receive
        fuzz_faults.install(link, station.faults, csms=False)
        #: When the station last sent a CALL (``heartbeat-reset-on-traffic``).
        self.last_sent = time.monotonic()

    async def run(self) -> None:
        st = self.st
        if st.boot_status != "Accepted":
            await self._boot()
            st.reported.clear()
            if "boot-skips-status" in st.faults:
                st.mark_reported()
            else:
                st.refresh_status(front=True, after_boot=True)
        else:
            stale = st.outbox.drop_statuses()  # queued before the loss: the refresh supersedes
            if stale or self._offline_long(time.monotonic() - st.offline_since):
                st.reported.clear()
            st.refresh_status(front=True, after_boot=True)
        beats = asyncio.ensure_future(self._heartbeats())
        try:
            await self._drain()
        finally:
            beats.cancel()

    def _offline_long(self, seconds: float) -> bool:
        """B04.FR.01/02: offline longer than OfflineThreshold (every connector is then reported,
        else only the changed ones); faults ``offline-reports-all`` / ``offline-reports-changed``."""
        if "offline-reports-all" in self.st.faults:
            return True
        if "offline-reports-changed" in self.st.faults:
            return False
        return seconds > self.st.behaviour.offline_threshold()

    # -- boot ---------------------------------------------------------------------------------------
    async def _boot(self) -> None:
        st = self.st
        while True:
            st.boot_now = False
            payload = st.behaviour.boot_payload(st.boot_reason)
            wait = st.boot_retry_s
            try:
                event = await self.link.call("BootNotification", payload, timeout=st.response_s)
            except ResponseTimeout:
                event = None
            result = _result(event)
            if result is not None:
                st.boot_status = status = str(result.get("status"))
                interval = int(result.get("interval", 0))
                if status == "Accepted":
                    st.boot_reason = "PowerUp"
                    st.apply_boot_interval(interval)
                    return
                if interval > 0:
                    wait = interval
                if status == "Rejected" and "rejected-retries-immediately" in st.faults:
                    wait = 0.05
                if status == "Pending" and "pending-retries-immediately" in st.faults:
                    wait = 0.05
                if status == "Pending" and "pending-never-retries" in st.faults:
                    wait = NEVER_RETRY_S
                if (status == "Pending" and "pending-sends-status" in st.faults) or (
                    status == "Rejected" and "rejected-sends-status" in st.faults
                ):
                    for key, _ in st.behaviour.statuses():
                        st.send_status(key)
            await self._idle_before_boot(time.monotonic() + wait)

    async def _idle_before_boot(self, deadline: float) -> None:
        """Wait for the next boot attempt, sending only what the CSMS triggered meanwhile."""
        st = self.st
        while True:
            item = st.outbox.take_pre_boot()
            if item is not None:
                await self._deliver(item)
                continue
            if st.boot_now:
                st.boot_reason = "Triggered"
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            await st.outbox.wait_change(remaining)

    # -- sending ------------------------------------------------------------------------------------
    async def _heartbeats(self) -> None:
        """G02/1.6 §4.6; with ``heartbeat-reset-on-traffic`` the interval counts from the last
        CALL sent (G02.FR.05 RECOMMENDED, 1.6 §4.6 MAY skip a Heartbeat)."""
        st = self.st
        resets = "heartbeat-reset-on-traffic" in st.variants
        while True:
            st.hb_changed.clear()
            wait = st.heartbeat_interval
            if resets:
                wait = max(0.0, self.last_sent + st.heartbeat_interval - time.monotonic())
            try:
                async with asyncio.timeout(wait):
                    await st.hb_changed.wait()
                continue  # the interval changed: start counting again
            except TimeoutError:
                pass
            if resets and time.monotonic() - self.last_sent < st.heartbeat_interval:
                continue  # traffic meanwhile: the interval starts again from it
            if not st.outbox.contains("Heartbeat"):
                st.send(Outgoing.fixed("Heartbeat", {}))
            self.last_sent = time.monotonic()  # a queued Heartbeat counts as traffic

    async def _drain(self) -> None:
        if "two-calls-back-to-back" in self.st.variants:
            await self._drain_back_to_back()
            return
        while True:
            item = await self.st.outbox.head()
            delay = item.not_before - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
                continue
            await self._deliver(item)

    async def _drain_back_to_back(self) -> None:
        """Legal variant ``two-calls-back-to-back`` (OCPP-J 1.6 §4.1.1 SHOULD NOT): up to two
        CALLs open at once. A message whose content depends on an open one's answer (the same
        transaction) waits for it; the order of sending stays the order of the queue."""
        st, flying = self.st, set[Outgoing]()
        tasks: set[asyncio.Task[None]] = set()

        def eligible(item: Outgoing) -> bool:
            if item in flying or len(flying) >= 2 or item.not_before > time.monotonic():
                return False
            return not any(item.tx_key is not None and f.tx_key == item.tx_key for f in flying)

        def landed(item: Outgoing, task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            flying.discard(item)
            if not task.cancelled() and task.exception() is not None:
                log.info("reference station: %s not delivered: %s", item.action, task.exception())
            st.outbox.poke()

        try:
            while True:
                item = await st.outbox.first(eligible, 0.25)
                if item is None:
                    continue
                flying.add(item)
                task = asyncio.ensure_future(self._deliver(item, concurrent=True))
                tasks.add(task)
                task.add_done_callback(functools.partial(landed, item))
                await asyncio.sleep(0)  # let it go out before the next one is picked
        finally:
            for task in tasks:
                task.cancel()

    async def _deliver(self, item: Outgoing, *, concurrent: bool = False) -> None:
        """Send one queued CALL; LinkClosed leaves it queued for the next connection."""
        outbox = self.st.outbox
        self.last_sent = time.monotonic()
        try:
            event = await self.link.call(
                item.action, item.build(), timeout=self.st.call_timeout_s, concurrent=concurrent
            )
        except ResponseTimeout:
            self._failed(item, "no response")
            return
        except LocalProtocolError as exc:
            log.error("reference station built an invalid %s: %s", item.action, exc)
            self._drop(item)
            return
        result = _result(event)
        if result is None:
            self._failed(item, "CALLERROR or invalid response")
            return
        outbox.remove(item)
        if item.on_result is not None:
            item.on_result(result)

    def _failed(self, item: Outgoing, why: str) -> None:
        attempts, interval = self.st.behaviour.retry_policy()
        if self.st.outbox.retry(item, attempts, interval, self.st.faults, self.st.variants):
            log.info("reference station: %s failed (%s), retrying", item.action, why)
            return
        log.info("reference station: %s failed (%s), dropped", item.action, why)
        self._drop(item)

    def _drop(self, item: Outgoing) -> None:
        self.st.outbox.remove(item)
        if item.on_drop is not None:
            item.on_drop()

    # -- receiving ----------------------------------------------------------------------------------
    def on_receive(self, link: Link, event: Received) -> None:
        if fuzz_faults.trips(self.st.faults, event.frame, csms=False):
            link.ws.transport.abort()  # the seeded crash: no answer, no close frame
            return
        if isinstance(event.frame, Call) and event.reply is None:
            self.st.spawn(self._answer(event.frame))

    def _boot_gate(self, call: Call) -> str | None:
        """None to handle ``call``; "" to leave it unanswered; else a SecurityError text."""
        status = self.st.boot_status
        if status == "Accepted":
            return None
        if self.st.version == "1.6":
            return "" if status == "Rejected" else None
        if status == "Rejected" and "rejected-answers-requests" not in self.st.faults:
            if call.action == "TriggerMessage" and (
                call.payload.get("requestedMessage") == "BootNotification"
            ):
                return None
            return f"{call.action} refused: the BootNotification was Rejected"
        if call.action in PENDING_ALLOWED and "pending-refuses-requests" not in self.st.faults:
            return None
        return f"{call.action} refused: the BootNotification is not Accepted yet"

    async def _answer(self, call: Call) -> None:
        link, version = self.link, self.st.version
        await variant_rpc.answer_delay(self.st.variants)
        gate = self._boot_gate(call)
        if gate == "":
            return
        try:
            if gate is not None:
                await link.reply_error(call, error_code(ErrorKind.SECURITY_ERROR, version), gate)
                return
            try:
                reply = self.st.behaviour.handle(call)
            except CallRefused as exc:
                await link.reply_error(call, error_code(exc.kind, version), exc.description)
                return
            except Exception as exc:
                log.exception("reference station failed to handle %s", call.action)
                code = error_code(ErrorKind.INTERNAL_ERROR, version)
                await link.reply_error(call, code, f"{type(exc).__name__}: {exc}"[:200])
                return
            await link.reply(call, reply.payload)
        except LinkClosed:
            return
        except LocalProtocolError as exc:
            log.error("reference station built an invalid %s response: %s", call.action, exc)
            with contextlib.suppress(LinkClosed):
                await link.reply_error(call, error_code(ErrorKind.INTERNAL_ERROR, version))
            return
        if reply.then is not None:
            reply.then()


def _result(event: Received | None) -> Payload | None:
    """The payload of a valid CALLRESULT, else None."""
    if event is None or event.problem or not isinstance(event.frame, CallResult):
        return None
    return event.frame.payload
