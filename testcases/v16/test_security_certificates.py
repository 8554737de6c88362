"""OCPP 1.6 Security Whitepaper (edition 3), certificates, with the charge point under test (the
harness plays the Central System): the charge point certificate renewed at the Central System's
request (A02: TC_074_CS, TC_077_CS) and the CA certificates it keeps (M03/M04/M05: TC_075_1/2_CS,
TC_076_CS). The 1.6 test case document is not public: the ids and titles are the catalogue's
(section 25), the steps ours, after the whitepaper's use cases and the OCA 2.0.1 twin each case
names. The roots a case installs come from a PKI of its own (never the TLS set-up's) and are
deleted again at its end."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from harness import CsmsPeer, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.exchange import CallOutcome, InboundCall
from harness.pki import CsrError, Pki, certificate_hash_data, ensure_pki, sign_csr
from harness.pki.csr import load_csr
from harness.verdicts import HarnessError, SutFailure
from testcases.v201.cert_checks import normalized_hash_data
from testcases.v201.security_states import closed_within, session_pki
from testcases.v201.tls_checks import (
    client_certificates,
    require_presented,
)

V16 = ("1.6",)
CS_ROOT = "CentralSystemRootCertificate"
MANUFACTURER_ROOT = "ManufacturerRootCertificate"

TRIGGERED = "1.6 SEC §5.6: ExtendedTriggerMessage SignChargePointCertificate is Accepted"
CSR_SENT = "1.6 SEC A02.FR.03: the charge point sends its CSR in SignCertificate.req"
CSR_VALID = "1.6 SEC A02.FR.03: the CSR is a PEM PKCS#10 request (RFC 2986), strong enough key"
CSR_CN = "1.6 SEC A00.FR.405: the CSR's CN is the charge point's identity"
CSR_ORGANIZATION = "1.6 SEC A02.FR.13: the CSR's O is the CpoName configuration key"
SIGNED_ACCEPTED = "1.6 SEC A02.FR.06: a valid certificate in CertificateSigned.req is Accepted"
NEW_CERTIFICATE_USED = "1.6 SEC A02.FR.08: the charge point connects with the new certificate"
INVALID_REJECTED = (
    "1.6 SEC A02.FR.06/07: an invalid certificate in CertificateSigned.req is Rejected"
)
INVALID_REPORTED = "1.6 SEC A02.FR.07: SecurityEventNotification InvalidChargePointCertificate"
INSTALLED = "1.6 SEC M05.FR.02: the installation is Accepted"
FOUND = "1.6 SEC M03.FR.03: Accepted when a certificate of the type is installed"
LISTED = "1.6 SEC M03.FR.04: the hash data of each matching installed certificate"
DELETED = "1.6 SEC M04.FR.02: the certificate found is deleted, Accepted"
GONE = "1.6 SEC M04.FR.02: the deleted certificate is no longer installed"


# -- A02: the charge point certificate, renewed at the Central System's request --------------
async def _cpo_name(csms: CsmsPeer) -> str | None:
    """The CpoName key (1.6 SEC §7.5), None when the charge point does not report one."""
    result = await csms.call("GetConfiguration", key=["CpoName"], req="1.6 §5.8: answered")
    for entry in result.must().get("configurationKey") or []:
        if isinstance(entry, dict) and entry.get("key") == "CpoName":
            value = entry.get("value")
            return None if value is None else str(value)
    return None


async def renewal_csr(csms: CsmsPeer, identity: str) -> str:
    """Steps 1-4: ExtendedTriggerMessage SignChargePointCertificate, Accepted (tool validation);
    SignCertificate.req with a PEM CSR (RFC 2986, RSA >= 2048 or EC >= 224 bits) whose CN is the
    identity and whose O is CpoName where the charge point reports that key; answered Accepted.
    Returns the CSR."""
    cpo_name = await _cpo_name(csms)
    csms.hold("SignCertificate")
    trigger = await csms.call(
        "ExtendedTriggerMessage", requested_message="SignChargePointCertificate", req=TRIGGERED
    )
    trigger.must(status="Accepted", req=TRIGGERED)
    request = await csms.expect("SignCertificate", within_s=csms.action_s, req=CSR_SENT)
    csr = _check_csr(csms, request, identity, cpo_name)
    await request.reply(status="Accepted")
    return csr


def _check_csr(csms: CsmsPeer, request: InboundCall, identity: str, cpo_name: str | None) -> str:
    csr = str(request.get("csr") or "")
    try:
        parsed, problem = load_csr(csr), ""
    except CsrError as exc:
        parsed, problem = None, str(exc)
    require(
        parsed is not None,
        req=CSR_VALID,
        expected="a PEM certificate signing request, self-signed, key RSA >= 2048 or EC >= 224",
        actual=problem,
        frames=csms.trace.render(last=4),
    )
    assert parsed is not None
    cns = parsed.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    require(
        bool(cns) and cns[0].value == identity,
        req=CSR_CN,
        expected=f"CN={identity}",
        actual=parsed.subject.rfc4514_string() or "an empty subject",
    )
    if cpo_name is not None:
        orgs = parsed.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        require(
            bool(orgs) and orgs[0].value == cpo_name,
            req=CSR_ORGANIZATION,
            expected=f"O={cpo_name}",
            actual=parsed.subject.rfc4514_string(),
        )
    return csr


@oca(
    "TC_074_CS",
    "Update Charge Point Certificate by request of Central System",
    profile="advanced-security",
    versions=V16,
    kills=("sign-certificate-no-csr-16", "new-certificate-not-used-16"),
    applies=client_certificates,
)
async def test_charge_point_certificate_renewed(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_074_CS (1.6 SEC A02.FR.02/03/06/08/13; the 1.6 test case document is not public: the
    steps follow the OCA 2.0.1 twin TC_A_11_CS): ExtendedTriggerMessage
    SignChargePointCertificate, Accepted (steps 1-2); SignCertificate.req with a PEM CSR, CN = the
    identity, O = CpoName (step 3), answered Accepted (step 4); the harness signs it with the
    session PKI's CPO Sub-CA 2 and sends CertificateSigned.req with the chain (step 5), Accepted
    (step 6). Then the charge point connects with the new certificate (A02.FR.08): one that keeps
    its connection open for the response time has it closed by the harness, and its next TLS
    handshake must present the certificate just issued (same serial number). Security profile 3
    only (client certificates); NOT-APPLICABLE otherwise."""
    pki = session_pki(csms)
    csr = await renewal_csr(csms, sut_profile.sut.identity)
    chain = sign_csr(pki, csr)
    issued = x509.load_pem_x509_certificates(chain.encode("ascii"))[0]
    old = csms.link
    signed = await csms.call("CertificateSigned", certificate_chain=chain, req=SIGNED_ACCEPTED)
    signed.must(status="Accepted", req=SIGNED_ACCEPTED)
    if not await closed_within(old, csms.response_s) and old is not None:
        csms.trace.event("the charge point kept its connection: the harness closes it")
        await old.close(1000, "reconnect with the new charge point certificate")
    link = await csms.wait_connected(within_s=csms.action_s, req=NEW_CERTIFICATE_USED)
    require_presented(link, issued, csms, req=NEW_CERTIFICATE_USED)


@oca(
    "TC_077_CS",
    "Invalid ChargePointCertificate Security Event",
    profile="advanced-security",
    versions=V16,
    kills=("certificate-signed-accepts-invalid-16", "certificate-signed-no-security-event-16"),
    applies=client_certificates,
)
async def test_invalid_charge_point_certificate(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_077_CS (1.6 SEC A02.FR.06/07, A04.FR.01; the 1.6 test case document is not public: the
    steps follow the OCA 2.0.1 twin TC_A_14_CS): as TC_074_CS steps 1-4; then
    CertificateSigned.req with an invalid certificate — one for the charge point's identity
    issued by a root outside the CPO hierarchy (the PKI's untrusted root), not for the CSR's key
    (step 5); Rejected (step 6); then SecurityEventNotification InvalidChargePointCertificate
    (step 7), answered (step 8). Security profile 3 only, as its twin."""
    pki = session_pki(csms)
    identity = sut_profile.sut.identity
    await renewal_csr(csms, identity)
    invalid = pki.bad_station("unknown-ca", identity).chain.read_text()
    signed = await csms.call("CertificateSigned", certificate_chain=invalid, req=INVALID_REJECTED)
    signed.must(status="Rejected", req=INVALID_REJECTED)
    await csms.expect(
        "SecurityEventNotification",
        within_s=csms.action_s,
        req=INVALID_REPORTED,
        type="InvalidChargePointCertificate",
    )


# -- M03/M04/M05: the CA certificates the charge point keeps -----------------------------------
@pytest.fixture(scope="session")
def new_roots(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """The roots the cases install: a PKI of their own, not the TLS set-up's."""
    return ensure_pki(Path(tmp_path_factory.mktemp("oca-16-security")) / "ecdsa")


def _pem(pki: Pki, kind: str) -> str:
    return (pki.csms_root if kind == CS_ROOT else pki.manufacturer_root).read_text()


def _hash_data(outcome: CallOutcome) -> list[dict[str, Any]]:
    listed = outcome.get("certificateHashData") or []
    return [entry for entry in listed if isinstance(entry, dict)]


def _is(data: dict[str, Any], pem: str) -> bool:
    """Whether ``data`` is the hash data of the root ``pem`` in the algorithm it names."""
    algorithm = str(data.get("hashAlgorithm", ""))
    try:
        mine = certificate_hash_data(pem, pem, algorithm=algorithm)
    except ValueError:
        return False
    return normalized_hash_data(data) == normalized_hash_data(mine)


async def _get(csms: CsmsPeer, kind: str) -> CallOutcome:
    """GetInstalledCertificateIds for ``kind``, answered (M03.FR.01)."""
    result = await csms.call(
        "GetInstalledCertificateIds",
        certificate_type=kind,
        req="1.6 SEC M03.FR.01: GetInstalledCertificateIds answered",
    )
    return result.must()


@contextlib.asynccontextmanager
async def _installed(csms: CsmsPeer, kind: str, pem: str) -> AsyncIterator[None]:
    """InstallCertificate of ``pem`` as ``kind``, Accepted (M05.FR.02); deleted again at the
    end (beyond the case: the next case finds the store as it was; no verdict)."""
    result = await csms.call("InstallCertificate", certificate_type=kind, certificate=pem)
    result.must(status="Accepted", req=INSTALLED)
    try:
        yield
    finally:
        with contextlib.suppress(SutFailure, HarnessError):
            await csms.call(
                "DeleteCertificate",
                certificate_hash_data=certificate_hash_data(pem, pem),
                req="clean-up",
            )


async def _require_listed(csms: CsmsPeer, kind: str, pem: str) -> dict[str, Any]:
    """GetInstalledCertificateIds for ``kind``: Accepted (M03.FR.03) with the hash data of
    ``pem`` among it (M03.FR.04). Returns that hash data."""
    outcome = await _get(csms, kind)
    outcome.must(status="Accepted", req=FOUND)
    ours = [data for data in _hash_data(outcome) if _is(data, pem)]
    require(
        bool(ours),
        req=LISTED,
        expected=f"the hash data of the {kind} installed",
        actual=repr(_hash_data(outcome)),
        frames=outcome.frames,
    )
    return ours[0]


async def _install_and_list(csms: CsmsPeer, pki: Pki, kind: str) -> None:
    pem = _pem(pki, kind)
    async with _installed(csms, kind, pem):
        await _require_listed(csms, kind, pem)


@oca(
    "TC_075_1_CS",
    "Install certificate - ManufacturerRootCertificate",
    profile="advanced-security",
    versions=V16,
    kills=("install-certificate-not-stored-16",),
)
async def test_install_manufacturer_root(csms: CsmsPeer, new_roots: Pki) -> None:
    """TC_075_1_CS (1.6 SEC M05.FR.01/02, M03.FR.03/04; the 1.6 test case document is not public:
    the steps follow the OCA 2.0.1 twin TC_M_02_CS): InstallCertificate of a new
    ManufacturerRootCertificate, Accepted (steps 1-2); GetInstalledCertificateIds for that type,
    Accepted with the new root's hash data (steps 3-4). The root is deleted again afterwards."""
    await _install_and_list(csms, new_roots, MANUFACTURER_ROOT)


@oca(
    "TC_075_2_CS",
    "Install certificate - CentralSystemRootCertificate",
    profile="advanced-security",
    versions=V16,
    kills=("install-certificate-not-stored-16",),
)
async def test_install_central_system_root(csms: CsmsPeer, new_roots: Pki) -> None:
    """TC_075_2_CS (1.6 SEC M05.FR.01/02, M03.FR.03/04; the 1.6 test case document is not public:
    the steps follow the OCA 2.0.1 twin TC_M_01_CS): as TC_075_1_CS for a new
    CentralSystemRootCertificate (never the root the TLS connection relies on)."""
    await _install_and_list(csms, new_roots, CS_ROOT)


@oca(
    "TC_076_CS",
    "Delete a specific certificate from the Charge Point",
    profile="advanced-security",
    versions=V16,
    kills=("delete-certificate-not-deleted-16",),
)
async def test_delete_certificate(csms: CsmsPeer, new_roots: Pki) -> None:
    """TC_076_CS (1.6 SEC M04.FR.01/02, M03; the 1.6 test case document is not public: the steps
    follow the OCA 2.0.1 twin TC_M_20_CS): a new CentralSystemRootCertificate installed
    (Accepted) and listed by GetInstalledCertificateIds (step 1); DeleteCertificate with the hash
    data the charge point reported (step 2), Accepted (step 3); GetInstalledCertificateIds no
    longer lists it: NotFound, or Accepted without its hash data (step 4)."""
    pem = _pem(new_roots, CS_ROOT)
    async with _installed(csms, CS_ROOT, pem):
        data = await _require_listed(csms, CS_ROOT, pem)
        result = await csms.call(
            "DeleteCertificate",
            certificate_hash_data=data,
            req="1.6 SEC M04.FR.01: DeleteCertificate answered",
        )
        result.must(status="Accepted", req=DELETED)
        after = await _get(csms, CS_ROOT)
        require(
            after.get("status") == "NotFound" or not any(_is(d, pem) for d in _hash_data(after)),
            req=GONE,
            expected="NotFound, or no entry with the deleted certificate's hash data",
            actual=repr(after.payload),
            frames=after.frames,
        )
