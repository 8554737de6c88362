"""SUT action adapters: the manual operator and shell commands end in INCONCLUSIVE, never hang."""

from __future__ import annotations

import time

import pytest

from harness.actions import ManualOperator, ShellOperator, SutActions
from harness.verdicts import HarnessError, Inconclusive


async def test_manual_without_terminal_is_inconclusive_at_once() -> None:
    shown: list[str] = []
    actions = SutActions(
        ManualOperator(30, show=shown.append, interactive=lambda: False),
        valid_token="T1",
        invalid_token="T2",
    )
    start = time.monotonic()
    with pytest.raises(Inconclusive, match="no terminal"):
        await actions.plug_in(evse_id=2)
    assert time.monotonic() - start < 1
    assert shown == []


async def test_shell_runs_the_configured_command_with_parameters(tmp_path: object) -> None:
    operator = ShellOperator({"present_token": "echo token={id_token} evse={evse_id}"}, 5)
    actions = SutActions(operator, valid_token="VALID001", invalid_token="X")
    await actions.present_token()
    out = await operator.perform("present_token", "", id_token="ABC", evse_id=3)
    assert out.strip() == "token=ABC evse=3"


async def test_shell_missing_command_is_inconclusive() -> None:
    with pytest.raises(Inconclusive, match=r"sut\.actions\.commands\.reboot"):
        await ShellOperator({}, 5).perform("reboot", "Power-cycle the station")


async def test_shell_failing_command_is_inconclusive_with_its_output() -> None:
    with pytest.raises(Inconclusive, match="exited with 3: boom"):
        await ShellOperator({"reboot": "echo boom >&2; exit 3"}, 5).perform("reboot", "")


async def test_shell_slow_command_times_out() -> None:
    start = time.monotonic()
    with pytest.raises(Inconclusive, match=r"did not finish within 0\.3 s"):
        await ShellOperator({"reboot": "sleep 5"}, 0.3).perform("reboot", "")
    assert time.monotonic() - start < 3


async def test_shell_unknown_placeholder_is_a_harness_error() -> None:
    with pytest.raises(HarnessError, match="uses 'connector'"):
        await ShellOperator({"reboot": "relay {connector}"}, 5).perform("reboot", "")
