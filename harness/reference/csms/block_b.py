"""OCA block B (Provisioning) operator commands of the reference CSMS, 2.x: GetVariables (B06),
SetVariables (B05), GetBaseReport (B07), Reset (B11/B12) and SetNetworkProfile (B09), with the
faults that change what is sent (:mod:`harness.reference.faults_b`):
``csms-getvariables-swapped`` (component and variable swapped), ``csms-setvariables-target``
(attributeType Target), ``csms-base-report-wrong-base`` (the other report),
``csms-reset-wrong-type`` (the other reset type than the operator asked for),
``csms-network-profile-wrong-security`` (the security profile asked for + 1) and
``csms-network-profile-not-sent``. The boot (B01-B03) is handled in
:mod:`~harness.reference.csms.handlers_common`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.reference.csms import commands
from harness.reference.csms.commands import Command

#: The other 2.x reset type (``csms-reset-wrong-type``).
_OTHER_RESET = {"Immediate": "OnIdle", "OnIdle": "Immediate"}


def _split(key: str) -> tuple[str, str]:
    component, dot, variable = key.partition(".")
    if not dot or not component or not variable:
        raise ValueError(f"2.x settings are named 'Component.Variable', got {key!r}")
    return component, variable


def get_setting(version: str, faults: frozenset[str], key: str) -> Command:
    """2.x B06 GetVariables of ``key`` = "Component.Variable" (attributeType omitted: Actual)."""
    if version == "1.6":
        return "GetConfiguration", {"key": [key]}
    component, variable = _split(key)
    if "csms-getvariables-swapped" in faults:
        component, variable = variable, component
    item = {"component": {"name": component}, "variable": {"name": variable}}
    return "GetVariables", {"getVariableData": [item]}


def change_setting(version: str, faults: frozenset[str], key: str, value: str) -> Command:
    """:func:`commands.change_setting`, with attributeType Target under its fault."""
    action, payload = commands.change_setting(version, key, value)
    if version != "1.6" and "csms-setvariables-target" in faults:
        for item in payload["setVariableData"]:
            item["attributeType"] = "Target"
    return action, payload


def reset(version: str, faults: frozenset[str], kind: str) -> Command:
    """:func:`commands.reset`, of the other type under ``csms-reset-wrong-type``."""
    if "csms-reset-wrong-type" in faults:
        kind = _OTHER_RESET.get(kind, kind)
    return commands.reset(version, kind)


@dataclass(frozen=True, slots=True)
class NetworkProfile:
    """What the operator gives for a network connection profile (B09)."""

    slot: int
    csms_url: str
    security_profile: int
    message_timeout: int
    interface: str


def network_profile(
    version: str, faults: frozenset[str], profile: NetworkProfile
) -> Command | None:
    """2.x B09 SetNetworkProfile over OCPP-J (2.0.1: ocppVersion OCPP20; 2.1 leaves the
    deprecated field out); None under ``csms-network-profile-not-sent``."""
    if "csms-network-profile-not-sent" in faults:
        return None
    security = profile.security_profile
    if "csms-network-profile-wrong-security" in faults:
        security += 1
    data: dict[str, Any] = {
        "ocppTransport": "JSON",
        "ocppCsmsUrl": profile.csms_url,
        "messageTimeout": int(profile.message_timeout),
        "securityProfile": int(security),
        "ocppInterface": profile.interface,
    }
    if version == "2.0.1":
        data["ocppVersion"] = "OCPP20"
    return "SetNetworkProfile", {"configurationSlot": int(profile.slot), "connectionData": data}


#: The other base report (``csms-base-report-wrong-base``).
_OTHER_BASE = {"ConfigurationInventory": "FullInventory", "FullInventory": "ConfigurationInventory"}


def base_report(faults: frozenset[str], report_base: str, request_id: int) -> Command:
    """2.x B07 GetBaseReport; the other base under ``csms-base-report-wrong-base``."""
    if "csms-base-report-wrong-base" in faults:
        report_base = _OTHER_BASE.get(report_base, report_base)
    return "GetBaseReport", {"requestId": request_id, "reportBase": report_base}
