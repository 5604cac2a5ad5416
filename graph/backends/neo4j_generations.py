"""Replacing a whole network in Neo4j through generations: all or nothing for readers.

One huge transaction (delete everything, write everything) was slow – the server keeps
the whole change in memory, and every look-up inside it gets slower with each deleted
entry – and it held the journal lock for minutes. Instead:

1. the new network is written as a new **generation** (``gen`` on every node and
   transition) in many transactions of :data:`BATCH` rows – nodes first, several batches
   at once when ``workers`` > 1, then relationships;
2. one small transaction moves the journal's pointer (``generation``) to it, with the
   journal entry and the new revision; it checks that nobody wrote in between;
3. the old generation is deleted afterwards, in batches, in the background.

Readers follow the pointer: they see the old or the new generation, never a mix; a read
that overlaps the switch sees the revision change and reads again. If the process or the
server dies while a generation is written, the pointer still names the old one; the
half-written generation is garbage that the next replace deletes
(:func:`collect_garbage`: every generation below the current one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from graph.backends.neo4j_schema import (
    BATCH,
    LABELS,
    LINKS,
    META,
    TRANSITION_QUERY,
    Tx,
    node_query,
)

__all__ = ["collect_garbage", "delete_generation", "write_generation"]

Write = Callable[[Callable[[Tx], None]], None]
"""Runs a function in a write transaction of its own (and translates driver errors)."""


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])


def write_generation(write: Write, rows: dict[str, Any],
                     progress: Callable[[int, int], None] | None = None,
                     workers: int = 1, batch: int = BATCH) -> None:
    """Write the rows of :func:`graph.backends.neo4j_schema.encode` (their generation) in
    transactions of ``batch`` rows; node batches run ``workers`` at a time."""
    gen, total = rows["gen"], rows["count"]
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    def run(query: str, part: list[dict[str, Any]]) -> int:
        def work(tx: Tx) -> None:
            tx.run(query, rows=part, gen=gen).consume()
        write(work)
        return len(part)

    write(lambda tx: tx.run(f"CREATE (m:{META} $meta)", meta=rows["meta"]).consume())
    node_jobs = [(node_query(label), part) for section, label in LABELS.items()
                 for part in _batches(rows["nodes"][section], batch)]
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for n in pool.map(lambda job: run(*job), node_jobs):
                step(n)
    else:
        for job in node_jobs:
            step(run(*job))
    # relationships one batch after the other: batches that link the same nodes at once
    # could wait on each other's locks
    for kind, rels in rows["relationships"].items():
        query = TRANSITION_QUERY if kind == "transitions" else LINKS[kind].query
        for part in _batches(rels, batch):
            step(run(query, part))


def _delete(session: Tx, where: str, gen: int) -> None:
    """Delete the network nodes (and so their relationships) whose ``gen`` matches
    ``where``, in server-side batches (an auto-commit query)."""
    for label in (*LABELS.values(), META):
        session.run(f"MATCH (n:{label}) WHERE n.gen {where} $gen "
                    f"CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {BATCH} ROWS",
                    gen=gen).consume()


def collect_garbage(session: Tx, current: int) -> None:
    """Delete every generation older than ``current``: replaced ones and half-written
    ones a crash left behind (never the current one, never one being written now)."""
    _delete(session, "<", current)


def delete_generation(session: Tx, gen: int) -> None:
    """Delete one generation (a replace that was not switched to)."""
    _delete(session, "=", gen)
