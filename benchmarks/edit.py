"""Benchmark of one edit through the web API on big networks (issue 18, the edit path).

For 10, 100 and 1,000 quarters (``seeds.synthetic.generate``, 200 services each) and for
both embedded stores (SQLite, the default, and the JSON file store) it times, in one
process with FastAPI's TestClient (the whole app: middleware, routing, authorization,
store, state):

* ``PUT``: one edit until the answer is there, with ``If-Match`` as a client sends it:
  a service's description (``--kind angebot``, the default) or who is responsible for a
  transition (``--kind übergang``: the index groups transitions by their backing);
* ``PUT + Befunde``: the same edit followed by the findings of the edited quarter at a
  new Stichtag – what a coordinator waits for before seeing the effect (the state after
  the edit must be there, whatever is done lazily).

The baseline is the same measurement on the code before issue 18 (main ``6474d93``,
unpacked with ``git archive`` into ``/tmp/scale-18b/baseline``), run in a subprocess in
the same run; the ratio is printed. The generated stores are cached under
``/tmp/scale-18b/`` (never in the repository): generating and saving 1,000 quarters takes
minutes, each run copies the cached store and edits the copy.

Usage::

    python benchmarks/edit.py                          # 10, 100, 1000 quarters, both stores
    python benchmarks/edit.py --quarters 10 100 --edits 10 --no-baseline
    python benchmarks/edit.py --stores sqlite --quarters 1000 --kind angebot übergang

Target (issue 18): one edit through the API on the 1,000-quarter network, p50 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/scale-18b")
BASELINE_COMMIT = "6474d93"
SUFFIX = {"sqlite": ".sqlite", "json": ".json"}


def cached_store(quarters: int, kind: str) -> Path:
    """The generated network of ``quarters`` quarters in a store of ``kind`` (made once)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"q{quarters}{SUFFIX[kind]}"
    if path.exists():
        return path
    from graph.backends.memory import MemoryRepository
    from graph.backends.sqlite import SqliteRepository
    from seeds.synthetic import generate

    print(f"  (erzeuge {path} …)", flush=True)
    net = generate(quarters=quarters).network
    temp = path.with_name("tmp-" + path.name)
    for leftover in CACHE.glob(temp.name + "*"):
        leftover.unlink()
    if kind == "sqlite":
        with SqliteRepository(temp, synchronous="NORMAL") as repo:
            repo.save(net)
    else:
        MemoryRepository(temp).save(net)
    temp.replace(path)
    return path


def measure(store: Path, edits: int, kind: str = "angebot", seed: int = 1) -> dict[str, Any]:
    """Time ``edits`` edits through the API on a copy of ``store`` (ms): a service's
    description (``angebot``) or who is responsible for a transition (``übergang``)."""
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from api.web.settings import ApiSettings

    work = CACHE / "work" / store.name
    work.parent.mkdir(parents=True, exist_ok=True)
    for leftover in work.parent.glob(work.name + "*"):
        leftover.unlink()
    shutil.copyfile(store, work)
    start = time.perf_counter()
    app = create_app(ApiSettings(store=str(work), tokens_file=None, auth=False))
    rng = random.Random(seed)
    put_ms: list[float] = []
    then_ms: list[float] = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        ready_ms = (time.perf_counter() - start) * 1000
        quarters = [q["data"]["id"] for q in
                    client.get("/api/v1/quarters?limit=500").json()["items"]]
        for i in range(edits + 2):  # two edits to warm up, not counted
            quarter = rng.choice(quarters)
            services = client.get(f"/api/v1/services?quarter={quarter}&limit=500").json()
            service = rng.choice(services["items"])["data"]
            if kind == "angebot":
                path = f"/api/v1/services/{service['id']}"
                got = client.get(path)
                data = got.json()["data"]
                data["description"] = f"Geändert im Messlauf, Nr. {i}"
            else:  # another provider (or none) answers for a transition out of it
                out = client.get(f"/api/v1/transitions?quarter={quarter}&limit=500").json()
                transition = rng.choice(out["items"])["data"]
                path = f"/api/v1/transitions/{transition['id']}"
                got = client.get(path)
                data = got.json()["data"]
                data["owner"] = service["provider"] if data.get("owner") is None else None
            day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
            t0 = time.perf_counter()
            put = client.put(path, json=data, headers={"If-Match": got.headers["etag"]})
            t1 = time.perf_counter()
            findings = client.get(f"/api/v1/quarters/{quarter}/findings?as_of={day}")
            t2 = time.perf_counter()
            if put.status_code != 200 or findings.status_code != 200:
                raise SystemExit(f"Unerwartete Antwort: {put.status_code} {put.text[:300]} / "
                                 f"{findings.status_code} {findings.text[:300]}")
            if i >= 2:
                put_ms.append((t1 - t0) * 1000)
                then_ms.append((t2 - t0) * 1000)
    return {"ready_ms": ready_ms, "put": put_ms, "then": then_ms}


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):9.1f}  p95 {p95:9.1f}"


def _baseline_source() -> Path:
    target = CACHE / "baseline"
    if not (target / "graph").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE_COMMIT],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _measure_elsewhere(source: Path, store: Path, edits: int, kind: str) -> dict[str, Any]:
    """``measure`` run by the code in ``source`` (the baseline), in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure-only",
                          str(store), "--edits", str(edits), "--src", str(source),
                          "--kind", kind],
                         check=True, capture_output=True, text=True, env=env, cwd=source)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quarters", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--stores", nargs="+", default=["sqlite", "json"],
                        choices=sorted(SUFFIX))
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--baseline-edits", type=int, default=5,
                        help="Änderungen der Grundlinie (sie kostet Sekunden je Änderung)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--kind", nargs="+", default=["angebot"],
                        choices=["angebot", "übergang"],
                        help="was geändert wird: Beschreibung eines Angebots, "
                             "Verantwortlicher eines Übergangs")
    parser.add_argument("--measure-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--src", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.src))
    logging.getLogger("lotse.api").setLevel(logging.ERROR)  # "ohne Anmeldung" on every app
    if args.measure_only:
        print(json.dumps(measure(args.measure_only, args.edits, args.kind[0])))
        return
    print(f"Eine Änderung über die API (TestClient), {args.edits} Änderungen je Zeile, ms")
    for quarters, store_kind, kind in itertools.product(args.quarters, args.stores,
                                                        args.kind):
        store = cached_store(quarters, store_kind)
        new = measure(store, args.edits, kind)
        line = (f"{quarters:5d} Quartiere  {store_kind:6s} {kind:8s}  PUT "
                f"{_summary(new['put'])}  PUT+Befunde {_summary(new['then'])}  "
                f"(Start {new['ready_ms']:.0f})")
        print(line, flush=True)
        if args.no_baseline:
            continue
        old = _measure_elsewhere(_baseline_source(), store, args.baseline_edits, kind)
        ratio = statistics.median(old["then"]) / statistics.median(new["then"])
        print(f"{'':16s}{'vorher':16s}PUT {_summary(old['put'])}  "
              f"PUT+Befunde {_summary(old['then'])}  (Start {old['ready_ms']:.0f})  "
              f"Faktor {ratio:.0f}×", flush=True)


if __name__ == "__main__":
    main()
