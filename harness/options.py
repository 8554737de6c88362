"""The plugin's command-line options: one table for ``pytest`` and ``ocpp-harness run``.

``harness.plugin.pytest_addoption`` registers every :data:`OPTIONS` entry (and its ini twin);
``harness.cli`` builds ``ocpp-harness run``'s options from the same entries and hands their
values to its pytest child under the pytest spelling (:meth:`Option.pytest_args`), so the two
command lines accept the same options and cannot drift apart (issue 8 item 5: the README's
``--oca`` and ``--ocpp-fault`` were refused by ``ocpp-harness run``). ``ocpp-harness run`` keeps
its older short spellings (``--sut``, ``--report``, ...) as aliases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

IniType = Literal["string", "args"]


@dataclass(frozen=True, slots=True)
class Option:
    """One option of the ``ocpp`` group: its flag, where its value goes, how it is parsed."""

    flag: str
    #: The attribute name in pytest's and argparse's namespaces, and the ini key.
    dest: str
    help: str
    metavar: str | None = None
    #: ``action="append"``: the option may be given more than once.
    repeat: bool = False
    integer: bool = False
    choices: tuple[str, ...] | None = None
    #: The type of the ini twin (same name as ``dest``); None: no ini key.
    ini: IniType | None = "string"
    #: The ini key's help when it differs from the option's.
    ini_help: str | None = None
    #: Older spellings ``ocpp-harness run`` also accepts.
    aliases: tuple[str, ...] = ()

    def argparse_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``add_argument`` (pytest's ``addoption`` takes the same)."""
        kwargs: dict[str, Any] = {"dest": self.dest, "help": self.help, "metavar": self.metavar}
        if self.repeat:
            kwargs.update(action="append", default=[])
        else:
            kwargs["default"] = None
        if self.integer:
            kwargs["type"] = int
        if self.choices:
            kwargs["choices"] = self.choices
        return kwargs

    def pytest_args(self, value: object) -> list[str]:
        """The pytest arguments that give this option ``value`` (a list for a repeated option)."""
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [f"{self.flag}={v}" for v in values]


def _integer(flag: str, metavar: str, help_text: str) -> Option:
    dest = flag.removeprefix("--").replace("-", "_")
    return Option(flag, dest, help_text, metavar=metavar, integer=True)


OPTIONS: tuple[Option, ...] = (
    Option(
        "--ocpp-sut",
        "ocpp_sut",
        "SUT profile YAML, or a built-in name such as "
        "reference-csms-v16 (default: the reference charging station, OCPP 2.0.1)",
        metavar="FILE",
        aliases=("--sut",),
    ),
    Option(
        "--ocpp-report",
        "ocpp_report",
        "write results.json, index.html, junit.xml, "
        "allure-results/ and per-case traces to this directory",
        metavar="DIR",
        aliases=("--report",),
    ),
    Option(
        "--ocpp-claims",
        "ocpp_claims",
        "datasheet claims YAML to hold against the SUT (overrides the profile's claims:)",
        metavar="FILE",
        aliases=("--claims",),
    ),
    Option(
        "--ocpp-fault",
        "ocpp_faults",
        "seed a named fault into the built-in reference SUT (repeatable)",
        metavar="NAME",
        repeat=True,
        ini=None,
        aliases=("--fault",),
    ),
    Option(
        "--ocpp-variant",
        "ocpp_variants",
        "seed a named legal variant into the built-in reference SUT (repeatable; "
        "list them with: ocpp-harness variants)",
        metavar="NAME",
        repeat=True,
        ini="args",
        ini_help="legal variants seeded into the built-in reference SUT",
        aliases=("--variant",),
    ),
    Option(
        "--oca",
        "ocpp_oca",
        "run only OCA cases whose id matches the glob, e.g. 'TC_B_*' (repeatable)",
        metavar="PATTERN",
        repeat=True,
        ini=None,
    ),
    Option(
        "--ocpp-progress",
        "ocpp_progress",
        "auto: a line when each OCA case starts and ends, and what a wait longer than a "
        "few seconds waits for (with -v: the waits only); off: pytest's own output only",
        choices=("auto", "off"),
    ),
    Option(
        "--ocpp-summary",
        "ocpp_summary",
        "full: the terminal summary ends with the per-profile table; cases: without it "
        "(for a caller that prints the table itself, as ocpp-harness run does)",
        choices=("full", "cases"),
    ),
    _integer(
        "--ocpp-fuzz-examples", "N", "examples per schema-fuzzing case (RB_FUZZ_*; default 25)"
    ),
    _integer(
        "--ocpp-fuzz-seed", "SEED", "seed of the schema-fuzzing cases (default 0: same payloads)"
    ),
    _integer(
        "--ocpp-shuffle",
        "SEED",
        "run the selected cases in a random order drawn from SEED (verdicts must not "
        "depend on the order; the same SEED gives the same order)",
    ),
)


def option(flag: str) -> Option:
    """The option spelled ``flag`` (or one of its aliases); KeyError when there is none."""
    for opt in OPTIONS:
        if flag in (opt.flag, *opt.aliases):
            return opt
    raise KeyError(flag)


def flags(options: Sequence[Option] = OPTIONS) -> list[str]:
    """Every spelling of ``options``: flags and aliases."""
    return [name for opt in options for name in (opt.flag, *opt.aliases)]
