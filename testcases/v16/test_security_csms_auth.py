"""OCPP 1.6 security extension (1.6 Security Whitepaper edition 3, "1.6 SEC"), the Central System
under test: HTTP Basic authentication of security profiles 1 and 2 (§2.3-2.4) and the
AuthorizationKey update (A01): TC_085_CSMS and TC_073_CSMS.

The OCA test case document for 1.6 is not public: the ids and titles are the catalogue's
(``harness/catalogue/ocpp16-csms.tsv``); the steps are ours, written from the whitepaper in the
order of the OCA 2.0.1 twins TC_A_01_CSMS and TC_A_09_CSMS (OCPP 2.0.1 Part 6)."""

from __future__ import annotations

import re

from harness import StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from testcases.v16.states import station_booted
from testcases.v201.security_states import basic_auth, require_auth_refused
from testcases.v201.states import boot_until_accepted

V16 = ("1.6",)
#: 1.6 SEC A00.FR.205/304: at least 16 bytes, at most 20, as hexadecimal digits.
AUTHORIZATION_KEY = re.compile(r"[0-9A-Fa-f]{32,40}")
VALID_ACCEPTED = "1.6 SEC A00.FR.202-204: valid Basic credentials are accepted"
KEY_SENT = "1.6 SEC A01.FR.02: the Central System sends ChangeConfiguration.req AuthorizationKey"
KEY_FORMAT = "1.6 SEC A00.FR.205: the new AuthorizationKey is 32-40 hexadecimal digits"
OLD_REFUSED = "1.6 SEC A01.FR.03: the old credentials are no longer accepted"
NEW_ACCEPTED = "1.6 SEC A01.FR.03: the new AuthorizationKey is accepted"


@oca(
    "TC_085_CSMS",
    "Basic Authentication - Valid username/password combination",
    profile="advanced-security",
    versions=V16,
    kills=("csms-auth-rejects-all",),
    own_connection=True,
    applies=basic_auth,
)
async def test_basic_auth_valid(station: StationPeer) -> None:
    """TC_085_CSMS (twin of TC_A_01_CSMS; 1.6 SEC A00.FR.202-204): the harness charge point
    connects with HTTP Basic authentication, username its identity and password its
    AuthorizationKey; the Central System accepts the connection and the BootNotification."""
    await station.connect(req=VALID_ACCEPTED)
    boot = await boot_until_accepted(station, req="1.6 §4.2: BootNotification answered")
    boot.must(status="Accepted", req="1.6 §4.2: boot accepted after authentication")


@oca(
    "TC_073_CSMS",
    "Update Charge Point Password for HTTP Basic Authentication",
    profile="advanced-security",
    versions=V16,
    kills=("csms-password-not-stored",),
    applies=basic_auth,
)
async def test_authorization_key_updated(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_073_CSMS (twin of TC_A_09_CSMS; 1.6 SEC A01.FR.02/03, A00.FR.205): asked by its
    operator (action ``set_basic_password``), the Central System sends ChangeConfiguration.req
    with key AuthorizationKey (A01.FR.02) and a value of 32-40 hexadecimal digits (A00.FR.205);
    the harness answers Accepted and reconnects: its old key must be refused and the new one
    accepted (A01.FR.03), then the charge point boots (BootNotification Accepted, every
    connector Available). The harness keeps the new key for the rest of the session."""
    station.hold("ChangeConfiguration")
    await sut.set_basic_password()
    request = await station.expect("ChangeConfiguration", req=KEY_SENT)
    key, value = request.get("key"), str(request.get("value") or "")
    await request.reply(status="Accepted" if key == "AuthorizationKey" else "Rejected")
    require(
        key == "AuthorizationKey",
        req=KEY_SENT,
        expected="key AuthorizationKey",
        actual=repr(key),
        frames=station.trace.render(last=4),
    )
    require(
        AUTHORIZATION_KEY.fullmatch(value) is not None,
        req=KEY_FORMAT,
        expected="32-40 hexadecimal digits (16-20 bytes)",
        actual=f"{len(value)} characters"
        + ("" if re.fullmatch(r"[0-9A-Fa-f]*", value) else ", not all hexadecimal"),
    )
    old = station.password
    outcome = await station.try_connect(password=old)
    require_auth_refused(outcome, station, req=OLD_REFUSED)
    station.password = value
    await station.connect(req=NEW_ACCEPTED)
    await station_booted(station, sut_profile)
