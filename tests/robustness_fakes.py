"""A scripted charging station behind the harness CSMS, without sockets, for the robustness
self-tests: each CALL the harness sends gets the answer a script gives, each frame the harness
sends raw may close the (fake) connection, and a Heartbeat may or may not follow a trigger."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

from harness import CsmsPeer
from harness.ocppj import Call, CallError, CallResult
from harness.peers import InboundCall
from harness.peers.exchange import CallOutcome
from harness.transport.link import Link
from harness.verdicts import SutFailure

Answer = Callable[[dict[str, Any]], CallResult | CallError]


class FakeLink:
    """The parts of a :class:`Link` the robustness cases touch: ``closed``, ``close_reason``,
    ``ws.send`` and the close frame received (``ws.protocol.close_rcvd``)."""

    def __init__(
        self, close_on_send: int | bool | None = False, on_close: Callable[[], None] | None = None
    ) -> None:
        self.on_close = on_close
        self.closed = asyncio.Event()
        self.close_reason = ""
        self.sent: list[str | bytes] = []
        #: False: stay open; None: drop without close frame; an int: close with that code.
        self.close_on_send = close_on_send
        self.ws = SimpleNamespace(send=self._send, protocol=SimpleNamespace(close_rcvd=None))

    async def _send(self, data: str | bytes, text: bool | None = None) -> None:
        self.sent.append(data)
        if self.close_on_send is not False:
            self.close(self.close_on_send if isinstance(self.close_on_send, int) else None)

    def close(self, code: int | None) -> None:
        if code is not None:
            self.ws.protocol.close_rcvd = SimpleNamespace(code=code, reason="")
        self.close_reason = f"code {code}" if code is not None else "no close frame"
        self.closed.set()
        if self.on_close is not None:
            self.on_close()


def result(**payload: Any) -> Answer:
    return lambda _: CallResult("x", dict(payload))


def error(code: str) -> Answer:
    return lambda _: CallError("x", code, "scripted", {})


class ScriptedStation(CsmsPeer):
    """The harness CSMS facing a station whose answers ``script`` gives per action."""

    def __init__(
        self,
        version: str,
        script: dict[str, Answer],
        *,
        heartbeat: bool = True,
        close_on_send: int | bool | None = False,
    ) -> None:
        super().__init__(version, host="127.0.0.1", port=0, response_s=0.4, action_s=0.4)
        self.script = script
        self.heartbeat = heartbeat
        self.close_on_send = close_on_send
        self.fake = FakeLink(close_on_send, self._reconnect)
        self.link = cast(Link, self.fake)
        self.sent_actions: list[str] = []
        self.tolerate_violations = True

    def _reconnect(self) -> None:
        """The station connects again at once after a close."""
        self.fake = FakeLink(False)
        self.link = cast(Link, self.fake)

    async def wait_connected(self, within_s: float | None = None, *, req: str = "") -> Link:
        return cast(Link, self.fake)

    async def send_raw(self, raw: str | bytes) -> None:
        await self.fake.ws.send(raw)

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
        self.sent_actions.append(action)
        response = self.script[action](payload)
        request = Call("x", action, payload)
        return CallOutcome(request, response, req or action, lambda: "")

    async def expect(
        self, action: str, *, within_s: float | None = None, req: str | None = None, **subset: Any
    ) -> InboundCall:
        if action == "Heartbeat" and self.heartbeat:
            return cast(InboundCall, SimpleNamespace(held=False, replied=True))
        raise SutFailure(req or action, f"{action} within 0.4 s", f"no {action} within 0.4 s")
