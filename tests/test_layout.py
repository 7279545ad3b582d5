"""The rooms of the code base and the way they depend on each other, read from the source (no import
is executed): data (scripts.policydata) → rules (calculator) → pages (scripts.site) → assets (the
runtime, the calculator page, the offline service worker), each room importing only rooms before it;
no import cycle between modules; no build code importing the tests or the benchmark."""

from __future__ import annotations

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# Each room with its rank: a module may import its own room and rooms of a lower rank only.
ROOMS = {
    "scripts.policydata": 0,       # data: load, validate, compile policy_data/
    "calculator": 1,               # rules: the calculator (standard library only)
    "scripts.samples": 2,          # sample inputs of the calculator (benchmark, runtime recorder, tests)
    "scripts.build_wheel": 2,      # the calculator packed as a wheel
    "scripts.site": 3,             # pages: the handbook and its open data, their security policy
    "scripts.runtime": 4,          # assets: the calculator's Pyodide runtime
    "scripts.calculator_page": 5,  # assets: the calculator page's form data
    "scripts.offline": 6,          # assets: the offline service worker, the build's last step
    "scripts.deploy": 7,           # the nginx configuration of a built site
    "scripts.bench": 8,            # the benchmark: may use everything above, nothing uses it
}


def modules() -> dict[str, Path]:
    out = {}
    for top in ("calculator", "scripts"):
        for path in sorted((REPO_ROOT / top).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def imports(name: str, path: Path) -> set[str]:
    """Absolute names of everything `name` imports (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


def room(name: str) -> str | None:
    return next((r for r in sorted(ROOMS, key=len, reverse=True) if name == r or name.startswith(r + ".")), None)


def test_every_module_is_in_a_room():
    homeless = sorted(m for m in modules() if m != "scripts" and room(m) is None)
    assert not homeless, f"modules in no room of tests/test_layout.py ROOMS: {homeless}"


def test_rooms_depend_one_way():
    wrong = []
    for name, path in modules().items():
        mine = room(name)
        for imp in imports(name, path):
            if imp == "tests" or imp.startswith("tests."):
                wrong.append(f"{name} imports {imp}: build code never imports the tests")
            theirs = room(imp)
            if mine and theirs and theirs != mine and ROOMS[theirs] >= ROOMS[mine]:
                wrong.append(f"{name} ({mine}) imports {imp} ({theirs}), a room after its own")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycle():
    mods = modules()
    graph = {name: {i for i in imports(name, path) if i in mods and i != name} for name, path in mods.items()}
    # A package's __init__ importing its own submodules is how packages work, not a cycle.
    graph = {n: {i for i in deps if not i.startswith(n + ".")} for n, deps in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(" → ".join(stack[stack.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_hooks_are_listed_in_the_order_they_run():
    """mkdocs runs hooks in the order mkdocs.yml lists them (none sets a priority): the pages first,
    the offline service worker, which lists every file, then the server's pre-compressed copies of
    the final files (which the service worker never lists)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python/...
    hooks = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader)["hooks"]
    assert hooks == ["scripts/site/hooks.py", "scripts/site/security.py", "scripts/runtime/hooks.py",
                     "scripts/calculator_page/hooks.py", "scripts/offline/hooks.py", "scripts/deploy/precompress.py"]
    for hook in hooks:
        assert "event_priority" not in (REPO_ROOT / hook).read_text(encoding="utf-8"), hook


def test_hooks_import_the_repository_from_the_venv(tmp_path):
    """mkdocs loads each hook by its file path with only the hook's folder on sys.path; the hooks
    import scripts.* because `make` installs the project (pyproject.toml: calculator and scripts) in
    editable mode, not through a sys.path preamble of their own. So mkdocs' own loading of mkdocs.yml
    works from any directory (here: started outside the repository, nothing on PYTHONPATH), and every
    module it gets is this checkout's."""
    import json
    import os
    import subprocess
    import sys
    code = ("import json, sys; from mkdocs.config import load_config; c = load_config(sys.argv[1]);"
            " print(json.dumps(sorted({m.__file__ for m in sys.modules.values()"
            " if m.__name__.split('.')[0] in ('scripts', 'calculator') and getattr(m, '__file__', None)})))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", code, str(REPO_ROOT / "mkdocs.yml")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"mkdocs cannot load the hooks of mkdocs.yml outside the repository " \
        f"(is the project installed in editable mode? `make .venv/.installed`):\n{proc.stderr[-3000:]}"
    loaded = [Path(f) for f in json.loads(proc.stdout.strip().splitlines()[-1])]
    assert any(p.parts[-3:] == ("scripts", "site", "handbook.py") for p in loaded), loaded
    assert all(p.is_relative_to(REPO_ROOT) for p in loaded), [p for p in loaded if not p.is_relative_to(REPO_ROOT)]
    for hook in (REPO_ROOT / "scripts").glob("*/hooks.py"):
        assert "sys.path" not in hook.read_text(encoding="utf-8"), f"{hook}: a sys.path preamble"


# ------------------------------------------------------------------------------ the README's tree

def readme_tree() -> list[str]:
    """The paths of the README's layout tree (two spaces of indentation a level; a name ending in /
    is a directory)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- layout:", 1)[1].split("```", 2)[1]
    paths, stack = [], []
    for line in block.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        stack[depth:] = [name.rstrip("/")]
        paths.append("/".join(stack) + ("/" if name.endswith("/") else ""))
    return paths


def tracked() -> list[str]:
    import subprocess
    out = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    return out.split()


def test_readme_tree_lists_every_directory():
    dirs = set()
    for f in tracked():
        parts = f.split("/")
        dirs |= {"/".join(parts[:n]) + "/" for n in (1, 2) if len(parts) > n}
    listed = set(readme_tree())
    missing = sorted(dirs - listed)
    assert not missing, f"README.md 目录 / Layout does not list {missing}"


def test_readme_tree_lists_only_what_exists():
    files = tracked()
    gone = [p for p in readme_tree()
            if not (any(f.startswith(p) for f in files) if p.endswith("/") else p in files)]
    assert not gone, f"README.md 目录 / Layout lists {gone}, which the repository does not have"
