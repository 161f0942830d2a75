"""The house rules, checked on the source: which floor may import which, no cycles, and the
size limits that keep every room small. Adding an import that runs back up a floor fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "laborwatch"
MAPPED = ("parsers", "storage", "alerts", "ingest", "flows", "deployments")

# Floors, from the ground up. A module may import its own floor and the floors below it.
FLOORS: dict[str, int] = {
    "domain": 0,
    "packed": 0,
    "redaction": 0,
    "settings": 1,
    "parsers": 1,
    "storage": 2,
    "alerts": 2,
    "ingest": 2,
    "log_redaction": 2,
    "pipeline": 3,
    "flows": 4,
    "deployments": 5,
    "cli": 6,
}
# Sideways imports between packages of one floor that would tangle them.
FORBIDDEN_SIDEWAYS: dict[str, set[str]] = {
    "parsers": {"settings"},
    "storage": {"alerts", "ingest"},
    "alerts": {"storage", "ingest"},
    "ingest": {"storage", "alerts"},
}
PREFECT_ALLOWED = {"flows", "deployments"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def source_files() -> Iterator[tuple[str, Path]]:
    """(dotted module name, file) for every module of the package, mapped folders included."""
    roots = [(f"laborwatch.{name}", REPO / name) for name in MAPPED]
    roots.append(("laborwatch", PACKAGE))
    for prefix, root in roots:
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if root == PACKAGE and relative.parts[0] in (*MAPPED, "samples"):
                continue  # the symlinks to the mapped folders
            if "versions" in relative.parts:
                continue  # Alembic migrations: generated scripts, frozen once released
            parts = [prefix, *relative.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def floor_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else "laborwatch"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = dict(source_files())


def internal_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        # `from laborwatch.storage import db` names the package too; importing a sibling through
        # its own package is not a dependency on the package's __init__.
        graph[module] = {
            name
            for name in imports_of(path)
            if name in MODULES and name != module and not module.startswith(name + ".")
        }
    return graph


def layering_violations(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in graph.items():
        here = floor_of(module)
        for target in targets:
            there = floor_of(target)
            if there == "laborwatch" or here == there:
                continue
            if FLOORS[there] > FLOORS[here]:
                problems.append(f"{module} imports {target}: {there} is above {here}")
            elif there in FORBIDDEN_SIDEWAYS.get(here, set()):
                problems.append(f"{module} imports {target}: {here} must not use {there}")
    return problems


def test_every_module_is_on_a_known_floor() -> None:
    unknown = {floor_of(m) for m in MODULES} - set(FLOORS) - {"laborwatch"}
    assert not unknown, f"modules outside the floor plan: {sorted(unknown)}"


def test_no_import_runs_back_up_a_floor() -> None:
    problems = layering_violations(internal_imports())
    assert not problems, "\n".join(sorted(problems))


def test_the_contract_catches_an_import_running_up() -> None:
    graph = internal_imports()
    graph["laborwatch.parsers.figures"] = {"laborwatch.storage.db"}
    assert layering_violations(graph) == [
        "laborwatch.parsers.figures imports laborwatch.storage.db: storage is above parsers"
    ]


def test_only_the_prefect_layer_imports_prefect() -> None:
    offenders = [
        module
        for module, path in MODULES.items()
        if floor_of(module) not in PREFECT_ALLOWED
        and any(name == "prefect" or name.startswith("prefect.") for name in imports_of(path))
    ]
    assert not offenders, f"Prefect imported outside flows/ and deployments/: {offenders}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the import cycles, as groups of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycles() -> None:
    assert strongly_connected(internal_imports()) == []


def function_lengths(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            yield node.name, node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("module", sorted(MODULES))
def test_rooms_stay_small(module: str) -> None:
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(REPO)}: {lines} lines"
    long = [f"{name} ({n} lines)" for name, n in function_lengths(path) if n > MAX_FUNCTION_LINES]
    assert not long, f"{path.relative_to(REPO)}: {', '.join(long)}"


def test_the_wheel_lists_every_package() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {module for module, path in MODULES.items() if path.name == "__init__.py"} | {
        "laborwatch.samples"
    }
    assert packages == listed, f"pyproject packages differ: {sorted(packages ^ listed)}"
