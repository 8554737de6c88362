"""How the RPC-level legal variants change a reference SUT's connection (both SUTs use this).

* ``close-1011``: a binary message makes the SUT close the connection with 1011 (RFC 6455
  §7.4.1 lets an endpoint end a connection it cannot go on with; OCPP-J carries JSON text only)
  instead of answering it as a malformed frame. :func:`install` swaps the link's session for a
  :class:`CloseOnBinarySession` before the link runs.
* ``slow-answers``: :func:`answer_delay` is how long the SUT waits before it answers a CALL;
* ``endpoint-trailing-slash`` (CSMS): :func:`path_accepted` takes only ``/ocpp/<identity>``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from harness.ocppj.session import Received, RpcSession
from harness.reference.variants import Seeded
from harness.transport.link import Link

log = logging.getLogger(__name__)

#: The close code of ``close-1011`` (RFC 6455 §7.4.1: an unexpected condition).
CLOSE_CODE = 1011


class CloseOnBinarySession(RpcSession):
    """An :class:`RpcSession` that, instead of answering a binary message, closes with 1011."""

    def __init__(self, version: str, link: Link) -> None:
        super().__init__(version)
        self._link = link
        self._tasks: set[asyncio.Task[None]] = set()

    def receive(self, raw: str | bytes) -> Received:
        event = super().receive(raw)
        if not isinstance(raw, bytes):
            return event
        for call in self.open_inbound:  # nothing is answered on a connection about to close
            self._inbound.pop(call.unique_id, None)
        log.info("reference SUT closes %s with 1011: binary message", self._link.identity)
        task = asyncio.ensure_future(self._link.close(CLOSE_CODE, "binary messages not supported"))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return dataclasses.replace(event, frame=None, reply=None)


def install(link: Link, seeded: Seeded) -> None:
    """Give ``link`` the session of the seeded RPC variants (before it runs). A link whose
    session a seeded fault already replaced keeps the fault's (faults and variants do not mix)."""
    if "close-1011" in seeded and type(link.session) is RpcSession:
        link.session = CloseOnBinarySession(link.version, link)


async def answer_delay(seeded: Seeded) -> None:
    """Wait before answering a CALL: ``slow-answers`` takes 90% of the profile's response time."""
    delay = seeded.answer_delay_s
    if delay > 0:
        await asyncio.sleep(delay)


def path_accepted(link: Link, seeded: Seeded) -> bool:
    """``endpoint-trailing-slash``: the CSMS serves exactly ``/ocpp/<identity>`` (one segment, no
    empty one), as a backend with the endpoint ``.../ocpp/`` routes it; any path otherwise."""
    if "endpoint-trailing-slash" not in seeded:
        return True
    request = link.ws.request
    path = request.path.split("?", 1)[0] if request is not None else ""
    head, _, identity = path.rpartition("/")
    return head == "/ocpp" and bool(identity)
