"""OCA block A (Security), OCPP 2.0.1 and 2.1, security profile 3: the charging station
certificate renewed at the CSMS's request (A02, TriggerMessage F06): TC_A_11/14/15_CS with the
station under test (the harness is the CSMS and signs the CSR with the session PKI's CPO Sub-CA
2), TC_A_11/14_CSMS with the CSMS under test (the harness is the station and makes the CSR with
a new key: the operator action ``renew_station_certificate`` starts the renewal). Steps and criteria in our own words after OCPP 2.0.1 Part 6 (reusable state
RenewChargingStationCertificate) and its errata."""

from __future__ import annotations

import asyncio
import contextlib

from cryptography import x509
from cryptography.x509.oid import NameOID

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, should
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from harness.pki import CsrError, Pki, make_csr, sign_csr
from harness.pki.csr import load_csr
from harness.pki.recipes import DEFAULT_ORGANIZATION
from harness.verdicts import Inconclusive
from testcases.v201.cert_checks import (
    chain_certificates,
    require_chain_valid,
    require_connects_with,
    require_leaf_for_csr,
)
from testcases.v201.tls_checks import (
    client_certificates,
    require_presented,
)

V2 = ("2.0.1", "2.1")
STATION_CERTIFICATE = "ChargingStationCertificate"
TRIGGERED = "F06.FR.04: TriggerMessage SignChargingStationCertificate is Accepted"
CSR_SENT = "A02.FR.03: the station sends its CSR in a SignCertificateRequest"
CSR_VALID = "A02.FR.03: the CSR is a PEM PKCS#10 request (RFC 2986) with a strong enough key"
CSR_SUBJECT = "A00.FR.509/511: the CSR's subject has CN = the station's serial number and an O"
SIGNED_ACCEPTED = "A02.FR.06: a valid certificate in CertificateSignedRequest is Accepted"
NEW_CERTIFICATE_USED = "A02.FR.08: the station connects with the new certificate"
INVALID_REJECTED = "A02.FR.07: an invalid certificate in CertificateSignedRequest is Rejected"
INVALID_REPORTED = "A02.FR.07: SecurityEventNotification InvalidChargingStationCertificate"


def harness_pki(csms: CsmsPeer) -> Pki:
    pki = csms.tls.pki if csms.tls is not None else None
    if pki is None:
        raise Inconclusive("precondition: no harness PKI to sign the station's CSR with")
    return pki


async def renewal_csr(csms: CsmsPeer) -> InboundCall:
    """Steps 1-3: TriggerMessage SignChargingStationCertificate, Accepted (tool validation);
    then the station's SignCertificateRequest (held: the case answers it)."""
    csms.hold("SignCertificate")
    trigger = await csms.call(
        "TriggerMessage", requested_message="SignChargingStationCertificate", req=TRIGGERED
    )
    trigger.must(status="Accepted", req=TRIGGERED)
    return await csms.expect("SignCertificate", within_s=csms.action_s, req=CSR_SENT)


def check_csr(csms: CsmsPeer, request: InboundCall, identity: str | None = None) -> str:
    """Tool validation of step 3: a PEM CSR (RFC 2986) signed by its key, RSA >= 2048 or
    EC >= 224 bits; with ``identity`` also CN = the station identity and an O. Returns it."""
    csr = str(request.get("csr") or "")
    try:
        parsed = load_csr(csr)
        problem = ""
    except CsrError as exc:
        problem = str(exc)
    require(
        not problem,
        req=CSR_VALID,
        expected="a PEM certificate signing request, self-signed, key RSA >= 2048 or EC >= 224",
        actual=problem,
        frames=csms.trace.render(last=4),
    )
    kind = request.get("certificateType")
    require(
        kind in (None, STATION_CERTIFICATE),
        req="A02.FR.13: certificateType is the one the trigger was for",
        expected=f"certificateType {STATION_CERTIFICATE} (or absent)",
        actual=repr(kind),
    )
    if identity is not None:
        cns = parsed.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        orgs = parsed.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        cn = str(cns[0].value) if cns else ""
        require(
            cn == identity and bool(orgs),
            req=CSR_SUBJECT,
            expected=f"CN={identity} and an O (organizationName)",
            actual=parsed.subject.rfc4514_string() or "an empty subject",
        )
    return csr


async def closed_within(csms: CsmsPeer, seconds: float) -> bool:
    link = csms.link
    if link is None:
        return True
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await link.closed.wait()
    return link.closed.is_set()


@oca(
    "TC_A_11_CS",
    "Update Charging Station Certificate by request of CSMS - Success - Charging Station "
    "Certificate",
    profile="advanced-security",
    versions=V2,
    kills=("csr-wrong-cn", "sign-certificate-trigger-rejected", "new-certificate-not-used"),
    applies=client_certificates,
)
async def test_station_certificate_renewed(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_A_11_CS (A02.FR.02/03/06/08, F06.FR.04/05): reusable state
    RenewChargingStationCertificate: TriggerMessage SignChargingStationCertificate, Accepted
    (steps 1-2, tool validation); the station sends SignCertificateRequest (step 3; tool
    validation: a PEM PKCS#10 CSR, RSA >= 2048 or EC >= 224 bits; the harness also requires
    CN = the station identity and an O, A00.FR.509/511), answered Accepted (step 4); the harness
    signs it with the session PKI's CPO Sub-CA 2 and sends CertificateSignedRequest with the
    chain leaf + Sub-CAs, certificateType ChargingStationCertificate (step 5), Accepted (step 6,
    tool validation). Beyond the OCA's steps (A02.FR.08, in its requirement list): the station
    must then connect with the new certificate; one that keeps its connection open for the
    response time has it closed by the harness, and its next TLS handshake must present the
    certificate just issued (same serial number)."""
    pki = harness_pki(csms)
    request = await renewal_csr(csms)
    csr = check_csr(csms, request, sut_profile.sut.identity)
    await request.reply(status="Accepted")
    chain = sign_csr(pki, csr)
    issued = x509.load_pem_x509_certificates(chain.encode("ascii"))[0]
    old = csms.link
    signed = await csms.call(
        "CertificateSigned",
        certificate_chain=chain,
        certificate_type=STATION_CERTIFICATE,
        req=SIGNED_ACCEPTED,
    )
    signed.must(status="Accepted", req=SIGNED_ACCEPTED)
    if not await closed_within(csms, csms.response_s) and old is not None:
        csms.trace.event("the station kept its connection: the harness closes it")
        await old.close(1000, "reconnect with the new station certificate")
    link = await csms.wait_connected(within_s=csms.action_s, req=NEW_CERTIFICATE_USED)
    require_presented(link, issued, csms, req=NEW_CERTIFICATE_USED)


@oca(
    "TC_A_14_CS",
    "Update Charging Station Certificate by request of CSMS - Invalid certificate",
    profile="advanced-security",
    versions=V2,
    kills=(
        "certificate-signed-accepts-invalid",
        "certificate-signed-no-security-event",
        "sign-certificate-trigger-rejected",
    ),
    applies=client_certificates,
)
async def test_station_certificate_invalid(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_A_14_CS (A02.FR.07, A03.FR.07): TriggerMessage SignChargingStationCertificate,
    Accepted (steps 1-2, tool validation); SignCertificateRequest with a PEM CSR of a strong
    enough key (step 3, tool validation), answered Accepted (step 4); CertificateSignedRequest
    with the configured invalid certificate — here a certificate for the station's identity
    issued by a root outside the CPO hierarchy (the PKI's untrusted root), not for the CSR's
    key (step 5); Rejected (step 6, tool validation); then SecurityEventNotification
    InvalidChargingStationCertificate (step 7, tool validation), answered (step 8)."""
    pki = harness_pki(csms)
    request = await renewal_csr(csms)
    check_csr(csms, request)
    await request.reply(status="Accepted")
    invalid = pki.bad_station("unknown-ca", sut_profile.sut.identity).chain.read_text()
    signed = await csms.call(
        "CertificateSigned",
        certificate_chain=invalid,
        certificate_type=STATION_CERTIFICATE,
        req=INVALID_REJECTED,
    )
    signed.must(status="Rejected", req=INVALID_REJECTED)
    await csms.expect(
        "SecurityEventNotification",
        within_s=csms.action_s,
        req=INVALID_REPORTED,
        type="InvalidChargingStationCertificate",
    )


@oca(
    "TC_A_15_CS",
    "Update Charging Station Certificate by request of CSMS - SignCertificateRequest Rejected",
    profile="advanced-security",
    versions=V2,
    kills=("sign-certificate-trigger-rejected",),
    applies=client_certificates,
)
async def test_station_sign_certificate_rejected(csms: CsmsPeer) -> None:
    """TC_A_15_CS (A02): TriggerMessage SignChargingStationCertificate, Accepted (steps 1-2,
    the only tool validation); the station sends SignCertificateRequest (step 3), which the
    harness answers Rejected (step 4). The document requires nothing of the station after
    that; the harness checks only that the request came (a PEM CSR, as in TC_A_14_CS)."""
    request = await renewal_csr(csms)
    check_csr(csms, request)
    await request.reply(status="Rejected")


# -- the CSMS under test ---------------------------------------------------------------------
CSMS_TRIGGERS = "A02: the CSMS sends TriggerMessage SignChargingStationCertificate"
CSMS_ACCEPTS_CSR = "A02.FR.11: SignCertificateRequest is Accepted"
CSMS_SIGNS = "A02: the CSMS sends CertificateSignedRequest"
CSMS_SIGNS_CSR_KEY = "A02.FR.03: the certificate is issued for the CSR's public key"
CSMS_CHAIN = "A02: the certificate chain is valid (each link issued by the next, in its period)"
CSMS_TYPE = "A02.FR.14: certificateType ChargingStationCertificate, as in the request"
CSMS_NEW_CERTIFICATE = "A02: the CSMS accepts a connection with the issued certificate"


async def csms_renews(
    station: StationPeer, sut: SutActions, identity: str
) -> tuple[InboundCall, bytes, str]:
    """Reusable state RenewChargingStationCertificate (CSMS), steps 1-5: the operator has the
    CSMS trigger the renewal (action ``renew_station_certificate``); TriggerMessage with
    requestedMessage SignChargingStationCertificate (tool validation), answered Accepted; the
    harness sends SignCertificateRequest with a CSR of a new key (CN = its identity), which must
    be Accepted (tool validation); then the CSMS's CertificateSignedRequest (held). Returns it,
    the new private key and the CSR."""
    station.hold("TriggerMessage")
    station.hold("CertificateSigned")
    await sut.renew_station_certificate()
    trigger = await station.expect("TriggerMessage", within_s=station.action_s, req=CSMS_TRIGGERS)
    wanted = trigger.get("requestedMessage")
    await trigger.reply(
        status="Accepted" if wanted == "SignChargingStationCertificate" else "Rejected"
    )
    require(
        wanted == "SignChargingStationCertificate",
        req=CSMS_TRIGGERS,
        expected="requestedMessage SignChargingStationCertificate",
        actual=repr(wanted),
        frames=station.trace.render(last=4),
    )
    pki = station.tls.pki if station.tls is not None else None
    organization = pki.organization if pki is not None else DEFAULT_ORGANIZATION
    csr, key = make_csr(None, identity, organization, algorithm=pki.algorithm if pki else "ecdsa")
    answer = await station.call(
        "SignCertificate", csr=csr, certificate_type=STATION_CERTIFICATE, req=CSMS_ACCEPTS_CSR
    )
    answer.must(status="Accepted", req=CSMS_ACCEPTS_CSR)
    signed = await station.expect("CertificateSigned", within_s=station.action_s, req=CSMS_SIGNS)
    return signed, key, csr


def check_chain(station: StationPeer, signed: InboundCall, csr: str) -> str:
    """Tool validation of step 5: a chain whose leaf is issued for the CSR's key, each link
    issued by the next and in its validity period; verified up to a CPO root of the harness PKI
    where the chain leads to one (a CSMS whose CA the harness does not know: those checks only);
    certificateType ChargingStationCertificate. Returns the chain."""
    chain = str(signed.get("certificateChain") or "")
    certs = chain_certificates(station, chain, req=CSMS_CHAIN)
    require_leaf_for_csr(station, certs, csr, req=CSMS_SIGNS_CSR_KEY)
    require_chain_valid(station, chain, certs, req=CSMS_CHAIN)
    kind = signed.get("certificateType")
    require(
        kind in (None, STATION_CERTIFICATE),
        req=CSMS_TYPE,
        expected=f"certificateType {STATION_CERTIFICATE}",
        actual=repr(kind),
    )
    should(
        station,
        kind == STATION_CERTIFICATE,
        req=CSMS_TYPE,
        expected=f"certificateType {STATION_CERTIFICATE}",
        actual="absent",
    )
    return chain


@oca(
    "TC_A_11_CSMS",
    "Update Charging Station Certificate by request of CSMS - Success - Charging Station "
    "Certificate",
    profile="advanced-security",
    versions=V2,
    kills=("csms-sign-certificate-rejected", "csms-certificate-signed-wrong-key"),
    applies=client_certificates,
)
async def test_csms_renews_station_certificate(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_11_CSMS (A02.FR.11/14, F06.FR.01; errata 2024-09 and 2025-04): reusable state
    RenewChargingStationCertificate: the CSMS sends TriggerMessage SignChargingStationCertificate
    (step 1, tool validation), answered Accepted (step 2); the harness sends SignCertificateRequest
    with a CSR of a new key (step 3), Accepted (step 4, tool validation); the CSMS sends
    CertificateSignedRequest (step 5; tool validation: the chain is issued for the CSR, type
    ChargingStationCertificate), answered Accepted (step 6). The harness cannot know the CA a
    CSMS signs with: it checks the leaf's key is the CSR's, each link is issued by the next and
    valid now, and the full path only when the chain leads to a CPO root of the harness PKI.
    Errata steps 2-3 and post-scenario validation: the harness reconnects with the new
    certificate and the CSMS accepts the connection."""
    identity = sut_profile.sut.identity
    signed, key, csr = await csms_renews(station, sut, identity)
    chain = check_chain(station, signed, csr)
    await signed.reply(status="Accepted")
    await require_connects_with(station, chain, key, req=CSMS_NEW_CERTIFICATE)


@oca(
    "TC_A_14_CSMS",
    "Update Charging Station Certificate by request of CSMS - Invalid certificate",
    profile="advanced-security",
    versions=V2,
    kills=("csms-sign-certificate-rejected",),
    applies=client_certificates,
)
async def test_csms_renewal_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_14_CSMS (A02; errata 2024-09): as TC_A_11_CSMS steps 1-5 (tool validations: the
    TriggerMessage's requestedMessage, SignCertificateResponse Accepted); the harness answers
    the CertificateSignedRequest Rejected (step 6) and sends SecurityEventNotification
    InvalidChargingStationCertificate (step 7), which the CSMS must answer (step 8). The chain
    is not checked (the station rejects it anyway)."""
    signed, _, _ = await csms_renews(station, sut, sut_profile.sut.identity)
    await signed.reply(status="Rejected", status_info={"reasonCode": "InvalidCertificate"})
    event = await station.call(
        "SecurityEventNotification",
        type="InvalidChargingStationCertificate",
        timestamp=now_iso(),
        req="A04: SecurityEventNotification answered",
    )
    event.must(req="A04: SecurityEventNotification answered")
