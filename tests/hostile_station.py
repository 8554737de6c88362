"""A misbehaving charging station for self-tests: ``python -m tests.hostile_station URL MODE``.

Modes: ``silent`` (connects, sends nothing, answers nothing), ``garbage`` (sends invalid frames),
``drop`` (connects, then drops the TCP connection without a close frame), ``wrong-id`` (answers
every CALL with a CALLRESULT carrying another unique id). Retries the connection until the harness
listens; exits after 30 s in any case.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys

from websockets.asyncio.client import connect

from harness.transport.client import basic_auth_header


async def _connect(url: str) -> object:
    for _ in range(200):
        try:
            return await connect(
                url,
                subprotocols=["ocpp2.0.1"],  # type: ignore[list-item]
                additional_headers={"Authorization": basic_auth_header("HOSTILE1", "unused")},
                open_timeout=2,
            )
        except OSError:
            await asyncio.sleep(0.05)
    raise SystemExit("harness never listened")


async def main(url: str, mode: str) -> None:
    ws = await _connect(url)
    assert hasattr(ws, "send")
    if mode == "garbage":
        await ws.send("this is not OCPP")
        await ws.send('[2, "x1", "BootNotification", {"reason": 7}]')
    elif mode == "drop":
        ws.transport.abort()  # type: ignore[attr-defined]
        return
    async with asyncio.timeout(30):
        async for raw in ws:  # type: ignore[attr-defined]
            if mode == "wrong-id":
                frame = json.loads(raw)
                if frame[0] == 2:
                    await ws.send(json.dumps([3, "not-" + frame[1], {}]))


if __name__ == "__main__":
    with contextlib.suppress(Exception):  # a hostile peer exits quietly whatever happens
        asyncio.run(main(sys.argv[1], sys.argv[2]))
