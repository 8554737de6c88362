"""The harness as charging station: connects to the CSMS under test (DESIGN §3, §4).

The connection is kept across test cases; a case that needs a cold connection (boot, Basic auth,
subprotocol negotiation) opens its own with :meth:`StationPeer.connect`. A CSMS closing the link
while a script waits fails that wait at once, with the close code as evidence.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Sequence
from typing import Any

from harness.peers.base import Peer
from harness.peers.csms import SUBPROTOCOL
from harness.peers.defaults import now_iso
from harness.peers.exchange import CallOutcome
from harness.peers.matching import camel_keys
from harness.progress import waiting
from harness.transport.client import (
    ConnectFailed,
    open_link,
    request_line,
    station_url,
    status_line,
)
from harness.transport.link import Link
from harness.transport.server import DEFAULT_MAX_SIZE
from harness.transport.tls import tls_info
from harness.verdicts import SutFailure


class StationPeer(Peer):
    """Plays a charging station for a CSMS under test."""

    plays = "charging station"
    table = "station"

    def __init__(
        self,
        version: str,
        *,
        url: str,
        identity: str,
        response_s: float,
        action_s: float,
        connect_s: float = 10.0,
        password: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        boot_fields: dict[str, Any] | None = None,
        max_frame_bytes: int = DEFAULT_MAX_SIZE,
    ) -> None:
        super().__init__(version, response_s=response_s, action_s=action_s)
        self.max_frame_bytes = max_frame_bytes
        self.base_url = url
        self.identity = identity
        self.connect_s = connect_s
        self.password = password
        self.ssl_context = ssl_context
        self.boot_fields = boot_fields or {}
        self.booted = False
        #: Why the last connection attempt timed out: later attempts wait briefly, not the whole
        #: connect timeout again, until one succeeds.
        self.unreachable: str | None = None
        self._runner: asyncio.Task[None] | None = None
        #: Last status the harness station reported per (evse or connector id, connector id).
        self.reported_status: dict[tuple[int, int], dict[str, Any]] = {}
        #: Transactions the harness station started and has not ended: id -> the last
        #: TransactionEvent (2.x) or StartTransaction (1.6) payload sent for it.
        self.open_transactions: dict[str, dict[str, Any]] = {}

    @property
    def connected(self) -> bool:
        return self.link is not None and not self.link.closed.is_set()

    async def connect(
        self,
        *,
        identity: str | None = None,
        subprotocols: Sequence[str] | None = None,
        password: str | None = None,
        username: str | None = None,
        use_auth: bool = True,
        req: str = "",
    ) -> Link:
        """Open a fresh connection (closing the current one); FAIL if the CSMS refuses it."""
        link = await self.try_connect(
            identity=identity,
            subprotocols=subprotocols,
            password=password,
            username=username,
            use_auth=use_auth,
        )
        if isinstance(link, ConnectFailed):
            self.trace.event("the connection the case needs was not opened", problem=str(link))
            raise SutFailure(
                req or "CSMS accepts the station's connection",
                "WebSocket connection accepted",
                str(link),
                self._frames(),
            )
        return link

    async def try_connect(
        self,
        *,
        identity: str | None = None,
        subprotocols: Sequence[str] | None = None,
        password: str | None = None,
        username: str | None = None,
        use_auth: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> Link | ConnectFailed:
        """Like :meth:`connect` but returns the refusal instead of failing (negative cases);
        ``ssl_context``: this attempt's TLS instead of the session's (a probe: an old TLS
        version, a bad client certificate)."""
        await self.disconnect()
        ident = identity or self.identity
        secret = password if password is not None else self.password
        auth = (username or ident, secret) if use_auth and secret is not None else None
        offered = list(subprotocols or [SUBPROTOCOL[self.version]])
        url = station_url(self.base_url, ident)
        self.trace.event(
            f"connecting to {url} offering {offered}" + (" with Basic auth" if auth else "")
        )
        timeout = self.connect_s if self.unreachable is None else min(self.connect_s, 1.0)
        try:
            with waiting(f"the CSMS to accept the connection to {url}", timeout):
                link = await open_link(
                    url,
                    identity=ident,
                    subprotocols=offered,
                    basic_auth=auth,
                    ssl_context=ssl_context or self.ssl_context,
                    timeout=timeout,
                    max_size=self.max_frame_bytes,
                )
        except ConnectFailed as exc:
            if exc.answer is not None:
                self.trace.event(f"handshake refused: {request_line(url)} -> {exc.answer}")
            self.trace.event(f"connection failed: {exc}")
            if exc.timed_out:
                self.unreachable = str(exc)
            return exc
        self.unreachable = None
        self._attach(link)
        self.booted = False
        response = link.ws.response
        answer = (
            status_line(response.status_code, response.reason_phrase)
            if response is not None
            else "101"
        )
        tls = tls_info(link.ws.transport.get_extra_info("ssl_object"))
        over = f", over {tls.describe()}" if tls is not None else ""
        self.trace.event(
            f"handshake: {request_line(url)} -> {answer}, CSMS selected subprotocol "
            f"{link.subprotocol!r}{over}"
        )
        self._runner = asyncio.ensure_future(link.run())
        return link

    async def disconnect(self) -> None:
        if self.link is not None:
            await self.link.close()
        if self._runner is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await self._runner
            self._runner = None
        self.link = None
        self.booted = False

    async def stop(self) -> None:
        await self.disconnect()

    async def restore_connection(self, *, req: str) -> None:
        """The network is back after an outage (E11/E12, 1.6 §4.8/§4.10): a new connection under
        the same identity. The station did not reboot, so no BootNotification: whether the CSMS
        had accepted it is kept."""
        booted = self.booted
        await self.connect(req=req)
        self.booted = booted

    def boot_payload(self, **fields: Any) -> dict[str, Any]:
        """A BootNotification payload for this version, from the profile's station info."""
        info = self.boot_fields
        if self.version == "1.6":
            payload: dict[str, Any] = {
                "chargePointVendor": info.get("vendor", "ocpp-harness"),
                "chargePointModel": info.get("model", "harness-station"),
                "chargePointSerialNumber": info.get("serial", "HARNESS-0001"),
                "firmwareVersion": info.get("firmware", "0.1.0"),
            }
        else:
            payload = {
                "reason": "PowerUp",
                "chargingStation": {
                    "vendorName": info.get("vendor", "ocpp-harness"),
                    "model": info.get("model", "harness-station"),
                    "serialNumber": info.get("serial", "HARNESS-0001"),
                    "firmwareVersion": info.get("firmware", "0.1.0"),
                },
            }
        payload.update(camel_keys(fields))
        return payload

    async def _boot_until_accepted(self) -> None:
        """Boot; a Pending answer is retried after its interval (B02), bounded by the action
        timeout; Rejected or nothing Accepted in time fails the precondition."""
        deadline = asyncio.get_running_loop().time() + self.action_s
        req = "precondition: the CSMS accepts the boot"
        while True:
            outcome = await self.boot(req=req)
            status = outcome.get("status")
            if status == "Accepted":
                return
            wait = max(float(outcome.get("interval") or 1), 0.5)
            if status != "Pending" or asyncio.get_running_loop().time() + wait > deadline:
                outcome.must(status="Accepted", req=req)
            self.trace.event(f"boot {status}: retrying after the interval ({wait:g} s)")
            with waiting(f"the interval before BootNotification again (answered {status})", wait):
                await asyncio.sleep(wait)

    async def boot(self, *, req: str | None = None, **fields: Any) -> CallOutcome:
        """Send BootNotification; records whether the CSMS accepted it."""
        outcome = await self.call_payload("BootNotification", self.boot_payload(**fields), req=req)
        self.booted = outcome.get("status") == "Accepted"
        return outcome

    def _after_call(self, action: str, payload: dict[str, Any], outcome: CallOutcome) -> None:
        if action == "StatusNotification":
            key = (
                int(payload.get("evseId", payload.get("connectorId", 0))),
                int(payload.get("connectorId", 0)),
            )
            self.reported_status[key] = payload
        self._follow_transactions(action, payload, outcome)

    def _follow_transactions(
        self, action: str, payload: dict[str, Any], outcome: CallOutcome
    ) -> None:
        if action == "TransactionEvent":
            tx_id = str((payload.get("transactionInfo") or {}).get("transactionId", ""))
            if payload.get("eventType") == "Ended":
                self.open_transactions.pop(tx_id, None)
            elif tx_id:
                self.open_transactions[tx_id] = payload
        elif action == "StartTransaction" and "transactionId" in outcome.payload:
            self.open_transactions[str(outcome.payload["transactionId"])] = payload
        elif action == "StopTransaction":
            self.open_transactions.pop(str(payload.get("transactionId", "")), None)

    async def _end_open_transactions(self) -> None:
        """End what a case left open (Part 6 §3.1: no transaction), as a station would after
        a local stop."""
        for tx_id, last in list(self.open_transactions.items()):
            if self.version == "1.6":
                ending: dict[str, Any] = {
                    "transactionId": int(tx_id),
                    "meterStop": int(last.get("meterStart", 0)),
                    "timestamp": now_iso(),
                    "reason": "Other",
                }
                action = "StopTransaction"
            else:
                info = dict(last.get("transactionInfo") or {})
                info.update(transactionId=tx_id, stoppedReason="Other")
                info.pop("chargingState", None)
                ending = {
                    "eventType": "Ended",
                    "timestamp": now_iso(),
                    "triggerReason": "AbnormalCondition",
                    "seqNo": int(last.get("seqNo", 0)) + 1,
                    "transactionInfo": info,
                }
                if "evse" in last:
                    ending["evse"] = last["evse"]
                action = "TransactionEvent"
            await self.call_payload(action, ending, req="precondition: no transaction")
            self.open_transactions.pop(tx_id, None)

    async def ensure_ready(self) -> None:
        """Connected, booted (Accepted) and every connector it reported back to Available: the
        OCA preconditions of a CSMS test case (Part 6 §2)."""
        if not self.connected:
            await self.connect(req="precondition: the CSMS accepts the station's connection")
        if not self.booted:
            await self._boot_until_accepted()
        await self._end_open_transactions()
        for payload in list(self.reported_status.values()):
            if payload.get("status", payload.get("connectorStatus")) == "Available":
                continue
            restored = dict(payload)
            if self.version == "1.6":
                restored.update(status="Available", errorCode="NoError")
            else:
                restored.update(connectorStatus="Available", timestamp=now_iso())
            await self.call_payload(
                "StatusNotification", restored, req="precondition: connectors Available"
            )
