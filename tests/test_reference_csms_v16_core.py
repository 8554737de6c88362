"""The reference 1.6 Central System's Core, local list and reservation behaviour (issue 14), piece
by piece: how operator commands are spelled on a 1.6 link (:mod:`harness.reference.csms.v16_core`,
:mod:`harness.reference.csms.v16_commands`), the answers it adds, and that each fault of
:mod:`harness.reference.faults_v16_csms` bites."""

from __future__ import annotations

from typing import Any

import pytest

from harness.config.model import Tokens
from harness.reference.csms import block_c, handlers_v16, v16_commands, v16_core
from harness.reference.csms.handlers_common import Refusal
from harness.reference.csms.records import CsmsState
from harness.reference.faults_v16_csms import V16_CSMS_FAULTS

TOKENS = Tokens(valid2="VALID002", group="GROUP001", blocked="BLOCKED001", expired="EXPIRED001")


def _state(*faults: str) -> CsmsState:
    return CsmsState(
        "1.6", frozenset(faults), ("VALID001",), token_table=block_c.token_table(TOKENS)
    )


def _answer(state: CsmsState, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    return handlers_v16.HANDLERS[action](state, state.station("CP1"), payload)


def test_unlock_connector_is_spelled_the_1_6_way() -> None:
    sent = ("UnlockConnector", {"evseId": 2, "connectorId": 1})
    assert v16_core.command("1.6", frozenset(), sent) == ("UnlockConnector", {"connectorId": 2})
    assert v16_core.command("2.0.1", frozenset(), sent) == sent  # a 2.x link: untouched


@pytest.mark.parametrize(
    ("fault", "sent", "changed"),
    [
        ("csms16-remote-stop-wrong-tx", ("RemoteStopTransaction", {"transactionId": 7}),
         {"transactionId": 8}),
        ("csms16-reset-wrong-type", ("Reset", {"type": "Hard"}), {"type": "Soft"}),
        ("csms16-unlock-wrong-connector", ("UnlockConnector", {"evseId": 1, "connectorId": 1}),
         {"connectorId": 2}),
        ("csms16-get-configuration-unasked", ("GetConfiguration", {"key": ["HeartbeatInterval"]}),
         {}),
        ("csms16-change-configuration-wrong-value",
         ("ChangeConfiguration", {"key": "K", "value": "6"}), {"key": "K", "value": "60"}),
        ("csms16-trigger-wrong-message", ("TriggerMessage", {"requestedMessage": "MeterValues"}),
         {"requestedMessage": "Heartbeat"}),
    ],
)  # fmt: skip
def test_command_faults_bite(
    fault: str, sent: tuple[str, dict[str, Any]], changed: dict[str, Any]
) -> None:
    assert v16_core.command("1.6", frozenset({fault}), sent) == (sent[0], changed)


def test_answers_and_their_faults() -> None:
    state = _state()
    assert _answer(state, "Authorize", {"idTag": "BLOCKED001"})["idTagInfo"]["status"] == "Blocked"
    sibling = _answer(state, "Authorize", {"idTag": "VALID002"})["idTagInfo"]
    assert sibling == {"status": "Accepted", "parentIdTag": "GROUP001"}  # §5.13
    vendor = {"vendorId": "org.example.unknown"}
    assert _answer(state, "DataTransfer", vendor) == {"status": "UnknownVendorId"}
    faulty = _state("csms16-ignores-token-status", "csms16-datatransfer-accepts-unknown")
    assert _answer(faulty, "Authorize", {"idTag": "EXPIRED001"})["idTagInfo"]["status"] == (
        "Accepted"
    )
    assert _answer(faulty, "DataTransfer", vendor) == {"status": "Accepted"}
    status = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
    with pytest.raises(Refusal):
        _answer(_state("csms16-status-refused"), "StatusNotification", status)


def test_a_transaction_on_a_reservation() -> None:
    start = {"connectorId": 1, "idTag": "VALID001", "meterStart": 0, "reservationId": 3,
             "timestamp": "2026-01-01T00:00:00Z"}  # fmt: skip
    assert _answer(_state(), "StartTransaction", start)["idTagInfo"]["status"] == "Accepted"
    refused = _answer(_state("csms16-reservation-tx-refused"), "StartTransaction", start)
    assert refused["idTagInfo"]["status"] == "Invalid"


def test_local_list_and_reservation_commands() -> None:
    entries = {"valid001": ("Accepted", "GROUP001"), "blocked001": ("Blocked", None)}
    action, payload = v16_commands.local_list(frozenset(), entries, "Differential")
    assert action == "SendLocalList"
    assert payload["updateType"] == "Differential"
    assert payload["localAuthorizationList"][0] == {
        "idTag": "valid001",
        "idTagInfo": {"status": "Accepted", "parentIdTag": "GROUP001"},
    }
    wrong = v16_commands.local_list(frozenset({"csms16-local-list-wrong-type"}), entries, "Full")
    assert wrong[1]["updateType"] == "Differential"
    _, reserve = v16_commands.reserve_now(frozenset(), 0, "VALID001", "GROUP001", 60)
    assert (reserve["connectorId"], reserve["parentIdTag"]) == (0, "GROUP001")
    _, moved = v16_commands.reserve_now(
        frozenset({"csms16-reserve-wrong-connector"}), 1, "VALID001", None, 60
    )
    assert moved["connectorId"] == 2
    assert "parentIdTag" not in moved
    assert v16_commands.get_all_settings(frozenset()) == ("GetConfiguration", {})


def test_every_fault_is_for_the_1_6_central_system() -> None:
    assert {f.sut for f in V16_CSMS_FAULTS} == {"reference-csms"}
    assert all(f.versions == ("1.6",) and f.requirement.startswith("1.6 ") for f in V16_CSMS_FAULTS)
