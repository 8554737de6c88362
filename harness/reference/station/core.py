"""The reference charging station: lifecycle, connection, operator actions, status reporting.

What every OCPP version shares lives here and in :mod:`~harness.reference.station.session` (one
connection: boot, heartbeat, sender, answers); message contents and command handling are in
:mod:`~harness.reference.station.v16` and :mod:`~harness.reference.station.v2`.

* Connection (OCPP-J 1.6 §3, 2.0.1 Part 4 §3): ``{csms_url}/{identity}``, one subprotocol, HTTP
  Basic auth (username = identity) when a password is given; after a lost connection it
  reconnects after ``reconnect_s`` unless the network is down (:meth:`go_offline`). Malformed
  frames get the CALLERROR the OCPP-J core prescribes; a connection the WebSocket layer fails
  (invalid UTF-8: 1007, a message over 1 MiB: 1009) is followed by a reconnect like any other
  (the ``rpc-*`` faults of :mod:`~harness.reference.rpc_faults` break these rules).
* A power cycle (:meth:`reboot`, Reset) ends ongoing transactions first (reason Reboot, or the
  reset's reason), waits a bounded time for them to be delivered, closes with code 1000, forgets
  runtime state (queued transaction messages survive) and boots again (B01; 1.6 §4.2).
* Connector status is reported whenever it changes (G01; 1.6 §4.9), once the boot is Accepted.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Coroutine, Hashable, Sequence
from typing import Any, Protocol

from harness.ocppj.frames import Call
from harness.reference import rpc_faults, variant_rpc
from harness.reference.faults import FAULTS
from harness.reference.station import block_a, block_b, legal
from harness.reference.station.hardware_actions import HardwareActions
from harness.reference.station.model import Hardware, Outgoing, Payload, Reply, Transaction
from harness.reference.station.outbox import Outbox
from harness.reference.station.session import Session
from harness.reference.variants import NONE, Seeded
from harness.transport.client import ConnectFailed, open_link, station_url
from harness.transport.link import Link, LinkClosed

log = logging.getLogger(__name__)

SUBPROTOCOLS = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}


class Behaviour(Protocol):
    """The version-specific half of the station (:class:`V16` or :class:`V2`)."""

    def boot_payload(self, reason: str) -> Payload: ...
    def statuses(self) -> list[tuple[Hashable, str]]: ...
    def status_payload(self, key: Any, status: str) -> Payload: ...
    def handle(self, call: Call) -> Reply: ...
    def plug_in(self, evse_id: int, connector_id: int) -> None: ...
    def unplug(self, evse_id: int, connector_id: int) -> None: ...
    def present_token(self, id_token: str, evse_id: int) -> None: ...
    def end_all(self, reason: str, trigger: str) -> None: ...
    def power_lost(self) -> None: ...
    def active(self) -> dict[str, Transaction]: ...
    def retry_policy(self) -> tuple[int, float]: ...
    def offline_threshold(self) -> float: ...
    def heartbeat_changed(self, seconds: int) -> None: ...


class ReferenceStation(HardwareActions):
    """An in-process OCPP 1.6J / 2.0.1 / 2.1 charging station with seeded faults."""

    #: Seconds to wait for the answer to a CALL (2.0.1 OCPPCommCtrlr.MessageTimeout).
    response_s = 5.0
    connect_s = 5.0
    #: Retry delay for a Pending/Rejected boot whose interval is 0 (B02, B03).
    boot_retry_s = 1.0
    #: How long a power cycle waits for the transaction messages it ends to be delivered.
    flush_s = 3.0

    def __init__(
        self,
        *,
        version: str,
        csms_url: str,
        identity: str,
        evses: Sequence[tuple[int, int]] = ((1, 1), (2, 1)),
        faults: frozenset[str] = frozenset(),
        variants: Seeded = NONE,
        password: str | None = None,
        reconnect_s: float = 0.2,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if version not in SUBPROTOCOLS:
            raise ValueError(f"unsupported OCPP version {version!r}")
        unknown = sorted(set(faults) - set(FAULTS))
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}")
        self.version = version
        self.csms_url = csms_url
        #: Security profile 2/3: trusts the CSMS root, presents its own certificate with 3.
        self.ssl_context = ssl_context
        self.identity = identity
        self.faults = frozenset(faults)
        #: Legal variants (``harness.reference.variants``) this station shows.
        self.variants = variants
        self.password = password
        self.reconnect_s = reconnect_s
        self.hardware = Hardware(evses)
        self.outbox = Outbox()
        self.boot_status: str | None = None
        self.heartbeat_interval: float = 300.0
        self.link: Link | None = None
        self._offline = False
        self._online = asyncio.Event()
        self._online.set()
        self._stopping = False
        self._cycling = False
        self.boot_now = False
        self.boot_reason = "PowerUp"
        self.offline_since = time.monotonic()
        self.hb_changed = asyncio.Event()
        self.reported: dict[Hashable, str] = {}
        #: Authorization cache: idTokens the CSMS accepted (C10/C12; 1.6 §3.5.1), used without an
        #: Authorize where LocalPreAuthorize is true (``local-pre-authorize``); ClearCache empties it.
        self.auth_cache: set[str] = set()
        #: Customer data by customerIdentifier (N09/N10, C-14), stored by the operator.
        self.customers: dict[str, str] = {}
        self._event_ids = 0  # NotifyEvent eventIds (``status-via-notifyevent``)
        self._main: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.behaviour: Behaviour
        if version == "1.6":
            from harness.reference.station.v16 import V16

            self.behaviour = V16(self)
        else:
            from harness.reference.station.v2 import V2

            self.behaviour = V2(self)

    # -- inspection -------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return not self._offline and self.link is not None and not self.link.closed.is_set()

    @property
    def ready(self) -> bool:
        """Connected with an Accepted boot: free to send anything."""
        return self.boot_status == "Accepted" and self.connected

    @property
    def transactions(self) -> dict[str, Transaction]:
        """The ongoing transactions by transactionId (1.6: by a local id; see ``csms_id``)."""
        return self.behaviour.active()

    async def wait_ready(self, timeout: float) -> bool:
        """Wait until the station is connected, booted (Accepted) and has nothing left to send;
        False if that did not happen within ``timeout`` seconds (nothing is cancelled)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (self.ready and not self.outbox and not self.cycling):
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    @property
    def call_timeout_s(self) -> float:
        """How long a queued CALL waits for its answer before it counts as failed."""
        return rpc_faults.call_timeout(self.faults, self.response_s)

    @property
    def cycling(self) -> bool:
        """A power cycle is under way."""
        return self._cycling

    # -- operator actions ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Power on: connect and boot in the background."""
        if self._main is None:
            self._stopping = False
            self._main = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        """Switch off: close the connection and cancel every task (bounded)."""
        self._stopping = True
        self._online.set()
        await self._halt()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=3)
        self.behaviour.power_lost()

    async def reboot(self) -> None:
        """Power cycle: end transactions (reason Reboot), close with 1000, boot again (PowerUp)."""
        self.spawn(self.power_cycle(boot_reason="PowerUp", reason="Reboot"))

    async def plug_in(self, evse_id: int = 1, connector_id: int = 1) -> None:
        self.hardware.connector(evse_id, connector_id)
        self.behaviour.plug_in(evse_id, connector_id)

    async def unplug(self, evse_id: int = 1, connector_id: int = 1) -> None:
        self.hardware.connector(evse_id, connector_id)
        self.behaviour.unplug(evse_id, connector_id)

    async def present_token(self, id_token: str, evse_id: int = 1) -> None:
        self.hardware.evse(evse_id)
        self.behaviour.present_token(id_token, evse_id)

    async def go_offline(self) -> None:
        """The network drops: the socket dies without a close frame and stays down."""
        self._offline = True
        self._online.clear()
        if self.link is not None and not self.link.closed.is_set():
            self.link.abort()

    async def go_online(self) -> None:
        self._offline = False
        self._online.set()

    async def restore_security_profile(self, security_profile: int, csms_url: str) -> None:
        """A technician's reconfiguration (after TC_A_19_CS): own URL and profile again."""
        block_b.restore_security_profile(self)
        if self.link is not None and not self.link.closed.is_set():
            await self.link.close(1000, "reconfigured")

    async def store_customer_identifier(self, customer_identifier: str) -> None:
        """TC_N_62_CS memory state: customer data kept under ``customer_identifier``."""
        self.customers[customer_identifier] = f"customer {customer_identifier}: 1 session"

    # -- services for the version behaviours -------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._reap)
        return task

    def _reap(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("reference station task failed", exc_info=task.exception())

    def send(self, item: Outgoing, *, front: bool = False) -> None:
        self.outbox.put(item, front=front)

    def refresh_status(self, *, front: bool = False, after_boot: bool = False) -> None:
        """Report every connector whose status changed since it was last reported (G01; after a
        boot or reconnect: every connector, B01.FR.05/B04). Under ``status-via-notifyevent`` a
        2.x station reports changes as NotifyEvent (G01.FR.03-07), and 2.1 also after a boot
        (B01.FR.05 (2.1)); 2.0.1 keeps StatusNotification there (B01.FR.05)."""
        if not self.ready:
            return
        by_event = "status-via-notifyevent" in self.variants and (
            self.version == "2.1" or not after_boot
        )
        items = []
        for key, status in self.behaviour.statuses():
            if self.reported.get(key) != status:
                self.reported[key] = status
                if by_event:
                    self._event_ids += 1
                    payload = legal.availability_event(key, status, self._event_ids)
                    items.append(Outgoing.fixed("NotifyEvent", payload))
                else:
                    items.append(self._status_item(key, status, pre_boot=False))
        self.outbox.put_all(items, front=front)

    def mark_reported(self) -> None:
        """Treat the current statuses as reported without sending them (seeded faults)."""
        for key, status in self.behaviour.statuses():
            self.reported[key] = status

    def send_status(self, key: Hashable) -> None:
        """Report one connector's current status now (TriggerMessage; allowed before Accepted)."""
        status = dict(self.behaviour.statuses())[key]
        self.reported[key] = status
        self.send(self._status_item(key, status, pre_boot=True))

    def _status_item(self, key: Hashable, status: str, *, pre_boot: bool) -> Outgoing:
        return Outgoing.fixed(
            "StatusNotification", self.behaviour.status_payload(key, status), pre_boot=pre_boot
        )

    def set_heartbeat_interval(self, seconds: int) -> None:
        self.heartbeat_interval = float(seconds)
        self.behaviour.heartbeat_changed(seconds)
        self.hb_changed.set()

    def apply_boot_interval(self, interval: int) -> None:
        """B01 / 1.6 §4.2: the interval of an Accepted boot is the heartbeat interval (0 keeps
        the current one)."""
        if "boot-ignores-interval" in self.faults:
            self.set_heartbeat_interval(300)
        elif interval > 0:
            self.set_heartbeat_interval(interval)

    def trigger_boot(self) -> None:
        """Send BootNotification now instead of after the retry interval (TriggerMessage)."""
        self.boot_now = True
        self.outbox.poke()

    async def power_cycle(self, *, boot_reason: str, reason: str, trigger: str = "") -> None:
        """End transactions with ``reason``, go down, forget runtime state, boot again."""
        if self._cycling or self._stopping:
            return
        self._cycling = True
        try:
            self.behaviour.end_all(reason, trigger or "AbnormalCondition")
            if self.ready and "unavailable-before-reboot" in self.variants:
                for key, _ in self.behaviour.statuses():  # B11: MAY report Unavailable first
                    self.send(self._status_item(key, "Unavailable", pre_boot=False))
            if self.ready:
                await self.outbox.flushed(self.flush_s)
            await self._halt()
            self.behaviour.power_lost()
            self.outbox.drop_volatile(self.faults)
            self.boot_status = None
            self.boot_now = False
            self.boot_reason = boot_reason
            self.reported.clear()
            await asyncio.sleep(self.reconnect_s)
            if not self._stopping:
                self._main = asyncio.ensure_future(self._run())
        finally:
            self._cycling = False

    async def _halt(self) -> None:
        task, self._main = self._main, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task}, timeout=5)

    # -- connection ---------------------------------------------------------------------------------
    async def _run(self) -> None:
        failures = 0  # reconnection attempts failed in a row (Part 4 §5.3 back-off)
        while not self._stopping:
            if self._offline:
                await self._online.wait()
                continue
            link = await self._connect(failures)
            if link is not None and self._offline:
                link.abort()
                link = None
            if link is not None:
                failures = 0
                await self._serve(link)
            else:
                failures += 1
            if not self._stopping:
                await asyncio.sleep(block_b.reconnect_delay(self, failures))

    async def _connect(self, failures: int = 0) -> Link | None:
        url = block_b.csms_url(self, failures)
        auth = (self.identity, self.password or "") if block_b.basic_auth(self) else None
        try:
            link = await open_link(
                station_url(url, self.identity),
                identity=self.identity,
                subprotocols=[SUBPROTOCOLS[self.version]],
                basic_auth=auth,
                ssl_context=self.ssl_context,
                timeout=self.connect_s,
            )
        except ConnectFailed as exc:
            log.info("reference station %s: %s", self.identity, exc)
            block_a.connect_failed(self, exc)
            return None
        block_b.connected(self)
        return link

    async def _serve(self, link: Link) -> None:
        self.link = link
        rpc_faults.install(link, self.faults)
        variant_rpc.install(link, self.variants)
        session = asyncio.ensure_future(Session(self, link).run())
        reader = asyncio.ensure_future(link.run())
        try:
            await asyncio.wait({reader, session}, return_when=asyncio.FIRST_COMPLETED)
            if session.done() and not session.cancelled():
                error = session.exception()
                if error is not None and not isinstance(error, LinkClosed):
                    log.error("reference station session failed", exc_info=error)
        finally:
            session.cancel()
            if not link.closed.is_set():
                await link.close(1000)
            await asyncio.wait({reader, session}, timeout=3)
            reader.cancel()
            if self.link is link:
                self.link = None
            self.offline_since = time.monotonic()
            self.outbox.went_offline(self.faults, self.variants, self.reported)
            if rpc_faults.crashed(link, self.faults):
                log.error("reference station %s crashed (seeded fault)", self.identity)
                self._stopping = True
