"""OCA blocks N (diagnostics) and P (data transfer, custom data) of the reference CSMS, 2.x.

* DataTransfer (P02): no vendor extension is known: UnknownVendorId (P02.FR.06).
* customData (TC_P_03_CSMS): accepted on every request; the fault ``csms-refuses-custom-data``
  refuses a StatusNotification or TransactionEvent that carries it.
* LogStatusNotification (N01) and NotifyCustomerInformation (N09/N10) are confirmed.
* Operator commands GetLog (N01) and CustomerInformation (N09/N10), with their faults.
"""

from __future__ import annotations

import itertools
from typing import Any

from harness.ocppj.errors import ErrorKind
from harness.reference.csms.handlers_common import Handler, Refusal, acknowledge
from harness.reference.csms.records import CsmsState, StationRecord


def data_transfer(
    state: CsmsState, station: StationRecord, payload: dict[str, Any]
) -> dict[str, Any]:
    """P02.FR.06: the reference CSMS implements no vendor extension."""
    if "csms-datatransfer-accepts-unknown" in state.faults:
        return {"status": "Accepted"}
    return {"status": "UnknownVendorId"}


def _carries_custom_data(payload: dict[str, Any]) -> bool:
    info = payload.get("transactionInfo")
    return "customData" in payload or (isinstance(info, dict) and "customData" in info)


def refusing_custom_data(handler: Handler) -> Handler:
    """``handler``, refusing a request with customData under ``csms-refuses-custom-data``."""

    def checked(
        state: CsmsState, station: StationRecord, payload: dict[str, Any]
    ) -> dict[str, Any]:
        if "csms-refuses-custom-data" in state.faults and _carries_custom_data(payload):
            raise Refusal(ErrorKind.FORMAT_VIOLATION, "customData is not understood")
        return handler(state, station, payload)

    return checked


def handlers(current: dict[str, Handler]) -> dict[str, Handler]:
    """What blocks N and P add to (or wrap in) the 2.x handlers ``current``."""
    return {
        "DataTransfer": data_transfer,
        "StatusNotification": refusing_custom_data(current["StatusNotification"]),
        "TransactionEvent": refusing_custom_data(current["TransactionEvent"]),
        "NotifyCustomerInformation": refused_under("csms-notify-customer-refused", acknowledge),
        "LogStatusNotification": refused_under("csms-log-status-refused", acknowledge),
    }


# -- operator commands (N01 GetLog, N09/N10 CustomerInformation) --------------------------------
#: Where the reference CSMS asks for logs (the harness station under test does not upload).
LOG_LOCATION = "http://127.0.0.1/logs/"
_OTHER_LOG = {"DiagnosticsLog": "SecurityLog", "SecurityLog": "DiagnosticsLog"}
_request_ids = itertools.count(1)


def get_log(faults: frozenset[str], log_type: str) -> tuple[str, dict[str, Any]]:
    """N01 GetLog of ``log_type`` with a fresh requestId (the other type under the fault
    ``csms-getlog-wrong-type``)."""
    if "csms-getlog-wrong-type" in faults:
        log_type = _OTHER_LOG.get(log_type, log_type)
    payload = {
        "logType": log_type,
        "requestId": next(_request_ids),
        "log": {"remoteLocation": LOG_LOCATION},
    }
    return "GetLog", payload


def customer_information(
    faults: frozenset[str], id_token: str, token_type: str, report: bool, clear: bool
) -> tuple[str, dict[str, Any]]:
    """N09/N10 CustomerInformation naming the customer by ``id_token`` (N09.FR.04/N10.FR.08;
    a customerIdentifier instead under ``csms-customer-info-no-token``; report false under
    ``csms-customer-info-no-report``; clear false under ``csms-customer-info-no-clear``)."""
    payload: dict[str, Any] = {
        "requestId": next(_request_ids),
        "report": report and "csms-customer-info-no-report" not in faults,
        "clear": clear and "csms-customer-info-no-clear" not in faults,
    }
    if "csms-customer-info-no-token" in faults:
        payload["customerIdentifier"] = id_token
    else:
        payload["idToken"] = {"idToken": id_token, "type": token_type}
    return "CustomerInformation", payload


def customer_information_by_identifier(
    faults: frozenset[str], customer_identifier: str, report: bool, clear: bool
) -> tuple[str, dict[str, Any]]:
    """N09/N10 CustomerInformation naming the customer by ``customer_identifier`` only (C-14;
    also an idToken under ``csms-customer-identifier-with-token``)."""
    payload: dict[str, Any] = {
        "requestId": next(_request_ids),
        "report": report,
        "clear": clear,
        "customerIdentifier": customer_identifier,
    }
    if "csms-customer-identifier-with-token" in faults:
        payload["idToken"] = {"idToken": customer_identifier[:36], "type": "Central"}
    return "CustomerInformation", payload


def refused_under(fault: str, handler: Handler) -> Handler:
    """``handler``, answering InternalError under ``fault``."""

    def checked(
        state: CsmsState, station: StationRecord, payload: dict[str, Any]
    ) -> dict[str, Any]:
        if fault in state.faults:
            raise Refusal(ErrorKind.INTERNAL_ERROR, "the notification could not be stored")
        return handler(state, station, payload)

    return checked
