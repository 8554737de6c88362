"""Shared steps of the OCPP 1.6 Smart Charging cases with the Central System under test (the
harness is the charge point): the operator has the Central System set or clear a charging
profile or ask for a composite schedule (SUT actions ``set_charging_profile``,
``clear_charging_profile``, ``get_composite_schedule``, ``remote_start_with_profile``, as for
the 2.0.1 TC_K_xx_CSMS cases); the harness charge point answers as the case says and checks the
request: every profile against 1.6 (:mod:`.sc16_rules`), then what the operator asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from harness import StationPeer, SutActions
from harness.checks import require, should
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from testcases.v16.sc16_rules import check_profile16
from testcases.v201.sc_csms import Order, ordered

PROFILE = "smart-charging"
#: The connector of the cases, and the configured duration (s) and limit (A) of the operator.
CONNECTOR = 1
DURATION_S = 300
LIMIT_A = 6.0
#: What every case with a profile fails on when the profile breaks a 1.6 rule.
PROFILE_FAULTS = (
    "csms16-sc-first-period-not-zero",
    "csms16-sc-periods-descending",
    "csms16-sc-negative-stack-level",
    "csms-commands-dropped",
)
SENT = "1.6 {section}: the CSMS sends {action}.req"


async def csms_sets16(
    station: StationPeer,
    sut: SutActions,
    order: Order,
    *,
    running: Mapping[int, int] | None = None,
    answer: str = "Accepted",
) -> InboundCall:
    """The operator has the Central System set ``order``; the harness answers ``answer`` and
    holds the profile against 1.6 (:func:`~.sc16_rules.check_profile16`)."""
    request = await ordered(
        station, sut, order, req=SENT.format(section="§5.16", action="SetChargingProfile")
    )
    await request.reply(status=answer)
    connector = request.get("connectorId")
    check_profile16(
        station,
        request.get("csChargingProfiles") or {},
        connector=int(connector) if isinstance(connector, int) else -1,
        running=running,
        frames=station.trace.render(last=6),
    )
    return request


def as_ordered16(
    request: InboundCall, order: Order, case: str, *, kinds: Collection[str] = ()
) -> dict[str, Any]:
    """The case's validations of what the operator asked for: the connector (§6.43), purpose,
    kind (one of ``kinds``, else the operator's), stack level, one period from 0 of the
    operator's limit (A, or x 1000 in W) and the operator's duration. Returns the profile."""
    require(
        request.get("connectorId") == order.evse_id,
        req=f"1.6 §6.43: the connector the operator chose ({case})",
        expected=f"connectorId {order.evse_id}",
        actual=repr(request.get("connectorId")),
    )
    profile: dict[str, Any] = request.get("csChargingProfiles") or {}
    check_ordered(profile, order, case, kinds=kinds)
    return profile


def check_ordered(
    profile: Mapping[str, Any], order: Order, case: str, *, kinds: Collection[str] = ()
) -> None:
    """The profile is the operator's: purpose, stack level, kind, limit, duration (``case``'s
    validation of the operator's request)."""
    allowed = tuple(kinds) or (order.kind,)
    got = {k: profile.get(k) for k in ("chargingProfilePurpose", "stackLevel")}
    want = {"chargingProfilePurpose": order.purpose, "stackLevel": order.stack_level}
    require(got == want, req=f"{case}: the operator's profile", expected=str(want), actual=str(got))
    require(
        profile.get("chargingProfileKind") in allowed,
        req=f"{case}: the operator's chargingProfileKind",
        expected=" or ".join(allowed),
        actual=repr(profile.get("chargingProfileKind")),
    )
    schedule: Mapping[str, Any] = profile.get("chargingSchedule") or {}
    periods = schedule.get("chargingSchedulePeriod") or []
    unit = schedule.get("chargingRateUnit")
    wanted = order.limit * 1000 if unit == "W" else order.limit
    require(
        len(periods) >= 1 and periods[0].get("limit") == wanted,
        req=f"{case}: the operator's limit from the start",
        expected=f"a first period with limit {wanted:g} ({unit})",
        actual=repr(periods),
    )
    duration = schedule.get("duration")
    require(
        duration in (None, order.duration_s),
        req=f"{case}: the operator's duration (or none)",
        expected=f"duration {order.duration_s} or none",
        actual=repr(duration),
    )


async def csms_composite16(
    station: StationPeer, sut: SutActions, case: str, connector: int, unit: str
) -> InboundCall:
    """The operator has the Central System ask for the composite schedule of ``connector`` for
    :data:`DURATION_S` in ``unit``; the harness answers Accepted with one period of 10 A (x 1000
    in W, §6.22; no startSchedule in it, errata 3.57) and checks the request."""
    station.hold("GetCompositeSchedule")
    await sut.get_composite_schedule(evse_id=connector, duration_s=DURATION_S, unit=unit)
    request = await station.expect(
        "GetCompositeSchedule", req=SENT.format(section="§5.7", action="GetCompositeSchedule")
    )
    asked_unit = request.get("chargingRateUnit") or unit
    await request.reply(
        status="Accepted",
        connector_id=request.get("connectorId"),
        schedule_start=now_iso(),
        charging_schedule={
            "duration": request.get("duration"),
            "chargingRateUnit": asked_unit,
            "chargingSchedulePeriod": [
                {"startPeriod": 0, "limit": 10000.0 if asked_unit == "W" else 10.0}
            ],
        },
    )
    require(
        request.get("connectorId") == connector,
        req=f"1.6 §6.21: the composite schedule of the operator's connector ({case})",
        expected=f"connectorId {connector}",
        actual=repr(request.get("connectorId")),
    )
    require(
        request.get("duration") == DURATION_S,
        req=f"1.6 §6.21: the operator's duration ({case})",
        expected=f"duration {DURATION_S}",
        actual=repr(request.get("duration")),
    )
    given = request.get("chargingRateUnit")
    require(
        given in (None, unit),
        req=f"1.6 §6.21: the operator's chargingRateUnit ({case})",
        expected=unit,
        actual=repr(given),
    )
    should(
        station,
        given == unit,
        req=f"1.6 §6.21: chargingRateUnit forces the unit the operator asked for ({case})",
        expected=unit,
        actual="none (the charge point chooses)",
    )
    return request


async def csms_clears16(
    station: StationPeer, sut: SutActions, case: str, profile_id: int
) -> InboundCall:
    """The operator has the Central System clear the profile ``profile_id``; the harness
    answers Accepted and checks the id (§6.13; other fields given narrow it, errata 3.25)."""
    station.hold("ClearChargingProfile")
    await sut.clear_charging_profile(profile_id=profile_id)
    request = await station.expect(
        "ClearChargingProfile", req=SENT.format(section="§5.5", action="ClearChargingProfile")
    )
    await request.reply(status="Accepted")
    require(
        request.get("id") == profile_id,
        req=f"1.6 §6.13: the id of the profile the operator chose ({case})",
        expected=f"id {profile_id}",
        actual=repr(request.payload),
    )
    return request
