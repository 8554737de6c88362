"""Transactions and meter values at the reference CSMS (functional blocks E and J): MeterValues
is answered (J01.FR.18) and so is every TransactionEvent (E01-E07, J02.FR.19; the transaction
itself is kept by :func:`harness.reference.csms.handlers_v2.transaction_event`); a remote stop
names the transaction the operator chose (F03).

Seeded faults (:mod:`harness.reference.faults_ej`): ``csms-metervalues-error``,
``csms-tx-meter-data-error``, ``csms-tx-started-error``, ``csms-tx-updated-error`` and
``csms-remote-stop-wrong-tx``.
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.handlers_common import Refusal
from harness.reference.csms.records import CsmsState, StationRecord


def meter_values(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """J01.FR.18: MeterValues is answered (an empty MeterValuesResponse)."""
    if "csms-metervalues-error" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the meter values could not be stored")
    return {}


def refuse_transaction_event(state: CsmsState, payload: dict[str, Any]) -> None:
    """Seeded faults: a TransactionEvent with meterValue (``csms-tx-meter-data-error``) or a
    Started (``csms-tx-started-error``) or Updated one (``csms-tx-updated-error``) is refused with CALLERROR InternalError."""
    if payload.get("meterValue") and "csms-tx-meter-data-error" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the meter data could not be stored")
    if payload.get("eventType") == "Started" and "csms-tx-started-error" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the transaction could not be opened")
    if payload.get("eventType") == "Updated" and "csms-tx-updated-error" in state.faults:
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the transaction could not be updated")


def stop_target(faults: frozenset[str], transaction_id: str | int) -> str | int:
    """The transaction a remote stop names: another one under ``csms-remote-stop-wrong-tx``."""
    if "csms-remote-stop-wrong-tx" in faults:
        return f"{transaction_id}X"
    return transaction_id
