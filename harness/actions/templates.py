"""Placeholders in action templates: ``{{name}}`` filled per target, ``${NAME}`` from the environment.

Issue 8 item 7: a shell command often carries a JSON body (``curl -d '{"evse": 1}'``), so single
braces stay literal and a placeholder is ``{{name}}`` (spaces inside allowed: ``{{ name }}``).
How a value is written depends on where it goes:

* shell command — one literal word whatever the value holds (``'``, ``$(...)``, spaces):
  shell-quoted (:func:`shlex.quote`) outside quotes, escaped for the quotes around it inside
  ``'...'`` or ``"..."`` (so ``curl -d '{"idToken": "{{id_token}}"}'`` works);
* JSON body — outside a JSON string, the JSON encoding of the value (a string gets its quotes and
  escapes); inside a JSON string (``"/evse/{{evse_id}}"``), the escaped text without quotes: the
  result is valid JSON either way;
* URL — percent-encoded;
* operator prompt — the plain text.

Booleans are written ``true``/``false`` everywhere. ``${NAME}`` (an environment variable's name,
never its value) may appear in HTTP headers and URLs; it is read when the request is made.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Callable, Mapping
from urllib.parse import quote

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: ``{evse_id}`` not part of ``{{...}}`` nor of a shell ``${...}`` expansion.
_SINGLE = re.compile(r"(?<![{$])\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(template: str) -> list[str]:
    """The ``{{name}}`` placeholders of a template, in order of appearance."""
    return PLACEHOLDER.findall(template)


def single_brace_names(template: str) -> list[str]:
    """Names written ``{name}`` (the old form), for a profile error pointing to ``{{name}}``."""
    return _SINGLE.findall(template)


def env_names(template: str) -> list[str]:
    """The environment variables a template reads (``${NAME}``)."""
    return ENV_REFERENCE.findall(template)


def as_text(value: object) -> str:
    """A value as plain text (``true``/``false`` for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(template: str, params: Mapping[str, object], write: Callable[[object], str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return write(params[match.group(1)])

    return PLACEHOLDER.sub(replace, template)


def fill_shell(template: str, params: Mapping[str, object]) -> str:
    """A bash command with each placeholder replaced by its value as one literal word: quoted
    with :func:`shlex.quote` outside quotes, escaped for the quotes it stands in otherwise
    (``'{"idToken": "{{id_token}}"}'`` stays one argument whatever the token holds)."""
    out: list[str] = []
    quote_state = ""  # "", "'" or '"'
    position = 0
    for match in PLACEHOLDER.finditer(template):
        literal = template[position : match.start()]
        quote_state = _shell_state(literal, quote_state)
        out += [literal, _shell_word(as_text(params[match.group(1)]), quote_state)]
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def _shell_word(text: str, quote_state: str) -> str:
    if quote_state == "'":
        return text.replace("'", "'\\''")  # close, an escaped quote, reopen
    if quote_state == '"':
        return re.sub(r'([\\"$`])', r"\\\1", text)
    return shlex.quote(text)


def _shell_state(literal: str, quote_state: str) -> str:
    """The bash quoting after ``literal`` ("", "'" or '"'), given the quoting before it."""
    escaped = False
    for char in literal:
        if escaped:
            escaped = False
        elif char == "\\" and quote_state != "'":
            escaped = True
        elif quote_state == "" and char in "'\"":
            quote_state = char
        elif char == quote_state:
            quote_state = ""
    return quote_state


def fill_text(template: str, params: Mapping[str, object]) -> str:
    """An operator prompt with each placeholder replaced by its plain text."""
    return _fill(template, params, as_text)


def fill_url(template: str, params: Mapping[str, object]) -> str:
    """A URL with each placeholder replaced by its percent-encoded text."""
    return _fill(template, params, lambda value: quote(as_text(value), safe=""))


def fill_json(template: str, params: Mapping[str, object]) -> str:
    """A JSON body: a placeholder becomes a JSON value, or escaped text inside a JSON string."""
    out: list[str] = []
    in_string = False
    position = 0
    for match in PLACEHOLDER.finditer(template):
        literal = template[position : match.start()]
        in_string = _string_state(literal, in_string)
        out.append(literal)
        value = params[match.group(1)]
        encoded = json.dumps(value, ensure_ascii=False)
        if in_string:
            encoded = json.dumps(as_text(value), ensure_ascii=False)[1:-1]
        out.append(encoded)
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def _string_state(literal: str, in_string: bool) -> bool:
    """Whether the text after ``literal`` is inside a JSON string (given the state before it)."""
    escaped = False
    for char in literal:
        if escaped:
            escaped = False
        elif in_string and char == "\\":
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string


class MissingEnvironment(Exception):
    """An environment variable a template reads is not set (or empty)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def expand_env(template: str, environ: Mapping[str, str] | None = None) -> str:
    """``${NAME}`` replaced by the variable's value; :class:`MissingEnvironment` when unset."""
    env = os.environ if environ is None else environ

    def replace(match: re.Match[str]) -> str:
        value = env.get(match.group(1))
        if not value:
            raise MissingEnvironment(match.group(1))
        return value

    return ENV_REFERENCE.sub(replace, template)
