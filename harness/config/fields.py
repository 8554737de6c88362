"""Typed checks of single parsed YAML values, each failing with a ProfileError and an example."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from harness.config.errors import ProfileError
from harness.config.model import OcppVersion, Profile

_VERSIONS = ", ".join(f'"{v.value}"' for v in OcppVersion)
EXAMPLES: Mapping[str, str] = {
    "": "name: Acme AC22 firmware 4.2.0 / sut: {role: charging-station, ...}",
    "name": "name: Acme AC22 firmware 4.2.0",
    "sut": 'sut: {role: charging-station, ocpp: "2.0.1", identity: CS001, security_profile: 2}',
    "claims": "claims: {profiles: [core, smart-charging]}",
    "limits": "limits: {max_frame_mib: 16}",
    "limits.max_frame_mib": "max_frame_mib: 16 (the largest frame the harness accepts, MiB)",
    "sut.role": 'role: charging-station (one of "charging-station", "csms")',
    "sut.ocpp": f'ocpp: "2.0.1" (one of {_VERSIONS})',
    "sut.builtin": "builtin: reference-station (or reference-csms; omit it for a real SUT)",
    "sut.identity": "identity: CS001",
    "sut.security_profile": "security_profile: 2 (1 | 2 | 3; 0 = plain ws: OCPP 1.6, or 2.x with a warning)",
    "sut.password_env": "password_env: SUT_PASSWORD",
    "sut.evses": "evses: [{id: 1, connectors: 1}, {id: 2, connectors: 1}]",
    "sut.listen": "listen: {host: 127.0.0.1, port: 9000}",
    "sut.url": "url: wss://csms.example.com/ocpp",
    "sut.actions": "actions: {type: manual}",
    "sut.actions.type": 'type: manual (one of "builtin", "manual", "shell", "http")',
    "sut.actions.commands": 'commands: {plug_in: "relayctl on {{evse_id}}", reboot: "ssh root@cs reboot"}',
    "sut.actions.prompts": 'prompts: {present_token: "Hold the white card on reader {{evse_id}}"}',
    "sut.actions.requests": 'requests: {plug_in: {url: "/evse/{{evse_id}}/plug", body: \'{"connector": {{connector_id}}}\'}}',
    "sut.actions.base_url": "base_url: http://127.0.0.1:8080/api",
    "sut.actions.headers": 'headers: {Authorization: "Bearer ${SIM_TOKEN}"}',
    "sut.timeouts": "timeouts: {response_s: 30, action_s: 120, connect_s: 30, clock_deviation_s: 4}",
    "sut.features": "features: [C-09.1, C-44, AQ-2]",
    "sut.tokens": "tokens: {valid: VALID001, invalid: INVALID999, type: ISO14443}",
    "sut.tls": "tls: {certs: certs, algorithm: ecdsa}  (or ca:, cert:, key: of your own)",
    "sut.firmware": "firmware: {image: fw/acme-4.3.0.bin, signing_certificate: fw/signing.pem, "
    "signature_file: fw/acme-4.3.0.sig, version: 4.3.0}",
    "sut.station": "station: {vendor: Acme, model: AC22, serial: SN-0001, firmware: 4.2.0}",
    "claims.profiles": f"profiles: [core, smart-charging] (from {', '.join(Profile)})",
    "claims.versions": f'versions: ["2.0.1", "2.1"] (each one of {_VERSIONS})',
    "claims.security_profiles": "security_profiles: [1, 2] (each 0..3)",
    "claims.features": "features: [C-09.1, AQ-2]",
}
_E = TypeVar("_E", bound=StrEnum)


def _example(key: str) -> str:
    """The example for ``key``, or for the nearest enclosing key that has one."""
    key = re.sub(r"\[\d+\]", "", key)
    while key not in EXAMPLES:
        key = key.rpartition(".")[0]
    return EXAMPLES[key]


def join_key(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _describe(value: Any) -> str:
    """How a wrongly typed YAML value reads in an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, Mapping):
        return "a mapping"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


class FieldReader:
    """Checks parsed YAML values and raises ProfileError for the file being read."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def fail(self, key: str, problem: str, example: str | None = None) -> NoReturn:
        raise ProfileError(self.path, key, problem, _example(key) if example is None else example)

    def section(
        self, value: Any, key: str, allowed: Collection[str] | None = None
    ) -> Mapping[str, Any]:
        """``value`` as a mapping (None: empty) whose keys are names in ``allowed`` (None: any)."""
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(key, f"expected a mapping (key: value pairs), got {_describe(value)}")
        for name in value:
            if not isinstance(name, str):
                self.fail(key, f"keys must be names, got {_describe(name)}")
            if allowed is None or name in allowed:
                continue
            close = difflib.get_close_matches(name, list(allowed), n=1)
            if close:
                problem = f"unknown key '{name}' — did you mean '{close[0]}'?"
                self.fail(join_key(key, name), problem, _example(join_key(key, close[0])))
            self.fail(join_key(key, name), f"unknown key '{name}' (known: {', '.join(allowed)})")
        return value

    def text(self, value: Any, key: str, default: str = "", *, max_len: int = 0) -> str:
        """A non-empty string; a missing value is ``default`` ("" means required)."""
        if value is None:
            if not default:
                self.fail(key, "missing (required)")
            return default
        if not isinstance(value, str):
            quote = "" if isinstance(value, list | Mapping) else " (put it in quotes)"
            self.fail(key, f"expected text, got {_describe(value)}{quote}")
        if not value.strip():
            self.fail(key, "must not be empty")
        if max_len and len(value) > max_len:
            self.fail(key, f"'{value}' is {len(value)} characters long; at most {max_len} fit")
        return value

    def optional_text(self, value: Any, key: str) -> str | None:
        return None if value is None else self.text(value, key)

    def integer(self, value: Any, key: str, lo: int, hi: int, default: int | None = None) -> int:
        """A whole number in lo..hi; a missing value is ``default`` (None: required)."""
        if value is None and default is not None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {_describe(value)}")
        if not lo <= value <= hi:
            self.fail(key, f"{value} is out of range {lo}..{hi}")
        return value

    def seconds(self, value: Any, key: str, default: float) -> float:
        """A positive, finite number of seconds; a missing value is ``default``."""
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number of seconds, got {_describe(value)}")
        if not (value > 0 and math.isfinite(value)):
            self.fail(key, f"{value} is not a positive number of seconds")
        return float(value)

    def items(self, value: Any, key: str) -> list[tuple[str, Any]]:
        """A list (None: empty) as (item key, item) pairs."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {_describe(value)}")
        return [(f"{key}[{n}]", item) for n, item in enumerate(value)]

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        """A list of non-empty strings, duplicates dropped."""
        return tuple(dict.fromkeys(self.text(v, k) for k, v in self.items(value, key)))

    def version(self, value: Any, key: str) -> OcppVersion:
        """An OCPP version; the YAML floats 1.6 and 2.1 are read as "1.6" and "2.1"."""
        if value is None:
            self.fail(key, "missing (required)")
        text = str(value) if isinstance(value, float) else value
        if not isinstance(text, str) or text not in OcppVersion._value2member_map_:
            self.fail(key, f"'{value}' is not a supported OCPP version")
        return OcppVersion(text)

    def choice(self, value: Any, key: str, enum: type[_E], default: _E | None = None) -> _E:
        """A member of the StrEnum ``enum``; a missing value is ``default`` (None: required)."""
        text = self.text(value, key, default.value if default is not None else "")
        if text not in enum._value2member_map_:
            self.fail(key, f"'{text}' is not one of {', '.join(enum)}")
        return enum(text)
