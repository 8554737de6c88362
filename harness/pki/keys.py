"""Key pairs and PEM files of the harness PKI: generation, loading, and writing that never widens
a private key's permissions.

* Key sizes follow the certificate properties (OCPP 2.0.1 Part 2 §1.4.1): RSA 2048 bits
  (A00.FR.502) or ECDSA on P-256 (A00.FR.503); a deliberately weak RSA 1024 key exists only for
  the negative cases that must be refused.
* A CA signs with ECDSA or RSA-PSS and hashes with SHA-256 (A00.FR.505/506).
* Certificates and keys are stored as PEM (A00.FR.507); private keys as unencrypted PKCS#8, each
  file created with mode 0600 (a new file, renamed over the old one) and never logged.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal, TypeAlias

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

PrivateKey: TypeAlias = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey: TypeAlias = ec.EllipticCurvePublicKey | rsa.RSAPublicKey
Algorithm: TypeAlias = Literal["ecdsa", "rsa"]

ALGORITHMS: tuple[Algorithm, ...] = ("ecdsa", "rsa")
RSA_BITS = 2048  # A00.FR.502
MIN_EC_BITS = 224  # A00.FR.503
WEAK_RSA_BITS = 1024  # below A00.FR.502: only for the weak-key negative case


def check_algorithm(algorithm: str) -> Algorithm:
    """``algorithm`` as an :data:`Algorithm`, or a ValueError naming the ones there are."""
    if algorithm == "ecdsa":
        return "ecdsa"
    if algorithm == "rsa":
        return "rsa"
    raise ValueError(f"unknown key algorithm {algorithm!r}: use one of {', '.join(ALGORITHMS)}")


def new_key(algorithm: Algorithm) -> PrivateKey:
    """A fresh key pair: ECDSA P-256 (A00.FR.503) or RSA 2048 (A00.FR.502)."""
    if algorithm == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)


def weak_key() -> PrivateKey:
    """An RSA 1024 key, which A00.FR.502 forbids (the weak-key negative case)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=WEAK_RSA_BITS)


def key_algorithm(key: PublicKey | PrivateKey) -> Algorithm:
    """Which :data:`Algorithm` a key belongs to."""
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return "ecdsa"
    return "rsa"


def key_bits(key: PublicKey | PrivateKey) -> int:
    """The key size in bits (the curve size for ECDSA)."""
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return key.curve.key_size
    return key.key_size


def as_public_key(key: object, what: str) -> PublicKey:
    """``key`` if it is an ECDSA or RSA public key, else a ValueError naming ``what``."""
    if isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        return key
    raise ValueError(f"{what}: unsupported public key type {type(key).__name__}")


def sign_certificate(builder: x509.CertificateBuilder, issuer_key: PrivateKey) -> x509.Certificate:
    """Sign with SHA-256: ECDSA, or RSA-PSS for an RSA issuer (A00.FR.505/506)."""
    rsa_padding = pss() if isinstance(issuer_key, rsa.RSAPrivateKey) else None
    return builder.sign(issuer_key, hashes.SHA256(), rsa_padding=rsa_padding)


def pss() -> padding.PSS:
    """RSA-PSS with MGF1-SHA256 and a salt as long as the digest."""
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)


def private_pem(key: PrivateKey) -> bytes:
    """The key as unencrypted PKCS#8 PEM."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def cert_pem(*certs: x509.Certificate) -> bytes:
    """The certificates as concatenated PEM, in the order given."""
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def load_private_key(data: bytes, what: str) -> PrivateKey:
    """A PEM private key; a ValueError naming ``what`` (never the key's content) otherwise."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{what}: not an unencrypted PEM private key ({type(exc).__name__})"
        ) from None
    if isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        return key
    raise ValueError(f"{what}: unsupported private key type {type(key).__name__}")


def same_public_key(a: PublicKey, b: PublicKey) -> bool:
    """Whether two public keys are the same key (compared by their DER encoding)."""
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return a.public_bytes(der, fmt) == b.public_bytes(der, fmt)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a new file created with ``mode`` (``os.open``, under the umask) and rename
    it over ``path``: a reader never sees half a file, and a private key is never readable by
    others, not even briefly (its file is 0600 from its creation on, never chmod-ed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write a private key file, mode 0600 from its creation on."""
    _write(path, data, 0o600)


def write_public(path: Path, data: bytes) -> None:
    """Write a certificate or text file, mode 0644 (less under a stricter umask)."""
    _write(path, data, 0o644)
