"""Replacing a whole network in Neo4j: all or nothing for readers, without ``gen`` filters.

One huge transaction (delete everything, write everything) was slow – the server keeps
the whole change in memory – and it held the journal lock for minutes. Instead:

1. the new network is written under **staged labels** (``StagedService`` …, every node
   with the number ``gen`` of this write) in many transactions of :data:`BATCH` rows –
   nodes first, several batches at once when ``workers`` > 1, then relationships;
2. one transaction (:func:`switch_query` for every label) retires the current nodes
   (their labels give way to ``LotseRetired``) and gives the staged ones their real
   labels, dropping ``gen`` – together with the journal entry and the new revision;
3. the retired nodes are deleted afterwards, in batches, in the background.

Readers – lotse and anyone with Cypher – match the real labels only: they see the old
or the new network, never a mix, and never need a condition on a generation. If the
process or the server dies while a network is staged, the current one is untouched; the
half-written staged nodes are garbage that the next replace deletes
(:func:`collect_garbage`: every staged generation below the last one switched to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from graph.backends.neo4j_native import KINDS
from graph.backends.neo4j_schema import BATCH, KEYS, META, RETIRED, Tx, link_query, staged

__all__ = ["collect_garbage", "delete_generation", "switch", "write_generation"]

Write = Callable[[Callable[[Tx], None]], None]
"""Runs a function in a write transaction of its own (and translates driver errors)."""


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])


def write_generation(write: Write, rows: dict[str, Any],
                     progress: Callable[[int, int], None] | None = None,
                     workers: int = 1, batch: int = BATCH) -> None:
    """Write the rows of :func:`graph.backends.neo4j_schema.encode` as staged nodes of their
    generation in transactions of ``batch`` rows; node batches run ``workers`` at a time."""
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

    write(lambda tx: tx.run(f"CREATE (m:{staged(META)} $meta) SET m.gen = $gen",
                            meta=rows["meta"], gen=gen).consume())
    node_jobs = [(f"UNWIND $rows AS r CREATE (n:{staged(label)}) SET n = r, n.gen = $gen", part)
                 for label, items in rows["nodes"].items() for part in _batches(items, batch)]
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for n in pool.map(lambda job: run(*job), node_jobs):
                step(n)
    else:
        for job in node_jobs:
            step(run(*job))
    # relationships one batch after the other: batches that link the same nodes at once
    # could wait on each other's locks
    for (section, name), rels in rows["relationships"].items():
        kind = KINDS[section]
        ref = next(r for r in kind.refs if r.name == name)
        query = link_query(kind, ref, gen=True)
        for part in _batches(rels, batch):
            step(run(query, part))


def switch(tx: Tx, gen: int) -> None:
    """Retire the current network and make the staged generation ``gen`` current (in the
    caller's transaction)."""
    for label in KEYS:
        tx.run(f"MATCH (n:{label}) REMOVE n:{label} SET n:{RETIRED}").consume()
    for label in KEYS:
        tx.run(f"MATCH (n:{staged(label)}) WHERE n.gen = $gen "
               f"REMOVE n:{staged(label)}, n.gen SET n:{label}", gen=gen).consume()


def _delete(session: Tx, match: str, gen: int | None = None) -> None:
    session.run(f"{match} CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {BATCH} ROWS",
                gen=gen).consume()


def collect_garbage(session: Tx, current: int) -> None:
    """Delete retired nodes and every staged generation older than ``current`` (half-
    written ones a crash left behind; never one being written now)."""
    _delete(session, f"MATCH (n:{RETIRED})")
    for label in KEYS:
        _delete(session, f"MATCH (n:{staged(label)}) WHERE n.gen < $gen", current)


def delete_generation(session: Tx, gen: int) -> None:
    """Delete one staged generation (a replace that was not switched to)."""
    for label in KEYS:
        _delete(session, f"MATCH (n:{staged(label)}) WHERE n.gen = $gen", gen)
