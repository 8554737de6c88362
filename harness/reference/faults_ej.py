"""Faults of the reference SUTs in OCA blocks E (transactions) and J (meter values), one behaviour
each (the station's behaviour lives in :mod:`harness.reference.station.block_ej` and
:mod:`harness.reference.station.v2tx`, the CSMS's in :mod:`harness.reference.csms.block_ej`)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, V2, Fault

EJ_FAULTS: tuple[Fault, ...] = (
    Fault(
        "tx-started-no-meter-values",
        STATION,
        V2,
        "sends the TransactionEvent Started without meterValue (no Transaction.Begin reading)",
        "E02.FR.09",
    ),
    Fault(
        "periodic-wrong-context",
        STATION,
        V2,
        "gives the periodic readings of a transaction (MeterValuePeriodic) context Other",
        "J02.FR.04",
    ),
    Fault(
        "tx-ended-no-samples",
        STATION,
        V2,
        "keeps no SampledDataCtrlr.TxEndedInterval readings for the Ended event (only the "
        "Transaction.End one)",
        "E06.FR.11",
    ),
    Fault(
        "tx-ended-no-clock-samples",
        STATION,
        V2,
        "keeps no AlignedDataCtrlr.TxEndedInterval readings for the Ended event",
        "E06.FR.11",
    ),
    Fault(
        "aligned-meter-values-not-sent",
        STATION,
        V2,
        "sends no clock-aligned meter values whatever AlignedDataCtrlr.Interval says",
        "J01.FR.14",
    ),
    Fault(
        "aligned-tx-wrong-trigger",
        STATION,
        V2,
        "reports the clock-aligned readings of a transaction with triggerReason "
        "MeterValuePeriodic instead of MeterValueClock",
        "J01.FR.22",
    ),
    Fault(
        "ev-timeout-ignored",
        STATION,
        V2,
        "keeps an authorization (and its transaction) when no cable comes within "
        "TxCtrlr.EVConnectionTimeOut",
        "E03.FR.05",
    ),
    Fault(
        "csms-tx-started-error",
        CSMS,
        V2,
        "answers a TransactionEvent Started with CALLERROR InternalError",
        "E01: TransactionEvent Started answered",
    ),
    Fault(
        "csms-tx-updated-error",
        CSMS,
        V2,
        "answers a TransactionEvent Updated with CALLERROR InternalError",
        "E02: TransactionEvent Updated answered",
    ),
    Fault(
        "csms-remote-stop-wrong-tx",
        CSMS,
        V2,
        "sends RequestStopTransaction for another transactionId than the operator chose",
        "F03: the ongoing transaction is stopped",
    ),
    Fault(
        "unplug-keeps-transaction",
        STATION,
        V2,
        "keeps a transaction running (Updated EVCommunicationLost) when the cable is unplugged, "
        "whatever TxStopPoint says",
        "E06.FR.02: unplugging ends the transaction",
    ),
    Fault(
        "readings-unsigned",
        STATION,
        V2,
        "sends no signedMeterValue whatever SampledDataCtrlr/AlignedDataCtrlr.SignReadings say",
        "J02.FR.21",
        (("TC_J_04_CS", "J01.FR.21"),),
    ),
    Fault(
        "invalid-id-keeps-transaction",
        STATION,
        V2,
        "keeps a transaction running when the CSMS answers its idToken Invalid, whatever "
        "TxCtrlr.StopTxOnInvalidId says",
        "E06.FR.04",
    ),
    Fault(
        "csms-metervalues-error",
        CSMS,
        V2,
        "answers MeterValues with CALLERROR InternalError",
        "J01.FR.18",
    ),
    Fault(
        "csms-tx-meter-data-error",
        CSMS,
        V2,
        "answers a TransactionEvent that carries meterValue with CALLERROR InternalError",
        "J02.FR.19",
    ),
)
