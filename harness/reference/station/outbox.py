"""The station's single outbound queue: every CALL it originates waits here for its turn.

OCPP-J allows one open CALL per direction (OCPP-J 1.6 §4.1.1, OCPP 2.0.1 Part 4 §4.1.1), so the
station's sender takes the head of this queue, sends it, and only then the next one. Transaction
messages survive connection loss and reboots (OCPP 1.6 §3.3 / 2.0.1 E12: delivered later, in
order); other messages are dropped by :meth:`Outbox.drop_volatile` on a power cycle.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Iterable

from harness.reference.station.model import Outgoing


class Outbox:
    """FIFO of :class:`Outgoing` messages with a change signal for the sender to wait on."""

    def __init__(self) -> None:
        self._items: deque[Outgoing] = deque()
        self._changed = asyncio.Event()

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

    def drop_volatile(self) -> None:
        """Forget everything but transaction messages (they are kept across a power cycle)."""
        self._items = deque(item for item in self._items if item.transactional)
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
