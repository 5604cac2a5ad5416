"""``lotse import --merge / --prune / --dry-run``: what a file changes, said before it is
written (the merge itself is :func:`graph.merge.merge_into`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from api.cli import texts
from api.cli.common import err, out
from api.stores import open_store
from graph.errors import LotsenError
from graph.merge import Change, count_line, merge_into, plan_replace
from graph.network import Network
from graph.repository import TOOL_ACTOR, Repository

__all__ = ["import_merged", "say_what_is_replaced"]

SHOWN = 200  # at most this many change lines are printed


def _print_changes(changes: Sequence[Change]) -> None:
    for change in changes[:SHOWN]:
        out.print(f"  {change}", soft_wrap=True, markup=False)
    if len(changes) > SHOWN:
        out.print(texts.MERGE_CHANGES_SHOWN.format(n=len(changes) - SHOWN))


def say_what_is_replaced(net: Network, repo: Repository) -> None:
    """Before a full replace: how many entries it adds, changes and removes."""
    if repo.is_empty():
        return
    before = repo.load()
    err.print(texts.REPLACE_SUMMARY.format(name=before.name,
                                           counts=count_line(plan_replace(before, net))),
              soft_wrap=True)


def import_merged(net: Network, source: Path, store: str | None, merge: bool, prune: bool,
                  dry_run: bool, versions: Mapping[str, int] | None = None,
                  places: Mapping[str, str] | None = None,
                  keep: Mapping[str, Sequence[str]] | None = None) -> None:
    """Merge (or with ``dry_run`` only preview a merge or a full replace)."""
    if prune and not merge:
        raise LotsenError(texts.PRUNE_NEEDS_MERGE)
    repo = open_store(store)
    if not merge:  # a preview of the full replace
        changes = plan_replace(None if repo.is_empty() else repo.load(), net)
        out.print(texts.MERGE_REPLACE_PREVIEW.format(counts=count_line(changes)),
                  soft_wrap=True)
        _print_changes(changes)
        return
    plan = merge_into(repo, net, TOOL_ACTOR, versions=versions, prune=prune, places=places,
                      dry_run=dry_run, keep=keep)
    if not plan.changes:
        out.print(texts.MERGE_NOTHING)
        return
    counts = count_line(plan.changes)
    if dry_run:
        out.print(texts.MERGE_PREVIEW.format(counts=counts), soft_wrap=True)
        _print_changes(plan.changes)
        return
    _print_changes(plan.changes)
    out.print(texts.MERGE_DONE.format(path=source, where=repo.location, counts=counts),
              soft_wrap=True)
