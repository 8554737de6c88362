"""Checks of the TLS cases of block A (security profiles 2 and 3), both roles: what a handshake
negotiated, what the CSMS certificate says (Part 2 §A00 "Certificate Properties"), and probes
of the cipher suites a CSMS supports. Used by :mod:`testcases.v201.test_a_tls`."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from harness.checks import require
from harness.config import SutProfile
from harness.peers.station import StationPeer
from harness.peers.view import PeerView
from harness.transport import Link
from harness.transport.tls import client_context, with_suite
from harness.verdicts import Inconclusive

#: The four TLS 1.2 suites a CSMS must support (A00.FR.318/421), IANA name -> OpenSSL name.
CSMS_SUITES = {
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": "ECDHE-ECDSA-AES128-GCM-SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": "ECDHE-ECDSA-AES256-GCM-SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256": "AES128-GCM-SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384": "AES256-GCM-SHA384",
}
#: How long one probing handshake may take.
PROBE_S = 5.0


def tls_profile(profile: SutProfile) -> str | None:
    """Applicability of the TLS cases: security profile 2 or 3."""
    sp = profile.sut.security_profile
    return None if sp in (2, 3) else f"security profile {sp} runs without TLS"


def client_certificates(profile: SutProfile) -> str | None:
    """Applicability of the client-certificate cases: security profile 3."""
    sp = profile.sut.security_profile
    return None if sp == 3 else f"security profile {sp} uses no client certificates"


def ssl_object(link: Link) -> ssl.SSLObject | None:
    transport = link.ws.transport
    obj = transport.get_extra_info("ssl_object") if transport is not None else None
    return obj if isinstance(obj, ssl.SSLObject) else None


def require_tls12(link: Link, peer: PeerView, *, req: str) -> ssl.SSLObject:
    """The connection runs over TLS 1.2 or above (A00.FR.312/313, 415/416)."""
    obj = ssl_object(link)
    version = obj.version() if obj is not None else None
    require(
        version in ("TLSv1.2", "TLSv1.3"),
        req=req,
        expected="TLS 1.2 or above",
        actual=repr(version) if obj is not None else "no TLS",
        frames=peer.trace.render(last=6),
    )
    assert obj is not None
    return obj


def peer_certificate(obj: ssl.SSLObject) -> x509.Certificate | None:
    der = obj.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der) if der else None


def require_presented(
    link: Link | None, issued: x509.Certificate, peer: PeerView, *, req: str
) -> None:
    """The connection ``link`` presents the client certificate ``issued`` (the same serial
    number): a renewed certificate in use (A02.FR.08), an upgraded security profile (A05)."""
    obj = ssl_object(link) if link is not None else None
    presented = peer_certificate(obj) if obj is not None else None
    require(
        presented is not None and presented.serial_number == issued.serial_number,
        req=req,
        expected=f"the client certificate with serial number {issued.serial_number:x}",
        actual=(
            f"serial number {presented.serial_number:x} ({presented.subject.rfc4514_string()})"
            if presented is not None
            else "no client certificate"
        ),
        frames=peer.trace.render(last=6),
    )


def require_certificate_properties(
    cert: x509.Certificate | None, url: str, peer: PeerView, *, server: bool
) -> None:
    """A00.FR.501-503 key strength, A00.FR.508 a serial number, A00.FR.510 (a CSMS's) CN the
    FQDN the station connects to (not checkable when it connects by IP address) or A00.FR.511
    (a station's) a CN that is no URL or IP address."""
    frames = peer.trace.render(last=6)
    require(
        cert is not None,
        req="A00.FR.402: a certificate is presented",
        expected="a certificate",
        actual="none",
        frames=frames,
    )
    assert cert is not None
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        strong, size = key.key_size >= 2048, f"RSA {key.key_size} bits"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        strong, size = key.curve.key_size >= 224, f"EC {key.curve.name} ({key.curve.key_size})"
    else:
        strong, size = False, type(key).__name__
    require(
        strong,
        req="A00.FR.502/503: the certificate's key is strong enough",
        expected="RSA >= 2048 bits or EC >= 224 bits",
        actual=size,
        frames=frames,
    )
    require(
        cert.serial_number > 0,
        req="A00.FR.508: the certificate has a serial number",
        expected="a serial number",
        actual=str(cert.serial_number),
        frames=frames,
    )
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(names[0].value) if names else ""
    host = urlsplit(url).hostname or ""
    if server:
        if not _is_ip(host):
            require(
                cn.casefold() == host.casefold(),
                req="A00.FR.510: the CSMS certificate's CN is its FQDN",
                expected=f"CN={host}",
                actual=f"CN={cn!r}",
                frames=frames,
            )
    else:
        require(
            bool(cn) and not _is_ip(cn) and "://" not in cn,
            req="A00.FR.511: the station certificate's CN is its serial number",
            expected="a CN that is neither a URL nor an IP address",
            actual=f"CN={cn!r}",
            frames=frames,
        )


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


async def handshake(url: str, context: ssl.SSLContext) -> str | None:
    """A bare TLS handshake with the CSMS at ``url``: None when it completes, else why not."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 443
    try:
        async with asyncio.timeout(PROBE_S):
            _, writer = await asyncio.open_connection(host, port, ssl=context)
    except TimeoutError:
        return f"no handshake within {PROBE_S:g} s"
    except (OSError, ssl.SSLError) as exc:
        return f"{type(exc).__name__}: {exc}"
    writer.close()
    return None


async def unsupported_suites(
    url: str, trust: Sequence[Path], chain: Path | None = None, key: Path | None = None
) -> dict[str, str]:
    """The suites of :data:`CSMS_SUITES` a TLS 1.2 handshake fails with, and why."""
    failed: dict[str, str] = {}
    for iana, name in CSMS_SUITES.items():
        context = client_context(trust, chain=chain, key=key)
        why = await handshake(url, with_suite(context, name))
        if why is not None:
            failed[iana] = why
    return failed


async def require_suites(station: StationPeer, *, req: str) -> None:
    """A TLS 1.2 handshake with the CSMS succeeds with each of the four suites it must support
    (2.0.1 A00.FR.318; 1.6 SEC A00.FR.317): ``req``."""
    tls = station.tls
    if tls is None:
        raise Inconclusive("precondition: the session runs without TLS")
    failed = await unsupported_suites(
        station.base_url, tls.trust, chain=tls.own_chain, key=tls.own_key
    )
    require(
        not failed,
        req=req,
        expected="TLS 1.2 handshakes with all four suites",
        actual="; ".join(f"{suite}: {why}" for suite, why in failed.items()),
        frames=station.trace.render(last=6),
    )
