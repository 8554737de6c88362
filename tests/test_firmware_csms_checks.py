"""What the harness station checks of the signed firmware a CSMS under test sends
(testcases/v201/firmware_signing_checks.py): the signing certificate read as PEM X.509
(A00.FR.507) with its key and usages, loopback locations only, the image fetched over HTTP and
HTTPS from the firmware server, and a 404 or a foreign host refused."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding

from harness.firmware_server import FirmwareServer
from harness.pki import Pki, ensure_pki, signed_firmware
from testcases.v201.firmware_signing_checks import (
    FetchError,
    _dechunk,
    fetch,
    is_loopback,
    read_certificate,
    verify_firmware,
)

IMAGE = b"firmware under test " * 300


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return ensure_pki(tmp_path_factory.mktemp("ecdsa") / "ecdsa")


def test_the_firmware_signing_certificate_reads_as_one(pki: Pki) -> None:
    facts = read_certificate(pki.firmware_signing.cert.read_text())
    assert not facts.problem
    assert facts.key_kind == "EC"
    assert facts.key_bits >= 256
    assert not facts.key_too_small
    assert not facts.not_code_signing
    assert not facts.no_digital_signature
    assert not facts.expired_at(datetime.now(UTC))
    assert facts.not_after is not None
    assert facts.expired_at(facts.not_after + timedelta(days=1))


def test_a_server_certificate_is_not_for_code_signing(pki: Pki) -> None:
    facts = read_certificate(pki.csms_server.cert.read_text())
    assert not facts.problem
    assert facts.has_eku
    assert facts.not_code_signing


@pytest.mark.parametrize("text", [None, "", "MIIB...", "-----BEGIN CERTIFICATE-----\nAAAA\n"])
def test_what_is_not_a_pem_certificate(text: object) -> None:
    assert read_certificate(text).problem


def test_bare_der_is_not_pem(pki: Pki) -> None:
    pem = pki.firmware_signing.cert.read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
    assert read_certificate(base64.b64encode(der).decode()).problem == "no PEM certificate block"


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("https://127.0.0.1:8443/fw.bin", True),
        ("http://[::1]/fw.bin", True),
        ("http://localhost:80/a", True),
        ("https://firmware.example.com/fw.bin", False),
        ("ftp://127.0.0.1/fw.bin", False),
        ("http://10.0.0.1/fw.bin", False),
        ("not a url", False),
    ],
)
def test_only_loopback_locations_are_fetched(url: str, local: bool) -> None:
    assert is_loopback(url) is local


@pytest.mark.parametrize("tls", [False, True])
async def test_fetch_and_verify_over_http_and_https(pki: Pki, tls: bool) -> None:
    signed = signed_firmware(pki, IMAGE)
    async with FirmwareServer(tls=pki if tls else None) as server:
        url = server.serve("/fw/image.bin", IMAGE)
        assert url.startswith("https:" if tls else "http:")
        image = await fetch(url, timeout_s=5)
        with pytest.raises(FetchError, match="404"):
            await fetch(server.url("/fw/missing.bin"), timeout_s=5)
    assert image == IMAGE
    verify_firmware(signed.certificate, image, signed.signature)
    wrong = signed_firmware(pki, IMAGE, "wrong-signature")
    with pytest.raises(InvalidSignature):
        verify_firmware(wrong.certificate, image, wrong.signature)


async def test_a_truncated_download_and_a_foreign_host_are_refused(pki: Pki) -> None:
    async with FirmwareServer() as server:
        url = server.serve("/fw/image.bin", IMAGE)
        server.set_fault("/fw/image.bin", "truncated")
        with pytest.raises(FetchError, match="bytes"):
            await fetch(url, timeout_s=5)
    with pytest.raises(FetchError, match="not on this host"):
        await fetch("https://firmware.example.com/fw.bin", timeout_s=1)


def test_chunked_bodies_are_joined() -> None:
    assert _dechunk(b"4\r\nWiki\r\n5;x=1\r\npedia\r\n0\r\n\r\n") == b"Wikipedia"
