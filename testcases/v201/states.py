"""Reusable pieces of the 2.0.1/2.1 station cases: the OCA reusable states (Part 6 §2.18) and the
device-model reads they depend on, in our own words.

* :func:`tx_points` reads TxCtrlr.TxStartPoint/TxStopPoint (required variables, E01/E06) and
  falls back to the OCA features the profile declares (C-09.x start, C-10.x stop points);
* :func:`connector_status` waits for a connector's status the way G01 allows it to be reported:
  a StatusNotification, or a NotifyEvent of the Connector's AvailabilityState with trigger Delta
  (G01.FR.03-07; in 2.1 also after boot, B01.FR.05);
* :func:`get_variable` / :func:`set_variable`: one GetVariables/SetVariables item, checked per
  B06/B05 (one result, the same component and variable, the attributeType).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness import CsmsPeer, StationPeer
from harness.checks import require, require_fields, require_one
from harness.config import SutProfile
from harness.peers.exchange import CallOutcome, InboundCall
from harness.verdicts import SutFailure

#: OCA features (Part 5) naming the transaction start (C-09.x) and stop (C-10.x) points.
START_FEATURES = {
    "C-09.1": "EVConnected",
    "C-09.2": "Authorized",
    "C-09.3": "DataSigned",
    "C-09.4": "PowerPathClosed",
    "C-09.5": "EnergyTransfer",
    "C-09.6": "ParkingBayOccupancy",
}
STOP_FEATURES = {
    "C-10.1": "EVConnected",
    "C-10.2": "Authorized",
    "C-10.3": "PowerPathClosed",
    "C-10.4": "EnergyTransfer",
    "C-10.5": "ParkingBayOccupancy",
}
#: Start points reached by plugging in alone (E01.FR.01/02).
AT_PLUG_IN = frozenset({"EVConnected", "ParkingBayOccupancy"})
#: Points that need the EV connected and the driver authorized (E01.FR.04-06).
COMBINED = frozenset({"PowerPathClosed", "EnergyTransfer", "DataSigned"})
#: How long one look for either status message lasts while :func:`connector_status` waits.
_SLICE_S = 0.1


@dataclass(frozen=True, slots=True)
class TxPoints:
    """Where the station starts and stops a transaction (TxCtrlr.TxStartPoint/TxStopPoint)."""

    start: frozenset[str]
    stop: frozenset[str]

    @property
    def starts_at_plug_in(self) -> bool:
        """E01.FR.01/02: plugging in alone starts the transaction."""
        return bool(self.start & AT_PLUG_IN)

    @property
    def stops_at_deauthorization(self) -> bool:
        """E06.FR.03/04: ending the authorization (local or remote stop) ends the transaction."""
        return bool(self.stop & ({"Authorized"} | COMBINED))


def _points(text: Any) -> frozenset[str]:
    return frozenset(p.strip() for p in str(text).split(",") if p.strip())


async def tx_points(csms: CsmsPeer, profile: SutProfile) -> TxPoints:
    """The station's TxStartPoint/TxStopPoint, read with GetVariables; where a value cannot be
    read, the points the profile's C-09.x/C-10.x features declare; else FAIL (E01/E06: both
    are required variables)."""
    found: dict[str, frozenset[str]] = {}
    features = set(profile.sut.features)
    for name, table in (("TxStartPoint", START_FEATURES), ("TxStopPoint", STOP_FEATURES)):
        item = await get_variable(csms, "TxCtrlr", name, req=f"E01: TxCtrlr.{name} read")
        if item.get("attributeStatus") == "Accepted" and _points(item.get("attributeValue")):
            found[name] = _points(item.get("attributeValue"))
            continue
        declared = frozenset(point for feature, point in table.items() if feature in features)
        require(
            bool(declared),
            req=f"Part 2 Appendix 3: TxCtrlr.{name} is a required variable",
            expected=f"TxCtrlr.{name} readable (or declared as features "
            + "/".join(table)
            + " in the SUT profile)",
            actual=f"attributeStatus {item.get('attributeStatus')!r}, no such feature declared",
            frames=csms.trace.render(last=6),
        )
        found[name] = declared
    return TxPoints(found["TxStartPoint"], found["TxStopPoint"])


def _address(
    component: str, variable: str, attribute_type: str | None, instance: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {"component": {"name": component}, "variable": {"name": variable}}
    if instance is not None:
        data["variable"]["instance"] = instance
    if attribute_type is not None:
        data["attributeType"] = attribute_type
    return data


async def get_variable(
    csms: CsmsPeer,
    component: str,
    variable: str,
    *,
    req: str,
    attribute_type: str | None = "Actual",
    instance: str | None = None,
) -> Mapping[str, Any]:
    """GetVariables for one attribute (``attribute_type`` None: omitted): the single result,
    checked per B06.FR.01-03/11 (the same component and variable, the attributeType asked
    for or Actual when none was)."""
    data = _address(component, variable, attribute_type, instance)
    result = await csms.call("GetVariables", get_variable_data=[data], req=req)
    item = require_one(
        result.must(req=req).get("getVariableResult"),
        req="B06.FR.01: one GetVariableResult per requested variable",
        what="getVariableResult",
        frames=result.frames,
    )
    _same_item(item, data, "B06.FR.02/03/11", result.frames)
    return item


async def set_variable(
    csms: CsmsPeer,
    component: str,
    variable: str,
    value: str,
    *,
    req: str,
    attribute_type: str | None = "Actual",
    instance: str | None = None,
) -> Mapping[str, Any]:
    """SetVariables for one attribute (``attribute_type`` None: omitted): the single result,
    checked per B05.FR.01-03/12."""
    data = {
        **_address(component, variable, attribute_type, instance),
        "attributeValue": value,
    }
    result = await csms.call("SetVariables", set_variable_data=[data], req=req)
    item = require_one(
        result.must(req=req).get("setVariableResult"),
        req="B05.FR.01: one SetVariableResult per variable set",
        what="setVariableResult",
        frames=result.frames,
    )
    _same_item(item, data, "B05.FR.02/03/12", result.frames)
    return item


def _same_item(item: Mapping[str, Any], asked: Mapping[str, Any], rule: str, frames: str) -> None:
    """A result names the component and variable (and instance) asked for, and the
    attributeType asked for (Actual when none was: B05.FR.12, B06.FR.11)."""
    require_fields(
        item.get("component") or {},
        name=asked["component"]["name"],
        req=f"{rule}: the same component",
        frames=frames,
    )
    wanted = {"name": asked["variable"]["name"]}
    if "instance" in asked["variable"]:
        wanted["instance"] = asked["variable"]["instance"]
    require_fields(
        item.get("variable") or {}, req=f"{rule}: the same variable", frames=frames, **wanted
    )
    attribute = asked.get("attributeType", "Actual")
    require_fields(
        item, attributeType=attribute, req=f"{rule}: attributeType {attribute}", frames=frames
    )


def no_error_info(item: Mapping[str, Any], *, req: str, frames: str = "") -> None:
    """attributeStatusInfo absent, or with reasonCode NoError (the OCA's B05/B06 validation)."""
    info = item.get("attributeStatusInfo")
    code = info.get("reasonCode") if isinstance(info, Mapping) else None
    require(
        info is None or str(code).lower() == "noerror",
        req=req,
        expected="attributeStatusInfo absent or reasonCode NoError",
        actual=repr(info),
        frames=frames,
    )


def _availability(evse_id: int, connector_id: int, status: str) -> Any:
    def check(events: Any) -> bool:
        return isinstance(events, list) and any(
            isinstance(e, Mapping)
            and (e.get("component") or {}).get("name") == "Connector"
            and ((e.get("component") or {}).get("evse") or {}).get("id") == evse_id
            and ((e.get("component") or {}).get("evse") or {}).get("connectorId", connector_id)
            == connector_id
            and (e.get("variable") or {}).get("name") == "AvailabilityState"
            and e.get("actualValue") == status
            and e.get("trigger") == "Delta"
            for e in events
        )

    check.__doc__ = f"a Delta event: Connector {evse_id}/{connector_id} AvailabilityState {status}"
    return check


async def connector_status(
    csms: CsmsPeer,
    *,
    evse_id: int,
    connector_id: int,
    status: str,
    req: str,
    notify_event: bool = True,
    within_s: float | None = None,
) -> InboundCall:
    """A connector's new status: a StatusNotification or (``notify_event``) a NotifyEvent of its
    AvailabilityState with trigger Delta, which G01.FR.03-07 allow instead."""
    looks: list[tuple[str, dict[str, Any]]] = [
        (
            "StatusNotification",
            {"evse_id": evse_id, "connector_id": connector_id, "connector_status": status},
        )
    ]
    if notify_event:
        looks.append(("NotifyEvent", {"event_data": _availability(evse_id, connector_id, status)}))
    timeout = csms.response_s if within_s is None else within_s
    deadline = time.monotonic() + timeout
    probe = f"{req} (looking)"
    while True:
        for action, subset in looks:
            try:
                return await csms.expect(
                    action, within_s=_SLICE_S / len(looks), req=probe, **subset
                )
            except SutFailure as exc:
                if exc.requirement != probe:
                    raise  # a protocol violation, not "not yet"
        if time.monotonic() >= deadline:
            shown = " or ".join(a for a, _ in looks)
            raise SutFailure(
                req,
                f"{shown} reporting connector {evse_id}/{connector_id} {status} within "
                f"{timeout:g} s",
                f"no such {shown} within {timeout:g} s",
                csms.trace.render(last=12),
            )


async def boot_until_accepted(station: StationPeer, *, req: str) -> CallOutcome:
    """BootNotification, repeated after the interval while the CSMS answers Pending (B02, 1.6
    §4.2: a CSMS may hold a station in Pending before it accepts it), for at most the profile's
    action time; the last answer is returned (Accepted, or what the CSMS said instead)."""
    deadline = time.monotonic() + station.action_s
    boot = await station.boot(req=req)
    while boot.get("status") == "Pending":
        interval = boot.get("interval")
        wait = float(interval) if isinstance(interval, int) and interval > 0 else 1.0
        if time.monotonic() + wait > deadline:
            break
        await asyncio.sleep(wait)
        boot = await station.boot(req=req)
    return boot


async def connectors_reported(
    csms: CsmsPeer,
    profile: SutProfile,
    *,
    req: str = "B01.FR.05: every connector's state reported after Accepted",
) -> None:
    """Reusable state Booted, its last part (Part 6 §2.18; B01.FR.05): every connector of the
    station reported Available (a StatusNotification, or the NotifyEvent of its
    AvailabilityState)."""
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            await connector_status(
                csms, evse_id=evse.id, connector_id=connector, status="Available", req=req
            )


async def accept_boot(
    csms: CsmsPeer, boot: InboundCall, profile: SutProfile, *, interval: int = 300
) -> None:
    """Reusable state Booted, the CSMS half: the held BootNotification answered Accepted, then
    every connector reported Available."""
    await boot.reply(status="Accepted", interval=interval)
    await connectors_reported(csms, profile)


async def station_booted(station: StationPeer, profile: SutProfile, *, req: str) -> CallOutcome:
    """Reusable state Booted as the station (Part 6 §3.18): BootNotification until Accepted
    (``req``), then every connector reported Available, each answered."""
    boot = await boot_until_accepted(station, req="B01: BootNotification answered")
    boot.must(status="Accepted", req=req)
    for evse in profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            await station.call(
                "StatusNotification",
                timestamp=boot["currentTime"],
                connector_status="Available",
                evse_id=evse.id,
                connector_id=connector,
                req="G01: StatusNotification answered",
            ).must()
    return boot
