"""The firmware signing material of block L (harness/pki/firmware.py): the valid signing
certificate and signature pass a station's checks (L01.FR.04/12/21), each bad kind fails them for
the reason it stands for, the bad certificates are issued once and their keys are 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from harness.pki import (
    SIGNED_KINDS,
    ChainError,
    Pki,
    check_signed_firmware,
    ensure_pki,
    signed_firmware,
    verify_chain,
    verify_firmware,
)
from harness.pki.build import CODE_SIGNING
from harness.pki.firmware import (
    OTHER_PREFIX,
    expired_certificate,
    foreign_key_signature,
    untrusted_certificate,
    valid_signed,
    wrong_signature,
)
from harness.pki.keys import cert_pem

IMAGE = b"\x7fELF firmware image 1.2.3\x00" * 500


@pytest.fixture(scope="module", params=["ecdsa", "rsa"])
def pki(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Pki:
    algorithm = str(request.param)
    return ensure_pki(tmp_path_factory.mktemp(algorithm) / algorithm, algorithm=algorithm)


def root(pki: Pki) -> str:
    return pki.manufacturer_root.read_text()


def cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii"))


def test_valid_passes_both_checks(pki: Pki) -> None:
    good = valid_signed(pki, IMAGE)
    assert (good.kind, good.verdict, good.security_event) == ("valid", "Accepted", None)
    assert good.certificate == pki.firmware_signing.cert.read_text()
    check_signed_firmware(root(pki), good.certificate, IMAGE, good.signature)
    with pytest.raises(InvalidSignature):  # the signature covers the whole file (L01.FR.04)
        verify_firmware(good.certificate, IMAGE[:-1], good.signature)
    assert len(good.signature) <= 800  # firmware.signature string[0..800]
    assert len(good.certificate) <= 5500  # firmware.signingCertificate string[0..5500]


def test_wrong_signature_is_a_real_signature_of_other_bytes(pki: Pki) -> None:
    bad = wrong_signature(pki, IMAGE)
    assert (bad.verdict, bad.security_event) == ("InvalidSignature", "InvalidFirmwareSignature")
    verify_chain(bad.certificate, root(pki), purpose=CODE_SIGNING)  # the certificate is fine
    verify_firmware(bad.certificate, OTHER_PREFIX + IMAGE, bad.signature)  # a real signature
    with pytest.raises(InvalidSignature):
        check_signed_firmware(root(pki), bad.certificate, IMAGE, bad.signature)


def test_foreign_key_signature_does_not_verify_with_the_certificate(pki: Pki) -> None:
    bad = foreign_key_signature(pki, IMAGE)
    assert (bad.verdict, bad.security_event) == ("InvalidSignature", "InvalidFirmwareSignature")
    assert bad.certificate == pki.firmware_signing.cert.read_text()
    foreign = pki.bad_firmware_signing("unknown-ca").cert.read_text()
    verify_firmware(foreign, IMAGE, bad.signature)  # made by the other manufacturer's key
    with pytest.raises(InvalidSignature):
        check_signed_firmware(root(pki), bad.certificate, IMAGE, bad.signature)


def test_untrusted_certificate_fails_the_path_not_the_signature(pki: Pki) -> None:
    bad = untrusted_certificate(pki, IMAGE)
    assert (bad.verdict, bad.security_event) == (
        "InvalidCertificate",
        "InvalidFirmwareSigningCertificate",
    )
    verify_firmware(bad.certificate, IMAGE, bad.signature)
    leaf = cert(bad.certificate)
    assert leaf.issuer == pki.untrusted_root().cert.subject
    assert leaf.issuer != cert(root(pki)).subject
    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        CODE_SIGNING
    ]
    untrusted_root = cert_pem(pki.untrusted_root().cert).decode("ascii")
    verify_chain(bad.certificate, untrusted_root, purpose=CODE_SIGNING)
    with pytest.raises(ChainError, match="not a trusted root"):
        check_signed_firmware(root(pki), bad.certificate, IMAGE, bad.signature)


def test_expired_certificate_fails_on_its_validity(pki: Pki) -> None:
    bad = expired_certificate(pki, IMAGE)
    assert (bad.verdict, bad.security_event) == (
        "InvalidCertificate",
        "InvalidFirmwareSigningCertificate",
    )
    verify_firmware(bad.certificate, IMAGE, bad.signature)
    leaf = cert(bad.certificate)
    assert leaf.issuer == cert(root(pki)).subject  # the real manufacturer root
    assert leaf.subject == cert(pki.firmware_signing.cert.read_text()).subject
    with pytest.raises(ChainError, match="expired on"):
        check_signed_firmware(root(pki), bad.certificate, IMAGE, bad.signature)


def test_every_kind_by_name(pki: Pki) -> None:
    verdicts = {kind: signed_firmware(pki, IMAGE, kind).verdict for kind in SIGNED_KINDS}
    assert verdicts == {
        "valid": "Accepted",
        "wrong-signature": "InvalidSignature",
        "foreign-key": "InvalidSignature",
        "untrusted": "InvalidCertificate",
        "expired": "InvalidCertificate",
    }
    for kind in SIGNED_KINDS:
        made = signed_firmware(pki, IMAGE, kind)
        outcome = "Accepted"
        try:
            check_signed_firmware(root(pki), made.certificate, IMAGE, made.signature)
        except ChainError:
            outcome = "InvalidCertificate"
        except InvalidSignature:
            outcome = "InvalidSignature"
        assert outcome == made.verdict, kind
    with pytest.raises(ValueError, match="unknown signed firmware kind"):
        signed_firmware(pki, IMAGE, "revoked")
    with pytest.raises(ValueError, match="firmware signing certificate"):
        pki.bad_firmware_signing("wrong-cn")


def _key_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("firmware-signing-*"))}


def test_bad_signing_files_idempotent_and_keys_private(pki: Pki) -> None:
    for kind in SIGNED_KINDS:
        signed_firmware(pki, IMAGE, kind)
    bad = pki.directory / "bad"
    before = _key_files(bad)
    assert set(before) >= {
        "firmware-signing-expired.pem",
        "firmware-signing-expired.key",
        "firmware-signing-unknown-ca.pem",
        "firmware-signing-unknown-ca.key",
    }
    for kind in SIGNED_KINDS:
        signed_firmware(pki, IMAGE, kind)
    again = ensure_pki(pki.directory, algorithm=pki.algorithm)
    untrusted_certificate(again, IMAGE)
    assert _key_files(bad) == before
    for key in [*bad.glob("firmware-signing-*.key"), pki.firmware_signing.key]:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
    for made in (signed_firmware(pki, IMAGE, kind) for kind in SIGNED_KINDS):
        assert "PRIVATE KEY" not in made.certificate
        assert "PRIVATE KEY" not in repr(made)
