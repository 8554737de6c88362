"""OCPP 1.6 Security Whitepaper (edition 3), A05 (upgrade the charge point's security profile),
with the charge point under test (the harness plays the Central System): TC_083_CS. The 1.6
test case document is not public: the id and title are the catalogue's (section 25), the steps
ours, after the whitepaper's use case and the OCA 2.0.1 twin TC_A_19_CS (which upgrades through
network profiles; 1.6 has the SecurityProfile configuration key instead)."""

from __future__ import annotations

from cryptography import x509

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.pki import sign_csr
from harness.verdicts import Inconclusive
from testcases.v16.test_security_certificates import renewal_csr
from testcases.v201.security_states import (
    RESTORE,
    closed_within,
    restore_security_profile,
    session_pki,
    upgradable,
)
from testcases.v201.tls_checks import require_presented

V16 = ("1.6",)
KEY = "SecurityProfile"
UPGRADE_ACCEPTED = "1.6 SEC A05.FR.05: a higher SecurityProfile is Accepted"
DISCONNECTED = "1.6 SEC A05.FR.06: the charge point disconnects"
RECONNECTED = "1.6 SEC A05.FR.07: the charge point reconnects with the new security profile"


async def _renewed(csms: CsmsPeer, identity: str) -> x509.Certificate:
    """Prerequisite A05.FR.04 (a valid charge point certificate): A02 as in TC_074_CS, the
    certificate Accepted and the charge point back online. Returns the certificate."""
    pki = session_pki(csms)
    chain = sign_csr(pki, await renewal_csr(csms, identity))
    old = csms.link
    signed = await csms.call(
        "CertificateSigned",
        certificate_chain=chain,
        req="1.6 SEC A02.FR.06: a valid certificate in CertificateSigned.req is Accepted",
    )
    signed.must(status="Accepted", req="1.6 SEC A02.FR.06: a valid certificate is Accepted")
    if not await closed_within(old, csms.response_s) and old is not None:
        await old.close(1000, "reconnect with the new charge point certificate")
    await csms.wait_connected(within_s=csms.action_s, req="1.6 SEC A02.FR.08: it reconnects")
    return x509.load_pem_x509_certificates(chain.encode("ascii"))[0]


async def _security_profile(csms: CsmsPeer) -> str | None:
    result = await csms.call("GetConfiguration", key=[KEY], req="1.6 §5.8: answered")
    for entry in result.must().get("configurationKey") or []:
        if isinstance(entry, dict) and entry.get("key") == KEY:
            return None if entry.get("value") is None else str(entry.get("value"))
    return None


@oca(
    "TC_083_CS",
    "Upgrade security profile",
    profile="advanced-security",
    versions=V16,
    kills=("security-profile-upgrade-no-reconnect-16",),
    applies=upgradable,
)
async def test_upgrade_security_profile(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_083_CS (1.6 SEC A05.FR.04-07; the 1.6 test case document is not public: the steps
    follow the OCA 2.0.1 twin TC_A_19_CS), security profile 2 to 3. Prerequisite: a charge point
    certificate from the session PKI (A02, as TC_074_CS; A05.FR.04). The harness listener asks
    for client certificates from then on (no Basic auth: the twin's "restart the server with the
    new profile"); ChangeConfiguration SecurityProfile 3 (step 1) is Accepted (step 2,
    A05.FR.05); the charge point disconnects within the response time (A05.FR.06) and
    reconnects presenting the certificate it was given (A05.FR.07); GetConfiguration then
    reports SecurityProfile 3. Afterwards the SUT action ``restore_security_profile`` puts the
    charge point back at profile 2 (OCPP cannot lower it: A00.FR.005); without that action the
    case does not start."""
    sp = sut_profile.sut.security_profile
    if not sut.provides(RESTORE):
        raise Inconclusive(
            f"precondition: the SUT action {RESTORE} is not configured; without it the charge "
            f"point would stay at security profile {sp + 1} for the next cases"
        )
    issued = await _renewed(csms, sut_profile.sut.identity)
    restore_listener = csms.server.require_client_certificates([session_pki(csms).cpo_root])
    try:
        csms.trace.event("the harness Central System now asks for client certificates (3)")
        old = csms.link
        answer = await csms.call("ChangeConfiguration", key=KEY, value=str(sp + 1))
        answer.must(status="Accepted", req=UPGRADE_ACCEPTED)
        require(
            await closed_within(old, csms.response_s),
            req=DISCONNECTED,
            expected=f"the connection closed within {csms.response_s:g} s",
            actual="it stayed open",
            frames=csms.trace.render(last=4),
        )
        link = await csms.wait_connected(within_s=csms.action_s, req=RECONNECTED)
        require_presented(link, issued, csms, req=RECONNECTED)
        level = await _security_profile(csms)
        require(
            level == str(sp + 1),
            req=RECONNECTED,
            expected=f"SecurityProfile {sp + 1}",
            actual=repr(level),
        )
    finally:
        restore_listener()
        csms.trace.event(f"the harness Central System is back at security profile {sp}")
        if await restore_security_profile(csms, sut, sp):
            csms.config.set_back_by_sut(KEY)
