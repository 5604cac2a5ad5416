"""``lotse import --merge / --prune / --dry-run``: what a file changes, said before it is
written (the merge itself is :func:`api.usecases.imports.merge_file`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from api.cli import texts
from api.cli.common import out
from api.stores import open_store
from api.usecases.files import Incoming
from api.usecases.imports import merge_file, plan_import
from api.usecases.roles import command_line
from graph.errors import LotsenError
from graph.merge import Change, count_line

__all__ = ["import_merged"]

SHOWN = 200  # at most this many change lines are printed


def _print_changes(changes: Sequence[Change]) -> None:
    for change in changes[:SHOWN]:
        out.print(f"  {change}", soft_wrap=True, markup=False)
    if len(changes) > SHOWN:
        out.print(texts.MERGE_CHANGES_SHOWN.format(n=len(changes) - SHOWN))


def import_merged(incoming: Incoming, source: Path, store: str | None, merge: bool,
                  prune: bool, dry_run: bool) -> None:
    """Merge (or with ``dry_run`` only preview a merge or a full replace)."""
    if prune and not merge:
        raise LotsenError(texts.PRUNE_NEEDS_MERGE)
    repo = open_store(store)
    if not merge:  # a preview of the full replace
        plan = plan_import(repo, command_line(), incoming)
        out.print(texts.MERGE_REPLACE_PREVIEW.format(counts=count_line(plan.changes)),
                  soft_wrap=True)
        _print_changes(plan.changes)
        return
    done = merge_file(repo, command_line(), incoming, prune=prune, dry_run=dry_run)
    if not done.changes:
        out.print(texts.MERGE_NOTHING)
        return
    counts = count_line(done.changes)
    if dry_run:
        out.print(texts.MERGE_PREVIEW.format(counts=counts), soft_wrap=True)
        _print_changes(done.changes)
        return
    _print_changes(done.changes)
    out.print(texts.MERGE_DONE.format(path=source, where=repo.location, counts=counts),
              soft_wrap=True)


