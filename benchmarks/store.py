"""Benchmark of the embedded stores: does an edit cost more as the history grows?

On the Dortmund seed, for the SQLite store and (baseline, same run) the JSON file store:

* p50/p95 of one edit (``Repository.apply`` of a renamed service with its expected
  version, as the API sends it) after 100 journal entries and after 50,000;
* the same edit followed by the reads the Werkstatt makes for its next page
  (``load`` and ``journal``), which is what a person waits for.

``sqlite`` is the store as shipped (``synchronous=FULL``: every change is on the disk,
fsync, when ``apply`` returns); ``sqlite-n`` the same with ``synchronous=NORMAL`` (as
safe against a crash of the program, but a power cut may take back the last changes),
to show how much of an edit is the fsync.

The 50,000 entries are real audit entries of this store (an edit's entry, numbered on);
they are written into the store directly, because making them one by one through the
JSON store would take hours – which is the point of issue 19.

Usage::

    python benchmarks/store.py                       # 100 vs 50,000 entries, 200 edits
    python benchmarks/store.py --history 20000 --edits 100

Targets (issue 19, on 2 cores): SQLite p50 after 50,000 ≤ 1.5 × p50 after 100; one edit on
the Dortmund seed p50 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.atomic import atomic_write_bytes
from graph.backends import memory
from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository
from graph.journal import Edit, Journal
from graph.network import Network
from graph.repository import Repository
from seeds import load_seed

Maker = Callable[[Path], Repository]


def _edits(repo: Repository, n: int, then_read: bool) -> list[float]:
    """Time ``n`` edits (ms each), cycling through the services."""
    net = repo.load()
    times = []
    for i in range(n):
        service = net.services[i % len(net.services)]
        version = repo.journal().version("services", service.id) if i < len(net.services) \
            else None
        edit = Edit("services", service.id, service.model_copy(update={"name": f"B{i}"}),
                    "benchmark", expected_version=version)
        start = time.perf_counter()
        net, _ = repo.apply(edit)
        if then_read:
            repo.load()
            repo.journal()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _fill_history(path: Path, kind: str, repo: Repository, total: int) -> None:
    """Number the store's last entry on until the journal holds ``total`` entries."""
    journal = repo.journal()
    model = next(e for e in reversed(journal.entries) if e.action == "update")
    start = journal.entries[-1].seq + 1
    extra = [model.model_copy(update={"seq": seq}) for seq in range(start, total + 1)]
    if kind != "json":
        assert isinstance(repo, SqliteRepository)
        repo.close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (e.seq, e.at.isoformat(), e.actor, e.action, e.section, e.entity_id,
             e.model_dump_json()) for e in extra])
        conn.execute("UPDATE meta SET value = ? WHERE key = 'last_seq'", (str(total),))
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = "
                     "'revision'")
        conn.execute("COMMIT")
        conn.close()
    else:
        full = Journal(versions=journal.versions, entries=[*journal.entries, *extra],
                       last_seq=total)
        atomic_write_bytes(path, memory._encode(repo.load(), full))


def measure(kind: str, make: Maker, net: Network, history: int, edits: int,
            folder: Path) -> dict[str, float]:
    path = folder / f"speicher-{kind}.{'json' if kind == 'json' else 'sqlite'}"
    repo = make(path)
    repo.save(net)
    _edits(repo, 99, False)  # 1 import + 99 edits = 100 entries
    figures: dict[str, float] = {}
    figures["p50_100"] = statistics.median(_edits(repo, edits, False))
    figures["p50_100_read"] = statistics.median(_edits(repo, max(edits // 4, 10), True))
    n_history = len(repo.journal().entries)
    _fill_history(path, kind, repo, history)
    repo = make(path)
    repo.load()
    repo.journal()
    samples = edits if kind != "json" else max(5, edits // 20)
    after = _edits(repo, samples, False)
    figures["p50_big"] = statistics.median(after)
    figures["p95_big"] = sorted(after)[int(len(after) * 0.95) - 1]
    figures["p50_big_read"] = statistics.median(_edits(repo, max(samples // 4, 5), True))
    figures["entries"] = len(repo.journal().entries)
    figures["start_entries"] = n_history
    figures["size_mb"] = sum(p.stat().st_size for p in folder.glob(path.name + "*")) / 2**20
    if isinstance(repo, SqliteRepository):
        repo.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", type=int, default=50_000)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    net = load_seed("dortmund")
    print(f"Dortmund-Seed: {len(net.services)} Angebote, {len(net.transitions)} Übergänge; "
          f"{args.edits} Änderungen je Messung (JSON nach großem Verlauf: weniger)\n")
    folder = Path(tempfile.mkdtemp(prefix="lotse-bench-store-"))
    try:
        rows = {
            "sqlite": measure("sqlite", lambda p: SqliteRepository(p), net, args.history,
                              args.edits, folder),
            "sqlite-n": measure("sqlite-n", lambda p: SqliteRepository(p, synchronous="NORMAL"),
                                net, args.history, args.edits, folder),
            "json": measure("json", lambda p: MemoryRepository(p), net, args.history,
                            args.edits, folder),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    head = (f"{'Speicher':8} {'p50 nach 100':>13} {'+Lesen':>8} "
            f"{'p50 nach ' + format(args.history, ','):>17} {'p95':>8} {'+Lesen':>8} "
            f"{'Faktor':>7} {'Datei':>9}")
    print(head)
    for kind, f in rows.items():
        print(f"{kind:8} {f['p50_100']:10.2f} ms {f['p50_100_read']:5.2f} ms "
              f"{f['p50_big']:14.2f} ms {f['p95_big']:5.2f} ms {f['p50_big_read']:5.2f} ms "
              f"{f['p50_big'] / f['p50_100']:6.2f}× {f['size_mb']:6.1f} MB")
    lite = rows["sqlite"]
    ratio = lite["p50_big"] / lite["p50_100"]
    print(f"\nZiel 1: SQLite p50 nach {args.history:,} ≤ 1,5 × p50 nach 100: {ratio:.2f}× "
          f"({'erreicht' if ratio <= 1.5 else 'verfehlt'})")
    print(f"Ziel 2: eine Änderung am Dortmund-Seed p50 ≤ 5 ms: {lite['p50_100']:.2f} ms "
          f"({'erreicht' if lite['p50_100'] <= 5 else 'verfehlt'})")
    print(f"Grundlinie JSON-Datei: {rows['json']['p50_big'] / lite['p50_big']:.0f}× langsamer "
          f"nach {args.history:,} Einträgen")


if __name__ == "__main__":
    main()
