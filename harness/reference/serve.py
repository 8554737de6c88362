"""The reference SUTs as separate processes: a simulated station or CSMS to try the harness on.

``ocpp-harness reference station|csms ...`` (or ``python -m harness.reference.serve``) runs the
built-in reference charging station or CSMS on its own, the way a real device runs: the harness
reaches it over the network only, and its operator actions (plug in, present a token, reboot;
remote start, reset...) are driven through a small HTTP control API on loopback, the kind of REST
interface many simulators and CSMSs offer and that ``sut.actions: {type: http}`` talks to:

* ``POST /actions/<name>`` with a JSON object of the action's parameters (e.g.
  ``{"evse_id": 1, "connector_id": 1}``) → ``200 {"ok": true, "result": ...}``; an unknown action
  is ``404``, bad parameters ``400``, a failed command ``409`` with ``{"ok": false, "error": ...}``;
* ``GET /status`` → station: ``{"role", "ocpp", "identity", "csms", "ready"}``; CSMS:
  ``{"role", "ocpp", "listen", "stations"}`` (``listen``: the URL stations append their identity
  to; ``stations``: the identities connected now).

For the CSMS the station identity may be left out of an action's parameters when exactly one
station is connected. Both print one ``ready: ...`` line to stdout once they listen, and stop
cleanly on SIGTERM or SIGINT. Nothing listens beyond loopback unless ``--control`` says so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: Operator actions the control API offers, per role (the methods of the reference SUT).
STATION_ACTIONS = (
    "plug_in",
    "unplug",
    "present_token",
    "reboot",
    "go_offline",
    "go_online",
    "store_customer_identifier",
    "restore_security_profile",
)
CSMS_ACTIONS = (
    "remote_start",
    "remote_stop",
    "transaction_records",
    "request_reset",
    "change_availability",
    "change_connector_availability",
    "change_setting",
    "get_setting",
    "get_base_report",
    "set_network_profile",
    "restore_security_profile",
    "trigger",
    "trigger_evse",
    "unlock_connector",
    "clear_cache",
    "get_log",
    "customer_information",
    "customer_information_by_identifier",
    "update_firmware",
    "install_certificate",
    "get_installed_certificate_ids",
    "delete_certificate",
    "renew_station_certificate",
    "set_basic_password",
)
#: Control API action names that differ from the reference SUT's method names (the names are
#: those of ``sut.actions``: ``reset`` there is the lifecycle action, so a CSMS is asked to
#: reset a station with ``request_reset``).
METHOD_OF = {"request_reset": "reset"}
#: The longest a control request waits for the reference SUT to carry out an action.
ACTION_TIMEOUT_S = 30.0
#: Largest control request body accepted.
MAX_BODY = 64 * 1024


class ActionError(Exception):
    """An action the control API cannot carry out; ``status`` is the HTTP status to answer."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class Controller:
    """Runs the control API's actions on the reference SUT, on the SUT's event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, target: Any, role: str) -> None:
        self.loop = loop
        self.target = target
        self.role = role
        self.actions = STATION_ACTIONS if role == "station" else CSMS_ACTIONS

    def status(self) -> dict[str, Any]:
        if self.role == "station":
            return {
                "role": "station",
                "ocpp": self.target.version,
                "identity": self.target.identity,
                "csms": self.target.csms_url,
                "ready": self.target.ready,
            }
        return {
            "role": "csms",
            "ocpp": self.target.version,
            "listen": self.target.url,
            "stations": self.target.identities,
        }

    def perform(self, name: str, params: dict[str, Any]) -> Any:
        """Carry out action ``name``; called from the HTTP server's threads."""
        if name not in self.actions:
            raise ActionError(
                HTTPStatus.NOT_FOUND,
                f"unknown action {name!r} (this {self.role} offers: {', '.join(self.actions)})",
            )
        method: Callable[..., Coroutine[Any, Any, Any]] = getattr(
            self.target, METHOD_OF.get(name, name)
        )
        if self.role == "csms" and "identity" not in params:
            params = {"identity": self._only_station(), **params}
        try:
            inspect.signature(method).bind(**params)
        except TypeError as exc:
            raise ActionError(HTTPStatus.BAD_REQUEST, f"{name}: {exc}") from None
        future: Future[Any] = asyncio.run_coroutine_threadsafe(method(**params), self.loop)
        try:
            return future.result(ACTION_TIMEOUT_S)
        except FutureTimeout:
            future.cancel()
            raise ActionError(
                HTTPStatus.GATEWAY_TIMEOUT, f"{name} did not finish within {ACTION_TIMEOUT_S:g} s"
            ) from None
        except Exception as exc:
            raise ActionError(HTTPStatus.CONFLICT, f"{name}: {exc}") from None

    def _only_station(self) -> str:
        identities = self.target.identities
        if len(identities) != 1:
            raise ActionError(
                HTTPStatus.CONFLICT,
                'say which station ("identity"): '
                + (f"connected: {', '.join(identities)}" if identities else "none is connected"),
            )
        return str(identities[0])


def _handler(controller: Controller) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ocpp-harness-reference"

        def log_message(self, format: str, *args: Any) -> None:
            print(f"control: {format % args}", file=sys.stderr, flush=True)

        def _answer(self, status: HTTPStatus, body: dict[str, Any]) -> None:
            data = json.dumps(body, default=str).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/status":
                self._answer(HTTPStatus.OK, controller.status())
            else:
                self._answer(HTTPStatus.NOT_FOUND, {"ok": False, "error": "try GET /status"})

        def do_POST(self) -> None:
            prefix = "/actions/"
            if not self.path.startswith(prefix):
                self._answer(HTTPStatus.NOT_FOUND, {"ok": False, "error": "POST /actions/<name>"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"ok": False, "error": "body"})
                return
            raw = self.rfile.read(length) if length else b"{}"
            try:
                params = json.loads(raw or b"{}")
                if not isinstance(params, dict):
                    raise ValueError("the body must be a JSON object of parameters")
                result = controller.perform(self.path[len(prefix) :].strip("/"), params)
            except ValueError as exc:
                self._answer(HTTPStatus.BAD_REQUEST, {"ok": False, "error": str(exc)})
            except ActionError as exc:
                self._answer(exc.status, {"ok": False, "error": str(exc)})
            else:
                self._answer(HTTPStatus.OK, {"ok": True, "result": result})

    return Handler


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


def _evses(text: str) -> tuple[tuple[int, int], ...]:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of EVSEs, got {text!r}") from None
    if not 1 <= count <= 16:
        raise argparse.ArgumentTypeError("1..16 EVSEs")
    return tuple((n, 1) for n in range(1, count + 1))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ocpp-harness reference",
        description="run a built-in reference SUT as a separate process, with an HTTP control API",
    )
    sub = p.add_subparsers(dest="role", required=True)
    station = sub.add_parser("station", help="the reference charging station")
    station.add_argument("--csms", required=True, help="CSMS URL, e.g. ws://127.0.0.1:9000/")
    station.add_argument("--identity", required=True, help="station identity (Basic auth user)")
    station.add_argument("--evses", type=_evses, default=((1, 1),), help="EVSEs (default 1)")
    csms = sub.add_parser("csms", help="the reference CSMS")
    csms.add_argument("--listen", type=_address, default=("127.0.0.1", 9100), metavar="HOST:PORT")
    csms.add_argument("--identity", action="append", default=[], help="a station it knows")
    csms.add_argument("--token", action="append", default=[], help="a valid idToken")
    for each in (station, csms):
        each.add_argument("--ocpp", choices=("1.6", "2.0.1", "2.1"), default="2.0.1")
        each.add_argument(
            "--password-env", metavar="NAME", help="environment variable with the password"
        )
        each.add_argument(
            "--control",
            type=_address,
            default=("127.0.0.1", 0),
            metavar="HOST:PORT",
            help="where the HTTP control API listens (default: a free loopback port)",
        )
    return p


def _password(name: str | None) -> str | None:
    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"ocpp-harness reference: the environment variable {name} is not set")
    return value


async def serve(ns: argparse.Namespace) -> None:
    """Run the reference SUT and its control API until SIGTERM/SIGINT."""
    password = _password(ns.password_env)
    target: Any
    if ns.role == "station":
        from harness.reference.station import ReferenceStation

        target = ReferenceStation(
            version=ns.ocpp,
            csms_url=ns.csms,
            identity=ns.identity,
            evses=ns.evses,
            password=password,
            reconnect_s=1.0,
        )
        where = f"connecting to {ns.csms} as {ns.identity}"
    else:
        import dataclasses

        from harness.reference.csms import ReferenceCsms
        from harness.reference.csms.block_c import REFERENCE_TOKENS

        host, port = ns.listen
        identities = ns.identity or ["CS001"]
        target = ReferenceCsms(
            version=ns.ocpp,
            host=host,
            port=port,
            valid_tokens=tuple(ns.token or ["VALID001"]),
            tokens=dataclasses.replace(REFERENCE_TOKENS, valid=(ns.token or ["VALID001"])[0]),
            passwords={i: password for i in identities} if password else None,
        )
    loop = asyncio.get_running_loop()
    controller = Controller(loop, target, ns.role)
    server = ThreadingHTTPServer(ns.control, _handler(controller))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="control", daemon=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await target.start()
    if ns.role == "csms":
        where = f"listening at {target.url}"
    thread.start()
    control = "http://{}:{}".format(*server.server_address[:2])
    print(f"ready: reference {ns.role} (OCPP {ns.ocpp}) {where}; control API {control}", flush=True)
    try:
        await stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(10):
                await target.stop()


def main(argv: Sequence[str] | None = None) -> int:
    ns = parser().parse_args(argv)
    try:
        asyncio.run(serve(ns))
    except OSError as exc:
        print(f"ocpp-harness reference: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
