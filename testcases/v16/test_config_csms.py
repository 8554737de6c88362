"""OCPP 1.6 cases with the Central System under test about the charge point's configuration
(test case document sections 10, 13: every key or one with GetConfiguration, ChangeConfiguration
and its refusals), Remote Trigger (section 22: TriggerMessage) and the authorization cache
(section 25: ClearCache).
The operator makes the Central System act; the harness charge point answers as the case's charge
point would. The 1.6 test case document is not public: the steps are ours, after OCPP 1.6
edition 2 §5.3, §5.4, §5.8, §5.17 and the 2.0.1 cases named per case."""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.peers.exchange import InboundCall
from testcases.v16.csms_states import V16, status

REMOTE_TRIGGER = "remote-trigger"
#: A read-write Core key every 1.6 charge point has (§9.1.19) and a value it accepts.
SAMPLE_KEY, SAMPLE_VALUE = "MeterValueSampleInterval", "60"
#: A key no charge point has (for NotSupported).
UNKNOWN_KEY = "OcppHarnessNoSuchKey"
CHANGE = "1.6 §5.3: the key and value the operator chose"
COMMAND_KILLS = ("csms-commands-dropped",)


async def _sent(station: StationPeer, action: str, section: str) -> InboundCall:
    return await station.expect(action, req=f"1.6 {section}: the CSMS sends {action}")


@oca(
    "TC_019_1_CSMS",
    "Retrieve all configuration keys",
    profile="core",
    versions=V16,
    kills=("csms16-get-all-configuration-keyed", *COMMAND_KILLS),
)
async def test_get_configuration_all(station: StationPeer, sut: SutActions) -> None:
    """The operator reads every key: GetConfiguration without a key list (an empty one says the
    same, §5.8: without keys the charge point reports all), answered with the keys."""
    station.hold("GetConfiguration")
    await status(station, "Available")
    await sut.get_all_settings()
    request = await _sent(station, "GetConfiguration", "§5.8")
    await request.reply(
        configuration_key=[
            {"key": SAMPLE_KEY, "readonly": False, "value": SAMPLE_VALUE},
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
        ]
    )
    keys = request.get("key")
    require(
        not keys,
        req="1.6 §5.8: every key (no key list)",
        expected="no key (or an empty list)",
        actual=repr(keys),
    )


@oca(
    "TC_019_2_CSMS",
    "Retrieve Specific Configuration Key",
    profile="core",
    versions=V16,
    kills=("csms16-get-configuration-unasked", *COMMAND_KILLS),
)
async def test_get_configuration_key(station: StationPeer, sut: SutActions) -> None:
    """The operator reads one key: GetConfiguration naming it (§5.8; 2.0.1
    TC_B_06_CSMS), answered with its value."""
    station.hold("GetConfiguration")
    await status(station, "Available")
    await sut.get_setting(SAMPLE_KEY)
    request = await _sent(station, "GetConfiguration", "§5.8")
    await request.reply(
        configuration_key=[{"key": SAMPLE_KEY, "readonly": False, "value": SAMPLE_VALUE}]
    )
    keys = request.get("key")
    require(
        keys == [SAMPLE_KEY],
        req="1.6 §5.8: for the key the operator chose",
        expected=f"key [{SAMPLE_KEY!r}]",
        actual=repr(keys),
    )


async def _change(station: StationPeer, sut: SutActions, key: str, value: str, answer: str) -> None:
    station.hold("ChangeConfiguration")
    await status(station, "Available")
    await sut.change_setting(key, value)
    request = await _sent(station, "ChangeConfiguration", "§5.3")
    await request.reply(status=answer)
    require_fields(request.payload, key=key, value=value, req=CHANGE)


CHANGE_KILLS = ("csms16-change-configuration-wrong-value", *COMMAND_KILLS)


@oca(
    "TC_021_CSMS",
    "Change/set Configuration",
    profile="core",
    versions=V16,
    kills=CHANGE_KILLS,
)
async def test_change_configuration(station: StationPeer, sut: SutActions) -> None:
    """The operator sets a key: ChangeConfiguration with that key and value (§5.3; 2.0.1
    TC_B_09_CSMS), Accepted."""
    await _change(station, sut, SAMPLE_KEY, SAMPLE_VALUE, "Accepted")


@oca(
    "TC_040_1_CSMS",
    "Configuration keys - NotSupported",
    profile="core",
    versions=V16,
    kills=CHANGE_KILLS,
)
async def test_change_configuration_not_supported(station: StationPeer, sut: SutActions) -> None:
    """The operator sets a key the charge point does not have: ChangeConfiguration for it,
    answered NotSupported (§5.3); the Central System goes on answering (a Heartbeat)."""
    await _change(station, sut, UNKNOWN_KEY, "1", "NotSupported")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_040_2_CSMS",
    "Configuration keys - Invalid value",
    profile="core",
    versions=V16,
    kills=CHANGE_KILLS,
)
async def test_change_configuration_invalid(station: StationPeer, sut: SutActions) -> None:
    """The operator sets a key to a value the charge point refuses (a negative interval):
    ChangeConfiguration with it, answered Rejected (§5.3)."""
    await _change(station, sut, SAMPLE_KEY, "-1", "Rejected")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


async def _trigger(station: StationPeer, sut: SutActions, message: str, answer: str) -> None:
    station.hold("TriggerMessage")
    await status(station, "Available")
    await sut.trigger(message)
    request = await _sent(station, "TriggerMessage", "§5.17")
    await request.reply(status=answer)
    require_fields(
        request.payload,
        requestedMessage=message,
        req="1.6 §5.17: the message the operator chose",
    )


TRIGGER_KILLS = ("csms16-trigger-wrong-message", *COMMAND_KILLS)


@oca(
    "TC_054_CSMS",
    "Trigger Message",
    profile=REMOTE_TRIGGER,
    versions=V16,
    kills=(*TRIGGER_KILLS, "csms16-status-refused"),
)
async def test_trigger_message(station: StationPeer, sut: SutActions) -> None:
    """The operator triggers a StatusNotification: TriggerMessage for it (§5.17; 2.0.1
    TC_F_23_CSMS), Accepted, and the StatusNotification that follows is answered
    (§4.9)."""
    await _trigger(station, sut, "StatusNotification", "Accepted")
    await status(station, "Available")


@oca(
    "TC_055_CSMS",
    "Trigger Message - Rejected",
    profile=REMOTE_TRIGGER,
    versions=V16,
    kills=TRIGGER_KILLS,
)
async def test_trigger_message_rejected(station: StationPeer, sut: SutActions) -> None:
    """The operator triggers MeterValues, which the charge point rejects (§5.17: Rejected); the
    Central System goes on answering it (a Heartbeat)."""
    await _trigger(station, sut, "MeterValues", "Rejected")
    await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered").must()


@oca(
    "TC_061_CSMS",
    "Clear Authorization Data in Authorization Cache",
    profile="core",
    versions=V16,
    kills=COMMAND_KILLS,
)
async def test_clear_cache(station: StationPeer, sut: SutActions) -> None:
    """The operator clears the charge point's authorization cache: ClearCache (§5.4; 2.0.1
    TC_C_37_CSMS), Accepted."""
    station.hold("ClearCache")
    await status(station, "Available")
    await sut.clear_cache()
    request = await _sent(station, "ClearCache", "§5.4")
    await request.reply(status="Accepted")
