"""The harness PKI (harness/pki/): hierarchies of both key algorithms, files and their modes,
idempotent regeneration, the bad certificates, the CSR flow of A02/A03, CertificateHashData,
firmware signatures, a real mutual-TLS handshake with the generated files, and ``certs init``."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import socket
import ssl
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.cli import main as cli_main
from harness.pki import (
    BAD_KINDS,
    ChainError,
    CsrError,
    Issued,
    Pki,
    certificate_hash_data,
    ensure_pki,
    make_csr,
    sign_csr,
    sign_firmware,
    verify_chain,
)
from harness.pki.build import CertKey, leaf_certificate, leaf_key_usage
from harness.pki.keys import load_private_key
from harness.pki.store import save

ORG = "ocpp-harness CPO"
IDENTITY = "CS001"


@pytest.fixture(scope="module", params=["ecdsa", "rsa"])
def pki(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """One PKI per algorithm, shared by the module's read-only tests."""
    algorithm = str(request.param)
    return ensure_pki(tmp_path_factory.mktemp(algorithm) / algorithm, algorithm=algorithm)


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def ext(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> Any:
    return cert.extensions.get_extension_for_class(kind).value


def cn(cert: x509.Certificate) -> str:
    return str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def org(cert: x509.Certificate) -> str:
    return str(cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value)


def snapshot(directory: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in directory.rglob("*") if p.is_file()}


# -- hierarchy and files ---------------------------------------------------------------------


def test_files_are_pem_and_keys_are_0600(pki: Pki) -> None:
    pki.station(IDENTITY)
    names = {p.name for p in pki.directory.iterdir()}
    for expected in (
        "csms-root.pem",
        "csms-server.pem",
        "csms-server.key",
        "csms-server-chain.pem",
        "cpo-root.pem",
        "cpo-subca1.pem",
        "cpo-subca2.pem",
        "manufacturer-root.pem",
        "firmware-signing.pem",
        "firmware-signing.key",
        f"station-{IDENTITY}.pem",
        f"station-{IDENTITY}.key",
        f"station-{IDENTITY}-chain.pem",
        "README.txt",
    ):
        assert expected in names
    keys = list(pki.directory.rglob("*.key"))
    assert len(keys) >= 7
    for key in keys:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
        assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8
    readme = (pki.directory / "README.txt").read_text()
    assert "csms-root.pem" in readme
    assert "cpo-root.pem" in readme
    assert "PRIVATE" not in readme


def test_key_is_0600_under_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        pki = ensure_pki(tmp_path / "ecdsa")
    finally:
        os.umask(old)
    assert stat.S_IMODE(pki.csms_server.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(pki.csms_server.cert.stat().st_mode) == 0o644


def test_certificate_properties(pki: Pki) -> None:
    want_key = ec.EllipticCurvePublicKey if pki.algorithm == "ecdsa" else rsa.RSAPublicKey
    paths = [pki.directory / f"{n}.pem" for n in ("cpo-subca1", "cpo-subca2")]
    station = pki.station(IDENTITY)
    leaves = [pki.csms_server.cert, station.cert, pki.firmware_signing.cert]
    for path in [pki.csms_root, pki.cpo_root, pki.manufacturer_root, *paths, *leaves]:
        cert = load(path)
        assert isinstance(cert.public_key(), want_key)
        for kind in (
            x509.BasicConstraints,
            x509.KeyUsage,
            x509.SubjectKeyIdentifier,
            x509.AuthorityKeyIdentifier,
        ):
            ext(cert, kind)
        assert org(cert)  # A00.FR.509
        public = cert.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            assert public.key_size == 2048
            assert isinstance(cert.signature_algorithm_parameters, padding.PSS)
    assert ext(load(paths[0]), x509.BasicConstraints).path_length == 1
    assert ext(load(paths[1]), x509.BasicConstraints).path_length == 0

    server = load(pki.csms_server.cert)
    assert (cn(server), org(server)) == ("localhost", ORG)
    san = ext(server, x509.SubjectAlternativeName)
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert list(ext(server, x509.ExtendedKeyUsage)) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert not ext(server, x509.BasicConstraints).ca

    leaf = load(station.cert)
    assert (cn(leaf), org(leaf)) == (IDENTITY, ORG)
    assert list(ext(leaf, x509.ExtendedKeyUsage)) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    with pytest.raises(x509.ExtensionNotFound):
        ext(leaf, x509.SubjectAlternativeName)

    firmware = load(pki.firmware_signing.cert)
    assert firmware.issuer == load(pki.manufacturer_root).subject  # no intermediates
    usage = ext(firmware, x509.KeyUsage)
    assert usage.digital_signature
    assert not usage.key_cert_sign
    assert list(ext(firmware, x509.ExtendedKeyUsage)) == [ExtendedKeyUsageOID.CODE_SIGNING]


def test_chains_verify_against_their_roots(pki: Pki) -> None:
    station = pki.station(IDENTITY)
    chain = x509.load_pem_x509_certificates(station.chain.read_bytes())
    subcas = [load(pki.directory / f"cpo-subca{n}.pem") for n in (2, 1)]
    assert chain == [load(station.cert), *subcas]
    verify_chain(station.chain.read_text(), pki.cpo_root.read_text())
    verify_chain(
        station.chain.read_text(),
        pki.cpo_root.read_text(),
        purpose=ExtendedKeyUsageOID.CLIENT_AUTH,
    )
    verify_chain(pki.csms_server.chain.read_text(), pki.csms_root.read_text())
    with_root = station.chain.read_text() + pki.cpo_root.read_text()
    verify_chain(with_root, pki.cpo_root.read_text())  # a trailing root is ignored
    with pytest.raises(ChainError, match="not a trusted root"):
        verify_chain(station.chain.read_text(), pki.csms_root.read_text())
    broken = b"".join(
        c.public_bytes(serialization.Encoding.PEM) for c in (chain[0], chain[2])
    ).decode()
    with pytest.raises(ChainError, match="link 1"):  # Sub-CA 2 left out
        verify_chain(broken, pki.cpo_root.read_text())


def test_regeneration_keeps_valid_files_and_replaces_stale_ones(tmp_path: Path) -> None:
    directory = tmp_path / "ecdsa"
    pki = ensure_pki(directory)
    pki.station(IDENTITY)
    before = snapshot(directory)
    again = ensure_pki(directory)
    again.station(IDENTITY)
    assert snapshot(directory) == before
    assert again == pki

    pki.csms_server.cert.unlink()  # deleted: only the server certificate is made again
    ensure_pki(directory)
    after = snapshot(directory)
    changed = {p.name for p in before if before[p] != after.get(p)}
    assert changed == {"csms-server.pem", "csms-server.key", "csms-server-chain.pem"}
    verify_chain(pki.csms_server.chain.read_text(), pki.csms_root.read_text())

    manufacturer = CertKey(
        load(pki.manufacturer_root),
        load_private_key((directory / "manufacturer-root.key").read_bytes(), "test"),
    )
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    expired = leaf_certificate(
        load(pki.firmware_signing.cert).subject,
        key.public_key(),
        manufacturer,
        eku=[ExtendedKeyUsageOID.CODE_SIGNING],
        key_usage=leaf_key_usage(key.public_key(), tls_server=False),
        not_before=now - dt.timedelta(days=10),
        not_after=now - dt.timedelta(days=1),
    )
    save(directory, "firmware-signing", expired, key, intermediates=())  # a matching key
    assert load(pki.firmware_signing.cert) == expired
    before = snapshot(directory)
    ensure_pki(directory)
    after = snapshot(directory)
    changed = {p.name for p in before if before[p] != after.get(p)}
    assert changed == {"firmware-signing.pem", "firmware-signing.key", "firmware-signing-chain.pem"}
    assert load(pki.firmware_signing.cert).not_valid_after_utc > now

    other = ensure_pki(directory, csms_host="csms.example.org")  # another host: new server cert
    assert cn(load(other.csms_server.cert)) == "csms.example.org"
    assert load(other.csms_root) == load(pki.csms_root)


def test_a_regenerated_ca_regenerates_what_it_signed(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path / "ecdsa")
    old_station = pki.station(IDENTITY).cert.read_bytes()
    (tmp_path / "ecdsa" / "cpo-subca1.key").unlink()
    pki = ensure_pki(tmp_path / "ecdsa")
    station = pki.station(IDENTITY)
    assert station.cert.read_bytes() != old_station
    verify_chain(station.chain.read_text(), pki.cpo_root.read_text())


def test_concurrent_generation_gives_one_consistent_hierarchy(tmp_path: Path) -> None:
    directory = tmp_path / "ecdsa"
    results: list[Pki] = []

    def generate() -> None:
        pki = ensure_pki(directory)
        pki.station(IDENTITY)
        results.append(pki)

    threads = [threading.Thread(target=generate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 4
    pki = results[0]
    verify_chain(pki.station(IDENTITY).chain.read_text(), pki.cpo_root.read_text())
    verify_chain(pki.csms_server.chain.read_text(), pki.csms_root.read_text())
    assert not [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown key algorithm"):
        ensure_pki(tmp_path / "x", algorithm="dsa")
    pki = ensure_pki(tmp_path / "ecdsa")
    for identity in ("../etc", "10.0.0.1", "", "a b"):
        with pytest.raises(ValueError, match="station identity"):
            pki.station(identity)
    with pytest.raises(ValueError, match="unknown bad certificate kind"):
        pki.bad_server("revoked")


# -- bad certificates ------------------------------------------------------------------------


def properties(cert: x509.Certificate) -> dict[str, object]:
    """What a bad certificate may differ in from the good one."""
    now = dt.datetime.now(dt.UTC)
    try:
        san: object = ext(cert, x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        san = None
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
    return {
        "cn": cn(cert),
        "o": org(cert),
        "san": san,
        "eku": list(ext(cert, x509.ExtendedKeyUsage)),
        "issuer": cert.issuer,
        "key": (type(public).__name__, public.key_size),
        "validity": cert.not_valid_before_utc <= now <= cert.not_valid_after_utc,
        "key_usage": ext(cert, x509.KeyUsage),
    }


DIFFERS = {
    "expired": {"validity"},
    "not-yet-valid": {"validity"},
    "wrong-cn": {"cn", "san"},  # the station certificate has no SAN: only its CN differs
    "unknown-ca": {"issuer"},
    "wrong-key-usage": {"eku"},
    "weak-key": {"key"},
}


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_each_bad_certificate_is_bad_in_exactly_its_way(pki: Pki, kind: str) -> None:
    pairs = [
        (pki.csms_server, pki.bad_server(kind), pki.csms_root),
        (pki.station(IDENTITY), pki.bad_station(kind, IDENTITY), pki.cpo_root),
    ]
    for good, bad, root in pairs:
        assert bad.cert.parent.name == "bad"
        assert stat.S_IMODE(bad.key.stat().st_mode) == 0o600
        g, b = properties(load(good.cert)), properties(load(bad.cert))
        differs = {k for k in g if g[k] != b[k]}
        if kind == "weak-key" and pki.algorithm == "ecdsa":
            differs.discard("key_usage")  # an RSA server key also has keyEncipherment
        assert differs == DIFFERS[kind] - ({"san"} if g["san"] is None else set()), (
            good,
            differs,
        )
        now = dt.datetime.now(dt.UTC)
        bad_cert = load(bad.cert)
        if kind == "expired":
            assert bad_cert.not_valid_after_utc < now
        elif kind == "not-yet-valid":
            assert bad_cert.not_valid_before_utc > now
        elif kind == "weak-key":
            assert b["key"] == ("RSAPublicKey", 1024)
        chain, trusted = bad.chain.read_text(), root.read_text()
        if kind == "wrong-cn":
            verify_chain(chain, trusted)  # a valid path: only the name is wrong
        elif kind == "wrong-key-usage":
            verify_chain(chain, trusted)
            purpose = next(iter(ext(load(good.cert), x509.ExtendedKeyUsage)))
            with pytest.raises(ChainError, match="may not be used"):
                verify_chain(chain, trusted, purpose=purpose)
        else:
            with pytest.raises(ChainError):
                verify_chain(chain, trusted)
    # asked again: the same files
    again = pki.bad_server(kind)
    assert again.cert.read_bytes() == pairs[0][1].cert.read_bytes()


def test_unknown_ca_message_names_the_link(pki: Pki) -> None:
    bad = pki.bad_station("unknown-ca", IDENTITY)
    with pytest.raises(ChainError, match=r"link 1: 'CN=CS001.*Untrusted Root CA.*not a trusted"):
        verify_chain(bad.chain.read_text(), pki.cpo_root.read_text())


# -- CSR flow (A02/A03) ----------------------------------------------------------------------


def test_sign_csr_round_trip(pki: Pki) -> None:
    csr, key_pem = make_csr(None, "CS042", ORG, algorithm=pki.algorithm)
    assert b"PRIVATE KEY" in key_pem
    chain_pem = sign_csr(pki, csr, days=30)
    verify_chain(chain_pem, pki.cpo_root.read_text(), purpose=ExtendedKeyUsageOID.CLIENT_AUTH)
    chain = x509.load_pem_x509_certificates(chain_pem.encode())
    assert len(chain) == 3
    leaf = chain[0]
    assert (cn(leaf), org(leaf)) == ("CS042", ORG)
    assert list(ext(leaf, x509.ExtendedKeyUsage)) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    key = load_private_key(key_pem, "test")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert leaf.public_key().public_bytes(serialization.Encoding.DER, public) == (
        key.public_key().public_bytes(serialization.Encoding.DER, public)
    )
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc <= dt.timedelta(days=31)
    again, _ = make_csr(key_pem, "CS042", ORG)  # the same key, a new CSR
    assert x509.load_pem_x509_csr(again.encode()).public_key() == key.public_key()


def test_sign_csr_refuses_a_broken_signature(pki: Pki) -> None:
    csr, _ = make_csr(None, "CS042", ORG)
    der = bytearray(x509.load_pem_x509_csr(csr.encode()).public_bytes(serialization.Encoding.DER))
    der[-3] ^= 0x01  # inside the signature
    broken = (
        "-----BEGIN CERTIFICATE REQUEST-----\n"
        + base64.encodebytes(bytes(der)).decode()
        + "-----END CERTIFICATE REQUEST-----\n"
    )
    with pytest.raises(CsrError, match="signature"):
        sign_csr(pki, broken)
    with pytest.raises(CsrError, match="not a PEM"):
        sign_csr(pki, "hello")
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    weak_pem = weak.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    weak_csr, _ = make_csr(weak_pem, "CS042", ORG)
    with pytest.raises(CsrError, match="1024 bits"):
        sign_csr(pki, weak_csr)


# -- CertificateHashData ---------------------------------------------------------------------


def test_certificate_hash_data_matches_an_independent_computation(pki: Pki) -> None:
    station = pki.station(IDENTITY)
    issuer_path = pki.directory / "cpo-subca2.pem"
    leaf, issuer = load(station.cert), load(issuer_path)
    public = issuer.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        key_bits = public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    else:
        key_bits = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    want = {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": hashlib.sha256(issuer.subject.public_bytes()).hexdigest(),
        "issuerKeyHash": hashlib.sha256(key_bits).hexdigest(),
        "serialNumber": format(leaf.serial_number, "x"),
    }
    got = certificate_hash_data(station.cert.read_text(), issuer_path.read_bytes())
    assert got == want
    assert got["serialNumber"] == got["serialNumber"].lower().lstrip("0")
    assert len(got["serialNumber"]) <= 40

    request = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA256()).build()
    assert request.issuer_name_hash.hex() == got["issuerNameHash"]
    assert request.issuer_key_hash.hex() == got["issuerKeyHash"]
    assert request.serial_number == int(got["serialNumber"], 16)

    sha384 = certificate_hash_data(
        station.cert.read_text(), issuer_path.read_text(), algorithm="SHA384"
    )
    assert sha384["issuerNameHash"] == hashlib.sha384(issuer.subject.public_bytes()).hexdigest()
    with pytest.raises(ValueError, match="not the issuer"):
        certificate_hash_data(station.cert.read_text(), pki.cpo_root.read_text())


# -- firmware signature (L01) ----------------------------------------------------------------


def test_sign_firmware_verifies_with_the_signing_certificate(pki: Pki) -> None:
    data = b"firmware image\x00" * 1000
    signature = base64.b64decode(sign_firmware(pki, data))
    public = load(pki.firmware_signing.cert).public_key()

    def check(payload: bytes) -> None:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, payload, ec.ECDSA(hashes.SHA256()))
        else:
            assert isinstance(public, rsa.RSAPublicKey)
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
            public.verify(signature, payload, pss, hashes.SHA256())

    check(data)
    with pytest.raises(InvalidSignature):
        check(data[:-1] + b"\x01")


# -- TLS handshake with the files ------------------------------------------------------------


@dataclass
class Handshake:
    client_error: BaseException | None = None
    server_error: BaseException | None = None
    peer_cn: str | None = None


def handshake(server: ssl.SSLContext, client: ssl.SSLContext, hostname: str) -> Handshake:
    result = Handshake()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        port = listener.getsockname()[1]

        def serve() -> None:
            try:
                conn, _ = listener.accept()
                conn.settimeout(5)
                with server.wrap_socket(conn, server_side=True) as tls:
                    peer = tls.getpeercert(binary_form=True)
                    result.peer_cn = cn(x509.load_der_x509_certificate(peer)) if peer else None
                    tls.sendall(b"ok")
            except (OSError, ssl.SSLError) as exc:
                result.server_error = exc

        thread = threading.Thread(target=serve)
        thread.start()
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
                client.wrap_socket(raw, server_hostname=hostname) as tls,
            ):
                assert tls.recv(2) == b"ok"
        except (OSError, ssl.SSLError) as exc:
            result.client_error = exc
        finally:
            thread.join(10)
    return result


def contexts(pki: Pki, server: Issued, station: Issued) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.cpo_root))
    server_ctx.verify_mode = ssl.CERT_REQUIRED
    server_ctx.load_cert_chain(str(server.chain), str(server.key))
    client_ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    client_ctx.load_verify_locations(cafile=str(pki.csms_root))
    client_ctx.load_cert_chain(str(station.chain), str(station.key))
    return server_ctx, client_ctx


@pytest.mark.parametrize("hostname", ["127.0.0.1", "localhost"])
def test_mutual_tls_handshake_with_the_generated_files(pki: Pki, hostname: str) -> None:
    server_ctx, client_ctx = contexts(pki, pki.csms_server, pki.station(IDENTITY))
    result = handshake(server_ctx, client_ctx, hostname)
    assert result.client_error is None, result
    assert result.server_error is None, result
    assert result.peer_cn == IDENTITY


@pytest.mark.parametrize("kind", ["unknown-ca", "wrong-cn", "wrong-key-usage", "expired"])
def test_a_station_refuses_a_bad_server_certificate(pki: Pki, kind: str) -> None:
    server_ctx, client_ctx = contexts(pki, pki.bad_server(kind), pki.station(IDENTITY))
    result = handshake(server_ctx, client_ctx, "localhost")
    assert isinstance(result.client_error, ssl.SSLCertVerificationError), result


def test_a_csms_refuses_a_station_certificate_of_an_unknown_ca(pki: Pki) -> None:
    bad = pki.bad_station("unknown-ca", IDENTITY)
    server_ctx, client_ctx = contexts(pki, pki.csms_server, bad)
    result = handshake(server_ctx, client_ctx, "localhost")
    assert isinstance(result.server_error, ssl.SSLError), result
    assert result.peer_cn is None


# -- ocpp-harness certs init -----------------------------------------------------------------


def test_cli_certs_init_writes_then_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "certs"
    argv = ["certs", "init", str(target), "--algorithm", "ecdsa", "--identity", "CS7"]
    assert cli_main([*argv, "--identity", "CS8"]) == 0
    out = capsys.readouterr().out
    assert "PRIVATE KEY" not in out
    assert f"written {target / 'ecdsa' / 'csms-root.pem'}" in out
    assert f"written {target / 'ecdsa' / 'station-CS8-chain.pem'}" in out
    assert "CSMSRootCertificate" in out
    assert str(target / "ecdsa" / "cpo-root.pem") in out
    assert (target / "ecdsa" / "bad" / "csms-server-expired.pem").is_file()
    assert not (target / "rsa").exists()
    assert cli_main(argv) == 0
    out = capsys.readouterr().out
    assert "written" not in out
    assert f"kept    {target / 'ecdsa' / 'station-CS7.key'}" in out
    assert "PRIVATE KEY" not in out
    assert cli_main(["certs", "init", str(target), "--identity", "10.1.1.1"]) == 2
    assert "IP address" in capsys.readouterr().err


def test_linked_csms_root_is_a_ca_signed_by_the_csms_root(pki: Pki) -> None:
    """M05.FR.10-12 (TC_M_09/30/31_CS): the second CSMS root is a CA certificate of a key of its
    own, issued by the first; its server certificate chains up to it; both keys 0600; asking
    again gives the same files."""
    first = x509.load_pem_x509_certificate(pki.csms_root.read_bytes())
    path = pki.linked_csms_root()
    linked = x509.load_pem_x509_certificate(path.read_bytes())
    linked.verify_directly_issued_by(first)
    assert linked.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert linked.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != first.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    server = pki.linked_csms_server()
    chain = x509.load_pem_x509_certificates(server.chain.read_bytes())
    chain[0].verify_directly_issued_by(linked)
    assert chain[-1] == linked
    for key in (path.with_name("csms-root-2.key"), server.key):
        if key.exists():
            assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert pki.linked_csms_root().read_bytes() == path.read_bytes()
