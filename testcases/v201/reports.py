"""Device-model reports of the 2.0.1/2.1 station cases (B07 GetBaseReport, OCA TC_B_12/13/53):
collecting the NotifyReport parts of one request and checking what they report.

* :func:`base_report` sends GetBaseReport and collects the parts (requestId, generatedAt, seqNo 0
  then +1 each, up to tbc false: B07.FR.03/04/10);
* :data:`REQUIRED` lists the variables Part 2 Appendix 3 marks required in the Core blocks;
  :func:`missing_required` says which of them a report lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from harness import CsmsPeer
from harness.checks import require, require_fields
from harness.config import SutProfile
from testcases.v201.states import no_error_info

#: Data types whose variableCharacteristics must carry a valuesList (OCA TC_B_12/13/53).
LISTS = frozenset({"OptionList", "SequenceList", "MemberList"})

#: (component, variable, instance) Part 2 Appendix 3 marks "Required: yes" in the blocks of the
#: Core profile (B, C, E, F, G, J; the security controller's), and Part 4 §8 (OCPP-J). Names compare case-insensitively:
#: Part 2 spells some of them in more than one way (LocalPreAuthorize / LocalPreauthorize).
REQUIRED: tuple[tuple[str, str, str | None], ...] = (
    ("OCPPCommCtrlr", "MessageTimeout", "Default"),
    ("OCPPCommCtrlr", "FileTransferProtocols", None),
    ("OCPPCommCtrlr", "NetworkConfigurationPriority", None),
    ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", None),
    ("OCPPCommCtrlr", "OfflineThreshold", None),
    ("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent"),
    ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent"),
    ("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", None),
    ("OCPPCommCtrlr", "ResetRetries", None),
    ("OCPPCommCtrlr", "RetryBackOffRepeatTimes", None),  # Part 4 §8
    ("OCPPCommCtrlr", "RetryBackOffRandomRange", None),
    ("OCPPCommCtrlr", "RetryBackOffWaitMinimum", None),
    ("OCPPCommCtrlr", "WebSocketPingInterval", None),
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetReport"),
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables"),
    ("DeviceDataCtrlr", "ItemsPerMessage", "SetVariables"),
    ("DeviceDataCtrlr", "BytesPerMessage", "GetReport"),
    ("DeviceDataCtrlr", "BytesPerMessage", "GetVariables"),
    ("DeviceDataCtrlr", "BytesPerMessage", "SetVariables"),
    ("ClockCtrlr", "DateTime", None),
    ("SecurityCtrlr", "OrganizationName", None),
    ("SecurityCtrlr", "CertificateEntries", None),
    ("SecurityCtrlr", "SecurityProfile", None),
    ("AuthCtrlr", "LocalAuthorizationOffline", None),
    ("AuthCtrlr", "LocalPreAuthorize", None),
    ("TxCtrlr", "EVConnectionTimeOut", None),
    ("TxCtrlr", "StopTxOnEVSideDisconnect", None),
    ("TxCtrlr", "TxStartPoint", None),
    ("TxCtrlr", "TxStopPoint", None),
    ("TxCtrlr", "StopTxOnInvalidId", None),
    ("SampledDataCtrlr", "TxEndedMeasurands", None),
    ("SampledDataCtrlr", "TxStartedMeasurands", None),
    ("SampledDataCtrlr", "TxUpdatedMeasurands", None),
    ("ChargingStation", "Available", None),
    ("ChargingStation", "AvailabilityState", None),
)
#: Required per EVSE and per connector ("Charging Infrastructure Related").
REQUIRED_PER_EVSE = ("Power",)
REQUIRED_PER_CONNECTOR = ("ConnectorType",)

Key = tuple[str, str, str | None, int | None, int | None]


def key_of(entry: Mapping[str, Any]) -> Key:
    """(component, variable, instance, evse id, connector id) of a ReportDataType, lower-case
    names."""
    component = entry.get("component") or {}
    variable = entry.get("variable") or {}
    evse = component.get("evse") or {}
    return (
        str(component.get("name", "")).lower(),
        str(variable.get("name", "")).lower(),
        variable.get("instance"),
        evse.get("id"),
        evse.get("connectorId"),
    )


def required_keys(profile: SutProfile, writable_only: bool = False) -> list[Key]:
    """The required variables a Core station reports (``writable_only``: the ReadWrite ones of
    Part 2, for the ConfigurationInventory)."""
    read_only = {"MessageTimeout", "FileTransferProtocols", "ItemsPerMessage", "BytesPerMessage"}
    read_only |= {"DateTime", "CertificateEntries", "SecurityProfile", "Available"}
    read_only |= {"AvailabilityState", "StopTxOnEVSideDisconnect", "TxStartPoint"}
    read_only |= {"TxStopPoint", "UnlockOnEVSideDisconnect"}  # ReadWrite or ReadOnly: either
    keys: list[Key] = [
        (c.lower(), v.lower(), i, None, None)
        for c, v, i in REQUIRED
        if not (writable_only and v in read_only)
    ]
    if not writable_only:
        for evse in profile.sut.evses:
            keys += [("evse", v.lower(), None, evse.id, None) for v in REQUIRED_PER_EVSE]
            for connector in range(1, evse.connectors + 1):
                keys += [
                    ("connector", v.lower(), None, evse.id, connector)
                    for v in REQUIRED_PER_CONNECTOR
                ]
    return keys


def missing_required(entries: Iterable[Mapping[str, Any]], wanted: list[Key]) -> list[str]:
    """The ``wanted`` variables no entry reports, as readable names."""
    seen = {key_of(e) for e in entries}
    return [".".join(str(p) for p in k if p is not None) for k in wanted if k not in seen]


async def base_report(
    csms: CsmsPeer, base: str, request_id: int, *, rule: str
) -> list[Mapping[str, Any]]:
    """GetBaseReport ``base``: Accepted with no error info (B07.FR.01), then NotifyReport parts
    of ``request_id`` with generatedAt, seqNo 0 and +1 each, up to tbc false (B07.FR.03/04/10);
    every entry of a list data type carries a valuesList. Returns every reportData entry."""
    answer = await csms.call(
        "GetBaseReport", request_id=request_id, report_base=base, req=f"{rule}: answered"
    )
    answer.must(status="Accepted", req=f"B07.FR.01: GetBaseReport {base} Accepted")
    no_error_info(
        {"attributeStatusInfo": answer.get("statusInfo")},
        req="B07.FR.01: statusInfo absent or NoError",
        frames=answer.frames,
    )
    entries: list[Mapping[str, Any]] = []
    seq = 0
    while True:
        part = await csms.expect(
            "NotifyReport",
            within_s=csms.response_s,
            req=f"B07.FR.03: the {base} report sent in NotifyReport",
        )
        payload = part.payload
        require_fields(
            payload, requestId=request_id, req="B07.FR.04: the NotifyReport carries the requestId"
        )
        require(
            bool(payload.get("generatedAt")),
            req="B07: NotifyReport generatedAt given",
            expected="generatedAt",
            actual=repr(payload.get("generatedAt")),
        )
        require_fields(payload, seqNo=seq, req="B07.FR.10: seqNo 0 first, then +1 per part")
        entries += [e for e in payload.get("reportData") or [] if isinstance(e, Mapping)]
        if not payload.get("tbc", False):
            return entries
        seq += 1


def list_types_have_values(entries: Iterable[Mapping[str, Any]], *, req: str) -> None:
    """Every OptionList/SequenceList/MemberList variable carries a non-empty valuesList."""
    bad = [
        ".".join(str(p) for p in key_of(e) if p is not None)
        for e in entries
        if (e.get("variableCharacteristics") or {}).get("dataType") in LISTS
        and not (e.get("variableCharacteristics") or {}).get("valuesList")
    ]
    require(not bad, req=req, expected="a valuesList for every list variable", actual=str(bad))


def characteristics_present(entries: Iterable[Mapping[str, Any]], *, req: str) -> None:
    """Every reported variable carries variableCharacteristics (B07.FR.07/08)."""
    bad = [
        ".".join(str(p) for p in key_of(e) if p is not None)
        for e in entries
        if not isinstance(e.get("variableCharacteristics"), Mapping)
    ]
    require(
        not bad, req=req, expected="variableCharacteristics for every variable", actual=str(bad)
    )


def _value_allowed(entry: Mapping[str, Any]) -> bool:
    chars = entry.get("variableCharacteristics") or {}
    data_type = chars.get("dataType")
    if data_type not in LISTS or not chars.get("valuesList"):
        return True
    allowed = {v.strip() for v in str(chars["valuesList"]).split(",")}
    for attribute in entry.get("variableAttribute") or []:
        value = attribute.get("value") if isinstance(attribute, Mapping) else None
        if value is None:
            continue
        items = [str(value)] if data_type == "OptionList" else str(value).split(",")
        if any(i.strip() and i.strip() not in allowed for i in items):
            return False
    return True


def list_values_allowed(entries: Iterable[Mapping[str, Any]], *, req: str) -> None:
    """Every list variable's value (each member of a MemberList/SequenceList) is in its
    valuesList."""
    bad = [
        ".".join(str(p) for p in key_of(e) if p is not None)
        for e in entries
        if not _value_allowed(e)
    ]
    require(not bad, req=req, expected="values among the valuesList", actual=str(bad))


def write_only_without_value(entries: Iterable[Mapping[str, Any]], *, req: str) -> None:
    """A WriteOnly attribute is reported without its value."""
    bad = [
        ".".join(str(p) for p in key_of(e) if p is not None)
        for e in entries
        for a in e.get("variableAttribute") or []
        if isinstance(a, Mapping) and a.get("mutability") == "WriteOnly" and "value" in a
    ]
    require(not bad, req=req, expected="no value for a WriteOnly variable", actual=str(bad))


def values_present(entries: Iterable[Mapping[str, Any]], *, req: str) -> None:
    """Every attribute that is not WriteOnly carries its value; EVSE.Power, which may carry a
    maxLimit only, excepted (errata 2025-04 of TC_B_53)."""
    bad = [
        ".".join(str(p) for p in key_of(e) if p is not None)
        for e in entries
        if key_of(e)[:2] != ("evse", "power")
        for a in e.get("variableAttribute") or []
        if isinstance(a, Mapping) and a.get("mutability") != "WriteOnly" and "value" not in a
    ]
    require(not bad, req=req, expected="a value for every readable variable", actual=str(bad))
