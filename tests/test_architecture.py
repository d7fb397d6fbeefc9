"""The shape of the code: no import cycles, one per-file path for every command, and a README
whose command-line block says what `--help` says."""
import ast
import re
from pathlib import Path

import click
from click.testing import CliRunner

import pipeline.batch as batch
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every pipeline module this file imports, at any level (a lazy import is still a dependency)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("pipeline"):
                found.add(target)
                for alias in node.names:  # `from . import text` names a module
                    found.add(f"{target}.{alias.name}")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pipeline")}
    return found


def test_no_import_cycles_between_modules():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        deps = {d for d in _imports(path) if d in modules and d != name}
        # importing a submodule runs its package's __init__; a package importing its own
        # submodules is how packages are built, not a cycle of the data flow
        graph[name] = {d for d in deps if not name.startswith(d + ".") and not d.startswith(name + ".")}
    graph.pop("pipeline", None)
    for deps in graph.values():
        deps.discard("pipeline")
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail + [node, dep]))
            if dep not in state:
                visit(dep, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def _readme_usage() -> dict[str, set[str]]:
    """The options each command shows in the README's command-line blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(report-pipeline .*?)```", text, flags=re.S)
    usage: dict[str, set[str]] = {}
    current = None
    for block in blocks:
        for line in block.splitlines():
            if line.startswith(("report-pipeline", "python -m pipeline")):
                m = re.match(r"report-pipeline (\w+)", line)
                current = m.group(1) if m else None  # `--version`, `python -m pipeline ...`: no options
                if current:
                    usage.setdefault(current, set())
            if current:
                usage[current] |= set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b", line))
    return usage


def test_the_readme_command_line_matches_help():
    usage = _readme_usage()
    for name, command in main.commands.items():
        help_text = CliRunner().invoke(main, [name, "--help"]).output
        options = set()
        for param in command.params:
            if isinstance(param, click.Option):
                options |= {o for o in param.opts + param.secondary_opts}
                assert any(o in help_text for o in param.opts)
        assert name in usage, f"README shows no usage line for `{name}`"
        assert usage[name] == options, (name, sorted(usage[name] ^ options))


def test_check_and_evaluate_use_the_same_per_file_path_as_extract(tmp_path, monkeypatch):
    calls = []
    real = batch.process_one

    def counting(task, settings):
        calls.append(task.source)
        return real(task, settings)

    monkeypatch.setattr(batch, "process_one", counting)
    sample, expected = ROOT / "input", ROOT / "tests" / "expected"
    assert CliRunner().invoke(main, ["check", str(sample), "--expected", str(expected)]).exit_code == 0
    assert CliRunner().invoke(main, ["evaluate", str(sample), "--gold", str(ROOT / "tests" / "gold")]).exit_code == 0
    assert CliRunner().invoke(main, ["inspect", str(sample / "ecovem-conference-report-2022.md")]).exit_code == 0
    assert [Path(c).name for c in calls] == ["ecovem-conference-report-2022.md"] * 3
