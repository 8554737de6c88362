"""OCPP 1.6 configuration (test case document section 08). Steps and criteria in our own words;
behaviour per OCPP 1.6 §5.3 (ChangeConfiguration), §5.8 (GetConfiguration), §9.1 (Core keys)."""

from __future__ import annotations

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


@oca(
    "TC_021_CS",
    "Change/set Configuration",
    profile="core",
    versions=V16,
    kills=("config-change-not-applied",),
)
async def test_change_configuration(csms: CsmsPeer) -> None:
    """§5.3: ChangeConfiguration of a writable key is Accepted and GetConfiguration then returns
    the new value."""
    before = await csms.call("GetConfiguration", key=["MeterValueSampleInterval"])
    items = before.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
    original = items[0].get("value") if items and isinstance(items[0], dict) else None
    # Change and check; then restore and check, but only when the original value is known.
    values = ("37",) if original is None else ("37", str(original))
    for value in values:
        result = await csms.call("ChangeConfiguration", key="MeterValueSampleInterval", value=value)
        result.must(status="Accepted", req="1.6 §5.3: ChangeConfiguration Accepted")
        read = await csms.call("GetConfiguration", key=["MeterValueSampleInterval"])
        items = read.must(req="1.6 §5.8: GetConfiguration answered").get("configurationKey", [])
        got = items[0].get("value") if items and isinstance(items[0], dict) else None
        require(
            got == value,
            req="1.6 §5.3: the new value is in effect",
            expected=repr(value),
            actual=repr(got),
            frames=read.frames,
        )
