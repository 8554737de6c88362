"""OCPP 1.6 stopping a transaction with an idTag at the charge point under test (test case
document section 03: TC_068_CS, TC_069_CS). The 1.6 test case document is not public: steps and
criteria in our own words after OCPP 1.6 edition 2 §3.10 (parent idTag), §4.1, §4.10."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.verdicts import Inconclusive
from testcases.v16.states import charging

V16 = ("1.6",)
#: The group both idTags of TC_069_CS belong to (the harness answers their Authorize with it).
GROUP = "OCPPHARNESSGROUP1"


@oca(
    "TC_068_CS",
    "Stop transaction - IdTag matches StartTransaction IdTag",
    profile="core",
    versions=V16,
    kills=("local-stop-ignored",),
)
async def test_stop_same_id_tag(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """No 2.0.1 case has the same steps (TC_E_06_CS is close). §4.10: the idTag that started the
    transaction stops it without a new authorization (§4.1: no Authorize needed for it): a
    StopTransaction for that transaction, reason Local or omitted, idTag (if given) the same."""
    tag = sut_profile.sut.tokens.valid
    tx_id = await charging(csms, sut, sut_profile)
    await sut.present_token(tag)
    stop = await csms.expect(
        "StopTransaction", transaction_id=tx_id, req="1.6 §4.10: the same idTag stops it"
    )
    require(
        stop.get("idTag", tag) == tag,
        req="1.6 §6.47: the idTag that stopped it",
        expected=tag,
        actual=repr(stop.get("idTag")),
        frames=stop.link.trace.render(last=12),
    )
    await sut.unplug(evse_id=1)


@oca(
    "TC_069_CS",
    "Stop transaction - ParentIdTag matches StartTransaction ParentIdTag",
    profile="core",
    versions=V16,
    kills=("cp16-parent-stop-ignored",),
)
async def test_stop_same_parent(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """No 2.0.1 case has the same steps (TC_C_39_CS is close). §3.10: the Central System answers
    both idTags (``sut.tokens.valid`` and ``valid2``; INCONCLUSIVE without valid2) with the same
    parentIdTag. The transaction started with the first is stopped by presenting the second: the
    charge point authorizes it (§4.1: it differs from the idTag that started), and its
    StopTransaction carries the second idTag (if any) with reason Local (or omitted)."""
    second = sut_profile.sut.tokens.valid2
    if second is None:
        raise Inconclusive(
            "precondition: sut.tokens.valid2 is not configured (a second token the operator can "
            "present; see the README, 'Tokens')"
        )
    info = {"status": "Accepted", "parentIdTag": GROUP}
    csms.set_reply("Authorize", id_tag_info=info)
    csms.set_reply("StartTransaction", id_tag_info=info)
    tx_id = await charging(csms, sut, sut_profile)
    await sut.present_token(second)
    await csms.expect(
        "Authorize",
        id_tag=second,
        req="1.6 §4.1: an idTag other than the starting one is authorized",
    )
    stop = await csms.expect(
        "StopTransaction",
        transaction_id=tx_id,
        req="1.6 §3.10: an idTag of the same group stops the transaction",
    )
    require(
        stop.get("idTag", second) == second and stop.get("reason", "Local") == "Local",
        req="1.6 §6.47: the idTag that stopped it, reason Local",
        expected=f"idTag {second!r} (or none), reason Local (or none)",
        actual=f"idTag {stop.get('idTag')!r}, reason {stop.get('reason')!r}",
        frames=stop.link.trace.render(last=12),
    )
    await sut.unplug(evse_id=1)
