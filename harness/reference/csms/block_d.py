"""OCA block D (Local Authorization List) of the 2.0.1/2.1 reference CSMS: the SendLocalList its
operator has it send (D01) and the version it asks (D02). 1.6 has its own in
:mod:`~harness.reference.csms.v16_commands`.

* ``content`` ``entries``: every idToken the CSMS holds as Accepted, Blocked or Expired, each with
  its IdTokenInfo (required in a Full update, AuthorizationDataType) and group; ``removals``: the
  same idTokens without IdTokenInfo (a Differential update removes them, D01.FR.17); ``empty``: no
  localAuthorizationList (a Full update empties the list, D01.FR.04).
* The version: the CSMS first asks the station's (GetLocalListVersion, D02) and sends one above
  it (D01.FR.19 refuses a Differential update that is not above; D01.FR.18: never 0).

Seeded faults (:mod:`harness.reference.csms_faults_d`): ``csms-local-list-wrong-type``,
``csms-local-list-version-not-above``, ``csms-local-list-no-token-info``,
``csms-local-list-removals-keep-info``, ``csms-local-list-empty-has-entries``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.reference.csms.block_c import TokenEntry

_OTHER_UPDATE = {"Full": "Differential", "Differential": "Full"}
#: What an operator may ask a list to hold (the action's ``content``).
CONTENTS = ("entries", "removals", "empty")


def _entries(
    faults: frozenset[str], table: Mapping[str, TokenEntry], *, removals: bool
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for token, entry in table.items():
        if entry.status not in ("Accepted", "Blocked", "Expired"):
            continue
        item: dict[str, Any] = {"idToken": {"idToken": token, "type": "ISO14443"}}
        keep_info = not removals or "csms-local-list-removals-keep-info" in faults
        if keep_info and "csms-local-list-no-token-info" not in faults:
            info: dict[str, Any] = {"status": entry.status}
            if entry.group:
                info["groupIdToken"] = {"idToken": entry.group, "type": "Central"}
            item["idTokenInfo"] = info
        items.append(item)
    return items


def send_local_list(
    faults: frozenset[str],
    table: Mapping[str, TokenEntry],
    update_type: str,
    content: str,
    station_version: int,
) -> tuple[str, dict[str, Any]]:
    """SendLocalListRequest of ``update_type`` holding ``content`` (see the module docstring),
    with a version above ``station_version``."""
    if content not in CONTENTS:
        raise ValueError(f"content {content!r}: one of {', '.join(CONTENTS)}")
    if "csms-local-list-wrong-type" in faults:
        update_type = _OTHER_UPDATE.get(update_type, "Full")
    above = 0 if "csms-local-list-version-not-above" in faults else 1
    payload: dict[str, Any] = {
        "versionNumber": max(1, station_version + above),
        "updateType": update_type,
    }
    empty = content == "empty" and "csms-local-list-empty-has-entries" not in faults
    if not empty:
        payload["localAuthorizationList"] = _entries(faults, table, removals=content == "removals")
    return "SendLocalList", payload
