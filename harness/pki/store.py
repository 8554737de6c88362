"""The PKI's files on disk: reuse a certificate and key that are still what is wanted, write new
ones otherwise, and hold a lock while doing either.

A stored certificate is reused only if its key file matches it, its subject, SAN, extended key
usage and key type are the wanted ones, it is signed by the wanted issuer (so a regenerated CA
regenerates everything below it), and its validity period is the wanted one: current and not
ending within :data:`RENEW_MARGIN`, or, for the negative cases, still expired or still in the
future.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from harness.pki.build import CertKey, now
from harness.pki.keys import (
    Algorithm,
    PrivateKey,
    as_public_key,
    cert_pem,
    key_algorithm,
    key_bits,
    load_private_key,
    private_pem,
    same_public_key,
    write_private,
    write_public,
)

#: A certificate that ends sooner than this is regenerated.
RENEW_MARGIN = dt.timedelta(days=2)
#: A not-yet-valid certificate must start at least this far in the future to be reused.
FUTURE_MARGIN = dt.timedelta(days=2)

Validity = Literal["current", "expired", "future"]


@dataclass(frozen=True)
class Wanted:
    """What a stored certificate must be to be reused."""

    subject: x509.Name
    issuer: x509.Certificate | None  # None: self-signed
    algorithm: Algorithm
    key_bits: int | None = None  # None: the algorithm's usual size is not checked
    san: x509.SubjectAlternativeName | None = None
    eku: x509.ExtendedKeyUsage | None = None
    validity: Validity = "current"


def cert_path(directory: Path, stem: str) -> Path:
    """``<stem>.pem``."""
    return directory / f"{stem}.pem"


def key_path(directory: Path, stem: str) -> Path:
    """``<stem>.key``."""
    return directory / f"{stem}.key"


def chain_path(directory: Path, stem: str) -> Path:
    """``<stem>-chain.pem``: the leaf and its intermediates."""
    return directory / f"{stem}-chain.pem"


#: Private keys already parsed, by the SHA-256 of their file: loading an RSA key checks it, which
#: costs about 50 ms per load.
_KEY_CACHE: dict[bytes, PrivateKey] = {}
_KEY_CACHE_SIZE = 256


def private_key(path: Path) -> PrivateKey:
    """The private key of a PEM file (parsed once per content); a ValueError naming the file
    (never its content) if it is not one, OSError if it cannot be read."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).digest()
    key = _KEY_CACHE.get(digest)
    if key is None:
        key = load_private_key(data, str(path))
        if len(_KEY_CACHE) >= _KEY_CACHE_SIZE:
            _KEY_CACHE.clear()
        _KEY_CACHE[digest] = key
    return key


def load(directory: Path, stem: str) -> CertKey | None:
    """The stored certificate and key of ``stem``, or None when either is missing, unreadable or
    they do not belong together."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path(directory, stem).read_bytes())
        key = private_key(key_path(directory, stem))
        public = as_public_key(cert.public_key(), stem)
    except (OSError, ValueError):
        return None
    return CertKey(cert, key) if same_public_key(public, key.public_key()) else None


def _extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> object | None:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _validity_holds(cert: x509.Certificate, validity: Validity) -> bool:
    t = now()
    if validity == "expired":
        return cert.not_valid_after_utc < t
    if validity == "future":
        return cert.not_valid_before_utc > t + FUTURE_MARGIN
    return cert.not_valid_before_utc <= t and cert.not_valid_after_utc > t + RENEW_MARGIN


def matches(pair: CertKey, wanted: Wanted) -> bool:
    """Whether a stored certificate is still what is wanted (see the module docstring)."""
    cert = pair.cert
    return (
        cert.subject == wanted.subject
        and key_algorithm(pair.key) == wanted.algorithm
        and (wanted.key_bits is None or key_bits(pair.key) == wanted.key_bits)
        and _extension(cert, x509.SubjectAlternativeName) == wanted.san
        and (wanted.eku is None or _extension(cert, x509.ExtendedKeyUsage) == wanted.eku)
        and _issued_by(cert, wanted.issuer or cert)
        and _validity_holds(cert, wanted.validity)
    )


def reuse(directory: Path, stem: str, wanted: Wanted) -> CertKey | None:
    """The stored pair of ``stem`` if it is still what is wanted, else None."""
    pair = load(directory, stem)
    return pair if pair is not None and matches(pair, wanted) else None


def save(
    directory: Path,
    stem: str,
    cert: x509.Certificate,
    key: PrivateKey,
    *,
    intermediates: tuple[x509.Certificate, ...] | None = None,
) -> None:
    """Write ``<stem>.key`` (0600), ``<stem>.pem`` and, for a leaf (``intermediates`` given),
    ``<stem>-chain.pem`` = the leaf then its intermediates, nearest first."""
    write_private(key_path(directory, stem), private_pem(key))
    write_public(cert_path(directory, stem), cert_pem(cert))
    if intermediates is not None:
        write_public(chain_path(directory, stem), cert_pem(cert, *intermediates))


def ensure_chain(
    directory: Path, stem: str, pair: CertKey, intermediates: tuple[x509.Certificate, ...]
) -> None:
    """Rewrite ``<stem>-chain.pem`` of a reused leaf only if it is missing or differs."""
    want = cert_pem(pair.cert, *intermediates)
    path = chain_path(directory, stem)
    try:
        if path.read_bytes() == want:
            return
    except OSError:
        pass
    write_public(path, want)


def write_text_if_changed(path: Path, text: str) -> None:
    """Write a text file unless it already holds ``text`` (regeneration stays idempotent)."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_public(path, data)


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<directory>/.lock`` (POSIX ``flock``): two processes that
    generate the same hierarchy at once must not interleave their files."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    fd = os.open(directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
