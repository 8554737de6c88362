"""The SUT actions a profile may configure, who they apply to and the placeholders each offers.

One table for the three places that need it: profile validation (an unknown action or placeholder
is a profile error at load time), the adapters (which values fill a template) and the README's
list. Issue 8 item 7: test-case actions plus the lifecycle actions ``start``, ``stop``, ``reset``
(back to the OCA general preconditions, Part 6 §2.1/§3.1) and ``reboot``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: Offered to every action: the SUT's identity (``sut.identity``).
COMMON_PARAMS: tuple[str, ...] = ("identity",)

STATION = "charging-station"
CSMS = "csms"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: for which SUT role (None: both), its parameters, whether it is lifecycle."""

    name: str
    role: str | None
    params: tuple[str, ...] = ()
    lifecycle: bool = False

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Every ``{{name}}`` a template for this action may use."""
        return (*self.params, *COMMON_PARAMS)


_SPECS = (
    ActionSpec("start", None, lifecycle=True),
    ActionSpec("stop", None, lifecycle=True),
    ActionSpec("reset", None, lifecycle=True),
    ActionSpec("reboot", STATION, lifecycle=True),
    ActionSpec("plug_in", STATION, ("evse_id", "connector_id")),
    ActionSpec("unplug", STATION, ("evse_id", "connector_id")),
    ActionSpec("present_token", STATION, ("id_token", "evse_id")),
    ActionSpec("go_offline", STATION),
    ActionSpec("go_online", STATION),
    ActionSpec("set_connector_faulted", STATION, ("evse_id", "connector_id", "faulted")),
    ActionSpec("jam_connector_lock", STATION, ("evse_id", "connector_id", "jammed")),
    ActionSpec("refuse_reservations", STATION, ("refused",)),
    ActionSpec("store_customer_identifier", STATION, ("customer_identifier",)),
    ActionSpec("restore_security_profile", None, ("security_profile", "csms_url")),
    ActionSpec("remote_start", CSMS, ("id_token", "evse_id")),
    ActionSpec("remote_stop", CSMS, ("transaction_id",)),
    ActionSpec("transaction_records", CSMS, ("transaction_id",)),
    ActionSpec("request_reset", CSMS, ("kind",)),
    ActionSpec("change_availability", CSMS, ("evse_id", "operative")),
    ActionSpec("change_connector_availability", CSMS, ("evse_id", "connector_id", "operative")),
    ActionSpec("change_setting", CSMS, ("key", "value")),
    ActionSpec("get_setting", CSMS, ("key",)),
    ActionSpec("get_base_report", CSMS, ("report_base",)),
    ActionSpec(
        "set_network_profile",
        CSMS,
        ("slot", "csms_url", "security_profile", "message_timeout", "interface"),
    ),
    ActionSpec("trigger", CSMS, ("message",)),
    ActionSpec("trigger_evse", CSMS, ("message", "evse_id")),
    ActionSpec("unlock_connector", CSMS, ("evse_id", "connector_id")),
    ActionSpec("clear_cache", CSMS),
    ActionSpec("get_log", CSMS, ("log_type",)),
    ActionSpec("get_diagnostics", CSMS),
    ActionSpec("customer_information", CSMS, ("id_token", "token_type", "report", "clear")),
    ActionSpec(
        "customer_information_by_identifier", CSMS, ("customer_identifier", "report", "clear")
    ),
    ActionSpec(
        "set_charging_profile",
        CSMS,
        (
            "purpose",
            "evse_id",
            "kind",
            "stack_level",
            "limit",
            "duration_s",
            "recurrency_kind",
            "transaction_id",
        ),
    ),
    ActionSpec("clear_charging_profile", CSMS, ("profile_id", "evse_id", "purpose", "stack_level")),
    ActionSpec(
        "get_charging_profiles",
        CSMS,
        ("evse_id", "purpose", "stack_level", "limit_source", "profile_id"),
    ),
    ActionSpec("get_composite_schedule", CSMS, ("evse_id", "duration_s", "unit")),
    ActionSpec("remote_start_with_profile", CSMS, ("id_token", "evse_id", "limit")),
    ActionSpec("update_firmware", CSMS, ("retrieve_in_s", "install_in_s")),
    ActionSpec("install_certificate", CSMS, ("certificate_type",)),
    ActionSpec("get_installed_certificate_ids", CSMS, ("certificate_type",)),
    ActionSpec("delete_certificate", CSMS, ("certificate_type",)),
    ActionSpec("renew_station_certificate", CSMS),
    ActionSpec("set_basic_password", CSMS),
    ActionSpec("get_all_settings", CSMS),
    ActionSpec("get_local_list_version", CSMS),
    ActionSpec("send_local_list", CSMS, ("update_type", "content")),
    ActionSpec("reserve_now", CSMS, ("evse_id", "id_token", "expiry_in_s", "connector_type")),
    ActionSpec("cancel_reservation", CSMS, ("reservation_id",)),
)

#: Every known action by name, lifecycle actions first.
ACTIONS: Mapping[str, ActionSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})

#: Lifecycle actions that are skipped when not configured (``reboot`` is asked for by cases).
OPTIONAL: frozenset[str] = frozenset({"start", "stop", "reset"})

#: Every placeholder name any action offers (a single-brace ``{name}`` of these is a mistake).
ALL_PLACEHOLDERS: frozenset[str] = frozenset(p for spec in _SPECS for p in spec.placeholders)

#: Stand-in values used to check a template at load time (JSON bodies must stay valid JSON).
SAMPLE_VALUES: Mapping[str, object] = MappingProxyType(
    {
        "identity": "CS001",
        "evse_id": 1,
        "connector_id": 1,
        "id_token": "VALID001",
        "transaction_id": "tx-1",
        "kind": "Immediate",
        "operative": True,
        "key": "HeartbeatInterval",
        "value": "300",
        "message": "Heartbeat",
        "log_type": "DiagnosticsLog",
        "token_type": "ISO14443",
        "report": True,
        "clear": False,
        "customer_identifier": "OpenChargeAlliance",
        "slot": 1,
        "csms_url": "ws://127.0.0.1:9000/ocpp",
        "security_profile": 1,
        "message_timeout": 30,
        "interface": "Wired0",
        "report_base": "FullInventory",
        "purpose": "TxDefaultProfile",
        "stack_level": 0,
        "limit": 6.0,
        "duration_s": 300,
        "recurrency_kind": "Daily",
        "profile_id": 101,
        "limit_source": "CSO",
        "unit": "A",
        "certificate_type": "CSMSRootCertificate",
        "retrieve_in_s": 0,
        "install_in_s": 10,
        "update_type": "Full",
        "expiry_in_s": 60,
        "reservation_id": 1,
        "refused": True,
    }
)


def applies_to(spec: ActionSpec, role: str) -> bool:
    """Whether a SUT of ``role`` is ever asked for this action."""
    return spec.role is None or spec.role == role
