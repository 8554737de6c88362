"""Set-up checks before the first case: a profile that cannot work stops the run with one message.

Issue 8 item 4: a listen port already in use, or a CSMS URL where nothing answers, would otherwise
make every case fail or end INCONCLUSIVE with the same reason. Each check names the profile key
and the fix; :class:`SetupError` carries that one line to the session fixture, which ends the run
with pytest's usage-error status (``ocpp-harness run`` exits 2).
"""

from __future__ import annotations

import errno
import socket
from urllib.parse import urlsplit

from harness.config import Role, SutConfig
from harness.transport.client import IDENTITY_PLACEHOLDER


class SetupError(Exception):
    """The SUT profile cannot work on this machine; the message names the key and the fix."""


def listen_error(exc: OSError, host: str, port: int) -> SetupError:
    """Why the harness CSMS could not listen at ``host:port`` (``sut.listen``), with the fix."""
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        why = (
            f"port {port} on {host} is already in use by another process: stop it, or choose "
            "another port (and point the station at it)"
        )
    elif exc.errno == errno.EACCES:
        why = f"no permission to listen on {where} (ports below 1024 need privileges): use 9000"
    elif exc.errno in (errno.EADDRNOTAVAIL, socket.EAI_NONAME):
        why = f"{host} is not an address of this machine: use 127.0.0.1 or a local interface"
    else:
        why = f"cannot listen on {where}: {exc.strerror or exc}"
    return SetupError(f"sut.listen: {why}")


def check_listen(host: str, port: int) -> None:
    """Raise SetupError unless the harness CSMS can listen at ``host:port`` (``sut.listen``).

    Bound and released at once, before the first case; the listener itself binds with
    SO_REUSEADDR, as this probe does, so a socket in TIME_WAIT is no false alarm."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise listen_error(exc, host, port) from None


def check_reachable(url: str, timeout_s: float) -> None:
    """Raise SetupError unless something accepts a TCP connection where ``sut.url`` points.

    Only the transport is probed (no WebSocket upgrade, nothing the CSMS would log as a
    station): an unknown host, a refused port or silence for ``timeout_s`` end the run before
    the first case instead of failing every case alike."""
    parts = urlsplit(url.replace(IDENTITY_PLACEHOLDER, "identity"))
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    where = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except TimeoutError:
        raise SetupError(
            f"sut.url: no answer from {where} within {timeout_s:g} s (timeouts.connect_s): is "
            "the CSMS reachable from this machine (firewall, VPN), and is the port right?"
        ) from None
    except socket.gaierror as exc:
        raise SetupError(
            f"sut.url: the host {host!r} cannot be resolved ({exc.strerror}): check the spelling "
            "or use the CSMS's IP address"
        ) from None
    except ConnectionRefusedError:
        raise SetupError(
            f"sut.url: nothing listens at {where} (connection refused): start the CSMS, or "
            "correct the host and port in sut.url"
        ) from None
    except OSError as exc:
        raise SetupError(f"sut.url: cannot reach {where}: {exc.strerror or exc}") from None


def preflight(sut: SutConfig) -> None:
    """The checks that need no event loop, before the first case (built-in SUTs need none):
    the harness CSMS's listen address for a station under test, the CSMS's address otherwise."""
    if sut.builtin is not None:
        return
    if sut.role is Role.CHARGING_STATION:
        check_listen(sut.listen.host, sut.listen.port)
    elif sut.url is not None and "start" not in sut.actions.configured:
        check_reachable(sut.url, sut.timeouts.connect_s)  # (a start action brings the CSMS up)
