"""``actions: {type: builtin}``: the reference SUTs carry out the actions in-process (DESIGN §3)."""

from __future__ import annotations

import asyncio
from typing import Any

from harness.actions.catalog import OPTIONAL
from harness.verdicts import HarnessError

#: Actions whose reference-SUT method has another name.
_METHODS = {"request_reset": "reset"}
#: Read-only CSMS actions: nothing is sent to the station, the answer is the action's value.
_READS = frozenset({"transaction_records"})


class BuiltinOperator:
    """Calls the method of the same name on a reference SUT.

    For the reference CSMS (``identity`` given: its operator methods take the station identity
    first) the command runs in the background, as an operator's click would: the harness station
    must be free to answer the CALL it causes while the script goes on. The reference SUTs are
    started and stopped with the session, so the optional lifecycle actions are not provided.
    """

    def __init__(
        self, target: Any, *, identity: str | None = None, return_after_s: float = 0.0
    ) -> None:
        self.target = target
        self.identity = identity
        #: Return this long after the action (the ``late-actions`` variant: like a shell
        #: command that waits for the device, the SUT has long sent what the action causes).
        self.return_after_s = return_after_s
        self.background: set[asyncio.Task[Any]] = set()

    def provides(self, action: str) -> bool:
        return action not in OPTIONAL and hasattr(self.target, _METHODS.get(action, action))

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        method = getattr(self.target, _METHODS.get(action, action), None)
        if method is None or action in OPTIONAL:
            raise HarnessError(f"the built-in SUT has no action {action!r}")
        if self.identity is None:
            result = await method(**params)
            await asyncio.sleep(self.return_after_s)
            return result
        if action in _READS:
            return await method(self.identity, **params)
        task = asyncio.ensure_future(method(self.identity, **params))
        self.background.add(task)
        task.add_done_callback(self._finished)
        await asyncio.sleep(self.return_after_s)
        return None

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self.background.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: the station's side of the exchange is the evidence
