"""Beyond the OCA (issue 13 item 5): the power an EV draws follows the charging profile's limit,
measured as two triggered readings of the EVSE's energy register (F06 TriggerMessage
MeterValues). A station that does not trigger MeterValues, or reports no register in Wh or kWh,
is not measured."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from harness import CsmsPeer
from harness.checks import require
from harness.smart_charging import parse_time


async def _register_wh(csms: CsmsPeer, evse_id: int) -> tuple[float, float] | None:
    """(station time, Energy.Active.Import.Register in Wh) of a triggered MeterValues of the
    EVSE (F06); None when the station does not trigger one or reports no register in Wh/kWh."""
    asked = await csms.call_payload(
        "TriggerMessage",
        {"requestedMessage": "MeterValues", "evse": {"id": evse_id}},
        req="F06: TriggerMessage MeterValues",
    )
    if asked.error is not None or asked.get("status") != "Accepted":
        return None
    note = await csms.expect(
        "MeterValues", evse_id=evse_id, within_s=csms.action_s, req="F06.FR.04: MeterValues sent"
    )
    for value in note["meterValue"]:
        for sample in value.get("sampledValue", []):
            unit = (sample.get("unitOfMeasure") or {}).get("unit", "Wh")
            measurand = sample.get("measurand", "Energy.Active.Import.Register")
            if measurand == "Energy.Active.Import.Register" and unit in ("Wh", "kWh"):
                scale = 10 ** int((sample.get("unitOfMeasure") or {}).get("multiplier", 0))
                wh = float(sample["value"]) * scale * (1000 if unit == "kWh" else 1)
                stamp = parse_time(value["timestamp"])
                return None if stamp is None else (stamp, wh)
    return None


async def drawn_within(csms: CsmsPeer, evse_id: int, limit_w: float, *, span_s: float = 5) -> None:
    """Beyond the OCA (issue 13 item 5): the energy the EV draws over ``span_s`` follows the
    limit (K01.FR.02). Skipped where the station triggers no MeterValues."""
    await drawn_between(
        lambda: _register_wh(csms, evse_id),
        limit_w,
        span_s=span_s,
        req="K01.FR.02: the EV draws no more than the charging profile's limit",
    )


async def drawn_between(
    read: Callable[[], Awaitable[tuple[float, float] | None]],
    limit_w: float,
    *,
    span_s: float,
    req: str,
) -> None:
    """The energy drawn between two register readings (``read``: station time, Wh; None when
    there is none) ``span_s`` apart is at most ``limit_w`` over that time, with 10 % and one
    register step of slack (an upper bound: an EV may draw less). Both versions."""
    first = await read()
    if first is None:
        return
    await asyncio.sleep(span_s)
    second = await read()
    if second is None or second[0] <= first[0]:
        return
    hours = (second[0] - first[0]) / 3600
    drawn, allowed = second[1] - first[1], limit_w * hours * 1.1 + 1.0
    require(
        drawn <= allowed,
        req=req,
        expected=f"at most {allowed:.1f} Wh in {hours * 3600:.1f} s ({limit_w:.0f} W)",
        actual=f"{drawn:.1f} Wh ({drawn / hours:.0f} W)",
    )
