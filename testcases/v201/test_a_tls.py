"""OCA block A (Security), OCPP 2.0.1 and 2.1: TLS of security profiles 2 and 3 — the server
certificate, TLS versions, cipher suites and client certificates — with the CSMS under test
(``_CSMS``: the harness is the station). NOT-APPLICABLE below the profile a case needs. Steps
and criteria in our own words after OCPP 2.0.1 Part 6; the checks in :mod:`.tls_checks`."""

from __future__ import annotations

from harness import StationPeer, oca
from harness.checks import require
from harness.config import SutProfile
from harness.peers.tls_setup import SessionTls
from harness.transport import ConnectFailed, Link
from harness.transport.tls import client_context, old_tls_client
from harness.verdicts import Inconclusive
from testcases.v201.states import station_booted
from testcases.v201.tls_checks import (
    client_certificates,
    peer_certificate,
    require_certificate_properties,
    require_suites,
    require_tls12,
    tls_profile,
)

V2 = ("2.0.1", "2.1")
#: The invalid station certificates TC_A_08_CSMS presents (Part 6: "can be executed multiple
#: times, using different kinds of invalid certificates").
BAD_STATION_CERTIFICATES = ("unknown-ca", "expired", "wrong-cn")


def _tls(station: StationPeer) -> SessionTls:
    if station.tls is None:
        raise Inconclusive("precondition: the session runs without TLS")
    return station.tls


async def _booted(station: StationPeer, link: Link, profile: SutProfile) -> None:
    """BootNotification (PowerUp) answered Accepted, then every connector reported Available,
    each answered (the steps after a secured connection is up)."""
    await station_booted(
        station, profile, req="B01: the station is Accepted over the secured connection"
    )


@oca(
    "TC_A_04_CSMS",
    "TLS - server-side certificate - Valid certificate",
    profile="core",
    versions=V2,
    kills=("csms-ecdsa-only",),
    own_connection=True,
    applies=tls_profile,
)
async def test_csms_server_certificate(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_A_04_CSMS (A00.FR.306/307, 312, 318, 502/503, 508, 510): the harness connects anew
    over TLS (with its client certificate under profile 3, Basic credentials under 2; steps
    1-6); tool validations: TLS 1.2 or above, the four suites each accepted in a TLS 1.2
    handshake, the server certificate's key strong enough, with a serial number and the FQDN as
    CN (not checkable when the URL names an IP address). Then BootNotification Accepted and the
    connectors Available (steps 7-10). The certificate's PEM encoding (A00.FR.507) concerns its
    storage, not the handshake, and is not checked."""
    link = await station.connect(req="A00.FR.306: the CSMS accepts the TLS connection")
    obj = require_tls12(link, station, req="A00.FR.313: TLS 1.2 or above")
    require_certificate_properties(peer_certificate(obj), station.base_url, station, server=True)
    await require_suites(station, req="A00.FR.318: the CSMS supports the OCPP cipher suites")
    await _booted(station, link, sut_profile)


@oca(
    "TC_A_06_CSMS",
    "TLS - server-side certificate - TLS version too low",
    profile="core",
    versions=V2,
    kills=("csms-accepts-old-tls",),
    own_connection=True,
    applies=tls_profile,
)
async def test_csms_tls_too_low(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_A_06_CSMS (A00.FR.314/315, 417/418): a station that offers TLS 1.0/1.1 only is
    refused (steps 1-2, in whichever shape: an alert, a reset, or a refused upgrade); then one
    with TLS 1.2 or above connects (steps 3-8) and is Accepted (steps 9-10, the tool
    validation), its connectors reported Available (steps 11-12)."""
    tls = _tls(station)
    probe = old_tls_client(tls.trust, chain=tls.own_chain, key=tls.own_key)
    outcome = await station.try_connect(ssl_context=probe)
    require(
        isinstance(outcome, ConnectFailed),
        req="A00.FR.418: a TLS version below 1.2 is refused",
        expected="the TLS 1.0/1.1 connection refused",
        actual="the CSMS accepted it",
        frames=station.trace.render(last=6),
    )
    link = await station.connect(req="A00.FR.416: a TLS 1.2+ connection is accepted")
    require_tls12(link, station, req="A00.FR.416: TLS 1.2 or above")
    await _booted(station, link, sut_profile)


@oca(
    "TC_A_07_CSMS",
    "TLS - Client-side certificate - valid certificate",
    profile="advanced-security",
    versions=V2,
    kills=("csms-ecdsa-only",),
    own_connection=True,
    applies=client_certificates,
)
async def test_csms_client_certificate(station: StationPeer, sut_profile: SutProfile) -> None:
    """TC_A_07_CSMS (A00.FR.401-403): the harness connects anew presenting its station
    certificate (steps 1-6); tool validations: TLS 1.2 or above and the four suites; then
    BootNotification Accepted (steps 7-8) and the connectors Available (steps 9-10)."""
    link = await station.connect(req="A00.FR.403: the CSMS accepts a valid station certificate")
    require_tls12(link, station, req="A00.FR.416: TLS 1.2 or above")
    await require_suites(station, req="A00.FR.318: the CSMS supports the OCPP cipher suites")
    await _booted(station, link, sut_profile)


@oca(
    "TC_A_08_CSMS",
    "TLS - Client-side certificate - Invalid certificate",
    profile="advanced-security",
    versions=V2,
    kills=("csms-trusts-unknown-ca", "csms-ignores-client-cn"),
    own_connection=True,
    applies=client_certificates,
)
async def test_csms_invalid_client_certificate(
    station: StationPeer, sut_profile: SutProfile
) -> None:
    """TC_A_08_CSMS (A00.FR.403-405, 407): connecting with an invalid station certificate is
    refused (steps 1-4), once for each kind the document names: one from an unknown CA, an
    expired one and one whose CN is another station's (both from the harness PKI's CPO
    hierarchy: a CSMS that does not trust that hierarchy refuses them for that reason). A
    refusal may show as a failed handshake or, with TLS 1.3, as a connection closed before the
    upgrade: both count. Then the valid certificate connects (steps 5-10) and is Accepted
    (steps 11-12, the tool validation), the connectors Available (steps 13-14)."""
    tls = _tls(station)
    pki = tls.pki
    if pki is None:
        raise Inconclusive("precondition: no harness PKI to take invalid certificates from")
    for kind in BAD_STATION_CERTIFICATES:
        bad = pki.bad_station(kind, station.identity)
        probe = client_context(tls.trust, chain=bad.chain, key=bad.key)
        outcome = await station.try_connect(ssl_context=probe)
        require(
            isinstance(outcome, ConnectFailed),
            req="A00.FR.407: an invalid station certificate is refused",
            expected=f"the connection with a {kind} certificate refused",
            actual="the CSMS accepted it",
            frames=station.trace.render(last=6),
        )
    link = await station.connect(req="A00.FR.403: the valid station certificate is accepted")
    await _booted(station, link, sut_profile)
