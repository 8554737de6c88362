"""OCPP 2.0.1 / 2.1 requests the reference CSMS answers (CSMS side of Part 2).

Authorization follows the token list (C01); transactions are tracked by the station's
transactionId through their TransactionEvents (E01-E07), with the energy taken from the
``Energy.Active.Import.Register`` samples. Sequence numbers are recorded, not policed: a new
transaction may start at seqNo 0 again (TC_E_53_CSMS).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms import block_a, block_ej, block_fg, block_h, block_k, block_l, block_np
from harness.reference.csms.block_ej import meter_values, refuse_transaction_event
from harness.reference.csms.handlers_common import COMMON, Handler, Refusal, acknowledge
from harness.reference.csms.records import (
    CsmsState,
    MeterReading,
    StationRecord,
    TransactionRecord,
)

#: The default measurand of a sampled value (SampledValueType.measurand).
ENERGY_REGISTER = "Energy.Active.Import.Register"
_WH_PER_UNIT = {"Wh": 1.0, "kWh": 1000.0}


def authorize(state: CsmsState, station: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
    """C01 Authorize: idTokenInfo.status per the token list (Unknown when never seen; Invalid
    for every token under the seeded fault ``csms-authorize-rejects-valid``)."""
    token = payload["idToken"]
    status = state.token_status(str(token["idToken"]), token_type=token.get("type"))
    if "csms-authorize-rejects-valid" in state.faults:
        status = "Invalid"
    return {"idTokenInfo": state.id_token_info(str(token["idToken"]), status)}


def energy_readings(meter_values: list[dict[str, Any]]) -> Iterator[MeterReading]:
    """Total (not per-phase) active import register readings, converted to Wh.

    The measurand defaults to the energy register and the unit to Wh; ``multiplier`` is a power
    of ten (UnitOfMeasureType). Samples in units other than Wh/kWh are skipped.
    """
    for meter_value in meter_values:
        stamp = str(meter_value.get("timestamp", ""))
        for sample in meter_value.get("sampledValue", []):
            if sample.get("measurand", ENERGY_REGISTER) != ENERGY_REGISTER or "phase" in sample:
                continue
            unit = sample.get("unitOfMeasure", {})
            per_unit = _WH_PER_UNIT.get(str(unit.get("unit", "Wh")))
            if per_unit is None:
                continue
            scale = per_unit * 10.0 ** int(unit.get("multiplier", 0))
            yield MeterReading(stamp, float(sample["value"]) * scale)


def transaction_event(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """E01-E07 TransactionEvent: track the transaction; idTokenInfo when an idToken is present.

    The idTokenInfo rates the token the station presents (use cases C01, E05), so a transaction
    started with a token that is not valid is reported back as such and the station can stop it.
    Under the seeded fault ``csms-fails-transaction-end`` an Ended event gets InternalError.
    """
    if payload["eventType"] == "Ended" and "csms-fails-transaction-end" in state.faults:
        raise Refusal(
            ErrorKind.INTERNAL_ERROR, "the transaction could not be closed (seeded fault)"
        )
    refuse_transaction_event(state, payload)
    block_ej.refuse_late(state, str(payload["timestamp"]))  # offline delivery (E11/E12)
    seq_no = int(payload["seqNo"])
    block_ej.refuse_seq_reset(state, station, seq_no)
    info = payload["transactionInfo"]
    transaction_id = str(info["transactionId"])
    record = state.transactions.get(transaction_id)
    if record is None:
        record = TransactionRecord(transaction_id, station.identity)
        state.transactions[transaction_id] = record
    if seq_no in record.seq_nos:  # re-sent (E13 retry): answered, not applied again
        if payload["eventType"] == "Ended":
            block_ej.bill(state, record, again=True)
        return _token_answer(state, record, payload)
    _apply_event(state, record, payload)
    return _token_answer(state, record, payload)


def _apply_event(state: CsmsState, record: TransactionRecord, payload: dict[str, Any]) -> None:
    """Record one (new) TransactionEvent in its transaction; an Ended one bills it (once)."""
    info = payload["transactionInfo"]
    record.seq_nos.append(int(payload["seqNo"]))
    evse = payload.get("evse")
    if evse is not None:
        record.evse_id = int(evse["id"])
        record.connector_id = evse.get("connectorId", record.connector_id)
    if "remoteStartId" in info:
        record.remote_start_id = int(info["remoteStartId"])
    record.add_readings(energy_readings(payload.get("meterValue", [])))
    event = payload["eventType"]
    if event == "Started" or record.started_at is None:
        record.started_at = str(payload["timestamp"])
    if event == "Ended":
        block_ej.bill(state, record, again=record.status == "Ended")
        record.status = "Ended"
        record.stopped_at = str(payload["timestamp"])
        record.stopped_reason = info.get("stoppedReason", "Local")
    token = payload.get("idToken")
    if token is not None and record.token is None:
        record.token = str(token["idToken"])


def _token_answer(
    state: CsmsState, record: TransactionRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """The TransactionEventResponse: idTokenInfo when the event carries an idToken (E01.FR.12)."""
    token = payload.get("idToken")
    if token is None:
        return {}
    status = state.transaction_token_status(str(token["idToken"]), token_type=token.get("type"))
    status = block_ej.offline_token_status(state, str(payload["timestamp"]), status)
    return {"idTokenInfo": state.id_token_info(str(token["idToken"]), status)}


def status_notification(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """G01 StatusNotification: remember the connector's status."""
    key = (int(payload["evseId"]), int(payload["connectorId"]))
    station.connectors[key] = str(payload["connectorStatus"])
    return {}


HANDLERS: dict[str, Handler] = {
    **COMMON,
    "Authorize": authorize,
    "TransactionEvent": transaction_event,
    "StatusNotification": status_notification,
    "MeterValues": meter_values,
    "NotifyEvent": acknowledge,
    "NotifyReport": acknowledge,
}
HANDLERS.update(block_np.handlers(HANDLERS))  # blocks N and P
HANDLERS.update(block_fg.handlers(HANDLERS))  # blocks F and G
HANDLERS.update(block_a.HANDLERS)  # A02/A03 (SignCertificate)
HANDLERS.update(block_l.handlers(HANDLERS))  # block L (firmware)
HANDLERS.update(block_k.HANDLERS)  # block K (ReportChargingProfiles)
HANDLERS.update(block_h.HANDLERS)  # block H (ReservationStatusUpdate)
