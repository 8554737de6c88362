"""Faults of the reference station's offline queue and retries (issue 12; OCPP 2.0.1/2.1 E11-E13):
one rule of the durable transaction-message queue each (the behaviour lives in
:mod:`harness.reference.station.outbox` and :mod:`harness.reference.station.v2tx`). The cases
that kill them: ``testcases/v201/test_e_offline.py`` and ``test_e_retries.py``."""

from __future__ import annotations

from harness.reference.fault_model import STATION, V2, Fault

OFFLINE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "tx-queue-drops-beyond",
        STATION,
        V2,
        "keeps at most two TransactionEvents queued while offline and leaves out the later "
        "ones (the Ended excepted), their seqNo used up",
        "E11.FR.01",
        per_case=(("TC_E_43_CS", "E12.FR.01"),),
    ),
    Fault(
        "tx-offline-seqno-reset",
        STATION,
        V2,
        "numbers a transaction's events from seqNo 0 again once the connection is lost",
        "E01.FR.07",
    ),
    Fault(
        "tx-offline-flag-missing",
        STATION,
        V2,
        "delivers the TransactionEvents it queued offline without offline=true",
        "E11.FR.02",
        per_case=(("TC_E_43_CS", "E12.FR.02"),),
    ),
    Fault(
        "tx-retries-too-many",
        STATION,
        V2,
        "sends a failed TransactionEvent once more than MessageAttemptsTransactionEvent allows",
        "E13.FR.04",
    ),
    Fault(
        "tx-retries-too-few",
        STATION,
        V2,
        "gives a failed TransactionEvent up one attempt before MessageAttemptsTransactionEvent",
        "E13.FR.02",
    ),
    Fault(
        "tx-retry-no-interval",
        STATION,
        V2,
        "sends a failed TransactionEvent again at once, without MessageAttemptIntervalTransaction"
        "Event times the transmissions so far",
        "E13.FR.03",
    ),
    Fault(
        "tx-queue-lost-on-reboot",
        STATION,
        V2,
        "forgets its queued transaction messages when it reboots",
        "E12.FR.01",
    ),
    Fault(
        "tx-status-always-ongoing",
        STATION,
        V2,
        "answers GetTransactionStatus with ongoingIndicator true for any transactionId, also "
        "one it does not know or whose transaction has ended",
        "E14.FR.03",
        per_case=(("TC_E_28_CS", "E14.FR.01"),),
    ),
    Fault(
        "tx-status-queue-ignored",
        STATION,
        V2,
        "answers GetTransactionStatus with messagesInQueue false while transaction messages "
        "are still queued",
        "E14.FR.04",
        per_case=(("TC_E_33_CS", "E14.FR.07"),),
    ),
    Fault(
        "tx-status-queue-always",
        STATION,
        V2,
        "answers GetTransactionStatus with messagesInQueue true while nothing is queued",
        "E14.FR.05",
        per_case=(("TC_E_28_CS", "E14.FR.01"), ("TC_E_34_CS", "E14.FR.08")),
    ),
    Fault(
        "tx-status-ongoing-without-id",
        STATION,
        V2,
        "answers a GetTransactionStatus without transactionId with an ongoingIndicator",
        "E14.FR.06",
    ),
)
