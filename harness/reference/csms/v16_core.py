"""OCPP 1.6 reference Central System, Core / Remote Trigger operations of the central system test
cases (issue 14): what the operator commands become on a 1.6 link and the answers the Core
profile adds, with their seeded faults (:mod:`harness.reference.faults_v16_csms`).

* :func:`command`: every operator command on a 1.6 link passes here before it is sent. It
  spells UnlockConnector the 1.6 way (1.6 §5.18: ``connectorId`` only) and applies the command
  faults: ``csms16-remote-stop-wrong-tx`` (§5.12), ``csms16-reset-wrong-type`` (§5.14),
  ``csms16-unlock-wrong-connector`` (§5.18), ``csms16-get-configuration-unasked`` (§5.8),
  ``csms16-change-configuration-wrong-value`` (§5.3), ``csms16-trigger-wrong-message`` (§5.17).
* :func:`handlers`: StatusNotification (§4.9) refused under ``csms16-status-refused``,
  DataTransfer of an unknown vendor (§4.3) Accepted under
  ``csms16-datatransfer-accepts-unknown``; Authorize (§4.1) gives an idTag's parentIdTag
  (§5.13) and answers a Blocked / Expired idTag Accepted under ``csms16-ignores-token-status``;
  StartTransaction on a reservation (§5.13) is refused under ``csms16-reservation-tx-refused``.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.handlers_common import Handler, Refusal
from harness.reference.csms.records import CsmsState, StationRecord

Command = tuple[str, dict[str, Any]]

_OTHER_RESET = {"Hard": "Soft", "Soft": "Hard"}
_OTHER_TRIGGER = {"Heartbeat": "StatusNotification"}


def command(version: str, faults: frozenset[str], sent: Command) -> Command:
    """``sent`` as a 1.6 central system sends it (unchanged on a 2.x link)."""
    if version != "1.6":
        return sent
    action, payload = sent[0], dict(sent[1])
    if action == "UnlockConnector":
        payload = {"connectorId": int(payload.get("evseId", payload.get("connectorId", 0)))}
        if "csms16-unlock-wrong-connector" in faults:
            payload["connectorId"] += 1
    elif action == "RemoteStopTransaction" and "csms16-remote-stop-wrong-tx" in faults:
        payload["transactionId"] = int(payload["transactionId"]) + 1
    elif action == "Reset" and "csms16-reset-wrong-type" in faults:
        payload["type"] = _OTHER_RESET.get(str(payload["type"]), "Hard")
    elif action == "GetConfiguration" and "csms16-get-configuration-unasked" in faults:
        payload.pop("key", None)  # every key instead of the one asked for
    elif action == "ChangeConfiguration" and "csms16-change-configuration-wrong-value" in faults:
        payload["value"] = str(payload["value"]) + "0"
    elif action == "TriggerMessage" and "csms16-trigger-wrong-message" in faults:
        requested = str(payload["requestedMessage"])
        payload["requestedMessage"] = _OTHER_TRIGGER.get(requested, "Heartbeat")
    return action, payload


def _status_notification(current: Handler) -> Handler:
    def handle(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        if "csms16-status-refused" in state.faults:
            raise Refusal(ErrorKind.INTERNAL_ERROR, "the status could not be stored (seeded fault)")
        return current(state, station, payload)

    return handle


def _data_transfer(current: Handler) -> Handler:
    def handle(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        if "csms16-datatransfer-accepts-unknown" in state.faults:
            return {"status": "Accepted"}
        return current(state, station, payload)

    return handle


def _authorize(current: Handler) -> Handler:
    def handle(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        answer = current(state, station, payload)
        entry = state.token_table.get(str(payload.get("idTag", "")).casefold())
        named = "no-parent-id-tag" not in state.variants  # legal variant: errata 4.12 (MAY)
        if named and entry is not None and entry.group and answer.get("idTagInfo"):
            answer = {**answer, "idTagInfo": {**answer["idTagInfo"], "parentIdTag": entry.group}}
        info = answer.get("idTagInfo") or {}
        if "csms16-ignores-token-status" in state.faults and info.get("status") in (
            "Blocked",
            "Expired",
        ):
            return {**answer, "idTagInfo": {**info, "status": "Accepted"}}
        return answer

    return handle


def _start_transaction(current: Handler) -> Handler:
    def handle(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        answer = current(state, station, payload)
        if "csms16-reservation-tx-refused" in state.faults and "reservationId" in payload:
            return {**answer, "idTagInfo": {"status": "Invalid"}}
        return answer

    return handle


def handlers(current: dict[str, Handler]) -> dict[str, Handler]:
    """What the 1.6 Core cases wrap in the 1.6 handlers ``current``."""
    return {
        "StartTransaction": _start_transaction(current["StartTransaction"]),
        "StatusNotification": _status_notification(current["StatusNotification"]),
        "DataTransfer": _data_transfer(current["DataTransfer"]),
        "Authorize": _authorize(current["Authorize"]),
    }
