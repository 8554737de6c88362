"""OCPP 1.6 Security Whitepaper (edition 3) with the charge point under test (the harness plays the
Central System): the security profiles' connections (A00: TC_085/086/087_CS), the AuthorizationKey
(A01: TC_073_CS), the security profile that cannot go down (A05: TC_084_CS), the invalid Central
System certificate (A00/A04: TC_078_CS) and the security log (N01: TC_079_CS). The 1.6 test case
document is not public: the ids and titles are the catalogue's (section 25), the steps ours,
after the whitepaper's use cases and the OCA 2.0.1 twin each case names. The certificate cases
are in :mod:`.test_security_certificates`."""

from __future__ import annotations

import secrets

from harness import CsmsPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.transport.tls import server_context
from harness.verdicts import Inconclusive
from testcases.v16.states import accept_boot
from testcases.v201.log_upload import log_server, log_uploaded
from testcases.v201.security_states import (
    basic_auth,
    booting,
    closed_within,
    reconnected,
    require_basic_credentials,
    require_link_tls,
    require_valid_certificate_used,
    server_hooks,
    session_pki,
)
from testcases.v201.test_a_security import BASIC_PASSWORD
from testcases.v201.tls_checks import (
    client_certificates,
    peer_certificate,
    require_certificate_properties,
    ssl_object,
    tls_profile,
)

V16 = ("1.6",)
AUTHORIZATION_KEY = "AuthorizationKey"
KEY_WRITE_ONLY = "1.6 SEC §7.2: AuthorizationKey is write-only"
KEY_TAKEN = "1.6 SEC A01.FR.01: a new AuthorizationKey is Accepted"
KEY_USED = "1.6 SEC A01.FR.01: the charge point reconnects with the new AuthorizationKey"
TLS_USED = "1.6 SEC A00.FR.311/415: the connection is secured with TLS (1.2 or above RECOMMENDED)"
INVALID_ENDED = (
    "1.6 SEC A00.FR.310/414: the charge point ends a connection with an invalid certificate"
)
INVALID_REPORTED = (
    "1.6 SEC A00.FR.309/413: SecurityEventNotification InvalidCentralSystemCertificate"
)


def _link_tls(csms: CsmsPeer) -> None:
    """TLS with the session's certificate; TLS 1.0/1.1 only a warning (A00.FR.312/416 MAY)."""
    require_link_tls(csms, req=TLS_USED, legacy=True)
    require_valid_certificate_used(csms, req=INVALID_ENDED)


# -- A01: the AuthorizationKey ---------------------------------------------------------------------
@oca(
    "TC_073_CS",
    "Update Charge Point Password for HTTP Basic Authentication",
    profile="advanced-security",
    versions=V16,
    kills=("password-not-applied-16", "authorization-key-readable-16"),
    applies=basic_auth,
)
async def test_update_authorization_key(csms: CsmsPeer) -> None:
    """TC_073_CS (1.6 SEC A01.FR.01/02, §7.2; the 1.6 test case document is not public: the steps
    follow the OCA 2.0.1 twin TC_A_09_CS): GetConfiguration of AuthorizationKey must not reveal
    its value (write-only, §7.2); ChangeConfiguration AuthorizationKey with a random key of 40
    hexadecimal digits (20 bytes: A00.FR.205/304) (step 1), Accepted (step 2). From then on the
    harness takes the new key only: the charge point reconnects with it (steps 3-4). Deviation:
    a charge point that keeps its connection open for the response time has it closed by the
    harness (the new key is for the next connection). After the case the configured key is set
    back (the harness follows it)."""
    read = await csms.call("GetConfiguration", key=[AUTHORIZATION_KEY], req="1.6 §5.8: answered")
    shown = [
        entry
        for entry in read.must().get("configurationKey") or []
        if isinstance(entry, dict) and entry.get("key") == AUTHORIZATION_KEY
    ]
    require(
        all(entry.get("value") in (None, "") for entry in shown),
        req=KEY_WRITE_ONLY,
        expected="no value reported for AuthorizationKey",
        actual=f"{len(str(shown[0].get('value')))} characters reported" if shown else "",
        frames=read.frames,
    )
    original = csms.basic_password
    old = csms.link
    answer = await csms.call(
        "ChangeConfiguration",
        key=AUTHORIZATION_KEY,
        value=secrets.token_hex(20),
        req="1.6 SEC A01.FR.02: ChangeConfiguration answered",
    )
    answer.must(status="Accepted", req=KEY_TAKEN)
    if not await closed_within(old, csms.response_s) and old is not None:
        csms.trace.event("the charge point kept its connection: the harness closes it")
        await old.close(1000, "reconnect with the new AuthorizationKey")
    await reconnected(csms, req=KEY_USED, fallback=original)


@oca(
    "TC_085_CS",
    "Basic Authentication - Valid username/password combination",
    profile="advanced-security",
    versions=V16,
    kills=("boot-skips-status",),
    applies=basic_auth,
)
async def test_basic_auth_valid(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_085_CS (1.6 SEC A00.FR.202-205, 301-304; the 1.6 test case document is not public: the
    steps follow the OCA 2.0.1 twin TC_A_01_CS): the charge point is rebooted and connects with
    Basic credentials (the harness refuses any other) whose username is its identity and whose
    password (the AuthorizationKey) is 16-40 characters; BootNotification answered Accepted and
    every connector reported Available (1.6 §4.2, §4.9)."""
    boot = await booting(
        csms, sut, req="1.6 SEC A00.FR.203/302: the charge point connects with Basic credentials"
    )
    require_basic_credentials(
        csms,
        username_req="1.6 SEC A00.FR.204/303: the Basic username is the charge point identity",
        password_req="1.6 SEC A00.FR.205/304: the AuthorizationKey is 16-40 characters",
        rule=BASIC_PASSWORD,
        shape="16 to 40 characters",
    )
    await accept_boot(csms, boot, sut_profile)


# -- A00: TLS ---------------------------------------------------------------------------------------
@oca(
    "TC_086_CS",
    "TLS - server-side certificate - Valid certificate",
    profile="advanced-security",
    versions=V16,
    kills=("boot-skips-status",),
    applies=tls_profile,
)
async def test_server_certificate_valid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_086_CS (1.6 SEC A00.FR.305-307, 311/312, 409-411, 415/416; the 1.6 test case document
    is not public: the steps follow the OCA 2.0.1 twin TC_A_04_CS): the charge point is rebooted
    and sets up TLS with the harness's valid server certificate (Basic credentials under
    profile 2, its client certificate under 3); TLS 1.2 or above is checked, TLS 1.0/1.1 only a
    warning (a 1.6 charge point MAY use them). BootNotification Accepted and every connector
    reported Available."""
    boot = await booting(csms, sut, req=TLS_USED)
    _link_tls(csms)
    await accept_boot(csms, boot, sut_profile)


@oca(
    "TC_087_CS",
    "TLS - Client-side certificate - valid certificate",
    profile="advanced-security",
    versions=V16,
    kills=("boot-skips-status",),
    applies=client_certificates,
)
async def test_client_certificate_valid(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_087_CS (1.6 SEC A00.FR.401/402, 501-503, 508; the 1.6 test case document is not public:
    the steps follow the OCA 2.0.1 twin TC_A_07_CS): the charge point is rebooted and presents
    its certificate in the TLS handshake; the certificate's key is strong enough, it has a
    serial number and a CN that is neither a URL nor an IP address (the checks of
    :func:`~testcases.v201.tls_checks.require_certificate_properties`, 2.0.1 ids: the 1.6 ones
    are the same up to A00.FR.508). BootNotification Accepted and every connector Available."""
    boot = await booting(
        csms, sut, req="1.6 SEC A00.FR.401: the charge point authenticates with its certificate"
    )
    _link_tls(csms)
    assert csms.link is not None
    obj = ssl_object(csms.link)
    require_certificate_properties(peer_certificate(obj) if obj else None, "", csms, server=False)
    await accept_boot(csms, boot, sut_profile)


@oca(
    "TC_078_CS",
    "Invalid CentralSystemCertificate Security Event",
    profile="advanced-security",
    versions=V16,
    kills=("no-security-event-invalid-cs-cert-16",),
    applies=tls_profile,
)
async def test_invalid_central_system_certificate(
    csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_078_CS (1.6 SEC A00.FR.309/310, 413/414, A04.FR.01/02; the 1.6 test case document is
    not public: the steps follow the OCA 2.0.1 twin TC_A_05_CS): the charge point is rebooted;
    its first TLS handshake gets a server certificate from an unknown CA, which it must refuse;
    its next attempt gets the valid one and boots Accepted, every connector Available; then it
    reports SecurityEventNotification InvalidCentralSystemCertificate (queued while it was not
    connected)."""
    hooks = server_hooks(csms)
    bad = session_pki(csms).bad_server("unknown-ca")
    trust = csms.tls.trust if csms.tls is not None else ()
    hooks.present_next(server_context(bad.chain, bad.key, client_ca=trust or None))
    try:
        boot = await booting(csms, sut, req="1.6 SEC A00.FR.310/414: the charge point retries")
    finally:
        hooks.disarm()
    if hooks.alternate_served == 0:
        raise Inconclusive("the charge point made no TLS attempt that got the invalid certificate")
    _link_tls(csms)
    await accept_boot(csms, boot, sut_profile)
    await csms.expect(
        "SecurityEventNotification",
        within_s=csms.action_s,
        req=INVALID_REPORTED,
        type="InvalidCentralSystemCertificate",
    )


# -- A05: the security profile cannot go down ----------------------------------------------------
@oca(
    "TC_084_CS",
    "Downgrade security profile - Rejected",
    profile="advanced-security",
    versions=V16,
    kills=("security-profile-downgrade-accepted-16",),
    applies=tls_profile,
)
async def test_downgrade_rejected(csms: CsmsPeer) -> None:
    """TC_084_CS (1.6 SEC A05.FR.01, A00.FR.005; the 1.6 test case document is not public: the
    steps follow the OCA 2.0.1 twin TC_A_22_CS): with a connection over security profile 2 or 3,
    ChangeConfiguration SecurityProfile 1 (step 1) is answered Rejected (step 2)."""
    answer = await csms.call(
        "ChangeConfiguration",
        key="SecurityProfile",
        value="1",
        req="1.6 §5.3: ChangeConfiguration answered",
    )
    answer.must(status="Rejected", req="1.6 SEC A05.FR.01: a lower SecurityProfile is Rejected")


# -- N01: the security log -------------------------------------------------------------------------
@oca(
    "TC_079_CS",
    "Get Security Log",
    profile="advanced-security",
    versions=V16,
    kills=("getlog-wrong-requestid-16",),
)
async def test_get_security_log(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_079_CS (1.6 SEC N01.FR.01/03/07-09; the 1.6 test case document is not public: the steps
    follow the OCA 2.0.1 twin TC_N_35_CS): GetLog logType SecurityLog with a location on the
    harness's log server (step 1), Accepted with a file name (step 2); LogStatusNotification
    Uploading (step 3) and Uploaded (step 5), both with the GetLog's requestId; the file reached
    the log server."""
    async with log_server(csms, sut_profile.sut.listen.host) as server:
        await log_uploaded(
            csms, server, "SecurityLog", 7901, "1.6 SEC N01.FR.02/03: the security log is uploaded"
        )
