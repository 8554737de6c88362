"""OCPP 1.6 requests the reference CSMS answers (Central System side of OCPP 1.6 §4).

Authorization follows the token list (§4.1), transactions get increasing ids from 1 (§4.8) and
their energy is ``meterStop - meterStart`` (§4.10). Everything else a 1.6 charge point may
report is acknowledged.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms import block_ej, firmware16, sec16, v16_core
from harness.reference.csms.handlers_common import COMMON, Handler, Refusal, acknowledge
from harness.reference.csms.records import CsmsState, StationRecord, TransactionRecord


def _connector_key(connector_id: int) -> tuple[int, int]:
    """1.6 connector ``n`` as (EVSE, connector): ``(n, 1)``; connector 0 is ``(0, 0)``."""
    return (connector_id, 1) if connector_id > 0 else (0, 0)


def authorize(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
    """§4.1 Authorize: idTagInfo.status per the token list (Invalid when unknown; every idTag
    under the seeded fault ``csms-authorize-rejects-valid``)."""
    status = state.token_status(str(payload["idTag"]))
    if "csms-authorize-rejects-valid" in state.faults:
        status = "Invalid"
    return {"idTagInfo": {"status": status}}


def start_transaction(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """§4.8 StartTransaction: a new transaction id and the idTag's status.

    The CSMS records the transaction even when the idTag is not accepted: the charge point then
    decides to stop it (StopTransactionOnInvalidId), and it still reports a StopTransaction.
    """
    transaction_id = state.next_transaction_id()
    id_tag = str(payload["idTag"])
    status = state.transaction_token_status(id_tag)
    status = block_ej.offline_token_status(state, str(payload["timestamp"]), status)
    record = TransactionRecord(
        transaction_id,
        station.identity,
        token=id_tag,
        evse_id=int(payload["connectorId"]),
        connector_id=int(payload["connectorId"]),
        meter_start_wh=float(payload["meterStart"]),
        started_at=str(payload["timestamp"]),
    )
    state.transactions[transaction_id] = record
    return {
        "transactionId": transaction_id,
        "idTagInfo": {"status": status},
    }


def stop_transaction(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """§4.10 StopTransaction: close the transaction; idTagInfo only when an idTag is given.
    Under the seeded fault ``csms-fails-transaction-end`` it answers InternalError."""
    if "csms-fails-transaction-end" in state.faults:
        raise Refusal(
            ErrorKind.INTERNAL_ERROR, "the transaction could not be closed (seeded fault)"
        )
    block_ej.refuse_late(state, str(payload["timestamp"]))  # stopped offline (1.6 §4.10)
    transaction_id = int(payload["transactionId"])
    record = state.transactions.get(transaction_id)
    if record is None:  # a transaction the CSMS never saw start (e.g. it was started offline)
        record = TransactionRecord(transaction_id, station.identity)
        state.transactions[transaction_id] = record
    again = record.status == "Ended"  # re-sent (its answer was lost): not applied again
    block_ej.bill(state, record, again=again)
    if again:
        return _stop_answer(state, payload)
    record.status = "Ended"
    record.meter_stop_wh = float(payload["meterStop"])
    record.stopped_at = str(payload["timestamp"])
    record.stopped_reason = payload.get("reason", "Local")
    return _stop_answer(state, payload)


def _stop_answer(state: CsmsState, payload: dict[str, Any]) -> dict[str, Any]:
    """StopTransaction.conf: idTagInfo only when the request names an idTag (§6.52)."""
    if "idTag" not in payload:
        return {}
    return {"idTagInfo": {"status": state.token_status(str(payload["idTag"]))}}


def meter_values(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """§4.7 MeterValues: acknowledged; one delivered late from the offline queue too (refused
    under the seeded fault ``csms-tx-late-refused``)."""
    for meter_value in payload.get("meterValue", []):
        block_ej.refuse_late(state, str(meter_value.get("timestamp", "")))
    return {}


def status_notification(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """§4.9 StatusNotification: remember the connector's status."""
    station.connectors[_connector_key(int(payload["connectorId"]))] = str(payload["status"])
    return {}


HANDLERS: dict[str, Handler] = {
    **COMMON,
    "Authorize": authorize,
    "StartTransaction": start_transaction,
    "StopTransaction": stop_transaction,
    "StatusNotification": status_notification,
    "MeterValues": meter_values,
    "DiagnosticsStatusNotification": acknowledge,
    "SignedFirmwareStatusNotification": acknowledge,
}
HANDLERS.update(sec16.HANDLERS)  # the 1.6 security extension (SignCertificate, A04, N01)
HANDLERS.update(firmware16.HANDLERS)  # firmware management, diagnostics, signed firmware
HANDLERS.update(v16_core.handlers(HANDLERS))  # 1.6 Core cases of the central system
