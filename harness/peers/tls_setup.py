"""The TLS contexts of a session with security profile 2 or 3 (``sut.tls``), for the harness
peer and, with a built-in SUT, for the reference SUT on the other end.

What the harness presents and trusts comes from ``sut.tls`` where given (``ca``, ``cert``,
``key``) and otherwise from the harness PKI (:mod:`harness.pki`, ``sut.tls.certs``, written by
``ocpp-harness certs init``): the CSMS server certificate and CSMS root, the CPO root and a
station certificate whose CN is ``sut.identity`` (A00.FR.511). A built-in SUT gets a PKI of its
own in a session directory, so runs never share or overwrite files. A file that is missing or
does not load is a set-up error naming the key (issue 8 item 4).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.config import Role, SutProfile
from harness.transport.tls import TlsSetupError, client_context, server_context

if TYPE_CHECKING:
    from harness.pki import Pki


class TlsConfigError(Exception):
    """``sut.tls`` names a file that is missing or unusable (one line: the key and the fix)."""


@dataclass(frozen=True, slots=True)
class SessionTls:
    """The contexts of one session: the harness peer's, and the reference SUT's (built-ins)."""

    harness: ssl.SSLContext
    reference: ssl.SSLContext | None
    #: What was used, for the report header ("harness PKI certs/ecdsa", "sut.tls.ca ...").
    summary: str
    #: The root the harness trusts for the SUT's certificate (None: none asked for).
    trust: Path | None = None
    #: The harness PKI of the session, if one is used (negative cases take bad certificates
    #: from it).
    pki: Pki | None = None


def _path(profile: SutProfile, value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute() and profile.path is not None:
        path = Path(profile.path).parent / path
    return path


def _exists(path: Path, key: str) -> Path:
    if not path.is_file():
        raise TlsConfigError(
            f"{key}: {path} does not exist (run `ocpp-harness certs init` for the harness PKI, "
            "or point it at your own PEM file)"
        )
    return path


def session_tls(profile: SutProfile, workdir: Path) -> SessionTls | None:
    """The contexts for ``profile`` (None below security profile 2). ``workdir``: where a
    built-in SUT's PKI goes."""
    sut = profile.sut
    if sut.security_profile < 2:
        return None
    from harness.pki import ensure_pki

    tls = sut.tls
    mutual = sut.security_profile == 3
    if sut.builtin:
        certs = workdir / "certs"
    else:
        certs = _path(profile, tls.certs) or _path(profile, "certs") or Path("certs")
    host = tls.host or "localhost"
    needs_pki = sut.builtin or None in (tls.ca, tls.cert) or (mutual and tls.ca is None)
    pki = (
        ensure_pki(certs / tls.algorithm, algorithm=tls.algorithm, csms_host=host)
        if needs_pki
        else None
    )
    ca = _path(profile, tls.ca)
    cert = _path(profile, tls.cert)
    key = _path(profile, tls.key)
    if ca is not None:
        _exists(ca, "sut.tls.ca")
    if cert is not None and key is not None:
        _exists(cert, "sut.tls.cert")
        _exists(key, "sut.tls.key")
    try:
        if sut.role is Role.CHARGING_STATION:
            return _csms_side(profile, pki, ca, cert, key, mutual, certs)
        return _station_side(profile, pki, ca, cert, key, mutual, certs)
    except TlsSetupError as exc:
        raise TlsConfigError(f"sut.tls: {exc}") from None


def _csms_side(
    profile: SutProfile,
    pki: Pki | None,
    ca: Path | None,
    cert: Path | None,
    key: Path | None,
    mutual: bool,
    certs: Path,
) -> SessionTls:
    """The harness is the CSMS: its server certificate; with profile 3 the station's root."""
    own_chain, own_key = (cert, key) if cert and key else _pki_server(pki)
    client_ca = (ca or (pki.cpo_root if pki else None)) if mutual else None
    harness = server_context(own_chain, own_key, client_ca=client_ca)
    reference = None
    if profile.sut.builtin and pki is not None:
        station = pki.station(profile.sut.identity) if mutual else None
        reference = client_context(
            pki.csms_root,
            chain=station.chain if station else None,
            key=station.key if station else None,
        )
    used = f"server certificate {own_chain}" + (f", station root {client_ca}" if mutual else "")
    summary = f"{used} (PKI {certs})" if pki else used
    return SessionTls(harness, reference, summary, client_ca, pki)


def _station_side(
    profile: SutProfile,
    pki: Pki | None,
    ca: Path | None,
    cert: Path | None,
    key: Path | None,
    mutual: bool,
    certs: Path,
) -> SessionTls:
    """The harness is the station: it trusts the CSMS root; with profile 3 it presents the
    station certificate of ``sut.identity``."""
    trust = ca or (pki.csms_root if pki else None)
    if trust is None:
        raise TlsConfigError("sut.tls.ca: the root of the CSMS's server certificate is needed")
    chain = own_key = None
    if mutual:
        if cert and key:
            chain, own_key = cert, key
        elif pki is not None:
            issued = pki.station(profile.sut.identity)
            chain, own_key = issued.chain, issued.key
    harness = client_context(trust, chain=chain, key=own_key)
    reference = None
    if profile.sut.builtin and pki is not None:
        server_chain, server_key = _pki_server(pki)
        reference = server_context(
            server_chain, server_key, client_ca=pki.cpo_root if mutual else None
        )
    used = f"trusting {trust}" + (f", station certificate {chain}" if chain else "")
    summary = f"{used} (PKI {certs})" if pki else used
    return SessionTls(harness, reference, summary, trust, pki)


def _pki_server(pki: Pki | None) -> tuple[Path, Path]:
    if pki is None:
        raise TlsConfigError("sut.tls: cert and key (the harness's own certificate) are needed")
    return pki.csms_server.chain, pki.csms_server.key
