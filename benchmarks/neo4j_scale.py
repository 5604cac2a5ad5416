"""Issue 18, Neo4j at Land scale: the baseline and the new path in one run, on a real server.

* **Push** of the synthetic network into an empty database: the baseline writes every row
  in ONE transaction (as ``save`` did before generations); the new path writes a
  generation in batches of 10,000 rows (own transactions) and switches the pointer;
  rows per second (nodes + relationships), target ≥ 50,000. Then a **replace** of the
  stored network by the same network again (a new generation beside the old one).
* **First edit on a fresh connection**: the baseline ``put`` (reads and checks the whole
  network) against ``change`` (reads only the part the edit touches), each on a new
  connection; target ≤ 5 s. Then 20 more ``change`` calls on fresh connections.

The generated network is cached under ``/tmp/scale-18c/`` (never in the repository).

Usage::

    python benchmarks/neo4j_scale.py                 # 1,000 quarters
    python benchmarks/neo4j_scale.py --quarters 100 --workers 2
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_server  # noqa: E402

from graph.backends.neo4j import Neo4jRepository, Neo4jSettings  # noqa: E402
from graph.backends.neo4j_generations import delete_generation, write_generation  # noqa: E402
from graph.backends.neo4j_schema import encode  # noqa: E402
from graph.journal import Edit  # noqa: E402
from graph.network import Network  # noqa: E402
from seeds.synthetic import generate  # noqa: E402

CACHE = Path("/tmp/scale-18c")


def network(quarters: int) -> Network:
    """The generated network, from the cache when it is there."""
    path = CACHE / f"synthetic-{quarters}.pickle"
    if path.exists():
        net: Network = pickle.loads(path.read_bytes())
        return net
    net = generate(quarters=quarters).network
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(net, protocol=pickle.HIGHEST_PROTOCOL))
    return net


def push_in_one_transaction(repo: Neo4jRepository, net: Network) -> int:
    """The baseline: every row of the network in one transaction (into generation 0 of
    an empty database; the pointer is not moved, the rows are deleted afterwards)."""
    rows = encode(net, 0)
    with repo._session() as session:
        tx = session.begin_transaction()
        write_generation(lambda work: work(tx), rows)
        tx.commit()
    count: int = rows["count"]
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=1000)
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--workers", type=int, default=1,
                        help="Knoten-Stapel, die ein Ersetzen gleichzeitig schreibt")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-baseline", action="store_true",
                        help="nur der neue Weg (die Grundlinie braucht bei 1.000 Quartieren "
                             "auf einer ausgelasteten Maschine sehr lange)")
    parser.add_argument("--no-replace", action="store_true",
                        help="das gespeicherte Netz nicht noch einmal ersetzen")
    args = parser.parse_args()

    net = network(args.quarters)
    rows = encode(net)["count"]
    print(f"Netz: {args.quarters} Quartiere, {len(net.services):,} Angebote, "
          f"{len(net.transitions):,} Übergänge, {rows:,} Zeilen (Knoten + Beziehungen)",
          flush=True)
    home = Path(tempfile.mkdtemp(prefix="lotse-neo4j-scale-", dir=CACHE))
    server = neo4j_server.start(home, heap=args.heap, pagecache="2g")
    uri = server.uri.replace("neo4j://", "bolt://")

    def connect() -> Neo4jRepository:
        return Neo4jRepository(Neo4jSettings.from_uri(uri, env=server.env()),
                               workers=args.workers)

    try:
        with connect() as repo:
            repo.is_empty()  # connect, constraints
            base = None
            if not args.no_baseline:
                t0 = time.perf_counter()
                push_in_one_transaction(repo, net)
                base = time.perf_counter() - t0
                print(f"Push, Grundlinie (eine Transaktion): {base:.1f} s = "
                      f"{rows / base:,.0f} Zeilen/s", flush=True)
                with repo._session() as session:  # batched, outside the measurement
                    delete_generation(session, 0)
            t0 = time.perf_counter()
            repo.save(net)
            new = time.perf_counter() - t0
            ratio = f"; Faktor {base / new:.2f}" if base else ""
            print(f"Push, Generation in Stapeln (workers={args.workers}): {new:.1f} s = "
                  f"{rows / new:,.0f} Zeilen/s (Ziel ≥ 50.000{ratio})", flush=True)
        with connect() as repo:
            repo.wait_for_cleanup()
            if not args.no_replace:
                t0 = time.perf_counter()
                repo.save(net)
                again = time.perf_counter() - t0
                t0 = time.perf_counter()
                repo.wait_for_cleanup()
                cleanup = time.perf_counter() - t0
                print(f"Ersetzen des gespeicherten Netzes (neue Generation): {again:.1f} s = "
                      f"{rows / again:,.0f} Zeilen/s; danach Löschen der alten Generation im "
                      f"Hintergrund noch {cleanup:.1f} s", flush=True)
        service = net.services[len(net.services) // 2]
        put_first = None
        if not args.no_baseline:
            with connect() as repo:
                repo.is_empty()  # the connection itself is not the edit
                t0 = time.perf_counter()
                repo.put("services", service.model_copy(update={"name": "geändert (put)"}))
                put_first = time.perf_counter() - t0
            print(f"Erste Änderung über eine neue Verbindung, Grundlinie put (liest das ganze "
                  f"Netz): {put_first:.1f} s", flush=True)
        times = []
        for i in range(args.edits + 1):
            with connect() as repo:
                repo.is_empty()  # the connection itself is not the edit
                t0 = time.perf_counter()
                repo.change(Edit("services", service.id, service.model_copy(
                    update={"name": f"geändert {i}"}), "lotse"))
                times.append(time.perf_counter() - t0)
        print(f"Erste Änderung über eine neue Verbindung, change (liest nur, was sie "
              f"berührt): die erste {times[0] * 1000:.0f} ms, danach {args.edits} weitere je "
              f"neue Verbindung: p50 {statistics.median(times[1:]) * 1000:.0f} ms, max "
              f"{max(times[1:]) * 1000:.0f} ms (Ziel ≤ 5 s"
              + (f"; Faktor {put_first / times[0]:.0f})" if put_first else ")"), flush=True)
        with connect() as repo:
            assert repo.load().service_index[service.id].name == f"geändert {args.edits}"
    finally:
        neo4j_server.stop(home)


if __name__ == "__main__":
    main()
