"""Block C (authorization) of the reference CSMS: its token list with a status and a group per
token, the idTokenInfo it answers with, and the ClearCache an operator asks for.

* C01.FR.07: the AuthorizeResponse carries the token's status (Accepted, Blocked, Expired, ...);
* C09.FR.02: tokens of one group carry the same groupIdToken in every idTokenInfo;
* C12.FR.03: a TransactionEvent's idToken is checked like an Authorize (the cached-id start);
* C16: a Master Pass token is Accepted with the MasterPassGroupId as its groupIdToken;
* C11: ClearCacheRequest, sent on the operator's request.

Faults: ``csms-group-id-omitted`` (no groupIdToken), ``csms-ignores-token-status`` (a Blocked or
Expired token answered Accepted), ``csms-clearcache-not-sent``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.config.model import Tokens
from harness.reference.csms.commands import Command

#: The tokens a reference CSMS holds when no profile says otherwise (``ocpp-harness reference
#: csms``; the built-in profiles list the same).
REFERENCE_TOKENS = Tokens(
    valid="VALID001",
    invalid="INVALID999",
    valid2="VALID002",
    group="GROUP001",
    blocked="BLOCKED001",
    expired="EXPIRED001",
    masterpass="MASTER001",
    masterpass_group="MASTERGROUP",
)


@dataclass(frozen=True, slots=True)
class TokenEntry:
    """What the CSMS holds of one token: its AuthorizationStatus and its groupIdToken."""

    status: str
    group: str | None = None


def token_table(tokens: Tokens) -> dict[str, TokenEntry]:
    """The reference CSMS's token list from a profile's ``sut.tokens`` (keys casefolded: idTokens
    are case insensitive)."""
    table = {
        tokens.valid: TokenEntry("Accepted", tokens.group),
        tokens.valid2: TokenEntry("Accepted", tokens.group),
        tokens.blocked: TokenEntry("Blocked"),
        tokens.expired: TokenEntry("Expired"),
        tokens.masterpass: TokenEntry("Accepted", tokens.masterpass_group),
    }
    return {token.casefold(): entry for token, entry in table.items() if token is not None}


def lookup(table: Mapping[str, TokenEntry], token: str) -> TokenEntry | None:
    """The entry of ``token`` (case insensitive), or None when the list lacks it."""
    return table.get(token.casefold())


def id_token_info(
    faults: frozenset[str], table: Mapping[str, TokenEntry], token: str, status: str
) -> dict[str, Any]:
    """IdTokenInfoType for ``token`` with ``status``: with the token's group (C09.FR.02, C16)
    when it has one and is Accepted."""
    info: dict[str, Any] = {"status": status}
    entry = lookup(table, token)
    if (
        entry is not None
        and entry.group
        and status == "Accepted"
        and "csms-group-id-omitted" not in faults
    ):
        info["groupIdToken"] = {"idToken": entry.group, "type": "Central"}
    return info


def listed_status(
    faults: frozenset[str], table: Mapping[str, TokenEntry], token: str
) -> str | None:
    """The status the list gives ``token`` (None when not listed); under the fault
    ``csms-ignores-token-status`` every listed token is Accepted."""
    entry = lookup(table, token)
    if entry is None:
        return None
    if "csms-ignores-token-status" in faults:
        return "Accepted"
    return entry.status


def clear_cache(faults: frozenset[str]) -> Command | None:
    """C11 ClearCacheRequest (None under the fault ``csms-clearcache-not-sent``)."""
    if "csms-clearcache-not-sent" in faults:
        return None
    return "ClearCache", {}
