"""OCPP 1.6 configuration (test case document sections 08 and 16). Steps and criteria in our own words;
behaviour per OCPP 1.6 §5.3 (ChangeConfiguration), §5.8 (GetConfiguration), §9.1 (Core keys)."""

from __future__ import annotations

from typing import Any

from harness import CsmsPeer, oca
from harness.checks import require

V16 = ("1.6",)
#: Core profile configuration keys every charge point must report (1.6 §9.1, "required").
REQUIRED_KEYS = (
    "AuthorizeRemoteTxRequests",
    "ClockAlignedDataInterval",
    "ConnectionTimeOut",
    "GetConfigurationMaxKeys",
    "HeartbeatInterval",
    "LocalAuthorizeOffline",
    "LocalPreAuthorize",
    "MeterValuesAlignedData",
    "MeterValuesSampledData",
    "MeterValueSampleInterval",
    "NumberOfConnectors",
    "ResetRetries",
    "ConnectorPhaseRotation",
    "StopTransactionOnEVSideDisconnect",
    "StopTransactionOnInvalidId",
    "StopTxnAlignedData",
    "StopTxnSampledData",
    "SupportedFeatureProfiles",
    "TransactionMessageAttempts",
    "TransactionMessageRetryInterval",
    "UnlockConnectorOnEVSideDisconnect",
)


#: A key no charge point knows (TC_019_CS, TC_040_1_CS).
UNKNOWN_KEY = "OcppHarnessNoSuchKey"


@oca(
    "TC_019_CS",
    "Retrieve configuration",
    profile="core",
    versions=V16,
    kills=("getconfiguration-missing-keys", "cp16-config-unknown-key-ignored"),
)
async def test_get_configuration(csms: CsmsPeer) -> None:
    """The 1.6 test case document is not public; the steps follow TC_B_06_CS / TC_B_07_CS of
    2.0.1 (GetVariables). §5.8: GetConfiguration without keys returns every configuration key,
    the required Core keys among them (§9.1); GetConfiguration for a known key returns that key
    with the value and read-only flag of the full listing, and for a key the charge point does not
    know lists it in unknownKey."""
    result = await csms.call("GetConfiguration")
    # configurationKey is optional in the response: a missing list reports every key missing.
    reported = result.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
    listing = {item.get("key"): item for item in reported if isinstance(item, dict)}
    missing = [k for k in REQUIRED_KEYS if k not in listing]
    require(
        not missing,
        req="1.6 §9.1: the required Core configuration keys are reported",
        expected="all required Core keys",
        actual=f"missing {', '.join(missing)}",
        frames=result.frames,
    )
    key = "NumberOfConnectors"  # read-only and constant: the two readings must agree
    one = await csms.call("GetConfiguration", key=[key, UNKNOWN_KEY])
    answer = one.must(req="1.6 §5.8: GetConfiguration answered")
    items = [i for i in answer.get("configurationKey") or [] if isinstance(i, dict)]
    require(
        [i.get("key") for i in items] == [key],
        req="1.6 §5.8: the recognized requested key is returned",
        expected=f"configurationKey with {key} only",
        actual=repr([i.get("key") for i in items]),
        frames=one.frames,
    )
    first, again = listing[key], items[0]
    require(
        (again.get("value"), again.get("readonly")) == (first.get("value"), first.get("readonly")),
        req="1.6 §5.8: a key's value and read-only state as in the full listing",
        expected=f"value={first.get('value')!r} readonly={first.get('readonly')!r}",
        actual=f"value={again.get('value')!r} readonly={again.get('readonly')!r}",
        frames=one.frames,
    )
    require(
        answer.get("unknownKey") == [UNKNOWN_KEY],
        req="1.6 §5.8: unrecognized keys listed in unknownKey",
        expected=f"unknownKey=[{UNKNOWN_KEY!r}]",
        actual=f"unknownKey={answer.get('unknownKey')!r}",
        frames=one.frames,
    )


#: The key TC_021_CS changes: writable, required in the Core profile (1.6 §9.1, MeterValueSampleInterval).
CHANGED_KEY = "MeterValueSampleInterval"


def _value_of(items: Any, key: str) -> str | None:
    """The value of ``key`` in a configurationKey list (None: not there, or no value)."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("key") == key:
            value = item.get("value")
            return None if value is None else str(value)
    return None


@oca(
    "TC_021_CS",
    "Change/set Configuration",
    profile="core",
    versions=V16,
    kills=("config-change-not-applied", "config-change-rejected"),
)
async def test_change_configuration(csms: CsmsPeer) -> None:
    """§5.3: ChangeConfiguration of a writable key (MeterValueSampleInterval) is Accepted and
    GetConfiguration for that key then returns the new value (§5.8). The entry is found by its
    key, not by its place in the list; the original value is put back only when it was read,
    and only to that key."""
    before = await csms.call("GetConfiguration", key=[CHANGED_KEY])
    items = before.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
    original = _value_of(items, CHANGED_KEY)
    value = "38" if original == "37" else "37"
    # Change and check; then restore and check, but only when the original value is known.
    values = (value,) if original is None else (value, original)
    for wanted in values:
        result = await csms.call("ChangeConfiguration", key=CHANGED_KEY, value=wanted)
        result.must(status="Accepted", req="1.6 §5.3: ChangeConfiguration Accepted")
        read = await csms.call("GetConfiguration", key=[CHANGED_KEY])
        items = read.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
        got = _value_of(items, CHANGED_KEY)
        require(
            got == wanted,
            req="1.6 §5.3: the new value is in effect",
            expected=f"{CHANGED_KEY}={wanted!r}",
            actual=f"{CHANGED_KEY}={got!r}",
            frames=read.frames,
        )


@oca(
    "TC_040_1_CS",
    "Configuration key - NotSupported",
    profile="core",
    versions=V16,
    kills=("cp16-change-unknown-key-rejected",),
)
async def test_change_unknown_key(csms: CsmsPeer) -> None:
    """The 1.6 test case document is not public; no 2.0.1 case has the same steps (B05 checks
    SetVariables). §5.3: ChangeConfiguration of a key the charge point does not support is
    answered NotSupported."""
    result = await csms.call("ChangeConfiguration", key=UNKNOWN_KEY, value="1")
    result.must(status="NotSupported", req="1.6 §5.3: an unsupported key is NotSupported")


#: The key TC_040_2_CS tries to set to a value that is not an integer (§9.1: in seconds).
MALFORMED_KEY, MALFORMED_VALUE = "MeterValueSampleInterval", "thirty"


@oca(
    "TC_040_2_CS",
    "Configuration key - Invalid value",
    profile="core",
    versions=V16,
    kills=("cp16-change-invalid-accepted",),
)
async def test_change_invalid_value(csms: CsmsPeer) -> None:
    """The 1.6 test case document is not public; no 2.0.1 case has the same steps. §5.3: a value
    that does not fit the key's format (a word for MeterValueSampleInterval, an integer of
    seconds, §9.1) is answered Rejected, and GetConfiguration then still returns the value read
    before (§5.8)."""
    before = await csms.call("GetConfiguration", key=[MALFORMED_KEY])
    items = before.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
    original = _value_of(items, MALFORMED_KEY)
    result = await csms.call("ChangeConfiguration", key=MALFORMED_KEY, value=MALFORMED_VALUE)
    result.must(status="Rejected", req="1.6 §5.3: a malformed value is Rejected")
    after = await csms.call("GetConfiguration", key=[MALFORMED_KEY])
    items = after.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
    got = _value_of(items, MALFORMED_KEY)
    require(
        got == original,
        req="1.6 §5.3: a Rejected change is not applied",
        expected=f"{MALFORMED_KEY}={original!r}",
        actual=f"{MALFORMED_KEY}={got!r}",
        frames=after.frames,
    )
