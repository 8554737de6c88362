"""Faults of the reference CSMS in offline transaction delivery (issue 12; OCA TC_E_53_CSMS and
the 1.6 TC_037/039_CSMS): the behaviour lives in :mod:`harness.reference.csms.block_ej` and the
transaction handlers (:mod:`~harness.reference.csms.handlers_v2`,
:mod:`~harness.reference.csms.handlers_v16`)."""

from __future__ import annotations

from harness.reference.fault_model import ALL, CSMS, V2, Fault

#: What a case fails on when a transaction is billed more than once (a re-sent end counted).
BILLED_ONCE = "billed once"
#: What a case fails on when a transaction message delivered from the offline queue is refused.
LATE_ANSWERED = "delivered after the reconnect answered"

OFFLINE_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms-tx-duplicate-billed",
        CSMS,
        ALL,
        "bills a transaction again for a re-sent end (TransactionEvent Ended with a seqNo it "
        "already had, or a StopTransaction re-sent after its answer was lost)",
        BILLED_ONCE,
    ),
    Fault(
        "csms-tx-seqno-reset-refused",
        CSMS,
        V2,
        "refuses (CALLERROR) a TransactionEvent whose seqNo is not above the last one the "
        "station sent, so a new transaction starting at seqNo 0 again is refused",
        "E01.FR.07",
    ),
    Fault(
        "csms-tx-late-refused",
        CSMS,
        ALL,
        "refuses (CALLERROR) transaction messages about events more than two minutes old, "
        "delivered from the station's offline queue (TransactionEvent; 1.6: MeterValues and "
        "StopTransaction, whose answer is a SHALL)",
        LATE_ANSWERED,
    ),
    Fault(
        "csms-offline-accepts-unknown-token",
        CSMS,
        ALL,
        "accepts any token of a transaction the station started offline (its start reported late)",
        "started offline is not Accepted",
    ),
)
