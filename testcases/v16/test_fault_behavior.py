"""OCPP 1.6 fault behaviour of the charge point under test (test case document section 17:
TC_041_CS). The 1.6 test case document is not public: the id and title are the catalogue's
(``harness/catalogue/ocpp16-cs.tsv``), the steps ours, after OCPP 1.6 edition 2 §4.9 (a fault that
prevents charging: transitions A9..H9 to Faulted; Faulted: not available for energy delivery),
the 1.6 errata 3.19 (a status change SHALL be reported, not MAY) and §7.6 (ChargePointErrorCode:
NoError means there is no error to report). 2.0.1 has no case with these steps (TC_G_* report
availability, not errors). The error is caused with the station SUT action
``set_connector_faulted``: the case is NOT-APPLICABLE where the profile does not provide it."""

from __future__ import annotations

import contextlib

from harness import CsmsPeer, SutActions, oca
from harness.checks import applicable_unless, require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.verdicts import SutFailure

V16 = ("1.6",)
FAULT = "set_connector_faulted"
TX_ID = 4101
#: How long the case waits for a StartTransaction that should not come (s).
WATCH_S = 2.0
REPORTED = "1.6 §4.9 (errata 3.19): the error reported, StatusNotification Faulted"
ERROR_CODE = "1.6 §7.6: a Faulted report names its error (errorCode other than NoError)"
NO_ENERGY = "1.6 §4.9: no transaction starts on a Faulted connector"
CLEARED = "1.6 §4.9 (errata 3.19): Available once the error is over"


@oca(
    "TC_041_CS",
    "Fault Behavior",
    profile="core",
    versions=V16,
    kills=("cp16-faulted-connector-charges",),
)
async def test_fault_behavior(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_041_CS: an error on connector 1 (SUT action) is reported, StatusNotification Faulted
    (errata 3.19 SHALL) with an errorCode that names it (§7.6; NoError is a warning). With the EV
    plugged in and the valid idTag presented, no transaction starts on the Faulted connector
    within 2 s (§4.9: not available for energy delivery; one started anyway is stopped). The EV
    unplugged and the error cleared, connector 1 is reported Available (errata 3.19)."""
    applicable_unless(not sut.provides(FAULT), f"the SUT profile provides no {FAULT!r} action")
    csms.hold("StartTransaction")
    start: InboundCall | None = None
    try:
        await sut.set_connector_faulted(evse_id=1, faulted=True)
        faulted = await csms.expect(
            "StatusNotification",
            connector_id=1,
            status="Faulted",
            within_s=csms.action_s,
            req=REPORTED,
        )
        code = faulted.get("errorCode")
        should(
            csms,
            code not in (None, "NoError"),
            req=ERROR_CODE,
            expected="an errorCode other than NoError",
            actual=f"errorCode {code!r}",
        )
        await sut.plug_in(evse_id=1)
        await sut.present_token(sut_profile.sut.tokens.valid)
        with contextlib.suppress(SutFailure):
            start = await csms.expect("StartTransaction", connector_id=1, within_s=WATCH_S)
        if start is not None:
            await start.reply(transaction_id=TX_ID, id_tag_info={"status": "Accepted"})
            await sut.present_token(sut_profile.sut.tokens.valid)
            await csms.expect("StopTransaction", transaction_id=TX_ID, req="1.6 §4.10: stopped")
        require(
            start is None,
            req=NO_ENERGY,
            expected=f"no StartTransaction within {WATCH_S:g} s of the Faulted report",
            actual=f"StartTransaction {dict(start.payload) if start else {}!r}"[:300],
        )
    finally:
        await sut.unplug(evse_id=1)
        await sut.set_connector_faulted(evse_id=1, faulted=False)
    await csms.expect("StatusNotification", connector_id=1, status="Available", req=CLEARED)
