"""SUT profile and claims: the user's one YAML file, read into typed and validated objects.

Every mistake in a profile raises :class:`ProfileError`, which names the file, the dotted key,
what is wrong and an example of a right value. The YAML reader drops the YAML 1.1 surprises:
``no``/``on`` stay strings, dates stay strings and a key given twice is an error. Secrets never
live in the file: ``password_env`` names the environment variable that holds the password
(DESIGN.md §4).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import yaml


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
BUILTIN_PROFILE_DIR: Path = Path(__file__).resolve().parents[1] / "fixtures" / "sut"
DEFAULT_PROFILE = "reference-station-v201.yaml"


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
    """How long to wait for a response, an operator/SUT action and a (re)connection, in seconds."""

    response_s: float = 30.0
    action_s: float = 120.0
    connect_s: float = 30.0


@dataclass(frozen=True, slots=True)
class ActionsConfig:
    """The SUT action adapter; ``commands`` maps action names to command lines for ``shell``."""

    type: ActionsType
    commands: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)


@dataclass(frozen=True, slots=True)
class Tokens:
    """idTokens the SUT accepts / rejects.

    With a CSMS under test: what its token list holds. With a station under test: what the
    operator presents (or the harness CSMS is told to accept).
    """

    valid: str = "VALID001"
    invalid: str = "INVALID999"
    type: str = "ISO14443"


@dataclass(frozen=True, slots=True)
class StationInfo:
    """How the harness station presents itself (BootNotification) when a CSMS is under test."""

    vendor: str = "ocpp-harness"
    model: str = "harness-station"
    serial: str = "HARNESS-0001"
    firmware: str = "0.1.0"


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


class ProfileError(Exception):
    """A profile or claims file is wrong: the file, the dotted key, the problem and an example."""

    def __init__(self, path: Path | None, key: str, problem: str, example: str = "") -> None:
        super().__init__(path, key, problem, example)
        self.path = path
        self.key = key
        self.problem = problem
        self.example = example

    def __str__(self) -> str:
        where = "".join(f"{part}: " for part in (self.path, self.key) if part)
        stop = " " if self.problem.endswith(("?", ".")) else ". "
        tail = f"{stop}Example: {self.example}" if self.example else ""
        return f"{where}{self.problem}{tail}"


# --- reading YAML --------------------------------------------------------------------------------

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _ProfileLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (true/false only), no timestamps, no duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"found the key '{key_node.value}' twice",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


_ProfileLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ProfileLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read_yaml(path: Path) -> tuple[Any, str]:
    """Parse ``path``; return the document and the sha256 of its bytes."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(path, "", f"cannot read the file ({exc.strerror or exc})") from exc
    example = "name: My station / sut: {role: charging-station, ...} (one key: value per line)"
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_ProfileLoader)  # a SafeLoader
    except UnicodeDecodeError as exc:
        raise ProfileError(path, "", "the file is not UTF-8 text", example) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ProfileError(path, "", f"not valid YAML: {at}{exc.problem}", example) from exc
    except yaml.YAMLError as exc:
        raise ProfileError(path, "", f"not valid YAML: {exc}", example) from exc
    if data is None:
        raise ProfileError(path, "", "the file is empty", example)
    return data, hashlib.sha256(raw).hexdigest()


def load_profile(path: str | Path) -> SutProfile:
    """Read and validate the SUT profile at ``path``."""
    path = Path(path)
    data, digest = _read_yaml(path)
    return profile_from_mapping(data, path=path, sha256=digest)


def load_claims(path: str | Path) -> Claims:
    """Read a claims file: ``{claims: {...}}`` (so a whole profile works) or claims at top level."""
    path = Path(path)
    data, _ = _read_yaml(path)
    reader = _Reader(path)
    _reject_secrets(reader, data, "")
    if isinstance(data, Mapping) and "claims" in data:
        top = reader.section(data, "", ("name", "sut", "claims"))
        return _claims(reader, top.get("claims"))
    return _claims(reader, data)


def builtin_profile_path(name: str) -> Path:
    """The built-in profile called ``name`` (with or without ``.yaml``) in ``fixtures/sut``."""
    stem = name.removesuffix(".yaml")
    candidate = BUILTIN_PROFILE_DIR / f"{stem}.yaml"
    if stem and "/" not in stem and "\\" not in stem and candidate.is_file():
        return candidate
    available = ", ".join(builtin_profile_names()) or "(none found)"
    raise ProfileError(
        None,
        "",
        f"no built-in SUT profile named '{name}' (built-ins: {available})",
        f"--ocpp-sut {Path(DEFAULT_PROFILE).stem}",
    )


def builtin_profile_names() -> tuple[str, ...]:
    """Names of the built-in profiles, without ``.yaml``."""
    return tuple(sorted(p.stem for p in BUILTIN_PROFILE_DIR.glob("*.yaml")))


def resolve_profile_path(value: str | None) -> Path:
    """A ``--ocpp-sut`` value as a file: None → the default built-in; a file; or a built-in name."""
    if value is None:
        return BUILTIN_PROFILE_DIR / DEFAULT_PROFILE
    path = Path(value).expanduser()
    if path.is_file():
        return path
    try:
        return builtin_profile_path(value)
    except ProfileError:
        names = ", ".join(builtin_profile_names())
        raise ProfileError(
            path,
            "",
            f"no such file (nor a built-in profile of that name; built-ins: {names})",
            "--ocpp-sut fixtures/sut/my-station.yaml",
        ) from None


# --- validation ----------------------------------------------------------------------------------

_VERSIONS = ", ".join(f'"{v.value}"' for v in OcppVersion)
_EXAMPLES: Mapping[str, str] = {
    "": "name: Acme AC22 firmware 4.2.0 / sut: {role: charging-station, ...}",
    "name": "name: Acme AC22 firmware 4.2.0",
    "sut": 'sut: {role: charging-station, ocpp: "2.0.1", identity: CS001, security_profile: 2}',
    "claims": "claims: {profiles: [core, smart-charging]}",
    "sut.role": 'role: charging-station (one of "charging-station", "csms")',
    "sut.ocpp": f'ocpp: "2.0.1" (one of {_VERSIONS})',
    "sut.builtin": "builtin: reference-station (or reference-csms; omit it for a real SUT)",
    "sut.identity": "identity: CS001",
    "sut.security_profile": "security_profile: 2 (1 | 2 | 3; 0 = plain ws, OCPP 1.6 only)",
    "sut.password_env": "password_env: SUT_PASSWORD",
    "sut.evses": "evses: [{id: 1, connectors: 1}, {id: 2, connectors: 1}]",
    "sut.listen": "listen: {host: 127.0.0.1, port: 9000}",
    "sut.url": "url: wss://csms.example.com/ocpp",
    "sut.actions": "actions: {type: manual}",
    "sut.actions.type": 'type: manual (one of "builtin", "manual", "shell")',
    "sut.actions.commands": 'commands: {reboot: "ssh root@station reboot"}',
    "sut.timeouts": "timeouts: {response_s: 30, action_s: 120, connect_s: 30}",
    "sut.features": "features: [C-09.1, C-44, AQ-2]",
    "sut.tokens": "tokens: {valid: VALID001, invalid: INVALID999, type: ISO14443}",
    "sut.station": "station: {vendor: Acme, model: AC22, serial: SN-0001, firmware: 4.2.0}",
    "claims.profiles": f"profiles: [core, smart-charging] (from {', '.join(Profile)})",
    "claims.versions": f'versions: ["2.0.1", "2.1"] (each one of {_VERSIONS})',
    "claims.security_profiles": "security_profiles: [1, 2] (each 0..3)",
    "claims.features": "features: [C-09.1, AQ-2]",
}
_SUT_KEYS = (
    "role", "ocpp", "builtin", "identity", "security_profile", "password_env", "evses", "listen",
    "url", "actions", "timeouts", "features", "tokens", "station",
)  # fmt: skip
_SECRET_KEYS = frozenset({"password", "passwd", "secret"})
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_E = TypeVar("_E", bound=StrEnum)


def _example(key: str) -> str:
    """The example for ``key``, or for the nearest enclosing key that has one."""
    key = re.sub(r"\[\d+\]", "", key)
    while key not in _EXAMPLES:
        key = key.rpartition(".")[0]
    return _EXAMPLES[key]


def _join(parent: str, name: str) -> str:
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


class _Reader:
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
                self.fail(_join(key, name), problem, _example(_join(key, close[0])))
            self.fail(_join(key, name), f"unknown key '{name}' (known: {', '.join(allowed)})")
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


def _reject_secrets(reader: _Reader, value: Any, key: str) -> None:
    """Fail on a key that looks like a secret, anywhere in the document."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            if isinstance(name, str) and name.lower() in _SECRET_KEYS:
                reader.fail(
                    _join(key, name),
                    "secrets come from the environment: use password_env: NAME",
                    "password_env: SUT_PASSWORD (and export SUT_PASSWORD=... before the run)",
                )
            _reject_secrets(reader, item, _join(key, str(name)))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _reject_secrets(reader, item, f"{key}[{n}]")


def profile_from_mapping(
    data: Mapping[str, Any], *, path: Path | None = None, sha256: str = ""
) -> SutProfile:
    """Validate parsed profile data (as read from YAML) into a SutProfile."""
    reader = _Reader(path)
    _reject_secrets(reader, data, "")
    top = reader.section(data, "", ("name", "sut", "claims"))
    name = reader.text(top.get("name"), "name")
    if top.get("sut") is None:
        reader.fail("sut", "missing (required)")
    sut = _sut(reader, reader.section(top["sut"], "sut", _SUT_KEYS))
    return SutProfile(name, sut, _claims(reader, top.get("claims")), path, sha256)


def _sut(r: _Reader, s: Mapping[str, Any]) -> SutConfig:
    role = r.choice(s.get("role"), "sut.role", Role)
    ocpp = r.version(s.get("ocpp"), "sut.ocpp")
    builtin = r.optional_text(s.get("builtin"), "sut.builtin")
    if builtin is not None and BUILTIN_SUTS.get(builtin) != role:
        right = next(name for name, of_role in BUILTIN_SUTS.items() if of_role == role)
        known = builtin in BUILTIN_SUTS
        r.fail(
            "sut.builtin",
            f"'{builtin}' is a built-in {BUILTIN_SUTS[builtin]}, but sut.role is {role}"
            if known
            else f"'{builtin}' is not a built-in SUT",
            f"builtin: {right} (with role: {role}), or no builtin key for a real SUT",
        )
    identity = r.text(s.get("identity"), "sut.identity", max_len=48)
    if "/" in identity or any(c.isspace() for c in identity):
        r.fail("sut.identity", f"'{identity}' goes in a URL path: no '/' and no spaces allowed")
    sp = r.integer(s.get("security_profile"), "sut.security_profile", 0, 3, 0)
    if sp == 0 and ocpp is not OcppVersion.V16 and builtin is None:
        why = "" if "security_profile" in s else " (0 is the default when the key is missing)"
        r.fail(
            "sut.security_profile",
            f"OCPP {ocpp} requires security profile 1, 2 or 3; 0 (plain ws, no authentication)"
            f" is for OCPP 1.6 only{why}",
        )
    password_env = r.optional_text(s.get("password_env"), "sut.password_env")
    if password_env is not None and not _ENV_NAME.fullmatch(password_env):
        r.fail(
            "sut.password_env",
            "expected the NAME of an environment variable (A-Z, 0-9, _), never a password",
        )
    if sp in (1, 2) and builtin is None and password_env is None:
        r.fail(
            "sut.password_env",
            f"security profile {sp} uses HTTP Basic authentication: name the environment"
            " variable that holds the password",
        )
    if role is Role.CHARGING_STATION:
        if s.get("url") is not None:
            r.fail(
                "sut.url",
                "url is where the harness station reaches a CSMS under test; a charging station"
                " under test connects to the harness CSMS at sut.listen instead",
                _EXAMPLES["sut.listen"],
            )
        listen, url = _listen(r, s.get("listen"), builtin), None
    else:
        if s.get("listen") is not None:
            r.fail(
                "sut.listen",
                "listen is where the harness CSMS waits for a station under test; a CSMS under"
                " test is reached at sut.url instead",
                _EXAMPLES["sut.url"],
            )
        listen, url = ListenAddress(), _url(r, s.get("url"), sp, builtin)
    return SutConfig(
        role=role,
        ocpp=ocpp,
        builtin=builtin,
        identity=identity,
        security_profile=sp,
        password_env=password_env,
        evses=_evses(r, s.get("evses")),
        listen=listen,
        url=url,
        actions=_actions(r, s.get("actions"), builtin),
        timeouts=_timeouts(r, s.get("timeouts")),
        features=r.texts(s.get("features"), "sut.features"),
        tokens=_tokens(r, s.get("tokens"), ocpp),
        station=_station(r, s.get("station"), ocpp),
    )


def _listen(r: _Reader, value: Any, builtin: str | None) -> ListenAddress:
    m = r.section(value, "sut.listen", ("host", "port"))
    default = ListenAddress()
    host = r.text(m.get("host"), "sut.listen.host", default.host)
    port = r.integer(m.get("port"), "sut.listen.port", 0, 65535, default.port)
    if port == 0 and builtin is None:
        r.fail(
            "sut.listen.port",
            "port 0 (any free port) is for the built-in SUTs only; a real station needs the port"
            " it is configured to connect to",
        )
    return ListenAddress(host, port)


def _url(r: _Reader, value: Any, sp: int, builtin: str | None) -> str:
    url = r.text(value, "sut.url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        r.fail("sut.url", f"'{url}' is not a valid URL ({exc})")
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        r.fail("sut.url", f"'{url}' is not a ws:// or wss:// URL with a host")
    if parts.password is not None:
        r.fail("sut.url", "secrets come from the environment: use password_env: NAME")
    if port == 0 and builtin is None:
        r.fail("sut.url", "port 0 (any free port) is for the built-in reference CSMS only")
    if sp >= 2 and parts.scheme != "wss":
        r.fail("sut.url", f"security profile {sp} runs over TLS: the URL must start with wss://")
    return url


def _evses(r: _Reader, value: Any) -> tuple[Evse, ...]:
    if value is None:
        return (Evse(1, 1),)
    evses: list[Evse] = []
    for key, item in r.items(value, "sut.evses"):
        m = r.section(item, key, ("id", "connectors"))
        if m.get("id") is None:
            r.fail(f"{key}.id", "missing (required)")
        evse = Evse(
            r.integer(m["id"], f"{key}.id", 1, 9999),
            r.integer(m.get("connectors"), f"{key}.connectors", 1, 99, 1),
        )
        if any(e.id == evse.id for e in evses):
            r.fail(f"{key}.id", f"EVSE id {evse.id} is listed twice")
        evses.append(evse)
    if not evses:
        r.fail("sut.evses", "a station has at least one EVSE")
    return tuple(evses)


def _actions(r: _Reader, value: Any, builtin: str | None) -> ActionsConfig:
    m = r.section(value, "sut.actions", ("type", "commands"))
    default = ActionsType.BUILTIN if builtin else ActionsType.MANUAL
    kind = r.choice(m.get("type"), "sut.actions.type", ActionsType, default)
    if kind is ActionsType.BUILTIN and builtin is None:
        r.fail(
            "sut.actions.type",
            "type builtin drives the built-in SUTs only; a real SUT uses manual or shell",
            "type: manual (or type: shell with commands)",
        )
    raw = r.section(m.get("commands"), "sut.actions.commands")
    if raw and kind is not ActionsType.SHELL:
        r.fail("sut.actions.commands", f"commands are used by type shell only (type is {kind})")
    if kind is ActionsType.SHELL and not raw:
        r.fail("sut.actions.commands", "type shell needs a command for each action")
    commands = {name: r.text(cmd, f"sut.actions.commands.{name}") for name, cmd in raw.items()}
    return ActionsConfig(kind, MappingProxyType(commands))


def _timeouts(r: _Reader, value: Any) -> Timeouts:
    m = r.section(value, "sut.timeouts", ("response_s", "action_s", "connect_s"))
    d = Timeouts()
    return Timeouts(
        r.seconds(m.get("response_s"), "sut.timeouts.response_s", d.response_s),
        r.seconds(m.get("action_s"), "sut.timeouts.action_s", d.action_s),
        r.seconds(m.get("connect_s"), "sut.timeouts.connect_s", d.connect_s),
    )


def _tokens(r: _Reader, value: Any, ocpp: OcppVersion) -> Tokens:
    m = r.section(value, "sut.tokens", ("valid", "invalid", "type"))
    d = Tokens()
    limit = 20 if ocpp is OcppVersion.V16 else 36  # idTag (1.6) / idToken (2.x) length
    valid = r.text(m.get("valid"), "sut.tokens.valid", d.valid, max_len=limit)
    invalid = r.text(m.get("invalid"), "sut.tokens.invalid", d.invalid, max_len=limit)
    if valid == invalid:
        r.fail("sut.tokens.invalid", f"the invalid token must differ from the valid one ({valid})")
    return Tokens(valid, invalid, r.text(m.get("type"), "sut.tokens.type", d.type))


def _station(r: _Reader, value: Any, ocpp: OcppVersion) -> StationInfo:
    m = r.section(value, "sut.station", ("vendor", "model", "serial", "firmware"))
    d = StationInfo()
    vendor_max = 20 if ocpp is OcppVersion.V16 else 50  # BootNotification field lengths
    return StationInfo(
        r.text(m.get("vendor"), "sut.station.vendor", d.vendor, max_len=vendor_max),
        r.text(m.get("model"), "sut.station.model", d.model, max_len=20),
        r.text(m.get("serial"), "sut.station.serial", d.serial, max_len=25),
        r.text(m.get("firmware"), "sut.station.firmware", d.firmware, max_len=50),
    )


def _claims(r: _Reader, value: Any) -> Claims:
    m = r.section(value, "claims", ("profiles", "versions", "security_profiles", "features"))
    profiles = r.texts(m.get("profiles"), "claims.profiles")
    for n, slug in enumerate(profiles):
        if slug not in Profile._value2member_map_:
            close = difflib.get_close_matches(slug, list(Profile), n=1)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            r.fail(f"claims.profiles[{n}]", f"'{slug}' is not a certification profile{hint}")
    versions = [r.version(v, k) for k, v in r.items(m.get("versions"), "claims.versions")]
    sps = [
        r.integer(v, k, 0, 3)
        for k, v in r.items(m.get("security_profiles"), "claims.security_profiles")
    ]
    return Claims(
        profiles=profiles,
        versions=tuple(dict.fromkeys(versions)),
        security_profiles=tuple(dict.fromkeys(sps)),
        features=r.texts(m.get("features"), "claims.features"),
    )
