"""Steps of the block A cases with the charging station under test (the harness is the CSMS)
that the OCPP 1.6 security extension repeats (:mod:`testcases.v16.test_security`): waiting for
the station to close its connection and come back with new credentials (A01), and a boot over a
new secured connection whose TLS is checked (A00). Used by :mod:`.test_a_security` and
:mod:`.test_a_tls_station`."""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl

from harness import CsmsPeer, StationPeer, SutActions
from harness.checks import require, should
from harness.config import SutProfile
from harness.peers.exchange import InboundCall
from harness.pki import Pki
from harness.transport import ConnectFailed, Link
from harness.transport.tls_hooks import ServerTlsHooks
from harness.verdicts import Inconclusive, SutFailure
from testcases.v201.tls_checks import require_tls12, ssl_object

#: TLS versions a 1.6 charge point MAY still use where it cannot do 1.2 (1.6 SEC A00.FR.312/416).
LEGACY_TLS = ("TLSv1", "TLSv1.1")


def basic_auth(profile: SutProfile) -> str | None:
    """Applicability of the HTTP Basic authentication cases: security profile 1 or 2."""
    if profile.sut.security_profile in (1, 2):
        return None
    return f"security profile {profile.sut.security_profile} does not use HTTP Basic authentication"


async def closed_within(link: Link | None, seconds: float) -> bool:
    """Whether ``link`` is closed (or gone) within ``seconds``."""
    if link is None:
        return True
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await link.closed.wait()
    return link.closed.is_set()


async def reconnected(csms: CsmsPeer, req: str, fallback: str | None) -> None:
    """The station connects again (the harness CSMS takes only ``csms.basic_password``); on a
    FAIL the harness goes back to ``fallback`` so the station can come back for the restore."""
    try:
        await csms.wait_connected(within_s=csms.action_s + csms.response_s, req=req)
    except SutFailure as exc:
        csms.basic_password = fallback
        raise SutFailure(
            req,
            "a WebSocket upgrade request with the expected Basic credentials",
            csms.refusals() or "no connection attempt",
            exc.frames,
        ) from None


def session_pki(csms: CsmsPeer) -> Pki:
    """The session PKI the harness CSMS signs and takes certificates from (INCONCLUSIVE: the
    session runs without one)."""
    pki = csms.tls.pki if csms.tls is not None else None
    if pki is None:
        raise Inconclusive("precondition: no harness PKI to sign or take certificates from")
    return pki


def server_hooks(csms: CsmsPeer) -> ServerTlsHooks:
    """The harness CSMS's TLS hooks (INCONCLUSIVE: the session runs without TLS)."""
    if csms.tls_hooks is None:
        raise Inconclusive("precondition: the session runs without TLS")
    return csms.tls_hooks


async def booting(csms: CsmsPeer, sut: SutActions, *, req: str) -> InboundCall:
    """Reusable state Booting: the station is power-cycled and its BootNotification (held, so
    no automatic reply answers it) arrives over a new secured connection."""
    csms.hold("BootNotification")
    await sut.reboot()
    return await csms.expect("BootNotification", within_s=csms.action_s + csms.response_s, req=req)


def require_link_tls(csms: CsmsPeer, *, req: str, legacy: bool = False) -> None:
    """The station's connection runs over TLS 1.2+ (``req``; ``legacy``: TLS 1.0/1.1 only a
    warning, as a 1.6 charge point may use them)."""
    link = csms.link
    if link is None:
        raise SutFailure(req, "a connection", "none", csms.trace.render(last=6))
    obj = ssl_object(link)
    version = obj.version() if obj is not None else None
    if legacy and version in LEGACY_TLS:
        should(csms, False, req=req, expected="TLS 1.2 or above", actual=str(version))
    else:
        require_tls12(link, csms, req=req)


def require_valid_certificate_used(csms: CsmsPeer, *, req: str) -> None:
    """The station's connection uses the session's server certificate, not one the hooks
    offered instead (``req``: the station ends a connection with an invalid certificate)."""
    obj = ssl_object(csms.link) if csms.link is not None else None
    require(
        obj is None or csms.tls_hooks is None or obj.context is csms.tls_hooks.context,
        req=req,
        expected="the station's connection to use the valid server certificate",
        actual="it went on over the invalid one",
        frames=csms.trace.render(last=8),
    )


async def restore_security_profile(csms: CsmsPeer, sut: SutActions, sp: int) -> bool:
    """After an upgrade case: the station reconfigured by the SUT action
    ``restore_security_profile`` (OCPP cannot lower a security profile) and reconnected at
    ``sp``. A failure is traced, never a verdict (the next case finds the station missing);
    returns whether it worked."""
    upgraded = csms.link
    try:
        await sut.restore_security_profile(sp, csms.url)
        if csms.link is upgraded and upgraded is not None and not upgraded.closed.is_set():
            await upgraded.close(1000, f"back to security profile {sp}")
        await csms.wait_connected(
            within_s=csms.action_s + csms.response_s,
            req=f"precondition restore: the station reconnects at security profile {sp}",
        )
    except Exception as exc:  # the case's verdict stands
        csms.trace.event(f"restoring security profile {sp} failed: {exc}")
        return False
    return True


#: HTTP statuses that refuse a handshake for its credentials (401; 403 also seen in the field).
REFUSED_STATUS = (401, 403)


def require_auth_refused(outcome: Link | ConnectFailed, station: StationPeer, req: str) -> None:
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


# -- A05: security profile upgrade (TC_A_19, 1.6 TC_083) ---------------------------------------
#: The SUT action that puts a station (or a CSMS's record of it) back after an upgrade.
RESTORE = "restore_security_profile"


def upgradable(profile: SutProfile) -> str | None:
    """Applicability of TC_A_19 and 1.6 TC_083: security profile 1 or 2 (Part 6 prerequisite;
    1.6 SEC A05); from 1 the
    upgraded connection needs a TLS endpoint the session does not have, which the harness does
    not set up yet (said in the reason, so the report shows the gap)."""
    sp = profile.sut.security_profile
    if sp == 1:
        return (
            "not implemented for security profile 1: the upgrade to 2 needs a TLS endpoint the "
            "harness does not set up yet (run the case at security profile 2)"
        )
    return None if sp == 2 else f"the case upgrades from security profile 1 or 2, not {sp}"


async def connect_upgraded(
    station: StationPeer, upgraded: ssl.SSLContext, sp: int, *, req: str, again: bool = False
) -> None:
    """The harness station connects over security profile ``sp + 1`` (its certificate in
    ``upgraded``, no Basic auth) to its current URL; the CSMS must accept it."""
    link = await station.try_connect(use_auth=False, ssl_context=upgraded)
    require(
        isinstance(link, Link),
        req=req,
        expected=f"the connection to {station.base_url} over security profile {sp + 1} accepted"
        + (" again" if again else ""),
        actual=str(link),
        frames=station.trace.render(last=6),
    )


async def require_lower_refused(station: StationPeer, sp: int, *, req: str) -> None:
    """A05.FR.07 (1.6 SEC A05.FR.09): a connection over the old security profile ``sp`` (the
    session's TLS and Basic auth) is refused after the upgrade."""
    lower = await station.try_connect()
    require(
        not isinstance(lower, Link),
        req=req,
        expected=f"the connection over security profile {sp} refused",
        actual="it was accepted",
        frames=station.trace.render(last=6),
    )


async def allow_again(station: StationPeer, sut: SutActions, sp: int, url: str) -> None:
    """After the case: the operator lets the station in over its old profile again; a failure
    is traced (the next case then finds no connection)."""
    try:
        await sut.restore_security_profile(sp, url)
        await station.connect(req=f"precondition restore: connected at security profile {sp}")
    except Exception as exc:  # the case's verdict stands
        station.trace.event(f"restoring security profile {sp} failed: {exc}")


def require_basic_credentials(
    csms: CsmsPeer, *, username_req: str, password_req: str, rule: re.Pattern[str], shape: str
) -> None:
    """The last accepted upgrade request carried Basic credentials whose username is the station
    identity (``username_req``) and whose password, the one the harness holds for it, matches
    ``rule`` (``password_req``; ``shape`` says what it allows)."""
    shake = [h for h in csms.server.handshakes if h.status == 101][-1]
    require(
        shake.username == shake.identity,
        req=username_req,
        expected=f"username {shake.identity!r}",
        actual=f"username {shake.username!r}",
        frames=csms.trace.render(last=6),
    )
    password = csms.basic_password or ""
    require(
        rule.fullmatch(password) is not None,
        req=password_req,
        expected=shape,
        actual=f"{len(password)} characters",
    )
