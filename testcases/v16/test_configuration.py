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
    keys = {
        item["key"]
        for item in result.must(req="1.6 §5.8: GetConfiguration answered")["configurationKey"]
    }
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
    items = before.must(req="1.6 §5.8: GetConfiguration answered")["configurationKey"]
    original = str(items[0].get("value", "0")) if items else "0"
    for value in ("37", original):  # change, check, and restore
        result = await csms.call("ChangeConfiguration", key="MeterValueSampleInterval", value=value)
        result.must(status="Accepted", req="1.6 §5.3: ChangeConfiguration Accepted")
        read = await csms.call("GetConfiguration", key=["MeterValueSampleInterval"])
        items = read.must()["configurationKey"]
        got = items[0].get("value") if items else None
        require(
            got == value,
            req="1.6 §5.3: the new value is in effect",
            expected=repr(value),
            actual=repr(got),
            frames=read.frames,
        )
