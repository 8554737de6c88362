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
)
