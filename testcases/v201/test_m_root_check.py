"""OCA block M (certificate management), OCPP 2.0.1 and 2.1, a charging station with
AdditionalRootCertificateCheck true (PICS AS-2, M05.FR.09-14): TC_M_09_CS, TC_M_31_CS and
TC_M_30_CS with the station under test (the harness is the CSMS). Steps and criteria in our own
words after OCPP 2.0.1 Part 6.

The "old CSMS root" is the one the harness's TLS set-up gave the station (the session PKI's
CSMS root, :func:`harness.pki.ensure_pki`); the "new CSMS root" is that PKI's second root,
signed by the first (:meth:`harness.pki.Pki.linked_csms_root`), and the CSMS certificate "signed
by the new root" its :meth:`~harness.pki.Pki.linked_csms_server`. The root that must be refused
(TC_M_09) is the CSMS root of the block M PKI of the session
(:mod:`testcases.v201.test_m_certificates`), a valid root the old one never signed. TC_M_30
leaves a real station with the new root only (M05.FR.13): the harness deletes it at the end,
which such a station may refuse; the next case then finds the station trusting the new root."""

from __future__ import annotations

from harness import CsmsPeer, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.pki import Pki
from harness.transport.tls import server_context
from harness.verdicts import Inconclusive
from testcases.v201.security_states import server_hooks
from testcases.v201.states import accept_boot
from testcases.v201.test_m_certificates import (
    CSMS_ROOT,
    FOUND,
    Roots,
    _chain,
    _get,
    _install,
    _listed,
    _remove,
    roots_pki,  # noqa: F401 (the fixture ``roots`` needs)
)
from testcases.v201.test_m_certificates import roots as roots  # the fixture
from testcases.v201.tls_checks import ssl_object, tls_profile

V2 = ("2.0.1", "2.1")
REJECTED = "M05.FR.11: a new CSMS root not signed by the old one is Rejected"
OLD_KEPT = "M05.FR.11: the old CSMS root stays installed"
NOT_INSTALLED = "M05.FR.11: the rejected CSMS root is not installed"
RESET_ACCEPTED = "B11.FR.03: Reset OnIdle Accepted"
NEW_ROOT_USED = "M05.FR.12: the station connects to a CSMS certificate of the new CSMS root"
FALLBACK_REMOVED = "M05.FR.13: the old CSMS root is removed after connecting with the new one"
FALLBACK_USED = "M05.FR.14: the station reconnects verifying the CSMS with the old root"
FALLBACK_KEPT = (
    "M05.FR.14: the old CSMS root (fallback) is still installed after reconnecting with it"
)


def harness_pki(csms: CsmsPeer) -> Pki:
    """The PKI of the TLS set-up; INCONCLUSIVE without one (the station's root is unknown)."""
    pki = csms.tls.pki if csms.tls is not None else None
    if pki is None:
        raise Inconclusive("precondition: no harness PKI, so the station's CSMS root is unknown")
    return pki


def old_root(csms: CsmsPeer) -> str:
    """The CSMS root the station was given (PEM)."""
    return harness_pki(csms).csms_root.read_text()


async def new_root_installed(csms: CsmsPeer) -> str:
    """Memory state CertificatesInstalled for CSMSRootCertificate with the new root (signed by
    the old one): InstallCertificate Accepted (M05.FR.12). Returns its PEM."""
    new = harness_pki(csms).linked_csms_root().read_text()
    await _install(csms, CSMS_ROOT, new)
    return new


async def reset_and_boot(csms: CsmsPeer, *, req: str) -> InboundCall:
    """Steps 1-2: Reset OnIdle, Accepted (tool validation); the station reboots and its
    BootNotification (held) arrives over a new connection (``req``)."""
    csms.hold("BootNotification")
    reset = await csms.call("Reset", type="OnIdle", req=RESET_ACCEPTED)
    reset.must(status="Accepted", req=RESET_ACCEPTED)
    return await csms.expect(
        "BootNotification", within_s=csms.action_s + 2 * csms.response_s, req=req
    )


@oca(
    "TC_M_09_CS",
    "Install CA certificate - AdditionalRootCertificateCheck - Rejected",
    profile="core",
    versions=V2,
    kills=("additional-root-check-ignored",),
    applies=tls_profile,
    condition="AS-2",
)
async def test_unlinked_csms_root_rejected(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_09_CS (M05.FR.10/11): InstallCertificate with certificateType CSMSRootCertificate
    and a valid root the station's current CSMS root did not sign (step 1) is Rejected (step 2,
    tool validation); GetInstalledCertificateIds for CSMSRootCertificate (step 3) is Accepted
    (step 4, tool validation; M03.FR.03) with an entry of that type carrying the old root's
    hash data (tool validation: M05.FR.11 leaves the old root in place) and — the other half of
    M05.FR.11 — none with the rejected root's. A root Accepted all the same is deleted again
    at the end (beyond the OCA: the next case finds the store as it was)."""
    old = old_root(csms)
    new = roots.pki.csms_root.read_text()
    result = await csms.call(
        "InstallCertificate", certificate_type=CSMS_ROOT, certificate=new, req=REJECTED
    )
    try:
        result.must(status="Rejected", req=REJECTED)
        outcome = await _get(csms, [CSMS_ROOT])
        outcome.must(status="Accepted", req=FOUND)
        require(
            _listed(outcome, CSMS_ROOT, old),
            req=OLD_KEPT,
            expected="an entry of type CSMSRootCertificate with the old CSMS root's hash data",
            actual=repr(_chain(outcome)),
            frames=outcome.frames,
        )
        require(
            not _listed(outcome, CSMS_ROOT, new),
            req=NOT_INSTALLED,
            expected="no entry with the rejected root's hash data",
            actual=repr(_chain(outcome)),
            frames=outcome.frames,
        )
    finally:
        if result.get("status") == "Accepted":
            await _remove(csms, new)


@oca(
    "TC_M_31_CS",
    "Install CA certificate - AdditionalRootCertificateCheck - Reconnect using new CSMS Root - "
    "Fallback mechanism",
    profile="core",
    versions=V2,
    kills=("csms-root-fallback-not-kept",),
    applies=tls_profile,
    condition="AS-2",
)
async def test_old_root_fallback(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_M_31_CS (M05.FR.12/14): memory state: the new CSMS root, signed by the old one,
    installed (Accepted). Reset OnIdle, Accepted (steps 1-2, tool validation); the station
    reconnects and the harness presents its usual CSMS certificate, of the old root (step 3):
    the new root cannot verify it, the old one (the fallback) can, so the station must connect
    (steps 4-5); reusable state Booted (step 6); GetInstalledCertificateIds for
    CSMSRootCertificate (step 7) is Accepted with an entry of the old root's hash data (step 8,
    tool validation: the fallback stays while the new root has not worked). At the end the
    harness deletes the new root (beyond the OCA: the store as it was)."""
    old = old_root(csms)
    new = await new_root_installed(csms)
    try:
        boot = await reset_and_boot(csms, req=FALLBACK_USED)
        await accept_boot(csms, boot, sut_profile)
        outcome = await _get(csms, [CSMS_ROOT])
        outcome.must(status="Accepted", req=FOUND)
        require(
            _listed(outcome, CSMS_ROOT, old),
            req=FALLBACK_KEPT,
            expected="an entry of type CSMSRootCertificate with the old CSMS root's hash data",
            actual=repr(_chain(outcome)),
            frames=outcome.frames,
        )
    finally:
        await _remove(csms, new, old)


@oca(
    "TC_M_30_CS",
    "Install CA certificate - AdditionalRootCertificateCheck - Reconnect using new CSMS Root - "
    "Success",
    profile="core",
    versions=V2,
    kills=("csms-root-fallback-not-removed",),
    applies=tls_profile,
    condition="AS-2",
)
async def test_new_root_connects(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_M_30_CS (M05.FR.12/13): memory state: the new CSMS root, signed by the old one,
    installed (Accepted). Reset OnIdle, Accepted (steps 1-2, tool validation); the next TLS
    handshake gets a CSMS certificate issued by the new root (step 3; its chain also carries
    the new root) and the station must connect with it (step 4: it must succeed — a station
    that refuses it and connects on its next attempt, which gets the usual certificate, FAILs);
    reusable state Booted (step 5); GetInstalledCertificateIds for CSMSRootCertificate (step 6)
    is Accepted with no entry of the old root's hash data (step 7, tool validation: M05.FR.13).
    Deviation: under security profile 3 the OCA renews the station certificate first
    (RenewChargingStationCertificate); the harness keeps the session's, which the CSMS root
    does not bear on. At the end the harness deletes the new root (see the module doc)."""
    pki = harness_pki(csms)
    old = old_root(csms)
    hooks = server_hooks(csms)
    new = await new_root_installed(csms)
    try:
        server = pki.linked_csms_server()
        trust = csms.tls.trust if csms.tls is not None else ()
        hooks.present_next(server_context(server.chain, server.key, client_ca=trust or None))
        try:
            boot = await reset_and_boot(csms, req=NEW_ROOT_USED)
        finally:
            hooks.disarm()
        obj = ssl_object(csms.link) if csms.link is not None else None
        require(
            obj is not None and obj.context is not hooks.context,
            req=NEW_ROOT_USED,
            expected="the connection over the CSMS certificate of the new root",
            actual="the station connected over the usual certificate (of the old root)"
            if obj is not None
            else "no TLS connection",
            frames=csms.trace.render(last=8),
        )
        await accept_boot(csms, boot, sut_profile)
        outcome = await _get(csms, [CSMS_ROOT])
        outcome.must(status="Accepted", req=FOUND)
        require(
            not _listed(outcome, CSMS_ROOT, old),
            req=FALLBACK_REMOVED,
            expected="no entry with the old CSMS root's hash data",
            actual=repr(_chain(outcome)),
            frames=outcome.frames,
        )
    finally:
        await _remove(csms, new, old)
