"""OCA block M (certificate management), OCPP 2.0.1 and 2.1, a charging station with
AdditionalRootCertificateCheck true (PICS AS-2, M05.FR.09-12): TC_M_09_CS with the station under
test (the harness is the CSMS). Steps and criteria in our own words after OCPP 2.0.1 Part 6.

The "old CSMS root" is the one the harness's TLS set-up gave the station (the session PKI's
CSMS root, :func:`harness.pki.ensure_pki`); the new root that must be refused is the CSMS root
of the block M PKI of the session (:mod:`testcases.v201.test_m_certificates`), a valid root the
old one never signed."""

from __future__ import annotations

from harness import CsmsPeer, oca
from harness.checks import require
from harness.verdicts import Inconclusive
from testcases.v201.test_m_certificates import (
    CSMS_ROOT,
    FOUND,
    Roots,
    _chain,
    _get,
    _listed,
    _remove,
    roots_pki,  # noqa: F401 (the fixture ``roots`` needs)
)
from testcases.v201.test_m_certificates import roots as roots  # the fixture
from testcases.v201.tls_checks import tls_profile

V2 = ("2.0.1", "2.1")
REJECTED = "M05.FR.11: a new CSMS root not signed by the old one is Rejected"
OLD_KEPT = "M05.FR.11: the old CSMS root stays installed"
NOT_INSTALLED = "M05.FR.11: the rejected CSMS root is not installed"


def old_root(csms: CsmsPeer) -> str:
    """The CSMS root the station was given (PEM); INCONCLUSIVE without a harness PKI."""
    pki = csms.tls.pki if csms.tls is not None else None
    if pki is None:
        raise Inconclusive("precondition: no harness PKI, so the station's CSMS root is unknown")
    return pki.csms_root.read_text()


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
