"""SUT actions: what the harness cannot do over OCPP but a test case needs done to the SUT.

A charging station under test must be plugged in, shown a token, rebooted, cut off the network; a
CSMS under test must be made to start a transaction remotely, reset a station, change a setting.
Four adapters (DESIGN §3, ``sut.actions.type`` in the profile; README "SUT actions"):

* ``builtin`` (:mod:`~harness.actions.builtin`) — drives the reference SUTs in-process;
* ``manual`` (:mod:`~harness.actions.manual`) — prompts the operator on the controlling terminal;
* ``shell`` (:mod:`~harness.actions.shell`) — runs the profile's bash command for the action;
* ``http`` (:mod:`~harness.actions.http`) — sends the profile's HTTP request for the action.

The known actions and their ``{{placeholders}}`` are in :mod:`~harness.actions.catalog`, the
placeholder rules in :mod:`~harness.actions.templates`. No answer in time, a failed command or
request, or no operator makes the case INCONCLUSIVE, never a FAIL.
"""

from harness.actions.builtin import BuiltinOperator
from harness.actions.catalog import ACTIONS, ActionSpec
from harness.actions.factory import actions_for, check_environment, operator_for
from harness.actions.http import HttpOperator
from harness.actions.manual import ManualOperator
from harness.actions.shell import ShellOperator
from harness.actions.sut_actions import Operator, SutActions

__all__ = [
    "ACTIONS",
    "ActionSpec",
    "BuiltinOperator",
    "HttpOperator",
    "ManualOperator",
    "Operator",
    "ShellOperator",
    "SutActions",
    "actions_for",
    "check_environment",
    "operator_for",
]
