"""The requirement checks the OCA cases make, found by reading testcases/ (no case is run).

A *check* is a requirement text a case hands to a check as its ``req``: the text a FAIL reports as
its ``failed_requirement``. The scan (:func:`scan_checks`) counts, in every module under
``testcases/``:

* every ``req=`` keyword argument of a call, except inside ``should(...)`` (a SHOULD/MAY rule is a
  warning, never a FAIL, so no fault can prove it: those are left out, see :data:`SHOULD`);
* every argument passed by position to a parameter named ``req`` of a function defined in
  ``testcases/`` (``fail(peer, REQ, ...)``, ``require_open(peer, link, REQ)``), the second
  argument of ``forbid(action, req)`` and the first of ``SutFailure(req, ...)``;
* the default value of every parameter named ``req``;
* and the requirements of the schema fuzzer the RB_FUZZ cases run
  (:data:`harness.fuzz.targets.REQUIREMENTS`), as those cases pass no ``req=`` of their own.

Values are resolved statically: a string literal, a string constant of the module or of the
function (also one imported from another testcases module), an f-string or a ``+`` of those. A
part known only at run time (``f"B02: no {action} while Pending"`` in a loop) becomes the
wildcard ``{…}``, so the check is that template. A value that is only a pass-through of another
requirement (``req=req``, ``req=why``, ``f"{req} (looking)"``) is no check of its own. Texts
starting with ``precondition`` are set-up, not a case's check, and are left out.

A FAIL's ``failed_requirement`` proves the check it names (:func:`check_of`): the template that
matches it whole, or else the longest template it starts with, followed by `` (`` or ``:``
(a case adds the probe it used: ``"<REQ> (BootNotification: a field missing)"``).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTCASES = ROOT / "testcases"
#: Stands for a part of a requirement text known only at run time.
WILDCARD = "{…}"
#: Set-up requirements (not a case's own check) start with this.
PRECONDITION = "precondition"
#: Where the scan also finds a requirement text besides a ``req`` parameter: callee -> position.
POSITIONAL_REQ = {"forbid": 1, "SutFailure": 0}
#: Calls whose ``req`` is a SHOULD/MAY rule (a warning): not counted as checks.
SHOULD = frozenset({"should"})


@dataclass(frozen=True, slots=True)
class Check:
    """One requirement text (a template when parts are known only at run time) and where it is."""

    text: str
    where: str

    @property
    def literal_len(self) -> int:
        """How much of the text is fixed (the more, the more specific the template)."""
        return len(self.text.replace(WILDCARD, ""))

    def pattern(self, *, whole: bool) -> re.Pattern[str]:
        """A regular expression for the texts this check reports (its whole text, or a prefix)."""
        return _pattern(self.text, whole)


@functools.cache
def _pattern(text: str, whole: bool) -> re.Pattern[str]:
    """The compiled :meth:`Check.pattern` (kept: ``re``'s own cache holds 512 patterns, fewer
    than the checks, so the matrix's lookups recompiled every one of them every time)."""
    body = ".+?".join(re.escape(part) for part in text.split(WILDCARD))
    return re.compile(body + (r"\Z" if whole else r"(?:\Z| \(|:)"), re.DOTALL)


# -- the scan ------------------------------------------------------------------------------------
def _modules(root: Path) -> dict[str, ast.Module]:
    return {
        ".".join(path.relative_to(root.parent).with_suffix("").parts): ast.parse(
            path.read_text("utf-8"), str(path)
        )
        for path in sorted(root.rglob("*.py"))
    }


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Resolver:
    """Turns an expression into a requirement text, as far as it is known before running."""

    def __init__(self, modules: dict[str, ast.Module]) -> None:
        self.modules = modules
        self.constants: dict[str, dict[str, ast.expr]] = {}
        self.imports: dict[str, dict[str, tuple[str, str]]] = {}
        for name, tree in modules.items():
            consts: dict[str, ast.expr] = {}
            imports: dict[str, tuple[str, str]] = {}
            for node in tree.body:
                target = _assigned(node)
                if target is not None:
                    consts[target[0]] = target[1]
                elif isinstance(node, ast.ImportFrom) and node.module in modules:
                    for alias in node.names:
                        imports[alias.asname or alias.name] = (node.module, alias.name)
            self.constants[name] = consts
            self.imports[name] = imports

    def _global(self, module: str, name: str, depth: int) -> str | None:
        if name in self.constants[module]:
            return self.text(module, self.constants[module][name], {}, depth + 1)
        origin = self.imports[module].get(name)
        if origin is not None and depth < 5:
            return self._global(origin[0], origin[1], depth + 1)
        return None

    def text(
        self, module: str, expr: ast.expr, local: dict[str, ast.expr], depth: int = 0
    ) -> str | None:
        """The text ``expr`` stands for; None when it is only a pass-through (or no text)."""
        if depth > 8:
            return None
        if isinstance(expr, ast.Constant):
            return expr.value if isinstance(expr.value, str) else None
        if isinstance(expr, ast.Name):
            if expr.id in local:
                return self.text(module, local[expr.id], {}, depth + 1)
            return self._global(module, expr.id, depth)
        if isinstance(expr, ast.JoinedStr):
            parts = []
            for value in expr.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                    continue
                inner = value.value if isinstance(value, ast.FormattedValue) else value
                resolved = self.text(module, inner, local, depth + 1)
                parts.append(WILDCARD if resolved is None else resolved)
            joined = "".join(parts)
            if joined.replace(WILDCARD, "").strip(" :") == "" or joined.startswith(f"{WILDCARD} ("):
                return None  # a pass-through, perhaps with a detail: f"{req} (looking)"
            return joined
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left = self.text(module, expr.left, local, depth + 1)
            right = self.text(module, expr.right, local, depth + 1)
            return None if left is None or right is None else left + right
        return None


def _assigned(node: ast.stmt) -> tuple[str, ast.expr] | None:
    """(name, value) of ``name = value`` / ``name: T = value``."""
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        return node.target.id, node.value
    return None


def _locals(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr]:
    """Names a function binds once to a plain value (a loop variable or a parameter is not)."""
    seen: dict[str, list[ast.expr]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.stmt):
            target = _assigned(node)
            if target is not None:
                seen.setdefault(target[0], []).append(target[1])
    return {name: values[0] for name, values in seen.items() if len(values) == 1}


def _req_params(modules: dict[str, ast.Module]) -> dict[str, int]:
    """Functions defined in testcases/ with a ``req`` parameter: name -> its position."""
    out: dict[str, int] = {}
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "req" in names:
                    out[node.name] = names.index("req")
    return out


def _requirement_args(call: ast.Call, positions: dict[str, int]) -> Iterator[ast.expr]:
    callee = _callee(call)
    if callee in SHOULD:
        return
    for keyword in call.keywords:
        if keyword.arg == "req":
            yield keyword.value
    index = positions.get(callee, POSITIONAL_REQ.get(callee))
    if index is not None and index < len(call.args):
        yield call.args[index]


def _walk_scoped(
    tree: ast.Module,
) -> Iterator[tuple[ast.AST, dict[str, ast.expr]]]:
    """Every node, with the single-assignment locals of the function it is in."""
    stack: list[tuple[ast.AST, dict[str, ast.expr]]] = [(tree, {})]
    while stack:
        node, local = stack.pop()
        yield node, local
        for child in ast.iter_child_nodes(node):
            scope = (
                {**local, **_locals(child)}
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else local
            )
            stack.append((child, scope))


def _req_default(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The default value of ``func``'s parameter ``req``, if it has one."""
    args = func.args
    positional = args.posonlyargs + args.args
    pairs: list[tuple[ast.arg, ast.expr | None]] = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    return next((d for a, d in pairs if a.arg == "req" and d is not None), None)


def _fuzz_checks() -> list[Check]:
    from harness.fuzz.targets import REQUIREMENTS

    return [Check(text, "harness/fuzz/targets.py:REQUIREMENTS") for text in REQUIREMENTS.values()]


def scan_checks(root: Path = TESTCASES) -> dict[str, Check]:
    """Every distinct requirement text the cases under ``root`` check (see the module doc)."""
    modules = _modules(root)
    resolver = _Resolver(modules)
    positions = _req_params(modules)
    found: dict[str, Check] = {}

    def add(text: str | None, module: str, node: ast.AST) -> None:
        if text is None or text.startswith(PRECONDITION) or text in found:
            return
        path = module.replace(".", "/") + ".py"
        found[text] = Check(text, f"{path}:{getattr(node, 'lineno', 0)}")

    for module, tree in modules.items():
        for node, local in _walk_scoped(tree):
            if isinstance(node, ast.Call):
                for arg in _requirement_args(node, positions):
                    add(resolver.text(module, arg, local), module, arg)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                default = _req_default(node)
                if default is not None:
                    add(resolver.text(module, default, local), module, default)
    for check in _fuzz_checks():
        found.setdefault(check.text, check)
    return found


# -- what a FAIL proves --------------------------------------------------------------------------
def check_of(failed_requirement: str, checks: Iterable[Check]) -> Check | None:
    """The check a FAIL's ``failed_requirement`` names (see the module doc), or None."""
    pool = sorted(checks, key=lambda c: -c.literal_len)
    for whole in (True, False):
        for check in pool:
            if check.pattern(whole=whole).match(failed_requirement):
                return check
    return None
