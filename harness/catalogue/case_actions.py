"""Which SUT actions each OCA case may ask for (issue 9 item 6), read from the cases' source.

A case asks for an action by calling the :class:`~harness.actions.SutActions` method of that
name on its ``sut`` fixture (``await sut.plug_in(...)``), directly or through a helper function
of the test-case modules that it calls (followed across ``from testcases... import`` lines). The
source is read, not run, so every branch counts: "may ask for". Lifecycle actions other than
``reboot`` are the session's, never a case's.

:func:`actions_by_case` gives the map; :func:`render_markdown` the README's table (kept in step
by a self-test) and ``ocpp-harness catalogue --actions`` prints it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from harness.actions.catalog import ACTIONS, OPTIONAL

#: Actions a case may ask for: every action but the session's lifecycle ones.
CASE_ACTIONS = frozenset(name for name in ACTIONS if name not in OPTIONAL)

FunctionKey = tuple[str, str]  # (module, function name)


class _Module:
    """One test-case module: its functions, the names it imports from other such modules and
    the OCA id each decorated case carries."""

    def __init__(self, name: str, tree: ast.Module) -> None:
        self.name = name
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.imported: dict[str, FunctionKey] = {}
        self.cases: dict[str, str] = {}  # function name -> OCA id
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions[node.name] = node
                case_id = _oca_id(node)
                if case_id is not None:
                    self.cases[node.name] = case_id
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("testcases"):
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (str(node.module), alias.name)


def _oca_id(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The first argument of an ``@oca("TC_...", ...)`` decorator, if any."""
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "oca"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, str)
        ):
            return decorator.args[0].value
    return None


def _calls(node: ast.AST) -> tuple[set[str], set[str]]:
    """(actions called on ``sut``, plain function names called) inside ``node``."""
    actions: set[str] = set()
    names: set[str] = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "sut"
            and func.attr in CASE_ACTIONS
        ):
            actions.add(func.attr)
        elif isinstance(func, ast.Name):
            names.add(func.id)
    return actions, names


def _modules(root: Path) -> dict[str, _Module]:
    modules: dict[str, _Module] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = _Module(name, ast.parse(path.read_text("utf-8"), str(path)))
    return modules


def actions_by_case(root: Path) -> dict[str, frozenset[str]]:
    """OCA id -> the actions its case may ask for, for every ``@oca`` case under ``root`` (the
    ``testcases`` folder)."""
    modules = _modules(root)
    direct: dict[FunctionKey, set[str]] = {}
    edges: dict[FunctionKey, set[FunctionKey]] = defaultdict(set)
    for module in modules.values():
        for fname, node in module.functions.items():
            actions, names = _calls(node)
            key = (module.name, fname)
            direct[key] = actions
            for name in names:
                if name in module.functions:
                    edges[key].add((module.name, name))
                elif name in module.imported:
                    edges[key].add(module.imported[name])

    def reach(start: FunctionKey) -> frozenset[str]:
        seen: set[FunctionKey] = set()
        todo = [start]
        found: set[str] = set()
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            found |= direct.get(key, set())
            todo.extend(edges.get(key, ()))
        return frozenset(found)

    result: dict[str, frozenset[str]] = {}
    for module in modules.values():
        for fname, case_id in module.cases.items():
            result[case_id] = result.get(case_id, frozenset()) | reach((module.name, fname))
    return result


def cases_by_action(by_case: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Action -> the OCA ids that may ask for it (sorted), in the order of the action table."""
    table: dict[str, list[str]] = {name: [] for name in ACTIONS if name in CASE_ACTIONS}
    for case_id, actions in by_case.items():
        for action in actions:
            table[action].append(case_id)
    return {name: sorted(ids) for name, ids in table.items()}


def render_markdown(by_case: Mapping[str, Iterable[str]]) -> str:
    """The README's table: one row per action with the cases that may ask for it."""
    lines = ["| action | cases that may ask for it |", "| --- | --- |"]
    for action, ids in cases_by_action(by_case).items():
        shown = ", ".join(ids) if ids else "(none yet)"
        lines.append(f"| `{action}` | {shown} |")
    return "\n".join(lines) + "\n"
