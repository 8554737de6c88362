"""The SUT profile as typed objects: closed vocabularies (StrEnum) and frozen dataclasses."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from harness.config.errors import ProfileError


class Role(StrEnum):
    """What the system under test is; the harness plays the other side."""

    CHARGING_STATION = "charging-station"
    CSMS = "csms"


class OcppVersion(StrEnum):
    """An OCPP-J protocol version the harness speaks."""

    V16 = "1.6"
    V201 = "2.0.1"
    V21 = "2.1"

    @property
    def subprotocol(self) -> str:
        """The WebSocket subprotocol that selects this version, e.g. ``ocpp2.0.1``."""
        return f"ocpp{self.value}"


class ActionsType(StrEnum):
    """How the harness makes the SUT do things (plug in, present a card, reboot...)."""

    BUILTIN = "builtin"
    MANUAL = "manual"
    SHELL = "shell"
    HTTP = "http"


class Profile(StrEnum):
    """OCA certification profiles a datasheet may claim (the slugs used throughout)."""

    CORE = "core"
    ADVANCED_SECURITY = "advanced-security"
    LOCAL_AUTH_LIST = "local-auth-list"
    SMART_CHARGING = "smart-charging"
    ADVANCED_DEVICE_MANAGEMENT = "advanced-device-management"
    RESERVATION = "reservation"
    ADVANCED_USER_INTERFACE = "advanced-user-interface"
    ISO15118 = "iso15118"
    FIRMWARE_MANAGEMENT = "firmware-management"
    REMOTE_TRIGGER = "remote-trigger"
    OFFLINE_TRANSACTIONS = "offline-transactions"
    ROBUSTNESS = "robustness"


BUILTIN_SUTS: Mapping[str, Role] = MappingProxyType(
    {"reference-station": Role.CHARGING_STATION, "reference-csms": Role.CSMS}
)


@dataclass(frozen=True, slots=True)
class Evse:
    """One EVSE of the station and how many connectors it has."""

    id: int
    connectors: int = 1


@dataclass(frozen=True, slots=True)
class ListenAddress:
    """Where the harness CSMS listens when a charging station is under test (port 0: any free)."""

    host: str = "127.0.0.1"
    port: int = 9000


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long to wait for a response, an operator/SUT action and a (re)connection, in seconds;
    ``clock_deviation_s``: how far a time the SUT reports (its clock, a duration it took) may be
    from the harness's (the OCA test labs allow 4 s, Part 6 §2)."""

    response_s: float = 30.0
    action_s: float = 120.0
    connect_s: float = 30.0
    clock_deviation_s: float = 4.0


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One request of ``actions: {type: http}``: method, URL (relative to ``base_url`` or
    absolute), JSON body template (None: no body) and headers added to the common ones."""

    url: str
    method: str = "POST"
    body: str | None = None
    headers: Mapping[str, str] = field(default_factory=_empty, hash=False)


@dataclass(frozen=True, slots=True)
class ActionsConfig:
    """How the harness makes the SUT do things (issue 8 item 7; README "SUT actions").

    ``commands`` maps action names to bash command lines (``shell``); ``requests`` maps them to
    HTTP requests (``http``; with ``base_url`` an action without one is POSTed to
    ``<base_url>/<action>``); ``prompts`` replaces the instruction an operator reads (``manual``;
    the way to have ``start``/``stop``/``reset`` prompted at all). Templates use ``{{name}}``.
    """

    type: ActionsType
    commands: Mapping[str, str] = field(default_factory=_empty, hash=False)
    requests: Mapping[str, HttpRequest] = field(default_factory=_empty, hash=False)
    prompts: Mapping[str, str] = field(default_factory=_empty, hash=False)
    base_url: str | None = None
    headers: Mapping[str, str] = field(default_factory=_empty, hash=False)

    @property
    def configured(self) -> frozenset[str]:
        """The actions named in the profile (e.g. whether a ``start`` action brings the SUT up)."""
        return frozenset((*self.commands, *self.requests, *self.prompts))


@dataclass(frozen=True, slots=True)
class Tokens:
    """idTokens the SUT accepts / rejects.

    With a CSMS under test: what its token list holds. With a station under test: what the
    operator presents (or the harness CSMS is told to accept).
    """

    valid: str = "VALID001"
    invalid: str = "INVALID999"
    type: str = "ISO14443"
    #: The optional ones the OCA cases of a CSMS under test configure (Part 6 "Configured
    #: ..._idtoken"); a case that needs one the profile lacks is INCONCLUSIVE, naming the key.
    #: ``valid2``: a second valid token with the same ``group`` (groupIdToken) as ``valid``
    #: (TC_C_39, C09); ``blocked`` / ``expired``: tokens the CSMS holds as Blocked / Expired
    #: (TC_C_06/07, C01.FR.07); ``masterpass``: a token whose groupIdToken is
    #: ``masterpass_group``, the station's MasterPassGroupId (TC_C_47-49, C16).
    valid2: str | None = None
    group: str | None = None
    blocked: str | None = None
    expired: str | None = None
    masterpass: str | None = None
    masterpass_group: str | None = None


@dataclass(frozen=True, slots=True)
class TlsConfig:
    """``sut.tls``: certificates for security profiles 2 and 3 (paths relative to the profile).

    ``certs``: the harness's own PKI (``ocpp-harness certs init``), of ``algorithm`` ``ecdsa``
    or ``rsa``, used for whatever is not given explicitly (None: ``certs`` beside the profile;
    a built-in SUT gets a fresh one per session). ``ca``: the root the harness trusts for the
    SUT's certificate (a CSMS under test: its server certificate's root; a station under test
    with profile 3: the root of its client certificate). ``cert``/``key``: the certificate
    chain and key the harness presents (the CSMS's server certificate; the station's client
    certificate with profile 3). ``host``: the name the harness CSMS's generated certificate
    carries (CN and SAN), the one a station under test connects to.
    """

    certs: str | None = None
    algorithm: str = "ecdsa"
    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    host: str | None = None


@dataclass(frozen=True, slots=True)
class FirmwareConfig:
    """``sut.firmware``: the vendor's signed firmware a real station under test can install
    (block L; 1.6 SignedUpdateFirmware). Paths are relative to the profile. ``image``: the
    firmware file; ``signing_certificate``: its firmware signing certificate (PEM);
    ``signature``: the base64 signature of the image (or ``signature_file``, a file holding it);
    ``version``: the firmwareVersion the station reports once it runs it. ``failing_image`` with
    ``failing_signature`` (or ``failing_signature_file``): a correctly signed image whose
    installation fails (TC_L_08_CS). Without the section the cases that need an installable
    image are NOT-APPLICABLE on a real station."""

    image: str
    signing_certificate: str
    version: str
    signature: str | None = None
    signature_file: str | None = None
    failing_image: str | None = None
    failing_signature: str | None = None
    failing_signature_file: str | None = None


@dataclass(frozen=True, slots=True)
class StationInfo:
    """How the harness station presents itself (BootNotification) when a CSMS is under test."""

    vendor: str = "ocpp-harness"
    model: str = "harness-station"
    serial: str = "HARNESS-0001"
    firmware: str = "0.1.0"


@dataclass(frozen=True, slots=True)
class Limits:
    """The harness's own limits (top-level ``limits:``), not properties of the SUT.

    ``max_frame_mib``: the largest WebSocket message the harness accepts; a bigger one is
    reported as such ("the SUT sent a 20.0 MiB frame; the limit is 16 MiB"). The default leaves
    room for a real NotifyReport or a large local list.
    """

    max_frame_mib: float = 16.0

    @property
    def max_frame_bytes(self) -> int:
        return int(self.max_frame_mib * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Claims:
    """What the datasheet claims: the report compares these with what was measured."""

    profiles: tuple[str, ...] = ()
    versions: tuple[OcppVersion, ...] = ()
    security_profiles: tuple[int, ...] = ()
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SutConfig:
    """The ``sut`` section: how to reach and drive the system under test."""

    role: Role
    ocpp: OcppVersion
    builtin: str | None
    identity: str
    security_profile: int
    password_env: str | None
    evses: tuple[Evse, ...]
    listen: ListenAddress
    url: str | None
    actions: ActionsConfig
    timeouts: Timeouts
    features: tuple[str, ...]
    tokens: Tokens
    station: StationInfo
    tls: TlsConfig = TlsConfig()
    firmware: FirmwareConfig | None = None

    def password(self) -> str | None:
        """The Basic-auth password from the environment, read at connect time (None: no password).

        Raises ProfileError naming the variable when ``password_env`` is set but the variable is
        missing or empty.
        """
        if self.password_env is None:
            return None
        value = os.environ.get(self.password_env)
        if not value:
            raise ProfileError(
                None,
                "sut.password_env",
                f"the environment variable {self.password_env} is not set (it holds the SUT "
                "password)",
                f"export {self.password_env}='<password>' before the run",
            )
        return value


@dataclass(frozen=True, slots=True)
class SutProfile:
    """A whole profile file: its name, the SUT, the claims, and where it came from."""

    name: str
    sut: SutConfig
    claims: Claims
    path: Path | None
    sha256: str
    limits: Limits = Limits()
    #: Spec warnings about the profile itself (e.g. security profile 0 with OCPP 2.x): the run
    #: goes on, and every case carries them on its spec axis.
    warnings: tuple[str, ...] = ()
