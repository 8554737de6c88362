"""The SUT actions of a session, built from the profile's ``sut.actions`` (DESIGN §3)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from harness.actions.builtin import BuiltinOperator
from harness.actions.http import HttpOperator
from harness.actions.manual import ManualOperator, _no_suspend
from harness.actions.shell import ShellOperator
from harness.actions.sut_actions import Operator, SutActions
from harness.actions.templates import env_names
from harness.config.errors import ProfileError
from harness.config.model import ActionsConfig, ActionsType, Role, SutConfig


def operator_for(
    sut: SutConfig,
    *,
    reference: Any = None,
    return_after_s: float = 0.0,
    suspend: Callable[[], AbstractContextManager[None]] = _no_suspend,
) -> Operator:
    """The operator ``sut.actions.type`` names; ``reference`` is the built-in SUT (builtin)."""
    config = sut.actions
    common = {"identity": sut.identity}
    timeout_s = sut.timeouts.action_s
    if config.type is ActionsType.BUILTIN:
        identity = sut.identity if sut.role is Role.CSMS else None
        return BuiltinOperator(reference, identity=identity, return_after_s=return_after_s)
    if config.type is ActionsType.SHELL:
        return ShellOperator(config.commands, timeout_s, common=common)
    if config.type is ActionsType.HTTP:
        return HttpOperator(
            config.requests,
            timeout_s,
            base_url=config.base_url,
            headers=config.headers,
            common=common,
        )
    return ManualOperator(timeout_s, prompts=config.prompts, common=common, suspend=suspend)


def actions_for(
    sut: SutConfig,
    operator: Operator,
    *,
    on_reboot: Callable[[], None] | None = None,
    next_call: Callable[[], asyncio.Future[None]] | None = None,
) -> SutActions:
    """The :class:`SutActions` a case receives as its ``sut`` fixture (``next_call``: the
    harness station's, when a CSMS is under test; see :meth:`SutActions.ask_csms`)."""
    return SutActions(
        operator,
        valid_token=sut.tokens.valid,
        invalid_token=sut.tokens.invalid,
        on_reboot=on_reboot,
        next_call=next_call,
    )


def check_environment(config: ActionsConfig, path: Path | None, environ: dict[str, str]) -> None:
    """Raise ProfileError naming the first ``${NAME}`` an http action reads that is not set
    (checked when the session starts: one message instead of every case INCONCLUSIVE)."""
    places: list[tuple[str, str]] = [
        (f"sut.actions.headers.{k}", v) for k, v in config.headers.items()
    ]
    if config.base_url is not None:
        places.append(("sut.actions.base_url", config.base_url))
    for name, request in config.requests.items():
        places.append((f"sut.actions.requests.{name}.url", request.url))
        places += [
            (f"sut.actions.requests.{name}.headers.{k}", v) for k, v in request.headers.items()
        ]
    for key, template in places:
        for variable in env_names(template):
            if not environ.get(variable):
                raise ProfileError(
                    path,
                    key,
                    f"the environment variable {variable} is not set (the profile reads "
                    f"${{{variable}}} there)",
                    f"export {variable}='...' before the run",
                )
