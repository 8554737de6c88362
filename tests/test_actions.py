"""SUT action adapters: the manual operator (through a pseudo-terminal), shell commands and the
built-in SUTs end in a result or INCONCLUSIVE, never hang (issue 8 items 1 and 7)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.actions import BuiltinOperator, ManualOperator, ShellOperator, SutActions
from harness.actions.templates import fill_json, fill_shell
from harness.peers.preconditions import restore_csms_or_reset
from harness.trace import Trace
from harness.verdicts import HarnessError, Inconclusive, SutFailure

# -- manual: the operator at a pseudo-terminal ------------------------------------------------


class Pty:
    """The operator's side of a pseudo-terminal: what the harness printed, and typing."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        os.set_blocking(self.master, False)
        self.seen = ""

    async def expect(self, text: str, within_s: float = 30.0) -> str:
        """Wait until ``text`` was printed; return everything printed so far."""
        deadline = time.monotonic() + within_s
        while text not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not printed within {within_s} s: {self.seen!r}")
            with contextlib.suppress(BlockingIOError):
                self.seen += os.read(self.master, 4096).decode(errors="replace")
                continue
            await asyncio.sleep(0.02)
        return self.seen

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
async def pty() -> AsyncIterator[Pty]:
    terminal = Pty()
    try:
        yield terminal
    finally:
        terminal.close()


def _operator(pty: Pty, timeout_s: float = 60, **kwargs: Any) -> ManualOperator:
    return ManualOperator(timeout_s, tty=pty.path, **kwargs)


async def test_manual_without_terminal_is_inconclusive_at_once() -> None:
    actions = SutActions(
        ManualOperator(30, tty="/nonexistent/tty"), valid_token="T1", invalid_token="T2"
    )
    start = time.monotonic()
    with pytest.raises(Inconclusive, match="no terminal is attached: Plug an EV into EVSE 2"):
        await actions.plug_in(evse_id=2)
    assert time.monotonic() - start < 1


async def test_manual_prompt_on_the_terminal_and_enter_confirms(pty: Pty) -> None:
    suspended: list[str] = []

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:
        suspended.append("off")
        yield
        suspended.append("on")

    actions = SutActions(_operator(pty, suspend=suspend), valid_token="T1", invalid_token="T2")
    task = asyncio.ensure_future(actions.plug_in(evse_id=2, connector_id=1))
    shown = await pty.expect("Waiting up to 60 s")
    assert ">>> OPERATOR (plug_in): Plug an EV into EVSE 2 connector 1" in shown
    assert "Press Enter when done, or type s and Enter if it cannot be done" in shown
    assert suspended == ["off"]  # capture is off while the operator is asked
    pty.type("\n")
    await asyncio.wait_for(task, 30)
    await pty.expect("confirmed")
    assert suspended == ["off", "on"]


async def test_manual_skip_is_inconclusive(pty: Pty) -> None:
    task = asyncio.ensure_future(_operator(pty).perform("reboot", "Power-cycle the station"))
    await pty.expect("Waiting up to")
    pty.type("skip\n")
    with pytest.raises(Inconclusive, match="operator skipped: Power-cycle the station"):
        await asyncio.wait_for(task, 30)


async def test_manual_other_input_asks_again(pty: Pty) -> None:
    task = asyncio.ensure_future(_operator(pty).perform("reboot", "Power-cycle the station"))
    await pty.expect("Waiting up to")
    pty.type("what?\n")
    await pty.expect("Press Enter when done, or type s to skip")
    assert not task.done()
    pty.type("y\n")
    assert await asyncio.wait_for(task, 30) is None


async def test_manual_end_of_input_is_no_confirmation(pty: Pty) -> None:
    task = asyncio.ensure_future(_operator(pty).perform("reboot", "Power-cycle the station"))
    await pty.expect("Waiting up to")
    pty.type("\x04")  # Ctrl-D at the start of a line
    with pytest.raises(Inconclusive, match="input closed before confirming"):
        await asyncio.wait_for(task, 30)


async def test_manual_timeout_and_typed_ahead_enter_confirms_nothing(pty: Pty) -> None:
    pty.type("\n")  # pressed before the prompt appeared
    start = time.monotonic()
    with pytest.raises(Inconclusive, match=r"did not confirm within 0\.5 s: Power-cycle"):
        await _operator(pty, 0.5).perform("reboot", "Power-cycle the station")
    assert time.monotonic() - start < 3
    await pty.expect("no answer within 0.5 s")


async def test_manual_prompts_replace_the_instruction_and_enable_lifecycle(pty: Pty) -> None:
    prompts = {"present_token": "Hold card {{id_token}} on reader {{evse_id}}", "start": "On!"}
    operator = _operator(pty, prompts=prompts)
    actions = SutActions(operator, valid_token="CARD-1", invalid_token="X")
    assert actions.provides("start")
    assert not actions.provides("stop")
    assert await actions.stop() is False  # not configured: skipped, nothing asked
    task = asyncio.ensure_future(actions.present_token(evse_id=2))
    await pty.expect("(present_token): Hold card CARD-1 on reader 2")
    pty.type("\n")
    await asyncio.wait_for(task, 30)
    started = asyncio.ensure_future(actions.start())
    await pty.expect("(start): On!")
    pty.type("\n")
    assert await asyncio.wait_for(started, 30) is True


# -- shell -----------------------------------------------------------------------------------


async def test_shell_runs_the_configured_command_with_parameters() -> None:
    commands = {"present_token": "echo token={{id_token}} evse={{ evse_id }} cs={{identity}}"}
    operator = ShellOperator(commands, 30, common={"identity": "CS1"})
    actions = SutActions(operator, valid_token="VALID001", invalid_token="X")
    await actions.present_token()
    out = await operator.perform("present_token", "", id_token="ABC", evse_id=3)
    assert out.strip() == "token=ABC evse=3 cs=CS1"


@pytest.mark.parametrize(
    "template",
    [
        "printf %s {{id_token}}",
        "printf %s '{{id_token}}'",
        'printf %s "{{id_token}}"',
        """printf %s '{"idToken": "{{id_token}}"}' | sed 's/^{"idToken": "//; s/"}$//'""",
    ],
)
async def test_shell_placeholder_values_stay_literal(tmp_path: Path, template: str) -> None:
    token = f'it\'s $(touch {tmp_path}/pwned) `touch {tmp_path}/pwned` "x" \\ $HOME'
    out = await ShellOperator({"present_token": template}, 30).perform(
        "present_token", "", id_token=token, evse_id=1
    )
    assert out == token
    assert not (tmp_path / "pwned").exists()


def test_json_and_shell_braces_stay_literal() -> None:
    command = fill_shell("curl -d '{\"evse\": {{evse_id}}}' x/{evse}", {"evse_id": 2})
    assert command == "curl -d '{\"evse\": 2}' x/{evse}"
    body = fill_json('{"t": {{t}}, "path": "/a/{{t}}", "on": {{on}}}', {"t": 'a"b', "on": True})
    assert body == '{"t": "a\\"b", "path": "/a/a\\"b", "on": true}'


async def test_shell_missing_command_is_inconclusive() -> None:
    with pytest.raises(Inconclusive, match=r"sut\.actions\.commands\.reboot"):
        await ShellOperator({}, 5).perform("reboot", "Power-cycle the station")


async def test_shell_failure_shows_exit_code_and_output_tails() -> None:
    command = "seq 1 100; echo boom >&2; printf 'x%.0s' $(seq 1 500) >&2; echo; exit 3"
    with pytest.raises(Inconclusive) as caught:
        await ShellOperator({"reboot": command}, 30).perform("reboot", "")
    reason = str(caught.value)
    assert "reboot: the shell command `seq 1 100;" in reason
    assert "exited with 3" in reason
    assert "stdout: 96 | 97 | 98 | 99 | 100;" in reason  # the last five lines only
    assert "stderr: boom | xxx" in reason
    assert len(reason) < 1000  # a 500-character line is cut


async def test_shell_pipeline_failure_counts() -> None:
    with pytest.raises(Inconclusive, match="exited with 7"):
        await ShellOperator({"reboot": "(exit 7) | cat"}, 30).perform("reboot", "")


async def test_shell_timeout_kills_the_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    command = f"sleep 30 & echo $! > {pid_file}; echo started; wait"
    start = time.monotonic()
    with pytest.raises(Inconclusive, match=r"did not finish within 0\.5 s.*stdout: started"):
        await ShellOperator({"reboot": command}, 0.5).perform("reboot", "")
    assert time.monotonic() - start < 5
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:  # noqa: ASYNC110 - a pid is polled
        await asyncio.sleep(0.05)
    assert not _alive(child), "the command's child survived the timeout"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"
    return True


async def test_shell_background_process_does_not_hold_the_action(tmp_path: Path) -> None:
    pid_file = tmp_path / "sim.pid"
    start = time.monotonic()
    await ShellOperator({"start": f"sleep 30 & echo $! > {pid_file}"}, 10).perform("start", "")
    assert time.monotonic() - start < 5
    os.kill(int(pid_file.read_text()), 9)


async def test_shell_unknown_placeholder_is_a_harness_error() -> None:
    with pytest.raises(HarnessError, match=r"uses \{\{connector\}\}"):
        await ShellOperator({"reboot": "relay {{connector}}"}, 5).perform("reboot", "")


# -- builtin and the lifecycle ---------------------------------------------------------------


class _FakeCsms:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def reset(self, identity: str, kind: str = "Immediate") -> None:
        self.calls.append(("reset", {"identity": identity, "kind": kind}))

    async def stop(self) -> None:  # the reference SUT's own stop: never a lifecycle action
        raise AssertionError("stop called")


async def test_builtin_request_reset_reaches_the_reference_reset() -> None:
    target = _FakeCsms()
    actions = SutActions(
        BuiltinOperator(target, identity="CS1"), valid_token="A", invalid_token="B"
    )
    await actions.request_reset("OnIdle")
    await asyncio.sleep(0.05)  # the reference CSMS's command runs in the background
    assert target.calls == [("reset", {"identity": "CS1", "kind": "OnIdle"})]
    assert await actions.start() is False
    assert await actions.stop() is False
    assert await actions.reset() is False


# -- reset: back to the general preconditions when restoring them failed ---------------------


class _Station:
    """A harness station whose CSMS under test is ready only after a reset (or never)."""

    def __init__(self) -> None:
        self.between = Trace("between cases")
        self.ready = False
        self.log: list[str] = []

    def enter_between(self, note: str = "") -> None:
        pass

    async def ensure_ready(self) -> None:
        self.log.append("restore")
        if not self.ready:
            raise SutFailure("precondition: booted and Accepted", "Accepted", "no answer")


class _Resetter:
    """An operator that provides ``reset`` (or not) and carries it out (or fails it)."""

    def __init__(self, station: _Station, *, configured: bool, fixes: bool, fails: bool) -> None:
        self.station, self.configured, self.fixes, self.fails = station, configured, fixes, fails

    def provides(self, action: str) -> bool:
        return action != "reset" or self.configured

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        self.station.log.append(action)
        if self.fails:
            raise Inconclusive("reset: the shell command `x` exited with 1")
        self.station.ready = self.fixes


async def _restore(*, configured: bool, fixes: bool = True, fails: bool = False) -> list[str]:
    station = _Station()
    operator = _Resetter(station, configured=configured, fixes=fixes, fails=fails)
    actions = SutActions(operator, valid_token="A", invalid_token="B")
    await restore_csms_or_reset(
        station,  # type: ignore[arg-type]  # the part of a StationPeer restoring uses
        actions,
        case="TC_X",
        previous="TC_W",
    )
    assert any("running the reset action" in e.raw for e in station.between.entries())
    return station.log


async def test_reset_then_restore_once_more() -> None:
    assert await _restore(configured=True) == ["restore", "reset", "restore"]


async def test_without_reset_the_first_reason_stands() -> None:
    with pytest.raises(Inconclusive, match=r"precondition not met: booted and Accepted: no answer"):
        await _restore(configured=False)


async def test_a_failing_reset_is_named_with_the_first_reason() -> None:
    with pytest.raises(
        Inconclusive, match=r"no answer after TC_W; the reset action failed as well: reset: the"
    ):
        await _restore(configured=True, fails=True)


async def test_a_reset_that_does_not_help_is_inconclusive_after_the_second_try() -> None:
    with pytest.raises(Inconclusive, match="precondition not met"):
        await _restore(configured=True, fixes=False)


class _Blocking:
    """An operator whose request returns only when told (an API that answers after the
    station did), or fails at once."""

    def __init__(self, *, fail: bool = False, closes: bool = False) -> None:
        self.fail = fail
        self.closes_when_acted = closes
        self.release = asyncio.Event()
        self.cancelled = False

    def provides(self, action: str) -> bool:
        return True

    async def perform(self, action: str, instruction: str, **params: Any) -> Any:
        if self.fail:
            raise Inconclusive(f"{action}: HTTP 409")
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        return {"status": "Accepted"}


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _acting_after(delay: float) -> tuple[Any, list[asyncio.Future[None]]]:
    futures: list[asyncio.Future[None]] = []

    def next_call() -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(delay, _resolve, future)
        futures.append(future)
        return future

    return next_call, futures


async def test_a_csms_action_is_done_once_the_csms_acts() -> None:
    """A request that answers only after the station answered (SutActions.ask_csms): the
    CSMS's CALL ends the action, the request finishes in the background, settle ends it."""
    operator = _Blocking()
    next_call, _ = _acting_after(0.05)
    actions = SutActions(operator, valid_token="V", invalid_token="I", next_call=next_call)
    async with asyncio.timeout(5):
        assert await actions.remote_start() is None
    assert len(actions.background) == 1
    operator.release.set()
    await actions.settle(timeout_s=5)
    assert not actions.background


async def test_a_csms_action_that_finishes_first_returns_its_result() -> None:
    operator = _Blocking()
    operator.release.set()
    next_call, futures = _acting_after(10)
    actions = SutActions(operator, valid_token="V", invalid_token="I", next_call=next_call)
    assert await actions.trigger("Heartbeat") == {"status": "Accepted"}
    assert futures[0].cancelled()


async def test_a_csms_action_that_fails_before_the_csms_acts_is_inconclusive() -> None:
    next_call, _ = _acting_after(10)
    actions = SutActions(
        _Blocking(fail=True), valid_token="V", invalid_token="I", next_call=next_call
    )
    with pytest.raises(Inconclusive, match="HTTP 409"):
        await actions.remote_stop("tx-1")


async def test_a_prompt_is_closed_once_the_csms_acted() -> None:
    operator = _Blocking(closes=True)
    next_call, _ = _acting_after(0.05)
    actions = SutActions(operator, valid_token="V", invalid_token="I", next_call=next_call)
    async with asyncio.timeout(5):
        assert await actions.change_setting("HeartbeatInterval", "10") is None
    assert operator.cancelled
    assert not actions.background
