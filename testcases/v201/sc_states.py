"""Shared steps of the block K (smart charging) station cases, OCPP 2.0.1/2.1, in our own words.

* :func:`profile_payload` builds a chargingProfile the way the OCA's "Configured" values read it
  (one schedule, one period from 0, limit 6 A or 6000 W, the configured numberPhases);
* :func:`set_profile`, :func:`get_profiles` (with the ReportChargingProfiles it triggers, K09),
  :func:`clear_profile` (K10) and :func:`composite` (K08) are one request each;
* :func:`same_profile` is the OCA's post-scenario validation "the same profile is reported as
  sent"; :func:`check_composite` holds a GetCompositeSchedule answer against the
  :mod:`harness.smart_charging` oracle, and on a mismatch the FAIL's ``actual`` carries the
  oracle's diagnosis (offset, per differing stretch expected vs actual and the installed profile
  the expected limit came from: issue 13 item 3);
* :func:`get_composite` requests and checks one composite; :func:`boundary` is the OCA's
  "startPeriod (n - x)": a period starts there (where the station's own limit, not validated,
  meets a profile's); :func:`at_least` an OCA prerequisite on a SmartChargingCtrlr variable;
* :func:`profiles_cleared`: the cases start and end with no charging profile installed (a case
  leaves none behind; the harness's general preconditions do not cover them).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

import pytest

from harness import CsmsPeer
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from harness.peers.exchange import CallOutcome
from harness.peers.matching import one_of
from harness.smart_charging import (
    V201,
    CompositeSchedule,
    Profile,
    TxState,
    compare,
    compose,
    format_time,
    parse_time,
    tolerance,
)
from testcases.v201.states import get_variable

V2 = ("2.0.1", "2.1")
#: The configured numberPhases of the cases (three-phase AC).
PHASES = 3
#: The OCA's "Configured max time deviation" (s), also the oracle's time tolerance.
DEVIATION_S = 2
#: When the case's last SetChargingProfile was sent (POSIX s; None before the first): the
#: diagnosis names the time from it to the reported scheduleStart (the OCA's x).
_LAST_SET: dict[str, float | None] = {"at": None}
#: The most ReportChargingProfiles one GetChargingProfiles may bring here (a bound for the wait).
MAX_REPORTS = 20


def rate_unit(profile: SutProfile) -> str:
    """The configured chargingRateUnit: A unless the station declares W only (SC-2.2)."""
    features = set(profile.sut.features)
    return "W" if "SC-2.2" in features and "SC-2.1" not in features else "A"


def evse_of(profile: SutProfile) -> int:
    """The configured evseId: the station's first EVSE."""
    return profile.sut.evses[0].id


def limit(unit: str, amps: float = 6.0) -> float:
    """The OCA's limit in ``unit``: ``amps`` A, or x 1000 in W (the documents' convention)."""
    return amps * 1000 if unit == "W" else amps


def profile_payload(
    profile_id: int,
    purpose: str,
    unit: str,
    *,
    stack_level: int = 0,
    kind: str = "Absolute",
    amps: float = 6.0,
    periods: Iterable[tuple[int, float]] | None = None,
    duration: int | None = 300,
    start: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A chargingProfile (2.0.1 §2.11) with one schedule; ``periods`` as (startPeriod, amps);
    ``start``: startSchedule (POSIX s, whole seconds down), now when not given; ``extra``
    wire fields (validFrom, recurrencyKind, transactionId, ...)."""
    rows = [(0, amps)] if periods is None else list(periods)
    schedule: dict[str, Any] = {
        "id": profile_id,
        "chargingRateUnit": unit,
        "chargingSchedulePeriod": [
            {"startPeriod": s, "limit": limit(unit, a), "numberPhases": PHASES} for s, a in rows
        ],
    }
    if duration is not None:
        schedule["duration"] = duration
    if kind != "Relative":
        schedule["startSchedule"] = format_time(math.floor(time.time() if start is None else start))
    return {
        "id": profile_id,
        "stackLevel": stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind,
        "chargingSchedule": [schedule],
        **extra,
    }


async def set_profile(
    csms: CsmsPeer, evse_id: int, profile: Mapping[str, Any], *, status: str, req: str
) -> CallOutcome:
    """SetChargingProfile answered with ``status`` (K01)."""
    _LAST_SET["at"] = time.time()
    result = await csms.call_payload(
        "SetChargingProfile", {"evseId": evse_id, "chargingProfile": dict(profile)}, req=req
    )
    return result.must(status=status, req=req)


async def clear_profile(
    csms: CsmsPeer, *, status: str, req: str, profile_id: int | None = None, **criteria: Any
) -> CallOutcome:
    """ClearChargingProfile by id or by criteria (wire names), answered with ``status`` (K10)."""
    payload: dict[str, Any] = {}
    if profile_id is not None:
        payload["chargingProfileId"] = profile_id
    if criteria:
        payload["chargingProfileCriteria"] = criteria
    result = await csms.call_payload("ClearChargingProfile", payload, req=req)
    return result.must(status=status, req=req)


async def get_profiles(
    csms: CsmsPeer,
    request_id: int,
    criteria: Mapping[str, Any],
    *,
    evse_id: int | None = None,
    status: str = "Accepted",
    req: str = "K09.FR.01: GetChargingProfiles Accepted and reported with its requestId",
) -> list[tuple[int, dict[str, Any]]]:
    """GetChargingProfiles answered ``status``; when Accepted the ReportChargingProfiles that
    follow, each with the requestId (K09.FR.01), until one has tbc false (K09.FR.02): the
    reported (evseId, chargingProfile) pairs."""
    payload: dict[str, Any] = {"requestId": request_id, "chargingProfile": dict(criteria)}
    if evse_id is not None:
        payload["evseId"] = evse_id
    result = await csms.call_payload("GetChargingProfiles", payload, req=req)
    result.must(status=status, req=req)
    found: list[tuple[int, dict[str, Any]]] = []
    if status != "Accepted":
        return found
    report = await csms.expect(
        "ReportChargingProfiles", request_id=request_id, within_s=csms.action_s, req=req
    )
    for _ in range(MAX_REPORTS):
        found += [(int(report["evseId"]), p) for p in report["chargingProfile"]]
        if not report.get("tbc", False):
            return found
        report = await csms.expect(
            "ReportChargingProfiles",
            request_id=request_id,
            within_s=csms.action_s,
            req="K09.FR.02: tbc true announces another report, false on the last",
        )
    return found


def _norm(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _differs(sent: Any, got: Any, path: str) -> str | None:
    """Where ``got`` lacks or changes a field of ``sent`` (numbers compared as numbers, times
    as instants); None when every sent field is there."""
    if isinstance(sent, Mapping):
        if not isinstance(got, Mapping):
            return f"{path}: {got!r}"
        for key, value in sent.items():
            why = _differs(value, got.get(key), f"{path}.{key}")
            if why is not None:
                return why
        return None
    if isinstance(sent, list):
        if not isinstance(got, list) or len(got) != len(sent):
            return f"{path}: {got!r}"
        return next(
            (
                w
                for i, (a, b) in enumerate(zip(sent, got, strict=True))
                if (w := _differs(a, b, f"{path}[{i}]")) is not None
            ),
            None,
        )
    if isinstance(sent, str) and isinstance(got, str) and sent.endswith("Z"):
        try:
            same = parse_time(sent) == parse_time(got)
        except ValueError:
            same = False
        return None if same else f"{path}: {got!r}"
    return None if _norm(sent) == _norm(got) else f"{path}: {got!r}"


def same_profile(
    found: list[tuple[int, dict[str, Any]]], evse_id: int, sent: Mapping[str, Any], *, req: str
) -> None:
    """The post-scenario validation: the profile with ``sent``'s id is reported on ``evse_id``
    with every field as sent (a station may add its own, e.g. a transactionId)."""
    mine = [(e, p) for e, p in found if p.get("id") == sent["id"]]
    require(
        len(mine) == 1,
        req=req,
        expected=f"one reported chargingProfile with id {sent['id']}",
        actual=f"{len(mine)} among {[p.get('id') for _, p in found]}",
    )
    where, got = mine[0]
    require(where == evse_id, req=req, expected=f"evseId {evse_id}", actual=f"evseId {where}")
    why = _differs(sent, got, "chargingProfile")
    require(why is None, req=req, expected="the chargingProfile as sent", actual=str(why))


async def composite(
    csms: CsmsPeer, evse_id: int, duration: int, unit: str | None, *, status: str, req: str
) -> CallOutcome:
    """GetCompositeSchedule answered ``status`` (K08)."""
    payload: dict[str, Any] = {"evseId": evse_id, "duration": duration}
    if unit is not None:
        payload["chargingRateUnit"] = unit
    result = await csms.call_payload("GetCompositeSchedule", payload, req=req)
    return result.must(status=status, req=req)


def expected_schedule(
    sent: Iterable[tuple[int, Mapping[str, Any]]],
    evse_id: int,
    start: float,
    duration: int,
    unit: str,
    transactions: Mapping[int, TxState] | None = None,
) -> CompositeSchedule:
    """The oracle's composite of ``evse_id`` for the (evseId, chargingProfile) pairs sent."""
    installed = [Profile.from_payload(dict(p), e, V201) for e, p in sent]
    return compose(installed, evse_id, start, duration, unit, transactions=transactions)


def check_composite(
    outcome: CallOutcome,
    expected: CompositeSchedule,
    *,
    req: str,
    only_profiles: bool = True,
) -> CompositeSchedule:
    """The answer's schedule: evseId, duration and unit as asked (K08.FR.02), its periods as
    the oracle's within the precision and the time deviation. ``only_profiles``: stretches
    where no installed profile limits (the station's own limit, "not validated" in the OCA)
    are not compared. On a mismatch ``actual`` is the oracle's diagnosis, with the time from the
    last SetChargingProfile to the reported scheduleStart."""
    raw = outcome.get("schedule")
    require(
        isinstance(raw, Mapping),
        req=req,
        expected="a schedule in the Accepted GetCompositeScheduleResponse",
        actual=repr(raw),
        frames=outcome.frames,
    )
    got = CompositeSchedule.from_payload(dict(raw), V201)
    require(
        (got.location, got.duration, got.unit)
        == (expected.location, expected.duration, expected.unit),
        req=req,
        expected=f"evseId {expected.location}, duration {expected.duration}, {expected.unit}",
        actual=f"evseId {got.location}, duration {got.duration}, {got.unit}",
        frames=outcome.frames,
    )
    result = compare(expected, got, time_tolerance_s=DEVIATION_S)
    diffs = [d for d in result.differences if d.sources or not only_profiles]
    lines = result.lines()[:1] + [f"{d} {result.unit}" for d in diffs]
    set_at = _LAST_SET["at"]
    if set_at is not None:
        lines.insert(
            1, f"x = {got.start - set_at:+.1f} s from the last SetChargingProfile to scheduleStart"
        )
    require(
        not diffs and math.isfinite(result.offset_s) and abs(result.offset_s) <= DEVIATION_S,
        req=req,
        expected="the composite schedule of the installed profiles (oracle), "
        f"scheduleStart within {DEVIATION_S} s of the request",
        actual="\n".join(lines),
        frames=outcome.frames,
    )
    return got


async def at_least(csms: CsmsPeer, variable: str, minimum: int) -> None:
    """An OCA prerequisite "SmartChargingCtrlr.<variable> must be >= ``minimum``":
    NOT-APPLICABLE when the station reports less (one that does not report it is tried)."""
    item = await get_variable(csms, "SmartChargingCtrlr", variable, req=f"K01: {variable} read")
    value = str(item.get("attributeValue", ""))
    applicable_unless(
        item.get("attributeStatus") == "Accepted" and value.isdigit() and int(value) < minimum,
        f"SmartChargingCtrlr.{variable} is {value}, the case needs at least {minimum}",
    )


def boundary(got: CompositeSchedule, at: float, amps: float | None, *, req: str) -> None:
    """A period starts ``at`` s after scheduleStart (± the deviation), with ``amps`` when given
    (the OCA's "startPeriod (n - x), limit ..."; the offset is already in ``at``)."""
    hits = [p for p in got.periods if abs(p.start - at) <= DEVIATION_S]
    wanted = None if amps is None else limit(got.unit, amps)
    ok = bool(hits) and (wanted is None or any(abs(p.limit - wanted) <= tolerance() for p in hits))
    require(
        ok,
        req=req,
        expected=f"a period from {at:.0f} s (± {DEVIATION_S} s)"
        + ("" if wanted is None else f" with limit {wanted}"),
        actual=str([(p.start, p.limit) for p in got.periods]),
    )


async def get_composite(
    csms: CsmsPeer,
    sent: list[tuple[int, dict[str, Any]]],
    evse: int,
    duration: int,
    unit: str,
    *,
    req: str,
    tx: TxState | None = None,
) -> CompositeSchedule:
    """GetCompositeSchedule Accepted, held against the oracle for the (evseId,
    chargingProfile) pairs ``sent`` and the transaction ``tx`` (:func:`check_composite`)."""
    asked = float(int(time.time()))
    result = await composite(csms, evse, duration, unit, status="Accepted", req=req)
    txs = None if tx is None else {tx.location: tx}
    expected = expected_schedule(sent, evse, asked, duration, unit, txs)
    return check_composite(result, expected, req=req)


async def clear_all(csms: CsmsPeer) -> None:
    """Clear every profile the CSMS may clear (no criteria: K10.FR.04); Unknown when none."""
    result = await csms.call_payload("ClearChargingProfile", {}, req="K10: clear the profiles")
    result.must(status=one_of("Accepted", "Unknown"), req="K10.FR.01: Accepted or Unknown")


@pytest.fixture
async def profiles_cleared(csms: CsmsPeer) -> AsyncIterator[None]:
    """No charging profile before the case, none left after it."""
    _LAST_SET["at"] = None
    await clear_all(csms)
    yield
    with contextlib.suppress(Exception):  # best effort: the next case clears first anyway
        await clear_all(csms)
