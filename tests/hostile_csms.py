"""A misbehaving CSMS for self-tests: ``python -m tests.hostile_csms PORT MODE [S]``.

Modes:

* ``no-upgrade``: accepts TCP connections and reads the HTTP upgrade request, but never answers it;
* ``silent``: completes the WebSocket handshake, then answers nothing;
* ``garbage``: answers every CALL with text that is not OCPP;
* ``wrong-id``: answers every CALL with a CALLRESULT carrying another unique id;
* ``oversize``: answers every CALL with a CALLRESULT padded to
  :data:`~tests.hostile_station.OVERSIZE_FRAME` characters;
* ``flood``: sends :data:`~tests.hostile_station.FLOOD_RATE` frames a second once a station is
  connected, answers nothing.

Any offered subprotocol is accepted (the first one). Exits after 30 s in any case (after ``S``
seconds when given). In ``flood`` mode every station that connects is flooded, a reconnecting one
included.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Sequence

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.hostile_station import LIFETIME_S, OVERSIZE_FRAME, _flood


async def _no_upgrade(port: int, lifetime: float) -> None:
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # the connection stays open, the request unanswered
        with contextlib.suppress(Exception):
            while await reader.read(4096):
                pass

    server = await asyncio.start_server(hold, "127.0.0.1", port)
    async with server:
        await asyncio.sleep(lifetime)


def _first(_: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
    return offered[0] if offered else None


async def _serve(port: int, mode: str, lifetime: float) -> None:
    async def handler(ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):  # whatever the harness does, quietly
            await _handle(ws)

    async def _handle(ws: ServerConnection) -> None:
        if mode == "flood":
            await _flood(ws)
            return
        async for raw in ws:
            frame = json.loads(raw)
            if not isinstance(frame, list) or frame[0] != 2:
                continue
            if mode == "garbage":
                await ws.send("<html>502 Bad Gateway</html>")
            elif mode == "wrong-id":
                await ws.send(json.dumps([3, "not-" + frame[1], {"status": "Accepted"}]))
            elif mode == "oversize":
                pad = {"vendorId": "hostile", "pad": "x" * OVERSIZE_FRAME}
                await ws.send(json.dumps([3, frame[1], {"status": "Accepted", "customData": pad}]))

    async with serve(handler, "127.0.0.1", port, select_subprotocol=_first, max_size=None):
        await asyncio.sleep(lifetime)


async def main(port: int, mode: str, lifetime: float = LIFETIME_S) -> None:
    if mode == "no-upgrade":
        await _no_upgrade(port, lifetime)
    else:
        await _serve(port, mode, lifetime)


if __name__ == "__main__":
    with contextlib.suppress(Exception):  # a hostile peer exits quietly whatever happens
        lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else LIFETIME_S
        asyncio.run(main(int(sys.argv[1]), sys.argv[2], lifetime))
