"""Faults of OCA blocks N (diagnostics) and P (data transfer, custom data), both reference SUTs
(the behaviour lives in :mod:`harness.reference.station.block_np` and
:mod:`harness.reference.csms.block_np`)."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, STATION, V2, Fault

NP_FAULTS: tuple[Fault, ...] = (
    # -- the station: N01 GetLog ----------------------------------------------------------------
    Fault(
        "getlog-rejected",
        STATION,
        V2,
        "answers every GetLog Rejected although it has the log",
        "N01.FR.01: GetLog Accepted",
    ),
    Fault(
        "getlog-no-filename",
        STATION,
        V2,
        "accepts a GetLog without naming the file",
        "N01.FR.01: the file name is given",
    ),
    Fault(
        "getlog-no-uploading",
        STATION,
        V2,
        "uploads the log without first reporting LogStatusNotification Uploading",
        "N01.FR.08: LogStatusNotification Uploading",
    ),
    Fault(
        "getlog-upload-unreported",
        STATION,
        V2,
        "reports UploadFailure for a log it did upload",
        "N01.FR.09: LogStatusNotification Uploaded",
    ),
    Fault(
        "getlog-no-retry",
        STATION,
        V2,
        "gives a failed upload up at once, ignoring the GetLog's retries",
        "N01.FR.10: the failure is reported after the retries",
    ),
    Fault(
        "getlog-no-cancel",
        STATION,
        V2,
        "answers a GetLog during an upload Accepted and lets the running upload go on",
        "N01.FR.12: the second GetLog is AcceptedCanceled",
    ),
    Fault(
        "getlog-no-cancel-status",
        STATION,
        V2,
        "cancels a running upload for a new GetLog without reporting AcceptedCanceled",
        "N01.FR.20: LogStatusNotification AcceptedCanceled",
    ),
    # -- the station: N10 CustomerInformation ---------------------------------------------------
    Fault(
        "customer-info-rejected",
        STATION,
        V2,
        "answers a valid CustomerInformation Rejected",
        "N10.FR.01: CustomerInformation Accepted",
    ),
    Fault(
        "customer-info-no-notify",
        STATION,
        V2,
        "accepts a CustomerInformation but never sends NotifyCustomerInformation",
        "N10.FR.06: one NotifyCustomerInformation",
    ),
    Fault(
        "customer-info-identifier-kept",
        STATION,
        V2,
        "reports a customerIdentifier's data as cleared but keeps it",
        "N10.FR.03: the cleared data is no longer reported",
    ),
    # -- the station: P03 customData ------------------------------------------------------------
    Fault(
        "station-refuses-custom-data",
        STATION,
        V2,
        "answers a SetVariables carrying customData with CALLERROR FormatViolation",
        "P03: a request with customData is accepted (SetVariables)",
    ),
    # -- the CSMS ------------------------------------------------------------------------------
    Fault(
        "csms-datatransfer-accepts-unknown",
        CSMS,
        V2,
        "answers a DataTransfer of a vendor it does not know Accepted",
        "P02: an unknown vendor's DataTransfer is not Accepted",
    ),
    Fault(
        "csms-refuses-custom-data",
        CSMS,
        V2,
        "answers a StatusNotification or TransactionEvent carrying customData with CALLERROR "
        "FormatViolation",
        "P03: a request with customData is answered",
    ),
    Fault(
        "csms-getlog-not-sent",
        CSMS,
        V2,
        "reports a GetLog request as done without sending it",
        "N01: the CSMS sends GetLogRequest",
    ),
    Fault(
        "csms-getlog-wrong-type",
        CSMS,
        V2,
        "asks for the other log (SecurityLog for DiagnosticsLog and back)",
        "N01: logType is the log asked for",
    ),
    Fault(
        "csms-log-status-refused",
        CSMS,
        V2,
        "answers LogStatusNotification with CALLERROR InternalError",
        "N01: LogStatusNotification answered",
    ),
    Fault(
        "csms-customer-info-no-report",
        CSMS,
        V2,
        "sends CustomerInformation with report false when a report is asked for",
        "N09.FR.01: report true",
    ),
    Fault(
        "csms-customer-info-no-clear",
        CSMS,
        V2,
        "sends CustomerInformation with clear false when clearing is asked for",
        "N10: clear true",
    ),
    Fault(
        "csms-customer-info-no-token",
        CSMS,
        V2,
        "names the customer by a customerIdentifier instead of the idToken",
        "N09.FR.04/N10.FR.08: the customer is named by the configured idToken",
    ),
    Fault(
        "csms-notify-customer-refused",
        CSMS,
        V2,
        "answers NotifyCustomerInformation with CALLERROR InternalError",
        "N09/N10: NotifyCustomerInformation answered",
    ),
    Fault(
        "csms-customer-identifier-with-token",
        CSMS,
        V2,
        "names a customer by customerIdentifier and an idToken at once",
        "N10.FR.08: only the customerIdentifier names the customer",
    ),
)
