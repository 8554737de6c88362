"""OCA block A (Security), OCPP 2.0.1 and 2.1: TLS of security profiles 2 and 3 with the charging
station under test (``_CS``: the harness is the CSMS) — the server certificate it must verify,
the TLS version it must insist on, the client certificate it presents. The invalid certificate
and the old TLS version are offered to the next connection attempt only (:mod:`harness.transport
.tls_hooks`), so the station's retry meets the valid ones. Steps and criteria in our own words
after OCPP 2.0.1 Part 6; the checks in :mod:`.tls_checks`."""

from __future__ import annotations

from harness import CsmsPeer, SutActions, oca
from harness.config import SutProfile
from harness.transport.tls import server_context
from harness.verdicts import Inconclusive
from testcases.v201.security_states import booting as _booting
from testcases.v201.security_states import require_link_tls, require_valid_certificate_used
from testcases.v201.security_states import server_hooks as _hooks
from testcases.v201.states import accept_boot, get_variable, set_variable
from testcases.v201.tls_checks import (
    client_certificates,
    peer_certificate,
    require_certificate_properties,
    require_tls12,
    tls_profile,
)

V2 = ("2.0.1", "2.1")


def _link_tls(csms: CsmsPeer, *, req: str) -> None:
    """The station's connection runs over TLS 1.2+ with the session's certificate."""
    require_link_tls(csms, req=req)
    require_valid_certificate_used(
        csms, req="A00.FR.311: the station ends a connection with an invalid CSMS certificate"
    )


@oca(
    "TC_A_04_CS",
    "TLS - server-side certificate - Valid certificate",
    profile="core",
    versions=V2,
    kills=("boot-skips-status",),
    applies=tls_profile,
)
async def test_server_certificate_valid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_04_CS (A00.FR.309, 312/313, 319, 321, 412): state Booting; the station sets up TLS
    with the harness's valid server certificate (its client certificate under profile 3, Basic
    credentials under 2; steps 1-6); tool validation: TLS 1.2 or above (the suites it offers
    are not visible to a Python server: the negotiated one is in the trace). BootNotification
    answered Accepted and the connectors reported Available (steps 7-10)."""
    boot = await _booting(csms, sut, req="A00.FR.313: the station connects with TLS 1.2+")
    _link_tls(csms, req="A00.FR.313: TLS 1.2 or above")
    await accept_boot(csms, boot, sut_profile)


@oca(
    "TC_A_05_CS",
    "TLS - server-side certificate - Invalid certificate",
    profile="core",
    versions=V2,
    kills=("accepts-unknown-csms-certificate", "no-security-event-on-tls-failure"),
    applies=tls_profile,
)
async def test_server_certificate_invalid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_05_CS (A00.FR.310/311, 413/414; errata 2024-11: the station reconnects after each
    failed attempt): Before: OCPPCommCtrlr.NetworkProfileConnectionAttempts 2 where it can be
    set. State Booting: the first handshake gets a server certificate from an unknown CA
    (steps 1-2), which the station must refuse (step 3); its next attempt gets the valid one
    and boots Accepted, the connectors Available (steps 4-13); then it reports
    SecurityEventNotification InvalidCsmsCertificate (steps 14-15, the tool validation)."""
    hooks = _hooks(csms)
    pki = csms.tls.pki if csms.tls is not None else None
    if pki is None:
        raise Inconclusive("precondition: no harness PKI to take an invalid certificate from")
    await set_variable(
        csms, "OCPPCommCtrlr", "NetworkProfileConnectionAttempts", "2", req="A00: preparation"
    )
    bad = pki.bad_server("unknown-ca")
    trust = csms.tls.trust if csms.tls is not None else ()
    hooks.present_next(server_context(bad.chain, bad.key, client_ca=trust or None))
    try:
        boot = await _booting(csms, sut, req="A00.FR.311: the station retries and boots")
    finally:
        hooks.disarm()
    if hooks.alternate_served == 0:
        raise Inconclusive("the station made no TLS attempt that got the invalid certificate")
    _link_tls(csms, req="A00.FR.313: TLS 1.2 or above")
    await accept_boot(csms, boot, sut_profile)
    await csms.expect(
        "SecurityEventNotification",
        within_s=csms.action_s,
        req="A00.FR.310: SecurityEventNotification InvalidCsmsCertificate",
        type="InvalidCsmsCertificate",
    )


@oca(
    "TC_A_06_CS",
    "TLS - server-side certificate - TLS version too low",
    profile="core",
    versions=V2,
    kills=("accepts-old-tls",),
    applies=tls_profile,
)
async def test_tls_version_too_low(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_06_CS (A00.FR.314, 316, 416/417, 419): Before: NetworkProfileConnectionAttempts 1
    where it can be set. The first handshake is offered TLS 1.0/1.1 only (steps 1-2), which the
    station must refuse (step 3); its next attempt gets TLS 1.2+ and boots Accepted, the
    connectors Available (steps 4-13). The SecurityEventNotification InvalidTLSVersion (steps
    14-17) is optional in the document (a station may not tell why the handshake failed) and
    not required here."""
    hooks = _hooks(csms)
    await set_variable(
        csms, "OCPPCommCtrlr", "NetworkProfileConnectionAttempts", "1", req="A00: preparation"
    )
    hooks.old_once()
    try:
        boot = await _booting(csms, sut, req="A00.FR.416: the station retries and boots")
    finally:
        hooks.disarm()
    if hooks.old_served == 0:
        raise Inconclusive("the station made no TLS attempt that got the old TLS version")
    _link_tls(csms, req="A00.FR.416: the station refuses a TLS version below 1.2")
    await accept_boot(csms, boot, sut_profile)


@oca(
    "TC_A_07_CS",
    "TLS - Client-side certificate - valid certificate",
    profile="advanced-security",
    versions=V2,
    kills=("boot-skips-status",),
    applies=client_certificates,
)
async def test_client_certificate_valid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_07_CS (A00.FR.401/402, 415/416, 502/503, 508, 511): state Booting; the station
    presents its certificate in the handshake (steps 1-6); tool validations: TLS 1.2 or above,
    the certificate's key strong enough, a serial number, a CN that is its serial number (not a
    URL or IP address; the harness also requires it to be the station identity, A00.FR.405).
    BootNotification Accepted and the connectors Available (steps 7-10)."""
    boot = await _booting(
        csms, sut, req="A00.FR.401: the station authenticates with its own certificate"
    )
    _link_tls(csms, req="A00.FR.416: TLS 1.2 or above")
    assert csms.link is not None
    obj = require_tls12(csms.link, csms, req="A00.FR.416: TLS 1.2 or above")
    require_certificate_properties(peer_certificate(obj), "", csms, server=False)
    await accept_boot(csms, boot, sut_profile)


@oca(
    "TC_A_22_CS",
    "Upgrade Charging Station Security Profile - Downgrade security profile - Rejected",
    profile="core",
    versions=V2,
    kills=("network-profile-downgrade-accepted",),
    applies=tls_profile,
)
async def test_downgrade_refused(csms: CsmsPeer) -> None:
    """TC_A_22_CS (B09.FR.04; errata 2025-02: a downgrade to security profile 1): with a
    connection over security profile 2 or 3, SetNetworkProfile for a slot not in use with
    connectionData securityProfile 1 and a ws:// URL where nothing listens (step 1) is answered
    Rejected (step 2, the tool validation). Deviation: the document's second connection slot
    with its own server is not needed, as the answer alone is judged."""
    item = await get_variable(
        csms, "OCPPCommCtrlr", "NetworkConfigurationPriority", req="B10: priority read"
    )
    in_use = [s.strip() for s in str(item.get("attributeValue") or "").split(",") if s.strip()]
    slot = int(in_use[0]) % 9 + 1 if in_use and in_use[0].isdigit() else 2
    data = {
        "ocppVersion": "OCPP20",
        "ocppTransport": "JSON",
        "ocppCsmsUrl": "ws://127.0.0.1:9/ocpp",
        "messageTimeout": 30,
        "securityProfile": 1,
        "ocppInterface": "Wired0",
    }
    answer = await csms.call(
        "SetNetworkProfile",
        configuration_slot=slot,
        connection_data=data,
        req="B09: SetNetworkProfile answered",
    )
    answer.must(status="Rejected", req="B09.FR.04: a lower security profile is Rejected")
