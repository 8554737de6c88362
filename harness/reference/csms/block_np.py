"""OCA blocks N (diagnostics) and P (data transfer, custom data) of the reference CSMS, 2.x.

* DataTransfer (P02): no vendor extension is known: UnknownVendorId (P02.FR.06).
* customData (TC_P_03_CSMS): accepted on every request; the fault ``csms-refuses-custom-data``
  refuses a StatusNotification or TransactionEvent that carries it.
* LogStatusNotification (N01) and NotifyCustomerInformation (N09/N10) are confirmed.
"""

from __future__ import annotations

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
        "NotifyCustomerInformation": acknowledge,
    }
