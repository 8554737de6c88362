"""The station's single outbound queue: every CALL it originates waits here for its turn.

OCPP-J allows one open CALL per direction (OCPP-J 1.6 §4.1.1, OCPP 2.0.1 Part 4 §4.1.1), so the
station's sender takes the head of this queue, sends it, and only then the next one. Transaction
messages survive connection loss and reboots (OCPP 1.6 §3.3 / 2.0.1 E12: delivered later, in
order); other messages are dropped by :meth:`Outbox.drop_volatile` on a power cycle.

Retries (2.0.1 E13, 1.6 §3.3): :meth:`Outbox.retry` decides whether a failed transaction message is
sent again and when: a CALLERROR or no answer is a failed attempt, the n-th retry waits the attempt
interval times the transmissions so far (E13.FR.03), after the last attempt the message is
discarded (E13.FR.04). :meth:`Outbox.went_offline` marks what is still queued offline (E11.FR.07).
Seeded faults (:mod:`harness.reference.faults_offline`) bend exactly these rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable, Container, Hashable, Iterable, MutableMapping

from harness.reference.station.model import Outgoing, Transaction

#: Seconds a retry comes later under the legal variant ``tx-retry-late`` (E13.FR.03 sets the
#: least wait; a station busy with other work may take longer).
LATE_RETRY_S = 0.8
#: TransactionEvents kept queued offline under the fault ``tx-queue-drops-beyond``.
QUEUE_LIMIT = 2


class Outbox:
    """FIFO of :class:`Outgoing` messages with a change signal for the sender to wait on."""

    def __init__(self) -> None:
        self._items: deque[Outgoing] = deque()
        self._changed = asyncio.Event()
        #: Transactions renumbered from 0 in this offline period (``tx-offline-seqno-reset``).
        self._renumbered: set[str] = set()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: Outgoing, *, front: bool = False) -> None:
        if front:
            self._items.appendleft(item)
        else:
            self._items.append(item)
        self.poke()

    def put_all(self, items: Iterable[Outgoing], *, front: bool = False) -> None:
        batch = list(items)
        if front:
            self._items.extendleft(reversed(batch))
        else:
            self._items.extend(batch)
        if batch:
            self.poke()

    def poke(self) -> None:
        """Wake whoever waits for a change (a new message, a boot trigger)."""
        self._changed.set()

    def remove(self, item: Outgoing) -> None:
        with contextlib.suppress(ValueError):
            self._items.remove(item)
        self.poke()

    async def head(self) -> Outgoing:
        """The next message to send, waiting until there is one."""
        while not self._items:
            self._changed.clear()
            await self._changed.wait()
        return self._items[0]

    async def first(self, eligible: Callable[[Outgoing], bool], timeout: float) -> Outgoing | None:
        """The first queued message ``eligible`` accepts, waiting for changes up to ``timeout``
        seconds (None if there is none by then)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._changed.clear()
            found = next((item for item in self._items if eligible(item)), None)
            remaining = deadline - loop.time()
            if found is not None or remaining <= 0:
                return found
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._changed.wait()

    async def wait_change(self, timeout: float) -> None:
        """Wait for :meth:`poke` (or ``timeout`` seconds)."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(timeout, 0.0)):
                await self._changed.wait()

    def drop_statuses(self) -> int:
        """Forget the connector states still queued (StatusNotification, or a NotifyEvent of
        AvailabilityState only): after a reconnect the station reports its connectors' current
        states instead (G01/B04), which queued ones would follow and undo; how many there were."""
        kept = deque(item for item in self._items if not _status_report(item))
        dropped = len(self._items) - len(kept)
        self._items = kept
        return dropped

    def take_pre_boot(self) -> Outgoing | None:
        """The first message that may go out before the boot is Accepted, if any."""
        return next((item for item in self._items if item.pre_boot), None)

    def contains(self, action: str) -> bool:
        return any(item.action == action for item in self._items)

    def has_transactional(self, tx_key: str | None = None) -> bool:
        """Transaction messages still queued (for ``tx_key`` only, when given)."""
        return any(
            item.transactional and (tx_key is None or item.tx_key == tx_key) for item in self._items
        )

    def drop_volatile(self, faults: frozenset[str] = frozenset()) -> None:
        """Forget everything but transaction messages (they are kept across a power cycle;
        fault ``tx-queue-lost-on-reboot``: they are not)."""
        lost = "tx-queue-lost-on-reboot" in faults
        self._items = deque(item for item in self._items if item.transactional and not lost)
        for item in self._items:
            item.pre_boot = False

    async def flushed(self, timeout: float) -> bool:
        """Wait until no transaction message is queued; False if ``timeout`` passed first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.has_transactional():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self.wait_change(remaining)
        return True

    # -- E11/E13: offline marking and retries ---------------------------------------------------
    def went_offline(
        self,
        faults: frozenset[str],
        variants: Container[str],
        reported: MutableMapping[Hashable, str] | None = None,
    ) -> None:
        """The connection is gone: E11.FR.07, every queued TransactionEvent is now offline
        (fault ``tx-offline-flag-missing``: not). Legal variant ``status-queue-dropped``: the
        queued StatusNotifications are dropped (not transaction messages; forgotten in the
        station's ``reported`` statuses, so that connector is reported again once back)."""
        if "tx-offline-flag-missing" not in faults:
            for item in self._items:
                if item.action == "TransactionEvent":
                    item.build()["offline"] = True
        if "status-queue-dropped" in variants:
            dropped = [item for item in self._items if item.action == "StatusNotification"]
            for item in dropped:
                self._items.remove(item)
                if reported is not None:
                    payload = item.build()
                    reported.pop((payload.get("evseId"), payload.get("connectorId")), None)

    def queued(self, action: str) -> int:
        """How many ``action`` messages are queued."""
        return sum(1 for item in self._items if item.action == action)

    def retry(
        self,
        item: Outgoing,
        attempts: int,
        interval: float,
        faults: frozenset[str],
        variants: Container[str] = (),
    ) -> bool:
        """One more failed attempt of ``item``: True when it is to be sent again (its
        ``not_before`` set), False when it is to be discarded (E13.FR.02-04). Faults:
        ``tx-retries-too-many`` (one attempt more), ``tx-retries-too-few`` (one fewer),
        ``tx-retry-no-interval`` (retried at once)."""
        item.attempts += 1
        if not item.transactional:
            return False
        if "tx-retries-too-many" in faults:
            attempts += 1
        if "tx-retries-too-few" in faults:
            attempts = max(1, attempts - 1)
        if item.attempts >= attempts:
            return False
        wait = interval * item.attempts
        if "tx-retry-no-interval" in faults:
            wait = 0.0
        if "tx-retry-late" in variants:
            wait += LATE_RETRY_S
        item.not_before = time.monotonic() + wait
        return True

    def seq_no(
        self, tx: Transaction, online: bool, faults: frozenset[str], *, ended: bool
    ) -> int | None:
        """The next seqNo of ``tx`` (E01.FR.07), or None for an event the fault
        ``tx-queue-drops-beyond`` leaves out (more than :data:`QUEUE_LIMIT` queued offline).
        Fault ``tx-offline-seqno-reset``: the first event offline counts from 0 again."""
        offline = not online
        if online:
            self._renumbered.discard(tx.key)
        elif "tx-offline-seqno-reset" in faults and tx.key not in self._renumbered:
            self._renumbered.add(tx.key)
            tx.seq_no = 0
        seq = tx.next_seq()
        full = self.queued("TransactionEvent") >= QUEUE_LIMIT
        if offline and not ended and full and "tx-queue-drops-beyond" in faults:
            return None
        return seq


def _status_report(item: Outgoing) -> bool:
    """A connector state report: a StatusNotification, or a NotifyEvent of AvailabilityState."""
    if item.action == "StatusNotification":
        return True
    if item.action != "NotifyEvent":
        return False
    data = item.build().get("eventData") or []
    names = {str((e.get("variable") or {}).get("name")) for e in data}
    return names == {"AvailabilityState"}
