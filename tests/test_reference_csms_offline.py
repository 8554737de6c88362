"""The reference CSMS's offline delivery rules (issue 12), handler by handler: late events are
answered, a re-sent event is applied once, each transaction is billed once with its metered
energy, and each fault of :mod:`harness.reference.csms_faults_offline` bites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness.reference.csms import block_ej, handlers_v2, handlers_v16
from harness.reference.csms.handlers_common import Refusal
from harness.reference.csms.records import CsmsState


def _state(version: str, *faults: str) -> CsmsState:
    return CsmsState(version, frozenset(faults), ("VALID001",))


def _ago(seconds: float) -> str:
    moment = datetime.now(UTC) - timedelta(seconds=seconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _event(tx: str, seq: int, kind: str, wh: float, ago: float, **extra: Any) -> dict[str, Any]:
    reading = {"timestamp": _ago(ago), "sampledValue": [{"value": wh}]}
    return {
        "eventType": kind,
        "timestamp": _ago(ago),
        "triggerReason": "Authorized",
        "seqNo": seq,
        "offline": True,
        "transactionInfo": {"transactionId": tx},
        "meterValue": [reading],
        **extra,
    }


def _offline_transaction(state: CsmsState, tx: str = "T1") -> None:
    station = state.station("CS1")
    handlers_v2.transaction_event(state, station, _event(tx, 0, "Started", 1000, 600))
    handlers_v2.transaction_event(state, station, _event(tx, 1, "Updated", 1500, 300))
    handlers_v2.transaction_event(state, station, _event(tx, 2, "Ended", 2200, 200))


def test_late_events_are_applied_and_billed_once_with_their_energy() -> None:
    state = _state("2.0.1")
    _offline_transaction(state)
    ended = _event("T1", 2, "Ended", 2200, 200)
    handlers_v2.transaction_event(state, state.station("CS1"), ended)  # re-sent (retry)
    assert state.transactions["T1"].seq_nos == [0, 1, 2]
    assert block_ej.billing_records(state, "CS1", "T1") == [
        {"transactionId": "T1", "meterStartWh": 1000.0, "meterStopWh": 2200.0, "energyWh": 1200.0}
    ]
    assert block_ej.billing_records(state, "CS2", "T1") == []  # another station's: none


def test_duplicate_billed_fault_bills_a_resent_end_again() -> None:
    state = _state("2.0.1", "csms-tx-duplicate-billed")
    _offline_transaction(state)
    handlers_v2.transaction_event(state, state.station("CS1"), _event("T1", 2, "Ended", 2200, 200))
    assert len(block_ej.billing_records(state, "CS1", "T1")) == 2


def test_late_refused_fault_refuses_old_events_only() -> None:
    state = _state("2.0.1", "csms-tx-late-refused")
    station = state.station("CS1")
    with pytest.raises(Refusal):
        handlers_v2.transaction_event(state, station, _event("T1", 0, "Started", 1000, 600))
    handlers_v2.transaction_event(state, station, _event("T2", 0, "Started", 1000, 5))


def test_a_new_transaction_may_start_at_seq_no_zero_unless_the_fault_refuses_it() -> None:
    for faults, refused in (((), False), (("csms-tx-seqno-reset-refused",), True)):
        state = _state("2.0.1", *faults)
        _offline_transaction(state)
        later = _event("T2", 0, "Started", 3000, 10)
        if refused:
            with pytest.raises(Refusal):
                handlers_v2.transaction_event(state, state.station("CS1"), later)
        else:
            handlers_v2.transaction_event(state, state.station("CS1"), later)


@pytest.mark.parametrize("fault", [(), ("csms-offline-accepts-unknown-token",)])
def test_unknown_token_started_offline(fault: tuple[str, ...]) -> None:
    state = _state("2.0.1", *fault)
    token = {"idToken": "NOBODY", "type": "ISO14443"}
    started = _event("T1", 0, "Started", 1000, 300, idToken=token)
    answer = handlers_v2.transaction_event(state, state.station("CS1"), started)
    assert answer["idTokenInfo"]["status"] == ("Accepted" if fault else "Unknown")
    v16 = _state("1.6", *fault)
    start = {"connectorId": 1, "idTag": "NOBODY", "meterStart": 0, "timestamp": _ago(300)}
    conf = handlers_v16.start_transaction(v16, v16.station("CP1"), start)
    assert conf["idTagInfo"]["status"] == ("Accepted" if fault else "Invalid")


def test_v16_stop_resent_is_answered_and_billed_once() -> None:
    for faults, bills in (((), 1), (("csms-tx-duplicate-billed",), 2)):
        state = _state("1.6", *faults)
        station = state.station("CP1")
        start = {"connectorId": 1, "idTag": "VALID001", "meterStart": 100, "timestamp": _ago(600)}
        tx_id = handlers_v16.start_transaction(state, station, start)["transactionId"]
        stop = {
            "transactionId": tx_id,
            "meterStop": 900,
            "timestamp": _ago(60),
            "idTag": "VALID001",
        }
        for _ in range(2):
            assert handlers_v16.stop_transaction(state, station, stop) == {
                "idTagInfo": {"status": "Accepted"}
            }
        records = block_ej.billing_records(state, "CP1", tx_id)
        assert len(records) == bills
        assert records[0]["energyWh"] == 800.0


def test_v16_late_meter_values_refused_only_under_the_fault() -> None:
    values = {"connectorId": 1, "meterValue": [{"timestamp": _ago(300), "sampledValue": []}]}
    ok = _state("1.6")
    assert handlers_v16.meter_values(ok, ok.station("CP1"), values) == {}
    faulty = _state("1.6", "csms-tx-late-refused")
    with pytest.raises(Refusal):
        handlers_v16.meter_values(faulty, faulty.station("CP1"), values)
