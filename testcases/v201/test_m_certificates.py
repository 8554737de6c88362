"""OCA block M (certificate management), the rows without ISO 15118, OCPP 2.0.1 and 2.1, both
roles: install a CA certificate (M05), retrieve the installed ones (M03), delete one (M04).
Steps and criteria in our own words after OCPP 2.0.1 Part 6: TC_M_01/02/07/12/13/17-20/22/23
_CS and TC_M_01/02/05/13/18-21 _CSMS.

With a station under test, the "configured new" roots the harness installs come from a PKI of
the session's own (a temporary directory, :func:`harness.pki.ensure_pki`), never from the TLS
set-up: so a case can install and delete them without touching the CSMS root the station's
connection relies on. Whatever a case installs it deletes again at its end (beyond the OCA:
the next case finds the station's store as it was). A station with AdditionalRootCertificateCheck
(PICS AS-2) takes a new CSMS root only when its current one signed it (M05.FR.10/11): there the
new CSMS root is the harness TLS PKI's second root, signed by the CSMS root of the TLS set-up
(the OCA's note on TC_M_01_CS: a custom CSMSRootCertificate)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require, require_fields
from harness.config import SutProfile
from harness.peers.exchange import CallOutcome, InboundCall
from harness.pki import Pki, certificate_hash_data, ensure_pki
from harness.verdicts import HarnessError, Inconclusive, SutFailure
from testcases.v201.cert_checks import hash_data_of, made_up_hash_data, normalized_hash_data
from testcases.v201.tls_checks import client_certificates, peer_certificate, ssl_object

V2 = ("2.0.1", "2.1")
CSMS_ROOT = "CSMSRootCertificate"
MANUFACTURER_ROOT = "ManufacturerRootCertificate"
MO_ROOT = "MORootCertificate"
HASH_ALGORITHMS = ("SHA256", "SHA384", "SHA512")

INSTALLED = "M05.FR.02: the installation is Accepted"
FOUND = "M03.FR.03: Accepted when a certificate of the type is installed"
LISTED = "M03.FR.04: the hash data of each matching installed certificate"
ONLY_TYPE = "M03.FR.04: only certificates of the requested type"
ANSWERED = "M03.FR.01: GetInstalledCertificateIds answered"


@dataclass(frozen=True)
class Roots:
    """The certificates the harness installs in a station under test: new roots (not the ones
    of the TLS set-up), an expired certificate and one from a root nobody installed."""

    pki: Pki
    #: With AdditionalRootCertificateCheck (AS-2): the TLS PKI whose CSMS root the station has.
    linked: Pki | None = None

    def pem(self, kind: str) -> str:
        if kind == CSMS_ROOT and self.linked is not None:  # M05.FR.10: signed by the old root
            return self.linked.linked_csms_root().read_text()
        path = self.pki.csms_root if kind == CSMS_ROOT else self.pki.manufacturer_root
        return path.read_text()

    def issuer(self, pem: str) -> str:
        """The issuer (PEM) of a certificate :meth:`pem` gave: itself, but for a linked root."""
        if self.linked is not None and pem == self.linked.linked_csms_root().read_text():
            return self.linked.csms_root.read_text()
        return pem

    def expired(self) -> tuple[str, str]:
        """An expired certificate (a CSMS server certificate) and its issuer, as PEM."""
        return self.pki.bad_server("expired").cert.read_text(), self.pki.csms_root.read_text()

    def unknown(self) -> str:
        """A root the station has never been given."""
        self.pki.untrusted_root()
        return (self.pki.directory / "bad" / "untrusted-root.pem").read_text()


@pytest.fixture(scope="session")
def roots_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return ensure_pki(Path(tmp_path_factory.mktemp("oca-block-m")) / "ecdsa")


@pytest.fixture
def roots(roots_pki: Pki, csms: CsmsPeer, sut_profile: SutProfile) -> Roots:
    """The new roots; for a station with AdditionalRootCertificateCheck (AS-2) the new CSMS
    root is signed by the CSMS root of the harness TLS PKI (M05.FR.10)."""
    tls = csms.tls.pki if csms.tls is not None else None
    linked = tls if "AS-2" in sut_profile.sut.features else None
    return Roots(roots_pki, linked)


# -- hash data ---------------------------------------------------------------------------------
def _is(data: Any, pem: str, issuer: str) -> bool:
    """Whether ``data`` is the hash data of ``pem`` (issued by ``issuer``), in the hashAlgorithm
    it names."""
    algorithm = data.get("hashAlgorithm") if isinstance(data, dict) else None
    if algorithm not in HASH_ALGORITHMS:
        return False
    return normalized_hash_data(data) == normalized_hash_data(
        certificate_hash_data(pem, issuer, algorithm=algorithm)
    )


def _chain(outcome: CallOutcome) -> list[dict[str, Any]]:
    chain = outcome.get("certificateHashDataChain") or []
    return [entry for entry in chain if isinstance(entry, dict)]


def _listed(outcome: CallOutcome, kind: str, pem: str, issuer: str | None = None) -> bool:
    return any(
        entry.get("certificateType") == kind
        and _is(entry.get("certificateHashData"), pem, issuer or pem)
        for entry in _chain(outcome)
    )


# -- charging station under test ---------------------------------------------------------------
async def _get(csms: CsmsPeer, kinds: list[str] | None) -> CallOutcome:
    """GetInstalledCertificateIds for ``kinds`` (None: certificateType omitted), answered
    with a CALLRESULT (M03.FR.01)."""
    fields: dict[str, Any] = {} if kinds is None else {"certificate_type": kinds}
    return (await csms.call("GetInstalledCertificateIds", req=ANSWERED, **fields)).must()


async def _require_listed(
    csms: CsmsPeer,
    kinds: list[str] | None,
    wanted: dict[str, str],
    issuer: Callable[[str], str] | None = None,
) -> CallOutcome:
    """Reusable state GetInstalledCertificates: Accepted (M03.FR.03) with an entry of each
    ``wanted`` type carrying the hash data of its certificate (M03.FR.04); when types are asked
    for, no entry of another type (M03.FR.04: the matching certificates)."""
    outcome = await _get(csms, kinds)
    outcome.must(status="Accepted", req=FOUND)
    for kind, pem in wanted.items():
        require(
            _listed(outcome, kind, pem, issuer(pem) if issuer else None),
            req=LISTED,
            expected=f"an entry of type {kind} with the hash data of the certificate installed",
            actual=repr(_chain(outcome)),
            frames=outcome.frames,
        )
    others = [
        e.get("certificateType")
        for e in _chain(outcome)
        if kinds and e.get("certificateType") not in kinds
    ]
    require(
        not others,
        req=ONLY_TYPE,
        expected=f"entries of type {' or '.join(kinds or [])} only",
        actual=f"also {', '.join(map(str, others))}",
        frames=outcome.frames,
    )
    return outcome


async def _delete(csms: CsmsPeer, data: dict[str, Any], *, req: str) -> CallOutcome:
    return await csms.call("DeleteCertificate", certificate_hash_data=data, req=req)


async def _install(csms: CsmsPeer, kind: str, pem: str) -> None:
    """Memory/reusable state CertificateInstalled: InstallCertificate Accepted (M05.FR.02)."""
    result = await csms.call("InstallCertificate", certificate_type=kind, certificate=pem)
    result.must(status="Accepted", req=INSTALLED)


async def _remove(csms: CsmsPeer, pem: str, issuer: str | None = None) -> None:
    """Beyond the OCA: delete what the case installed (its outcome is no verdict)."""
    with contextlib.suppress(SutFailure, HarnessError):
        await _delete(csms, certificate_hash_data(pem, issuer or pem), req="clean-up")


@contextlib.asynccontextmanager
async def _installed(csms: CsmsPeer, roots: Roots, *kinds: str) -> AsyncIterator[dict[str, str]]:
    """The new roots of ``kinds`` installed (Accepted), deleted again at the end."""
    done: dict[str, str] = {}
    try:
        for kind in kinds:
            done[kind] = roots.pem(kind)
            await _install(csms, kind, done[kind])
        yield done
    finally:
        for pem in done.values():
            await _remove(csms, pem, roots.issuer(pem))


async def _install_and_list(csms: CsmsPeer, roots: Roots, kind: str) -> None:
    """TC_M_01/02/12/13_CS: a new root of ``kind`` installed (Accepted, M05.FR.02), then listed
    by GetInstalledCertificateIds for ``kind`` (M03.FR.03/04)."""
    async with _installed(csms, roots, kind) as done:
        await _require_listed(csms, [kind], done, roots.issuer)


@oca(
    "TC_M_01_CS",
    "Install CA certificate - CSMSRootCertificate",
    profile="core",
    versions=V2,
    kills=("install-certificate-not-stored",),
)
async def test_install_csms_root(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_01_CS (M05): reusable state CertificateInstalled for CSMSRootCertificate, a new root
    ("Root 2"): InstallCertificate Accepted (step 1; M05.FR.01/02); reusable state
    GetInstalledCertificates for CSMSRootCertificate: Accepted with an entry of that type
    carrying the new root's hash data (step 2; M03.FR.03/04). For a station with
    AdditionalRootCertificateCheck true (AS-2) the OCA's custom root: one signed by the CSMS
    root of the harness TLS PKI (M05.FR.10/12), its hash data taken with that root as issuer."""
    await _install_and_list(csms, roots, CSMS_ROOT)


@oca(
    "TC_M_02_CS",
    "Install CA certificate - ManufacturerRootCertificate",
    profile="core",
    versions=V2,
    kills=("install-certificate-not-stored",),
)
async def test_install_manufacturer_root(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_02_CS (M05): as TC_M_01_CS for a new ManufacturerRootCertificate: InstallCertificate
    Accepted (step 1; M05.FR.01/02), then listed with its hash data (step 2; M03.FR.03/04)."""
    await _install_and_list(csms, roots, MANUFACTURER_ROOT)


@oca(
    "TC_M_12_CS",
    "Retrieve certificates from Charging Station - CSMSRootCertificate",
    profile="core",
    versions=V2,
    kills=("install-certificate-not-stored", "installed-certificates-ignore-type"),
)
async def test_get_csms_roots(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_12_CS (M03): memory state CertificateInstalled for CSMSRootCertificate (Accepted,
    M05.FR.02); GetInstalledCertificateIds for CSMSRootCertificate (step 1) is Accepted
    (M03.FR.03) with the installed root's hash data (M03.FR.04), and no entry of another type
    (M03.FR.04: the hash data of the matching certificates)."""
    await _install_and_list(csms, roots, CSMS_ROOT)


@oca(
    "TC_M_13_CS",
    "Retrieve certificates from Charging Station - ManufacturerRootCertificate",
    profile="core",
    versions=V2,
    kills=("install-certificate-not-stored", "installed-certificates-ignore-type"),
)
async def test_get_manufacturer_roots(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_13_CS (M03): as TC_M_12_CS for ManufacturerRootCertificate (memory state, step 1;
    M03.FR.03/04)."""
    await _install_and_list(csms, roots, MANUFACTURER_ROOT)


@oca(
    "TC_M_07_CS",
    "Install CA certificate - Rejected - Certificate invalid",
    profile="core",
    versions=V2,
    kills=("install-certificate-accepts-invalid",),
)
async def test_install_invalid_certificate(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_07_CS (M05): InstallCertificate of an expired certificate as CSMSRootCertificate
    (step 1) is Rejected (step 2; M05.FR.07); GetInstalledCertificateIds for
    CSMSRootCertificate (step 3) lists no entry with its hash data (step 4). Deviation: step 4
    also asks for Accepted, which needs some CSMS root installed (security profile 2 or 3);
    the harness runs without TLS too, so NotFound (nothing installed, so not the rejected
    certificate either) is taken as well."""
    pem, issuer = roots.expired()
    result = await csms.call("InstallCertificate", certificate_type=CSMS_ROOT, certificate=pem)
    try:
        result.must(status="Rejected", req="M05.FR.07: an invalid certificate is Rejected")
        outcome = await _get(csms, [CSMS_ROOT])
        require(
            not _listed(outcome, CSMS_ROOT, pem, issuer),
            req="M05.FR.07: the rejected certificate is not installed",
            expected="no entry with the expired certificate's hash data",
            actual=repr(_chain(outcome)),
            frames=outcome.frames,
        )
    finally:
        if result.get("status") == "Accepted":
            await _remove(csms, pem, issuer)


@oca(
    "TC_M_17_CS",
    "Retrieve certificates from Charging Station - CSMSRootCertificate & "
    "ManufacturerRootCertificate",
    profile="core",
    versions=V2,
    kills=("install-certificate-not-stored", "installed-certificates-one-type"),
)
async def test_get_both_roots(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_17_CS (M03): memory state CertificateInstalled for CSMSRootCertificate and for
    ManufacturerRootCertificate (both Accepted, M05.FR.02); GetInstalledCertificateIds for
    both types (step 1) is Accepted (M03.FR.03) with an entry of each carrying its root's
    hash data (M03.FR.04) and no entry of a third type."""
    async with _installed(csms, roots, CSMS_ROOT, MANUFACTURER_ROOT) as done:
        await _require_listed(csms, [CSMS_ROOT, MANUFACTURER_ROOT], done, roots.issuer)


@oca(
    "TC_M_18_CS",
    "Retrieve certificates from Charging Station - All certificateTypes",
    profile="core",
    versions=V2,
    kills=("install-certificate-not-stored",),
)
async def test_get_all_types(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_18_CS (M03): memory state as TC_M_17_CS; GetInstalledCertificateIds with
    certificateType omitted (step 1) is Accepted (step 2; M03.FR.03) with an entry of type
    CSMSRootCertificate and one of ManufacturerRootCertificate, each with the hash data of the
    root installed (M03.FR.04), in any order."""
    async with _installed(csms, roots, CSMS_ROOT, MANUFACTURER_ROOT) as done:
        await _require_listed(csms, None, done, roots.issuer)


@oca(
    "TC_M_19_CS",
    "Retrieve certificates from Charging Station - No matching certificate found",
    profile="core",
    versions=V2,
    kills=("installed-certificates-ignore-type",),
)
async def test_get_none_found(csms: CsmsPeer) -> None:
    """TC_M_19_CS (M03): configuration state: no MORootCertificate installed (the harness asks
    for them and deletes every one listed); GetInstalledCertificateIds for MORootCertificate
    (step 1) is NotFound (step 2; M03.FR.02) without certificateHashDataChain. The MO roots
    deleted in preparation cannot be put back (the harness does not have them), as in the OCA."""
    before = await _get(csms, [MO_ROOT])
    for entry in _chain(before):
        if entry.get("certificateType") == MO_ROOT:
            await _delete(csms, entry.get("certificateHashData", {}), req="preparation")
    outcome = await _get(csms, [MO_ROOT])
    outcome.must(
        status="NotFound", req="M03.FR.02: NotFound when no certificate of the type is installed"
    )
    require(
        "certificateHashDataChain" not in outcome.payload,
        req="M03.FR.02: NotFound when no certificate of the type is installed",
        expected="certificateHashDataChain omitted",
        actual=repr(outcome.get("certificateHashDataChain")),
        frames=outcome.frames,
    )


@oca(
    "TC_M_20_CS",
    "Delete a certificate from a Charging Station - Success",
    profile="core",
    versions=V2,
    kills=("delete-certificate-not-deleted",),
)
async def test_delete_certificate(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_20_CS (M04): GetInstalledCertificateIds for CSMSRootCertificate lists the
    certificate to delete (step 1, its validation); DeleteCertificate with the hash data the
    station reported for it (step 2) is Accepted (step 3; M04.FR.02); a second
    GetInstalledCertificateIds no longer lists it (step 4; M04.FR.02). Deviation: the
    certificate deleted is a new root the harness installs first (the OCA's reusable state
    CertificateInstalled, which it runs only when none is listed), never the CSMS root the
    station's TLS connection relies on."""
    async with _installed(csms, roots, CSMS_ROOT) as done:
        pem = done[CSMS_ROOT]
        listed = await _require_listed(csms, [CSMS_ROOT], done, roots.issuer)
        data = next(
            e["certificateHashData"]
            for e in _chain(listed)
            if _is(e.get("certificateHashData"), pem, roots.issuer(pem))
        )
        result = await _delete(csms, data, req="M04.FR.01: DeleteCertificate answered")
        result.must(status="Accepted", req="M04.FR.02: the certificate found is deleted, Accepted")
        after = await _get(csms, [CSMS_ROOT])
        require(
            not _listed(after, CSMS_ROOT, pem, roots.issuer(pem)),
            req="M04.FR.02: the deleted certificate is no longer installed",
            expected="no entry with the deleted certificate's hash data",
            actual=repr(_chain(after)),
            frames=after.frames,
        )


@oca(
    "TC_M_22_CS",
    "Delete a certificate from a Charging Station - No matching certificate found",
    profile="core",
    versions=V2,
    kills=("delete-certificate-always-accepted",),
)
async def test_delete_unknown_certificate(csms: CsmsPeer, roots: Roots) -> None:
    """TC_M_22_CS (M04): GetInstalledCertificateIds for CSMSRootCertificate (step 1, answered:
    M03.FR.01); DeleteCertificate with the hash data of a certificate never installed (a root
    of the harness's own that nobody was given, step 2) is NotFound (step 3; M04.FR.04)."""
    await _get(csms, [CSMS_ROOT])
    unknown = roots.unknown()
    result = await _delete(
        csms, certificate_hash_data(unknown, unknown), req="M04.FR.01: DeleteCertificate answered"
    )
    result.must(
        status="NotFound", req="M04.FR.04: NotFound for a certificate that is not installed"
    )


def _station_certificate(csms: CsmsPeer) -> tuple[str, str]:
    """The certificate the station presents in its TLS connection and its issuer (the harness
    PKI's Sub-CA 2), as PEM; INCONCLUSIVE when either is not at hand."""
    obj = ssl_object(csms.link) if csms.link is not None else None
    cert = peer_certificate(obj) if obj is not None else None
    if cert is None:
        raise Inconclusive("precondition: the station presents no certificate in its connection")
    for pki in csms.tls.pkis if csms.tls is not None else ():
        issuer = pki.sub_cas()[0].cert
        if issuer.subject == cert.issuer:
            pem = serialization.Encoding.PEM
            return cert.public_bytes(pem).decode(), issuer.public_bytes(pem).decode()
    raise Inconclusive(
        "precondition: the station certificate's issuer is not in the harness PKI "
        f"({cert.issuer.rfc4514_string()}), so its hash data cannot be computed"
    )


@oca(
    "TC_M_23_CS",
    "Delete a certificate from a Charging Station - Unable to delete the Charging Station "
    "Certificate",
    profile="advanced-security",
    versions=V2,
    kills=("delete-certificate-always-accepted",),
    applies=client_certificates,
)
async def test_delete_station_certificate(csms: CsmsPeer) -> None:
    """TC_M_23_CS (M04), security profile 3: GetInstalledCertificateIds with certificateType
    omitted (step 1, answered: M03.FR.01); DeleteCertificate with the hash data of the
    station's own certificate (step 2) is NotFound or Failed (step 3; M04.FR.06). Deviation:
    the OCA first renews the station certificate (reusable state
    RenewChargingStationCertificate, A02); the harness takes the certificate the station
    presents in its current TLS connection, with its issuer from the harness PKI."""
    pem, issuer = _station_certificate(csms)
    await _get(csms, None)
    result = await _delete(
        csms, certificate_hash_data(pem, issuer), req="M04.FR.01: DeleteCertificate answered"
    )
    status = result.must(req="M04.FR.01: DeleteCertificate answered").get("status")
    require(
        status in ("NotFound", "Failed"),
        req="M04.FR.06: the Charging Station certificate is not deleted",
        expected="NotFound or Failed",
        actual=repr(status),
        frames=result.frames,
    )


# -- CSMS under test ------------------------------------------------------------------------------
async def _csms_installs(
    station: StationPeer, sut: SutActions, kind: str, answer: str = "Accepted"
) -> str:
    """Reusable state CertificateInstalled (CSMS): the operator has the CSMS install a root of
    ``kind`` (action ``install_certificate``); InstallCertificateRequest with that
    certificateType and a PEM X.509 certificate (the tool validations), answered ``answer``.
    The PEM sent."""
    station.hold("InstallCertificate")
    await sut.install_certificate(kind)
    request = await station.expect(
        "InstallCertificate", req="M05: the CSMS sends InstallCertificateRequest"
    )
    await request.reply(status=answer)
    frames = station.trace.render(last=6)
    require_fields(
        request.payload,
        certificateType=kind,
        req="M05: certificateType is the one asked for",
        frames=frames,
    )
    pem = str(request.get("certificate", ""))
    try:
        x509.load_pem_x509_certificate(pem.encode())
        readable = ""
    except ValueError as exc:
        readable = str(exc)
    require(
        not readable,
        req="M05: certificate is a PEM encoded X.509 certificate",
        expected="a PEM X.509 certificate",
        actual=f"{pem[:60]!r}... ({readable})",
        frames=frames,
    )
    return pem


async def _csms_asks_installed(
    station: StationPeer, sut: SutActions, kind: str | None
) -> InboundCall:
    """The operator has the CSMS ask for the installed certificates of ``kind`` (None: every
    type; action ``get_installed_certificate_ids``); GetInstalledCertificateIdsRequest with
    certificateType [kind], or omitted (the tool validation). Not yet answered."""
    station.hold("GetInstalledCertificateIds")
    await sut.get_installed_certificate_ids(kind or "all")
    request = await station.expect(
        "GetInstalledCertificateIds",
        req="M03: the CSMS sends GetInstalledCertificateIdsRequest",
    )
    got = request.get("certificateType")
    if kind is None:
        require(
            not got,
            req="M03: certificateType is omitted",
            expected="certificateType omitted",
            actual=f"certificateType {got!r}",
            frames=station.trace.render(last=6),
        )
    else:
        require(
            got == [kind],
            req="M03: certificateType is the one asked for",
            expected=f"certificateType [{kind!r}]",
            actual=f"certificateType {got!r}",
            frames=station.trace.render(last=6),
        )
    return request


def _entry(kind: str, data: dict[str, str]) -> dict[str, Any]:
    return {"certificateType": kind, "certificateHashData": data}


async def _csms_deletes(
    station: StationPeer, sut: SutActions, pem: str, algorithm: str, answer: str
) -> None:
    """TC_M_20/21_CSMS: the operator has the CSMS delete the CSMSRootCertificate (action
    ``delete_certificate``); GetInstalledCertificateIdsRequest for CSMSRootCertificate or
    every type (the tool validation), answered Accepted with the installed root's hash data in
    ``algorithm``; DeleteCertificateRequest with exactly that hash data (the tool validation;
    M04.FR.07), answered ``answer``."""
    station.hold("GetInstalledCertificateIds", "DeleteCertificate")
    await sut.delete_certificate(CSMS_ROOT)
    request = await station.expect(
        "GetInstalledCertificateIds",
        req="M04: the CSMS asks for the installed certificates (GetInstalledCertificateIds)",
    )
    got = request.get("certificateType")
    require(
        not got or CSMS_ROOT in got,
        req="M04: certificateType contains CSMSRootCertificate or is omitted",
        expected=f"certificateType omitted or listing {CSMS_ROOT}",
        actual=f"certificateType {got!r}",
        frames=station.trace.render(last=6),
    )
    data = hash_data_of(pem, CSMS_ROOT, algorithm)
    await request.reply(status="Accepted", certificate_hash_data_chain=[_entry(CSMS_ROOT, data)])
    delete = await station.expect("DeleteCertificate", req="M04: the CSMS sends DeleteCertificate")
    await delete.reply(status=answer)
    sent = delete.get("certificateHashData")
    require(
        normalized_hash_data(sent) == normalized_hash_data(data),
        req="M04.FR.07: certificateHashData is the one the station reported",
        expected=f"certificateHashData {data}",
        actual=f"certificateHashData {sent}",
        frames=station.trace.render(last=8),
    )


@oca(
    "TC_M_01_CSMS",
    "Install CA certificate - CSMSRootCertificate",
    profile="core",
    versions=V2,
    kills=("csms-install-certificate-not-sent",),
)
async def test_csms_install_csms_root(station: StationPeer, sut: SutActions) -> None:
    """TC_M_01_CSMS (M05): reusable state CertificateInstalled for CSMSRootCertificate: the
    CSMS, asked by its operator, sends InstallCertificateRequest with certificateType
    CSMSRootCertificate and a certificate (step 1, the tool validations: the harness cannot
    know which root the CSMS is configured with, so it checks a PEM X.509 certificate comes),
    answered Accepted (step 2)."""
    await _csms_installs(station, sut, CSMS_ROOT)


@oca(
    "TC_M_02_CSMS",
    "Install CA certificate - ManufacturerRootCertificate",
    profile="core",
    versions=V2,
    kills=("csms-install-certificate-not-sent", "csms-install-wrong-type"),
)
async def test_csms_install_manufacturer_root(station: StationPeer, sut: SutActions) -> None:
    """TC_M_02_CSMS (M05): as TC_M_01_CSMS for ManufacturerRootCertificate (steps 1-2)."""
    await _csms_installs(station, sut, MANUFACTURER_ROOT)


@oca(
    "TC_M_05_CSMS",
    "Install CA certificate - Failed",
    profile="core",
    versions=V2,
    kills=("csms-install-certificate-not-sent",),
)
async def test_csms_install_failed(station: StationPeer, sut: SutActions) -> None:
    """TC_M_05_CSMS (M05): the CSMS sends InstallCertificateRequest for CSMSRootCertificate
    (step 1) and the harness answers Failed (step 2; M05.FR.03). The document has no tool
    validation: the request (its type and certificate checked as in TC_M_01_CSMS) and the
    connection staying usable (a Heartbeat is answered) are what is checked."""
    await _csms_installs(station, sut, CSMS_ROOT, answer="Failed")
    (await station.call("Heartbeat")).must(req="M05: the CSMS takes the Failed in its stride")


@oca(
    "TC_M_13_CSMS",
    "Retrieve certificates from Charging Station - ManufacturerRootCertificate",
    profile="core",
    versions=V2,
    kills=("csms-get-certificates-untyped",),
)
async def test_csms_get_manufacturer_roots(station: StationPeer, sut: SutActions) -> None:
    """TC_M_13_CSMS (M03): reusable state GetInstalledCertificates for
    ManufacturerRootCertificate: GetInstalledCertificateIdsRequest with certificateType
    [ManufacturerRootCertificate] (step 1, the tool validation), answered Accepted with the
    hash data of the harness station's manufacturer root (step 2)."""
    request = await _csms_asks_installed(station, sut, MANUFACTURER_ROOT)
    data = made_up_hash_data(MANUFACTURER_ROOT)
    await request.reply(
        status="Accepted", certificate_hash_data_chain=[_entry(MANUFACTURER_ROOT, data)]
    )


@oca(
    "TC_M_18_CSMS",
    "Retrieve certificates from Charging Station - All certificateTypes",
    profile="core",
    versions=V2,
    kills=("csms-get-certificates-typed",),
)
async def test_csms_get_all_types(station: StationPeer, sut: SutActions) -> None:
    """TC_M_18_CSMS (M03): GetInstalledCertificateIdsRequest with certificateType omitted
    (step 1, the tool validation), answered Accepted with the hash data of every root the
    harness station holds, a CSMSRootCertificate and a ManufacturerRootCertificate (step 2)."""
    request = await _csms_asks_installed(station, sut, None)
    chain = [_entry(kind, made_up_hash_data(kind)) for kind in (CSMS_ROOT, MANUFACTURER_ROOT)]
    await request.reply(status="Accepted", certificate_hash_data_chain=chain)


@oca(
    "TC_M_19_CSMS",
    "Retrieve certificates from Charging Station - No matching certificate found",
    profile="core",
    versions=V2,
    kills=("csms-get-certificates-untyped",),
)
async def test_csms_get_none_found(station: StationPeer, sut: SutActions) -> None:
    """TC_M_19_CSMS (M03): GetInstalledCertificateIdsRequest with certificateType
    [ManufacturerRootCertificate] (step 1, the tool validation), answered NotFound without
    certificateHashDataChain (step 2). Beyond the OCA: the connection stays usable (a
    Heartbeat is answered)."""
    request = await _csms_asks_installed(station, sut, MANUFACTURER_ROOT)
    await request.reply(status="NotFound")
    (await station.call("Heartbeat")).must(req="M03: the CSMS takes the NotFound in its stride")


@oca(
    "TC_M_20_CSMS",
    "Delete a certificate from a Charging Station - Success",
    profile="core",
    versions=V2,
    kills=("csms-delete-hash-swapped", "csms-delete-own-sha256"),
)
async def test_csms_delete_certificate(station: StationPeer, sut: SutActions) -> None:
    """TC_M_20_CSMS (M04), once for each hash algorithm, SHA256, SHA384 and SHA512: reusable
    state CertificateInstalled for CSMSRootCertificate (step 1, Accepted); the CSMS, asked to
    delete it, sends GetInstalledCertificateIdsRequest for CSMSRootCertificate or every type
    (step 2, the tool validation), answered Accepted with the root's hash data in that
    algorithm (step 3); then DeleteCertificateRequest with that very hash data (step 4, the
    tool validation; M04.FR.07: the station's hashAlgorithm), answered Accepted (step 5)."""
    for algorithm in HASH_ALGORITHMS:
        pem = await _csms_installs(station, sut, CSMS_ROOT)
        await _csms_deletes(station, sut, pem, algorithm, "Accepted")


@oca(
    "TC_M_21_CSMS",
    "Delete a certificate from a Charging Station - Failed",
    profile="core",
    versions=V2,
    kills=("csms-delete-hash-swapped",),
)
async def test_csms_delete_certificate_failed(station: StationPeer, sut: SutActions) -> None:
    """TC_M_21_CSMS (M04): reusable state CertificateInstalled for CSMSRootCertificate; the
    CSMS, asked to delete it, sends GetInstalledCertificateIdsRequest for CSMSRootCertificate
    or every type (step 1, the tool validation), answered Accepted with the root's SHA256 hash
    data (step 2); DeleteCertificateRequest with that hash data (step 3, the tool validation;
    M04.FR.07), answered Failed (step 4). Beyond the OCA: the connection stays usable (a
    Heartbeat is answered)."""
    pem = await _csms_installs(station, sut, CSMS_ROOT)
    await _csms_deletes(station, sut, pem, "SHA256", "Failed")
    (await station.call("Heartbeat")).must(req="M04: the CSMS takes the Failed in its stride")
