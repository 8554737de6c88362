"""OCA block J (Meter values), OCPP 2.0.1 and 2.1: clock-aligned (J01) and sampled (J02) meter
values, as the station sends them and as the CSMS answers them. Steps and criteria in our own
words after OCPP 2.0.1 Part 6.

Intervals are set short through SetVariables (the configuration the OCA's cases start from; the
harness restores it afterwards): :data:`INTERVAL_S` for every interval, readings for about
:data:`DURATION_S` where the OCA waits for a "configured transaction duration". The timestamps
of successive readings must lie the configured interval apart, within :data:`SLACK_S`
(readings of the same moment share a timestamp, J01.FR.15/J02.FR.14).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure
from testcases.v201.states import get_variable, set_variable
from testcases.v201.tx_states import (
    StationTx,
    charging,
    reading,
    signed,
    station_charging,
    station_ev_connected,
    station_ev_disconnected,
    stop_charging,
)

V2 = ("2.0.1", "2.1")
ENERGY = "Energy.Active.Import.Register"
INTERVAL_S = 1
DURATION_S = 2.5
SLACK_S = 0.75


# -- the station under test ---------------------------------------------------------------------
async def configure(csms: CsmsPeer, component: str, variable: str, value: str) -> None:
    """One configuration state of the OCA's Before: NOT-APPLICABLE when the station does not
    accept it (the variable is optional or read-only there)."""
    item = await set_variable(
        csms, component, variable, value, req=f"J: {component}.{variable} set"
    )
    status = item.get("attributeStatus")
    applicable_unless(
        status not in ("Accepted", "RebootRequired"),
        f"{component}.{variable} cannot be set to {value!r} (SetVariables {status})",
    )


async def measurands(csms: CsmsPeer, component: str, variable: str) -> list[str]:
    """The configured measurands of ``component.variable``; where none are configured (or the
    variable is absent), the energy register is set (the OCA's cases need at least one)."""
    item = await get_variable(csms, component, variable, req=f"J: {component}.{variable} read")
    names = [m for m in str(item.get("attributeValue") or "").split(",") if m]
    if item.get("attributeStatus") == "Accepted" and names:
        return names
    await configure(csms, component, variable, ENERGY)
    return [ENERGY]


def check_reading(
    meter_value: Mapping[str, Any], context: str, names: Sequence[str], *, req: str
) -> None:
    """A meterValue's first sampledValue has ``context`` (J01.FR.08/J02.FR.04), every configured
    measurand is there (J01.FR.07/J02.FR.03; an absent measurand is the energy register), and no
    value is located at the EV except the SoC (errata 2024-09, block J)."""
    values = meter_value.get("sampledValue") or []
    require(
        bool(values) and values[0].get("context", "Sample.Periodic") == context,
        req=f"{req}: sampledValue[0].context {context}",
        expected=context,
        actual=repr(values[0].get("context") if values else values),
    )
    seen = {v.get("measurand", ENERGY) for v in values}
    missing = [m for m in names if m not in seen]
    require(
        not missing,
        req=f"{req}: a sampledValue per configured measurand",
        expected=", ".join(names),
        actual=f"{sorted(seen)} (missing {', '.join(missing)})",
    )
    at_ev = [v for v in values if v.get("location") == "EV" and v.get("measurand") != "SoC"]
    require(
        not at_ev,
        req="J (errata 2024-09): no sampledValue at location EV except SoC",
        expected="no location EV",
        actual=repr(at_ev[:1]),
    )


def _epoch(stamp: Any) -> float:
    return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()


def check_spacing(stamps: Sequence[Any], interval: float, *, req: str) -> None:
    """Successive distinct timestamps lie ``interval`` apart (within :data:`SLACK_S`)."""
    moments = sorted({_epoch(s) for s in stamps})
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(moments)]
    require(
        all(abs(g - interval) <= SLACK_S for g in gaps),
        req=f"{req}: timestamps {interval:g} s apart",
        expected=f"gaps of {interval:g} s (± {SLACK_S:g})",
        actual=str(gaps),
    )


async def first_of(
    csms: CsmsPeer, looks: Sequence[tuple[str, dict[str, Any]]], *, within_s: float, req: str
) -> InboundCall:
    """The first CALL matching one of ``looks`` (action, subset) within ``within_s``."""
    deadline = time.monotonic() + within_s
    probe = f"{req} (looking)"
    while True:
        for action, subset in looks:
            try:
                return await csms.expect(action, within_s=0.05, req=probe, **subset)
            except SutFailure as exc:
                if exc.requirement != probe:
                    raise
        if time.monotonic() >= deadline:
            shown = " or ".join(a for a, _ in looks)
            raise SutFailure(
                req, f"{shown} within {within_s:g} s", "none came", csms.trace.render(last=12)
            )


@oca(
    "TC_J_01_CS",
    "Clock-aligned Meter Values - No transaction ongoing",
    profile="core",
    versions=V2,
    kills=("aligned-meter-values-not-sent",),
)
async def test_clock_aligned_idle(csms: CsmsPeer) -> None:
    """TC_J_01 (J01): Before: AlignedDataCtrlr.Interval set (NOT-APPLICABLE where it cannot
    be). Step 1: three MeterValues come (J01.FR.14), each naming its EVSE (J01.FR.02, the
    schema), sampledValue[0].context Sample.Clock with an element per AlignedDataCtrlr.Measurands
    (J01.FR.06-08). Post: their distinct timestamps lie the interval apart (J01.FR.14/15)."""
    names = await measurands(csms, "AlignedDataCtrlr", "Measurands")
    await configure(csms, "AlignedDataCtrlr", "Interval", str(INTERVAL_S))
    stamps = []
    for _ in range(3):
        mv = await csms.expect(
            "MeterValues", within_s=INTERVAL_S * 3 + 1, req="J01.FR.14: clock-aligned MeterValues"
        )
        for one in mv["meterValue"]:
            check_reading(one, "Sample.Clock", names, req="J01.FR.08")
            stamps.append(one["timestamp"])
    check_spacing(stamps, INTERVAL_S, req="J01.FR.14")


@oca(
    "TC_J_02_CS",
    "Clock-aligned Meter Values - Transaction ongoing",
    profile="core",
    versions=V2,
    kills=("aligned-tx-wrong-trigger",),
)
async def test_clock_aligned_transaction(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_J_02 (J01): Before: AlignedDataCtrlr.Interval set, AlignedDataSendDuringIdle false
    where it exists; state EnergyTransferStarted. For the transaction's EVSE either path of the
    OCA: MeterValues (steps 1-2) or TransactionEvent Updated with triggerReason MeterValueClock
    (steps 3-4, J01.FR.22), sampledValue[0].context Sample.Clock and an element per
    AlignedDataCtrlr.Measurands; collected for the transaction duration. Post: their distinct
    timestamps lie the interval apart. Beyond the OCA: the transaction is ended again."""
    names = await measurands(csms, "AlignedDataCtrlr", "Measurands")
    idle = await get_variable(
        csms, "AlignedDataCtrlr", "SendDuringIdle", req="J: AlignedDataCtrlr.SendDuringIdle"
    )
    if idle.get("attributeStatus") == "Accepted" and idle.get("attributeValue") == "true":
        await configure(csms, "AlignedDataCtrlr", "SendDuringIdle", "false")
    session = await charging(csms, sut, sut_profile)
    await configure(csms, "AlignedDataCtrlr", "Interval", str(INTERVAL_S))
    stamps = []
    looks = [
        ("TransactionEvent", {"trigger_reason": "MeterValueClock"}),
        ("MeterValues", {"evse_id": session.evse_id}),
    ]
    for _ in range(2):
        got = await first_of(
            csms,
            looks,
            within_s=INTERVAL_S * 3 + 1,
            req="J01.FR.22: clock-aligned values of the transaction's EVSE "
            "(MeterValues or TransactionEvent MeterValueClock)",
        )
        if got.action == "TransactionEvent":
            session.add(got, "J01.FR.22")
        for one in got.get("meterValue") or [{}]:
            check_reading(one, "Sample.Clock", names, req="J01.FR.22")
            stamps.append(one.get("timestamp", got.get("timestamp")))
    check_spacing(stamps, INTERVAL_S, req="J01.FR.22")
    await configure(csms, "AlignedDataCtrlr", "Interval", "0")
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_J_03_CS",
    "Clock-aligned Meter Values - EventType Ended",
    profile="core",
    versions=V2,
    kills=("tx-ended-no-clock-samples",),
)
async def test_clock_aligned_ended(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_J_03 (J01, E06): Before: AlignedDataCtrlr.TxEndedInterval set,
    SampledDataCtrlr.TxEndedMeasurands empty; state EnergyTransferStarted. Step 1: after the
    transaction duration the transaction is stopped. Deviation: the OCA stops it with state
    ParkingBayUnoccupied; the harness ends it at the station's TxStopPoint (the same token, or
    unplugging) — the validation concerns the Ended event, not how it came. Post: the Ended
    event has meterValue (E06.FR.11), the first sampledValue Sample.Clock with an element per
    AlignedDataCtrlr.TxEndedMeasurands, timestamps the interval apart."""
    await _clock_ended(csms, sut, sut_profile, sign=False)


@oca(
    "TC_J_04_CS",
    "Clock-aligned Meter Values - Signed",
    profile="core",
    versions=V2,
    condition="C-40 AND C-42",
    kills=("readings-unsigned",),
)
async def test_clock_aligned_signed(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_J_04 (J01): as TC_J_03_CS with AlignedDataCtrlr.SignReadings true (NOT-APPLICABLE
    where it cannot be set) and AlignedDataSendDuringIdle left as the station has it: every
    sampledValue of the Ended event carries a signedMeterValue with a publicKey field
    (J01.FR.21; the key may be empty per OCPPCommCtrlr.PublicKeyWithSignedMeterValue).
    Deviation: the OCA words these validations as "should"; J01.FR.21 is a SHALL, so a
    missing signature FAILs."""
    await _clock_ended(csms, sut, sut_profile, sign=True)


async def _clock_ended(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, *, sign: bool
) -> None:
    names = await measurands(csms, "AlignedDataCtrlr", "TxEndedMeasurands")
    await configure(csms, "SampledDataCtrlr", "TxEndedMeasurands", "")
    if sign:
        await configure(csms, "AlignedDataCtrlr", "SignReadings", "true")
    await configure(csms, "AlignedDataCtrlr", "TxEndedInterval", str(INTERVAL_S))
    session = await charging(csms, sut, sut_profile)
    await _wait(DURATION_S)
    event = await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")
    readings = _ended_readings(event, req="E06.FR.11")
    check_reading(readings[0], "Sample.Clock", names, req="E06.FR.11")
    clock = [r for r in readings if _contexts(r) == {"Sample.Clock"}]
    check_spacing([r["timestamp"] for r in clock], INTERVAL_S, req="E06.FR.11")
    if sign:
        _check_signed(clock, req="J01.FR.21")


@oca(
    "TC_J_07_CS",
    "Sampled Meter Values - EventType Started - EVSE known",
    profile="core",
    versions=V2,
    kills=("tx-started-no-meter-values",),
)
async def test_sampled_started(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_J_07 (J02, E01/E02): Before: TxStartPoint not ParkingBayOccupancy only (else
    NOT-APPLICABLE). Deviation: the OCA starts from state ParkingBayOccupied; a station without
    a bay sensor has none, so the case starts at step 1. Steps: EVConnectedPreSession,
    EnergyTransferStarted (per the TxStartPoint). Post: the Started event has meterValue
    (E01.FR.09/E02.FR.09) whose first sampledValue is Transaction.Begin, with an element per
    SampledDataCtrlr.TxStartedMeasurands. Beyond the OCA: the transaction is ended again."""
    names = await measurands(csms, "SampledDataCtrlr", "TxStartedMeasurands")
    session = await charging(csms, sut, sut_profile)
    applicable_unless(
        session.points.start == frozenset({"ParkingBayOccupancy"}),
        "TxStartPoint is ParkingBayOccupancy (TC_J_07 prerequisite)",
    )
    started = next(e for e in session.events if e["eventType"] == "Started")
    meter = started.get("meterValue") or []
    require(
        bool(meter),
        req="E02.FR.09: the Started event carries meterValue",
        expected="meterValue with a Transaction.Begin reading",
        actual=repr(started.payload)[:300],
    )
    check_reading(meter[0], "Transaction.Begin", names, req="E02.FR.09")
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_J_09_CS",
    "Sampled Meter Values - EventType Updated",
    profile="core",
    versions=V2,
    kills=("periodic-wrong-context",),
)
async def test_sampled_updated(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_J_09 (J02, E02): Before: SampledDataCtrlr.TxUpdatedInterval set; state
    EnergyTransferStarted. Step 1, for the transaction duration: TransactionEvent Updated with
    triggerReason MeterValuePeriodic (J02.FR.11), first sampledValue Sample.Periodic, an element
    per SampledDataCtrlr.TxUpdatedMeasurands. Post: timestamps the interval apart. Beyond the
    OCA: the transaction is ended again."""
    names = await measurands(csms, "SampledDataCtrlr", "TxUpdatedMeasurands")
    await configure(csms, "SampledDataCtrlr", "TxUpdatedInterval", str(INTERVAL_S))
    session = await charging(csms, sut, sut_profile)
    stamps = []
    for _ in range(3):
        event = await csms.expect(
            "TransactionEvent",
            trigger_reason="MeterValuePeriodic",
            within_s=INTERVAL_S * 2 + 1,
            req="J02.FR.11: TransactionEvent Updated MeterValuePeriodic",
        )
        session.add(event, "J02.FR.11")
        for one in event.get("meterValue") or [{}]:
            check_reading(one, "Sample.Periodic", names, req="J02.FR.04")
        stamps.append(event["timestamp"])
    check_spacing(stamps, INTERVAL_S, req="J02.FR.11")
    await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")


@oca(
    "TC_J_10_CS",
    "Sampled Meter Values - EventType Ended",
    profile="core",
    versions=V2,
    kills=("tx-ended-no-samples",),
)
async def test_sampled_ended(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_J_10 (J02, E06): Before: SampledDataCtrlr.TxEndedInterval set,
    AlignedDataCtrlr.TxEndedMeasurands empty (where it can be set); state EnergyTransferStarted.
    Step 1: after the transaction duration the transaction is stopped (deviation as TC_J_03:
    at the station's TxStopPoint, not by ParkingBayUnoccupied). Post: the Ended event has
    meterValue (E06.FR.11), its first sampledValue Sample.Periodic and one Transaction.End, an
    element per SampledDataCtrlr.TxEndedMeasurands, periodic timestamps the interval apart."""
    await _sampled_ended(csms, sut, sut_profile, sign=False)


@oca(
    "TC_J_11_CS",
    "Sampled Meter Values - Signed",
    profile="core",
    versions=V2,
    condition="C-42",
    kills=("readings-unsigned",),
)
async def test_sampled_signed(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_J_11 (J02): as TC_J_10_CS with SampledDataCtrlr.SignReadings true (NOT-APPLICABLE
    where it cannot be set): every sampledValue of the Ended event carries a signedMeterValue
    with a publicKey field (J02.FR.21; the OCA leaves the key itself to
    OCPPCommCtrlr.PublicKeyWithSignedMeterValue, so an empty one passes)."""
    await _sampled_ended(csms, sut, sut_profile, sign=True)


async def _sampled_ended(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile, *, sign: bool
) -> None:
    names = await measurands(csms, "SampledDataCtrlr", "TxEndedMeasurands")
    item = await set_variable(
        csms, "AlignedDataCtrlr", "TxEndedMeasurands", "", req="J: AlignedDataCtrlr emptied"
    )
    del item  # optional variable: emptied where it exists
    if sign:
        await configure(csms, "SampledDataCtrlr", "SignReadings", "true")
    await configure(csms, "SampledDataCtrlr", "TxEndedInterval", str(INTERVAL_S))
    session = await charging(csms, sut, sut_profile)
    await _wait(DURATION_S)
    event = await stop_charging(csms, sut, sut_profile, session, req="E06: the transaction ends")
    readings = _ended_readings(event, req="E06.FR.11")
    check_reading(readings[0], "Sample.Periodic", names, req="E06.FR.11")
    require(
        any("Transaction.End" in _contexts(r) for r in readings),
        req="E06.FR.11: one reading with context Transaction.End",
        expected="a Transaction.End sampledValue",
        actual=str([sorted(_contexts(r)) for r in readings]),
    )
    periodic = [r for r in readings if _contexts(r) == {"Sample.Periodic"}]
    check_spacing([r["timestamp"] for r in periodic], INTERVAL_S, req="E06.FR.11")
    if sign:
        _check_signed(readings, req="J02.FR.21")


def _check_signed(readings: Sequence[Mapping[str, Any]], *, req: str) -> None:
    values = [v for r in readings for v in r.get("sampledValue") or []]
    unsigned = [v for v in values if "publicKey" not in (v.get("signedMeterValue") or {})]
    require(
        not unsigned,
        req=f"{req}: signed readings carry signedMeterValue",
        expected="a signedMeterValue (with publicKey) on every sampledValue",
        actual=repr(unsigned[:1]),
    )


def _contexts(meter_value: Mapping[str, Any]) -> set[str]:
    return {v.get("context", "Sample.Periodic") for v in meter_value.get("sampledValue") or []}


def _ended_readings(event: InboundCall, *, req: str) -> list[Mapping[str, Any]]:
    readings: list[Mapping[str, Any]] = list(event.get("meterValue") or [])
    require(
        bool(readings),
        req=f"{req}: the Ended event carries the readings of the transaction",
        expected="meterValue with the readings taken every interval",
        actual=repr(event.payload)[:300],
    )
    return readings


async def _wait(seconds: float) -> None:
    """The OCA's "configured transaction duration"."""
    await asyncio.sleep(seconds)


# -- the CSMS under test ------------------------------------------------------------------------
def _aligned_stamps(count: int) -> list[str]:
    """``count`` clock-aligned moments :data:`INTERVAL_S` apart, the last one just passed."""
    last = math.floor(time.time() / INTERVAL_S) * INTERVAL_S
    moments = [last - INTERVAL_S * (count - 1 - i) for i in range(count)]
    return [
        datetime.fromtimestamp(m, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        for m in moments
    ]


async def _meter_values(station: StationPeer, evse_id: int, stamp: str, wh: float) -> None:
    await station.call(
        "MeterValues",
        evse_id=evse_id,
        meter_value=[reading("Sample.Clock", wh, timestamp=stamp)],
        req="J01.FR.18: MeterValues answered",
    ).must(req="J01.FR.18: MeterValues answered")


@oca(
    "TC_J_01_CSMS",
    "Clock-aligned Meter Values - No transaction ongoing",
    profile="core",
    versions=V2,
    kills=("csms-metervalues-error",),
)
async def test_csms_clock_aligned_idle(station: StationPeer) -> None:
    """TC_J_01 (J01.FR.18): three rounds of clock-aligned MeterValues (Sample.Clock), for the
    main meter (evseId 0) and the EVSE, each answered with MeterValuesResponse. Deviation: the
    rounds carry timestamps an interval apart but are sent back to back (the CSMS's answer does
    not depend on the wait); the OCA's alternative NotifyEvent (FiscalMetering) is not sent."""
    for i, stamp in enumerate(_aligned_stamps(3)):
        for evse_id in (0, 1):
            await _meter_values(station, evse_id, stamp, 1000.0 + i)


@oca(
    "TC_J_02_CSMS",
    "Clock-aligned Meter Values - Transaction ongoing",
    profile="core",
    versions=V2,
    kills=("csms-metervalues-error", "csms-tx-meter-data-error"),
)
async def test_csms_clock_aligned_transaction(
    station: StationPeer, sut_profile: SutProfile
) -> None:
    """TC_J_02 (J01.FR.18, J02.FR.19): state EnergyTransferStarted on EVSE 1; clock-aligned
    MeterValues for the main meter (evseId 0) answered (steps 1-2), and TransactionEvent
    Updated with triggerReason MeterValueClock (Sample.Clock) answered (steps 3-4), sent back
    to back with timestamps an interval apart (deviation as TC_J_01_CSMS). Beyond the OCA: the
    transaction is ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    for i, stamp in enumerate(_aligned_stamps(2)):
        await _meter_values(station, 0, stamp, 5000.0 + i)
        await tx.event(
            "Updated",
            "MeterValueClock",
            timestamp=stamp,
            meter=[reading("Sample.Clock", 100.0 + i, timestamp=stamp)],
            req="J02.FR.19: TransactionEvent MeterValueClock answered",
        )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_J_03_CSMS",
    "Clock-aligned Meter Values - EventType Ended",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_clock_aligned_ended(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_J_03 (J01.FR.18): state EnergyTransferStarted, then state EVDisconnected whose
    TransactionEvent Ended carries meterValue with clock-aligned samples an interval apart
    (Sample.Clock), the last one Transaction.End, answered with TransactionEventResponse. The
    document has no tool validation. Deviation: sent at once, not after a configured
    transaction duration (the CSMS's answer does not depend on it)."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    stamps = _aligned_stamps(3)
    meter = [reading("Sample.Clock", 100.0 * (i + 1), timestamp=t) for i, t in enumerate(stamps)]
    meter.append(reading("Transaction.End", 350.0))
    await station_ev_disconnected(
        tx, meter=meter, req="J02.FR.19: TransactionEvent Ended with meter data answered"
    )


@oca(
    "TC_J_07_CSMS",
    "Sampled Meter Values - EventType Started - EVSE known",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_sampled_started(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_J_07 (J02.FR.19): state EVConnectedPreSession whose Started event carries meterValue
    with context Transaction.Begin, answered with TransactionEventResponse. Beyond the OCA:
    the transaction is ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    await station_ev_connected(
        tx,
        meter=[reading("Transaction.Begin", 0.0)],
        req="J02.FR.19: TransactionEvent Started with meter data answered",
    )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_J_09_CSMS",
    "Sampled Meter Values - EventType Updated",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_sampled_updated(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_J_09 (J02.FR.19): state EnergyTransferStarted, then three TransactionEvent Updated
    with triggerReason MeterValuePeriodic (Sample.Periodic), timestamps an interval apart, each
    answered (sent back to back, deviation as TC_J_01_CSMS). Beyond the OCA: the transaction is
    ended again (EVDisconnected)."""
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    for i, stamp in enumerate(_aligned_stamps(3)):
        await tx.event(
            "Updated",
            "MeterValuePeriodic",
            timestamp=stamp,
            meter=[reading("Sample.Periodic", 10.0 * (i + 1), timestamp=stamp)],
            req="J02.FR.19: TransactionEvent MeterValuePeriodic answered",
        )
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_J_10_CSMS",
    "Sampled Meter Values - EventType Ended",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_sampled_ended(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_J_10 (J02.FR.19): state EnergyTransferStarted, then state EVDisconnected whose Ended
    event carries the readings of the transaction (Sample.Periodic an interval apart, the last
    one Transaction.End), answered with TransactionEventResponse."""
    await _csms_ended_with(station, sut_profile, "Sample.Periodic", sign=False)


@oca(
    "TC_J_04_CSMS",
    "Clock-aligned Meter Values - Signed",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_clock_aligned_signed(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_J_04 (J02.FR.19, J01.FR.21): state EnergyTransferStarted, then state EVDisconnected
    whose Ended event carries signed clock-aligned readings (Sample.Clock an interval apart, the
    last one Transaction.End, each with a signedMeterValue), answered."""
    await _csms_ended_with(station, sut_profile, "Sample.Clock", sign=True)


@oca(
    "TC_J_08_CSMS",
    "Sampled Meter Values - Context Transaction.Begin - EVSE not known",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_sampled_begin_evse_unknown(
    station: StationPeer, sut_profile: SutProfile
) -> None:
    """TC_J_08 (J02.FR.19): state Authorized (Authorize Accepted, Started Authorized with the
    idToken and no EVSE), state EVConnectedPreSession whose event (Updated CablePluggedIn, now
    naming the EVSE) carries a Transaction.Begin reading, answered; state
    EnergyTransferStarted. Beyond the OCA: the transaction is ended again."""
    tx = StationTx.of(station, sut_profile)
    auth = await station.call("Authorize", id_token=tx.token, req="C01: Authorize answered")
    auth.must(id_token_info={"status": "Accepted"}, req="C01: a valid token is Accepted")
    await tx.event(
        "Started",
        "Authorized",
        charging_state="Idle",
        id_token=tx.token,
        req="E01: TransactionEvent Started answered",
    )
    await tx.status("Occupied", req="G01: StatusNotification Occupied answered")
    await tx.event(
        "Updated",
        "CablePluggedIn",
        charging_state="EVConnected",
        evse={"id": tx.evse_id, "connectorId": tx.connector_id},
        meter=[reading("Transaction.Begin", 0.0)],
        req="J02.FR.19: TransactionEvent with the Transaction.Begin reading answered",
    )
    await tx.event("Updated", "ChargingStateChanged", req="E02: TransactionEvent Updated answered")
    await station_ev_disconnected(tx, req="E06: TransactionEvent Ended answered")


@oca(
    "TC_J_11_CSMS",
    "Sampled Meter Values - Signed",
    profile="core",
    versions=V2,
    kills=("csms-tx-meter-data-error",),
)
async def test_csms_sampled_signed(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_J_11 (J02.FR.19, J02.FR.21): state EnergyTransferStarted, then state EVDisconnected
    whose Ended event carries signed sampled readings (Sample.Periodic an interval apart, the
    last one Transaction.End, each with a signedMeterValue), answered."""
    await _csms_ended_with(station, sut_profile, "Sample.Periodic", sign=True)


async def _csms_ended_with(
    station: StationPeer, sut_profile: SutProfile, context: str, *, sign: bool
) -> None:
    tx = StationTx.of(station, sut_profile)
    await station_charging(tx)
    stamps = _aligned_stamps(3)
    meter = [reading(context, 10.0 * (i + 1), timestamp=s) for i, s in enumerate(stamps)]
    meter.append(reading("Transaction.End", 40.0))
    if sign:
        meter = [signed(m) for m in meter]
    await station_ev_disconnected(
        tx, meter=meter, req="J02.FR.19: TransactionEvent Ended with meter data answered"
    )
