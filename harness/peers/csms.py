"""The harness as CSMS: listens for the charging station under test (DESIGN §3, §4).

The listener and the station's connection live for the whole pytest session (a real station backs
off when it reconnects); a reboot or a dropped link just replaces :attr:`link` when the station
comes back, and expectations keep waiting across it. Network faults for the offline and
reconnection cases: :meth:`drop`, :meth:`refuse_for`, :meth:`stop_reading`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from typing import Any

from harness.ocppj.frames import Call, CallError, CallResult
from harness.ocppj.session import Received
from harness.peers.base import Peer
from harness.peers.config_guard import SET_ACTIONS, TAKEN, ConfigGuard, _key_2x
from harness.peers.exchange import CallOutcome
from harness.peers.sut_state import StationState
from harness.progress import waiting
from harness.trace import Trace
from harness.transport.link import Link, LinkClosed, ResponseTimeout, StrayAnswer
from harness.transport.server import DEFAULT_MAX_SIZE, CredentialCheck, Handshake, OcppServer
from harness.transport.tls_hooks import ServerTlsHooks
from harness.verdicts import SutFailure

#: After a reconnect without a BootNotification, how long to watch for one before taking the
#: station as still booted (a station that reboots sends it first thing).
RECONNECT_GRACE_S = 2.0

SUBPROTOCOL = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}


def _password_items(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A01: the SetVariables items (by ConfigGuard key) that set SecurityCtrlr.BasicAuthPassword."""
    return {
        _key_2x(item): item
        for item in payload.get("setVariableData") or []
        if item.get("component", {}).get("name") == "SecurityCtrlr"
        and item.get("variable", {}).get("name") == "BasicAuthPassword"
    }


def _authorization_key(action: str, payload: dict[str, Any]) -> bool:
    """1.6 SEC A01: a ChangeConfiguration of the (write-only) AuthorizationKey."""
    return action == "ChangeConfiguration" and payload.get("key") == "AuthorizationKey"


class CsmsPeer(Peer):
    """Plays the CSMS (central system) for a charging station under test."""

    plays = "CSMS"
    table = "csms"

    def __init__(
        self,
        version: str,
        *,
        host: str,
        port: int,
        response_s: float,
        action_s: float,
        credentials: CredentialCheck | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_frame_bytes: int = DEFAULT_MAX_SIZE,
    ) -> None:
        super().__init__(version, response_s=response_s, action_s=action_s)
        self.server = OcppServer(
            host,
            port,
            [SUBPROTOCOL[version]],
            self._on_link,
            credentials=credentials,
            ssl_context=ssl_context,
            max_size=max_frame_bytes,
        )
        self.server.on_handshake = self._on_handshake
        #: The Basic auth password the station must present (security profile 1/2), if any.
        self.basic_password: str | None = None
        #: One-shot TLS changes for the negative TLS cases (security profile 2/3), else None.
        self.tls_hooks = ServerTlsHooks(ssl_context) if ssl_context is not None else None
        self.connected = asyncio.Event()
        self.connections = 0
        #: The last BootNotification payload the station sent (its identity, for the report).
        self.last_boot: dict[str, Any] = {}
        #: The station's boot, connectors and transactions as its messages report them.
        self.state = StationState(version)
        #: Configuration the current case changed, put back after it (OCA Part 6 §2.1).
        self.config = ConfigGuard(version)
        #: The link a boot was Accepted on, or seen working after a reconnect.
        self._settled: Link | None = None
        self._linked_at = 0.0
        self._boot_probe: Link | None = None
        #: Why the last wait for the station failed: later cases wait briefly, not the whole
        #: timeout again, until the station connects.
        self.unreachable: str | None = None

    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        if self.link is not None:
            await self.link.close()
        await self.server.stop()

    @property
    def url(self) -> str:
        """Where the station under test must connect (without its identity)."""
        return self.server.url

    def _on_handshake(self, handshake: Handshake) -> None:
        """Every upgrade request, accepted or refused, goes into the trace (issue: connection
        problems explained)."""
        line = f"{handshake.path} offering {list(handshake.offered)}"
        if handshake.tls:
            line += f" over {handshake.tls}"
        if handshake.status == 101:
            self.trace.event(f"handshake: GET {line} -> 101 Switching Protocols")
        else:
            self.trace.event(
                f"handshake refused: GET {line} -> HTTP {handshake.status} ({handshake.note})"
            )

    def refusals(self) -> str:
        """The refused handshakes so far, summed up ("tried 14 times and got HTTP 401 ...")."""
        refused = [h for h in self.server.handshakes if h.status != 101]
        if not refused:
            return ""
        last = refused[-1]
        hint = {
            401: "check the station's identity and Basic auth password (password_env)",
            400: "check the subprotocol the station offers",
            404: "check the URL path: it must end with the station identity",
        }.get(last.status, "")
        return (
            f"the station tried {len(refused)} time(s) and got HTTP {last.status} "
            f"({last.note})" + (f": {hint}" if hint else "")
        )

    async def _on_link(self, link: Link) -> None:
        old = self.link
        self._attach(link)
        self._linked_at = time.monotonic()
        self.unreachable = None
        self.connections += 1
        self.trace.event(
            f"station {link.identity!r} connected (subprotocol {link.subprotocol}, "
            f"offered {list(link.offered_subprotocols)})"
        )
        self.connected.set()
        if old is not None and not old.closed.is_set():
            await old.close(1000, "replaced by a new connection")
        await link.run()
        if self.link is link:
            self.connected.clear()

    async def wait_connected(self, within_s: float | None = None, *, req: str = "") -> Link:
        """Wait until the station is connected; FAIL with evidence if it does not come."""
        timeout = self.action_s if within_s is None else within_s
        deadline = time.monotonic() + timeout
        with waiting(f"the station to connect to {self.url}/<identity>", timeout):
            while self.link is None or self.link.closed.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SutFailure(
                        req or "station connects to the CSMS",
                        f"a WebSocket connection from the station within {timeout:g} s",
                        "no connection",
                        self._frames(),
                    )
                if self.connected.is_set():  # the link died before its handler noticed
                    self.connected.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self.connected.wait()
        return self.link

    def _on_receive(self, link: Link, event: Received) -> None:
        frame = event.frame
        if isinstance(frame, Call) and event.reply is None:
            if frame.action == "BootNotification" and event.ok:
                self.last_boot = frame.payload
            elif self.state.boot == "Accepted":
                self._settled = link  # working on this link: it did not reboot
            self.state.observe_call(frame)
        super()._on_receive(link, event)

    def replied(self, link: Link, call: Call, payload: dict[str, Any] | None) -> None:
        self.state.observe_reply(call, payload)
        if call.action == "BootNotification" and self.state.boot == "Accepted":
            self._settled = link

    # -- the station booted (OCA Part 6 §2.1) ---------------------------------------------------
    async def booted_within(self, within_s: float) -> str | None:
        """Wait until the station is connected and its boot Accepted (after a reconnect: until
        it shows it did not reboot); None when it is, else why not."""
        deadline = time.monotonic() + within_s
        with waiting(self._boot_wait, within_s):
            while True:
                why = await self._not_booted()
                if why is None:
                    return None
                if time.monotonic() >= deadline:
                    self.unreachable = why
                    return why
                await asyncio.sleep(0.05)

    def _boot_wait(self) -> str:
        """What :meth:`booted_within` waits for, as its announcement says it."""
        if self.link is None or self.link.closed.is_set():
            return f"the station to connect to {self.url}/<identity> and boot"
        return "the station's BootNotification (answered Accepted)"

    async def _not_booted(self) -> str | None:
        link = self.link
        if link is None:
            refused = self.refusals()
            return "the station has not connected" + (f"; {refused}" if refused else "")
        if link.closed.is_set():
            return f"the station's connection closed ({link.close_reason}) and it did not reconnect"
        boot = self.state.boot
        if boot == "booting":
            return "its BootNotification is not answered Accepted yet"
        if boot == "rebooting":
            return "a reboot was asked for and its BootNotification has not come yet"
        if boot in ("Pending", "Rejected"):
            return f"its boot is {boot}; it has not sent a new BootNotification"
        if self._settled is link:
            return None
        if time.monotonic() - self._linked_at < min(RECONNECT_GRACE_S, self.response_s):
            return "it reconnected and may be rebooting"
        if boot == "Accepted":
            self._settled = link  # reconnected without rebooting: still booted
            return None
        return await self._probe_boot(link)

    async def _probe_boot(self, link: Link) -> str | None:
        """Connected but never booted on our watch: ask for a BootNotification (2.x F06 /
        1.6 §5.17 TriggerMessage). 2.x answers Rejected when its boot is already Accepted."""
        if self._boot_probe is link:
            return "connected, but it sent no BootNotification (TriggerMessage did not bring one)"
        self._boot_probe = link
        payload: dict[str, Any] = {"requestedMessage": "BootNotification"}
        self.trace.event("asking the station for a BootNotification (it sent none on connect)")
        try:
            with waiting("the answer to TriggerMessage(BootNotification)", self.response_s):
                event = await link.call("TriggerMessage", payload, timeout=self.response_s)
        except (LinkClosed, ResponseTimeout, StrayAnswer) as exc:
            return f"connected, but it sent no BootNotification and TriggerMessage failed ({exc})"
        frame = event.frame
        rejected = isinstance(frame, CallResult) and frame.payload.get("status") == "Rejected"
        if rejected and self.version != "1.6":  # F06.FR.17: Rejected as its boot was Accepted
            self.state.boot = "Accepted"
            self._settled = link
            return None
        if isinstance(frame, CallError):
            return f"connected, but it sent no BootNotification (TriggerMessage: {frame.code})"
        return "its BootNotification is not answered Accepted yet"

    async def _link_for_call(self) -> Link:
        return await self.wait_connected(self.response_s)

    # -- configuration a case changes is put back after it ----------------------------------
    def begin_case(self, name: str) -> Trace:
        self.config.begin_case()
        return super().begin_case(name)

    async def _before_call(
        self, action: str, payload: dict[str, Any], within_s: float | None
    ) -> None:
        if action == "SetVariables" and self.in_case and self.basic_password is not None:
            for key in _password_items(payload):  # write-only (A01): the harness knows it
                self.config.known.setdefault(key, self.basic_password)
        if _authorization_key(action, payload) and self.in_case and self.basic_password:
            self.config.known["AuthorizationKey"] = self.basic_password  # 1.6 SEC §7.2, A01
        if action in SET_ACTIONS and self.in_case:
            read = self.config.to_read(action, payload)
            if read is not None:
                reading = "GetConfiguration" if self.version == "1.6" else "GetVariables"
                self.trace.event("harness reads the original value(s) to restore after the case")
                with contextlib.suppress(SutFailure):
                    await self.call_payload(reading, read, within_s=within_s)
                self.config.to_read(action, payload)  # originals now known (or unknowable)

    def _after_call(self, action: str, payload: dict[str, Any], outcome: CallOutcome) -> None:
        self.config.observe(action, payload, outcome.response)
        if action == "SetVariables" and self.basic_password is not None:
            self._follow_password(payload, outcome)
        taken = outcome.get("status") in TAKEN
        if _authorization_key(action, payload) and self.basic_password is not None and taken:
            self.basic_password = str(payload.get("value"))  # 1.6 SEC A01.FR.03: the new one only
            self.trace.event("the harness CSMS accepts the new AuthorizationKey only now")
        if action == "Reset" and outcome.get("status") == "Accepted":
            self.state.expect_reboot()  # B11/B12 (1.6 §5.14): it reboots now or once idle

    def _follow_password(self, payload: dict[str, Any], outcome: CallOutcome) -> None:
        """A01.FR.03: once the station took a new BasicAuthPassword (Accepted, RebootRequired)
        the harness accepts that one only (a case's change and its restore alike)."""
        asked = _password_items(payload)
        for result in outcome.payload.get("setVariableResult") or []:
            item = asked.get(_key_2x(result))
            if item is not None and result.get("attributeStatus") in TAKEN:
                self.basic_password = str(item.get("attributeValue"))
                self.trace.event("the harness CSMS accepts the new BasicAuthPassword only now")

    async def restore_config(self) -> list[str]:
        """Put back what the case changed (into the between-cases trace); what failed."""
        if not self.config.changed:
            return []

        async def call(action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
            try:
                outcome = await self.call_payload(action, payload, req="restore configuration")
            except SutFailure:
                return None
            return outcome.payload if outcome.error is None else None

        return await self.config.restore(call)

    # -- network faults ---------------------------------------------------------------------
    def drop(self) -> None:
        """Drop the station's connection with no close frame (network loss)."""
        if self.link is not None and not self.link.closed.is_set():
            self.link.abort()

    def refuse_for(self, seconds: float) -> None:
        """Refuse the station's reconnection attempts for ``seconds``."""
        self.trace.event(f"harness refuses connections for {seconds:g} s")
        self.server.refuse_for(seconds)

    def stop_reading(self) -> None:
        if self.link is not None:
            self.link.stop_reading()

    def delay_frames(self, seconds: float) -> None:
        """Delay every frame the harness sends from now on (slow network / slow CSMS)."""
        if self.link is not None:
            self.link.send_delay_s = seconds
