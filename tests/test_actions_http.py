"""``actions: {type: http}`` against a small HTTP endpoint of the test's own on 127.0.0.1 (issue 8
item 7): the body received is valid JSON holding the values, secrets come from the environment,
and a non-2xx answer, a refused connection or silence end INCONCLUSIVE naming the URL."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from harness.actions import HttpOperator, SutActions, check_environment
from harness.config import ProfileError
from harness.config.model import ActionsConfig, ActionsType, HttpRequest
from harness.verdicts import Inconclusive


@dataclass
class Endpoint:
    """What the endpoint received, and how it answers (status, body, delay) per path."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, tuple[int, bytes, float]] = field(default_factory=dict)


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    state = Endpoint()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.received.append(
                {"method": self.command, "path": self.path, "headers": self.headers, "body": body}
            )
            status, answer, delay = state.answers.get(self.path, (200, b'{"ok": true}', 0.0))
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def test_body_template_becomes_valid_json_with_the_values(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIM_TOKEN", "s3cret")
    requests = {
        "present_token": HttpRequest(
            url="/evse/{{evse_id}}/token/{{id_token}}",
            body='{"idToken": {{id_token}}, "label": "card {{id_token}}", "evse": {{evse_id}}}',
        )
    }
    operator = HttpOperator(
        requests,
        30,
        base_url=endpoint.url,
        headers={"Authorization": "Bearer ${SIM_TOKEN}"},
        common={"identity": "CS1"},
    )
    actions = SutActions(operator, valid_token="V1", invalid_token="X")
    token = 'a"b\\c/d é'
    await actions.present_token(token, evse_id=2)
    (got,) = endpoint.received
    assert got["method"] == "POST"
    assert got["path"] == "/api/evse/2/token/a%22b%5Cc%2Fd%20%C3%A9"
    assert json.loads(got["body"]) == {"idToken": token, "label": f"card {token}", "evse": 2}
    assert got["headers"]["Authorization"] == "Bearer s3cret"
    assert got["headers"]["Content-Type"] == "application/json"


async def test_base_url_alone_posts_the_parameters_and_returns_the_answer(
    endpoint: Endpoint,
) -> None:
    endpoint.answers["/api/plug_in"] = (201, b'{"ok": true, "result": {"plugged": 1}}', 0.0)
    operator = HttpOperator({}, 30, base_url=endpoint.url)
    result = await operator.perform("plug_in", "", evse_id=1, connector_id=1)
    assert result == {"ok": True, "result": {"plugged": 1}}
    assert json.loads(endpoint.received[0]["body"]) == {"evse_id": 1, "connector_id": 1}
    assert not operator.provides("start")  # a lifecycle action runs only when configured
    assert operator.provides("reboot")


async def test_non_2xx_is_inconclusive_with_status_and_body_tail(endpoint: Endpoint) -> None:
    endpoint.answers["/api/reboot"] = (500, b"trace line 1\nboom: relay stuck\n", 0.0)
    operator = HttpOperator({"reboot": HttpRequest(url="reboot")}, 30, base_url=endpoint.url)
    with pytest.raises(
        Inconclusive,
        match=r"reboot: POST http://127.0.0.1:\d+/api/reboot answered HTTP 500 .*stuck",
    ):
        await operator.perform("reboot", "")


async def test_refused_connection_names_the_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    operator = HttpOperator({"reboot": HttpRequest(url=f"http://127.0.0.1:{port}/x")}, 30)
    with pytest.raises(Inconclusive, match=rf"POST http://127.0.0.1:{port}/x: nothing listens"):
        await operator.perform("reboot", "")


async def test_silence_is_inconclusive_after_action_s(endpoint: Endpoint) -> None:
    endpoint.answers["/api/reboot"] = (200, b"{}", 3.0)
    operator = HttpOperator({}, 0.5, base_url=endpoint.url)
    start = time.monotonic()
    with pytest.raises(Inconclusive, match=r"did not answer within 0\.5 s"):
        await operator.perform("reboot", "")
    assert time.monotonic() - start < 2.5


async def test_a_secret_never_shows_in_a_reason(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_KEY", "k-123")
    endpoint.answers["/api/reboot?key=k-123"] = (403, b"forbidden", 0.0)
    operator = HttpOperator(
        {"reboot": HttpRequest(url="reboot?key=${API_KEY}")}, 30, base_url=endpoint.url
    )
    with pytest.raises(
        Inconclusive, match=r"reboot\?key=\$\{API_KEY\} answered HTTP 403"
    ) as caught:
        await operator.perform("reboot", "")
    assert "k-123" not in str(caught.value)


def test_a_missing_environment_variable_is_named_before_the_run(tmp_path: Path) -> None:
    config = ActionsConfig(
        ActionsType.HTTP,
        base_url="http://127.0.0.1:1/api",
        headers={"Authorization": "Bearer ${SIM_TOKEN}"},
    )
    with pytest.raises(ProfileError, match=r"sut\.actions\.headers\.Authorization: .*SIM_TOKEN"):
        check_environment(config, tmp_path / "p.yaml", {})
    check_environment(config, None, {"SIM_TOKEN": "x"})
