"""OCA block P (DataTransfer and CustomData), OCPP 2.0.1 and 2.1, both roles. Steps and criteria
in our own words after OCPP 2.0.1 Part 6 (TC_P_01-03)."""

from __future__ import annotations

import uuid
from typing import Any

from harness import CsmsPeer, StationPeer, oca
from harness.checks import require, require_fields, require_one
from harness.peers.defaults import now_iso
from harness.peers.exchange import CallOutcome

V2 = ("2.0.1", "2.1")
#: The vendorId the OCA's test system sends (TC_P_01_CS step 1): one no SUT implements.
OCTT_VENDOR = "org.openchargealliance.octt"
#: The messageId the harness configures (TC_P_01_CS, TC_P_02_CSMS: an unused one).
UNUSED_MESSAGE = "ocpp-harness-unused-message"
NOT_ACCEPTED = ("Rejected", "UnknownVendorId", "UnknownMessageId")
#: customData as the harness sends it (every 2.x request may carry it; vendorId is required).
CUSTOM_DATA: dict[str, Any] = {"vendorId": OCTT_VENDOR, "harnessNote": "custom data"}
#: TC_P_03_CS: OCPPCommCtrlr.OfflineThreshold set to 200 (Actual).
OFFLINE = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}


def _not_accepted(result: CallOutcome, req: str) -> None:
    status = result.must(req=req).get("status")
    require(
        status in NOT_ACCEPTED,
        req=req,
        expected=" or ".join(NOT_ACCEPTED),
        actual=repr(status),
        frames=result.frames,
    )


@oca(
    "TC_P_01_CS",
    "Data Transfer to the Charging Station - Rejected / Unknown VendorId / Unknown MessageId",
    profile="core",
    versions=V2,
    kills=("datatransfer-accepts-unknown-vendor",),
)
async def test_data_transfer_unknown_vendor(csms: CsmsPeer) -> None:
    """TC_P_01_CS (P01): DataTransfer with vendorId org.openchargealliance.octt and an unused
    messageId (step 1) is answered UnknownVendorId, UnknownMessageId or Rejected (step 2;
    P01.FR.05/06, Rejected allowed as the OCA does)."""
    result = await csms.call("DataTransfer", vendor_id=OCTT_VENDOR, message_id=UNUSED_MESSAGE)
    _not_accepted(result, "P01: an unknown vendor's DataTransfer is not Accepted (P01.FR.05/06)")


@oca(
    "TC_P_03_CS",
    "CustomData - Receive custom data",
    profile="core",
    versions=V2,
    kills=("station-refuses-custom-data", "config-change-not-applied"),
)
async def test_receive_custom_data(csms: CsmsPeer) -> None:
    """TC_P_03_CS: a SetVariables carrying customData (OCPPCommCtrlr.OfflineThreshold = "200",
    Actual) is answered with its single result Accepted (step 2); a GetVariables of it, also
    carrying customData, gives Accepted, attributeType Actual or omitted and value "200" (step
    4). Deviation: the document spells the component "OCPPCommCtrl"; the device model's name is
    OCPPCommCtrlr (Part 2 appendix), and the document does not say where the custom data goes,
    so it is on both requests and their items. The harness restores the variable after the case
    (Part 6 §2.1)."""
    item = {**OFFLINE, "attributeType": "Actual", "customData": CUSTOM_DATA}
    result = await csms.call(
        "SetVariables",
        set_variable_data=[{**item, "attributeValue": "200"}],
        custom_data=CUSTOM_DATA,
    )
    answer = require_one(
        result.must(req="P03: a request with customData is accepted (SetVariables)").get(
            "setVariableResult"
        ),
        req="P03: one setVariableResult",
        what="setVariableResult",
        frames=result.frames,
    )
    require_fields(
        answer,
        attributeStatus="Accepted",
        req="P03: a request with customData is accepted (SetVariables)",
        frames=result.frames,
    )
    read = await csms.call("GetVariables", get_variable_data=[item], custom_data=CUSTOM_DATA)
    value = require_one(
        read.must(req="P03: a request with customData is accepted (GetVariables)").get(
            "getVariableResult"
        ),
        req="P03: one getVariableResult",
        what="getVariableResult",
        frames=read.frames,
    )
    require_fields(
        value,
        attributeStatus="Accepted",
        req="P03: a request with customData is accepted (GetVariables)",
        frames=read.frames,
    )
    require(
        value.get("attributeType", "Actual") == "Actual",
        req="P03: attributeType Actual or omitted",
        expected="Actual or omitted",
        actual=repr(value.get("attributeType")),
        frames=read.frames,
    )
    require_fields(
        value, attributeValue="200", req="B05.FR.10: the new value is in effect", frames=read.frames
    )


@oca(
    "TC_P_02_CSMS",
    "Data Transfer to the CSMS - Rejected / Unknown VendorId / Unknown MessageId",
    profile="core",
    versions=V2,
    kills=("csms-datatransfer-accepts-unknown",),
)
async def test_csms_data_transfer_unknown_vendor(station: StationPeer) -> None:
    """TC_P_02_CSMS (P02): the station's DataTransfer with a vendorId and messageId the CSMS
    cannot know (step 1) is answered UnknownVendorId, UnknownMessageId or Rejected (step 2;
    P02.FR.06/07, Rejected allowed as the OCA does)."""
    result = await station.call("DataTransfer", vendor_id=OCTT_VENDOR, message_id=UNUSED_MESSAGE)
    _not_accepted(result, "P02: an unknown vendor's DataTransfer is not Accepted (P02.FR.06/07)")


@oca(
    "TC_P_03_CSMS",
    "CustomData - Receive custom data",
    profile="core",
    versions=V2,
    kills=("csms-refuses-custom-data",),
)
async def test_csms_receive_custom_data(station: StationPeer) -> None:
    """TC_P_03_CSMS: a StatusNotification carrying customData (step 1) and a TransactionEvent
    carrying customData on the request and in transactionInfo (step 3) are answered with their
    responses (steps 2, 4), not a CALLERROR. The document gives no tool validation beyond the
    answers. The transaction (Started on a cable plug-in, EVSE 1) is ended by the harness after
    the case."""
    status = await station.call(
        "StatusNotification",
        timestamp=now_iso(),
        connector_status="Occupied",
        evse_id=1,
        connector_id=1,
        custom_data=CUSTOM_DATA,
    )
    status.must(req="P03: a request with customData is answered (StatusNotification)")
    event = await station.call(
        "TransactionEvent",
        event_type="Started",
        timestamp=now_iso(),
        trigger_reason="CablePluggedIn",
        seq_no=0,
        transaction_info={
            "transactionId": f"p03-{uuid.uuid4().hex[:12]}",
            "chargingState": "EVConnected",
            "customData": CUSTOM_DATA,
        },
        evse={"id": 1, "connectorId": 1},
        custom_data=CUSTOM_DATA,
    )
    event.must(req="P03: a request with customData is answered (TransactionEvent)")
