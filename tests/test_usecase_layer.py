"""The house of the three doors (issue 25): the file readers are called from one module
under ``api``, the use cases stay free of the doors' libraries (import-linter contracts
in pyproject.toml, run by ``make lint``), and every use case module is reachable."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = {"read_workbook", "read_hsds", "read_folder"}
DOCUMENT_READERS = {"load", "loads", "parse"}


def _calls(path: Path) -> set[str]:
    """The file readers ``path`` calls or imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("graph.formats"):
            found |= {a.name for a in node.names if a.name in READERS}
            if node.module == "graph.formats.document":
                found |= {f"document.{a.name}" for a in node.names
                          if a.name in DOCUMENT_READERS}
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id == "document" and node.attr in DOCUMENT_READERS:
            found.add(f"document.{node.attr}")
    return found


def test_the_file_readers_are_called_from_one_module_under_api():
    callers = {str(p.relative_to(ROOT)): calls for p in sorted((ROOT / "api").rglob("*.py"))
               if (calls := _calls(p))}
    assert list(callers) == ["api/usecases/files.py"], callers
    assert callers["api/usecases/files.py"] >= READERS


def test_the_use_cases_import_no_door():
    for path in (ROOT / "api" / "usecases").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                top = name.split(".")[0]
                assert top not in {"typer", "rich", "fastapi", "starlette", "uvicorn"}, path
                assert not name.startswith(("api.cli", "api.web")), (path, name)
