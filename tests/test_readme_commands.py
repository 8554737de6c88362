"""Every ``ocpp-harness`` and ``pytest`` command the README shows runs as shown (issue 8 item 5).

The commands are read from the README itself: each line of a shell code block, and each inline
code span that starts with ``ocpp-harness`` or ``pytest`` and has arguments. What the README
leaves to the reader is filled in (:func:`runnable`): a profile of one's own becomes the built-in
reference SUT of the same role, a datasheet the example claims file, ``DIR``, ``A`` and ``B`` a
directory and results files of a run made here, a password variable any value; a run is narrowed
to a single case with ``--oca`` (unless it selects one with ``-k``), and what it writes goes to a
temporary directory. ``ocpp-harness`` commands run in that directory, plain ``pytest`` in the
checkout (as the README says). ``make`` targets are not run here, and ``ocpp-harness demo`` is
run by ``tests/test_wheel.py`` (it takes half a minute); the simulated devices of the rehearsal
(``ocpp-harness reference``) by ``tests/test_readme_walkthrough.py``. Every option the README names is one of
the plugin's and accepted by ``ocpp-harness run``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.cli import _parser
from harness.config import builtin_profile_names
from harness.options import option

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
BIN = Path(sys.executable).parent
PROGRAMS = ("ocpp-harness", "pytest")
#: Words an inline span needs to be a command line: "ocpp-harness run" alone names the command.
MIN_WORDS = {"ocpp-harness": 3, "pytest": 2}
#: The built-in SUT and the single case standing in for a profile of the user's, per role.
STAND_IN = {
    "station": ("reference-station-v201", "TC_B_01_CS"),
    "csms": ("reference-csms-v201", "TC_B_01_CSMS"),
}
DATASHEET = ROOT / "fixtures" / "claims" / "example-datasheet.yaml"
#: The README's placeholders, as paths in the temporary directory.
PLACEHOLDERS = {"DIR": "out", "A": "reports/a/results.json", "B": "reports/b/results.json"}
#: Options whose value is a file or directory the command writes.
OUTPUTS = ("--report", "--ocpp-report", "--out", "--html", "--junitxml")
COMMAND = re.compile(
    r"(?<!\S)(?:[A-Z_][A-Z0-9_]*=\S+\s+)*(?:\.venv/bin/)?(?:ocpp-harness|pytest)(?!\S)[^#`]*"
)
#: Left to other tests (see the module doc): the demo, and the simulated devices of the
#: rehearsal, which run until stopped (tests/test_readme_walkthrough.py follows that section).
SKIPPED = ("ocpp-harness demo", "ocpp-harness reference")


def readme_commands(text: str = README) -> list[str]:
    """The command lines of the README: shell code blocks, then inline code spans."""
    commands: list[str] = []
    for block in re.findall(r"```(?:sh|bash|shell|console)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            commands += [m.strip() for m in COMMAND.findall(line) if _program(m)]
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`([^`\n]+)`", prose):
        words = span.split()
        if words and len(words) >= MIN_WORDS.get(words[0], len(words) + 1):
            commands.append(span.strip())
    return list(dict.fromkeys(c for c in commands if not _bare(c).startswith(SKIPPED)))


def _bare(command: str) -> str:
    """``command`` without environment assignments and the ``.venv/bin/`` prefix."""
    words = command.split()
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
        words.pop(0)
    return " ".join(words).removeprefix(".venv/bin/")


def _program(command: str) -> str | None:
    words = [w for w in shlex.split(command) if not re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", w)]
    name = words[0].removeprefix(".venv/bin/") if words else ""
    return name if name in PROGRAMS else None


def readme_options(text: str = README) -> list[str]:
    """The plugin options the README names (``--ocpp-*`` and ``--oca``)."""
    return sorted(set(re.findall(r"(?<![\w-])(--oca|--ocpp-[a-z][a-z-]*[a-z])\b", text)))


@dataclass
class Runnable:
    """A README command made runnable here."""

    argv: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    reads: list[Path] = field(default_factory=list)  # results.json files it needs
    reports: list[Path] = field(default_factory=list)  # report directories it writes

    @property
    def runs_cases(self) -> bool:
        return Path(self.argv[0]).name == "pytest" or self.argv[1:2] == ["run"]


def runnable(command: str, tmp: Path) -> Runnable:
    """``command`` with what the README leaves to the reader filled in (module doc)."""
    words = shlex.split(re.sub(r"\[([^\]]*)\]", r"\1", command))  # "[--out DIR]": given
    env: dict[str, str] = {}
    while re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    program = words.pop(0).removeprefix(".venv/bin/")
    spec = Runnable([str(BIN / program)], ROOT if program == "pytest" else tmp, env)
    role, previous = "station", ""
    for word in words:
        value = PLACEHOLDERS.get(word, word)
        assert not re.fullmatch(r"[A-Z]+", value), f"{command!r}: no stand-in for {word!r}"
        if previous in ("--sut", "--ocpp-sut") and value not in builtin_profile_names():
            role = "csms" if "csms" in value else "station"
            value = STAND_IN[role][0]
        elif previous in ("--claims", "--ocpp-claims") and not (ROOT / value).is_file():
            value = str(DATASHEET)
        elif previous in OUTPUTS or value in PLACEHOLDERS.values() or value.startswith("reports/"):
            value = str(tmp / value)
        if value.endswith("results.json"):
            spec.reads.append(Path(value))
        if previous in ("--report", "--ocpp-report"):
            spec.reports.append(Path(value))
        spec.argv.append(value)
        previous = word
    if spec.runs_cases:
        given = set(words)
        if program == "ocpp-harness" and not given & {"--sut", "--ocpp-sut"}:
            spec.argv += ["--sut", STAND_IN[role][0]]
        if not given & {"-k", "--oca"}:
            spec.argv += ["--oca", STAND_IN[role][1]]
    if program == "pytest":
        spec.argv += ["-p", "no:cacheprovider"]  # nothing written into the checkout
    return spec


COMMANDS = readme_commands()


def test_the_readme_commands_are_found() -> None:
    """The extraction finds the README's own examples (the test is not empty by accident)."""
    programs = [_program(c) for c in COMMANDS]
    assert programs.count("ocpp-harness") >= 3, COMMANDS
    assert programs.count("pytest") >= 2, COMMANDS
    assert any(re.search(r"ocpp-harness run .*--sut", c) for c in COMMANDS), COMMANDS


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run's report directory, for the commands that read a results.json."""
    report = tmp_path_factory.mktemp("baseline") / "report"
    sut, case = STAND_IN["station"]
    argv = [str(BIN / "ocpp-harness"), "run", "--sut", sut, "--report", str(report), "--oca", case]
    result = subprocess.run(
        argv, cwd=report.parent, capture_output=True, text=True, timeout=180, check=False
    )
    assert (report / "results.json").is_file(), result.stdout[-3000:] + result.stderr
    return report


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs_as_shown(
    command: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    spec = runnable(command, tmp_path)
    for results in spec.reads:
        if not results.is_file():
            shutil.copytree(request.getfixturevalue("baseline"), results.parent)
    result = subprocess.run(
        spec.argv,
        cwd=spec.cwd,
        env={**os.environ, **spec.env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = f"{command}\n-> {shlex.join(spec.argv)}\n{result.stdout[-3000:]}{result.stderr}"
    # one case of a claimed profile: ocpp-harness run says incomplete (3), pytest passed (0)
    harness_run = spec.runs_cases and Path(spec.argv[0]).name == "ocpp-harness"
    assert result.returncode in ({0, 3} if harness_run else {0}), output
    for report in spec.reports:
        assert (report / "index.html").is_file(), output


@pytest.mark.parametrize("flag", readme_options())
def test_every_readme_option_is_accepted_by_ocpp_harness_run(flag: str) -> None:
    opt = option(flag)  # KeyError: the README names an option the plugin does not have
    value = opt.choices[0] if opt.choices else "1" if opt.integer else "x"
    ns = _parser().parse_args(["run", "--sut", "reference-station-v201", flag, value])
    got = getattr(ns, opt.dest)
    assert got == ([value] if opt.repeat else int(value) if opt.integer else value)
