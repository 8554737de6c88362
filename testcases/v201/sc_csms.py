"""Shared steps of the block K (smart charging) cases with the CSMS under test, OCPP 2.0.1/2.1:
the operator has the CSMS set, clear or get charging profiles or a composite schedule (SUT
actions ``set_charging_profile``, ``clear_charging_profile``, ``get_charging_profiles``,
``get_composite_schedule``), the harness station answers as the case says and checks the
request: every profile against Part 2 (:mod:`.sc_rules`), then the OCA's tool validations of
the case (what the operator asked for).

The harness station keeps no charging profile between cases (each case starts with none
installed, :class:`~.sc_rules.Installed` is per case); nothing is left to clear.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from harness import StationPeer, SutActions
from harness.checks import require
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from harness.smart_charging import format_time, parse_time
from testcases.v201.sc_rules import Installed, check_profile

V2 = ("2.0.1", "2.1")
#: The configured values of the cases: stack level, duration (s), limit (A), numberPhases.
STACK_LEVEL = 0
DURATION_S = 300
LIMIT_A = 6.0
#: How far a "now" of the OCA's tool validations may be from the harness clock (s).
NOW_SLACK_S = 60
PHASES = 3
#: The profile id the harness station reports for the memory state of TC_K_05_CSMS.
GENERATED_ID = 4711
#: The chargingLimitSource of TC_K_34_CSMS.
LIMIT_SOURCE = "CSO"
#: What every case with a SetChargingProfile fails on when its profile breaks a Part 2 rule.
RULE_FAULTS = (
    "csms-sc-first-period-not-zero",
    "csms-sc-periods-not-ascending",
    "csms-sc-negative-stack-level",
)
PROFILE_FAULTS = (*RULE_FAULTS, "csms-commands-dropped")
#: ... and where the profile is Absolute or Recurring (a validity window).
TIMED_FAULTS = (*PROFILE_FAULTS, "csms-sc-empty-validity")
NOT_SUPPORTED = "NotSupported"
PROFILE = "smart-charging"
GET_FAULTS = (
    "csms-sc-get-profiles-no-criteria",
    "csms-sc-report-refused",
    "csms-commands-dropped",
)
COMPOSITE_FAULTS = (
    "csms-sc-composite-wrong-evse",
    "csms-sc-composite-wrong-duration",
    "csms-sc-composite-unit-omitted",
    "csms-commands-dropped",
)
ENDED = "E06: TransactionEvent Ended answered"


def evse_of(profile: SutProfile) -> int:
    """The configured evseId: the harness station's first EVSE."""
    return profile.sut.evses[0].id


@dataclass(frozen=True, slots=True)
class Order:
    """What the operator asks the CSMS to set (the action's parameters)."""

    purpose: str
    evse_id: int
    kind: str = "Absolute"
    stack_level: int = STACK_LEVEL
    limit: float = LIMIT_A
    duration_s: int = DURATION_S
    recurrency_kind: str | None = None
    transaction_id: str | None = None


async def ordered(station: StationPeer, sut: SutActions, order: Order, *, req: str) -> InboundCall:
    """The operator has the CSMS set ``order`` (SUT action ``set_charging_profile``); the
    SetChargingProfile it sends, held for the case to answer (both versions)."""
    station.hold("SetChargingProfile")
    await sut.set_charging_profile(
        purpose=order.purpose,
        evse_id=order.evse_id,
        kind=order.kind,
        stack_level=order.stack_level,
        limit=order.limit,
        duration_s=order.duration_s,
        recurrency_kind=order.recurrency_kind,
        transaction_id=order.transaction_id,
    )
    return await station.expect("SetChargingProfile", req=req)


async def csms_sets(
    station: StationPeer,
    sut: SutActions,
    order: Order,
    installed: Installed,
    *,
    answer: str = "Accepted",
    running: Collection[str] = (),
) -> InboundCall:
    """The operator has the CSMS set ``order``; the harness answers ``answer`` (or the
    CALLERROR NotSupported) and holds the profile against Part 2 (:func:`check_profile`)."""
    request = await ordered(
        station, sut, order, req="K01: the CSMS sends SetChargingProfileRequest"
    )
    if answer == NOT_SUPPORTED:
        await request.reply_error(NOT_SUPPORTED, "smart charging is not supported")
    else:
        await request.reply(status=answer)
    profile = request.get("chargingProfile") or {}
    evse_id = request.get("evseId")
    check_profile(
        station,
        profile,
        evse_id=evse_id,
        running=running,
        installed=installed,
        frames=station.trace.render(last=6),
    )
    if answer == "Accepted":
        installed.install(int(evse_id), profile)
    return request


def as_ordered(
    request: InboundCall,
    order: Order,
    case: str,
    *,
    kinds: Collection[str] = (),
    full: bool = True,
    duration: bool = True,
) -> dict[str, Any]:
    """The OCA's tool validations of ``case`` (errata 2025-04 6.3.13): the evseId, purpose,
    kind (one of ``kinds``, else the operator's), stackLevel and, when ``full``, one period
    from 0 of the operator's limit (A, or x 1000 in W) with numberPhases 3 or none and (when
    ``duration``) the duration asked for. Returns the chargingProfile."""
    req = f"{case} tool validation"
    profile: dict[str, Any] = request.get("chargingProfile") or {}
    allowed = tuple(kinds) or (order.kind,)
    got = {
        "evseId": request.get("evseId"),
        "chargingProfilePurpose": profile.get("chargingProfilePurpose"),
        "stackLevel": profile.get("stackLevel"),
    }
    want = {
        "evseId": order.evse_id,
        "chargingProfilePurpose": order.purpose,
        "stackLevel": order.stack_level,
    }
    require(got == want, req=f"{req}: the operator's profile", expected=str(want), actual=str(got))
    require(
        profile.get("chargingProfileKind") in allowed,
        req=f"{req}: chargingProfileKind",
        expected=" or ".join(allowed),
        actual=repr(profile.get("chargingProfileKind")),
    )
    if order.recurrency_kind is not None:
        require(
            profile.get("recurrencyKind") == order.recurrency_kind,
            req=f"{req}: the operator's recurrencyKind",
            expected=order.recurrency_kind,
            actual=repr(profile.get("recurrencyKind")),
        )
    if full:
        schedule = (profile.get("chargingSchedule") or [{}])[0]
        check_schedule(schedule, order, req, duration=duration)
    return profile


def starts_now(profile: Mapping[str, Any], order: Order, case: str) -> None:
    """TC_K_01_CSMS's tool validations (errata 2025-04): validFrom and startSchedule now,
    validTo now plus the operator's duration, each within :data:`NOW_SLACK_S` (a CSMS may round
    the operator's "now")."""
    now = time.time()
    schedule = (profile.get("chargingSchedule") or [{}])[0]
    times = {
        "validFrom": (profile.get("validFrom"), now),
        "startSchedule": (schedule.get("startSchedule"), now),
        "validTo": (profile.get("validTo"), now + order.duration_s),
    }
    for name, (value, wanted) in times.items():
        when = parse_time(value) if isinstance(value, str) else None
        require(
            when is not None and abs(when - wanted) <= NOW_SLACK_S,
            req=f"{case} tool validation: {name} "
            + ("now plus the duration" if name == "validTo" else "now"),
            expected=f"{format_time(wanted)} (within {NOW_SLACK_S} s)",
            actual=repr(value),
        )


def check_schedule(
    schedule: Mapping[str, Any], order: Order, req: str, *, duration: bool = True
) -> None:
    """One period from 0 of the operator's limit (6.0 A or 6000.0 W, as the OCA writes it),
    numberPhases 3 or omitted, the operator's duration."""
    periods = schedule.get("chargingSchedulePeriod") or []
    unit = schedule.get("chargingRateUnit")
    wanted = order.limit * 1000 if unit == "W" else order.limit
    first = periods[0] if periods else {}
    require(
        len(periods) == 1 and first.get("limit") == wanted,
        req=f"{req}: one period of the operator's limit",
        expected=f"one chargingSchedulePeriod with limit {wanted:g} ({unit})",
        actual=repr(periods),
    )
    require(
        first.get("numberPhases", PHASES) == PHASES,
        req=f"{req}: numberPhases {PHASES} or omitted",
        expected=f"numberPhases {PHASES} or none",
        actual=repr(first.get("numberPhases")),
    )
    require(
        not duration or schedule.get("duration") == order.duration_s,
        req=f"{req}: the operator's duration",
        expected=f"duration {order.duration_s}",
        actual=repr(schedule.get("duration")),
    )


async def csms_clears(
    station: StationPeer,
    sut: SutActions,
    *,
    answer: str,
    profile_id: int | None = None,
    evse_id: int | None = None,
    purpose: str | None = None,
    stack_level: int | None = None,
) -> InboundCall:
    """The operator has the CSMS clear by id or by criteria; the harness answers ``answer``.
    K10.FR.02: an id, or one or more criteria (never both, errata 2025-04 TC_K_05/06/08)."""
    station.hold("ClearChargingProfile")
    await sut.clear_charging_profile(
        profile_id=profile_id, evse_id=evse_id, purpose=purpose, stack_level=stack_level
    )
    request = await station.expect(
        "ClearChargingProfile", req="K10: the CSMS sends ClearChargingProfileRequest"
    )
    await request.reply(status=answer)
    criteria = request.get("chargingProfileCriteria")
    by_id = "chargingProfileId" in request.payload
    require(
        by_id != bool(criteria),
        req="K10.FR.02: a chargingProfileId or criteria, not both",
        expected="chargingProfileId or chargingProfileCriteria",
        actual=repr(request.payload),
    )
    if profile_id is not None:
        want: dict[str, Any] = {"chargingProfileId": profile_id}
        got: dict[str, Any] = {"chargingProfileId": request.get("chargingProfileId")}
    else:
        want = {"evseId": evse_id, "chargingProfilePurpose": purpose, "stackLevel": stack_level}
        got = {k: (criteria or {}).get(k) for k in want}
    require(
        got == want,
        req="K10: the operator's profile is cleared (tool validation)",
        expected=str(want),
        actual=str(got),
    )
    return request


def reported_profile(
    profile_id: int, purpose: str, *, stack_level: int = STACK_LEVEL, **extra: Any
) -> dict[str, Any]:
    """A chargingProfile the harness station reports as installed (Absolute, one period)."""
    return {
        "id": profile_id,
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [
            {
                "id": 1,
                "startSchedule": now_iso(),
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": LIMIT_A}],
            }
        ],
        **extra,
    }


#: The criteria fields of GetChargingProfilesRequest's chargingProfile (ChargingProfileCriterion).
_CRITERIA = ("chargingProfilePurpose", "stackLevel", "chargingLimitSource", "chargingProfileId")


async def csms_gets(
    station: StationPeer,
    sut: SutActions,
    case: str,
    reports: list[tuple[int, list[dict[str, Any]]]],
    *,
    evse_id: int | None = None,
    exact: bool = True,
    **asked: Any,
) -> InboundCall:
    """The operator has the CSMS get the profiles matching ``asked`` (wire names of the
    criteria) on ``evse_id``; the harness answers Accepted and reports ``reports`` ((evseId,
    profiles) per ReportChargingProfiles, tbc on all but the last) with the request's
    requestId, each answered by the CSMS. Checks K09.FR.03 and, when ``exact``, the case's
    tool validation: the operator's criteria, every other one omitted."""
    station.hold("GetChargingProfiles")
    await sut.get_charging_profiles(
        evse_id=evse_id,
        purpose=asked.get("chargingProfilePurpose"),
        stack_level=asked.get("stackLevel"),
        limit_source=(asked.get("chargingLimitSource") or [None])[0],
        profile_id=(asked.get("chargingProfileId") or [None])[0],
    )
    request = await station.expect(
        "GetChargingProfiles", req="K09: the CSMS sends GetChargingProfilesRequest"
    )
    await request.reply(status="Accepted")
    criteria: dict[str, Any] = request.get("chargingProfile") or {}
    by_id = "chargingProfileId" in criteria
    others = [k for k in _CRITERIA[:3] if k in criteria]
    require(
        by_id != bool(others),
        req="K09.FR.03: chargingProfileId(s), or one or more of stackLevel, "
        "chargingLimitSource, chargingProfilePurpose",
        expected="either the ids or other criteria",
        actual=repr(criteria),
    )
    got = {k: criteria.get(k) for k in _CRITERIA} | {"evseId": request.get("evseId")}
    want = {k: asked.get(k) for k in _CRITERIA} | {"evseId": evse_id}
    require(
        not exact or got == want,
        req=f"{case} tool validation: the operator's criteria, no other",
        expected=str(want),
        actual=str(got),
    )
    for index, (where, profiles) in enumerate(reports):
        result = await station.call(
            "ReportChargingProfiles",
            request_id=request["requestId"],
            charging_limit_source=LIMIT_SOURCE,
            tbc=index < len(reports) - 1,
            evse_id=where,
            charging_profile=profiles,
            req="K09: ReportChargingProfiles answered",
        )
        result.must(req="K09: ReportChargingProfiles answered")
    return request


async def csms_composite(
    station: StationPeer, sut: SutActions, case: str, evse_id: int, unit: str
) -> InboundCall:
    """The operator has the CSMS ask for the composite schedule of ``evse_id`` for
    :data:`DURATION_S` in ``unit``; the harness answers Accepted with a schedule of one period
    of 10 A (x 1000 in W) and checks the request (the case's tool validation)."""
    station.hold("GetCompositeSchedule")
    await sut.get_composite_schedule(evse_id=evse_id, duration_s=DURATION_S, unit=unit)
    request = await station.expect(
        "GetCompositeSchedule", req="K08: the CSMS sends GetCompositeScheduleRequest"
    )
    asked_unit = request.get("chargingRateUnit") or unit
    schedule = {
        "evseId": request.get("evseId"),
        "duration": request.get("duration"),
        "scheduleStart": now_iso(),
        "chargingRateUnit": asked_unit,
        "chargingSchedulePeriod": [
            {"startPeriod": 0, "limit": 10000.0 if asked_unit == "W" else 10.0}
        ],
    }
    await request.reply(status="Accepted", schedule=schedule)
    require(
        request.get("evseId") == evse_id,
        req="K08: the composite schedule of the operator's EVSE "
        f"({case} tool validation: evseId {evse_id})",
        expected=f"evseId {evse_id}",
        actual=repr(request.get("evseId")),
    )
    require(
        request.get("duration") == DURATION_S,
        req=f"K08: the operator's duration ({case} tool validation)",
        expected=f"duration {DURATION_S}",
        actual=repr(request.get("duration")),
    )
    require(
        request.get("chargingRateUnit") == unit,
        req=f"K08: the composite schedule in the operator's chargingRateUnit ({case} tool "
        "validation)",
        expected=unit,
        actual=repr(request.get("chargingRateUnit")),
    )
    return request


async def still_served(station: StationPeer, req: str) -> None:
    """After a refusal: the CSMS goes on serving the station (a Heartbeat is answered)."""
    (await station.call("Heartbeat", req=req)).must(req=req)
