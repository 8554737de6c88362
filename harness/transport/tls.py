"""TLS for security profiles 2 and 3 (OCPP 2.0.1 Part 2 §A00 "Security profiles"; 1.6 Security
Whitepaper §2): the contexts each side uses and what a handshake showed.

* The CSMS is the TLS server and presents the CSMS certificate (A00.FR.306/307, 409/410); with
  profile 3 it asks for the station's certificate and verifies its path (A00.FR.401-403).
* The station verifies the CSMS certificate's path and that its CN is the CSMS's host
  (A00.FR.308/309, 411/412): the hostname check of Python's ``ssl`` (which also takes the CN of a
  certificate without SAN).
* TLS 1.2 or above only (A00.FR.313/416); for TLS 1.2 the cipher suites OCPP names
  (A00.FR.318/319, 421/422), the static-RSA ones included so that a CSMS that offers only those
  can be reached; TLS 1.3 suites are OpenSSL's (Python's ``ssl`` cannot restrict them). No TLS
  compression (A00.FR.321/424: OpenSSL 3 has none).

Verification is never switched off here; a negative case that must offer an old TLS version
builds its probe with :func:`old_tls_client` / :func:`old_tls_server` and says so.
"""

from __future__ import annotations

import ssl
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

#: The TLS 1.2 cipher suites of A00.FR.318/319 (ECDHE-ECDSA, ECDHE-RSA with ECDSA or RSA
#: certificates) and the static-RSA ones a CSMS must support, in OpenSSL's names.
OCPP_TLS12_CIPHERS = ":".join(
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "AES128-GCM-SHA256",
        "AES256-GCM-SHA384",
    )
)


class TlsSetupError(Exception):
    """A certificate, key or trust anchor could not be loaded (names the file and why)."""


def _load_chain(context: ssl.SSLContext, chain: Path, key: Path, what: str) -> None:
    try:
        context.load_cert_chain(str(chain), str(key))
    except FileNotFoundError as exc:
        raise TlsSetupError(f"{what}: {exc.filename} does not exist") from None
    except (ssl.SSLError, OSError) as exc:
        raise TlsSetupError(
            f"{what}: cannot load certificate {chain} with key {key}: {exc.strerror or exc}"
        ) from None


def _load_trust(context: ssl.SSLContext, ca: Path, what: str) -> None:
    try:
        context.load_verify_locations(cafile=str(ca))
    except FileNotFoundError:
        raise TlsSetupError(f"{what}: {ca} does not exist") from None
    except (ssl.SSLError, OSError) as exc:
        raise TlsSetupError(f"{what}: cannot load trusted certificates from {ca}: {exc}") from None


def _ocpp_versions(context: ssl.SSLContext) -> None:
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # A00.FR.313/416
    context.set_ciphers(OCPP_TLS12_CIPHERS)  # A00.FR.318/319 (TLS 1.2; 1.3 is OpenSSL's)
    context.options |= ssl.OP_NO_COMPRESSION  # A00.FR.321/424


Trust = Path | Sequence[Path]


def _roots(ca: Trust) -> list[Path]:
    return [ca] if isinstance(ca, Path) else list(ca)


def server_context(
    chain: Path,
    key: Path,
    *,
    client_ca: Trust | None = None,
    also: Sequence[tuple[Path, Path]] = (),
) -> ssl.SSLContext:
    """The CSMS side: present ``chain``/``key`` (and the pairs in ``also``, certificates of
    another key type: A00.FR.318 needs an ECDSA and an RSA certificate for its four suites);
    with ``client_ca`` (security profile 3) require a client certificate whose path ends in one
    of those roots (A00.FR.403)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    _ocpp_versions(context)
    for own_chain, own_key in ((chain, key), *also):
        _load_chain(context, own_chain, own_key, "CSMS server certificate")
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        for root in _roots(client_ca):
            _load_trust(context, root, "trusted root for station certificates")
    return context


def client_context(
    ca: Trust, *, chain: Path | None = None, key: Path | None = None
) -> ssl.SSLContext:
    """The station side: trust ``ca`` (one root or several) for the CSMS certificate and check
    its name (A00.FR.308/309); with ``chain``/``key`` (security profile 3) present the station
    certificate (A00.FR.401/402)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname
    _ocpp_versions(context)
    for root in _roots(ca):
        _load_trust(context, root, "trusted root for the CSMS certificate")
    if chain is not None and key is not None:
        _load_chain(context, chain, key, "station certificate")
    return context


def old_tls_client(
    ca: Trust, *, chain: Path | None = None, key: Path | None = None
) -> ssl.SSLContext:
    """A probe for TC_A_06_CSMS: a station that speaks TLS 1.0/1.1 only (A00.FR.315/418: the
    CSMS must refuse it). OpenSSL 3 needs security level 0 for these versions."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    _old_versions(context)
    for root in _roots(ca):
        _load_trust(context, root, "trusted root for the CSMS certificate")
    if chain is not None and key is not None:
        _load_chain(context, chain, key, "station certificate")
    return context


def make_old(context: ssl.SSLContext) -> None:
    """Turn a server context to TLS 1.0/1.1 only (TC_A_06_CS: the station must refuse);
    :func:`make_current` turns it back. New handshakes take the change."""
    _old_versions(context)


def make_current(context: ssl.SSLContext) -> None:
    context.maximum_version = ssl.TLSVersion.MAXIMUM_SUPPORTED
    _ocpp_versions(context)


def allow_old(context: ssl.SSLContext) -> None:
    """Let a context also speak TLS 1.0/1.1 (the seeded faults that accept old TLS)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")


def with_suite(context: ssl.SSLContext, suite: str) -> ssl.SSLContext:
    """``context`` limited to TLS 1.2 and the one cipher suite ``suite`` (OpenSSL name): a probe
    of whether the peer supports it (A00.FR.318/319)."""
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(suite)
    return context


def _old_versions(context: ssl.SSLContext) -> None:
    with warnings.catch_warnings():  # the very point of the probe is a deprecated version
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")


@dataclass(frozen=True, slots=True)
class TlsInfo:
    """What a TLS handshake settled: version, cipher suite, the peer's certificate subject."""

    version: str
    cipher: str
    peer_cn: str | None = None
    peer_o: str | None = None

    def describe(self) -> str:
        peer = ""
        if self.peer_cn is not None or self.peer_o is not None:
            peer = f", peer certificate CN={self.peer_cn!r} O={self.peer_o!r}"
        return f"{self.version} {self.cipher}{peer}"


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def tls_info(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> TlsInfo | None:
    """The :class:`TlsInfo` of an established connection (None without TLS)."""
    if ssl_object is None:
        return None
    cipher = ssl_object.cipher()
    der = ssl_object.getpeercert(binary_form=True)
    cn = o = None
    if der:
        subject = x509.load_der_x509_certificate(der).subject
        cn = _attribute(subject, NameOID.COMMON_NAME)
        o = _attribute(subject, NameOID.ORGANIZATION_NAME)
    return TlsInfo(str(ssl_object.version()), cipher[0] if cipher else "?", cn, o)
