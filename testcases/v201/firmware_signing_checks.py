"""What the harness station makes of the signed firmware a CSMS under test sends (block L,
TC_L_*_CSMS): the signing certificate read as an X.509 certificate, and the image fetched from
its location (loopback only) and checked against the signature.

Pure helpers, no verdicts: :mod:`.firmware_csms` turns their answers into FAILs (a SHALL) and
warnings (a SHOULD, or what the harness could not check).

* :func:`read_certificate`: the PEM ``signingCertificate`` (A00.FR.507), with what the station's
  X.509 rules (L01.FR.12) and the certificate properties (A00.FR.501-503, 512, 514) look at.
* :func:`fetch`: one HTTP(S) GET of a loopback location (a real CSMS's firmware server elsewhere
  is not the harness's to reach). Over HTTPS the server certificate is not checked: the bytes'
  authenticity is what the signature check proves, and the connection never leaves the host.
* :func:`verify_firmware` (:mod:`harness.pki.firmware`): the signature over the whole image with
  the certificate's key (ECDSA or RSA-PSS with SHA-256, L01.FR.04).
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from harness.pki import verify_firmware

__all__ = [
    "CertificateFacts",
    "FetchError",
    "fetch",
    "is_loopback",
    "now",
    "read_certificate",
    "verify_firmware",
]

#: The largest image the harness fetches (a firmware for a test needs no more).
MAX_IMAGE = 64 * 1024 * 1024
PEM_BEGIN = "-----BEGIN CERTIFICATE-----"


@dataclass(frozen=True)
class CertificateFacts:
    """What the harness read from a signingCertificate; ``problem`` is set when it is not one
    X.509 certificate in PEM (then the other fields are empty)."""

    problem: str = ""
    subject: str = ""
    key_bits: int = 0
    key_kind: str = ""
    not_before: datetime | None = None
    not_after: datetime | None = None
    #: KeyUsage present without digitalSignature (the key may not verify signatures).
    no_digital_signature: bool = False
    #: ExtendedKeyUsage present without codeSigning.
    not_code_signing: bool = False
    has_eku: bool = False

    def expired_at(self, moment: datetime) -> bool:
        """Whether ``moment`` is outside the certificate's validity period."""
        if self.not_before is None or self.not_after is None:
            return False
        return not self.not_before <= moment <= self.not_after

    @property
    def key_too_small(self) -> bool:
        """A00.FR.502/503: RSA below 2048 bits, elliptic curves below 224 bits."""
        floor = {"RSA": 2048, "EC": 224}.get(self.key_kind)
        return floor is not None and self.key_bits < floor


def read_certificate(text: object) -> CertificateFacts:
    """The facts of ``text`` as a PEM X.509 certificate (A00.FR.507)."""
    if not isinstance(text, str) or PEM_BEGIN not in text:
        return CertificateFacts(problem="no PEM certificate block")
    try:
        cert = x509.load_pem_x509_certificate(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        return CertificateFacts(problem=f"not an X.509 certificate ({exc})")
    key = cert.public_key()
    kind, bits = "", 0
    if isinstance(key, rsa.RSAPublicKey):
        kind, bits = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        kind, bits = "EC", key.curve.key_size
    no_sign = has_eku = not_code = False
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        no_sign = not usage.digital_signature
    except x509.ExtensionNotFound:
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        has_eku = True
        not_code = ExtendedKeyUsageOID.CODE_SIGNING not in eku
    except x509.ExtensionNotFound:
        pass
    return CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        key_bits=bits,
        key_kind=kind,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        no_digital_signature=no_sign,
        not_code_signing=not_code,
        has_eku=has_eku,
    )


def now() -> datetime:
    return datetime.now(UTC)


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this host (localhost or a loopback address) over HTTP(S)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class FetchError(Exception):
    """The location did not give a file: no connection, no answer, not 200."""


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out += body[:size]
        body = body[size + 2 :]
    return bytes(out)


async def fetch(url: str, *, timeout_s: float, max_size: int = MAX_IMAGE) -> bytes:
    """GET ``url`` (http or https on loopback, see the module docstring); the body, or
    :class:`FetchError`."""
    if not is_loopback(url):
        raise FetchError(f"{url!r} is not on this host")
    parts = urlsplit(url)
    tls: ssl.SSLContext | None = None
    if parts.scheme == "https":
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE  # the signature check proves the bytes (docstring)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
    port = parts.port or (443 if tls else 80)
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(parts.hostname, port, ssl=tls)
            try:
                writer.write(head.encode("latin-1"))
                await writer.drain()
                data = await reader.read(max_size + 64 * 1024)
                while data and not reader.at_eof() and len(data) <= max_size:
                    more = await reader.read(max_size + 64 * 1024)
                    if not more:
                        break
                    data += more
            finally:
                writer.close()
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        raise FetchError(f"GET {url}: {exc or type(exc).__name__}") from None
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    fields = lines[0].split(" ")
    if len(fields) < 2 or fields[1] != "200":
        raise FetchError(f"GET {url}: answered {lines[0]!r}")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    length = headers.get("content-length", "")
    if length.isdigit() and len(body) != int(length):
        raise FetchError(f"GET {url}: {len(body)} of {length} bytes")
    if len(body) > max_size:
        raise FetchError(f"GET {url}: more than {max_size} bytes")
    return body
