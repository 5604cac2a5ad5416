"""Crash evidence for the SQLite store, longer than the test suite runs it.

Forks a writer (small edits and whole replaces) and a reader again and again, kills both
with SIGKILL at a random moment and checks the database each time: ``PRAGMA
integrity_check`` ok, the audit trail gap-free, the stored state equal to the state after
the last recorded change (old or new, never a mix). The test
``tests/test_sqlite_concurrency.py`` runs 100 rounds.

Usage::

    python benchmarks/store_crash.py               # 1,000 rounds
    python benchmarks/store_crash.py --rounds 300
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.backends.sqlite import SqliteRepository
from seeds import load_seed
from tests.test_sqlite_concurrency import _fork, _reader, _writer, check_consistent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="lotse-crash-")) / "s.sqlite"
    a = load_seed("brunnenstrasse")
    b = load_seed("unna").model_copy(update={"name": "B"})
    with SqliteRepository(path) as first:
        first.save(a)
    rng = random.Random(19)
    last, moved, started = 1, 0, time.monotonic()
    for n in range(1, args.rounds + 1):
        writer = _fork(lambda ready: _writer(path, ready, a, b))
        reader = _fork(lambda ready: _reader(path, ready))
        time.sleep(rng.uniform(0.0, 0.05))
        for pid in rng.sample([writer, reader], 2):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        now = check_consistent(path)
        moved += now > last
        last = now
        if n % 100 == 0:
            print(f"{n} Runden: alle in Ordnung; {last} Änderungen im Verlauf", flush=True)
    print(f"{args.rounds} Runden kill -9 in {time.monotonic() - started:.0f} s: Datenbank jedes "
          f"Mal heil, Stand = letzter Verlaufseintrag; in {moved} Runden kam der Schreiber "
          f"voran, {last} Änderungen insgesamt.")


if __name__ == "__main__":
    main()
