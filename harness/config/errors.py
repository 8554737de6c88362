"""ProfileError: what is wrong in a SUT profile or claims file, and where."""

from __future__ import annotations

from pathlib import Path


class ProfileError(Exception):
    """A profile or claims file is wrong: the file, the dotted key, the problem and an example."""

    def __init__(self, path: Path | None, key: str, problem: str, example: str = "") -> None:
        super().__init__(path, key, problem, example)
        self.path = path
        self.key = key
        self.problem = problem
        self.example = example

    def __str__(self) -> str:
        where = "".join(f"{part}: " for part in (self.path, self.key) if part)
        stop = " " if self.problem.endswith(("?", ".")) else ". "
        tail = f"{stop}Example: {self.example}" if self.example else ""
        return f"{where}{self.problem}{tail}"
