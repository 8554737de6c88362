"""A misbehaving charging station for self-tests: ``python -m tests.hostile_station URL MODE [S]``.

Modes (the first six boot first, so the harness's preconditions hold and the case itself meets
the misbehaviour; the last three never boot, so no case can start: INCONCLUSIVE):

* ``silent``: boots, then answers nothing;
* ``garbage``: boots, then sends invalid frames when the harness sends its first CALL;
* ``drop``: boots, then drops the TCP connection without a close frame at the harness's first CALL;
* ``wrong-id``: boots, then answers every CALL with a CALLRESULT carrying another unique id;
* ``flood``: boots, then sends :data:`FLOOD_RATE` frames a second (StatusNotification CALLs it never waits
  for, each padded to about :data:`FLOOD_FRAME` characters, and every tenth frame text that is
  not OCPP), answers nothing; connects (and boots) again whenever its connection is dropped;
* ``oversize``: boots, then sends a StatusNotification padded to :data:`OVERSIZE_FRAME` characters
  when the harness sends its first CALL;
* ``half-close``: shuts down its sending side (TCP FIN) right after the handshake and never reads
  again;
* ``reconnect-loop``: connects, drops the connection after :data:`LOOP_S`, connects again, forever;
* ``no-upgrade``: opens TCP connections but never finishes its HTTP upgrade request.

Retries the connection until the harness listens; exits after :data:`LIFETIME_S` (30 s) in any
case, or after ``S`` seconds when given (the flood benchmark floods for a minute).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosed

from harness.transport.client import basic_auth_header

FLOOD_RATE = 1000
FLOOD_FRAME = 4096
#: Characters of padding in the ``oversize`` mode's one frame (20 KiB: over a 0.01 MiB limit).
OVERSIZE_FRAME = 20 * 1024
LOOP_S = 0.05
LIFETIME_S = 30.0


async def _connect(url: str) -> ClientConnection:
    for _ in range(200):
        try:
            return await connect(
                url,
                subprotocols=["ocpp2.0.1"],  # type: ignore[list-item]
                additional_headers={"Authorization": basic_auth_header("HOSTILE1", "unused")},
                open_timeout=2,
                max_size=None,
            )
        except OSError:
            await asyncio.sleep(0.05)
    raise SystemExit("harness never listened")


def _status(n: int, pad: int = FLOOD_FRAME) -> str:
    payload: dict[str, Any] = {
        "timestamp": "2025-01-01T00:00:00Z",
        "connectorStatus": "Available",
        "evseId": 1,
        "connectorId": 1,
        "customData": {"vendorId": "hostile", "pad": "x" * pad},
    }
    return json.dumps([2, f"flood-{n}", "StatusNotification", payload])


async def _flood(ws: Connection) -> None:
    """FLOOD_RATE frames a second, paced in 10 ms batches, until the harness goes away."""
    garbage = "not OCPP " * (FLOOD_FRAME // 9)
    n = 0
    start = time.monotonic()
    batch = FLOOD_RATE // 100
    while True:
        for _ in range(batch):
            n += 1
            await ws.send(garbage if n % 10 == 0 else _status(n))
        delay = start + n / FLOOD_RATE - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


async def _drain(ws: ClientConnection) -> None:
    async for _ in ws:
        pass


async def _reconnect_loop(url: str) -> None:
    while True:
        ws = await _connect(url)
        await asyncio.sleep(LOOP_S)
        ws.transport.abort()
        await asyncio.sleep(LOOP_S)


async def _no_upgrade(url: str) -> None:
    host, _, rest = url.removeprefix("ws://").partition(":")
    port = int(rest.split("/", 1)[0])
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection(host, port)
            break
        except OSError:
            await asyncio.sleep(0.05)
    else:
        raise SystemExit("harness never listened")
    writer.write(b"GET /HOSTILE1 HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the rest
    await writer.drain()
    await asyncio.sleep(LIFETIME_S)


async def _boot(ws: ClientConnection) -> None:
    """BootNotification, and wait for its answer (the harness accepts it by default)."""
    boot = {
        "reason": "PowerUp",
        "chargingStation": {"vendorName": "hostile", "model": "hostile"},
    }
    await ws.send(json.dumps([2, "boot-1", "BootNotification", boot]))
    async for raw in ws:
        frame = json.loads(raw)
        if frame[0] in (3, 4) and frame[1] == "boot-1":
            return


async def main(url: str, mode: str) -> None:
    if mode == "reconnect-loop":
        await _reconnect_loop(url)
        return
    if mode == "no-upgrade":
        await _no_upgrade(url)
        return
    if mode == "flood":
        while True:  # for the whole run: a dropped connection is opened again, and flooded
            ws = await _connect(url)
            await _boot(ws)
            reader = asyncio.ensure_future(_drain(ws))  # reads, so pings and closes are handled
            with contextlib.suppress(ConnectionClosed):
                await _flood(ws)
            reader.cancel()
    ws = await _connect(url)
    if mode != "half-close":
        await _boot(ws)
    if mode == "half-close":
        sock: socket.socket = ws.transport.get_extra_info("socket")
        sock.shutdown(socket.SHUT_WR)
        ws.transport.pause_reading()
        await asyncio.sleep(LIFETIME_S)
        return
    async for raw in ws:
        frame = json.loads(raw)
        if frame[0] != 2:
            continue
        if mode == "wrong-id":
            await ws.send(json.dumps([3, "not-" + frame[1], {}]))
        elif mode == "garbage":
            await ws.send("this is not OCPP")
            await ws.send('[2, "x1", "BootNotification", {"reason": 7}]')
        elif mode == "oversize":
            await ws.send(_status(0, pad=OVERSIZE_FRAME))
        elif mode == "drop":
            ws.transport.abort()
            return


if __name__ == "__main__":
    with contextlib.suppress(Exception):  # a hostile peer exits quietly whatever happens

        async def bounded() -> None:
            async with asyncio.timeout(float(sys.argv[3]) if len(sys.argv) > 3 else LIFETIME_S):
                await main(sys.argv[1], sys.argv[2])

        asyncio.run(bounded())


def write_hostile_profile(
    path: Path, role: str, port: int, *, response_s: float = 1, extra: str = ""
) -> Path:
    """A SUT profile for a hostile peer on ``port`` (``role`` as the profile says it):
    operator steps left to a terminal that is not there, action and connect timeouts scaled
    from ``response_s``; ``extra`` is appended (more ``sut:`` keys, or ``limits:``)."""
    place = (
        f"  listen: {{host: 127.0.0.1, port: {port}}}\n"
        if role == "charging-station"
        else f"  url: ws://127.0.0.1:{port}/ocpp\n"
    )
    connect_s = response_s if response_s > 1 else 2 * response_s
    path.write_text(
        f"name: hostile {role}\n"
        "sut:\n"
        f"  role: {role}\n"
        '  ocpp: "2.0.1"\n'
        "  identity: HOSTILE1\n"
        "  security_profile: 1\n"
        "  password_env: HOSTILE_PASSWORD\n"
        f"{place}"
        "  actions: {type: manual}\n"
        f"  timeouts: {{response_s: {response_s:g}, action_s: {2 * response_s:g}, "
        f"connect_s: {connect_s:g}}}\n" + extra,
        "utf-8",
    )
    return path
