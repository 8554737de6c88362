"""Smart Charging of the reference Central System, OCPP 1.6 (issue 13): what the operator's
smart charging commands (the SUT actions ``set_charging_profile``, ``clear_charging_profile``,
``get_composite_schedule``, ``remote_start_with_profile``) become on a 1.6 link.

* ``set_charging_profile``: SetChargingProfile.req (1.6 §5.16, §6.43) on the operator's
  connector with one ChargingSchedule of one period from 0 (errata 3.45) at the operator's limit
  in A, the operator's purpose, kind and stack level; an Absolute or Recurring profile starts
  now (startSchedule) and is valid for the operator's duration (validFrom/validTo), a Relative
  one has no startSchedule; recurrencyKind only on a Recurring one (errata 3.56); a TxProfile
  carries the operator's transactionId (§7.8, an integer). The Central System keeps one
  chargingProfileId per purpose / connector / stack level (/ transaction).
* ``clear_charging_profile``: ClearChargingProfile.req (§5.5, §6.13) by id or by the criteria
  given (errata 3.25: the fields given are ANDed).
* ``get_composite_schedule``: GetCompositeSchedule.req (§5.7, §6.21) of the operator's connector,
  duration and chargingRateUnit.
* ``remote_start_with_profile``: RemoteStartTransaction.req (§5.11) with a Relative TxProfile and
  no transactionId (§5.16.2, errata 3.41).

Each seeded fault (:mod:`harness.reference.csms_faults_sc16`) is named where it acts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.reference.csms.block_k import ProfileBook, ProfileOrder
from harness.reference.csms.handlers_common import rfc3339

Command = tuple[str, dict[str, Any]]
TX = "TxProfile"
TX_DEFAULT = "TxDefaultProfile"
#: 2.x purpose names an operator may use for the 1.6 ones.
_PURPOSES = {"ChargingStationMaxProfile": "ChargePointMaxProfile"}


def _periods(faults: frozenset[str], limit: float) -> list[dict[str, Any]]:
    """One period from 0 (faults: a first period at 60 s; periods in descending order)."""
    if "csms16-sc-first-period-not-zero" in faults:
        return [{"startPeriod": 60, "limit": limit}]
    if "csms16-sc-periods-descending" in faults:
        return [
            {"startPeriod": 0, "limit": limit},
            {"startPeriod": 240, "limit": limit},
            {"startPeriod": 120, "limit": limit},
        ]
    return [{"startPeriod": 0, "limit": limit}]


def charging_profile16(
    faults: frozenset[str], order: ProfileOrder, profile_id: int, *, in_request: bool = False
) -> dict[str, Any]:
    """The 1.6 ChargingProfile (§7.8) of ``order`` (module doc); ``in_request``: inside a
    RemoteStartTransaction.req (no transactionId there, §5.16.2)."""
    now = datetime.now(UTC).replace(microsecond=0)
    purpose = _PURPOSES.get(order.purpose, order.purpose)
    schedule: dict[str, Any] = {
        "duration": order.duration_s,
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": _periods(faults, order.limit),
    }
    relative = order.kind == "Relative"
    if not relative:
        schedule["startSchedule"] = rfc3339(now)
    profile: dict[str, Any] = {
        "chargingProfileId": profile_id,
        "stackLevel": -1 if "csms16-sc-negative-stack-level" in faults else order.stack_level,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": order.kind,
        "chargingSchedule": schedule,
    }
    if in_request and "csms16-sc-remote-start-txdefault" in faults:
        profile["chargingProfilePurpose"] = TX_DEFAULT
    if not relative:
        profile["validFrom"] = rfc3339(now)
        profile["validTo"] = rfc3339(now + timedelta(seconds=order.duration_s))
    if order.kind == "Recurring" or "csms16-sc-recurrency-on-absolute" in faults:
        profile["recurrencyKind"] = order.recurrency_kind or "Daily"
    if in_request:
        if "csms16-sc-remote-start-transaction-id" in faults:
            profile["transactionId"] = 1
    elif purpose == TX and order.transaction_id:
        tx_id = int(order.transaction_id)
        if "csms16-sc-txprofile-wrong-transaction" in faults:
            tx_id += 1
        profile["transactionId"] = tx_id
    return profile


def set_charging_profile(faults: frozenset[str], book: ProfileBook, order: ProfileOrder) -> Command:
    """§5.16 SetChargingProfile.req of ``order`` (module doc). Faults: a TxDefaultProfile on the
    next connector; a TxProfile on connector 0."""
    connector = order.evse_id
    if order.purpose == TX_DEFAULT and "csms16-sc-txdefault-wrong-connector" in faults:
        connector += 1
    if order.purpose == TX and "csms16-sc-txprofile-on-connector-0" in faults:
        connector = 0
    slot = (order.purpose, connector, order.stack_level, order.transaction_id or "")
    profile_id = book.id_for(slot, fresh=False)
    payload = {
        "connectorId": connector,
        "csChargingProfiles": charging_profile16(faults, order, profile_id),
    }
    return "SetChargingProfile", payload


def clear_charging_profile(
    faults: frozenset[str],
    profile_id: int | None,
    connector: int | None,
    purpose: str | None,
    stack_level: int | None,
) -> Command:
    """§5.5 ClearChargingProfile.req by ``profile_id`` or by the criteria given (fault: the
    next id)."""
    payload: dict[str, Any] = {}
    if profile_id is not None:
        wrong = "csms16-sc-clear-wrong-id" in faults
        payload["id"] = profile_id + 1 if wrong else profile_id
    if connector is not None:
        payload["connectorId"] = connector
    if purpose:
        payload["chargingProfilePurpose"] = _PURPOSES.get(purpose, purpose)
    if stack_level is not None:
        payload["stackLevel"] = stack_level
    return "ClearChargingProfile", payload


def get_composite_schedule(
    faults: frozenset[str], connector: int, duration_s: int, unit: str
) -> Command:
    """§5.7 GetCompositeSchedule.req (faults: the next connector; twice the duration)."""
    if "csms16-sc-composite-wrong-connector" in faults:
        connector += 1
    if "csms16-sc-composite-wrong-duration" in faults:
        duration_s *= 2
    payload = {"connectorId": connector, "duration": duration_s, "chargingRateUnit": unit}
    return "GetCompositeSchedule", payload


def remote_start_with_profile(
    faults: frozenset[str], book: ProfileBook, id_tag: str, connector: int, limit: float
) -> Command:
    """§5.11 RemoteStartTransaction.req with a Relative TxProfile of ``limit`` A (§5.16.2)."""
    order = ProfileOrder(TX, connector, "Relative", limit=limit)
    profile_id = book.id_for((TX, connector, 0, "remote"), True)
    payload = {
        "connectorId": connector,
        "idTag": id_tag,
        "chargingProfile": charging_profile16(faults, order, profile_id, in_request=True),
    }
    return "RemoteStartTransaction", payload
