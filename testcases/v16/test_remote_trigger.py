"""OCPP 1.6 remote trigger with the charge point under test (test case document section 22:
TC_054_CS, TC_055_CS). The 1.6 test case document is not public: steps and criteria are ours,
after the 2.0.1 cases TC_F_11_CS ff. (TriggerMessage, F06) and OCPP 1.6 §5.17, §6.51-6.52,
§7.32, §7.44.

§5.17: the charge point answers TriggerMessage first and then sends the message; its answer
SHALL say whether it will send it (Accepted) or not (Rejected), NotImplemented for a message it
does not know. An Accepted message that never comes breaks that answer. Rejected is the charge
point's choice, so a charge point that rejects the messages the case asks for makes TC_054_CS
NOT-APPLICABLE.
"""

from __future__ import annotations

from typing import Any

from harness import CsmsPeer, oca
from harness.checks import applicable_unless, require
from harness.config import SutProfile
from testcases.v16.auth_states import REMOTE_TRIGGER, V16, claims, read_keys

TRIGGERS = claims(REMOTE_TRIGGER, "RemoteTrigger")
#: Requirement of the message an Accepted TriggerMessage owes.
FOLLOWS = "1.6 §5.17: the requested message follows an Accepted TriggerMessage"


async def _trigger(csms: CsmsPeer, message: str, **fields: Any) -> str:
    result = await csms.call("TriggerMessage", requested_message=message, **fields)
    return str(result.must(req="1.6 §5.17: TriggerMessage answered").get("status"))


@oca(
    "TC_054_CS",
    "Trigger Message",
    profile=REMOTE_TRIGGER,
    versions=V16,
    kills=("cp16-trigger-not-sent",),
    applies=TRIGGERS,
)
async def test_trigger_message(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """After 2.0.1 TC_F_11_CS, TC_F_18_CS and TC_F_20_CS. §5.17: the Core messages MeterValues and
    StatusNotification (connector 1), Heartbeat and BootNotification, and with Firmware Management
    (SupportedFeatureProfiles) DiagnosticsStatusNotification and FirmwareStatusNotification: each is
    answered Accepted and then sent (§7.32). StatusNotification and MeterValues are for
    connector 1; the triggered BootNotification is answered with the charge point's own
    HeartbeatInterval (it stays as it was)."""
    keys = await read_keys(csms, "SupportedFeatureProfiles", "HeartbeatInterval")
    profiles, beat = keys["SupportedFeatureProfiles"], keys["HeartbeatInterval"]
    asked: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("StatusNotification", {"connector_id": 1}, {"connector_id": 1}),
        ("MeterValues", {"connector_id": 1}, {"connector_id": 1}),
        ("Heartbeat", {}, {}),
    ]
    if "FirmwareManagement" in (profiles or "").replace(" ", "").split(","):
        asked += [
            ("DiagnosticsStatusNotification", {}, {}),
            ("FirmwareStatusNotification", {}, {}),
        ]
    asked.append(("BootNotification", {}, {}))
    csms.hold("BootNotification")
    accepted = 0
    for message, fields, subset in asked:
        status = await _trigger(csms, message, **fields)
        require(
            status in ("Accepted", "Rejected"),
            req="1.6 §5.17: Accepted or Rejected for a message of its profiles",
            expected="Accepted or Rejected",
            actual=status,
        )
        if status != "Accepted":
            continue
        accepted += 1
        sent = await csms.expect(message, within_s=csms.action_s, req=FOLLOWS, **subset)
        if message == "BootNotification" and sent.held:
            # the interval the charge point has, so that the trigger leaves it as it was
            interval = int(beat) if beat and beat.isdigit() else 300
            await sent.reply(status="Accepted", interval=interval)
    applicable_unless(
        accepted == 0, "the charge point rejected every TriggerMessage (its choice, §5.17)"
    )


@oca(
    "TC_055_CS",
    "Trigger Message - Rejected",
    profile=REMOTE_TRIGGER,
    versions=V16,
    kills=("cp16-trigger-unknown-connector",),
    applies=TRIGGERS,
)
async def test_trigger_message_rejected(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """No 2.0.1 case has these steps. §5.17: a MeterValues and a StatusNotification for a
    connectorId the charge point does not have (one above NumberOfConnectors) cannot be sent, so the
    answer is Rejected (Accepted would promise a message that cannot come)."""
    count = sum(e.connectors for e in sut_profile.sut.evses)
    for message in ("MeterValues", "StatusNotification"):
        status = await _trigger(csms, message, connector_id=count + 1)
        require(
            status == "Rejected",
            req="1.6 §5.17: Rejected for a connector it does not have",
            expected="Rejected",
            actual=status,
        )
