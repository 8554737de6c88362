"""The reference station's block D (harness/reference/station/block_d.py) beyond what the OCA
cases drive: Failed for a request over ItemsPerMessage or while the list is disabled (nothing
changes), additions and removals in the list itself, Entries, the status a listed idToken has,
a power cycle with and without the legal variant ``local-list-volatile``, and what the list
decides for a presented idToken (C13/C14)."""

from __future__ import annotations

from typing import Any, cast

from harness.reference.station.block_d import ITEMS_PER_MESSAGE, LocalList
from harness.reference.station.devmodel import DeviceModel, Variable
from harness.reference.station.v2 import V2
from harness.reference.variants import Seeded


class _Station:
    def __init__(self, variants: frozenset[str]) -> None:
        self.faults: frozenset[str] = frozenset()
        self.variants = Seeded(variants)


class _V2:
    """What LocalList uses of the 2.x behaviour: the station and the device model."""

    def __init__(self, variants: frozenset[str] = frozenset()) -> None:
        self.st = _Station(variants)
        self.dm: DeviceModel


def _list(variants: frozenset[str] = frozenset()) -> LocalList:
    fake = _V2(variants)
    block = LocalList(cast(V2, fake))
    fake.dm = DeviceModel(block.variables(), frozenset())
    return block


def _item(token: str, status: str | None = "Accepted") -> dict[str, Any]:
    item: dict[str, Any] = {"idToken": {"idToken": token, "type": "ISO14443"}}
    if status is not None:
        item["idTokenInfo"] = {"status": status}
    return item


def _send(block: LocalList, version: int, items: list[dict[str, Any]], kind: str) -> str:
    payload = {"versionNumber": version, "updateType": kind, "localAuthorizationList": items}
    return str(block.handlers()["SendLocalList"](payload).payload["status"])


def _version(block: LocalList) -> int:
    return int(block.handlers()["GetLocalListVersion"]({}).payload["versionNumber"])


def test_no_update_yet_is_version_0() -> None:
    assert _version(_list()) == 0  # D02.FR.02


def test_updates_add_change_and_remove_entries() -> None:
    block = _list()
    assert _send(block, 3, [_item("A"), _item("B", "Blocked")], "Full") == "Accepted"
    assert block.status("A", "ISO14443") == "Accepted"
    assert block.status("B", "ISO14443") == "Blocked"
    assert block.v2.dm.value("LocalAuthListCtrlr", "Entries") == "2"  # D01.FR.12
    assert _send(block, 4, [_item("A", None), _item("B", "Accepted")], "Differential") == "Accepted"
    assert block.status("A", "ISO14443") is None
    assert block.status("B", "ISO14443") == "Accepted"
    assert block.status("B", "KeyCode") is None  # an IdToken is its value and its type
    assert (_version(block), block.v2.dm.value("LocalAuthListCtrlr", "Entries")) == (4, "1")


def test_too_many_items_fail_and_change_nothing() -> None:
    block = _list()
    _send(block, 2, [_item("A")], "Full")
    many = [_item(f"T{n}") for n in range(ITEMS_PER_MESSAGE + 1)]
    assert _send(block, 5, many, "Full") == "Failed"  # D01.FR.11
    assert (_version(block), block.status("A", "ISO14443")) == (2, "Accepted")


def test_a_disabled_list_fails_updates_and_reports_version_0() -> None:
    block = _list()
    _send(block, 2, [_item("A")], "Full")
    variable = block.v2.dm.find({"name": "LocalAuthListCtrlr"}, {"name": "Enabled"})
    assert not isinstance(variable, str)
    variable.value = "false"
    assert _send(block, 3, [_item("B")], "Differential") == "Failed"
    assert (_version(block), block.status("A", "ISO14443")) == (0, None)  # D02.FR.03
    variable.value = "true"
    assert (_version(block), block.status("A", "ISO14443")) == (2, "Accepted")


def test_a_power_cycle_keeps_the_list_unless_it_is_volatile() -> None:
    kept, volatile = _list(), _list(frozenset({"local-list-volatile"}))
    for block in (kept, volatile):
        _send(block, 6, [_item("A")], "Full")
        block.power_lost()
    assert (_version(kept), kept.status("A", "ISO14443")) == (6, "Accepted")  # D01.FR.10
    assert (_version(volatile), volatile.status("A", "ISO14443")) == (0, None)


def _with_pre_authorize(block: LocalList, value: str) -> None:
    """The list's variables and AuthCtrlr.LocalPreAuthorize ``value``, which decide() reads."""
    variables = [
        *block.v2.dm.variables,
        Variable("AuthCtrlr", "LocalPreAuthorize", "boolean", value),
    ]
    block.v2.dm = DeviceModel(variables, frozenset())


def test_what_the_list_decides_for_a_presented_idtoken() -> None:
    block = _list()
    _with_pre_authorize(block, "true")
    _send(block, 2, [_item("OK"), _item("BAD", "Invalid")], "Full")
    assert block.decide("UNLISTED", True) is None  # the cache and the CSMS decide
    assert block.decide("OK", True) == "grant"  # C14.FR.02
    assert block.decide("BAD", True) == "authorize"  # C14.FR.03
    assert (block.decide("OK", False), block.decide("BAD", False)) == ("grant", "refuse")  # C13
    variable = block.v2.dm.find({"name": "LocalAuthListCtrlr"}, {"name": "DisablePostAuthorize"})
    assert not isinstance(variable, str)
    variable.value = "true"
    assert block.decide("BAD", True) == "refuse"  # LA-3
    _with_pre_authorize(block, "false")
    assert block.decide("OK", True) == "authorize"
