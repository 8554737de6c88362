"""Frame-path throughput: OCPP round trips per second, harness peers vs the ``ocpp`` library.

Three paths carry the same two messages over one loopback WebSocket connection, all in this process
and on one event loop (so the ratios hold on a noisy machine, DESIGN §7):

* **harness** — a :class:`~harness.peers.StationPeer` calling a :class:`~harness.peers.CsmsPeer`
  that auto-replies with its defaults; full schema validation on both sides (the default), every
  frame recorded in both peers' traces. A fresh test-case view is started every
  :data:`FRAMES_PER_CASE` round trips, as the plugin does per test case.
* **ocpp lib** — an ``ocpp.v201.ChargePoint`` client calling an ``ocpp.v201.ChargePoint`` server
  with ``@on`` handlers, default validation (jsonschema in the loop's thread pool).
* **raw echo** — a websockets server echoing the same frame text: the transport's ceiling.

Messages: ``Heartbeat`` and a 2.0.1 ``TransactionEvent`` (Updated) with one meterValue of ten
sampledValues. Every loop is time-based: ``--seconds`` per figure after a warm-up, cut into slices
that alternate between the three paths, and each figure is the median of its slices. Figures are
printed, never asserted. ``--profile`` runs the harness path under cProfile instead.

``--json`` prints one JSON object instead of the table: per message ``harness_rps``,
``library_rps``, ``raw_rps``, ``harness_cpu_us``, ``library_cpu_us`` and ``raw_cpu_us``.

Usage: ``python benchmarks/frame_path.py [--seconds 3] [--slices 6] [--quick] [--profile]
[--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from ocpp.charge_point import camel_to_snake_case
from ocpp.routing import on
from ocpp.v201 import ChargePoint
from ocpp.v201 import call as lib_call
from ocpp.v201 import call_result as lib_result
from ocpp.v201.enums import Action
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from harness.peers import CsmsPeer, StationPeer

VERSION = "2.0.1"
SUBPROTOCOL = Subprotocol("ocpp2.0.1")
HOST = "127.0.0.1"
#: Round trips between two clock reads in a timed loop.
BATCH = 50
#: Round trips per harness test-case view (a fresh trace and inbox, as between test cases).
FRAMES_PER_CASE = 1000
TIMESTAMP = "2025-01-01T12:00:00.000Z"

Op = Callable[[], Awaitable[object]]


def transaction_event() -> dict[str, Any]:
    """A 2.0.1 TransactionEvent (Updated) whose meterValue carries ten sampledValues."""
    samples: list[dict[str, Any]] = [
        {
            "value": 12345.6,
            "context": "Sample.Periodic",
            "measurand": "Energy.Active.Import.Register",
            "location": "Outlet",
            "unitOfMeasure": {"unit": "Wh"},
        },
        {"value": 7360.0, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W"}},
    ]
    samples += [
        {"value": 31.9, "measurand": "Current.Import", "phase": p, "unitOfMeasure": {"unit": "A"}}
        for p in ("L1", "L2", "L3")
    ]
    samples += [
        {"value": 230.4, "measurand": "Voltage", "phase": p, "unitOfMeasure": {"unit": "V"}}
        for p in ("L1-N", "L2-N", "L3-N")
    ]
    samples += [
        {"value": 57, "measurand": "SoC", "location": "EV", "unitOfMeasure": {"unit": "Percent"}},
        {"value": 50.02, "measurand": "Frequency", "location": "Inlet"},
    ]
    return {
        "eventType": "Updated",
        "timestamp": TIMESTAMP,
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 7,
        "transactionInfo": {"transactionId": "bench-tx-0001", "chargingState": "Charging"},
        "meterValue": [{"timestamp": TIMESTAMP, "sampledValue": samples}],
    }


# -- the timed loop ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Slice:
    """One timed slice: round trips per second, and process CPU time per round trip."""

    rate: float
    cpu_us: float


@dataclass(frozen=True, slots=True)
class Figure:
    """The slices of one (path, message)."""

    path: str
    message: str
    slices: tuple[Slice, ...]

    @property
    def rate(self) -> float:
        """Median round trips per second."""
        return statistics.median(s.rate for s in self.slices) if self.slices else 0.0

    @property
    def cpu_us(self) -> float:
        """Median CPU microseconds per round trip (all threads: the library validates in a pool)."""
        return statistics.median(s.cpu_us for s in self.slices) if self.slices else 0.0

    @property
    def spread(self) -> str:
        rates = [s.rate for s in self.slices]
        return f"{min(rates):,.0f}-{max(rates):,.0f}" if rates else "-"


async def run_for(op: Op, seconds: float, every_case: Callable[[], None] | None = None) -> Slice:
    """Await ``op`` back to back for ``seconds``.

    ``every_case`` runs every :data:`FRAMES_PER_CASE` round trips (a new test-case view).
    """
    count = 0
    since_case = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    now = start
    while now < deadline:
        for _ in range(BATCH):
            await op()
        count += BATCH
        since_case += BATCH
        if every_case is not None and since_case >= FRAMES_PER_CASE:
            every_case()
            since_case = 0
        now = time.perf_counter()
    cpu = time.process_time() - cpu_start
    return Slice(count / (now - start), cpu / count * 1e6)


@dataclass(frozen=True, slots=True)
class Runner:
    """One path's operation for one message, and its per-case hook."""

    path: str
    op: Op
    every_case: Callable[[], None] | None = None


async def measure(
    message: str, runners: list[Runner], seconds: float, warmup: float, slices: int
) -> list[Figure]:
    """Warm every path up, then time them in interleaved slices (so load changes hit all)."""
    for runner in runners:
        await run_for(runner.op, warmup, runner.every_case)
    timed: dict[str, list[Slice]] = {runner.path: [] for runner in runners}
    for _ in range(slices):
        for runner in runners:
            timed[runner.path].append(await run_for(runner.op, seconds / slices, runner.every_case))
    return [Figure(path, message, tuple(values)) for path, values in timed.items()]


# -- the harness peers ------------------------------------------------------------------------
class HarnessPair:
    """A StationPeer connected to a CsmsPeer over loopback."""

    def __init__(self) -> None:
        self.csms = CsmsPeer(VERSION, host=HOST, port=0, response_s=10.0, action_s=10.0)
        self.station: StationPeer | None = None
        self.cases = 0

    async def __aenter__(self) -> HarnessPair:
        await self.csms.start()
        self.station = StationPeer(
            VERSION, url=self.csms.url, identity="BENCH0001", response_s=10.0, action_s=10.0
        )
        await self.station.connect()
        await self.csms.wait_connected(5.0)
        self.new_case()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.station is not None:
            await self.station.stop()
        await self.csms.stop()

    def new_case(self) -> None:
        """Start a fresh test-case view on both peers (fresh traces, empty inboxes)."""
        self.cases += 1
        assert self.station is not None
        self.station.begin_case(f"bench-{self.cases}")
        self.csms.begin_case(f"bench-{self.cases}")

    def op(self, action: str, payload: dict[str, Any]) -> Op:
        station = self.station
        assert station is not None

        async def one() -> object:
            return await station.call_payload(action, payload)

        return one


# -- the ocpp library -------------------------------------------------------------------------
class LibCsms(ChargePoint):  # type: ignore[misc]
    """The library's server side, answering with ``@on`` handlers."""

    @on(Action.heartbeat)  # type: ignore[untyped-decorator]
    def on_heartbeat(self, **_: Any) -> Any:
        return lib_result.Heartbeat(current_time=TIMESTAMP)

    @on(Action.transaction_event)  # type: ignore[untyped-decorator]
    def on_transaction_event(self, **_: Any) -> Any:
        return lib_result.TransactionEvent()


class LibPair:
    """An ``ocpp`` library ChargePoint client connected to a library server over loopback."""

    def __init__(self) -> None:
        self.client: Any = None
        self._server: Any = None
        self._ws: ClientConnection | None = None
        self._tasks: list[asyncio.Task[Any]] = []

    async def _serve(self, ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            await LibCsms("BENCH0001", ws).start()

    async def __aenter__(self) -> LibPair:
        self._server = await serve(
            self._serve, HOST, 0, subprotocols=[SUBPROTOCOL], compression=None, ping_interval=None
        )
        port = next(iter(self._server.sockets)).getsockname()[1]
        self._ws = await connect(
            f"ws://{HOST}:{port}/BENCH0001",
            subprotocols=[SUBPROTOCOL],
            compression=None,
            ping_interval=None,
        )
        self.client = ChargePoint("BENCH0001", self._ws)
        self._tasks.append(asyncio.ensure_future(self._client_loop()))
        return self

    async def _client_loop(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            await self.client.start()

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()
        for task in self._tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 2)
        self._server.close()
        await self._server.wait_closed()

    def op(self, payload: Any) -> Op:
        client = self.client

        async def one() -> object:
            return await client.call(payload, suppress=False)

        return one


# -- raw websockets ---------------------------------------------------------------------------
class EchoPair:
    """A websockets client and an echo server: no OCPP processing at all."""

    def __init__(self) -> None:
        self._server: Any = None
        self.ws: ClientConnection | None = None

    @staticmethod
    async def _echo(ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for message in ws:
                await ws.send(message)

    async def __aenter__(self) -> EchoPair:
        self._server = await serve(
            self._echo, HOST, 0, subprotocols=[SUBPROTOCOL], compression=None, ping_interval=None
        )
        port = next(iter(self._server.sockets)).getsockname()[1]
        self.ws = await connect(
            f"ws://{HOST}:{port}/BENCH0001",
            subprotocols=[SUBPROTOCOL],
            compression=None,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.ws is not None:
            await self.ws.close()
        self._server.close()
        await self._server.wait_closed()

    def op(self, text: str) -> Op:
        ws = self.ws
        assert ws is not None

        async def one() -> object:
            await ws.send(text)
            return await ws.recv()

        return one


# -- running and reporting ----------------------------------------------------------------------
def lib_payloads() -> dict[str, Any]:
    """The two messages as the library's dataclasses (snake_case fields)."""
    event = camel_to_snake_case(transaction_event())
    return {
        "Heartbeat": lib_call.Heartbeat(),
        "TransactionEvent": lib_call.TransactionEvent(**event),
    }


def frames() -> dict[str, str]:
    """The CALL texts the echo path sends."""
    return {
        "Heartbeat": json.dumps([2, "bench-000001", "Heartbeat", {}], separators=(",", ":")),
        "TransactionEvent": json.dumps(
            [2, "bench-000001", "TransactionEvent", transaction_event()], separators=(",", ":")
        ),
    }


async def run_all(seconds: float, warmup: float, slices: int) -> list[Figure]:
    """Measure every (path, message), the three paths interleaved."""
    figures: list[Figure] = []
    ours = {"Heartbeat": {}, "TransactionEvent": transaction_event()}
    lib_messages = lib_payloads()
    texts = frames()
    async with HarnessPair() as pair, LibPair() as lib, EchoPair() as echo:
        for message, payload in ours.items():
            runners = [
                Runner("harness", pair.op(message, payload), pair.new_case),
                Runner("ocpp lib", lib.op(lib_messages[message])),
                Runner("raw echo", echo.op(texts[message])),
            ]
            figures += await measure(message, runners, seconds, warmup, slices)
    return figures


async def profile_ours(seconds: float) -> str:
    """cProfile of the harness path (both messages), the top functions by own time."""
    profiler = cProfile.Profile()
    async with HarnessPair() as pair:
        for message, payload in (("Heartbeat", {}), ("TransactionEvent", transaction_event())):
            op = pair.op(message, payload)
            await run_for(op, 0.3, pair.new_case)
            profiler.enable()
            await run_for(op, seconds, pair.new_case)
            profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(30)
    return out.getvalue()


def cpu_model() -> str:
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def version_of(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def machine_info() -> str:
    return "\n".join(
        [
            f"python     {platform.python_implementation()} {sys.version.split()[0]}",
            f"machine    {platform.platform()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"{cpu_model()}",
            f"packages   ocpp {version_of('ocpp')}, websockets {version_of('websockets')}, "
            f"jsonschema-rs {version_of('jsonschema-rs')}, orjson {version_of('orjson')}",
            f"date       {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}",
        ]
    )


def table(figures: list[Figure], seconds: float, slices: int) -> str:
    """Round trips per second per message and path (median of the slices), and the ratios."""
    by_key = {(f.path, f.message): f for f in figures}
    messages = ("Heartbeat", "TransactionEvent")
    lines = [
        f"one loopback connection, OCPP {VERSION}, {seconds:g} s per figure in {slices} "
        "interleaved slices; medians (range of the slices)",
        "",
        f"{'message':<18}{'path':<10}{'round trips/s':>14}{'range':>17}{'us/trip':>9}"
        f"{'cpu us/trip':>13}{'vs lib':>8}{'vs lib cpu':>12}",
    ]
    for message in messages:
        lib = by_key[("ocpp lib", message)]
        for index, path in enumerate(("harness", "ocpp lib", "raw echo")):
            figure = by_key[(path, message)]
            lines.append(
                f"{message if index == 0 else '':<18}{path:<10}{figure.rate:>14,.0f}"
                f"{figure.spread:>17}{1e6 / figure.rate if figure.rate else 0.0:>9,.0f}"
                f"{figure.cpu_us:>13,.0f}{_ratio(figure.rate, lib.rate):>8}"
                f"{_ratio(lib.cpu_us, figure.cpu_us):>12}"
            )
    ours = [by_key[("harness", m)] for m in messages]
    libs = [by_key[("ocpp lib", m)] for m in messages]
    lines += [
        "",
        "harness / ocpp lib: "
        + ", ".join(
            f"{o.message} {_ratio(o.rate, lib.rate)} ({_ratio(lib.cpu_us, o.cpu_us)} by CPU time)"
            for o, lib in zip(ours, libs, strict=True)
        ),
        "harness: StationPeer -> CsmsPeer (default auto-replies), schema validation on both sides,",
        "         every frame traced; ocpp lib: v201.ChargePoint -> ChargePoint with @on handlers,",
        "         default validation; raw echo: websockets echo server, no OCPP processing.",
        "cpu us/trip is this process's CPU time (all threads) per round trip: steadier than the",
        "rate when other processes compete for the CPU.",
    ]
    return "\n".join(lines)


#: The JSON names of the three paths.
_JSON_PATHS = {"harness": "harness", "ocpp lib": "library", "raw echo": "raw"}


def as_json(figures: list[Figure]) -> dict[str, dict[str, float]]:
    """Per message: ``harness_rps``, ``library_rps``, ``raw_rps`` (median round trips per
    second) and ``harness_cpu_us``, ``library_cpu_us``, ``raw_cpu_us`` (CPU µs per round trip)."""
    out: dict[str, dict[str, float]] = {}
    for figure in figures:
        name = _JSON_PATHS[figure.path]
        row = out.setdefault(figure.message, {})
        row[f"{name}_rps"] = round(figure.rate, 1)
        row[f"{name}_cpu_us"] = round(figure.cpu_us, 1)
    return out


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f}x" if denominator else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per figure")
    parser.add_argument("--warmup", type=float, default=None, help="warm-up seconds per figure")
    parser.add_argument("--slices", type=int, default=6, help="interleaved slices per figure")
    parser.add_argument("--quick", action="store_true", help="short run for CI (0.6 s each)")
    parser.add_argument("--profile", action="store_true", help="cProfile the harness path only")
    parser.add_argument("--json", action="store_true", help="print one JSON object (figures only)")
    args = parser.parse_args(argv)
    seconds = 0.6 if args.quick else args.seconds
    slices = 3 if args.quick else max(1, args.slices)
    warmup = args.warmup if args.warmup is not None else (0.2 if args.quick else 0.5)
    if args.profile:
        print(machine_info() + "\n")
        print(asyncio.run(profile_ours(seconds)))
        return 0
    if not args.json:
        print(machine_info() + "\n")
    figures = asyncio.run(run_all(seconds, warmup, slices))
    print(json.dumps(as_json(figures)) if args.json else table(figures, seconds, slices))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
