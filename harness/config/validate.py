"""Validation of parsed profile data (mapping → SutProfile / Claims), with precise ProfileErrors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.config.actions import actions_section
from harness.config.fields import EXAMPLES, FieldReader, join_key
from harness.config.model import (
    BUILTIN_SUTS,
    ActionsConfig,
    Claims,
    Evse,
    FirmwareConfig,
    Limits,
    ListenAddress,
    OcppVersion,
    Profile,
    Role,
    StationInfo,
    SutConfig,
    SutProfile,
    Timeouts,
    TlsConfig,
    Tokens,
)

_SUT_KEYS = (
    "role", "ocpp", "builtin", "identity", "security_profile", "password_env", "evses", "listen",
    "url", "tls", "actions", "timeouts", "features", "tokens", "station", "firmware",
)  # fmt: skip
_SECRET_KEYS = frozenset({"password", "passwd", "secret"})
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def _reject_secrets(reader: FieldReader, value: Any, key: str) -> None:
    """Fail on a key that looks like a secret, anywhere in the document."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            if isinstance(name, str) and name.lower() in _SECRET_KEYS:
                reader.fail(
                    join_key(key, name),
                    "secrets come from the environment: use password_env: NAME",
                    "password_env: SUT_PASSWORD (and export SUT_PASSWORD=... before the run)",
                )
            _reject_secrets(reader, item, join_key(key, str(name)))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _reject_secrets(reader, item, f"{key}[{n}]")


def profile_from_mapping(
    data: Mapping[str, Any], *, path: Path | None = None, sha256: str = ""
) -> SutProfile:
    """Validate parsed profile data (as read from YAML) into a SutProfile."""
    reader = FieldReader(path)
    _reject_secrets(reader, data, "")
    top = reader.section(data, "", ("name", "sut", "claims", "limits"))
    name = reader.text(top.get("name"), "name")
    if top.get("sut") is None:
        reader.fail("sut", "missing (required)")
    sut = _sut(reader, reader.section(top["sut"], "sut", _SUT_KEYS), path)
    return SutProfile(
        name,
        sut,
        _claims(reader, top.get("claims")),
        path,
        sha256,
        limits=_limits(reader, top.get("limits")),
        warnings=_warnings(sut),
    )


def _limits(r: FieldReader, value: Any) -> Limits:
    m = r.section(value, "limits", ("max_frame_mib",))
    mib = r.seconds(m.get("max_frame_mib"), "limits.max_frame_mib", Limits().max_frame_mib)
    if not 0.001 <= mib <= 1024:
        r.fail("limits.max_frame_mib", f"{mib:g} MiB is out of range 0.001..1024")
    return Limits(mib)


def _warnings(sut: SutConfig) -> tuple[str, ...]:
    """Spec warnings about a profile that still runs (item: an unsecured 2.x endpoint)."""
    if sut.security_profile == 0 and sut.ocpp is not OcppVersion.V16 and sut.builtin is None:
        return (
            f"sut.security_profile 0: OCPP {sut.ocpp} defines security profiles 1, 2 and 3 only "
            "(Part 2 §A00; A00.FR.201: even profile 1 SHOULD only be used in trusted networks); "
            "this run connects without any authentication",
        )
    return ()


def claims_from_mapping(data: Any, *, path: Path | None = None) -> Claims:
    """Validate a parsed claims document: ``{claims: {...}}`` (a whole profile) or top-level claims."""
    reader = FieldReader(path)
    _reject_secrets(reader, data, "")
    if isinstance(data, Mapping) and "claims" in data:
        top = reader.section(data, "", ("name", "sut", "claims"))
        return _claims(reader, top.get("claims"))
    return _claims(reader, data)


def _sut(r: FieldReader, s: Mapping[str, Any], path: Path | None = None) -> SutConfig:
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
                EXAMPLES["sut.listen"],
            )
        listen, url = _listen(r, s.get("listen"), builtin), None
    else:
        if s.get("listen") is not None:
            r.fail(
                "sut.listen",
                "listen is where the harness CSMS waits for a station under test; a CSMS under"
                " test is reached at sut.url instead",
                EXAMPLES["sut.url"],
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
        actions=_actions(r, s.get("actions"), builtin, role),
        timeouts=_timeouts(r, s.get("timeouts")),
        features=r.texts(s.get("features"), "sut.features"),
        tokens=_tokens(r, s.get("tokens"), ocpp),
        station=_station(r, s.get("station"), ocpp),
        tls=_tls(r, s.get("tls"), sp),
        firmware=_firmware(r, s.get("firmware"), role, path),
    )


def _listen(r: FieldReader, value: Any, builtin: str | None) -> ListenAddress:
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


def _url(r: FieldReader, value: Any, sp: int, builtin: str | None) -> str:
    url = r.text(value, "sut.url")
    placeholders = set(re.findall(r"\{[^{}]*\}", url))
    if placeholders - {"{identity}"} or url.count("{") != url.count("{identity}"):
        r.fail(
            "sut.url",
            f"'{url}': the only placeholder is {{identity}} (where the station identity goes, "
            "e.g. wss://csms.example/ocpp/{identity}/); without it the identity is appended",
        )
    marker = "identity-placeholder"  # a stand-in that parses as a host or path segment
    if marker in urlsplit(url.replace("{identity}", marker)).netloc:
        r.fail("sut.url", f"'{url}': {{identity}} belongs in the path, not the host")
    try:
        parts = urlsplit(url.replace("{identity}", marker))
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


def _evses(r: FieldReader, value: Any) -> tuple[Evse, ...]:
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


def _actions(r: FieldReader, value: Any, builtin: str | None, role: Role) -> ActionsConfig:
    """``sut.actions`` (issue 8 item 7): checked in :mod:`harness.config.actions`."""
    return actions_section(r, value, builtin, role)


def _timeouts(r: FieldReader, value: Any) -> Timeouts:
    keys = ("response_s", "action_s", "connect_s", "clock_deviation_s")
    m = r.section(value, "sut.timeouts", keys)
    d = Timeouts()
    return Timeouts(
        r.seconds(m.get("response_s"), "sut.timeouts.response_s", d.response_s),
        r.seconds(m.get("action_s"), "sut.timeouts.action_s", d.action_s),
        r.seconds(m.get("connect_s"), "sut.timeouts.connect_s", d.connect_s),
        r.seconds(
            m.get("clock_deviation_s"), "sut.timeouts.clock_deviation_s", d.clock_deviation_s
        ),
    )


def _tokens(r: FieldReader, value: Any, ocpp: OcppVersion) -> Tokens:
    m = r.section(value, "sut.tokens", ("valid", "invalid", "type", *_OPTIONAL_TOKENS))
    d = Tokens()
    limit = 20 if ocpp is OcppVersion.V16 else 36  # idTag (1.6) / idToken (2.x) length
    valid = r.text(m.get("valid"), "sut.tokens.valid", d.valid, max_len=limit)
    invalid = r.text(m.get("invalid"), "sut.tokens.invalid", d.invalid, max_len=limit)
    if valid == invalid:
        r.fail("sut.tokens.invalid", f"the invalid token must differ from the valid one ({valid})")
    optional = {
        name: None if m.get(name) is None else r.text(m[name], f"sut.tokens.{name}", max_len=limit)
        for name in _OPTIONAL_TOKENS
    }
    seen: dict[str, str] = {valid.casefold(): "valid", invalid.casefold(): "invalid"}
    for name in ("valid2", "blocked", "expired", "masterpass"):
        token = optional[name]
        if token is None:
            continue
        if token.casefold() in seen:
            r.fail(
                f"sut.tokens.{name}", f"'{token}' is already sut.tokens.{seen[token.casefold()]}"
            )
        seen[token.casefold()] = name
    if optional["masterpass"] is not None and optional["masterpass_group"] is None:
        r.fail("sut.tokens.masterpass_group", "missing: the groupIdToken of sut.tokens.masterpass")
    return Tokens(valid, invalid, r.text(m.get("type"), "sut.tokens.type", d.type), **optional)


#: The optional tokens of ``sut.tokens`` (see :class:`~harness.config.model.Tokens`).
_OPTIONAL_TOKENS = ("valid2", "group", "blocked", "expired", "masterpass", "masterpass_group")


def _tls(r: FieldReader, value: Any, sp: int) -> TlsConfig:
    """``sut.tls`` (security profiles 2/3); the files are checked when the run starts."""
    keys = ("certs", "algorithm", "ca", "cert", "key", "host")
    m = r.section(value, "sut.tls", keys)
    if m and sp < 2:
        r.fail("sut.tls", f"security profile {sp} runs without TLS: set security_profile 2 or 3")
    algorithm = r.text(m.get("algorithm"), "sut.tls.algorithm", "ecdsa")
    if algorithm not in ("ecdsa", "rsa"):
        r.fail("sut.tls.algorithm", f"'{algorithm}': expected ecdsa or rsa")
    texts = {k: r.optional_text(m.get(k), f"sut.tls.{k}") for k in ("certs", "ca", "cert", "key")}
    if (texts["cert"] is None) != (texts["key"] is None):
        r.fail(
            "sut.tls.key" if texts["key"] is None else "sut.tls.cert", "cert and key go together"
        )
    return TlsConfig(
        algorithm=algorithm, host=r.optional_text(m.get("host"), "sut.tls.host"), **texts
    )


_FIRMWARE_KEYS = (
    "image", "signing_certificate", "signature", "signature_file", "version", "failing_image",
    "failing_signature", "failing_signature_file",
)  # fmt: skip


def _firmware(r: FieldReader, value: Any, role: Role, path: Path | None) -> FirmwareConfig | None:
    """``sut.firmware`` (block L): the vendor's signed image of a real station; the files must
    exist (relative to the profile's folder)."""
    if value is None:
        return None
    m = r.section(value, "sut.firmware", _FIRMWARE_KEYS)
    if role is not Role.CHARGING_STATION:
        r.fail("sut.firmware", "the firmware a station installs: only for a charging station")
    texts = {k: r.optional_text(m.get(k), f"sut.firmware.{k}") for k in _FIRMWARE_KEYS}
    for key in ("image", "signing_certificate", "version"):
        if texts[key] is None:
            r.fail(f"sut.firmware.{key}", "missing (required with sut.firmware)")
    for prefix in ("", "failing_"):
        inline, in_file = texts[f"{prefix}signature"], texts[f"{prefix}signature_file"]
        needed = prefix == "" or texts["failing_image"] is not None
        if needed and (inline is None) == (in_file is None):
            r.fail(
                f"sut.firmware.{prefix}signature",
                f"give exactly one of {prefix}signature (base64 text) and {prefix}signature_file",
            )
    base = path.parent if path is not None else None
    files = ("image", "signing_certificate", "signature_file", "failing_image")
    for key in (*files, "failing_signature_file"):
        name = texts[key]
        if name is not None and base is not None and not (base / name).is_file():
            r.fail(
                f"sut.firmware.{key}", f"no file {base / name} (paths are relative to the profile)"
            )
    return FirmwareConfig(
        image=str(texts["image"]),
        signing_certificate=str(texts["signing_certificate"]),
        version=r.text(texts["version"], "sut.firmware.version", max_len=50),
        signature=texts["signature"],
        signature_file=texts["signature_file"],
        failing_image=texts["failing_image"],
        failing_signature=texts["failing_signature"],
        failing_signature_file=texts["failing_signature_file"],
    )


def _station(r: FieldReader, value: Any, ocpp: OcppVersion) -> StationInfo:
    m = r.section(value, "sut.station", ("vendor", "model", "serial", "firmware"))
    d = StationInfo()
    vendor_max = 20 if ocpp is OcppVersion.V16 else 50  # BootNotification field lengths
    return StationInfo(
        r.text(m.get("vendor"), "sut.station.vendor", d.vendor, max_len=vendor_max),
        r.text(m.get("model"), "sut.station.model", d.model, max_len=20),
        r.text(m.get("serial"), "sut.station.serial", d.serial, max_len=25),
        r.text(m.get("firmware"), "sut.station.firmware", d.firmware, max_len=50),
    )


def _claims(r: FieldReader, value: Any) -> Claims:
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
