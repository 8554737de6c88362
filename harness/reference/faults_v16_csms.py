"""Faults of the reference OCPP 1.6 Central System in the Core and Remote Trigger cases of the
central system under test (issue 14; :mod:`testcases.v16.test_core_csms`,
:mod:`testcases.v16.test_remote_csms`). The behaviour lives in
:mod:`harness.reference.csms.v16_core`."""

from __future__ import annotations

from harness.reference.fault_model import CSMS, Fault

V16 = ("1.6",)

V16_CSMS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "csms16-status-refused",
        CSMS,
        V16,
        "answers every StatusNotification with CALLERROR InternalError",
        "1.6 §4.9: StatusNotification answered",
    ),
    Fault(
        "csms16-ignores-token-status",
        CSMS,
        V16,
        "answers Authorize for an idTag it holds as Blocked or Expired with Accepted",
        "1.6 §4.1: the idTag's status is reported",
    ),
    Fault(
        "csms16-datatransfer-accepts-unknown",
        CSMS,
        V16,
        "answers a DataTransfer of a vendorId it has no implementation for with Accepted",
        "1.6 §4.3: an unknown vendorId is answered UnknownVendorId",
    ),
    Fault(
        "csms16-remote-stop-wrong-tx",
        CSMS,
        V16,
        "sends RemoteStopTransaction for the next transactionId after the one its operator chose",
        "1.6 §5.12: for the transaction the operator chose",
    ),
    Fault(
        "csms16-reset-wrong-type",
        CSMS,
        V16,
        "sends Reset of the other type (Soft for Hard, Hard for Soft)",
        "1.6 §5.14: Reset of the type the operator chose",
    ),
    Fault(
        "csms16-unlock-wrong-connector",
        CSMS,
        V16,
        "sends UnlockConnector for the next connector after the one its operator chose",
        "1.6 §5.18: for the connector the operator chose",
    ),
    Fault(
        "csms16-get-configuration-unasked",
        CSMS,
        V16,
        "sends GetConfiguration without the key its operator asked for (every key instead)",
        "1.6 §5.8: for the key the operator chose",
    ),
    Fault(
        "csms16-change-configuration-wrong-value",
        CSMS,
        V16,
        "sends ChangeConfiguration with another value than its operator chose",
        "1.6 §5.3: the key and value the operator chose",
    ),
    Fault(
        "csms16-trigger-wrong-message",
        CSMS,
        V16,
        "sends TriggerMessage for Heartbeat (StatusNotification for Heartbeat) whatever message "
        "its operator asked for",
        "1.6 §5.17: the message the operator chose",
    ),
    Fault(
        "csms16-get-all-configuration-keyed",
        CSMS,
        V16,
        "asks GetConfiguration for HeartbeatInterval only when its operator asked for every key",
        "1.6 §5.8: every key (no key list)",
    ),
    Fault(
        "csms16-local-list-wrong-type",
        CSMS,
        V16,
        "sends SendLocalList with the other updateType (Differential for Full, Full for "
        "Differential)",
        "1.6 §5.15: the update type the operator chose",
    ),
    Fault(
        "csms16-local-list-version-zero",
        CSMS,
        V16,
        "sends SendLocalList with listVersion 0, the version that means an empty list",
        "1.6 errata 3.52: listVersion is neither 0 nor -1",
    ),
    Fault(
        "csms16-reserve-wrong-connector",
        CSMS,
        V16,
        "sends ReserveNow for the next connector after the one its operator chose",
        "1.6 §5.13: for the connector the operator chose",
    ),
    Fault(
        "csms16-cancel-wrong-reservation",
        CSMS,
        V16,
        "sends CancelReservation for the next reservationId after the one its operator chose",
        "1.6 §5.1: the reservation the operator chose",
    ),
    Fault(
        "csms16-reservation-tx-refused",
        CSMS,
        V16,
        "answers a StartTransaction that carries a reservationId with idTag status Invalid",
        "1.6 §5.13: the transaction on the reservation is Accepted",
    ),
)
