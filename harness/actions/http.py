"""``actions: {type: http}``: each action is an HTTP request to the SUT's (or a simulator's) API.

Issue 8 item 7: many stations, simulators and CSMSs expose a REST API for exactly what a case
needs done. A request has a method (POST by default), a URL (absolute, or relative to
``base_url``) whose ``{{placeholders}}`` are percent-encoded, and a JSON body template whose
placeholders become JSON values (:mod:`harness.actions.templates`). With ``base_url`` an action
without a request of its own is POSTed to ``<base_url>/<action>`` with its parameters as a JSON
object (``{{identity}}`` is not part of it). Headers may read secrets from the environment (``${NAME}``), never from the profile.

The standard library does the work (``urllib.request`` in a thread): an answer within
``timeouts.action_s`` with a 2xx status is the action's value (parsed JSON, else text); anything
else makes the case INCONCLUSIVE naming the URL: a non-2xx status with the body's tail, a refused
connection, no answer in time. A URL to a loopback host never goes through an HTTP proxy.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from harness.actions.catalog import ACTIONS, OPTIONAL
from harness.actions.shell import RESULT_BYTES, tail
from harness.actions.templates import MissingEnvironment, expand_env, fill_json, fill_url
from harness.config.model import HttpRequest
from harness.progress import waiting
from harness.verdicts import HarnessError, Inconclusive

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_ERROR_BODY_BYTES = 4096


def join_url(base_url: str | None, url: str) -> str:
    """``url`` as given when absolute, else appended to ``base_url`` (exactly one '/' between)."""
    if "://" in url or base_url is None:
        return url
    return f"{base_url.rstrip('/')}/{url.lstrip('/')}"


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class _Prepared:
    action: str
    method: str
    url: str  # environment variables expanded: never shown
    shown: str  # as the profile wrote it, placeholders filled: safe to show
    body: bytes | None
    headers: dict[str, str]


class HttpOperator:
    """Sends the profile's HTTP request for an action, with its parameters filled in."""

    def __init__(
        self,
        requests: Mapping[str, HttpRequest],
        timeout_s: float,
        *,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        common: Mapping[str, object] | None = None,
    ) -> None:
        self.requests = requests
        self.timeout_s = timeout_s
        self.base_url = base_url
        self.headers: Mapping[str, str] = headers or {}
        #: Values every request may use (``{{identity}}``).
        self.common: Mapping[str, object] = common or {}

    def request_for(self, action: str) -> HttpRequest | None:
        """The configured request, or the default ``POST <base_url>/<action>`` (not for the
        optional lifecycle actions, which run only when configured)."""
        request = self.requests.get(action)
        default = self.base_url is not None and action in ACTIONS and action not in OPTIONAL
        if request is None and default:
            return HttpRequest(url=action)
        return request

    def provides(self, action: str) -> bool:
        return self.request_for(action) is not None

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        request = self.request_for(action)
        if request is None:
            raise Inconclusive(
                f"no http request configured for {action!r} (sut.actions.requests.{action}): "
                f"{instruction}"
            )
        prepared = self._prepare(action, request, params)
        try:
            async with asyncio.timeout(self.timeout_s):
                with waiting(f"{action}: {prepared.method} {prepared.shown}", self.timeout_s):
                    answer = await asyncio.to_thread(self._send, prepared)
        except TimeoutError:
            raise Inconclusive(
                f"{action}: {prepared.method} {prepared.shown} did not answer within "
                f"{self.timeout_s:g} s (timeouts.action_s)"
            ) from None
        try:
            return json.loads(answer)
        except ValueError:
            return answer.decode(errors="replace")

    def _prepare(self, action: str, request: HttpRequest, params: dict[str, Any]) -> _Prepared:
        values = {**self.common, **params}
        try:
            shown = fill_url(join_url(self.base_url, request.url), values)
            if request.body is not None:
                body: bytes | None = fill_json(request.body, values).encode()
            elif action not in self.requests:  # the default request: the action's parameters
                body = json.dumps(params).encode()
            else:
                body = None
        except KeyError as exc:  # the profile check rules this out; a direct caller may not
            raise HarnessError(
                f"sut.actions.requests.{action} uses {{{{{exc.args[0]}}}}}, which {action} does "
                f"not provide (available: {', '.join(sorted(values)) or 'none'})"
            ) from None
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            headers |= {k: expand_env(v) for k, v in {**self.headers, **request.headers}.items()}
            url = expand_env(shown)
        except MissingEnvironment as exc:
            raise Inconclusive(
                f"{action}: the environment variable {exc.name} is not set (the request reads "
                f"${{{exc.name}}})"
            ) from None
        return _Prepared(action, request.method, url, shown, body, headers)

    def _send(self, prepared: _Prepared) -> bytes:
        """One blocking request (run in a thread); INCONCLUSIVE unless the answer is 2xx."""
        where = f"{prepared.action}: {prepared.method} {prepared.shown}"
        request = urllib.request.Request(
            prepared.url, data=prepared.body, headers=prepared.headers, method=prepared.method
        )
        opener = _DIRECT if _loopback(prepared.url) else urllib.request.build_opener()
        try:
            with opener.open(request, timeout=self.timeout_s) as response:
                answer: bytes = response.read(RESULT_BYTES)
                return answer
        except urllib.error.HTTPError as exc:
            try:
                body = tail(exc.read(_ERROR_BODY_BYTES))
            finally:
                exc.close()
            raise Inconclusive(
                f"{where} answered HTTP {exc.code} {exc.reason}"
                + (f": {body}" if body else " (empty body)")
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                raise Inconclusive(f"{where}: nothing listens there (connection refused)") from None
            if isinstance(reason, TimeoutError):
                raise Inconclusive(f"{where} did not answer within {self.timeout_s:g} s") from None
            raise Inconclusive(f"{where} failed: {reason}") from None
        except TimeoutError:
            raise Inconclusive(f"{where} did not answer within {self.timeout_s:g} s") from None
        except OSError as exc:
            raise Inconclusive(f"{where} failed: {exc}") from None
