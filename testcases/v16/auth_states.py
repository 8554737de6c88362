"""Steps shared by the OCPP 1.6 Local Authorization List, reservation and remote trigger cases with
the charge point under test (:mod:`.test_local_list`, :mod:`.test_remote_trigger`): configuration
keys read and set (the harness restores what a case changed, :mod:`harness.peers.config_guard`),
applicability from the claimed feature profiles, and the list sent and emptied.

Applicability: a case of the LocalAuthListManagement, Reservation or RemoteTrigger feature profile
needs the charge point to claim it (``claims.profiles: [local-auth-list]``, ``reservation``,
``remote-trigger``; the charge point lists it in SupportedFeatureProfiles, 1.6 §9.1). A key the
case needs set to another value and the charge point refuses to change (read-only, Rejected) makes
the case NOT-APPLICABLE with the reason: 1.6 lets a charge point fix most of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness import CsmsPeer
from harness.catalogue import profile_slug
from harness.checks import applicable_unless, require
from harness.config import SutProfile

V16 = ("1.6",)
LOCAL_AUTH_LIST = "local-auth-list"
RESERVATION = "reservation"
REMOTE_TRIGGER = "remote-trigger"
#: What a configuration read owes (GetConfiguration answered, 1.6 §5.8).
READ = "1.6 §5.8: GetConfiguration answered"


def claims(slug: str, name: str) -> Callable[[SutProfile], str | None]:
    """The applicability of a case of the 1.6 feature profile ``name`` (slug ``slug``)."""

    def check(profile: SutProfile) -> str | None:
        claimed = {profile_slug(p) for p in profile.claims.profiles}
        if slug in claimed:
            return None
        return f"needs the {name} feature profile (claims.profiles: {slug})"

    return check


async def read_keys(csms: CsmsPeer, *keys: str) -> dict[str, str | None]:
    """The values of ``keys`` (None: unknown to the charge point or without a value)."""
    result = await csms.call("GetConfiguration", key=list(keys))
    listed = result.must(req=READ).get("configurationKey") or []
    found: dict[str, str | None] = dict.fromkeys(keys)
    for item in listed:
        if isinstance(item, dict) and item.get("key") in found:
            value = item.get("value")
            found[str(item["key"])] = None if value is None else str(value)
    return found


async def read_int(csms: CsmsPeer, key: str) -> int:
    """An integer key the charge point must report (1.6 §9.1/§9.2 "required")."""
    value = (await read_keys(csms, key))[key]
    require(
        value is not None and value.strip().lstrip("-").isdigit(),
        req=f"1.6 §9: {key} reported as an integer",
        expected=f"{key} with an integer value",
        actual=repr(value),
    )
    return int(str(value))


async def set_key(csms: CsmsPeer, key: str, value: str) -> None:
    """``key`` set to ``value`` unless it has it already; a charge point that will not change it
    makes the case NOT-APPLICABLE (restored after the case by the harness)."""
    current = (await read_keys(csms, key))[key]
    if current is not None and current.lower() == value.lower():
        return
    result = await csms.call("ChangeConfiguration", key=key, value=value)
    status = result.must(req="1.6 §5.3: ChangeConfiguration answered").get("status")
    applicable_unless(
        status not in ("Accepted", "RebootRequired"),
        f"the case needs {key}={value}; the charge point answered ChangeConfiguration {status} "
        f"(it was {current!r})",
    )
    applicable_unless(
        status == "RebootRequired",
        f"{key} takes effect only after a reboot on this charge point",
    )


def entry(tag: str, status: str | None = "Accepted") -> dict[str, Any]:
    """One AuthorizationData (1.6 §7.1): without a status it removes the idTag (Differential)."""
    return {"idTag": tag} if status is None else {"idTag": tag, "idTagInfo": {"status": status}}


async def send_list(
    csms: CsmsPeer,
    version: int,
    entries: list[dict[str, Any]],
    *,
    full: bool = True,
) -> str:
    """SendLocalList (1.6 §5.15, errata §3.52: listVersion above 0); its UpdateStatus."""
    payload: dict[str, Any] = {
        "list_version": version,
        "update_type": "Full" if full else "Differential",
    }
    if entries:
        payload["local_authorization_list"] = entries
    result = await csms.call("SendLocalList", **payload)
    return str(result.must(req="1.6 §5.15: SendLocalList answered").get("status"))


async def list_version(csms: CsmsPeer) -> int:
    """GetLocalListVersion (1.6 §5.10): the listVersion."""
    result = await csms.call("GetLocalListVersion")
    return int(result.must(req="1.6 §5.10: GetLocalListVersion answered")["listVersion"])


async def empty_list(csms: CsmsPeer, version: int) -> None:
    """The list emptied again after a case (a Full update without entries, §6.41); what the
    charge point answers is not the case's concern."""
    await csms.call("SendLocalList", list_version=version, update_type="Full")
