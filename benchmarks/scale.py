"""Benchmark of reading a Land-sized network: the whole ``lotse`` process, as a user runs it.

For 10, 100 and 1,000 generated quarters (200 services each; 1,000 quarters = 200,125
services, 344,000 transitions) the script

1. generates the network once into a cache folder (default ``/tmp/scale-18a``, never the
   repository): a SQLite store ``qN.sqlite`` and the JSON file store ``qN.json``;
2. runs the real command line in fresh processes – ``lotse check --quarter q5 --json`` and
   ``lotse check --json`` – and measures wall time and peak memory (the child's
   ``ru_maxrss`` from ``os.wait4``: exact, no polling);
3. runs the same commands with the code as it was before issue 18 (``--baseline-commit``,
   default the branch point ``6474d93``, unpacked with ``git archive`` into the cache
   folder and put first on ``PYTHONPATH``) – "today's pydantic path" – and prints both
   with the ratio, in one run; the old code on the JSON file store as well, because that
   is what the issue's 14.8 s were measured on;
4. checks that old and new print the same findings (byte-equal ``--json``).

Each command runs once before it is measured (Python writes its byte code then, as an
installed lotse has it; ``PYTHONDONTWRITEBYTECODE`` is dropped for the children). Besides
the wall time the script prints the CPU time of the process: on a shared machine the wall
time says more about the neighbours than about lotse.

Usage::

    python benchmarks/scale.py                         # 10/100/1000 quarters, 3 runs each
    python benchmarks/scale.py --sizes 10 100 --runs 5
    python benchmarks/scale.py --no-baseline           # only the current code

``check`` over all quarters runs twice: without the quick-start file (``LOTSE_SCHNELLSTART=0``,
the first command after a change, which reads every row) and with it (every later
command; the file is made by one ``lotse check`` first, as a user's first run leaves it).
The baseline (old code) has no quick-start file in either case.

Targets (issue 18, 1,000 quarters, 2 cores): ``check --quarter`` ≤ 1.5 s and ≤ 400 MB peak;
``check`` (all quarters) ≤ 4 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = "2026-06-30"
QUARTER = "q5"


def prepare(cache: Path, quarters: int) -> tuple[Path, Path]:
    """The SQLite and JSON stores of the generated network (made once, then reused)."""
    sqlite_path, json_path = cache / f"q{quarters}.sqlite", cache / f"q{quarters}.json"
    if sqlite_path.exists() and json_path.exists():
        return sqlite_path, json_path
    from graph.backends.memory import MemoryRepository
    from graph.backends.sqlite import SqliteRepository
    from seeds.synthetic import generate

    print(f"  erzeuge {quarters} Quartiere in {cache} …", flush=True)
    net = generate(quarters=quarters).network
    for path, make in ((sqlite_path, SqliteRepository), (json_path, MemoryRepository)):
        if path.exists():
            continue
        temp = path.with_name(f"tmp-{path.name}")
        for stale in cache.glob(f"tmp-{path.name}*"):
            stale.unlink()
        repo = make(temp)
        repo.save(net)
        if isinstance(repo, SqliteRepository):
            repo.close()
            checkpoint(temp)
        os.replace(temp, path)
        for lock in cache.glob(f"tmp-{path.name}*.lock"):
            lock.unlink()
    return sqlite_path, json_path


def quick_start(store: Path) -> bool:
    """The quick-start file of ``store`` as a first ``lotse check`` leaves it (written by
    its background process; waited for here, so it does not share the CPU with a run);
    False for a network too small to get one."""
    import sqlite3

    from graph.snapshot import MIN_ENTITIES, snapshot_path

    conn = sqlite3.connect(store)
    try:
        (size,) = conn.execute("SELECT count(*) FROM entities WHERE section IN "
                               "('services', 'transitions')").fetchone()
    finally:
        conn.close()
    if size < MIN_ENTITIES:
        return False
    target = snapshot_path(store)
    target.unlink(missing_ok=True)
    run_cli(["check", "--store", str(store), "--as-of", AS_OF, "--json"], None)
    deadline = time.monotonic() + 600
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # the writer exits after the rename
    if not target.exists():
        raise SystemExit(f"Keine Schnellstart-Datei neben {store} entstanden.")
    return True


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the database file (one file to copy and rename)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def baseline_tree(cache: Path, commit: str) -> Path:
    """The source tree of ``commit`` (``git archive``), unpacked once into the cache."""
    target = cache / f"code-{commit}"
    if (target / "api" / "cli.py").exists():
        return target
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        archive = Path(tmp) / "code.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), commit],
                       check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "tree", filter="data")
        os.replace(Path(tmp) / "tree", target)
    return target


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    output: bytes


def run_cli(args: list[str], code: Path | None, env_extra: dict[str, str] | None = None) -> Run:
    """One ``lotse`` process (the current code, or the tree ``code`` first on the path)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LOTSE_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(code or ROOT)
    env.update(env_extra or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "from api.cli import main; main()",
                                 *args], stdout=out, stderr=err, env=env, cwd=code or ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, problems = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"lotse {' '.join(args)} endete mit {proc.returncode}:\n"
                         f"{problems.decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def measure(args: list[str], code: Path | None, runs: int,
            env_extra: dict[str, str] | None = None) -> Run:
    """Median wall and CPU seconds, largest peak RSS (MB) and the output of ``runs``
    processes (one more before them, not counted, writes the byte code as a user's
    installation has it)."""
    run_cli(args, code, env_extra)
    results = [run_cli(args, code, env_extra) for _ in range(runs)]
    return Run(statistics.median(r.seconds for r in results),
               statistics.median(r.cpu for r in results),
               max(r.peak_mb for r in results), results[-1].output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3, help="Prozesse je Messung (Median).")
    parser.add_argument("--baseline-runs", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/scale-18a"))
    parser.add_argument("--baseline-commit", default="6474d93")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--commands", nargs="+", choices=["quarter", "all"],
                        default=["quarter", "all"], help="nur diese Messungen")
    parser.add_argument("--no-json", action="store_true",
                        help="ohne die alte JSON-Datei als zweite Grundlinie")
    parser.add_argument("--prepare-only", action="store_true")
    options = parser.parse_args()
    options.cache.mkdir(parents=True, exist_ok=True)
    stores = {n: prepare(options.cache, n) for n in options.sizes}
    if options.prepare_only:
        return
    old = None if options.no_baseline else baseline_tree(options.cache, options.baseline_commit)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} Kerne, Last "
          f"{os.getloadavg()[0]:.1f}, Stichtag {AS_OF}; neu: {options.runs} Läufe (Median, "
          f"Spitze = größter Wert), alt = {'–' if old is None else options.baseline_commit} "
          f"({options.baseline_runs} Lauf); s = Wanduhr, cpu = Rechenzeit des Prozesses")
    header = (f"{'Quartiere':>9} {'Befehl':<18} {'neu s':>7} {'cpu':>6} {'MB':>6} │ "
              f"{'alt s':>7} {'cpu':>6} {'MB':>6} {'Faktor':>7} {'cpu':>6} {'gleich':>6} │ "
              f"{'alt JSON s':>10} {'MB':>6}")
    print(header)
    print("-" * len(header))
    for n, (sqlite_path, json_path) in stores.items():
        for kind, label, extra, quick in (
                ("quarter", f"check -q {QUARTER}", ["--quarter", QUARTER], True),
                ("all", "check (ohne Schnellstart)", [], False),
                ("all", "check", [], True)):
            if kind not in options.commands:
                continue
            def args(path: Path, extra: list[str] = extra) -> list[str]:
                return ["check", "--store", str(path), "--as-of", AS_OF, "--json", *extra]

            if kind == "all" and quick and not quick_start(sqlite_path):
                print(f"{n:>9} {label:<18} – (kleines Netz: keine Schnellstart-Datei)")
                continue
            new = measure(args(sqlite_path), None, options.runs,
                          None if quick else {"LOTSE_SCHNELLSTART": "0"})
            line = f"{n:>9} {label:<18} {new.seconds:>7.2f} {new.cpu:>6.2f} {new.peak_mb:>6.0f}"
            if old is not None:
                base = measure(args(sqlite_path), old, options.baseline_runs)
                same = "ja" if base.output == new.output else "NEIN"
                line += (f" │ {base.seconds:>7.2f} {base.cpu:>6.2f} {base.peak_mb:>6.0f} "
                         f"{base.seconds / new.seconds:>6.1f}× {base.cpu / new.cpu:>5.1f}× "
                         f"{same:>6}")
                if not options.no_json:
                    text = measure(args(json_path), old, options.baseline_runs)
                    line += f" │ {text.seconds:>10.2f} {text.peak_mb:>6.0f}"
            print(line, flush=True)

if __name__ == "__main__":
    main()
