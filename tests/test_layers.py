"""The layers of the integration, read from its imports (``docs/architecture.md``).

``client/`` talks to ClassCharts, ``school/`` knows what the data means and
when to read it, the modules at the top are Home Assistant's side. The lower
two never import Home Assistant or a layer above them, and no modules import
each other in a circle: not even for the type checker.
"""

from __future__ import annotations

import ast
from pathlib import Path

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "classcharts_hass"
LONGEST = 300


def _name(path: Path) -> str:
    """A module's dotted name inside the integration (a package is its folder)."""
    parts = list(path.relative_to(INTEGRATION).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_name(path): path for path in INTEGRATION.rglob("*.py")}


def _package(module: str) -> str:
    """The package a module's relative imports start from."""
    if MODULES[module].name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def _resolve(module: str, level: int, target: str | None) -> str:
    """The dotted name inside the integration a relative import points at."""
    base = _package(module).split(".") if _package(module) else []
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, *([target] if target else [])])


def _imports(module: str) -> tuple[set[str], set[str]]:
    """The integration's modules and the outside packages ``module`` imports."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(tree):  # imports under TYPE_CHECKING count too
        if isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                outside.add((node.module or "").split(".")[0])
                continue
            target = _resolve(module, node.level, node.module)
            for alias in node.names:  # ``from . import repairs`` names a module
                name = f"{target}.{alias.name}" if target else alias.name
                inside.add(name if name in MODULES else target)
    inside.discard(module)
    return inside, outside


GRAPH = {module: _imports(module)[0] for module in MODULES}


def _layer(module: str) -> str:
    return (
        module.split(".", maxsplit=1)[0]
        if module.split(".", maxsplit=1)[0] in {"client", "school"}
        else ""
    )


def test_the_lower_layers_import_no_home_assistant() -> None:
    """``client/`` and ``school/`` could run without Home Assistant."""
    for module in MODULES:
        if _layer(module):
            assert "homeassistant" not in _imports(module)[1], module


def test_each_layer_imports_only_itself_and_those_below() -> None:
    """The client imports only itself; the middle only itself and the client."""
    allowed = {"client": {"client"}, "school": {"client", "school"}}
    for module, imported in GRAPH.items():
        if layer := _layer(module):
            for other in imported:
                assert _layer(other) in allowed[layer], f"{module} imports {other}"


def test_no_modules_import_each_other_in_a_circle() -> None:
    """No import cycle, counting imports only the type checker reads."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            raise AssertionError(" -> ".join(cycle))
        if module in done:
            return
        for other in sorted(GRAPH[module]):
            visit(other, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


def test_no_module_is_over_300_lines() -> None:
    """A module a reader can hold in their head."""
    too_long = {
        module: lines
        for module, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert not too_long


ARCHITECTURE = INTEGRATION.parent.parent / "docs" / "architecture.md"


def _modules_in_the_tree() -> set[str]:
    """The modules docs/architecture.md's tree names, as paths inside the integration.

    A line's leading ``*.py`` names belong to the folder the line is indented
    under; a line ending a name with ``/`` opens a folder one level deeper.
    """
    text = ARCHITECTURE.read_text(encoding="utf-8")
    tree = text.split("```\ncustom_components/classcharts_hass/\n", 1)[1]
    tree = tree.split("```", 1)[0]
    folders: dict[int, str] = {2: ""}  # indentation -> folder inside the integration
    named: set[str] = set()
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        words = line.split()
        if indent not in folders or not words:
            continue  # a wrapped description, or a test folder at the root
        if words[0].endswith("/"):
            folders[indent + 2] = folders[indent] + words[0]
            continue
        for word in words:
            if not word.endswith(".py"):
                break  # the description starts
            named.add(folders[indent] + word)
    return named


def test_architecture_names_every_module() -> None:
    """docs/architecture.md's tree names each module, and only modules that exist."""
    modules = {path.relative_to(INTEGRATION).as_posix() for path in MODULES.values()}
    named = _modules_in_the_tree()
    assert len(modules) > 60
    assert sorted(modules - named) == []  # modules the tree leaves out
    assert sorted(named - modules) == []  # the tree names a file that is gone
