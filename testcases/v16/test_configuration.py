"""OCPP 1.6 configuration (test case document section 08). Steps and criteria in our own words;
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


@oca(
    "TC_019_CS",
    "Retrieve configuration",
    profile="core",
    versions=V16,
    kills=("getconfiguration-missing-keys",),
)
async def test_get_configuration(csms: CsmsPeer) -> None:
    """§5.8: GetConfiguration without keys returns every configuration key, the required Core keys
    among them."""
    result = await csms.call("GetConfiguration")
    # configurationKey is optional in the response: a missing list reports every key missing.
    reported = result.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
    keys = {item.get("key") for item in reported if isinstance(item, dict)}
    missing = [k for k in REQUIRED_KEYS if k not in keys]
    require(
        not missing,
        req="1.6 §9.1: the required Core configuration keys are reported",
        expected="all required Core keys",
        actual=f"missing {', '.join(missing)}",
        frames=result.frames,
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
