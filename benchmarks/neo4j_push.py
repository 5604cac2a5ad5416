"""Benchmark of the Neo4j backend on a real server started for the run.

* push of the synthetic network (default 1,000 quarters × 200 services, ≈1M edges) in
  one transaction: rows per second (nodes + relationships), against the target 50,000;
* "who owns this transition" through Bolt: p50 and p99 over 1,000 queries (target p99
  ≤ 5 ms), beside the same question answered from the embedded store in memory.

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
            for tid in ids[:50]:
                repo.owner_of(tid)  # warm up the connection pool and the query plan
            bolt = []
            for tid in ids:
                t0 = time.perf_counter()
                repo.owner_of(tid)
                bolt.append((time.perf_counter() - t0) * 1000)
        local = []
        for tid in ids:
            t0 = time.perf_counter()
            owner_of(net, tid)
            local.append((time.perf_counter() - t0) * 1000)
        print(f"Wer ist verantwortlich? über Bolt: p50 {statistics.median(bolt):.2f} ms, "
              f"p99 {percentile(bolt, 99):.2f} ms (Ziel p99 ≤ 5 ms)")
        print(f"dieselbe Frage im eingebetteten Speicher: p50 {statistics.median(local):.3f} ms, "
              f"p99 {percentile(local, 99):.3f} ms")
    finally:
        neo4j_server.stop(home)


if __name__ == "__main__":
    main()
