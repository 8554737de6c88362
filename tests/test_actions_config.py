"""``sut.actions`` in a profile: every mistake is a ProfileError at load time naming the key, the
problem and an example (issue 8 item 7), and a right profile loads into ActionsConfig."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.config import ActionsType, ProfileError, load_profile, profile_from_mapping
from harness.config.fields import EXAMPLES
from harness.config.model import HttpRequest


def _profile(actions: dict[str, Any], role: str = "charging-station") -> dict[str, Any]:
    sut: dict[str, Any] = {"role": role, "ocpp": "2.0.1", "identity": "CS001", "actions": actions}
    if role == "csms":
        sut["url"] = "ws://csms.example.com/ocpp"
    return {"name": "actions", "sut": sut}


def _error(actions: dict[str, Any], role: str = "charging-station") -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        profile_from_mapping(_profile(actions, role))
    return caught.value


def test_every_type_loads() -> None:
    shell = {"type": "shell", "commands": {"plug_in": "relay on {{evse_id}}", "start": "up"}}
    loaded = profile_from_mapping(_profile(shell)).sut.actions
    assert loaded.type is ActionsType.SHELL
    assert loaded.configured == {"plug_in", "start"}
    http = {
        "type": "http",
        "base_url": "http://127.0.0.1:8080/api",
        "headers": {"Authorization": "Bearer ${SIM_TOKEN}", "Accept": "application/json"},
        "requests": {
            "plug_in": {"url": "/evse/{{evse_id}}/plug", "body": '{"connector": {{connector_id}}}'},
            "present_token": {"method": "put", "url": "/token", "body": '{"t": "{{id_token}}"}'},
            "reboot": "/reboot",
        },
    }
    loaded = profile_from_mapping(_profile(http)).sut.actions
    assert loaded.requests["present_token"].method == "PUT"
    assert loaded.requests["reboot"] == HttpRequest(url="/reboot")
    manual = {"type": "manual", "prompts": {"reset": "Hold the service button ({{identity}})"}}
    assert profile_from_mapping(_profile(manual)).sut.actions.prompts["reset"].startswith("Hold")


@pytest.mark.parametrize(
    ("actions", "role", "key", "text"),
    [
        (
            {"type": "shell", "commands": {"plugin": "x"}},
            "charging-station",
            "sut.actions.commands.plugin",
            "'plugin' is not a SUT action — did you mean 'plug_in'? (known: start, stop, reset",
        ),
        (
            {"type": "shell", "commands": {"plug_in": "x"}},
            "csms",
            "sut.actions.commands.plug_in",
            "asked of a charging-station under test; this profile tests a csms",
        ),
        (
            {"type": "shell", "commands": {"plug_in": "relay {{evse}}"}},
            "charging-station",
            "sut.actions.commands.plug_in",
            "{{evse}} is not a placeholder of plug_in — did you mean {{evse_id}}? (plug_in "
            "offers: {{evse_id}}, {{connector_id}}, {{identity}})",
        ),
        (
            {"type": "shell", "commands": {"plug_in": "relayctl on {evse_id}"}},
            "charging-station",
            "sut.actions.commands.plug_in",
            "'{evse_id}' is the old placeholder form: write {{evse_id}}",
        ),
        (
            {"type": "manual", "prompts": {"reboot": "Switch {{evse_id}} off"}},
            "charging-station",
            "sut.actions.prompts.reboot",
            "{{evse_id}} is not a placeholder of reboot",
        ),
        (
            {"type": "http"},
            "charging-station",
            "sut.actions.requests",
            "needs a request for each action",
        ),
        (
            {"type": "http", "requests": {"reboot": "/reboot"}},
            "charging-station",
            "sut.actions.requests.reboot.url",
            "'/reboot' is relative: set sut.actions.base_url",
        ),
        (
            {"type": "http", "requests": {"reboot": "ftp://x/reboot"}},
            "charging-station",
            "sut.actions.requests.reboot.url",
            "not an http:// or https:// URL",
        ),
        (
            {
                "type": "http",
                "base_url": "http://127.0.0.1:1",
                "requests": {"plug_in": {"url": "/p", "body": '{"evse": {{evse_id}}'}},
            },
            "charging-station",
            "sut.actions.requests.plug_in.body",
            "not valid JSON once its placeholders are filled in",
        ),
        (
            {
                "type": "http",
                "base_url": "http://127.0.0.1:1",
                "requests": {"plug_in": {"url": "/p", "body": {"evse": 1}}},
            },
            "charging-station",
            "sut.actions.requests.plug_in.body",
            "a JSON template in quotes",
        ),
        (
            {
                "type": "http",
                "base_url": "http://127.0.0.1:1",
                "requests": {"plug_in": {"method": "GET", "url": "/p", "body": "{}"}},
            },
            "charging-station",
            "sut.actions.requests.plug_in.body",
            "a GET request has no body",
        ),
        (
            {"type": "http", "base_url": "http://x", "headers": {"Authorization": "Bearer abc"}},
            "charging-station",
            "sut.actions.headers.Authorization",
            "carries a credential: read it from the environment with ${NAME}",
        ),
        (
            {"type": "http", "base_url": "http://user:pw@x/api"},
            "charging-station",
            "sut.actions.base_url",
            "credentials do not go in the URL",
        ),
        (
            {"type": "shell", "commands": {"reboot": "x"}, "base_url": "http://x"},
            "charging-station",
            "sut.actions.base_url",
            "base_url is used by type http only (type is shell)",
        ),
        (
            {"type": "http", "base_url": "http://x", "prompts": {"start": "On"}},
            "charging-station",
            "sut.actions.prompts",
            "prompts is used by type manual only (type is http)",
        ),
    ],
)
def test_profile_errors(actions: dict[str, Any], role: str, key: str, text: str) -> None:
    error = _error(actions, role)
    assert error.key == key
    assert text in error.problem
    assert error.example


def test_request_reset_is_the_csms_action_and_reset_the_lifecycle_one() -> None:
    commands = {"request_reset": "csms reset {{identity}} {{kind}}", "reset": "csms clear"}
    actions = {"type": "shell", "commands": commands}
    assert profile_from_mapping(_profile(actions, "csms")).sut.actions.commands == commands


def test_unquoted_placeholders_in_a_flow_mapping_get_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        'name: x\nsut:\n  role: charging-station\n  ocpp: "2.0.1"\n  identity: CS1\n'
        "  actions:\n    type: http\n    base_url: http://127.0.0.1:1\n"
        "    requests: {plug_in: {url: /evse/{{evse_id}}/plug}}\n",
        "utf-8",
    )
    with pytest.raises(ProfileError, match=r"line 9.*quote a value holding \{\{placeholders\}\}"):
        load_profile(path)


def test_the_readme_examples_and_the_error_examples_load() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme[readme.index("### SUT actions") :]
    section = section[: section.index("\n### ", 1)]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(blocks) == 3  # manual, shell, http
    for block in blocks:
        actions = yaml.safe_load(block)["actions"]
        assert profile_from_mapping(_profile(actions)).sut.actions.type == actions["type"]
    for key, example in EXAMPLES.items():
        if key.startswith("sut.actions."):
            yaml.safe_load(example.split(" (")[0])  # an example that is not YAML misleads
