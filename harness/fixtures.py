"""The fixtures a test case asks for: ``csms`` or ``station`` (the harness peer), ``sut`` (actions).

Lifetimes follow DESIGN §4: the harness listener/connection and the built-in reference SUT live for
the whole session (pytest-asyncio loop scope ``session``); each case gets a fresh view of the peer
(its own trace, expectations and replies) and the OCA preconditions are restored before it.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from harness.actions import SutActions, actions_for, check_environment, operator_for
from harness.config import ProfileError, Role, SutProfile
from harness.peers import CsmsPeer, StationPeer
from harness.peers.preconditions import restore_csms_or_reset, restore_station_or_reset
from harness.peers.setup_checks import SetupError, listen_error
from harness.peers.sut_state import numbering
from harness.peers.tls_setup import SessionTls, TlsConfigError, session_tls
from harness.reference.variants import seeded_for
from harness.run import FINDINGS_KEY, TRACE_KEY, HarnessRun
from harness.testcase import case_of
from harness.verdicts import HarnessError, Inconclusive

RUN_KEY = pytest.StashKey[HarnessRun]()


def _run(config: pytest.Config) -> HarnessRun:
    return config.stash[RUN_KEY]


@pytest.fixture(scope="session")
def sut_profile(pytestconfig: pytest.Config) -> SutProfile:
    """The SUT profile of this run (``--ocpp-sut``; the reference station 2.0.1 by default)."""
    return _run(pytestconfig).profile


class _Session:
    """The session-long peer plus the built-in reference SUT behind it, if any."""

    def __init__(self) -> None:
        self.peer: CsmsPeer | StationPeer | None = None
        self.reference: Any = None
        #: The OCA id of the case that ran last (named when a precondition is not met).
        self.previous = ""
        #: Whether a case has started yet (the first waits the whole connect + action time).
        self.started = False
        #: The SUT actions of the session (``sut`` fixture; lifecycle start/stop/reset).
        self.actions: SutActions | None = None
        #: Security profile 2/3: the TLS contexts (and a built-in SUT's PKI directory).
        self.tls: SessionTls | None = None
        self.workdir: str | None = None


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def ocpp_session(pytestconfig: pytest.Config) -> AsyncIterator[_Session]:
    """Start the harness peer (and the built-in SUT) once per session; stop them at the end."""
    run = _run(pytestconfig)
    sut = run.profile.sut
    state = _Session()
    try:
        try:
            state.tls = _tls(run, state)
            if sut.role is Role.CHARGING_STATION:
                await _start_csms_side(run, state)
            else:
                await _start_station_side(run, state)
            if state.tls is not None:  # evidence: over which certificates the run went
                run.sut_identity["tls"] = state.tls.summary
            await _start_actions(pytestconfig, run, state)
        except SetupError as exc:
            # Issue 8 item 4: one line naming the key and the fix; no case runs.
            run.setup_error = str(exc)
            pytest.exit(f"SUT profile: {exc}", returncode=pytest.ExitCode.USAGE_ERROR)
        if state.peer is not None:
            run.between_cases = state.peer.between
        yield state
    finally:
        if state.actions is not None:
            await _stop_actions(pytestconfig, state.actions)
        if state.reference is not None:
            await state.reference.stop()
        if state.peer is not None:
            await state.peer.stop()
        if state.workdir is not None:
            shutil.rmtree(state.workdir, ignore_errors=True)


def _tls(run: HarnessRun, state: _Session) -> SessionTls | None:
    """Security profile 2/3: the contexts from ``sut.tls`` / the harness PKI (a built-in SUT's
    in a session directory); a missing or unusable file is a set-up error."""
    if run.profile.sut.security_profile < 2:
        return None
    state.workdir = tempfile.mkdtemp(prefix="ocpp-harness-tls-")
    try:
        tls = session_tls(run.profile, Path(state.workdir), run.faults, seeded_for(run).names)
    except TlsConfigError as exc:
        raise SetupError(str(exc)) from None
    return tls


async def _start_csms_side(run: HarnessRun, state: _Session) -> None:
    sut = run.profile.sut
    t = sut.timeouts
    credentials = None
    # a built-in station gets a password of the session's (A00.FR.205: 16-40 characters)
    password = secrets.token_urlsafe(18) if sut.builtin else sut.password()
    if sut.security_profile in (1, 2):

        def credentials(identity: str, username: str, given: str) -> bool:
            """Security profile 1/2: username = station identity, the password the peer expects
            (from the environment, or as a case set it: A01)."""
            return username == identity == sut.identity and hmac.compare_digest(
                given, peer.basic_password or ""
            )

    peer = CsmsPeer(
        str(sut.ocpp),
        host=sut.listen.host,
        port=sut.listen.port,
        response_s=t.response_s,
        action_s=t.action_s,
        credentials=credentials,
        ssl_context=state.tls.harness if state.tls else None,
        max_frame_bytes=run.profile.limits.max_frame_bytes,
    )
    peer.clock_deviation_s = t.clock_deviation_s
    peer.tls = state.tls
    peer.basic_password = password if credentials is not None else None
    peer.state.numbering = numbering([(e.id, e.connectors) for e in sut.evses])
    try:
        await peer.start()
    except OSError as exc:
        raise listen_error(exc, sut.listen.host, sut.listen.port) from None
    state.peer = peer
    run.sut_identity = {"identity": sut.identity, "listen": peer.url}
    if sut.builtin == "reference-station":
        from harness.reference.station import ReferenceStation

        state.reference = ReferenceStation(
            version=str(sut.ocpp),
            csms_url=peer.url,
            identity=sut.identity,
            evses=tuple((e.id, e.connectors) for e in sut.evses),
            faults=run.faults,
            variants=seeded_for(run),
            ssl_context=state.tls.reference if state.tls else None,
            password=password if sut.security_profile in (1, 2) else None,
        )
        await state.reference.start()
        # DESIGN §4: the first case starts from "Booted", not in the middle of the first boot.
        await state.reference.wait_ready(t.connect_s + t.action_s)


async def _start_station_side(run: HarnessRun, state: _Session) -> None:
    sut = run.profile.sut
    t = sut.timeouts
    url = sut.url or ""
    password = None
    if sut.builtin == "reference-csms":
        from harness.reference.csms import ReferenceCsms

        if sut.security_profile in (1, 2):  # profile 3: certificates, no password
            password = secrets.token_urlsafe(18)
        state.reference = ReferenceCsms(
            version=str(sut.ocpp),
            faults=run.faults,
            variants=seeded_for(run),
            valid_tokens=(sut.tokens.valid,),
            tokens=sut.tokens,
            passwords={sut.identity: password} if password else None,
            ssl_context=state.tls.reference if state.tls else None,
        )
        await state.reference.start()
        url = state.reference.url
    elif sut.security_profile in (1, 2):
        password = sut.password()
    info = sut.station
    state.peer = StationPeer(
        str(sut.ocpp),
        url=url,
        identity=sut.identity,
        response_s=t.response_s,
        action_s=t.action_s,
        connect_s=t.connect_s,
        password=password,
        ssl_context=state.tls.harness if state.tls else None,
        boot_fields={
            "vendor": info.vendor,
            "model": info.model,
            "serial": info.serial,
            "firmware": info.firmware,
        },
        max_frame_bytes=run.profile.limits.max_frame_bytes,
    )
    state.peer.clock_deviation_s = t.clock_deviation_s
    state.peer.tls = state.tls
    run.sut_identity = {"url": url, "identity": sut.identity}


async def _start_actions(config: pytest.Config, run: HarnessRun, state: _Session) -> None:
    """The session's SUT actions, then the ``start`` action (issue 8 item 7): a station under
    test once the harness CSMS listens, a CSMS under test before the harness station connects."""
    sut = run.profile.sut
    try:
        check_environment(sut.actions, run.profile.path, dict(os.environ))
    except ProfileError as exc:
        raise SetupError(str(exc)) from None
    capture = config.pluginmanager.getplugin("capturemanager")

    def suspend() -> contextlib.AbstractContextManager[None]:
        """pytest's output capture off while the operator is asked (issue 8 item 1)."""
        return capture.global_and_fixture_disabled() if capture else contextlib.nullcontext()

    operator = operator_for(
        sut,
        reference=state.reference,
        return_after_s=seeded_for(run).action_return_s,
        suspend=suspend,
    )
    peer = state.peer
    on_reboot = peer.state.expect_reboot if isinstance(peer, CsmsPeer) else None
    next_call = peer.next_call if isinstance(peer, StationPeer) else None
    state.actions = actions_for(sut, operator, on_reboot=on_reboot, next_call=next_call)
    try:
        await state.actions.start()
    except (Inconclusive, HarnessError) as exc:
        reason = str(exc).removeprefix("start: ")
        raise SetupError(f"sut.actions: the start action failed: {reason}") from None


async def _stop_actions(config: pytest.Config, actions: SutActions) -> None:
    """The ``stop`` action, once at the end of the session (after a failure or an interrupt
    too); bounded by ``timeouts.action_s``; a failure is reported, not raised."""
    await actions.settle()
    try:
        await actions.stop()
    except (Inconclusive, HarnessError) as exc:
        reporter = config.pluginmanager.getplugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"sut.actions stop: {exc}", yellow=True)


def _case_name(request: pytest.FixtureRequest) -> str:
    case = case_of(request.node)
    return case.id if case is not None else request.node.name


@pytest_asyncio.fixture(loop_scope="session")
async def csms(
    ocpp_session: _Session, sut: SutActions, request: pytest.FixtureRequest
) -> AsyncIterator[CsmsPeer]:
    """The harness as CSMS, with a fresh view for this case, after the OCA general
    preconditions (Part 6 §2.1) are restored and verified (INCONCLUSIVE when they are not)."""
    peer = ocpp_session.peer
    if not isinstance(peer, CsmsPeer):
        raise HarnessError(
            "this case needs a charging station under test (sut.role: charging-station)"
        )
    t = _run(request.config).profile.sut.timeouts
    wait_s = t.action_s if ocpp_session.started else t.connect_s + t.action_s
    ocpp_session.started = True
    name = _case_name(request)
    await restore_station_or_reset(
        peer,
        sut,
        case=name,
        previous=ocpp_session.previous,
        wait_s=wait_s,
        reset_wait_s=t.connect_s + t.action_s,
    )
    await peer.settle_replies()
    request.node.stash[TRACE_KEY] = peer.begin_case(request.node.nodeid)
    request.node.stash[FINDINGS_KEY] = peer.findings
    _record_boot(request.config, peer)
    try:
        yield peer
    finally:
        ocpp_session.previous = name
        try:
            await peer.end_case()
        finally:
            await peer.restore_config()


def _record_boot(config: pytest.Config, peer: CsmsPeer) -> None:
    boot = peer.last_boot
    if boot:
        station = boot.get("chargingStation", {})
        _run(config).sut_identity.update(
            vendor=station.get("vendorName", boot.get("chargePointVendor")),
            model=station.get("model", boot.get("chargePointModel")),
            serial=station.get("serialNumber", boot.get("chargePointSerialNumber")),
            firmware=station.get("firmwareVersion", boot.get("firmwareVersion")),
        )


@pytest_asyncio.fixture(loop_scope="session")
async def station(
    ocpp_session: _Session, sut: SutActions, request: pytest.FixtureRequest
) -> AsyncIterator[StationPeer]:
    """The harness as charging station, connected and booted, with a fresh view for this case."""
    peer = ocpp_session.peer
    if not isinstance(peer, StationPeer):
        raise HarnessError("this case needs a CSMS under test (sut.role: csms)")
    name = _case_name(request)
    case = case_of(request.node)
    if case is None or not case.own_connection:
        await restore_csms_or_reset(peer, sut, case=name, previous=ocpp_session.previous)
    await peer.settle_replies()
    request.node.stash[TRACE_KEY] = peer.begin_case(request.node.nodeid)
    request.node.stash[FINDINGS_KEY] = peer.findings
    try:
        yield peer
    finally:
        ocpp_session.previous = name
        await peer.end_case()


@pytest.fixture
def sut(ocpp_session: _Session) -> SutActions:
    """Actions on the SUT (plug in, present a token, remote start...), per ``sut.actions``."""
    if ocpp_session.actions is None:
        raise HarnessError("the SUT actions were not set up (the session did not start)")
    return ocpp_session.actions
