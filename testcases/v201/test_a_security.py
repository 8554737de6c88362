"""OCA block A (Security), OCPP 2.0.1 and 2.1: HTTP Basic authentication (security profile 1/2).
Steps and criteria in our own words after OCPP 2.0.1 Part 6."""

from __future__ import annotations

import re
import secrets
import string

from harness import CsmsPeer, StationPeer, SutActions, oca
from harness.checks import require
from harness.config import SutProfile
from testcases.v201.security_states import basic_auth as _basic_auth
from testcases.v201.security_states import closed_within as _closed_within
from testcases.v201.security_states import reconnected as _reconnected
from testcases.v201.security_states import require_auth_refused, require_basic_credentials
from testcases.v201.states import (
    accept_boot,
    boot_until_accepted,
    set_variable,
    station_booted,
)

V2 = ("2.0.1", "2.1")


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
    require_auth_refused(outcome, station, req="A00: username must equal the station identity")
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
    require_auth_refused(outcome, station, req="A00: a wrong password is refused")
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
    require_basic_credentials(
        csms,
        username_req="A00.FR.204: the Basic username is the station identity",
        password_req="A00.FR.205: the BasicAuthPassword is 16-40 allowed characters",
        rule=BASIC_PASSWORD,
        shape="16-40 characters: letters, digits, * - _ = : + | @ .",
    )
    await accept_boot(csms, boot, sut_profile)


# -- A01: the CSMS sets a new BasicAuthPassword ---------------------------------------------------
PASSWORD_CHARS = string.ascii_letters + string.digits + "*-_=:+|@."
PASSWORD_VARIABLE = ("SecurityCtrlr", "BasicAuthPassword")
NEW_PASSWORD_TAKEN = "A01.FR.01: a new BasicAuthPassword is Accepted (or RebootRequired)"
NEW_PASSWORD_USED = "A01.FR.01: the station reconnects with the new BasicAuthPassword"
SHORT_PASSWORD_REFUSED = "A00.FR.205/304: a BasicAuthPassword under 16 characters is Rejected"
PASSWORD_STORED = "A01.FR.03: after Accepted only the new BasicAuthPassword is accepted"
PASSWORD_KEPT = "A01.FR.04: after Rejected the old BasicAuthPassword is still accepted"
OLD_PASSWORD_USED = (
    "A01.FR.01: after a Rejected change the station reconnects with the old password"
)


def new_password(low: int = 16, high: int = 40) -> str:
    """A random passwordString of ``low``-``high`` characters (A00.FR.205, A01.FR.07)."""
    length = low + secrets.randbelow(high - low + 1)
    return "".join(secrets.choice(PASSWORD_CHARS) for _ in range(length))


@oca(
    "TC_A_09_CS",
    "Update Charging Station Password for HTTP Basic Authentication - Accepted",
    profile="core",
    versions=V2,
    kills=("password-change-ignored",),
    applies=_basic_auth,
)
async def test_station_password_accepted(csms: CsmsPeer, sut_profile: SutProfile) -> None:
    """TC_A_09_CS (A01.FR.01, B01.FR.01): SetVariables SecurityCtrlr.BasicAuthPassword with a
    random 16-40 character passwordString (step 1); tool validation: Accepted or RebootRequired
    (step 2). From then on the harness CSMS takes the new password only: the station reconnects
    with it (steps 3-4). RebootRequired: unless it reboots by itself within the response time,
    Reset OnIdle; then BootNotification (answered Accepted) and every connector's state (steps
    5-8). Deviations: a station that answered Accepted and keeps its connection open for the
    response time has it closed by the harness (the new password is for the next connection);
    A01.FR.11/12 (the security log) are not checked (no log upload in this case). After the
    case the configured password is set back (the harness follows it)."""
    original = csms.basic_password
    old = csms.link
    item = await set_variable(
        csms, *PASSWORD_VARIABLE, new_password(), req="A01.FR.02: SetVariables answered"
    )
    status = item.get("attributeStatus")
    require(
        status in ("Accepted", "RebootRequired"),
        req=NEW_PASSWORD_TAKEN,
        expected="attributeStatus Accepted or RebootRequired",
        actual=repr(status),
    )
    reboot = status == "RebootRequired"
    if reboot:
        csms.hold("BootNotification")
    if not await _closed_within(old, csms.response_s) and old is not None:
        if reboot:
            reset = await csms.call("Reset", type="OnIdle", req="B11.FR.01: Reset answered")
            reset.must(status="Accepted", req="B11.FR.03: Reset OnIdle Accepted")
        else:
            csms.trace.event("the station kept its connection: the harness closes it")
            await old.close(1000, "reconnect with the new BasicAuthPassword")
    await _reconnected(csms, req=NEW_PASSWORD_USED, fallback=original)
    if not reboot:
        return
    boot = await csms.expect(
        "BootNotification",
        within_s=csms.action_s + csms.response_s,
        req="B01.FR.01: BootNotification after the reboot",
    )
    await accept_boot(csms, boot, sut_profile)


@oca(
    "TC_A_10_CS",
    "Update Charging Station Password for HTTP Basic Authentication - Rejected",
    profile="core",
    versions=V2,
    kills=("password-accepts-short",),
    applies=_basic_auth,
)
async def test_station_password_rejected(csms: CsmsPeer) -> None:
    """TC_A_10_CS (A01.FR.01, A00.FR.205/304): SetVariables SecurityCtrlr.BasicAuthPassword with
    a random passwordString of 8-15 characters (step 1); tool validation: Rejected (step 2).
    Then the station connects with its old password (steps 3-4) and is still booted (step 5).
    Deviation: the document does not say what ends the connection before step 3; the harness
    closes it and waits for the station to reconnect."""
    original = csms.basic_password
    item = await set_variable(
        csms, *PASSWORD_VARIABLE, new_password(8, 15), req="A01.FR.02: SetVariables answered"
    )
    status = item.get("attributeStatus")
    require(
        status == "Rejected",
        req=SHORT_PASSWORD_REFUSED,
        expected="attributeStatus Rejected",
        actual=repr(status),
    )
    old = csms.link
    if old is not None and not old.closed.is_set():
        await old.close(1000, "reconnect with the same BasicAuthPassword")
    await _reconnected(csms, req=OLD_PASSWORD_USED, fallback=original)
    why = await csms.booted_within(csms.action_s)
    require(
        why is None,
        req="B01.FR.01: the station is still booted after reconnecting",
        expected="the station connected with its boot Accepted",
        actual=why or "",
        frames=csms.trace.render(last=6),
    )


async def _csms_sets_password(station: StationPeer, sut: SutActions, answer: str) -> str:
    """Steps 1-2: the operator has the CSMS set a new BasicAuthPassword (action
    ``set_basic_password``); tool validation: SetVariables of SecurityCtrlr.BasicAuthPassword;
    the harness answers ``answer`` and disconnects. Returns the password sent."""
    station.hold("SetVariables")
    await sut.set_basic_password()
    request = await station.expect(
        "SetVariables", req="A01.FR.02: the CSMS sends SetVariablesRequest"
    )
    items = request.get("setVariableData") or []
    ours = [
        i
        for i in items
        if (i.get("component", {}).get("name"), i.get("variable", {}).get("name"))
        == PASSWORD_VARIABLE
    ]
    require(
        len(ours) == 1,
        req="A01.FR.02: SetVariables of SecurityCtrlr.BasicAuthPassword",
        expected="one setVariableData item for component SecurityCtrlr, variable BasicAuthPassword",
        actual=", ".join(
            f"{i.get('component', {}).get('name')}.{i.get('variable', {}).get('name')}"
            for i in items
        )
        or "no item",
        frames=station.trace.render(last=4),
    )
    password = str(ours[0].get("attributeValue", ""))
    require(
        BASIC_PASSWORD.fullmatch(password) is not None,
        req="A00.FR.205/304: the new BasicAuthPassword is 16-40 allowed characters",
        expected="16-40 characters: letters, digits, * - _ = : + | @ .",
        actual=f"{len(password)} characters",
    )
    await request.reply(
        set_variable_result=[
            {
                "attributeStatus": answer if i in ours else "Rejected",
                "component": i["component"],
                "variable": i["variable"],
                **({"attributeType": i["attributeType"]} if "attributeType" in i else {}),
            }
            for i in items
        ]
    )
    await station.disconnect()
    return password


@oca(
    "TC_A_09_CSMS",
    "Update Charging Station Password for HTTP Basic Authentication - Accepted",
    profile="core",
    versions=V2,
    kills=("csms-password-not-stored",),
    applies=_basic_auth,
)
async def test_csms_password_accepted(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_09_CSMS (A01.FR.02/03): the CSMS, asked by its operator, sends SetVariables of
    SecurityCtrlr.BasicAuthPassword (step 1, tool validation); the harness answers Accepted
    (step 2) and reconnects with the new password (steps 3-4); BootNotification Accepted (steps
    5-6, tool validation) and every connector Available (steps 7-8). Additions: the new
    password is 16-40 passwordString characters (A00.FR.205/304), and before step 3 the old
    password is refused (A01.FR.03, the purpose's "only accepts the new credentials"). The
    harness station keeps the new password for the rest of the session (a CSMS under test keeps
    it too)."""
    old = station.password
    new = await _csms_sets_password(station, sut, "Accepted")
    outcome = await station.try_connect(password=old)
    require_auth_refused(outcome, station, req=PASSWORD_STORED)
    station.password = new
    await station.connect(req=PASSWORD_STORED)
    await station_booted(station, sut_profile, req="A01.FR.03: boot Accepted with the new password")


@oca(
    "TC_A_10_CSMS",
    "Update Charging Station Password for HTTP Basic Authentication - Rejected",
    profile="core",
    versions=V2,
    kills=("csms-password-stored-on-reject",),
    applies=_basic_auth,
)
async def test_csms_password_rejected(
    station: StationPeer, sut: SutActions, sut_profile: SutProfile
) -> None:
    """TC_A_10_CSMS (A01.FR.02/04/05): as TC_A_09_CSMS steps 1-2, answered Rejected; the harness
    reconnects with its old password (steps 3-4, A01.FR.04); BootNotification Accepted (steps
    5-6, tool validation: A01.FR.05 would allow Pending, the document asks for Accepted; a
    Pending boot is repeated until the action time ends) and every connector Available (steps
    7-8). Addition: the new password is 16-40 passwordString characters (A00.FR.205/304)."""
    await _csms_sets_password(station, sut, "Rejected")
    await station.connect(req=PASSWORD_KEPT)
    await station_booted(station, sut_profile, req="A01.FR.04: boot Accepted with the old password")
