"""OCPP 1.6 security extension (1.6 Security Whitepaper edition 3, "1.6 SEC"), the Central System
under test (the harness plays the charge point): certificate renewal (A02), root certificates
(M03-M05), security events (A04), the security log (N01) and the TLS of security profiles 2 and
3 (§2.4-2.5): TC_074-079_CSMS and TC_086/087_CSMS.

The OCA test case document for 1.6 is not public: the ids and titles are the catalogue's
(``harness/catalogue/ocpp16-csms.tsv``), the steps are ours, written from the whitepaper's use
case in the order of the OCA 2.0.1 twin each docstring names (OCPP 2.0.1 Part 6); the 1.6
messages are those of 1.6 SEC §5."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

from harness import StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.peers.defaults import now_iso
from harness.peers.exchange import InboundCall
from harness.pki import make_csr
from harness.pki.recipes import DEFAULT_ORGANIZATION
from testcases.v16.states import station_booted
from testcases.v201.cert_checks import (
    chain_certificates,
    hash_data_of,
    normalized_hash_data,
    require_chain_valid,
    require_connects_with,
    require_leaf_for_csr,
)
from testcases.v201.log_states import csms_get_log, log_status
from testcases.v201.tls_checks import (
    client_certificates,
    peer_certificate,
    require_certificate_properties,
    require_suites,
    require_tls12,
    tls_profile,
)

V16 = ("1.6",)
CENTRAL_SYSTEM_ROOT = "CentralSystemRootCertificate"
MANUFACTURER_ROOT = "ManufacturerRootCertificate"

TRIGGERS = "1.6 SEC A02: the Central System sends ExtendedTriggerMessage SignChargePointCertificate"
CSR_ACCEPTED = "1.6 SEC A02.FR.11: SignCertificate.req is Accepted"
SIGNS = "1.6 SEC A02: the Central System sends CertificateSigned.req"
SIGNS_CSR_KEY = "1.6 SEC A02 (A02.FR.03): the certificate is issued for the CSR's public key"
CHAIN = "1.6 SEC A02: the certificate chain is valid (each link issued by the next, in its period)"
LEAF_CN = "1.6 SEC A00.FR.511/405: the certificate's CN is the charge point's identity"
NEW_CERTIFICATE = "1.6 SEC A00.FR.403: a connection with the issued certificate is accepted"
INSTALL_SENT = "1.6 SEC M05: the Central System sends InstallCertificate.req"
INSTALL_TYPE = "1.6 SEC M05: certificateType is the one asked for"
INSTALL_PEM = "1.6 SEC A00.FR.507: certificate is a PEM encoded X.509 certificate"
LIST_SENT = "1.6 SEC M04/M03: the Central System asks for the installed certificates"
LIST_TYPE = "1.6 SEC M03: certificateType is the type to delete"
DELETE_SENT = "1.6 SEC M04: the Central System sends DeleteCertificate.req"
DELETE_HASH = "1.6 SEC M04.FR.07: certificateHashData is the one the charge point reported"
EVENT_ANSWERED = "1.6 SEC A04.FR.03: SecurityEventNotification.req is confirmed"
GETLOG_SENT = "1.6 SEC N01: the Central System sends GetLog.req"
GETLOG_TYPE = "1.6 SEC N01: logType is the log asked for"
GETLOG_LOCATION = "1.6 SEC N01: GetLog.req names the remoteLocation to upload to"
LOG_STATUS_ANSWERED = "1.6 SEC N01: LogStatusNotification.req answered"


# -- TC_074: certificate renewal (A02) -------------------------------------------------------------
async def _renewal(
    station: StationPeer, sut: SutActions, identity: str
) -> tuple[InboundCall, bytes, str]:
    """A02 steps 1-9 as the charge point: the operator has the Central System renew the
    certificate (action ``renew_station_certificate``); ExtendedTriggerMessage with
    requestedMessage SignChargePointCertificate, answered Accepted; SignCertificate.req with a
    CSR of a new key (CN the identity, O the CPO name), which must be Accepted (A02.FR.11); then
    the CertificateSigned.req (held). Returns it, the new key and the CSR."""
    station.hold("ExtendedTriggerMessage", "CertificateSigned")
    await sut.renew_station_certificate()
    trigger = await station.expect(
        "ExtendedTriggerMessage", within_s=station.action_s, req=TRIGGERS
    )
    wanted = trigger.get("requestedMessage")
    ok = wanted == "SignChargePointCertificate"
    await trigger.reply(status="Accepted" if ok else "Rejected")
    require(
        ok,
        req=TRIGGERS,
        expected="requestedMessage SignChargePointCertificate",
        actual=repr(wanted),
        frames=station.trace.render(last=4),
    )
    pki = station.tls.pki if station.tls is not None else None
    organization = pki.organization if pki is not None else DEFAULT_ORGANIZATION
    csr, key = make_csr(None, identity, organization, algorithm=pki.algorithm if pki else "ecdsa")
    answer = await station.call("SignCertificate", csr=csr, req=CSR_ACCEPTED)
    answer.must(status="Accepted", req=CSR_ACCEPTED)
    signed = await station.expect("CertificateSigned", within_s=station.action_s, req=SIGNS)
    return signed, key, csr


@oca(
    "TC_074_CSMS",
    "Update Charge Point Certificate by request of Central System",
    profile="advanced-security",
    versions=V16,
    kills=("sign-certificate-rejected-16", "certificate-signed-wrong-key-16"),
)
async def test_renew_charge_point_certificate(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_074_CSMS (1.6 SEC A02; the 1.6 document is not public, steps after the 2.0.1 twin
    TC_A_11_CSMS): the Central System, asked by its operator, sends ExtendedTriggerMessage
    SignChargePointCertificate (step 1, checked), answered Accepted (step 2); the harness sends
    SignCertificate.req with a CSR of a new key (step 3), Accepted (step 4, A02.FR.11); the Central
    System sends CertificateSigned.req (step 5; checked: a PEM chain whose leaf carries the CSR's
    public key and the identity as CN, each link issued by the next and valid now, up to a harness
    CPO root where the chain leads to one), answered Accepted (step 6). With client certificates
    (security profile 3) the harness then connects with the issued certificate, which must be
    accepted (A00.FR.403)."""
    identity = sut_profile.sut.identity
    signed, key, csr = await _renewal(station, sut, identity)
    chain = str(signed.get("certificateChain") or "")
    certs = chain_certificates(station, chain, req=CHAIN)
    require_leaf_for_csr(station, certs, csr, req=SIGNS_CSR_KEY)
    require_chain_valid(station, chain, certs, req=CHAIN)
    await signed.reply(status="Accepted")
    names = certs[0].subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(names[0].value) if names else ""
    require(
        cn == identity,
        req=LEAF_CN,
        expected=f"CN={identity}",
        actual=f"CN={cn!r}",
        frames=station.trace.render(last=4),
    )
    if client_certificates(sut_profile) is None:
        await require_connects_with(station, chain, key, req=NEW_CERTIFICATE)


# -- TC_075/076: root certificates (M03-M05) -----------------------------------------------------
async def _installs(station: StationPeer, sut: SutActions, kind: str) -> str:
    """M05 as the charge point: the operator has the Central System install a root of ``kind``
    (action ``install_certificate``); InstallCertificate.req with that certificateType and a PEM
    X.509 certificate (checked), answered Accepted. The PEM sent."""
    station.hold("InstallCertificate")
    await sut.install_certificate(kind)
    request = await station.expect("InstallCertificate", req=INSTALL_SENT)
    await request.reply(status="Accepted")
    frames = station.trace.render(last=6)
    require_fields(request.payload, certificateType=kind, req=INSTALL_TYPE, frames=frames)
    pem = str(request.get("certificate", ""))
    try:
        x509.load_pem_x509_certificate(pem.encode())
        problem = ""
    except ValueError as exc:
        problem = str(exc)
    require(
        not problem,
        req=INSTALL_PEM,
        expected="a PEM X.509 certificate",
        actual=f"{pem[:60]!r}... ({problem})",
        frames=frames,
    )
    return pem


@oca(
    "TC_075_1_CSMS",
    "Install a certificate on the Charge Point - ManufacturerRootCertificate",
    profile="advanced-security",
    versions=V16,
    kills=("install-certificate-wrong-type-16",),
)
async def test_install_manufacturer_root(station: StationPeer, sut: SutActions) -> None:
    """TC_075_1_CSMS (1.6 SEC M05; the 1.6 document is not public, steps after the 2.0.1 twin
    TC_M_02_CSMS): the Central System, asked by its operator, sends InstallCertificate.req with
    certificateType ManufacturerRootCertificate and a PEM X.509 certificate (step 1, checked),
    answered Accepted (step 2)."""
    await _installs(station, sut, MANUFACTURER_ROOT)


@oca(
    "TC_075_2_CSMS",
    "Install a certificate on the Charge Point - CentralSystemRootCertificate",
    profile="advanced-security",
    versions=V16,
    kills=("install-certificate-wrong-type-16",),
)
async def test_install_central_system_root(station: StationPeer, sut: SutActions) -> None:
    """TC_075_2_CSMS (1.6 SEC M05; the 1.6 document is not public, steps after the 2.0.1 twin
    TC_M_01_CSMS): as TC_075_1_CSMS for CentralSystemRootCertificate (steps 1-2)."""
    await _installs(station, sut, CENTRAL_SYSTEM_ROOT)


@oca(
    "TC_076_CSMS",
    "Delete a specific certificate from the Charge Point",
    profile="advanced-security",
    versions=V16,
    kills=("delete-certificate-wrong-hash-16",),
)
async def test_delete_certificate(station: StationPeer, sut: SutActions) -> None:
    """TC_076_CSMS (1.6 SEC M03/M04; the 1.6 document is not public, steps after the 2.0.1 twins
    TC_M_20_CSMS and the listing of TC_M_13/18_CSMS), once per hash algorithm (SHA256, SHA384,
    SHA512): a CentralSystemRootCertificate installed as in TC_075_2_CSMS (step 1); the Central
    System, asked to delete it (action ``delete_certificate``), sends GetInstalledCertificateIds.req
    for CentralSystemRootCertificate (step 2, checked), answered Accepted with the root's hash data
    in that algorithm (step 3); then DeleteCertificate.req with that very hash data (step 4,
    checked: M04.FR.07, the charge point's hashAlgorithm), answered Accepted (step 5)."""
    for algorithm in ("SHA256", "SHA384", "SHA512"):
        pem = await _installs(station, sut, CENTRAL_SYSTEM_ROOT)
        station.hold("GetInstalledCertificateIds", "DeleteCertificate")
        await sut.delete_certificate(CENTRAL_SYSTEM_ROOT)
        listing = await station.expect("GetInstalledCertificateIds", req=LIST_SENT)
        require_fields(
            listing.payload,
            certificateType=CENTRAL_SYSTEM_ROOT,
            req=LIST_TYPE,
            frames=station.trace.render(last=4),
        )
        data = hash_data_of(pem, CENTRAL_SYSTEM_ROOT, algorithm)
        await listing.reply(status="Accepted", certificate_hash_data=[data])
        delete = await station.expect("DeleteCertificate", req=DELETE_SENT)
        await delete.reply(status="Accepted")
        sent = delete.get("certificateHashData")
        require(
            normalized_hash_data(sent) == normalized_hash_data(data),
            req=DELETE_HASH,
            expected=f"certificateHashData {data}",
            actual=f"certificateHashData {sent}",
            frames=station.trace.render(last=6),
        )


# -- TC_077/078: security events (A04) ---------------------------------------------------------
@oca(
    "TC_077_CSMS",
    "Invalid ChargePointCertificate Security Event",
    profile="advanced-security",
    versions=V16,
    kills=("security-event-not-answered-16",),
)
async def test_invalid_charge_point_certificate_event(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_077_CSMS (1.6 SEC A02.FR.07, A04.FR.03; the 1.6 document is not public, steps after the
    2.0.1 twin TC_A_14_CSMS): as TC_074_CSMS steps 1-5 (the trigger and the SignCertificate.req
    answer checked); the harness answers the CertificateSigned.req Rejected (step 6), as a charge
    point that finds the certificate invalid, and sends SecurityEventNotification.req
    InvalidChargePointCertificate (step 7), which the Central System must confirm (step 8,
    A04.FR.03). A04 asks nothing more of the Central System; the chain is not checked (the charge
    point rejects it anyway)."""
    signed, _, _ = await _renewal(station, sut, sut_profile.sut.identity)
    await signed.reply(status="Rejected")
    event = await station.call(
        "SecurityEventNotification",
        type="InvalidChargePointCertificate",
        timestamp=now_iso(),
        req=EVENT_ANSWERED,
    )
    event.must(req=EVENT_ANSWERED)


@oca(
    "TC_078_CSMS",
    "Invalid CentralSystemCertificate Security Event",
    profile="advanced-security",
    versions=V16,
    kills=("security-event-not-answered-16",),
)
async def test_invalid_central_system_certificate_event(station: StationPeer) -> None:
    """TC_078_CSMS (1.6 SEC A00.FR.309/413, A04.FR.02/03; the 1.6 document is not public and 2.0.1
    has no twin with the CSMS under test: the steps follow the A04 scenario): a charge point that
    found a Central System certificate invalid ends that connection and, once connected to the valid
    Central System, delivers the queued SecurityEventNotification.req
    InvalidCentralSystemCertificate (step 1); the Central System must confirm it (step 2, A04.FR.03)
    and keep the connection usable (a Heartbeat.req answered, step 3)."""
    event = await station.call(
        "SecurityEventNotification",
        type="InvalidCentralSystemCertificate",
        timestamp=now_iso(),
        tech_info="the server certificate's path does not end in a trusted root",
        req=EVENT_ANSWERED,
    )
    event.must(req=EVENT_ANSWERED)
    beat = await station.call("Heartbeat", req="1.6 §4.6: Heartbeat answered")
    beat.must(req="1.6 §4.6: Heartbeat answered")


# -- TC_079: the security log (N01) --------------------------------------------------------------
@oca(
    "TC_079_CSMS",
    "Get Security Log",
    profile="advanced-security",
    versions=V16,
    kills=("getlog-wrong-type-16", "log-status-refused-16"),
)
async def test_get_security_log(station: StationPeer, sut: SutActions) -> None:
    """TC_079_CSMS (1.6 SEC N01; the 1.6 document is not public, steps after the 2.0.1 twin
    TC_N_35_CSMS): the Central System, asked by its operator for the security log (action
    ``get_log``), sends GetLog.req with logType SecurityLog, a requestId and a remoteLocation (step
    1, checked; the requestId's presence and type are the schema's), answered Accepted with a file
    name (step 2); the harness sends LogStatusNotification.req Uploading and then Uploaded with that
    requestId (steps 3 and 6, N01.FR.07), each confirmed by the Central System (steps 4 and 7)."""
    request = await csms_get_log(station, sut, "SecurityLog", req=GETLOG_SENT)
    frames = station.trace.render(last=4)
    require_fields(request.payload, logType="SecurityLog", req=GETLOG_TYPE, frames=frames)
    log = request.get("log")
    location = log.get("remoteLocation") if isinstance(log, dict) else None
    require(
        isinstance(location, str) and "://" in location,
        req=GETLOG_LOCATION,
        expected="log.remoteLocation, a URL",
        actual=repr(location),
        frames=frames,
    )
    for status in ("Uploading", "Uploaded"):
        await log_status(station, status, request["requestId"], req=LOG_STATUS_ANSWERED)


# -- TC_086/087: TLS (§2.4, §2.5) ----------------------------------------------------------------
@oca(
    "TC_086_CSMS",
    "TLS - server-side certificate - Valid certificate",
    profile="advanced-security",
    versions=V16,
    kills=("tls-rsa-suites-missing-16",),
    own_connection=True,
    applies=tls_profile,
)
async def test_server_certificate(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_086_CSMS (1.6 SEC A00.FR.305/306, 312/313, 317, 502/503, 508, 510; steps after the 2.0.1
    twin TC_A_04_CSMS): the harness connects anew over TLS (Basic credentials under profile 2, its
    charge point certificate under 3; steps 1-6); checked: TLS 1.2 or above, the server
    certificate's key strong enough, with a serial number and the FQDN as CN (not checkable when the
    URL names an IP address), and a TLS 1.2 handshake with each of the four suites of A00.FR.317.
    Then BootNotification Accepted and the connectors Available (steps 7-10)."""
    link = await station.connect(req="1.6 SEC A00.FR.306: the Central System accepts TLS")
    obj = require_tls12(link, station, req="1.6 SEC A00.FR.312/313: TLS 1.2 or above")
    require_certificate_properties(peer_certificate(obj), station.base_url, station, server=True)
    await require_suites(
        station, req="1.6 SEC A00.FR.317: the Central System supports the four suites"
    )
    await station_booted(station, sut_profile)


@oca(
    "TC_087_CSMS",
    "TLS - Client-side certificate - valid certificate",
    profile="advanced-security",
    versions=V16,
    kills=("client-certificate-refused-16",),
    own_connection=True,
    applies=client_certificates,
)
async def test_client_certificate(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_087_CSMS (1.6 SEC A00.FR.401-403, 416; the 1.6 document is not public, steps after the
    2.0.1 twin TC_A_07_CSMS): the harness connects anew presenting its charge point certificate (CN
    its identity, O the CPO name; steps 1-6), which the Central System must accept (A00.FR.403);
    checked: TLS 1.2 or above and the four suites; then BootNotification Accepted (steps 7-8) and
    the connectors Available (steps 9-10)."""
    link = await station.connect(
        req="1.6 SEC A00.FR.403: the Central System accepts a valid charge point certificate"
    )
    require_tls12(link, station, req="1.6 SEC A00.FR.416: TLS 1.2 or above")
    await require_suites(
        station, req="1.6 SEC A00.FR.317: the Central System supports the four suites"
    )
    await station_booted(station, sut_profile)
