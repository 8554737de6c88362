"""Self-test of offline transaction delivery (issue 12 item 4): seeded random network fault
schedules against the in-process reference station (OCPP 2.0.1) while it runs charging sessions
with meter values, checked at the harness side.

Each schedule is an independent pair — a :class:`~harness.peers.csms.CsmsPeer` and a
:class:`~harness.reference.station.ReferenceStation` on loopback — driven by
:class:`~harness.netfaults.NetworkFaults`: offline periods (dropped without a close frame,
reconnections refused), half-open links, delayed frames after a reconnect, flapping, and a reboot
while offline. The checker (:func:`problems`) reads every TransactionEvent the harness received:
per transaction the seqNo runs 0, 1, 2... without gaps, repeats or reordering (the same message
sent again after its answer was lost counts once), one Started first and one Ended last; every
event that waited in the queue across a reconnect says offline=true (E11.FR.02, E11.FR.07); the
energy register never decreases (J02.FR.16). The same checker reports each queue fault of
:mod:`harness.reference.faults_offline` that a schedule can show; the retry faults need a CSMS
that fails messages on purpose: :mod:`tests.test_offline_retry_schedules` (and TC_E_41/42/50/51).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from harness.netfaults import NetworkFaults
from harness.ocppj.frames import Call
from harness.ocppj.session import Received
from harness.peers.csms import CsmsPeer
from harness.peers.exchange import InboundCall
from harness.reference.station import ReferenceStation
from harness.transport.link import Link
from harness.verdicts import SutFailure

pytestmark = pytest.mark.asyncio

TOKEN = "VALID001"
ENERGY = "Energy.Active.Import.Register"
#: Schedules the clean run plays; all run at once (independent stations).
SCHEDULES = 50
#: A queued event created this long before its connection opened must say offline (seconds).
MARGIN_S = 0.3


@dataclass
class Seen:
    """One TransactionEvent as the harness received it."""

    payload: dict[str, Any]
    connection: int
    opened_at: float
    #: When it arrived (monotonic clock) and how the CSMS answered it ("" = accepted).
    at: float = 0.0
    refused: str = ""


class RecordingCsms(CsmsPeer):
    """The harness CSMS, recording every TransactionEvent with the connection it came on."""

    def __init__(self) -> None:
        super().__init__("2.0.1", host="127.0.0.1", port=0, response_s=2, action_s=10)
        self.seen: list[Seen] = []
        self.opened: dict[int, float] = {}

    async def _on_link(self, link: Link) -> None:
        self.opened[id(link)] = time.time()
        await super()._on_link(link)

    def refuse(self, payload: dict[str, Any]) -> str:
        """How to fail this transmission of a TransactionEvent: "" (answer it), "error" (a
        CALLERROR) or "silent" (no answer); the retry schedules override it."""
        return ""

    def _on_receive(self, link: Link, event: Received) -> None:
        frame = event.frame
        if isinstance(frame, Call) and event.reply is None and frame.action == "TransactionEvent":
            key = id(link)
            opened = self.opened.setdefault(key, time.time())
            refused = self.refuse(frame.payload)
            self.seen.append(Seen(frame.payload, key, opened, time.monotonic(), refused))
            if refused:  # failed on purpose: neither the inbox nor the default reply
                if refused == "error":
                    self._spawn(self._reply_error(InboundCall(frame, link, self)))
                return
        super()._on_receive(link, event)

    @staticmethod
    async def _reply_error(call: InboundCall) -> None:
        with contextlib.suppress(SutFailure):  # the link dropped first: a transmission lost
            await call.reply_error("InternalError", "refused by the retry schedule")


@dataclass
class Schedule:
    """One seeded run: the sessions and the network faults, each with its timing."""

    seed: int
    steps: list[tuple[str, float, float]] = field(default_factory=list)
    sessions: list[float] = field(default_factory=list)


def make_schedule(seed: int, *, reboot: bool | None = None) -> Schedule:
    """A seeded schedule: 1-2 sessions (the first 3.6-4.5 s, the second 2-4 s); an offline
    period early in the first (long enough for three periodic readings before it ends), then 0-2 more faults among half-open, delay, flap and refusal; a reboot
    while offline when ``reboot`` (None: by chance)."""
    rnd = random.Random(seed)
    plan = Schedule(seed)
    plan.sessions = [rnd.uniform(3.6, 4.5)] + [rnd.uniform(2.0, 4.0)] * rnd.randint(0, 1)
    with_reboot = rnd.random() < 0.2 if reboot is None else reboot
    plan.steps.append(("reboot" if with_reboot else "offline", rnd.uniform(0.1, 0.3), 3.6))
    for _ in range(rnd.randint(0, 2)):
        kind = rnd.choice(("half_open", "delay", "flap", "refuse_drop"))
        plan.steps.append((kind, rnd.uniform(0.2, 1.0), rnd.uniform(0.5, 1.5)))
    return plan


async def _sessions(station: ReferenceStation, plan: Schedule) -> None:
    """The driver: plug in, the token, charge, stop by the token, unplug; per session."""
    for length in plan.sessions:
        await station.plug_in()
        await station.present_token(TOKEN)
        await asyncio.sleep(length)
        await station.present_token(TOKEN)
        await asyncio.sleep(0.2)
        await station.unplug()
        await asyncio.sleep(0.3)


async def _faults(csms: CsmsPeer, station: ReferenceStation, plan: Schedule) -> None:
    async with NetworkFaults(csms) as net:
        for kind, pause, length in plan.steps:
            await asyncio.sleep(pause)
            await csms.wait_connected(10)
            if kind in ("offline", "reboot"):
                await net.offline(length)
                if kind == "reboot":
                    await asyncio.sleep(length / 2)
                    await station.reboot()
                await asyncio.sleep(length)
            elif kind == "half_open":
                net.half_open(length)
                await asyncio.sleep(length + 0.2)
            elif kind == "delay":
                net.delay_after_reconnect(0.3, length)
                await net.offline(0.3)
                await asyncio.sleep(length)
            elif kind == "flap":
                await net.flap(2, 0.3, length / 2, within_s=10)
            else:
                net.refuse_for(length)
                await net.drop()
                await asyncio.sleep(length)


async def play(
    plan: Schedule,
    faults: frozenset[str] = frozenset(),
    *,
    csms: RecordingCsms | None = None,
    attempts: int = 20,
    interval: int = 0,
    check: Callable[[list[Seen]], list[str]] | None = None,
) -> list[str]:
    """Run one schedule and return what the checker (default :func:`problems`) finds wrong;
    the station retries a failed TransactionEvent ``attempts`` times, ``interval`` seconds
    times the transmissions so far apart (MessageAttempts/MessageAttemptInterval)."""
    csms = csms or RecordingCsms()
    await csms.start()
    csms.begin_case(f"offline schedule {plan.seed}")
    station = ReferenceStation(
        version="2.0.1",
        csms_url=csms.url,
        identity=f"SCHED-{plan.seed}",
        faults=faults,
        reconnect_s=0.05,
    )
    station.response_s = 0.8
    try:
        await station.start()
        if not await station.wait_ready(10):
            return ["the station did not boot"]
        station.behaviour.dm.set_variables(  # type: ignore[attr-defined]
            [
                _item("SampledDataCtrlr", "TxUpdatedInterval", "1"),
                _item("OCPPCommCtrlr", "MessageAttempts", str(attempts), "TransactionEvent"),
                _item("OCPPCommCtrlr", "MessageAttemptInterval", str(interval), "TransactionEvent"),
            ]
        )
        await asyncio.gather(_sessions(station, plan), _faults(csms, station, plan))
        # A token presented while offline goes out as an Authorize once the station is back (and
        # one presented around a reboot may find no transaction to stop): accepted, it starts one
        # more transaction, waiting for a cable. Let every such answer arrive, then end them all.
        if not await station.wait_ready(15):
            return [f"seed {plan.seed}: the station did not settle within 15 s"]
        await asyncio.sleep(0.1)
        station.behaviour.end_all("Other", "AbnormalCondition")
        await asyncio.sleep(0.5)
        if not await station.wait_ready(15) or not await station.outbox.flushed(15):
            return [f"seed {plan.seed}: the queue was not delivered within 15 s"]
        await asyncio.sleep(0.3)  # the last message's arrival at the recording CSMS
        return [f"seed {plan.seed}: {p}" for p in (check or problems)(csms.seen)]
    finally:
        await station.stop()
        await csms.stop()


def _item(component: str, name: str, value: str, instance: str | None = None) -> dict[str, Any]:
    variable: dict[str, Any] = {"name": name}
    if instance:
        variable["instance"] = instance
    return {"component": {"name": component}, "variable": variable, "attributeValue": value}


def _energy(payload: dict[str, Any]) -> list[float]:
    return [
        float(s["value"])
        for m in payload.get("meterValue") or []
        for s in m.get("sampledValue") or []
        if s.get("measurand", ENERGY) == ENERGY and not s.get("phase")
    ]


def problems(seen: list[Seen]) -> list[str]:
    """Everything wrong with the TransactionEvents received, per transaction (see the module)."""
    found: list[str] = []
    by_tx: dict[str, list[Seen]] = {}
    for item in seen:
        by_tx.setdefault(str(item.payload["transactionInfo"]["transactionId"]), []).append(item)
    for tx_id, items in by_tx.items():
        messages: dict[int, dict[str, Any]] = {}
        order: list[int] = []
        for item in items:
            p = item.payload
            seq = int(p["seqNo"])
            if seq in messages:
                first = messages[seq]
                if (first["timestamp"], first["eventType"]) != (p["timestamp"], p["eventType"]):
                    found.append(f"{tx_id}: two different events with seqNo {seq} (duplicated)")
                continue  # the same message again (its answer was lost): counted once
            messages[seq] = p
            order.append(seq)
            stamp = _epoch(p["timestamp"])
            if stamp < item.opened_at - MARGIN_S and p.get("offline") is not True:
                found.append(
                    f"{tx_id}: seqNo {seq} waited offline but says offline={p.get('offline')!r}"
                )
        if order != sorted(order):
            found.append(f"{tx_id}: reordered, seqNos arrived as {order}")
        if sorted(order) != list(range(len(order))):
            found.append(
                f"{tx_id}: seqNos {sorted(order)} are not 0..{len(order) - 1} (lost or repeated)"
            )
        types = [messages[s]["eventType"] for s in sorted(order)]
        if types[:1] != ["Started"] or types.count("Started") != 1:
            found.append(f"{tx_id}: not one Started first ({types})")
        if types[-1:] != ["Ended"] or types.count("Ended") != 1:
            found.append(f"{tx_id}: not one Ended last ({types})")
        readings = [v for s in sorted(order) for v in _energy(messages[s])]
        if any(b < a for a, b in itertools.pairwise(readings)):
            found.append(f"{tx_id}: the energy register runs backwards ({readings})")
    return found


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


async def test_fifty_schedules_lose_nothing() -> None:
    """Issue 12: 50 seeded schedules, all at once; no event lost, duplicated or reordered, the
    offline flags right, every transaction Started ... Ended."""
    results = await asyncio.gather(*(play(make_schedule(seed)) for seed in range(SCHEDULES)))
    found = [p for result in results for p in result]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("fault", "reboot"),
    [
        ("tx-queue-drops-beyond", False),
        ("tx-offline-seqno-reset", False),
        ("tx-offline-flag-missing", False),
        ("tx-queue-lost-on-reboot", True),
    ],
)
async def test_the_checker_catches_each_queue_fault(fault: str, reboot: bool) -> None:
    """Each queue fault seeded into the station: the checker reports a problem in every one of
    a few schedules (each has an offline period long enough to queue three readings)."""
    plans = [make_schedule(seed, reboot=reboot) for seed in range(100, 104)]
    results = await asyncio.gather(*(play(plan, frozenset({fault})) for plan in plans))
    assert all(results), f"{fault}: some schedule showed nothing wrong: {results}"
