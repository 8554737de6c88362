"""SUT profile loading and validation (harness.config)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.config import (
    BUILTIN_PROFILE_DIR,
    DEFAULT_PROFILE,
    ActionsType,
    Claims,
    Evse,
    ListenAddress,
    OcppVersion,
    ProfileError,
    Role,
    SutProfile,
    Timeouts,
    builtin_profile_path,
    load_claims,
    load_profile,
    profile_from_mapping,
    resolve_profile_path,
)
from harness.transport.client import station_url

FIXTURES = sorted(BUILTIN_PROFILE_DIR.glob("*.yaml"))

STATION: dict[str, Any] = {
    "name": "Test station",
    "sut": {
        "role": "charging-station",
        "ocpp": "2.0.1",
        "identity": "CS001",
        "security_profile": 2,
        "password_env": "SUT_PASSWORD",
        "listen": {"host": "127.0.0.1", "port": 9000},
    },
}
CSMS: dict[str, Any] = {
    "name": "Test CSMS",
    "sut": {
        "role": "csms",
        "ocpp": "2.0.1",
        "identity": "HARNESS-01",
        "security_profile": 2,
        "password_env": "CSMS_PASSWORD",
        "url": "wss://csms.example.com/ocpp",
    },
}


def write(tmp_path: Path, data: Any, name: str = "sut.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def with_sut(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of ``base`` with ``sut`` keys changed (a value of None removes the key)."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            data["sut"].pop(key, None)
        else:
            data["sut"][key] = value
    return data


def profile_error(tmp_path: Path, data: Any) -> ProfileError:
    path = write(tmp_path, data)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    return info.value


def assert_names(error: ProfileError, key: str, *fragments: str) -> None:
    """The message names the file and the key, says what is wrong and gives an example."""
    message = str(error)
    assert error.key == key
    assert error.path is not None
    assert message.startswith(f"{error.path}: {key}: "), message
    assert error.example, message
    assert message.endswith(f" Example: {error.example}")
    for fragment in fragments:
        assert fragment in message, message


# --- the shipped profiles ---------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_shipped_profiles_load(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACME_STATION_PASSWORD", "ACME_CSMS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    profile = load_profile(path)
    assert isinstance(profile, SutProfile)
    assert profile.path == path
    assert len(profile.sha256) == 64
    assert profile.name


def test_all_eight_profiles_are_shipped() -> None:
    names = {p.stem for p in FIXTURES}
    for role in ("station", "csms"):
        for version in ("v16", "v201", "v21"):
            assert f"reference-{role}-{version}" in names
    assert {"example-real-station", "example-real-csms"} <= names


@pytest.mark.parametrize(
    ("name", "role", "version", "builtin"),
    [
        ("reference-station-v16", Role.CHARGING_STATION, OcppVersion.V16, "reference-station"),
        ("reference-station-v201", Role.CHARGING_STATION, OcppVersion.V201, "reference-station"),
        ("reference-station-v21", Role.CHARGING_STATION, OcppVersion.V21, "reference-station"),
        ("reference-csms-v16", Role.CSMS, OcppVersion.V16, "reference-csms"),
        ("reference-csms-v201", Role.CSMS, OcppVersion.V201, "reference-csms"),
        ("reference-csms-v21", Role.CSMS, OcppVersion.V21, "reference-csms"),
    ],
)
def test_reference_profiles(name: str, role: Role, version: OcppVersion, builtin: str) -> None:
    profile = load_profile(builtin_profile_path(name))
    sut = profile.sut
    assert (sut.role, sut.ocpp, sut.builtin) == (role, version, builtin)
    # the 2.x reference CSMS uses Basic auth (security profile 1) with a password the harness makes
    assert sut.security_profile == (
        1 if role is Role.CSMS and version is not OcppVersion.V16 else 0
    )
    assert sut.password_env is None
    assert sut.password() is None
    assert sut.actions.type is ActionsType.BUILTIN
    assert sut.evses == (Evse(1, 1), Evse(2, 1))
    assert sut.timeouts == Timeouts(2.0, 3.0, 5.0)
    # the 1.6 references (charge point and Central System) claim the Firmware Management
    # (TC_044/045), Local Auth List Management, Reservation, Remote Trigger and Smart Charging
    # feature profiles too
    claimed: tuple[str, ...] = ("core",)
    if version is not OcppVersion.V16:
        claimed += ("smart-charging",)  # the 2.x references: block K, both roles
        claimed += ("local-auth-list",)  # the 2.x references: block D, both roles
        claimed += ("reservation",)  # the 2.x references: block H, both roles
    else:
        claimed += (
            "firmware-management",
            "local-auth-list",
            "reservation",
            "remote-trigger",
            "smart-charging",
        )
    assert profile.claims == Claims(profiles=claimed, versions=(version,))
    if role is Role.CHARGING_STATION:
        assert sut.listen == ListenAddress("127.0.0.1", 0)
        assert sut.url is None
    else:
        assert sut.url == "ws://127.0.0.1:0/ocpp"


def test_example_real_csms_uses_shell_commands() -> None:
    sut = load_profile(builtin_profile_path("example-real-csms")).sut
    assert sut.actions.type is ActionsType.SHELL
    assert sut.actions.commands
    assert all(sut.actions.commands.values())
    assert sut.url is not None
    assert sut.url.startswith("wss://")


def test_version_subprotocols() -> None:
    assert [v.subprotocol for v in OcppVersion] == ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]


# --- locating profiles ------------------------------------------------------------------------


def test_builtin_profile_path_with_or_without_suffix() -> None:
    expected = BUILTIN_PROFILE_DIR / "reference-station-v16.yaml"
    assert builtin_profile_path("reference-station-v16") == expected
    assert builtin_profile_path("reference-station-v16.yaml") == expected


def test_unknown_builtin_lists_the_available_ones() -> None:
    with pytest.raises(ProfileError, match="reference-csms-v201") as info:
        builtin_profile_path("reference-station-v3")
    assert "reference-station-v3" in str(info.value)


def test_resolve_profile_path(tmp_path: Path) -> None:
    assert resolve_profile_path(None) == BUILTIN_PROFILE_DIR / DEFAULT_PROFILE
    own = write(tmp_path, STATION)
    assert resolve_profile_path(str(own)) == own
    assert resolve_profile_path("reference-csms-v21").name == "reference-csms-v21.yaml"
    with pytest.raises(ProfileError, match="no such file"):
        resolve_profile_path(str(tmp_path / "missing.yaml"))


# --- YAML reading -------------------------------------------------------------------------------


def test_yaml_1_1_words_stay_strings(tmp_path: Path) -> None:
    text = yaml.safe_dump(with_sut(STATION, identity="X")).replace("identity: X", "identity: no")
    text += "  features: [on, off, yes, 2024-01-01]\n"
    sut = load_profile(write(tmp_path, text)).sut
    assert sut.identity == "no"
    assert sut.features == ("on", "off", "yes", "2024-01-01")


def test_yaml_float_versions_are_accepted(tmp_path: Path) -> None:
    text = yaml.safe_dump(with_sut(STATION, ocpp="OCPP")).replace("ocpp: OCPP", "ocpp: 2.1")
    assert load_profile(write(tmp_path, text)).sut.ocpp is OcppVersion.V21
    data = with_sut(STATION, ocpp=1.6, security_profile=0, password_env=None)
    assert load_profile(write(tmp_path, data)).sut.ocpp is OcppVersion.V16


def test_ocpp_2_0_is_rejected(tmp_path: Path) -> None:
    error = profile_error(tmp_path, with_sut(STATION, ocpp=2.0))
    assert_names(error, "sut.ocpp", "'2.0' is not a supported OCPP version", '"2.0.1"')
    assert error.example == 'ocpp: "2.0.1" (one of "1.6", "2.0.1", "2.1")'


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nsut:\n  role: [csms\n")
    with pytest.raises(ProfileError, match=r"not valid YAML: line \d+, column \d+") as info:
        load_profile(path)
    assert str(path) in str(info.value)


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "name: a\nname: b\nsut: {}\n")
    with pytest.raises(ProfileError, match="found the key 'name' twice"):
        load_profile(path)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="the file is empty"):
        load_profile(write(tmp_path, "# nothing here\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read the file"):
        load_profile(tmp_path / "nope.yaml")


def test_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, STATION)
    assert load_profile(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert profile_from_mapping(STATION).sha256 == ""


# --- validation rules ---------------------------------------------------------------------------


def test_defaults(tmp_path: Path) -> None:
    sut = load_profile(write(tmp_path, STATION)).sut
    assert sut.evses == (Evse(1, 1),)
    assert sut.actions.type is ActionsType.MANUAL
    assert not sut.actions.commands
    assert sut.timeouts == Timeouts()
    assert sut.tokens.valid == "VALID001"
    assert sut.tokens.invalid == "INVALID999"
    assert sut.station.vendor == "ocpp-harness"
    assert sut.url is None


@pytest.mark.parametrize(
    ("data", "key", "fragment"),
    [
        ("just text", "", "expected a mapping"),
        ({"sut": STATION["sut"]}, "name", "missing"),
        ({"name": "", "sut": STATION["sut"]}, "name", "empty"),
        ({"name": "x"}, "sut", "missing"),
        ({"name": "x", "sut": [1]}, "sut", "expected a mapping"),
        ({**STATION, "claims": "core"}, "claims", "expected a mapping"),
        (with_sut(STATION, role=None), "sut.role", "missing"),
        (with_sut(STATION, role="station"), "sut.role", "'station' is not one of"),
        (with_sut(STATION, ocpp=None), "sut.ocpp", "missing"),
        (with_sut(STATION, identity=None), "sut.identity", "missing"),
        (with_sut(STATION, identity=12), "sut.identity", "put it in quotes"),
        (with_sut(STATION, identity="a/b"), "sut.identity", "no '/'"),
        (with_sut(STATION, identity="a b"), "sut.identity", "no spaces"),
        (with_sut(STATION, identity="x" * 49), "sut.identity", "at most 48"),
        (with_sut(STATION, security_profile=4), "sut.security_profile", "out of range 0..3"),
        (with_sut(STATION, security_profile="2"), "sut.security_profile", "whole number"),
        ({**STATION, "limits": {"max_frame_mib": 0}}, "limits.max_frame_mib", "positive"),
        ({**STATION, "limits": {"max_frame_mib": 4096}}, "limits.max_frame_mib", "out of range"),
        ({**STATION, "limits": {"frame_mib": 4}}, "limits.frame_mib", "did you mean"),
        (with_sut(STATION, password_env="hunter2"), "sut.password_env", "never a password"),
        (with_sut(STATION, password_env=None), "sut.password_env", "Basic authentication"),
        (with_sut(STATION, url="ws://x/ocpp"), "sut.url", "sut.listen"),
        (with_sut(STATION, listen={"port": 0}), "sut.listen.port", "built-in"),
        (with_sut(STATION, listen={"port": 70000}), "sut.listen.port", "out of range"),
        (with_sut(STATION, listen={"hots": "::1"}), "sut.listen.hots", "did you mean 'host'"),
        (with_sut(STATION, evses=[]), "sut.evses", "at least one"),
        (with_sut(STATION, evses={"id": 1}), "sut.evses", "expected a list"),
        (with_sut(STATION, evses=[{"connectors": 1}]), "sut.evses[0].id", "missing"),
        (with_sut(STATION, evses=[{"id": 0}]), "sut.evses[0].id", "out of range"),
        (with_sut(STATION, evses=[{"id": 1, "connectors": 0}]), "sut.evses[0].connectors", ""),
        (with_sut(STATION, evses=[{"id": 1}, {"id": 1}]), "sut.evses[1].id", "twice"),
        (with_sut(STATION, actions={"type": "auto"}), "sut.actions.type", "'auto' is not"),
        (with_sut(STATION, actions={"type": "builtin"}), "sut.actions.type", "built-in"),
        (with_sut(STATION, actions={"type": "shell"}), "sut.actions.commands", "a command"),
        (
            with_sut(STATION, actions={"type": "shell", "commands": {"reboot": 3}}),
            "sut.actions.commands.reboot",
            "expected text",
        ),
        (
            with_sut(STATION, actions={"type": "manual", "commands": {"reboot": "x"}}),
            "sut.actions.commands",
            "type shell only",
        ),
        (with_sut(STATION, builtin="reference-csms"), "sut.builtin", "sut.role is"),
        (with_sut(STATION, builtin="simulator"), "sut.builtin", "not a built-in SUT"),
        (with_sut(STATION, timeouts={"response_s": 0}), "sut.timeouts.response_s", "positive"),
        (with_sut(STATION, timeouts={"action_s": "2m"}), "sut.timeouts.action_s", "seconds"),
        (with_sut(STATION, features="C-01"), "sut.features", "expected a list"),
        (with_sut(STATION, features=[""]), "sut.features[0]", "empty"),
        (with_sut(STATION, tokens={"valid": "A", "invalid": "A"}), "sut.tokens.invalid", "differ"),
        (with_sut(STATION, tokens={"valid": "T" * 37}), "sut.tokens.valid", "at most 36"),
        (
            with_sut(STATION, tokens={"valid2": "VALID001"}),
            "sut.tokens.valid2",
            "already sut.tokens.valid",
        ),
        (with_sut(CSMS, tokens={"masterpass": "M1"}), "sut.tokens.masterpass_group", "missing"),
        (
            with_sut(STATION, timeouts={"clock_deviation_s": -1}),
            "sut.timeouts.clock_deviation_s",
            "positive",
        ),
        (with_sut(STATION, station={"model": "M" * 21}), "sut.station.model", "at most 20"),
        (with_sut(STATION, station={"colour": "red"}), "sut.station.colour", "unknown key"),
        (with_sut(CSMS, url=None), "sut.url", "missing"),
        (with_sut(CSMS, url="http://csms/ocpp"), "sut.url", "ws:// or wss://"),
        (with_sut(CSMS, url="wss://csms:99999/ocpp"), "sut.url", "not a valid URL"),
        (with_sut(CSMS, url="ws://csms.example.com/ocpp"), "sut.url", "wss://"),
        (with_sut(CSMS, url="wss://127.0.0.1:0/ocpp"), "sut.url", "port 0"),
        (with_sut(CSMS, url="wss://u:p@csms/ocpp"), "sut.url", "environment"),
        (with_sut(CSMS, listen={"port": 9000}), "sut.listen", "sut.url"),
        (with_sut(CSMS, builtin="reference-station"), "sut.builtin", "sut.role is csms"),
        ({**STATION, "claims": {"profiles": ["gold"]}}, "claims.profiles[0]", "gold"),
        ({**STATION, "claims": {"versions": ["2.0"]}}, "claims.versions[0]", "'2.0'"),
        ({**STATION, "claims": {"security_profiles": [5]}}, "claims.security_profiles[0]", ""),
        ({**STATION, "claims": {"features": [1]}}, "claims.features[0]", "expected text"),
        ({**STATION, "claim": {}}, "claim", "did you mean 'claims'"),
    ],
)
def test_validation_errors_name_file_key_and_example(
    tmp_path: Path, data: Any, key: str, fragment: str
) -> None:
    error = profile_error(tmp_path, data)
    if key:
        assert_names(error, key, fragment)
    else:
        assert fragment in str(error)
        assert str(error.path) in str(error)


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    error = profile_error(tmp_path, with_sut(STATION, timeout={"response_s": 5}))
    assert_names(error, "sut.timeout", "unknown key 'timeout' — did you mean 'timeouts'?")
    assert error.example.startswith("timeouts: {")


def test_unknown_key_without_a_close_match_lists_the_known_ones(tmp_path: Path) -> None:
    error = profile_error(tmp_path, with_sut(STATION, zzz=1))
    assert_names(error, "sut.zzz", "unknown key 'zzz' (known: role, ocpp,")


@pytest.mark.parametrize("where", ["sut", "listen", "evse"])
def test_passwords_in_the_file_are_refused(tmp_path: Path, where: str) -> None:
    data = with_sut(STATION)
    if where == "sut":
        data["sut"]["password"] = "hunter2"
        key = "sut.password"
    elif where == "listen":
        data["sut"]["listen"]["password"] = "hunter2"
        key = "sut.listen.password"
    else:
        data["sut"]["evses"] = [{"id": 1, "Password": "x"}]
        key = "sut.evses[0].Password"
    error = profile_error(tmp_path, data)
    assert_names(error, key, "secrets come from the environment: use password_env: NAME")


def test_security_profile_0_is_fine_for_1_6_and_for_builtins(tmp_path: Path) -> None:
    legacy = with_sut(STATION, ocpp="1.6", security_profile=0, password_env=None)
    assert load_profile(write(tmp_path, legacy)).sut.security_profile == 0
    builtin = with_sut(STATION, builtin="reference-station", security_profile=0, listen={"port": 0})
    sut = load_profile(write(tmp_path, builtin)).sut
    assert sut.actions.type is ActionsType.BUILTIN
    assert sut.listen.port == 0


def test_security_profile_0_with_2x_runs_with_a_spec_warning(tmp_path: Path) -> None:
    """Issue 8 item 4: a CSMS that only offers an unsecured endpoint can still be tested."""
    for missing in (True, False):
        data = with_sut(CSMS, security_profile=0, password_env=None)
        if missing:
            del data["sut"]["security_profile"]
        profile = load_profile(write(tmp_path, data))
        assert profile.sut.security_profile == 0
        (warning,) = profile.warnings
        assert "defines security profiles 1, 2 and 3 only" in warning
        assert "A00.FR.201" in warning
    assert load_profile(write(tmp_path, with_sut(CSMS, security_profile=1))).warnings == ()


def test_frame_limit_is_configurable(tmp_path: Path) -> None:
    assert load_profile(write(tmp_path, STATION)).limits.max_frame_mib == 16
    data = {**STATION, "limits": {"max_frame_mib": 0.5}}
    limits = load_profile(write(tmp_path, data)).limits
    assert limits.max_frame_bytes == 512 * 1024


def test_security_profile_3_needs_no_password(tmp_path: Path) -> None:
    data = with_sut(CSMS, security_profile=3, password_env=None)
    sut = load_profile(write(tmp_path, data)).sut
    assert sut.password_env is None
    assert sut.password() is None


def test_non_loopback_listen_host_is_accepted(tmp_path: Path) -> None:
    data = with_sut(STATION, listen={"host": "0.0.0.0", "port": 9443})
    assert load_profile(write(tmp_path, data)).sut.listen == ListenAddress("0.0.0.0", 9443)


def test_shell_commands(tmp_path: Path) -> None:
    commands = {"reboot": "ssh root@station reboot", "plug_in": "./relay on 1"}
    data = with_sut(STATION, actions={"type": "shell", "commands": commands})
    actions = load_profile(write(tmp_path, data)).sut.actions
    assert actions.type is ActionsType.SHELL
    assert dict(actions.commands) == commands
    hash(actions)  # frozen and usable as a key despite the mapping


def test_optional_tokens_and_clock_deviation(tmp_path: Path) -> None:
    tokens = {
        "valid2": "V2",
        "group": "G1",
        "blocked": "B1",
        "expired": "E1",
        "masterpass": "M1",
        "masterpass_group": "MG",
    }
    data = with_sut(CSMS, tokens=tokens, timeouts={"clock_deviation_s": 1.5})
    profile = load_profile(write(tmp_path, data))
    assert (profile.sut.tokens.valid2, profile.sut.tokens.masterpass_group) == ("V2", "MG")
    assert profile.sut.timeouts.clock_deviation_s == 1.5


def test_tokens_station_and_claims(tmp_path: Path) -> None:
    data = with_sut(
        CSMS,
        tokens={"valid": "TOKEN-A", "invalid": "TOKEN-B", "type": "Central"},
        station={"vendor": "Acme", "model": "AC22", "serial": "S1", "firmware": "4.2.0"},
        features=["C-09.1", "AQ-2"],
    )
    data["claims"] = {
        "profiles": ["core", "smart-charging"],
        "versions": ["2.0.1", 2.1],
        "security_profiles": [2, 3],
        "features": ["C-09.1"],
    }
    profile = load_profile(write(tmp_path, data))
    assert profile.sut.tokens.type == "Central"
    assert profile.sut.tokens.blocked is None  # the optional ones stay unset
    assert profile.sut.timeouts.clock_deviation_s == 4.0
    assert profile.sut.station.model == "AC22"
    assert profile.sut.features == ("C-09.1", "AQ-2")
    assert profile.claims == Claims(
        ("core", "smart-charging"), (OcppVersion.V201, OcppVersion.V21), (2, 3), ("C-09.1",)
    )


# --- password and claims files -----------------------------------------------------------------


def test_password_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    sut = profile_from_mapping(STATION).sut
    monkeypatch.setenv("SUT_PASSWORD", "s3cret-s3cret-s3cret")
    assert sut.password() == "s3cret-s3cret-s3cret"
    monkeypatch.delenv("SUT_PASSWORD")
    with pytest.raises(ProfileError) as info:
        sut.password()
    assert info.value.key == "sut.password_env"
    assert "SUT_PASSWORD is not set" in str(info.value)
    assert "export SUT_PASSWORD=" in str(info.value)


def test_password_value_never_appears_in_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUT_PASSWORD", "s3cret-s3cret-s3cret")
    profile = profile_from_mapping(STATION)
    assert "s3cret" not in repr(profile)


def test_errors_without_a_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as info:
        profile_from_mapping(with_sut(STATION, role="x"))
    assert info.value.path is None
    assert str(info.value).startswith("sut.role: ")


def test_profile_error_survives_pickling() -> None:
    error = ProfileError(Path("a.yaml"), "sut.ocpp", "bad", 'ocpp: "2.0.1"')
    clone = pickle.loads(pickle.dumps(error))
    assert str(clone) == str(error) == 'a.yaml: sut.ocpp: bad. Example: ocpp: "2.0.1"'


def test_load_claims_both_shapes(tmp_path: Path) -> None:
    nested = write(tmp_path, {"claims": {"profiles": ["core"], "versions": ["1.6"]}}, "a.yaml")
    flat = write(tmp_path, {"profiles": ["core"], "versions": ["1.6"]}, "b.yaml")
    expected = Claims(profiles=("core",), versions=(OcppVersion.V16,))
    assert load_claims(nested) == load_claims(flat) == expected
    assert load_claims(builtin_profile_path("example-real-station")).profiles[0] == "core"


def test_load_claims_errors_name_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, {"profiles": ["smart_charging"]}, "claims.yaml")
    with pytest.raises(ProfileError) as info:
        load_claims(path)
    assert_names(info.value, "claims.profiles[0]", "did you mean 'smart-charging'?")
    assert str(path) in str(info.value)


def test_url_template_puts_the_identity_where_it_says(tmp_path: Path) -> None:
    """``sut.url`` may say where the identity goes (``{identity}``, a trailing slash kept);
    without the placeholder the identity is appended as the last path segment."""
    template = "wss://csms.example.com/ocpp/{identity}/"
    profile = load_profile(write(tmp_path, with_sut(CSMS, url=template)))
    assert profile.sut.url == template
    assert station_url(template, "HARNESS 01") == "wss://csms.example.com/ocpp/HARNESS%2001/"
    assert station_url("wss://csms.example.com/ocpp/", "CS1") == "wss://csms.example.com/ocpp/CS1"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("wss://csms.example.com/ocpp/{station}", "the only placeholder is {identity}"),
        ("wss://csms.example.com/{identity", "the only placeholder is {identity}"),
        ("wss://{identity}.example.com/ocpp", "belongs in the path, not the host"),
    ],
)
def test_url_template_mistakes_are_named(tmp_path: Path, url: str, says: str) -> None:
    error = profile_error(tmp_path, with_sut(CSMS, url=url))
    assert "sut.url" in str(error)
    assert says in str(error)
