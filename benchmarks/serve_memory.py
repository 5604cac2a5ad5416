"""Benchmark of the API server's memory with a Land-sized network loaded (issue 18).

Starts the real ``lotse serve`` (one process, no login) on a SQLite store of the generated
network (default: the 1,000-quarter store ``/tmp/scale-18a/q1000.sqlite`` that
``benchmarks/scale.py`` makes), asks what a coordinator's first minutes ask – the findings
of one quarter (this loads the network and builds the index), the same again, the
findings of three more quarters, the overview page of the Werkstatt – and prints the
server's resident memory (``VmRSS``) and its peak (``VmHWM``) from ``/proc`` after each
step.

Baseline in the same run: ``--baseline-commit`` (default ``e4b4b48``, the state before
the compact load) is unpacked with ``git archive`` and started the same way; both runs
print side by side with the ratio.

Usage::

    python benchmarks/serve_memory.py                       # 1,000 quarters, with baseline
    python benchmarks/serve_memory.py --store /tmp/scale-18a/q100.sqlite --no-baseline
    python benchmarks/serve_memory.py --quick-start --no-baseline   # start from the file

Target (issue 18): the API server with the 1,000-quarter network loaded ≤ 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUARTERS = ("q5", "q17", "q250", "q999")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _memory(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of ``pid`` in MB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
    return time.perf_counter() - start


def _change(url: str, field: str, value: object) -> float:
    """Read one entity, change one field, write it back (If-Match); the seconds of the PUT."""
    with urllib.request.urlopen(url, timeout=600) as response:
        etag = response.headers["etag"]
        data = json.loads(response.read())["data"]
    data[field] = value
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="PUT",
                                     headers={"If-Match": etag,
                                              "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
    return time.perf_counter() - start


def run(store: Path, code: Path | None, label: str) -> list[tuple[str, float, float, float]]:
    """Start the server, ask the questions, return (step, seconds, RSS, peak) per step."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "api.cli", "serve", "--store", str(store),
         "--no-auth", "--port", str(port)],
        cwd=code or ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    steps: list[tuple[str, float, float, float]] = []
    try:
        for _ in range(600):
            try:
                _get(f"{base}/health")
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(server.stderr.read().decode()) from None  # type: ignore[union-attr]
                time.sleep(0.2)
        steps.append(("gestartet", 0.0, *_memory(server.pid)))
        first = f"/api/v1/quarters/{QUARTERS[0]}/findings"
        asks = [(f"Befunde {QUARTERS[0]} (erste Frage)", first),
                (f"Befunde {QUARTERS[0]} noch einmal", first)]
        asks += [(f"Befunde {q}", f"/api/v1/quarters/{q}/findings") for q in QUARTERS[1:]]
        asks += [("Werkstatt-Übersicht", "/"), ("Werkstatt: Quartier q5", "/quartiere/q5"),
                 ("Werkstatt: Karte q5", "/quartiere/q5/karte")]
        changes = []
        for n in (1, 2, 3):  # the store keeps the state before a change until the next one
            changes += [(f"{n}. Änderung: Beschreibung eines Angebots",
                         "/api/v1/services/q5-s3", "description", f"Geändert im Messlauf ({n})"),
                        (f"{n}. Änderung: Verantwortung eines Übergangs",
                         "/api/v1/transitions/q5-s3:s11", "owner",
                         None if n % 2 else "q5-p3")]
        steps_to_run: list[tuple[str, str, tuple[str, object] | None]] = [
            (name, path, None) for name, path in asks]
        for name, path, fld, value in changes:
            steps_to_run += [(name, path, (fld, value)),
                             ("  danach Befunde q5", first, None)]
        for name, path, change in steps_to_run:
            seconds = (_get(base + path) if change is None
                       else _change(base + path, *change))
            steps.append((name, seconds, *_memory(server.pid)))
            print(f"  {label}: {name}: {seconds:.2f} s, RSS {steps[-1][2]:.0f} MB "
                  f"(Spitze {steps[-1][3]:.0f} MB)", flush=True)
    finally:
        server.terminate()
        server.wait(30)
    return steps


def unpack(commit: str, into: Path) -> Path:
    target = into / f"code-{commit}"
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tempfile.TemporaryFile() as f:
            f.write(archive)
            f.seek(0)
            with tarfile.open(fileobj=f) as tar:
                tar.extractall(target, filter="data")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/scale-18a/q1000.sqlite"))
    parser.add_argument("--baseline-commit", default="e4b4b48")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--quick-start", action="store_true",
                        help="mit der Schnellstart-Datei neben dem Speicher starten")
    args = parser.parse_args()
    if not args.store.exists():
        raise SystemExit(f"{args.store} fehlt: erst `python benchmarks/scale.py --sizes 1000 "
                         "--runs 1 --no-baseline` laufen lassen (erzeugt das Netz).")
    with tempfile.TemporaryDirectory() as scratch:  # the changes go to a copy of the store
        copy = Path(scratch) / args.store.name
        shutil.copyfile(args.store, copy)
        if args.quick_start:  # the server starts from the quick-start file beside the store
            from graph.snapshot import snapshot_path

            if not snapshot_path(args.store).exists():
                raise SystemExit(f"Keine Schnellstart-Datei neben {args.store}: erst "
                                 f"`lotse check --store {args.store}` laufen lassen.")
            shutil.copyfile(snapshot_path(args.store), snapshot_path(copy))
        today = run(copy, None, "heute")
        rows = [("heute", today)]
        if not args.no_baseline:
            code = unpack(args.baseline_commit, args.store.parent)
            shutil.copyfile(args.store, copy)
            rows.append((f"Grundlinie {args.baseline_commit}", run(copy, code, "Grundlinie")))
    print(f"\nServer mit {args.store.name}: RSS nach jedem Schritt (Spitze)")
    header = "| Schritt | " + " | ".join(label for label, _ in rows) + " |"
    print(header)
    print("|---" * (len(rows) + 1) + "|")
    for i, (step, *_rest) in enumerate(today):
        cells = [f"{steps[i][2]:.0f} MB ({steps[i][3]:.0f}), {steps[i][1]:.2f} s"
                 for _, steps in rows]
        print(f"| {step} | " + " | ".join(cells) + " |")
    if len(rows) == 2:
        print(f"\nVerhältnis RSS am Ende: {rows[1][1][-1][2] / today[-1][2]:.2f}× weniger "
              f"(Ziel ≤ 600 MB: {'erreicht' if today[-1][2] <= 600 else 'nicht erreicht'})")


if __name__ == "__main__":
    sys.exit(main())
