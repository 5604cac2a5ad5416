"""No import cycles between the modules of graph, lotsen, seeds and visualisation.

Every import counts as grimp (and so ``lint-imports``) sees it: at module level, inside a
function and under ``if TYPE_CHECKING:``. A cycle makes the import order matter and hides
where a concept belongs; break one by moving the shared part into a module both import
(as graph.values, lotsen.families), not by moving an import into a function. The
import-linter contract "Keine Importzyklen …" in pyproject.toml says the same for
packages (no cycle between sibling subpackages either).
"""

from __future__ import annotations

import itertools

import grimp
import networkx as nx

PACKAGES = ("graph", "lotsen", "seeds", "visualisation")


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """One shortest cycle (its first module again at the end) for each group of modules
    that import one another, directly or through others; sorted, empty when acyclic."""
    imports = nx.DiGraph()
    for module in graph.modules:
        imports.add_node(module)
        imports.add_edges_from((module, imported)
                               for imported in graph.find_modules_directly_imported_by(module))
    cycles = []
    for group in nx.strongly_connected_components(imports):
        if len(group) < 2:
            continue
        inside = imports.subgraph(group)
        start = min(group)
        back = min((nx.shortest_path(inside, nxt, start) for nxt in inside.successors(start)),
                   key=lambda path: (len(path), path))
        cycles.append([start, *back])
    return sorted(cycles)


def _described(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    """``a -> b -> a`` and, for each step, the line that imports."""
    steps = []
    for importer, imported in itertools.pairwise(cycle):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = ", ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details)
        steps.append(f"    {importer} -> {imported} ({where or 'import'})")
    return " -> ".join(cycle) + "\n" + "\n".join(steps)


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)
    assert {"graph.model", "lotsen.check", "seeds", "visualisation.report"} <= graph.modules
    cycles = import_cycles(graph)
    assert not cycles, (f"{len(cycles)} import cycle(s) in {', '.join(PACKAGES)}:\n"
                        + "\n".join(_described(graph, c) for c in cycles))


def test_import_cycles_finds_each_cycle_once_and_its_shortest_way():
    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.a"), ("p.b", "p.c"),
                               ("p.c", "p.a"), ("p.d", "p.a"), ("p.e", "p.f"),
                               ("p.f", "p.g"), ("p.g", "p.e")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == [["p.a", "p.b", "p.a"], ["p.e", "p.f", "p.g", "p.e"]]
    graph.remove_import(importer="p.b", imported="p.a")
    graph.remove_import(importer="p.c", imported="p.a")
    graph.remove_import(importer="p.g", imported="p.e")
    assert import_cycles(graph) == []
