"""Faults of the reference OCPP 1.6 charge point in offline transaction delivery (issue 12; 1.6
§3.7 transaction-related messages, §3.7.1 retries, §4.10 transactionData; cases TC_036_CS and
TC_038_CS). The behaviour lives in :mod:`harness.reference.station.v16tx` (queueing and
transactionData) and :meth:`harness.reference.station.v16.V16.retry_policy`."""

from __future__ import annotations

from harness.reference.fault_model import STATION, Fault

V16 = ("1.6",)

OFFLINE16_FAULTS: tuple[Fault, ...] = (
    Fault(
        "cp16-offline-messages-lost",
        STATION,
        V16,
        "drops the transaction-related messages (MeterValues, StopTransaction) it makes while "
        "offline instead of queueing them",
        "1.6 §3.7: MUST queue",
    ),
    Fault(
        "cp16-queue-newest-first",
        STATION,
        V16,
        "puts each transaction-related message made while offline at the head of its queue, so "
        "after the reconnect the newest goes first",
        "1.6 §3.7: chronological order",
    ),
    Fault(
        "cp16-stop-no-transaction-data",
        STATION,
        V16,
        "sends StopTransaction without transactionData although StopTxnSampledData lists the "
        "energy register",
        "StopTxnSampledData",
    ),
    Fault(
        "cp16-retry-no-interval",
        STATION,
        V16,
        "retries a failed transaction-related message at once, not after "
        "TransactionMessageRetryInterval",
        "TransactionMessageRetryInterval",
    ),
    Fault(
        "cp16-offline-unknown-start-lost",
        STATION,
        V16,
        "never sends the StartTransaction of a transaction it authorized offline for an unknown "
        "idTag (AllowOfflineTxForUnknownId), not even after the reconnect",
        "1.6 §3.5.4: SHALL send a StartTransaction",
    ),
)
