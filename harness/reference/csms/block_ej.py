"""Transactions and meter values at the reference CSMS (functional blocks E and J): MeterValues
is answered (J01.FR.18) and so is every TransactionEvent (E01-E07, J02.FR.19; the transaction
itself is kept by :func:`harness.reference.csms.handlers_v2.transaction_event`); a remote stop
names the transaction the operator chose (F03).

Offline delivery (E04, E08, E11-E13; 1.6 §4.8/§4.10): events delivered late (timestamps in the
past) are answered like any other; a re-sent event (a seqNo the transaction already had, or a
StopTransaction for a transaction already stopped) is answered but not applied again, and each
transaction is billed once, when it ends (:func:`bill`; the ``transaction_records`` action
reports the bills, :func:`billing_records`).

Seeded faults (:mod:`harness.reference.faults_ej`): ``csms-metervalues-error``,
``csms-tx-meter-data-error``, ``csms-tx-started-error``, ``csms-tx-updated-error`` and
``csms-remote-stop-wrong-tx``; (:mod:`harness.reference.csms_faults_offline`):
``csms-tx-duplicate-billed``, ``csms-tx-seqno-reset-refused``, ``csms-tx-late-refused`` and
``csms-offline-accepts-unknown-token``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.handlers_common import Refusal
from harness.reference.csms.records import CsmsState, StationRecord, TransactionRecord

#: A transaction message older than this (s) reports something that happened offline: the
#: ``csms-tx-late-refused`` fault refuses it, ``csms-offline-accepts-unknown-token`` trusts it.
LATE_AFTER_S = 120.0


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


def _age_s(stamp: str) -> float:
    """Seconds between an RFC 3339 timestamp and now (0 when it cannot be read)."""
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (datetime.now(UTC) - when).total_seconds()


def late(stamp: str) -> bool:
    """Whether a transaction message reports an event older than :data:`LATE_AFTER_S`."""
    return _age_s(stamp) > LATE_AFTER_S


def refuse_late(state: CsmsState, stamp: str) -> None:
    """Seeded fault ``csms-tx-late-refused``: a transaction message about an event that happened
    long ago (delivered from the station's offline queue) gets CALLERROR."""
    if "csms-tx-late-refused" in state.faults and late(stamp):
        raise Refusal(ErrorKind.INTERNAL_ERROR, "the event is too old to be accepted")


def refuse_seq_reset(state: CsmsState, station: StationRecord, seq_no: int) -> None:
    """Seeded fault ``csms-tx-seqno-reset-refused``: a TransactionEvent whose seqNo is not above
    the last one the station sent (any transaction) gets CALLERROR, so a new transaction starting
    at seqNo 0 again (E §1.3.2.1, TC_E_53_CSMS) is refused."""
    last = state.last_seq_no.get(station.identity)
    if "csms-tx-seqno-reset-refused" in state.faults and last is not None and seq_no <= last:
        raise Refusal(ErrorKind.PROPERTY_CONSTRAINT_VIOLATION, "seqNo is not increasing")
    state.last_seq_no[station.identity] = seq_no


def offline_token_status(state: CsmsState, stamp: str, status: str) -> str:
    """Seeded fault ``csms-offline-accepts-unknown-token``: a transaction the station started
    offline (its start reported late) is Accepted whatever its token's status."""
    if "csms-offline-accepts-unknown-token" in state.faults and late(stamp):
        return "Accepted"
    return status


def bill(state: CsmsState, record: TransactionRecord, *, again: bool) -> None:
    """The transaction ended: bill it once. ``again``: the end was already reported (a re-sent
    Ended event or StopTransaction), billed a second time only under ``csms-tx-duplicate-billed``."""
    if again and "csms-tx-duplicate-billed" not in state.faults:
        return
    state.billed.append(record.transaction_id)


def billing_records(
    state: CsmsState, identity: str, transaction_id: str | int
) -> list[dict[str, Any]]:
    """The ``transaction_records`` action: every bill of the station's transaction
    ``transaction_id`` (none while it runs), each with its metered energy in Wh."""
    wanted = str(transaction_id)
    found: list[dict[str, Any]] = []
    for billed in state.billed:
        record = state.transactions.get(billed)
        if str(billed) != wanted or record is None or record.identity != identity:
            continue
        found.append(
            {
                "transactionId": billed,
                "meterStartWh": record.meter_start_wh,
                "meterStopWh": record.meter_stop_wh,
                "energyWh": record.energy_wh,
            }
        )
    return found
