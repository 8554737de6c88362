"""Configuration a case changed on the station under test, put back after the case.

OCA Part 6 §2.1 starts every case from the station's own configuration. A case that sets a
variable (2.x SetVariables, B05) or a key (1.6 ChangeConfiguration, §5.3) gets it restored: before
the first change of a value in a case its original is known (read earlier in the case, or read by
the harness just before the change), and after the case every value still different from its
original is set back and the answer checked. What cannot be restored is kept, and the next case's
preconditions report it (INCONCLUSIVE), never a FAIL.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.frames import CallResult

#: A variable's identity: JSON of (component, variable, attributeType) in 2.x, the key in 1.6.
Key = str
#: Sends one CALL and returns its CALLRESULT payload (None: no usable answer).
Caller = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]]
SET_ACTIONS = ("SetVariables", "ChangeConfiguration")
#: Answers to a change that mean "the value is (or will be after a reboot) in effect".
TAKEN = ("Accepted", "RebootRequired")


def _key_2x(item: dict[str, Any]) -> Key:
    return json.dumps(
        [item.get("component", {}), item.get("variable", {}), item.get("attributeType", "Actual")],
        sort_keys=True,
    )


@dataclass
class ConfigGuard:
    """Originals and changes of the current case; restores what is still changed."""

    version: str
    #: Value of each variable as the station reported it in this case (GetVariables results).
    known: dict[Key, str | None] = field(default_factory=dict)
    originals: dict[Key, str | None] = field(default_factory=dict)
    changed: dict[Key, str] = field(default_factory=dict)
    #: Request items (2.x: component/variable/attributeType) of the changed variables.
    items: dict[Key, dict[str, Any]] = field(default_factory=dict)
    #: What the last restore could not put back (the next case's preconditions report it).
    unrestored: list[str] = field(default_factory=list)

    @property
    def v16(self) -> bool:
        return self.version == "1.6"

    def begin_case(self) -> None:
        """What the station reported in an earlier case may be stale: read it again."""
        self.known.clear()

    # -- before and after each CALL the harness makes -----------------------------------------
    def to_read(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """The read (GetVariables / GetConfiguration payload) of originals not known yet."""
        if action == "ChangeConfiguration":
            key = str(payload.get("key", ""))
            if key in self.originals or key in self.known:
                self.originals.setdefault(key, self.known.get(key))
                return None
            return {"key": [key]}
        wanted = []
        for item in payload.get("setVariableData") or []:
            key = _key_2x(item)
            if key in self.known:
                self.originals.setdefault(key, self.known[key])
            elif key not in self.originals:
                read = {"component": item.get("component", {}), "variable": item.get("variable")}
                if "attributeType" in item:
                    read["attributeType"] = item["attributeType"]
                wanted.append(read)
        return {"getVariableData": wanted} if wanted else None

    def observe(self, action: str, payload: dict[str, Any], answer: object) -> None:
        """Learn from a CALL the harness made and the station's answer."""
        if not isinstance(answer, CallResult):
            return
        result = answer.payload
        if action == "GetVariables":
            for item in result.get("getVariableResult") or []:
                if item.get("attributeStatus") == "Accepted":
                    self.known.setdefault(_key_2x(item), item.get("attributeValue"))
        elif action == "GetConfiguration":
            for entry in result.get("configurationKey") or []:
                self.known.setdefault(str(entry.get("key")), entry.get("value"))
        elif action == "SetVariables":
            asked = {_key_2x(i): i for i in payload.get("setVariableData") or []}
            for item in result.get("setVariableResult") or []:
                key = _key_2x(item)
                if item.get("attributeStatus") in TAKEN and key in asked:
                    self._changed(key, str(asked[key].get("attributeValue")), asked[key])
        elif action == "ChangeConfiguration" and result.get("status") in TAKEN:
            key = str(payload.get("key", ""))
            self._changed(key, str(payload.get("value")), {"key": key})

    def _changed(self, key: Key, value: str, item: dict[str, Any]) -> None:
        self.originals.setdefault(key, self.known.get(key))
        self.changed[key] = value
        self.items[key] = item

    # -- after the case -------------------------------------------------------------------------
    async def restore(self, call: Caller) -> list[str]:
        """Set back every value still different from its original; return what failed (those
        stay on record and are tried again before the next case)."""
        problems: list[str] = []
        for key, value in list(self.changed.items()):
            original = self.originals.get(key)
            if original is None:
                problems.append(f"{self._name(key)} was changed and its original is unknown")
                self._forget(key)  # nothing to put back: said once
                continue
            if value != original and not await self._put_back(call, key, original):
                problems.append(f"{self._name(key)} could not be set back to {original!r}")
                continue
            self._forget(key)
        self.unrestored = problems
        self.known.clear()
        return problems

    def set_back_by_sut(self, key: Key) -> None:
        """``key`` is back at its original by other means than OCPP (a SUT action: 1.6 SEC
        A05.FR.01 refuses to lower SecurityProfile, so only a technician can): nothing to
        restore for it."""
        self._forget(key)

    def _forget(self, key: Key) -> None:
        self.changed.pop(key, None)
        self.originals.pop(key, None)
        self.items.pop(key, None)

    async def _put_back(self, call: Caller, key: Key, original: str) -> bool:
        if self.v16:
            answer = await call("ChangeConfiguration", {"key": key, "value": original})
            return answer is not None and answer.get("status") in TAKEN
        item = {k: v for k, v in self.items[key].items() if k != "attributeValue"}
        answer = await call(
            "SetVariables", {"setVariableData": [{**item, "attributeValue": original}]}
        )
        results = (answer or {}).get("setVariableResult") or []
        return bool(results) and all(r.get("attributeStatus") in TAKEN for r in results)

    def _name(self, key: Key) -> str:
        if self.v16:
            return f"configuration key {key}"
        component, variable, _ = json.loads(key)
        return f"{component.get('name')}.{variable.get('name')}"
