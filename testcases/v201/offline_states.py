"""What the offline, transaction-status and retry cases of block E share (OCPP 2.0.1 Part 6
TC_E_28-E_34, E_40-E_43, E_50/E_51; Part 2 E11-E14): the Before of the offline cases, the
TransactionEvents of one transaction read in the order they arrive, and the checks of what a
station delivers after a connection loss (seqNo without gaps or repeats, offline flags, the energy
register never running backwards). Steps and criteria in our own words.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import Any

from harness import CsmsPeer, SutActions
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.trace import Flow
from testcases.v201.states import get_variable, set_variable
from testcases.v201.tx_states import Session, ended, unplugged

ENERGY = "Energy.Active.Import.Register"
#: RetryBackOffWaitMinimum the offline cases configure (seconds): how long the harness refuses the
#: station's reconnection attempts (the OCA's "<Configured RetryBackOffWaitMinimum_duration>").
BACKOFF_S = 3
#: SampledDataCtrlr.TxUpdatedInterval the offline cases configure: shorter than the offline
#: period, so events are queued (the OCA's note: the back-off exceeds the meter value interval).
TX_UPDATED_S = 1


async def _set(csms: CsmsPeer, component: str, variable: str, value: str, why: str) -> bool:
    result = await set_variable(csms, component, variable, value, req=f"{why}: set")
    return result.get("attributeStatus") in ("Accepted", "RebootRequired")


async def offline_preparation(
    csms: CsmsPeer, *, meter_values: bool = True, backoff: bool = True
) -> None:
    """The Before of TC_E_29/E_33/E_40 (and, without meter values, E_31/E_43): the transaction's
    periodic meter values every :data:`TX_UPDATED_S` s with the energy register among the
    measurands, OfflineThreshold the back-off plus 60 s, RetryBackOffWaitMinimum
    :data:`BACKOFF_S`, RetryBackOffRandomRange 0 (``backoff`` False: those three as they are).
    NOT-APPLICABLE where the station refuses the meter value settings (the case needs events
    while it is offline)."""
    if meter_values:
        ok = await _set(csms, "SampledDataCtrlr", "TxUpdatedInterval", str(TX_UPDATED_S), "E11")
        applicable_unless(not ok, "SampledDataCtrlr.TxUpdatedInterval cannot be set")
        item = await get_variable(csms, "SampledDataCtrlr", "TxUpdatedMeasurands", req="E11")
        if ENERGY not in str(item.get("attributeValue") or ""):
            ok = await _set(csms, "SampledDataCtrlr", "TxUpdatedMeasurands", ENERGY, "E11")
            applicable_unless(not ok, f"SampledDataCtrlr.TxUpdatedMeasurands cannot hold {ENERGY}")
        await _set(csms, "SampledDataCtrlr", "Enabled", "true", "E11 (if implemented)")
    if not backoff:
        return
    await _set(csms, "OCPPCommCtrlr", "OfflineThreshold", str(BACKOFF_S + 60), "B04")
    await _set(csms, "OCPPCommCtrlr", "RetryBackOffWaitMinimum", str(BACKOFF_S), "Part 4 §5.3")
    await _set(csms, "OCPPCommCtrlr", "RetryBackOffRandomRange", "0", "Part 4 §5.3")


def arrived_at(csms: CsmsPeer, event: InboundCall) -> float:
    """When ``event`` arrived (monotonic seconds, from the case's trace; now if the trace no
    longer holds it): a step may see a CALL only after an operator action returned."""
    for entry in reversed(csms.trace.entries()):
        if entry.unique_id == event.call.unique_id and entry.flow == Flow.RECEIVED:
            return entry.monotonic
    return time.monotonic()


async def next_event(
    csms: CsmsPeer, session: Session, *, req: str, within_s: float | None = None, **subset: Any
) -> InboundCall:
    """The next TransactionEvent of the session's transaction, in the order they came (the first
    one of a transaction not seen yet: any TransactionEvent)."""
    if session.tx_id is not None:
        subset.setdefault("transaction_info", {"transactionId": session.tx_id})
    event = await csms.expect("TransactionEvent", within_s=within_s, req=req, **subset)
    return session.add(event, req.split(":")[0])


async def delivered_queue(
    csms: CsmsPeer, session: Session, *, lost: str, req: str, until_ended: bool = False
) -> list[InboundCall]:
    """After the reconnect, the session's TransactionEvents in the order they come, each answered
    here (the case holds TransactionEvent): the queued ones, flagged offline, up to the first one
    that is not (the station back online; with ``until_ended`` up to the Ended, all queued).
    Events answered before the drop that no step took are passed over (kept in seqNo order).
    The first one must be a queued one: the case kept the station offline longer than its
    meter value interval (``req``: E11.FR.02/E12.FR.02; ``lost``: nothing came at all)."""
    queued: list[InboundCall] = []
    while True:
        event = await next_event(
            csms,
            session,
            req=f"{lost}: the TransactionEvents queued offline are delivered after the reconnect",
            within_s=csms.action_s,
        )
        if event.replied:  # received and answered before the drop, not taken by a step then
            session.events.sort(key=lambda e: int(e.get("seqNo", -1)))  # all from before it
            continue
        await event.reply()
        if event.get("offline") is not True and not until_ended:
            break
        queued.append(event)
        if event.get("eventType") == "Ended":
            break
    check_offline(queued or [event], req=req)
    return queued


def check_sequence(events: Iterable[InboundCall], *, req: str) -> None:
    """Each TransactionEvent of a transaction one seqNo after the one before: a repeat or a step
    back breaks E01.FR.07 (Sequence Number Generation); a gap is an event the station did not
    deliver (``req`` names that requirement: E11.FR.01 / E12.FR.01 queue all). A message sent
    again unchanged (same seqNo, timestamp, eventType: its answer was lost with the connection)
    counts once."""
    seqs, sent = [], set()
    for event in events:
        message = (event.get("seqNo"), event.get("timestamp"), event.get("eventType"))
        if message in sent:
            continue  # the same message again: one whose answer was lost with the connection
        sent.add(message)
        seqs.append(int(event.get("seqNo", -1)))
    for before, after in itertools.pairwise(seqs):
        require(
            after > before,
            req="E01.FR.07: seqNo one higher per TransactionEvent, also across the offline period",
            expected=f"seqNo {before + 1} after {before}",
            actual=f"seqNo {after} after {before} (all: {seqs})",
        )
        require(
            after == before + 1,
            req=f"{req}: every TransactionEvent queued offline is delivered (seqNo without gaps)",
            expected=f"seqNo {before + 1} after {before}",
            actual=f"seqNo {after} after {before}: {after - before - 1} event(s) missing "
            f"(all: {seqs})",
        )


def check_offline(events: Iterable[InboundCall], *, req: str) -> None:
    """Every event in ``events`` (queued while offline) says offline=true."""
    for event in events:
        require(
            event.get("offline") is True,
            req=f"{req}: a TransactionEvent queued offline is sent with offline=true",
            expected="offline true",
            actual=f"offline {event.get('offline')!r} in seqNo {event.get('seqNo')} "
            f"({event.get('eventType')}, {event.get('triggerReason')})",
        )


def energy_readings(event: InboundCall) -> list[float]:
    """The energy register values (Energy.Active.Import.Register, the default measurand; no
    phase) in one TransactionEvent."""
    found = []
    for meter in event.get("meterValue") or []:
        for sample in meter.get("sampledValue") or []:
            if sample.get("measurand", ENERGY) == ENERGY and not sample.get("phase"):
                found.append(float(sample["value"]))
    return found


def check_energy(csms: CsmsPeer, events: list[InboundCall]) -> float:
    """J02.FR.16: the energy register of one transaction never runs backwards over its events in
    seqNo order, the ones delivered from the offline queue included; the energy the delivered
    readings add up to (last minus first) goes into the trace and is returned."""
    ordered = sorted(events, key=lambda e: int(e.get("seqNo", 0)))
    readings = [(int(e["seqNo"]), v) for e in ordered for v in energy_readings(e)]
    for (seq_a, a), (seq_b, b) in itertools.pairwise(readings):
        require(
            b >= a,
            req="J02.FR.16: Register values of a transaction increase monotonically",
            expected=f"the energy register in seqNo {seq_b} at least {a:g} (seqNo {seq_a})",
            actual=f"{b:g}",
        )
    total = readings[-1][1] - readings[0][1] if readings else 0.0
    csms.trace.event(
        f"energy register over {len(readings)} reading(s) in {len(ordered)} event(s): "
        f"{total:g} Wh delivered"
    )
    return total


async def end_transaction(
    csms: CsmsPeer,
    sut: SutActions,
    profile: SutProfile,
    session: Session,
    *,
    req: str,
    held: bool = False,
    by_cable: bool = False,
) -> InboundCall:
    """End the running transaction at the station's stop point (the same token where it stops
    at deauthorization, else — or with ``by_cable`` — the cable) and read its events up to Ended
    (``held``: the case holds TransactionEvent, each one is answered here)."""
    if session.points.stops_at_deauthorization and not by_cable:
        await sut.present_token(profile.sut.tokens.valid, evse_id=session.evse_id)
    else:
        await sut.unplug(evse_id=session.evse_id, connector_id=session.connector_id)
        session.plugged = False
    if not held:
        event = await ended(csms, session, req=req)
    else:
        while True:
            event = await next_event(csms, session, req=req, within_s=csms.action_s)
            if not event.replied:
                await event.reply()
            if event.get("eventType") == "Ended":
                break
    if session.plugged:
        await unplugged(csms, sut, session)
    return event
