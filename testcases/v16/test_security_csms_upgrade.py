"""OCPP 1.6 security extension (1.6 Security Whitepaper edition 3, "1.6 SEC"), the Central System
under test (the harness plays the charge point): upgrading the charge point's security profile
(A05): TC_083_CSMS.

The OCA test case document for 1.6 is not public: the id and title are the catalogue's
(``harness/catalogue/ocpp16-csms.tsv``), the steps are ours, written from the whitepaper's A05 in
the order of the 2.0.1 twin TC_A_19_CSMS (:mod:`testcases.v201.test_a_upgrade`). In 1.6 the
upgrade is ChangeConfiguration of the key SecurityProfile (1.6 SEC §7.6); the charge point keeps
its Central System URL. OCPP cannot lower the profile again (1.6 SEC A05 remark), so the case
needs the SUT action ``restore_security_profile`` (the operator lets the charge point in over its
old profile again) to leave the Central System as the next cases expect."""

from __future__ import annotations

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.verdicts import Inconclusive
from testcases.v16.states import station_booted as booted
from testcases.v16.test_security_csms import CHAIN, SIGNS_CSR_KEY
from testcases.v16.test_security_csms import _renewal as renewal
from testcases.v201.cert_checks import (
    chain_certificates,
    renewed_context,
    require_chain_valid,
    require_leaf_for_csr,
)
from testcases.v201.security_states import (
    RESTORE,
    allow_again,
    connect_upgraded,
    require_lower_refused,
    upgradable,
)

V16 = ("1.6",)
#: The configuration key of the charge point's security profile (1.6 SEC §7.6).
SECURITY_PROFILE = "SecurityProfile"
SENT = "1.6 SEC A05: the Central System sends ChangeConfiguration.req for SecurityProfile"
SENT_VALUE = "1.6 SEC A05: ChangeConfiguration.req SecurityProfile is the next security profile"
UPGRADE_ADMITTED = (
    "1.6 SEC A00.FR.403: the Central System accepts the connection over the new security profile"
)
LOWER_REFUSED = (
    "1.6 SEC A05.FR.09: the Central System refuses a connection over the lower security profile"
)


async def _changes_security_profile(station: StationPeer, sut: SutActions, level: int) -> None:
    """Steps 1-2: the operator has the Central System raise the security profile (action
    ``change_setting`` SecurityProfile); ChangeConfiguration.req for SecurityProfile with the
    value ``level`` (checked), answered Accepted (Rejected when it is not: as a charge point that
    cannot use it)."""
    station.hold("ChangeConfiguration")
    await sut.change_setting(SECURITY_PROFILE, str(level))
    request = await station.expect("ChangeConfiguration", within_s=station.action_s, req=SENT)
    key, value = str(request.get("key", "")), str(request.get("value", "")).strip()
    is_key = key.lower() == SECURITY_PROFILE.lower()  # CiString: case-insensitive (1.6 §7)
    await request.reply(status="Accepted" if is_key and value == str(level) else "Rejected")
    frames = station.trace.render(last=4)
    require(is_key, req=SENT, expected=f"key {SECURITY_PROFILE}", actual=repr(key), frames=frames)
    require(
        value == str(level),
        req=SENT_VALUE,
        expected=f"SecurityProfile {level}",
        actual=f"SecurityProfile {value!r}",
        frames=frames,
    )


@oca(
    "TC_083_CSMS",
    "Upgrade Charge Point Security Profile - Accepted",
    profile="advanced-security",
    versions=V16,
    kills=("csms-accepts-lower-profile-after-upgrade", "security-profile-wrong-value-16"),
    applies=upgradable,
)
async def test_csms_upgrades_charge_point_security_profile(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_083_CSMS (1.6 SEC A05, A05.FR.09; the 1.6 document is not public, steps after the 2.0.1
    twin TC_A_19_CSMS), security profile 2 to 3. Prerequisites (A05.FR.03/04): the
    CentralSystemRootCertificate the charge point already trusts at profile 2, and a charge point
    certificate: memory state as TC_074_CSMS steps 1-6 (the Central System signs a CSR of a new
    key of the harness; chain checked, answered Accepted). Steps 1-2: the operator has the Central
    System send ChangeConfiguration.req SecurityProfile = 3 (checked: the key and the next
    security profile), answered Accepted. Steps 3-4: the harness disconnects and reconnects over
    security profile 3 (its new certificate, no Basic auth; A05.FR.06/07 of the charge point),
    which the Central System must accept (A00.FR.403), then BootNotification Accepted and the
    connectors Available. Steps 5-6: a connection over security profile 2 (TLS without a client
    certificate, Basic auth) must be refused (A05.FR.09). Step 7: the connection over profile 3
    again, accepted. Deviations: from security profile 1 the upgrade is not implemented
    (NOT-APPLICABLE, saying so); afterwards the operator puts the Central System back (SUT action
    ``restore_security_profile``) and the harness reconnects over the old profile."""
    sp = sut_profile.sut.security_profile
    if not sut.provides(RESTORE):
        raise Inconclusive(
            f"precondition: the SUT action {RESTORE} is not configured; without it the Central "
            f"System would refuse the charge point's security profile {sp} in the next cases"
        )
    signed, key, csr = await renewal(station, sut, sut_profile.sut.identity)
    chain = str(signed.get("certificateChain") or "")
    certs = chain_certificates(station, chain, req=CHAIN)
    require_leaf_for_csr(station, certs, csr, req=SIGNS_CSR_KEY)
    require_chain_valid(station, chain, certs, req=CHAIN)
    await signed.reply(status="Accepted")
    upgraded = renewed_context(station, chain, key)
    base = station.base_url
    try:
        await _changes_security_profile(station, sut, sp + 1)
        await connect_upgraded(station, upgraded, sp, req=UPGRADE_ADMITTED)
        await booted(station, sut_profile)
        await require_lower_refused(station, sp, req=LOWER_REFUSED)
        await connect_upgraded(station, upgraded, sp, req=UPGRADE_ADMITTED, again=True)
    finally:
        station.base_url = base
        await allow_again(station, sut, sp, base)
