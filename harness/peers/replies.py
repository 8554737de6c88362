"""Default replies of a harness peer's view (DESIGN §5): a CALL from the SUT that the script
does not claim or hold is answered with the default reply (merged with the case's overrides).

A reply that cannot wait goes out as soon as the frames read together are handled
(:attr:`~harness.transport.link.Link.answer_now`, issue 15); otherwise, and when the write
buffer is near its high-water mark, the receive loop sends it (``after_receive``). Either way
the replies go out in the order the CALLs arrived, after every frame read with them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, cast

from harness.ocppj.frames import Call, Frame
from harness.ocppj.session import LocalProtocolError
from harness.peers.defaults import default_reply
from harness.peers.exchange import InboundCall
from harness.transport.link import Link, LinkClosed

if TYPE_CHECKING:
    from harness.peers.view import PeerView


class DefaultReplies:
    """The default-reply half of :class:`~harness.peers.view.PeerView`."""

    #: What the harness plays, for messages ("CSMS" or "charging station").
    plays = "peer"
    #: Which default-reply table applies ("csms" or "station").
    table = "csms"

    def __init__(self) -> None:
        self._due: list[InboundCall] = []  # to answer by default once the frames are handled
        self._overrides: dict[str, dict[str, Any]] = {}

    def _replies_due(self) -> bool:
        """Whether default replies wait to be sent (:meth:`_answer_due`)."""
        return bool(self._due)

    async def _answer_due(self, link: Link) -> None:
        """Default replies sent by the receive loop once the frames read together are handled."""
        while self._due:
            await self._answer_default(self._due.pop(0))

    def _answer_due_now(self, link: Link) -> Awaitable[None] | None:
        """Default replies written at once where they cannot wait; the first that must wait,
        and those after it, are returned for the receive loop to await (None: all sent)."""
        while self._due:
            item = self._due.pop(0)
            reply = self._reply_to(item)
            if reply is None:
                continue
            frame, payload = reply
            try:
                if not item.link.send_now(frame, action=_action(item, payload)):
                    return self._send_then_answer(item, frame, payload)
            except LinkClosed:
                continue
            self.replied(item.link, item.call, payload)
        return None

    async def _send_then_answer(
        self, item: InboundCall, frame: Frame, payload: dict[str, Any] | None
    ) -> None:
        with contextlib.suppress(LinkClosed):
            await item.link.send_frame(frame, action=_action(item, payload))
            self.replied(item.link, item.call, payload)
        await self._answer_due(item.link)

    async def _answer_default(self, item: InboundCall) -> None:
        reply = self._reply_to(item)
        if reply is not None:
            await self._send_then_answer(item, *reply)

    def _reply_to(self, item: InboundCall) -> tuple[Frame, dict[str, Any] | None] | None:
        """The default reply to ``item`` (a CALLRESULT, or CALLERROR NotSupported with a None
        payload), marking it replied; None when it was answered already."""
        if item.replied:
            return None
        item.replied = True
        payload = self.default_payload(item.call, item.link.version, {})
        session = item.link.session
        if payload is None:
            what = f"the harness {self.plays} does not script this"
            return session.error(item.call.unique_id, "NotSupported", what), None
        with contextlib.suppress(LocalProtocolError):  # validate=False: it cannot raise
            return session.result(item.call.unique_id, payload, validate=False), payload
        return None

    def replied(self, link: Link, call: Call, payload: dict[str, Any] | None) -> None:
        """Called after the harness answered ``call`` (``payload`` None: with a CALLERROR); the
        peers follow the SUT's state here (boot accepted, transaction ids)."""

    def default_payload(
        self, call: Call, version: str, fields: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """Default reply merged with this case's overrides and ``fields`` (None: not supported)."""
        base = default_reply(cast("PeerView", self), call, version)  # its tables read the view
        if base is None and not fields and call.action not in self._overrides:
            return None
        merged = dict(base or {})
        merged.update(self._overrides.get(call.action, {}))
        merged.update(fields)
        return merged


def _action(item: InboundCall, payload: dict[str, Any] | None) -> str | None:
    """The action a reply's trace entry names: the CALL's for a CALLRESULT (a CALLERROR needs
    none)."""
    return item.call.action if payload is not None else None
