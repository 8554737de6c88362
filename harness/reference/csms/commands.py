"""Operator commands of the reference CSMS: the CALL each one becomes, per OCPP version.

These are what a CSMS UI or API would send. Each builder returns ``(action, payload)``; the
connection layer sends it and hands back the station's response. The command faults live here
because they change what is sent: ``csms-remote-start-wrong-token``,
``csms-remote-start-wrong-evse``, ``csms-availability-wrong-status`` and
``csms-availability-wrong-evse``.
"""

from __future__ import annotations

from typing import Any

Command = tuple[str, dict[str, Any]]

#: Longest idToken each version allows (1.6 IdToken CiString20; 2.0.1 36; 2.1 255 characters).
_TOKEN_MAX = {"1.6": 20, "2.0.1": 36, "2.1": 255}
#: 2.x reset kinds as 1.6 spells them (1.6 §5.14 Reset: Hard or Soft).
_V16_RESET = {"Immediate": "Hard", "OnIdle": "Soft", "Hard": "Hard", "Soft": "Soft"}


class CommandError(Exception):
    """An operator command could not be completed."""


class StationNotConnected(CommandError):
    """The station the command is for has no open connection."""


class CommandTimeout(CommandError):
    """The station did not answer the command in time."""


class CommandFailed(CommandError):
    """The station answered with a CALLERROR (``code``) or with an invalid response."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


def _wrong_token(token: str, version: str) -> str:
    """Another token than ``token`` (the remote-start fault), still within the length limit."""
    if len(token) < _TOKEN_MAX[version]:
        return token + "X"
    return token[:-1] + ("Y" if token.endswith("X") else "X")


def remote_start(
    version: str, faults: frozenset[str], id_token: str, evse_id: int, remote_start_id: int
) -> Command:
    """1.6 §5.11 RemoteStartTransaction / 2.x F01-F02 RequestStartTransaction."""
    if "csms-remote-start-wrong-token" in faults:
        id_token = _wrong_token(id_token, version)
    if "csms-remote-start-wrong-evse" in faults:
        evse_id += 1
    if version == "1.6":
        return "RemoteStartTransaction", {"connectorId": evse_id, "idTag": id_token}
    payload: dict[str, Any] = {
        "idToken": {"idToken": id_token, "type": "ISO14443"},
        "remoteStartId": remote_start_id,
    }
    if evse_id > 0:
        payload["evseId"] = evse_id
    return "RequestStartTransaction", payload


def remote_stop(version: str, transaction_id: str | int) -> Command:
    """1.6 §5.12 RemoteStopTransaction (integer id) / 2.x F03 RequestStopTransaction."""
    if version == "1.6":
        return "RemoteStopTransaction", {"transactionId": int(transaction_id)}
    return "RequestStopTransaction", {"transactionId": str(transaction_id)}


def reset(version: str, kind: str) -> Command:
    """1.6 §5.14 Reset (Immediate→Hard, OnIdle→Soft) / 2.x B11-B12 Reset."""
    if version == "1.6":
        try:
            return "Reset", {"type": _V16_RESET[kind]}
        except KeyError:
            raise ValueError(f"no 1.6 reset kind for {kind!r}") from None
    return "Reset", {"type": kind}


def change_availability(
    version: str, faults: frozenset[str], evse_id: int, operative: bool
) -> Command:
    """1.6 §5.2 / 2.x G03-G04 ChangeAvailability; EVSE (connector) 0 is the whole station."""
    if "csms-availability-wrong-status" in faults:
        operative = not operative
    if "csms-availability-wrong-evse" in faults:
        evse_id += 1
    status = "Operative" if operative else "Inoperative"
    if version == "1.6":
        return "ChangeAvailability", {"connectorId": evse_id, "type": status}
    payload: dict[str, Any] = {"operationalStatus": status}
    if evse_id > 0:
        payload["evse"] = {"id": evse_id}
    return "ChangeAvailability", payload


def change_setting(version: str, key: str, value: str) -> Command:
    """1.6 §5.3 ChangeConfiguration / 2.x B05 SetVariables with ``key`` = "Component.Variable"."""
    if version == "1.6":
        return "ChangeConfiguration", {"key": key, "value": value}
    component, dot, variable = key.partition(".")
    if not dot or not component or not variable:
        raise ValueError(f"2.x settings are named 'Component.Variable', got {key!r}")
    item = {
        "attributeValue": value,
        "component": {"name": component},
        "variable": {"name": variable},
    }
    return "SetVariables", {"setVariableData": [item]}


def trigger(version: str, message: str) -> Command:
    """1.6 §5.17 / 2.x F06 TriggerMessage."""
    return "TriggerMessage", {"requestedMessage": message}
