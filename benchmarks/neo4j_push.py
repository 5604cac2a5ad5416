"""Benchmark of the Neo4j backend on a real server started for the run.

* push of the synthetic network (default 1,000 quarters × 200 services, ≈1M edges) in
  one transaction: rows per second (nodes + relationships), against the target 50,000;
* "who owns this transition" through Bolt: p50 and p99 over 1,000 queries (target p99
  ≤ 5 ms), over ``neo4j://`` (routing) and ``bolt://`` (one server), each on a freshly
  pushed server and again after a warm-up (a server in use has its query paths compiled
  by the JVM), beside the same question answered from the embedded store in memory;
* one change (``put``) in the pushed network: the first through a new connection (it
  reads the network once to check the change) and then 50 more.

Usage::

    python benchmarks/neo4j_push.py
    python benchmarks/neo4j_push.py --quarters 100
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_server  # noqa: E402

from graph.backends.neo4j import Neo4jRepository, Neo4jSettings, _encode  # noqa: E402
from lotsen.ownership import owner_of  # noqa: E402
from seeds.synthetic import generate  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--heap", default="6g")
    parser.add_argument("--warm-up", type=int, default=5000,
                        help="Fragen zum Aufwärmen vor der zweiten Messung")
    args = parser.parse_args()

    net = generate(quarters=args.quarters).network
    rows = _encode(net)["count"]
    print(f"Netz: {args.quarters} Quartiere, {len(net.services):,} Angebote, "
          f"{len(net.transitions):,} Übergänge, {rows:,} Zeilen (Knoten + Beziehungen)")
    home = Path(tempfile.mkdtemp(prefix="lotse-neo4j-bench-"))
    server = neo4j_server.start(home, heap=args.heap, pagecache="2g")
    try:
        with Neo4jRepository(Neo4jSettings.from_uri(server.uri, env=server.env())) as repo:
            repo.is_empty()  # connect, create constraints
            start = time.perf_counter()
            repo.save(net)
            push = time.perf_counter() - start
            print(f"Push in einer Transaktion: {push:.1f} s, {rows / push:,.0f} Zeilen/s "
                  f"(Ziel ≥ 50.000)")
            ids = [t.id for t in random.Random(1).sample(net.transitions, args.queries)]
        local = []
        for tid in ids:
            t0 = time.perf_counter()
            owner_of(net, tid)
            local.append((time.perf_counter() - t0) * 1000)
        rnd = random.Random(2)
        for warm in (50, args.warm_up):
            for scheme in ("neo4j", "bolt"):
                uri = server.uri.replace("neo4j://", f"{scheme}://")
                with Neo4jRepository(Neo4jSettings.from_uri(uri, env=server.env())) as repo:
                    for _ in range(warm):
                        repo.owner_of(rnd.choice(net.transitions).id)
                    bolt = []
                    for tid in ids:
                        t0 = time.perf_counter()
                        repo.owner_of(tid)
                        bolt.append((time.perf_counter() - t0) * 1000)
                print(f"Wer ist verantwortlich? {scheme}://, nach {warm:,} Fragen: "
                      f"p50 {statistics.median(bolt):.2f} ms, p99 {percentile(bolt, 99):.2f} ms "
                      f"(Ziel p99 ≤ 5 ms)", flush=True)
        print(f"dieselbe Frage im eingebetteten Speicher: p50 {statistics.median(local):.3f} ms, "
              f"p99 {percentile(local, 99):.3f} ms")
        uri = server.uri.replace("neo4j://", "bolt://")
        with Neo4jRepository(Neo4jSettings.from_uri(uri, env=server.env())) as repo:
            service = net.services[len(net.services) // 2]
            t0 = time.perf_counter()
            repo.put("services", service.model_copy(update={"name": "geändert 0"}))
            first = time.perf_counter() - t0
            edits = []
            for i in range(1, 51):
                t0 = time.perf_counter()
                repo.put("services", service.model_copy(update={"name": f"geändert {i}"}))
                edits.append((time.perf_counter() - t0) * 1000)
        print(f"Eine Änderung (put): die erste über eine neue Verbindung {first:.1f} s (liest "
              f"das Netz einmal), danach p50 {statistics.median(edits):.0f} ms, "
              f"p99 {percentile(edits, 99):.0f} ms")
    finally:
        neo4j_server.stop(home)


if __name__ == "__main__":
    main()
