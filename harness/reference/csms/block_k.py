"""Block K (smart charging) of the reference CSMS, OCPP 2.0.1/2.1: the operator's commands and
the report a station sends back.

* ``set_charging_profile``: SetChargingProfile with one schedule of one period from 0 (K01.FR.31,
  K01.FR.34) at the operator's limit in A, the operator's purpose, kind, stack level and EVSE;
  an Absolute or Recurring profile starts now (startSchedule, K01.FR.40) and is valid for the
  operator's duration (validFrom/validTo), a Relative one has no startSchedule (K01.FR.41); a
  Recurring one names its recurrencyKind; a TxProfile carries the transactionId (K01.FR.03).
  The CSMS keeps one profile id per purpose / EVSE / stack level (transaction for a TxProfile):
  setting the same slot again replaces the profile under the same id (K01.FR.05/06/39).
* ``clear_charging_profile`` by id or by criteria, never both (K10.FR.02);
  ``get_charging_profiles`` with the operator's criteria (K09.FR.03) and a fresh requestId;
  ``get_composite_schedule`` (K08); ``remote_start_with_profile``: RequestStartTransaction with a
  Relative TxProfile without transactionId (K05.FR.02, TC_K_37_CSMS).
* ReportChargingProfiles (K09) is confirmed.

Faults (:mod:`harness.reference.csms_faults_k`) change what is sent; each is named where it acts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.handlers_common import Handler, Refusal, acknowledge, rfc3339
from harness.reference.csms.records import CsmsState, StationRecord

Command = tuple[str, dict[str, Any]]
_request_ids = itertools.count(1)


@dataclass
class ProfileBook:
    """The profile ids the CSMS gave out, one per slot (purpose, EVSE, stack level, tx)."""

    ids: dict[tuple[str, int, int, str], int] = field(default_factory=dict)
    _next: itertools.count[int] = field(default_factory=lambda: itertools.count(101))

    def id_for(self, slot: tuple[str, int, int, str], fresh: bool) -> int:
        """The slot's id (a new one the first time, or always under ``fresh``)."""
        if fresh or slot not in self.ids:
            self.ids[slot] = next(self._next)
        return self.ids[slot]


@dataclass(frozen=True, slots=True)
class ProfileOrder:
    """What the operator asked for (the action's parameters)."""

    purpose: str
    evse_id: int
    kind: str = "Absolute"
    stack_level: int = 0
    limit: float = 6.0
    duration_s: int = 300
    recurrency_kind: str | None = None
    transaction_id: str | None = None


def _periods(faults: frozenset[str], limit: float) -> list[dict[str, Any]]:
    """One period from 0 (faults: a first period not at 0; periods out of order)."""
    if "csms-sc-first-period-not-zero" in faults:
        return [{"startPeriod": 60, "limit": limit}]
    if "csms-sc-periods-not-ascending" in faults:
        return [
            {"startPeriod": 0, "limit": limit},
            {"startPeriod": 240, "limit": limit},
            {"startPeriod": 120, "limit": limit},
        ]
    return [{"startPeriod": 0, "limit": limit}]


def charging_profile(
    faults: frozenset[str], order: ProfileOrder, profile_id: int, *, in_request: bool = False
) -> dict[str, Any]:
    """The chargingProfile of ``order`` (module doc); ``in_request``: inside a
    RequestStartTransaction (no transactionId there)."""
    now = datetime.now(UTC).replace(microsecond=0)
    schedule: dict[str, Any] = {
        "id": 1,
        "chargingRateUnit": "A",
        "duration": order.duration_s,
        "chargingSchedulePeriod": _periods(faults, order.limit),
    }
    relative = order.kind == "Relative"
    if not relative or "csms-sc-relative-with-start" in faults:
        schedule["startSchedule"] = rfc3339(now)
    profile: dict[str, Any] = {
        "id": profile_id,
        "stackLevel": -1 if "csms-sc-negative-stack-level" in faults else order.stack_level,
        "chargingProfilePurpose": order.purpose,
        "chargingProfileKind": order.kind,
        "chargingSchedule": [schedule],
    }
    if in_request and "csms-sc-remote-start-txdefault" in faults:
        profile["chargingProfilePurpose"] = "TxDefaultProfile"
    if not relative:
        profile["validFrom"] = rfc3339(now)
        valid_s = 0 if "csms-sc-empty-validity" in faults else order.duration_s
        profile["validTo"] = rfc3339(now + timedelta(seconds=valid_s))
    if order.kind == "Recurring" and "csms-sc-recurring-without-kind" not in faults:
        profile["recurrencyKind"] = order.recurrency_kind or "Daily"
    if (
        order.purpose == "TxProfile"
        and order.transaction_id
        and not in_request
        and "csms-sc-txprofile-without-transaction" not in faults
    ):
        profile["transactionId"] = order.transaction_id
    return profile


def set_charging_profile(faults: frozenset[str], book: ProfileBook, order: ProfileOrder) -> Command:
    """K01 SetChargingProfile of ``order`` (module doc). Faults: a ChargingStationMaxProfile on
    the first EVSE, not EVSE 0; a new id for a slot that has one (the old profile stays next to
    it with the same stack level)."""
    evse_id = order.evse_id
    if order.purpose == "ChargingStationMaxProfile" and "csms-sc-max-profile-on-evse" in faults:
        evse_id = 1
    slot = (order.purpose, evse_id, order.stack_level, order.transaction_id or "")
    profile_id = book.id_for(slot, fresh="csms-sc-new-id-same-stack-level" in faults)
    payload = {"evseId": evse_id, "chargingProfile": charging_profile(faults, order, profile_id)}
    return "SetChargingProfile", payload


def clear_charging_profile(
    faults: frozenset[str],
    profile_id: int | None,
    evse_id: int | None,
    purpose: str | None,
    stack_level: int | None,
) -> Command:
    """K10 ClearChargingProfile by id, or by the criteria given (fault: always both, an id of 1
    where the operator gave none, K10.FR.02)."""
    criteria: dict[str, Any] = {}
    if evse_id is not None:
        criteria["evseId"] = evse_id
    if purpose:
        criteria["chargingProfilePurpose"] = purpose
    if stack_level is not None:
        criteria["stackLevel"] = stack_level
    payload: dict[str, Any] = {}
    both = "csms-sc-clear-id-and-criteria" in faults
    if profile_id is not None or both:
        payload["chargingProfileId"] = 1 if profile_id is None else profile_id
    if profile_id is None or both:
        payload["chargingProfileCriteria"] = criteria or {"evseId": 0}
    return "ClearChargingProfile", payload


def get_charging_profiles(
    faults: frozenset[str],
    evse_id: int | None,
    purpose: str | None,
    stack_level: int | None,
    limit_source: str | None,
    profile_id: int | None,
) -> Command:
    """K09 GetChargingProfiles with a fresh requestId and the criteria given (fault: an empty
    criterion, K09.FR.03)."""
    criteria: dict[str, Any] = {}
    if purpose:
        criteria["chargingProfilePurpose"] = purpose
    if stack_level is not None:
        criteria["stackLevel"] = stack_level
    if limit_source:
        criteria["chargingLimitSource"] = [limit_source]
    if profile_id is not None:
        criteria["chargingProfileId"] = [profile_id]
    if "csms-sc-get-profiles-no-criteria" in faults:
        criteria = {}
    payload: dict[str, Any] = {"requestId": next(_request_ids), "chargingProfile": criteria}
    if evse_id is not None:
        payload["evseId"] = evse_id
    return "GetChargingProfiles", payload


def get_composite_schedule(
    faults: frozenset[str], evse_id: int, duration_s: int, unit: str
) -> Command:
    """K08 GetCompositeSchedule (faults: the next EVSE; twice the duration; no
    chargingRateUnit)."""
    if "csms-sc-composite-wrong-evse" in faults:
        evse_id += 1
    if "csms-sc-composite-wrong-duration" in faults:
        duration_s *= 2
    payload: dict[str, Any] = {"evseId": evse_id, "duration": duration_s}
    if "csms-sc-composite-unit-omitted" not in faults:
        payload["chargingRateUnit"] = unit
    return "GetCompositeSchedule", payload


def remote_start_with_profile(
    faults: frozenset[str],
    book: ProfileBook,
    id_token: str,
    evse_id: int,
    limit: float,
    remote_start_id: int,
) -> Command:
    """K05/F01 RequestStartTransaction with a Relative TxProfile (no transactionId yet)."""
    order = ProfileOrder("TxProfile", evse_id, "Relative", limit=limit)
    profile_id = book.id_for(("TxProfile", evse_id, 0, f"remote-{remote_start_id}"), False)
    payload = {
        "idToken": {"idToken": id_token, "type": "ISO14443"},
        "remoteStartId": remote_start_id,
        "evseId": evse_id,
        "chargingProfile": charging_profile(faults, order, profile_id, in_request=True),
    }
    return "RequestStartTransaction", payload


def report_charging_profiles(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """K09: a ReportChargingProfiles is confirmed (fault: refused)."""
    if "csms-sc-report-refused" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the charging profiles could not be stored")
    return acknowledge(state, station, payload)


HANDLERS: dict[str, Handler] = {"ReportChargingProfiles": report_charging_profiles}
