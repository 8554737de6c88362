"""OCA block A (Security), OCPP 2.0.1 and 2.1: HTTP Basic authentication (security profile 1/2).
Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

import re

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from harness.transport import ConnectFailed, Link
from testcases.v201.states import boot_until_accepted, connector_status

V2 = ("2.0.1", "2.1")
#: HTTP statuses that refuse a handshake for its credentials (401; 403 also seen in the field).
REFUSED_STATUS = (401, 403)


def _basic_auth(profile: SutProfile) -> str | None:
    if profile.sut.security_profile in (1, 2):
        return None
    return f"security profile {profile.sut.security_profile} does not use HTTP Basic authentication"


def _require_auth_refused(outcome: Link | ConnectFailed, station: StationPeer, req: str) -> None:
    """The handshake was refused with HTTP 401 or 403: a timeout, an HTTP 500 or an accepted
    connection is no authentication refusal."""
    if isinstance(outcome, ConnectFailed):
        actual = f"HTTP {outcome.status}" if outcome.status is not None else str(outcome)
    else:
        actual = "the CSMS accepted the connection"
    require(
        isinstance(outcome, ConnectFailed) and outcome.status in REFUSED_STATUS,
        req=req,
        expected="the handshake refused with HTTP 401 (or 403)",
        actual=actual,
        frames=station.trace.render(),
    )


@oca(
    "TC_A_01_CSMS",
    "Basic Authentication - Valid username/password combination",
    profile="core",
    versions=V2,
    kills=("csms-auth-rejects-all", "csms-boot-rejects"),
    own_connection=True,
    applies=_basic_auth,
)
async def test_basic_auth_valid(station: StationPeer) -> None:
    """A00 (security profile 1/2): the station's identity and password are accepted."""
    await station.connect(req="A01: valid Basic credentials are accepted")
    boot = await boot_until_accepted(station, req="B01: BootNotification answered")
    boot.must(status="Accepted", req="B01: boot accepted after authentication")


@oca(
    "TC_A_02_CSMS",
    "Basic Authentication -Username does not equal ChargingStationId",
    profile="core",
    versions=V2,
    kills=("csms-auth-ignores-username",),
    own_connection=True,
    applies=_basic_auth,
)
async def test_basic_auth_wrong_username(station: StationPeer) -> None:
    """A00: a Basic username that is not the station identity is refused (right password)."""
    outcome = await station.try_connect(username=station.identity + "-other")
    _require_auth_refused(outcome, station, req="A00: username must equal the station identity")
    await station.connect(req="A00: the valid identity still connects afterwards")


@oca(
    "TC_A_03_CSMS",
    "Basic Authentication - Invalid password",
    profile="core",
    versions=V2,
    kills=("csms-auth-accepts-any-password",),
    own_connection=True,
    applies=_basic_auth,
)
async def test_basic_auth_wrong_password(station: StationPeer) -> None:
    """A00: a wrong Basic password is refused."""
    outcome = await station.try_connect(password="definitely-not-the-password")
    _require_auth_refused(outcome, station, req="A00: a wrong password is refused")
    await station.connect(req="A00: the valid password still connects afterwards")


#: A00.FR.205: a BasicAuthPassword of 16 to 40 characters of passwordString (errata 2025-02:
#: alphanumerics and the special characters identifierString allows).
BASIC_PASSWORD = re.compile(r"[A-Za-z0-9*\-_=:+|@.]{16,40}")


@oca(
    "TC_A_01_CS",
    "Basic Authentication - Valid username/password combination",
    profile="core",
    versions=V2,
    kills=("boot-skips-status",),
    applies=_basic_auth,
)
async def test_station_basic_auth(csms: CsmsPeer, sut: SutActions, sut_profile: SutProfile) -> None:
    """TC_A_01_CS (A00.FR.202-205, 301-304; B01.FR.01/05; errata 2025-02): reusable state
    Booted after a power cycle; tool validations: the upgrade request carries Basic
    credentials (the harness CSMS refuses any other) whose username is the identity at the end
    of the URL, and the password the station uses is 16-40 characters of the allowed ones.
    Then BootNotification Accepted and every connector Available."""
    csms.hold("BootNotification")
    await sut.reboot()
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s + csms.response_s,
        req="A00.FR.203: the station connects with its Basic credentials",
    )
    accepted = [h for h in csms.server.handshakes if h.status == 101]
    shake = accepted[-1]
    require(
        shake.username == shake.identity,
        req="A00.FR.204: the Basic username is the station identity",
        expected=f"username {shake.identity!r}",
        actual=f"username {shake.username!r}",
        frames=csms.trace.render(last=6),
    )
    password = csms.basic_password or ""
    require(
        BASIC_PASSWORD.fullmatch(password) is not None,
        req="A00.FR.205: the BasicAuthPassword is 16-40 allowed characters",
        expected="16-40 characters: letters, digits, * - _ = : + | @ .",
        actual=f"{len(password)} characters",
    )
    await boot.reply(status="Accepted", interval=300)
    for evse in sut_profile.sut.evses:
        for connector in range(1, evse.connectors + 1):
            await connector_status(
                csms,
                evse_id=evse.id,
                connector_id=connector,
                status="Available",
                req="B01.FR.05: every connector's state reported after Accepted",
            )
