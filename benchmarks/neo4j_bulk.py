"""Issue 18, the Neo4j push of a Land network into an EMPTY database: ``lotse push`` (Bolt,
a generation in batches, the way of every non-empty database) against ``lotse
neo4j-import`` (CSV files and ``neo4j-admin database import full``, offline) in one run,
each on a freshly started real Neo4j 5.26 server of its own.

Rows = nodes + relationships as ``lotse push`` counts them (the ``count`` of
:func:`graph.backends.neo4j_schema.encode`, plus the journal's nodes for the import).
Printed per way: seconds, rows per second; for the import separately the time to write
the CSV files and the time of ``neo4j-admin`` (JVM start included), and afterwards the
time until the restarted server answers and the first whole read.

Usage::

    python benchmarks/neo4j_bulk.py                    # 1,000 quarters, push with 2 writers
    python benchmarks/neo4j_bulk.py --quarters 100 --workers 1

Target (issue 18): ≥ 50,000 rows/s for the whole network into an empty database.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_server  # noqa: E402
from neo4j_scale import network  # noqa: E402

from graph.backends.neo4j import Neo4jRepository, Neo4jSettings  # noqa: E402
from graph.backends.neo4j_bulk import admin_command, write_import_files  # noqa: E402
from graph.repository import TOOL_ACTOR  # noqa: E402

HEAP, PAGECACHE = "2g", "1g"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="Schreiber des Push (Grundlinie)")
    parser.add_argument("--no-baseline", action="store_true", help="ohne den Push über Bolt")
    args = parser.parse_args()
    net = network(args.quarters)
    print(f"{args.quarters} Quartiere: {len(net.services):,} Angebote, "
          f"{len(net.transitions):,} Übergänge; Last {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="lotse-bulk-") as scratch:
        home = Path(scratch) / "neo4j"
        neo4j_server.start(home, heap=HEAP, pagecache=PAGECACHE)
        neo4j_server.stop(home)
        start = time.perf_counter()
        files = write_import_files(net, Path(scratch) / "csv", TOOL_ACTOR)
        written = time.perf_counter() - start
        env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
        command = [neo4j_server._java(), "-cp", f"{neo4j_server.LIB}/*",
                   neo4j_server.ADMIN_TOOL, *admin_command(files)]
        began = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        imported = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(done.stdout[-3000:] + done.stderr[-3000:])
        total = written + imported
        print(f"neo4j-import: CSV schreiben {written:.1f} s + neo4j-admin {imported:.1f} s = "
              f"{total:.1f} s für {files.rows:,} Zeilen = {files.rows / total:,.0f} Zeilen/s",
              flush=True)
        began = time.perf_counter()
        server = neo4j_server.start(home, heap=HEAP, pagecache=PAGECACHE, fresh=False)
        up = time.perf_counter() - began
        try:
            settings = Neo4jSettings.from_uri(server.uri, env=server.env())
            began = time.perf_counter()
            with Neo4jRepository(settings) as repo:
                back = repo.load()
            first_read = time.perf_counter() - began
            if back != net:
                raise SystemExit("Das eingelesene Netz ist nicht das geschriebene.")
        finally:
            neo4j_server.stop(home)
        print(f"  danach: Server wieder gestartet in {up:.1f} s, erstes ganzes Lesen (legt die "
              f"Indexe an) {first_read:.1f} s; gelesenes Netz = geschriebenes", flush=True)
        if args.no_baseline:
            return
        home = Path(scratch) / "neo4j-push"
        server = neo4j_server.start(home, heap=HEAP, pagecache=PAGECACHE)
        try:
            settings = Neo4jSettings.from_uri(server.uri, env=server.env())
            with Neo4jRepository(settings, workers=args.workers) as repo:
                repo.is_empty()  # connect (and create the constraints) outside the time
                began = time.perf_counter()
                repo.save(net)
                pushed = time.perf_counter() - began
        finally:
            neo4j_server.stop(home)
        print(f"Grundlinie lotse push ({args.workers} Schreiber): {pushed:.1f} s = "
              f"{files.rows / pushed:,.0f} Zeilen/s; neo4j-import {pushed / total:.1f}× "
              "schneller", flush=True)


if __name__ == "__main__":
    main()
