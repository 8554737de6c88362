"""OCPP 1.6 configuration keys of the reference charge point (OCPP 1.6 §9.1, Core profile).

GetConfiguration (§5.8) returns every key, or the requested ones with the unknown ones listed in
``unknownKey``; ChangeConfiguration (§5.3) answers Accepted, Rejected (read-only key or a value the
key cannot take) or NotSupported (unknown key). Seeded faults: ``config-change-not-applied``
(Accepted but the old value stays), ``config-change-rejected`` (every change Rejected) and
``getconfiguration-missing-keys`` (the full listing omits HeartbeatInterval and
MeterValueSampleInterval); and (:mod:`harness.reference.faults_v16_core`)
``cp16-config-unknown-key-ignored`` (no unknownKey list), ``cp16-change-unknown-key-rejected``
(an unknown key Rejected, not NotSupported) and ``cp16-change-invalid-accepted`` (a malformed value
Accepted).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Measurands this charge point can sample (for the *Data keys; 1.6 Errata §3.14.4).
MEASURANDS = frozenset({"Energy.Active.Import.Register", "Power.Active.Import", "Current.Import"})
_INT = re.compile(r"-?\d+")
#: Keys the ``getconfiguration-missing-keys`` fault leaves out of the full listing.
HIDDEN_BY_FAULT = ("HeartbeatInterval", "MeterValueSampleInterval")
#: 1.6 §9.1: a configuration value is at most 500 characters.
MAX_VALUE = 500


@dataclass(slots=True)
class Key:
    """One configuration key: kind is "int", "bool", "csl" (measurands) or "text"."""

    name: str
    value: str
    readonly: bool = False
    kind: str = "text"
    minimum: int = 0


class Config16:
    """The key/value store; ``on_change(key, value)`` runs after an accepted change."""

    def __init__(
        self,
        *,
        connectors: int,
        heartbeat_s: int,
        faults: frozenset[str],
        on_change: Callable[[str, str], None],
    ) -> None:
        self.faults = faults
        self.on_change = on_change
        entries = [
            Key("AllowOfflineTxForUnknownId", "false", kind="bool"),  # §9.1.1: supported
            Key("AuthorizeRemoteTxRequests", "false", kind="bool"),
            Key("AuthorizationCacheEnabled", "true", kind="bool"),  # §9.1.2: a cache exists
            Key("ClockAlignedDataInterval", "0", kind="int"),
            Key("ConnectionTimeOut", "60", kind="int", minimum=1),
            Key("ConnectorPhaseRotation", "NotApplicable"),
            Key("GetConfigurationMaxKeys", "50", readonly=True, kind="int"),
            Key("HeartbeatInterval", str(heartbeat_s), kind="int", minimum=1),
            Key("LocalAuthorizeOffline", "false", kind="bool"),
            Key("LocalPreAuthorize", "false", kind="bool"),
            Key("MeterValuesAlignedData", "Energy.Active.Import.Register", kind="csl"),
            Key("MeterValuesSampledData", "Energy.Active.Import.Register", kind="csl"),
            Key("MeterValueSampleInterval", "0", kind="int"),
            Key("NumberOfConnectors", str(connectors), readonly=True, kind="int"),
            Key("ResetRetries", "1", kind="int"),
            Key("StopTransactionOnEVSideDisconnect", "true", kind="bool"),
            Key("StopTransactionOnInvalidId", "true", kind="bool"),
            Key("StopTxnAlignedData", "", kind="csl"),
            Key("StopTxnSampledData", "", kind="csl"),
            Key("SupportedFeatureProfiles", "Core,FirmwareManagement,RemoteTrigger", readonly=True),
            Key("TransactionMessageAttempts", "3", kind="int", minimum=1),
            Key("TransactionMessageRetryInterval", "1", kind="int"),
            Key("UnlockConnectorOnEVSideDisconnect", "true", kind="bool"),
            Key("WebSocketPingInterval", "0", kind="int"),
        ]
        self.keys: dict[str, Key] = {k.name: k for k in entries}

    # -- station logic --------------------------------------------------------------------------
    def get_int(self, name: str) -> int:
        return int(self.keys[name].value)

    def get_bool(self, name: str) -> bool:
        return self.keys[name].value.lower() == "true"

    def store(self, name: str, value: str) -> None:
        """Set a value from the station itself (e.g. the interval of a BootNotification)."""
        self.keys[name].value = value

    # -- GetConfiguration / ChangeConfiguration -------------------------------------------------
    def get_configuration(self, requested: list[str] | None) -> dict[str, Any]:
        """The GetConfiguration.conf payload (§5.8)."""
        if not requested:
            shown = [
                k
                for k in self.keys.values()
                if not (
                    "getconfiguration-missing-keys" in self.faults and k.name in HIDDEN_BY_FAULT
                )
            ]
            return {"configurationKey": [_entry(k) for k in shown]}
        known = [self.keys[name] for name in requested if name in self.keys]
        unknown = [name for name in requested if name not in self.keys]
        payload: dict[str, Any] = {"configurationKey": [_entry(k) for k in known]}
        if unknown and "cp16-config-unknown-key-ignored" not in self.faults:
            payload["unknownKey"] = unknown
        return payload

    def change_configuration(self, name: str, value: str) -> str:
        """The ChangeConfiguration.conf status (§5.3), applying the change when Accepted."""
        key = self.keys.get(name)
        if key is None:
            return (
                "Rejected" if "cp16-change-unknown-key-rejected" in self.faults else "NotSupported"
            )
        if key.readonly:
            return "Rejected"
        normal = _normalise(key, value)
        if normal is None and "cp16-change-invalid-accepted" in self.faults:
            return "Accepted"  # the fault: a value the key cannot take, "accepted" (not stored)
        if normal is None or "config-change-rejected" in self.faults:
            return "Rejected"
        if "config-change-not-applied" not in self.faults:
            key.value = normal
            self.on_change(name, normal)
        return "Accepted"


def _entry(key: Key) -> dict[str, Any]:
    return {"key": key.name, "readonly": key.readonly, "value": key.value}


def _normalise(key: Key, value: str) -> str | None:
    """``value`` as stored for ``key``, or None if the key cannot take it."""
    if len(value) > MAX_VALUE:
        return None
    text = value.strip()
    if key.kind == "int":
        if not _INT.fullmatch(text) or int(text) < key.minimum:
            return None
        return str(int(text))
    if key.kind == "bool":
        return text.lower() if text.lower() in ("true", "false") else None
    if key.kind == "csl":
        items = [item.strip() for item in text.split(",") if item.strip()]
        return ",".join(items) if all(item in MEASURANDS for item in items) else None
    return value
