"""The TLS contexts of a session with security profile 2 or 3 (``sut.tls``), for the harness
peer and, with a built-in SUT, for the reference SUT on the other end.

What the harness presents and trusts comes from ``sut.tls`` where given (``ca``, ``cert``,
``key``) and otherwise from the harness PKI (:mod:`harness.pki`, ``sut.tls.certs``, written by
``ocpp-harness certs init``): both key algorithms, so that a CSMS (the harness's or the
reference one) presents an ECDSA and an RSA certificate and supports the four suites of
A00.FR.318, and a station trusts either root. The station certificate's CN is ``sut.identity``
(A00.FR.511). A built-in SUT gets a PKI of its own in a session directory, so runs never share
or overwrite files. A file that is missing or does not load is a set-up error naming the key
(issue 8 item 4). The reference SUT's context carries the seeded TLS faults
(:data:`REFERENCE_TLS_FAULTS`).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harness.config import Role, SutProfile
from harness.transport.tls import (
    TlsSetupError,
    allow_old,
    client_context,
    server_context,
)

if TYPE_CHECKING:
    from harness.pki import Pki

#: Seeded faults that change a reference SUT's TLS (the rest live with the SUTs).
REFERENCE_TLS_FAULTS = frozenset(
    {
        "csms-accepts-old-tls",
        "csms-trusts-unknown-ca",
        "csms-ecdsa-only",
        "accepts-unknown-csms-certificate",
        "accepts-old-tls",
    }
)


class TlsConfigError(Exception):
    """``sut.tls`` names a file that is missing or unusable (one line: the key and the fix)."""


@dataclass(frozen=True, slots=True)
class SessionTls:
    """The contexts of one session: the harness peer's, and the reference SUT's (built-ins)."""

    harness: ssl.SSLContext
    reference: ssl.SSLContext | None
    #: What was used, for the report header ("server certificate ... (PKI ...)").
    summary: str
    #: The roots the harness trusts for the SUT's certificate (empty: none asked for).
    trust: tuple[Path, ...] = ()
    #: The harness PKI of the session by algorithm, the primary one first (negative cases take
    #: bad certificates from it).
    pkis: tuple[Pki, ...] = field(default=())
    #: The certificate chain and key the harness presents as a station (profile 3), if any.
    own_chain: Path | None = None
    own_key: Path | None = None

    @property
    def pki(self) -> Pki | None:
        return self.pkis[0] if self.pkis else None


def _path(profile: SutProfile, value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute() and profile.path is not None:
        path = Path(profile.path).parent / path
    return path


def _exists(path: Path | None, key: str) -> Path | None:
    if path is not None and not path.is_file():
        raise TlsConfigError(
            f"{key}: {path} does not exist (run `ocpp-harness certs init` for the harness PKI, "
            "or point it at your own PEM file)"
        )
    return path


def check_files(profile: SutProfile) -> None:
    """The files ``sut.tls`` names exist (a set-up error before the first case otherwise)."""
    tls = profile.sut.tls
    if profile.sut.security_profile < 2:
        return
    for key, value in (("ca", tls.ca), ("cert", tls.cert), ("key", tls.key)):
        _exists(_path(profile, value), f"sut.tls.{key}")


def session_tls(
    profile: SutProfile,
    workdir: Path,
    faults: frozenset[str] = frozenset(),
    variants: frozenset[str] = frozenset(),
) -> SessionTls | None:
    """The contexts for ``profile`` (None below security profile 2). ``workdir``: where a
    built-in SUT's PKI goes; ``faults`` and ``variants``: those seeded into the reference SUT
    (``tls-1.2-only``: it speaks TLS 1.2 at most; ``rsa-keys``: the reference station's own
    certificate is RSA)."""
    sut = profile.sut
    if sut.security_profile < 2:
        return None
    from harness.pki import PkiError, ensure_pki

    tls = sut.tls
    ca = _exists(_path(profile, tls.ca), "sut.tls.ca")
    cert = _exists(_path(profile, tls.cert), "sut.tls.cert")
    key = _exists(_path(profile, tls.key), "sut.tls.key")
    if sut.builtin:
        certs = workdir / "certs"
    else:
        certs = _path(profile, tls.certs) or _path(profile, "certs") or Path("certs")
    host = tls.host or "localhost"
    order = (tls.algorithm, "rsa" if tls.algorithm == "ecdsa" else "ecdsa")
    try:
        pkis = tuple(ensure_pki(certs / a, algorithm=a, csms_host=host) for a in order)
    except (PkiError, OSError) as exc:
        raise TlsConfigError(
            f"sut.tls.certs: cannot write the harness PKI in {certs}: {exc}"
        ) from None
    try:
        if sut.role is Role.CHARGING_STATION:
            session = _csms_side(profile, pkis, ca, cert, key, faults, variants)
        else:
            session = _station_side(profile, pkis, ca, cert, key, faults)
    except TlsSetupError as exc:
        raise TlsConfigError(f"sut.tls: {exc}") from None
    if session.reference is not None and "tls-1.2-only" in variants:
        session.reference.maximum_version = ssl.TLSVersion.TLSv1_2
    return session


def _servers(pkis: tuple[Pki, ...]) -> list[tuple[Path, Path]]:
    return [(p.csms_server.chain, p.csms_server.key) for p in pkis]


def _untrusted(pki: Pki) -> Path:
    pki.untrusted_root()
    return pki.directory / "bad" / "untrusted-root.pem"


def _csms_side(
    profile: SutProfile,
    pkis: tuple[Pki, ...],
    ca: Path | None,
    cert: Path | None,
    key: Path | None,
    faults: frozenset[str],
    variants: frozenset[str] = frozenset(),
) -> SessionTls:
    """The harness is the CSMS: its server certificate(s); with profile 3 the station roots.
    The reference station trusts the CSMS roots and, with profile 3, presents its own."""
    mutual = profile.sut.security_profile == 3
    own = [(cert, key)] if cert and key else _servers(pkis)
    client_ca = ((ca,) if ca else tuple(p.cpo_root for p in pkis)) if mutual else ()
    harness = server_context(*own[0], client_ca=client_ca or None, also=own[1:])
    reference = None
    if profile.sut.builtin:
        own_pki = next((p for p in pkis if p.algorithm == "rsa"), pkis[0])
        if "rsa-keys" not in variants:
            own_pki = pkis[0]
        station = own_pki.station(profile.sut.identity) if mutual else None
        roots = [p.csms_root for p in pkis]
        if "accepts-unknown-csms-certificate" in faults:
            roots.append(_untrusted(pkis[0]))
        reference = client_context(
            roots,
            chain=station.chain if station else None,
            key=station.key if station else None,
        )
        if "accepts-old-tls" in faults:
            allow_old(reference)
    shown = ", ".join(str(c) for c, _ in own)
    used = f"server certificate {shown}" + (
        f", station roots {', '.join(map(str, client_ca))}" if mutual else ""
    )
    return SessionTls(harness, reference, used, client_ca, pkis)


def _station_side(
    profile: SutProfile,
    pkis: tuple[Pki, ...],
    ca: Path | None,
    cert: Path | None,
    key: Path | None,
    faults: frozenset[str],
) -> SessionTls:
    """The harness is the station: it trusts the CSMS root(s); with profile 3 it presents the
    station certificate of ``sut.identity``. The reference CSMS presents its certificates and,
    with profile 3, trusts the station roots."""
    mutual = profile.sut.security_profile == 3
    trust = (ca,) if ca else tuple(p.csms_root for p in pkis)
    chain = own_key = None
    if mutual:
        if cert and key:
            chain, own_key = cert, key
        else:
            issued = pkis[0].station(profile.sut.identity)
            chain, own_key = issued.chain, issued.key
    harness = client_context(trust, chain=chain, key=own_key)
    reference = None
    if profile.sut.builtin:
        servers = _servers(pkis)[:1] if "csms-ecdsa-only" in faults else _servers(pkis)
        roots = [p.cpo_root for p in pkis]
        if "csms-trusts-unknown-ca" in faults:
            roots.append(_untrusted(pkis[0]))
        reference = server_context(
            *servers[0], client_ca=roots if mutual else None, also=servers[1:]
        )
        if "csms-accepts-old-tls" in faults:
            allow_old(reference)
    used = f"trusting {', '.join(map(str, trust))}" + (
        f", station certificate {chain}" if chain else ""
    )
    return SessionTls(harness, reference, used, trust, pkis, chain, own_key)
