"""Validation of ``sut.actions``: every mistake a profile error at load time (issue 8 item 7).

An action name that is not known, an action the SUT's role is never asked for, a ``{{name}}``
placeholder the action does not offer, the old single-brace form ``{evse_id}``, a JSON body that
is not JSON once filled in, a relative URL without ``base_url``, a secret-bearing header written
in the file instead of read from the environment: each names the file, the dotted key, the
problem and an example (:class:`~harness.config.errors.ProfileError`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from harness.actions.catalog import (
    ACTIONS,
    ALL_PLACEHOLDERS,
    COMMON_PARAMS,
    SAMPLE_VALUES,
    applies_to,
)
from harness.actions.templates import env_names, fill_json, placeholders, single_brace_names
from harness.config.fields import FieldReader
from harness.config.model import ActionsConfig, ActionsType, HttpRequest, Role

_KEYS = ("type", "commands", "requests", "prompts", "base_url", "headers")
#: Which keys belong to which type (the others are a mistake for it).
_OWN = {
    ActionsType.SHELL: ("commands",),
    ActionsType.HTTP: ("requests", "base_url", "headers"),
    ActionsType.MANUAL: ("prompts",),
    ActionsType.BUILTIN: (),
}
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Header names whose value is a credential: it must come from the environment.
_SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|password|api-?key|session", re.I)


def actions_section(r: FieldReader, value: Any, builtin: str | None, role: Role) -> ActionsConfig:
    """``sut.actions`` as an :class:`ActionsConfig` (see the module doc for what is checked)."""
    m = r.section(value, "sut.actions", _KEYS)
    default = ActionsType.BUILTIN if builtin else ActionsType.MANUAL
    kind = r.choice(m.get("type"), "sut.actions.type", ActionsType, default)
    if kind is ActionsType.BUILTIN and builtin is None:
        r.fail(
            "sut.actions.type",
            "type builtin drives the built-in SUTs only; a real SUT uses manual, shell or http",
            "type: manual (or type: shell with commands, or type: http with requests)",
        )
    for key in _KEYS[1:]:
        if m.get(key) is not None and key not in _OWN[kind]:
            owner = next(t for t, keys in _OWN.items() if key in keys)
            r.fail(f"sut.actions.{key}", f"{key} is used by type {owner} only (type is {kind})")
    commands = _templates(r, m.get("commands"), "sut.actions.commands", role)
    prompts = _templates(r, m.get("prompts"), "sut.actions.prompts", role)
    if kind is ActionsType.SHELL and not commands:
        r.fail("sut.actions.commands", "type shell needs a command for each action it performs")
    base_url = _base_url(r, m.get("base_url"))
    requests = {
        name: _request(r, item, f"sut.actions.requests.{name}", name, base_url)
        for name, item in _named(r, m.get("requests"), "sut.actions.requests", role).items()
    }
    if kind is ActionsType.HTTP and not requests and base_url is None:
        r.fail(
            "sut.actions.requests",
            "type http needs a request for each action it performs (or a base_url the actions "
            "are POSTed under)",
        )
    headers = _headers(r, m.get("headers"), "sut.actions.headers")
    return ActionsConfig(
        kind,
        commands=MappingProxyType(commands),
        requests=MappingProxyType(requests),
        prompts=MappingProxyType(prompts),
        base_url=base_url,
        headers=MappingProxyType(headers),
    )


def _named(r: FieldReader, value: Any, key: str, role: Role) -> Mapping[str, Any]:
    """A mapping keyed by action names, each known and one the SUT's role is asked for."""
    m = r.section(value, key)
    for name in m:
        spec = ACTIONS.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(ACTIONS), n=1)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            r.fail(
                f"{key}.{name}",
                f"'{name}' is not a SUT action{hint} (known: {', '.join(ACTIONS)})",
            )
        if not applies_to(spec, role):
            r.fail(
                f"{key}.{name}",
                f"{name} is asked of a {spec.role} under test; this profile tests a {role}",
            )
    return m


def _templates(r: FieldReader, value: Any, key: str, role: Role) -> dict[str, str]:
    """Command lines or prompts per action, each with valid placeholders."""
    out: dict[str, str] = {}
    for name, item in _named(r, value, key, role).items():
        text = r.text(item, f"{key}.{name}")
        check_placeholders(r, text, f"{key}.{name}", name)
        out[name] = text
    return out


def check_placeholders(r: FieldReader, template: str, key: str, action: str | None) -> None:
    """Fail on a placeholder ``action`` does not offer (None: only the common ones), or on the
    old single-brace form of a known one."""
    offered = ACTIONS[action].placeholders if action is not None else COMMON_PARAMS
    listing = ", ".join(f"{{{{{p}}}}}" for p in offered)
    for name in single_brace_names(template):
        if name in ALL_PLACEHOLDERS:
            r.fail(
                key,
                f"'{{{name}}}' is the old placeholder form: write {{{{{name}}}}} (double braces; "
                "single braces stay literal, e.g. in a JSON body)",
            )
    for name in placeholders(template):
        if name not in offered:
            close = difflib.get_close_matches(name, offered, n=1)
            hint = f" — did you mean {{{{{close[0]}}}}}?" if close else ""
            what = f"{action} offers" if action is not None else "it may use"
            r.fail(
                key,
                f"{{{{{name}}}}} is not a placeholder of {action or 'this key'}{hint} ({what}: "
                f"{listing})",
            )


def _base_url(r: FieldReader, value: Any) -> str | None:
    if value is None:
        return None
    url = r.text(value, "sut.actions.base_url")
    check_placeholders(r, url, "sut.actions.base_url", None)
    _check_absolute(r, url, "sut.actions.base_url")
    return url


def _check_absolute(r: FieldReader, url: str, key: str) -> None:
    parts = urlsplit(re.sub(r"\{\{[^}]*\}\}|\$\{[^}]*\}", "x", url))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        r.fail(key, f"'{url}' is not an http:// or https:// URL with a host")
    if parts.password is not None or parts.username is not None:
        r.fail(
            key,
            "credentials do not go in the URL: give them in a header read from the environment",
            'headers: {Authorization: "Bearer ${API_TOKEN}"}',
        )


def _request(
    r: FieldReader, value: Any, key: str, action: str, base_url: str | None
) -> HttpRequest:
    if isinstance(value, str):
        value = {"url": value}
    m = r.section(value, key, ("method", "url", "body", "headers"))
    url = r.text(m.get("url"), f"{key}.url")
    check_placeholders(r, url, f"{key}.url", action)
    if "://" in url:
        _check_absolute(r, url, f"{key}.url")
    elif base_url is None:
        r.fail(
            f"{key}.url",
            f"'{url}' is relative: set sut.actions.base_url, or give the whole URL",
            "base_url: http://127.0.0.1:8080/api (then url: /evse/{{evse_id}}/plug)",
        )
    method = r.text(m.get("method"), f"{key}.method", "POST").upper()
    if method not in _METHODS:
        r.fail(f"{key}.method", f"'{method}' is not one of {', '.join(_METHODS)}")
    body = None
    if m.get("body") is not None:
        if not isinstance(m["body"], str):
            r.fail(
                f"{key}.body",
                "the body is a JSON template in quotes, not a YAML mapping",
                'body: \'{"evseId": {{evse_id}}, "idToken": {{id_token}}}\'',
            )
        body = r.text(m["body"], f"{key}.body")
        check_placeholders(r, body, f"{key}.body", action)
        _check_json(r, body, f"{key}.body")
        if method == "GET":
            r.fail(f"{key}.body", "a GET request has no body: use POST, PUT or PATCH")
    headers = _headers(r, m.get("headers"), f"{key}.headers")
    return HttpRequest(url, method, body, MappingProxyType(headers))


def _check_json(r: FieldReader, body: str, key: str) -> None:
    """The body, filled with sample values, must parse as JSON."""
    try:
        json.loads(fill_json(body, SAMPLE_VALUES))
    except ValueError as exc:
        r.fail(
            key,
            f"the body is not valid JSON once its placeholders are filled in ({exc}); a "
            "placeholder stands for a whole JSON value, or for text inside a JSON string",
        )


def _headers(r: FieldReader, value: Any, key: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, item in r.section(value, key).items():
        text = r.text(item, f"{key}.{name}")
        if placeholders(text):
            r.fail(f"{key}.{name}", "headers take ${NAME} (an environment variable), not {{...}}")
        if _SECRET_HEADER.search(name) and not env_names(text):
            r.fail(
                f"{key}.{name}",
                f"the {name} header carries a credential: read it from the environment with "
                "${NAME}, never write it in the profile",
                f'{name}: "Bearer ${{API_TOKEN}}" (and export API_TOKEN=... before the run)',
            )
        headers[name] = text
    return headers
