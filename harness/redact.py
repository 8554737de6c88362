"""Secrets kept out of traces and reports: the Basic-auth password a CSMS sets (2.x
SecurityCtrlr.BasicAuthPassword, A01; 1.6 security extension AuthorizationKey through
ChangeConfiguration). The value is replaced by its length, in the frame's text and its parsed
payload alike, so the evidence still shows that a password of that length was sent."""

from __future__ import annotations

import json
from typing import Any

#: Variables (2.x) and configuration keys (1.6) whose values are secrets.
SECRET_NAMES = frozenset({"BasicAuthPassword", "AuthorizationKey"})


def _hidden(value: Any) -> str:
    return f"<redacted: {len(value) if isinstance(value, str) else '?'} characters>"


def _scrub(payload: Any) -> bool:
    """Replace secret values in a SetVariables / ChangeConfiguration payload in place."""
    changed = False
    if not isinstance(payload, dict):
        return False
    for item in payload.get("setVariableData") or ():
        secret = isinstance(item, dict) and (item.get("variable") or {}).get("name") in SECRET_NAMES
        if secret and "attributeValue" in item:
            item["attributeValue"] = _hidden(item["attributeValue"])
            changed = True
    key = payload.get("key")  # a list in GetConfiguration.req
    if isinstance(key, str) and key in SECRET_NAMES and "value" in payload:
        payload["value"] = _hidden(payload["value"])
        changed = True
    return changed


def redact(text: str, payload: Any) -> tuple[str, Any]:
    """``text`` (a frame) and ``payload`` with secret values replaced; unchanged otherwise."""
    if not any(name in text for name in SECRET_NAMES):
        return text, payload
    try:
        frame = json.loads(text)
    except ValueError:
        return text, payload
    if isinstance(frame, list) and frame and isinstance(frame[-1], dict) and _scrub(frame[-1]):
        text = json.dumps(frame, separators=(",", ":"))
    if payload is not None:
        payload = json.loads(json.dumps(payload))  # a copy: the frame object stays as sent
        _scrub(payload)
    return text, payload
