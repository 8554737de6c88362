"""Shared steps of the OCPP 1.6 Smart Charging cases (charge point under test; 1.6 §3.13, §5.5,
§5.7, §5.16): profile payloads in the 1.6 shape, Set/Clear/GetCompositeSchedule calls, and the
composite check against the :mod:`harness.smart_charging` oracle in its 1.6 dialect (a mismatch
reports per stretch expected vs actual with the profile it came from, and the offset x).

Units: the cases write their limits in A. A charge point whose
ChargingScheduleAllowedChargingRateUnit (read before each case) allows Power only takes W
schedules only (§9.4.2, errata 3.88): it gets the same limits in W (:func:`in_unit`, §7.12 with
errata 3.69). The composite is asked for in A; a charge point that answers in W (the request's
unit "can be used to force" one, §6.21, no SHALL; the answer names its unit, §7.13) is compared
in W, and a Power-only charge point that Rejects the A request (§5.7: it cannot report that
schedule) is asked again in W. Legal variant ``sc-rate-unit-watts`` of the reference."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from harness import CsmsPeer
from harness.checks import require
from harness.peers.exchange import CallOutcome
from harness.smart_charging import (
    V16,
    CompositeSchedule,
    Profile,
    TxState,
    compare,
    compose,
    to_unit,
)
from harness.smart_charging.model import DEFAULT_PHASES, format_time, parse_time
from testcases.v16.auth_states import claims
from testcases.v201.sc_delivery import drawn_between

SMART = claims("smart-charging", "SmartCharging")
#: The OCA's "configured max time deviation" (s) between expected and reported schedules.
DEVIATION_S = 2
#: When the case sent its last SetChargingProfile (the diagnosis' x).
_LAST_SET: dict[str, float | None] = {"at": None, "asked": None}
#: The window of every GetCompositeSchedule of these cases (s).
WINDOW_S = 60
#: The schedule unit the charge point under test takes (read by :func:`profiles_cleared`).
_UNIT: dict[str, str] = {"unit": "A"}
UNITS_KEY = "ChargingScheduleAllowedChargingRateUnit"
#: 1.6 §7.12: W = A x the area's line voltage x numberPhases (3 when absent).
LINE_VOLTAGE_V = 230.0


def profile16(
    pid: int,
    purpose: str,
    amps: float,
    *,
    stack: int = 0,
    transaction_id: int | None = None,
    periods: Iterable[tuple[int, float]] = (),
) -> dict[str, Any]:
    """A 1.6 ChargingProfile (§7.8): Absolute from a second ago, in A, ``amps`` from 0 and the
    later ``periods`` (startPeriod, limit)."""
    rows = [{"startPeriod": 0, "limit": amps}] + [
        {"startPeriod": s, "limit": a} for s, a in periods
    ]
    body: dict[str, Any] = {
        "chargingProfileId": pid,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {
            "startSchedule": format_time(float(int(time.time()) - 1)),
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": rows,
        },
    }
    if transaction_id is not None:
        body["transactionId"] = transaction_id
    return body


def in_unit(profile: Mapping[str, Any]) -> dict[str, Any]:
    """``profile`` with its limits in the unit the charge point takes: as written (A), or in W
    for a charge point that allows Power only (§7.12 with errata 3.69: A x 230 V x
    numberPhases, 3 when absent)."""
    body = dict(profile)
    schedule = dict(body["chargingSchedule"])
    unit, wanted = schedule["chargingRateUnit"], _UNIT["unit"]
    if unit == wanted:
        return body
    schedule["chargingRateUnit"] = wanted
    schedule["chargingSchedulePeriod"] = [
        {
            **p,
            "limit": round(
                to_unit(
                    p["limit"],
                    unit,
                    wanted,
                    p.get("numberPhases", DEFAULT_PHASES),
                    LINE_VOLTAGE_V,
                ),
                1,
            ),
        }
        for p in schedule["chargingSchedulePeriod"]
    ]
    body["chargingSchedule"] = schedule
    return body


async def schedule_unit(csms: CsmsPeer) -> str:
    """W when the charge point's ChargingScheduleAllowedChargingRateUnit (§9.4.2, required for
    Smart Charging) lists Power and not Current (errata 3.88), else A."""
    result = await csms.call_payload(
        "GetConfiguration", {"key": [UNITS_KEY]}, req=f"1.6 §9.4.2: {UNITS_KEY} read"
    )
    items = result.get("configurationKey") if result.error is None else None
    value = next((str(i.get("value", "")) for i in items or [] if i.get("key") == UNITS_KEY), "")
    allowed = {u.strip() for u in value.split(",")}
    return "W" if "Power" in allowed and "Current" not in allowed else "A"


async def set_profile(
    csms: CsmsPeer, connector: int, profile: Mapping[str, Any], *, status: str, req: str
) -> CallOutcome:
    """SetChargingProfile answered ``status`` (§5.16), in the charge point's unit (:func:`in_unit`)."""
    _LAST_SET["at"] = time.time()
    payload = {"connectorId": connector, "csChargingProfiles": in_unit(profile)}
    result = await csms.call_payload("SetChargingProfile", payload, req=req)
    result.must(status=status, req=req)
    return result


async def clear(csms: CsmsPeer, *, status: str, req: str, **criteria: Any) -> CallOutcome:
    """ClearChargingProfile with ``criteria`` (wire names) answered ``status`` (§5.5)."""
    result = await csms.call_payload("ClearChargingProfile", dict(criteria), req=req)
    result.must(status=status, req=req)
    return result


async def clear_all(csms: CsmsPeer) -> None:
    """Best effort: every profile cleared (the next case starts clean)."""
    with contextlib.suppress(Exception):
        await csms.call_payload("ClearChargingProfile", {}, req="clean-up")


@contextlib.asynccontextmanager
async def profiles_cleared(csms: CsmsPeer) -> AsyncIterator[None]:
    """No profile before the case, and none after it whatever happened; the charge point's
    schedule unit read first (:func:`schedule_unit`)."""
    _UNIT["unit"] = await schedule_unit(csms)
    await clear_all(csms)
    try:
        yield
    finally:
        await clear_all(csms)


async def composite(csms: CsmsPeer, connector: int, *, req: str) -> CallOutcome:
    """GetCompositeSchedule in A over :data:`WINDOW_S`, answered Accepted (§5.7); a charge
    point that allows Power only and Rejects it is asked in W (module doc)."""
    result = None
    for unit in ("A", "W"):
        _LAST_SET["asked"] = time.time()
        payload = {"connectorId": connector, "duration": WINDOW_S, "chargingRateUnit": unit}
        result = await csms.call_payload("GetCompositeSchedule", payload, req=req)
        if _UNIT["unit"] == "A" or result.get("status") != "Rejected":
            break
    assert result is not None
    result.must(status="Accepted", req=req)
    return result


def expected(
    sent: Iterable[tuple[int, Mapping[str, Any]]],
    connector: int,
    duration: int,
    tx: tuple[int, int] | None = None,
    *,
    start: float | None = None,
) -> CompositeSchedule:
    """The oracle's composite (1.6 dialect) of ``connector`` from ``start`` (default now) for
    the (connectorId, chargingProfile) pairs sent; ``tx``: (connector, transactionId) of a
    running transaction."""
    installed = [Profile.from_payload(in_unit(p), c, V16) for c, p in sent]
    txs = {} if tx is None else {tx[0]: TxState(tx[0], str(tx[1]), time.time())}
    at = time.time() if start is None else start
    return compose(installed, connector, at, duration, "A", transactions=txs, dialect=V16)


def check_composite(
    outcome: CallOutcome,
    sent: Iterable[tuple[int, Mapping[str, Any]]],
    connector: int,
    tx: tuple[int, int] | None = None,
    *,
    req: str,
) -> None:
    """The answer's schedule (connectorId as asked, scheduleStart within the deviation of the
    request: §5.7) against the oracle's composite of the profiles ``sent`` from that
    scheduleStart, in the unit the answer names (§7.13; the oracle's converted, module doc),
    within the precision and the time deviation; stretches no installed profile limits (the
    charge point's own maximum) are not compared. On a mismatch ``actual`` is the diagnosis."""
    body = outcome.payload
    require(
        isinstance(body.get("chargingSchedule"), Mapping),
        req=req,
        expected="a chargingSchedule in the Accepted GetCompositeSchedule.conf",
        actual=repr(body),
        frames=outcome.frames,
    )
    got = CompositeSchedule.from_payload(dict(body), V16)
    asked = _LAST_SET["asked"] or time.time()
    if not got.start:  # scheduleStart is optional (§6.24): the schedule starts on receipt
        got = CompositeSchedule(got.location, asked, got.duration, got.unit, got.periods)
    want = expected(sent, connector, WINDOW_S, tx, start=got.start)
    require(
        got.location == want.location and got.unit in ("A", "W"),
        req=req,
        expected=f"connectorId {want.location}, A or W",
        actual=f"connectorId {got.location}, {got.unit}",
        frames=outcome.frames,
    )
    if got.duration == 0:  # duration is optional in the 1.6 ChargingSchedule (§7.13)
        got = CompositeSchedule(got.location, got.start, want.duration, got.unit, got.periods)
    result = compare(want, got, time_tolerance_s=DEVIATION_S)
    diffs = [d for d in result.differences if d.sources]
    lines = result.lines()[:1] + [f"{d} {result.unit}" for d in diffs]
    set_at = _LAST_SET["at"]
    if set_at is not None:
        lines.insert(1, f"x = {got.start - set_at:+.1f} s from the last SetChargingProfile")
    late = got.start - asked
    lines.insert(1, f"scheduleStart is {late:+.1f} s from the GetCompositeSchedule.req")
    require(
        not diffs and math.isfinite(late) and abs(late) <= DEVIATION_S,
        req=req,
        expected="the composite schedule of the installed profiles (oracle), "
        f"scheduleStart within {DEVIATION_S} s of the request",
        actual="\n".join(lines),
        frames=outcome.frames,
    )


DELIVERY = (
    "1.6 §3.13.1, §7.11: an Accepted profile is executed: the EV draws no more than its limit"
)


async def _register_wh(csms: CsmsPeer, connector: int) -> tuple[float, float] | None:
    """(charge point time, Energy.Active.Import.Register in Wh) of a triggered MeterValues of
    ``connector`` (1.6 §5.17); None when the charge point triggers none or reports no register
    in Wh/kWh."""
    asked = await csms.call_payload(
        "TriggerMessage",
        {"requestedMessage": "MeterValues", "connectorId": connector},
        req="1.6 §5.17: TriggerMessage MeterValues",
    )
    if asked.error is not None or asked.get("status") != "Accepted":
        return None
    note = await csms.expect(
        "MeterValues",
        connector_id=connector,
        within_s=csms.action_s,
        req="1.6 §5.17: the triggered MeterValues is sent",
    )
    for value in note["meterValue"]:
        for sample in value.get("sampledValue", []):
            unit = sample.get("unit", "Wh")
            measurand = sample.get("measurand", "Energy.Active.Import.Register")
            if measurand == "Energy.Active.Import.Register" and unit in ("Wh", "kWh"):
                wh = float(sample["value"]) * (1000 if unit == "kWh" else 1)
                stamp = parse_time(value["timestamp"])
                return None if stamp is None else (stamp, wh)
    return None


async def drawn_within(
    csms: CsmsPeer, connector: int, limit_a: float, *, phases: int = 3, span_s: float = 4
) -> None:
    """Beyond the OCA (issue 13 item 5): the energy the EV draws over ``span_s`` follows the
    limit of ``limit_a`` A per phase (in W after §7.12), two triggered register readings apart,
    with 10 % and one register step of slack (an upper bound: an EV may draw less). Not measured
    where the charge point triggers no MeterValues (Remote Trigger is optional)."""
    limit_w = limit_a * LINE_VOLTAGE_V * phases
    await drawn_between(lambda: _register_wh(csms, connector), limit_w, span_s=span_s, req=DELIVERY)
