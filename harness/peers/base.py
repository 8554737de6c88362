"""The expectation engine both harness peers share (DESIGN §5).

A peer owns a per-test-case *view*: its trace, its inbox of CALLs the SUT sent, the actions the
script holds or forbids, and the protocol violations seen in the background. Scripts use:

* ``await peer.expect(action, within_s=..., req=..., **subset)`` — a CALL from the SUT matching the
  subset; CALLs that arrived before the call count too. CALLs no script waits for get the default
  reply at once; a CALL handed to the script and not answered right away gets it after
  :data:`REPLY_GRACE_S` (``peer.hold(action)`` keeps it for the script instead).
* ``await peer.call(action, **payload)`` -> :class:`CallOutcome` with ``.must(**subset)``.
* ``peer.forbid(action)``, ``await peer.expect_none(action, for_s=...)``, ``peer.hold(action)``,
  ``await peer.send_raw(text)``, ``await peer.expect_reply(unique_id)``.
* ``await peer.exchange(action, payload)`` -> :class:`Exchange`: one CALL sent exactly as given and
  whatever came back, judged by nobody (schema fuzzing judges it itself).

Nothing waits without a timeout; a failed expectation raises :class:`SutFailure` naming the
requirement, what was expected, the closest thing that happened, and the last frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.ocppj.frames import CallError, CallResult, Frame
from harness.ocppj.session import LocalProtocolError
from harness.peers.exchange import CallOutcome, InboundCall, PendingCall
from harness.peers.limits import LAST_FRAMES, REPLY_GRACE_S
from harness.peers.matching import camel_keys, describe, mismatches
from harness.peers.view import PeerView
from harness.progress import waiting, watching
from harness.transport.link import Link, LinkClosed, ResponseTimeout, StrayAnswer
from harness.verdicts import HarnessError, SutFailure


@dataclass(frozen=True, slots=True)
class Exchange:
    """What came back for a CALL sent with :meth:`Peer.exchange`; nothing in it is judged."""

    unique_id: str
    response: CallResult | CallError | None = None
    #: What the OCPP-J core found wrong with the response (e.g. a schema-invalid CALLRESULT).
    problem: str | None = None
    #: Why the connection closed before the answer came (None: it did not).
    closed: str | None = None
    timed_out: bool = False


class Peer(PeerView):
    """The scripting API of both harness peers: expect, call, forbid, hold (DESIGN §5)."""

    async def _wait_until(self, ready: Callable[[], Any], deadline: float) -> Any:
        """Re-evaluate ``ready`` on every arrival until it returns something truthy or time is up."""
        self._waits += 1
        try:
            while True:
                if (
                    self._too_big
                    or self._breaches
                    or (self._burst_breaches and not self.tolerate_violations)
                ):
                    self._raise_violations()  # a forbidden CALL ends the wait: it is the evidence
                result = ready()
                if result:
                    return result
                if self._flooded:
                    raise self._flood_failure()  # a flooding SUT ends the wait at once
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._arrival = asyncio.get_running_loop().create_future()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._arrival
        finally:
            self._waits -= 1

    def _frames(self) -> str:
        return self.trace.render(last=LAST_FRAMES)

    async def expect(
        self, action: str, *, within_s: float | None = None, req: str | None = None, **subset: Any
    ) -> InboundCall:
        """Wait for a CALL ``action`` from the SUT whose payload contains ``subset``."""
        await self._prepare()
        wanted = camel_keys(subset)
        timeout = self.response_s if within_s is None else within_s
        waiter = (action, wanted)
        self._waiters.append(waiter)

        scanned = 0  # CALLs that did not match once never will: each is looked at once

        def find() -> InboundCall | bool | None:
            nonlocal scanned
            if self._violations and not self.tolerate_violations:
                return True  # a protocol violation ends the wait: it is the evidence
            inbox = self._inbox
            for index in range(scanned, len(inbox)):
                item = inbox[index]
                if (
                    not item.consumed
                    and item.action == action
                    and not mismatches(item.payload, wanted)
                ):
                    scanned = index
                    return item
            scanned = len(inbox)
            return None

        try:
            with waiting(
                lambda: f"{action} with {describe(wanted)}" if wanted else action, timeout
            ):
                found: InboundCall | bool | None = await self._wait_until(
                    find, time.monotonic() + timeout
                )
        finally:
            self._waiters.remove(waiter)
        if found is True:
            self._raise_violations()
        if not isinstance(found, InboundCall):
            self._deadline(
                f"no {action}" + (f" with {describe(wanted)}" if wanted else ""), timeout, req
            )
            raise SutFailure(
                req or f"{action} expected",
                f"{action}"
                + (f" with {describe(wanted)}" if wanted else "")
                + f" within {timeout:g} s",
                self._closest(action, wanted, timeout),
                self._frames(),
            )
        found.consumed = True
        if not found.held:
            self._spawn(self._answer_after_grace(found))
        self._raise_violations()
        return found

    async def _answer_after_grace(self, item: InboundCall) -> None:
        """The default reply to an expected CALL, :data:`REPLY_GRACE_S` after it was taken (the
        script may answer it itself in the meantime)."""
        await asyncio.sleep(REPLY_GRACE_S)
        await self._answer_default(item)

    async def settle_replies(self, timeout_s: float = 1.0) -> None:
        """Before the next case's view: the default replies still due go out now, so that they
        are traced between the cases, not in the next case (its trace starts clean)."""
        if self._due and self.link is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout_s):
                    await self._answer_due(self.link)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)

    def _deadline(self, what: str, timeout: float, req: str | None) -> None:
        """Mark the moment a wait ran out in the trace: it is the failing point of the verdict."""
        self.trace.event(
            f"deadline passed: {what} within {timeout:g} s",
            problem=f"deadline passed ({req})" if req else "deadline passed",
        )

    def _closest(self, action: str, wanted: dict[str, Any], timeout: float) -> str:
        same = [i for i in self._inbox if i.action == action]
        if not same:
            others = sorted({i.action for i in self._inbox})
            tail = f" (received meanwhile: {', '.join(others)})" if others else ""
            return f"no {action} within {timeout:g} s{tail}"
        best = min(same, key=lambda i: len(mismatches(i.payload, wanted)))
        diff = "; ".join(mismatches(best.payload, wanted))
        return f"closest {action}: {json.dumps(best.payload)[:300]} ({diff})"

    async def expect_none(
        self, action: str, *, for_s: float, req: str | None = None, **subset: Any
    ) -> None:
        """Require that no CALL ``action`` (matching ``subset``) arrives for ``for_s`` seconds."""
        await self._prepare()
        wanted = camel_keys(subset)
        scanned = len(self._inbox)

        def seen() -> InboundCall | None:
            nonlocal scanned
            inbox = self._inbox
            for index in range(scanned, len(inbox)):
                item = inbox[index]
                if item.action == action and not mismatches(item.payload, wanted):
                    return item
            scanned = len(inbox)
            return None

        with watching(f"no {action} may come", for_s):
            hit = await self._wait_until(seen, time.monotonic() + for_s)
        if hit is not None:
            raise SutFailure(
                req or f"no {action} expected",
                f"no {action}"
                + (f" with {describe(wanted)}" if wanted else "")
                + f" for {for_s:g} s",
                f"{action}: {json.dumps(hit.payload)[:300]}",
                self._frames(),
            )

    def forbid(self, action: str, req: str = "forbidden by the test case") -> None:
        """Any CALL ``action`` from the SUT during this case is a failure (seen at the next step)."""
        self._forbidden[action] = req

    def allow(self, *actions: str) -> None:
        """Lift :meth:`forbid` for ``actions`` (all of them when none are given)."""
        if not actions:
            self._forbidden.clear()
        for action in actions:
            self._forbidden.pop(action, None)

    def hold(self, *actions: str) -> None:
        """Keep CALLs ``actions`` unanswered until the script answers them (manual SUT steps)."""
        self._holds.update(actions)

    def set_reply(self, action: str, **fields: Any) -> None:
        """Change this case's default reply to ``action`` (merged into the default payload)."""
        self._overrides[action] = camel_keys(fields)

    # -- calling ----------------------------------------------------------------------------
    async def _link_for_call(self) -> Link:
        if self.link is None or self.link.closed.is_set():
            self._raise_too_big()
            raise SutFailure(
                "connection required",
                "an open connection to the SUT to send a CALL on",
                "no connection",
                self._frames(),
            )
        return self.link

    def call(
        self,
        action: str,
        *,
        within_s: float | None = None,
        req: str | None = None,
        validate: bool = True,
        **payload: Any,
    ) -> PendingCall:
        """Send a CALL; awaiting gives the SUT's answer (no answer in time is a FAIL)."""
        return PendingCall(
            self.call_payload(
                action, camel_keys(payload), within_s=within_s, req=req, validate=validate
            )
        )

    async def call_payload(
        self,
        action: str,
        payload: dict[str, Any],
        *,
        within_s: float | None = None,
        req: str | None = None,
        validate: bool = True,
        unique_id: str | None = None,
    ) -> CallOutcome:
        """:meth:`call` with a ready wire payload (camelCase, nothing converted); ``unique_id``:
        the CALL's message id instead of a new one (a message re-sent on a new connection)."""
        await self._prepare()
        await self._before_call(action, payload, within_s)
        link = await self._link_for_call()
        timeout = self.response_s if within_s is None else within_s
        requirement = req or f"{action} answered"
        try:
            with waiting(f"the answer to {action}", timeout):
                event = await link.call(
                    action, payload, timeout=timeout, validate=validate, unique_id=unique_id
                )
        except LocalProtocolError as exc:
            raise HarnessError(f"the test script built an invalid {action}: {exc}") from None
        except ResponseTimeout:
            self._deadline(f"no answer to {action}", timeout, requirement)
            raise SutFailure(
                requirement,
                f"an answer to {action} within {timeout:g} s",
                f"no answer within {timeout:g} s",
                self._frames(),
            ) from None
        except StrayAnswer as exc:
            self.trace.event(str(exc), problem="answer under the wrong unique id")
            raise SutFailure(
                requirement + " (Part 4 §4.2 / OCPP-J 1.6 §4.2: same unique id)",
                f"an answer to {action} under the CALL's unique id",
                str(exc),
                self._frames(),
            ) from None
        except LinkClosed as exc:
            self._raise_too_big()
            raise SutFailure(
                requirement, f"an answer to {action}", f"connection closed ({exc})", self._frames()
            ) from None
        if event.frame is None:  # a malformed CALLRESULT/CALLERROR under this CALL's id
            raise SutFailure(
                requirement,
                f"a well-formed answer to {action}",
                f"{event.problem}: {str(event.raw)[:200]}",
                self._frames(),
            )
        if not isinstance(event.frame, (CallResult, CallError)) or event.request is None:
            raise HarnessError(f"link resolved {action} with {event.frame!r}")
        if event.problem and not self.tolerate_violations:
            raise SutFailure(
                requirement, f"a valid answer to {action}", event.problem, self._frames()
            )
        outcome = CallOutcome(event.request, event.frame, requirement, self._frames)
        self._after_call(action, payload, outcome)
        return outcome

    async def _before_call(
        self, action: str, payload: dict[str, Any], within_s: float | None
    ) -> None:
        """Called before each CALL the harness makes (the peers prepare restores here)."""

    def _after_call(self, action: str, payload: dict[str, Any], outcome: CallOutcome) -> None:
        """Called with the SUT's answer to each CALL the harness made (the peers follow the
        state it reports here)."""

    async def send_raw(self, raw: str | bytes) -> None:
        """Send text exactly as given (malformed on purpose); its replies are not violations."""
        await self._prepare()
        link = await self._link_for_call()
        with contextlib.suppress(ValueError, TypeError, IndexError):
            data = json.loads(raw)
            if isinstance(data, list) and len(data) > 1 and isinstance(data[1], str):
                self._raw_ids.add(data[1])
        try:
            await link.send_raw(raw)
        except LinkClosed as exc:
            raise SutFailure(
                "connection kept open", "an open connection", f"closed ({exc})", self._frames()
            ) from None

    async def expect_reply(
        self, unique_id: str, *, within_s: float | None = None, req: str | None = None
    ) -> Frame:
        """Wait for the SUT's CALLRESULT/CALLERROR to a frame sent with :meth:`send_raw`."""
        timeout = self.response_s if within_s is None else within_s

        def find() -> Frame | None:
            for event in self._responses:
                frame = event.frame
                if frame is not None and getattr(frame, "unique_id", None) == unique_id:
                    return frame
            return None

        with waiting(f"the reply to {unique_id!r}", timeout):
            frame: Frame | None = await self._wait_until(find, time.monotonic() + timeout)
        if frame is None:
            self._deadline(f"no reply to {unique_id!r}", timeout, req)
            raise SutFailure(
                req or "reply to every CALL",
                f"a reply with unique id {unique_id!r} within {timeout:g} s",
                "no reply",
                self._frames(),
            )
        return frame

    async def exchange(
        self, action: str, payload: dict[str, Any], *, within_s: float | None = None
    ) -> Exchange:
        """Send one CALL exactly as given (never validated) and report what came back.

        Unlike :meth:`call` nothing is judged and nothing raises for what the SUT does: a timeout,
        a dropped connection and an invalid answer are all part of the returned
        :class:`Exchange`. Background violations wait for the script's next step, as usual.
        """
        timeout = self.response_s if within_s is None else within_s
        link = self.link
        if link is None or link.closed.is_set():
            reason = link.close_reason if link is not None else "no connection"
            return Exchange("", closed=reason or "no connection")
        unique_id = link.session.new_id()
        try:
            with waiting(f"the answer to {action}", timeout):
                event = await link.call(
                    action, payload, timeout=timeout, unique_id=unique_id, validate=False
                )
        except ResponseTimeout:
            return Exchange(unique_id, timed_out=True)
        except StrayAnswer as exc:
            return Exchange(unique_id, problem=str(exc))
        except LinkClosed as exc:
            return Exchange(unique_id, closed=str(exc) or "connection closed")
        except LocalProtocolError as exc:
            raise HarnessError(f"cannot send {action}: {exc}") from None
        frame = event.frame
        response = frame if isinstance(frame, (CallResult, CallError)) else None
        return Exchange(unique_id, response, event.problem)
