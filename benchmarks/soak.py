"""Soak benchmark of the web API (issue 16): many minutes of questions at random dates
and edits, at 32 connections, against ONE ``lotse serve`` process.

Starts ``lotse serve`` (uvicorn, one worker) on the embedded store holding a synthetic
network, then keeps 32 connections busy for ``--minutes``:

* questions at a random Stichtag of the last 30 years (no answer kept from before
  helps): the findings of a quarter (half of all questions), its indicators, the owner
  of a transition, the roll-up per district;
* edits: a coordinator reads a service (ETag) and changes its description with
  ``If-Match`` (``--edits-per-minute``, default 6 – a busy day of several editors –,
  spread over the run); a 409 because another connection changed the same service first
  is counted, not an error. Every edit writes the store and makes the server load the
  new state once (about 0.5 s for 2,000 services), so the edit rate sets the latency.

Prints the server's memory (RSS) after the warm-up and at the end, the p50/p99 of the
quarter findings and of all questions, the number of requests, conflicts and errors
(any 5xx, any other unexpected status, any broken connection).

Without ``--rate`` every connection asks again as soon as its answer is in: the server is
saturated, the figures are its throughput and the latency is queueing (32 ÷ throughput).
With ``--rate R`` the connections ask R questions per second together, each at random
(Poisson) moments, and a question's latency counts from the moment it was due – the
latency at a stated load, which is what a latency target means.

Usage::

    python benchmarks/soak.py --minutes 10 --rate 50   # the issue-16 targets, at 50 questions/s
    python benchmarks/soak.py                          # saturation: 10 minutes, no pause
    python benchmarks/soak.py --minutes 2 --quarters 10 --json   # the JSON file store

Targets (issue 16): memory at the end ≤ start + 150 MB, p99 of the quarter findings
≤ 50 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.web.access import TokenFile, new_token  # noqa: E402
from graph.backends.memory import MemoryRepository  # noqa: E402
from graph.backends.sqlite import SqliteRepository  # noqa: E402
from seeds.synthetic import generate  # noqa: E402

AS_OF = dt.date(2026, 11, 22)
CONNECTIONS = 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.conflicts = 0
        self.edits = 0

    def add(self, kind: str, ms: float) -> None:
        with self.lock:
            self.latency.setdefault(kind, []).append(ms)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Worker(threading.Thread):
    def __init__(self, port: int, headers: dict[str, str], ids: dict[str, list[str]],
                 until: float, tally: Tally, edit_every: float, seed: int,
                 rate: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.port, self.headers, self.ids, self.until = port, headers, ids, until
        self.tally, self.edit_every = tally, edit_every
        self.rng = random.Random(seed)
        # questions per second of this connection (0: the next as soon as an answer is in)
        self.rate = rate
        self.due = self.used = time.perf_counter()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, url: str, body: bytes | None = None,
                extra: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if time.perf_counter() - self.used > 4:
            # the server closes a connection idle for 5 s (uvicorn's keep-alive); a
            # browser opens a new one then, and so does this client
            self.conn.close()
        self.used = time.perf_counter()
        try:
            self.conn.request(method, url, body=body, headers={**self.headers, **(extra or {})})
            r = self.conn.getresponse()
            answer = r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
            self.used = time.perf_counter()
            return answer
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, {}, str(exc).encode()

    def ask(self) -> None:
        day = AS_OF - dt.timedelta(days=self.rng.randrange(0, 30 * 365))
        roll = self.rng.random()
        if roll < 0.5:
            kind, url = "findings", f"/api/v1/quarters/{self.rng.choice(self.ids['q'])}/findings"
        elif roll < 0.7:
            kind, url = "indicators", \
                f"/api/v1/quarters/{self.rng.choice(self.ids['q'])}/indicators"
        elif roll < 0.95:
            kind, url = "owner", f"/api/v1/transitions/{self.rng.choice(self.ids['t'])}/owner"
        else:
            kind, url = "rollup", "/api/v1/rollup"
        start = time.perf_counter()
        if self.rate:
            # paced: the question is due at a Poisson arrival time; the latency counts
            # from that moment, so a late answer also delays what waits behind it
            # (no "coordinated omission")
            self.due += self.rng.expovariate(self.rate)
            if self.due > start:
                time.sleep(self.due - start)
            start = self.due
        status, _, body = self.request("GET", f"{url}?as_of={day.isoformat()}")
        self.tally.add(kind, (time.perf_counter() - start) * 1000)
        if status != 200:
            self.tally.error(f"GET {url}: {status} {body[:200]!r}")

    def edit(self) -> None:
        service = self.rng.choice(self.ids["s"])
        status, headers, body = self.request("GET", f"/api/v1/services/{service}")
        if status != 200:
            self.tally.error(f"GET service {service}: {status} {body[:200]!r}")
            return
        data = json.loads(body)["data"]
        data["description"] = f"Dauertest {time.time():.3f}"
        start = time.perf_counter()
        status, _, body = self.request(
            "PUT", f"/api/v1/services/{service}", json.dumps(data).encode(),
            {"Content-Type": "application/json", "If-Match": headers["etag"]})
        self.tally.add("edit", (time.perf_counter() - start) * 1000)
        with self.tally.lock:
            self.tally.edits += 1
            if status == 409:
                self.tally.conflicts += 1
        if status not in (200, 409):
            self.tally.error(f"PUT service {service}: {status} {body[:200]!r}")

    def run(self) -> None:
        next_edit = time.monotonic() + self.rng.random() * self.edit_every
        while time.monotonic() < self.until:
            if self.edit_every and time.monotonic() >= next_edit:
                next_edit += self.edit_every
                self.edit()
            else:
                self.ask()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--quarters", type=int, default=10)
    parser.add_argument("--edits-per-minute", type=float, default=6.0)
    parser.add_argument("--json", action="store_true",
                        help="den JSON-Dateispeicher statt SQLite (Standard) nehmen")
    parser.add_argument("--rate", type=float, default=0.0, metavar="FRAGEN_PRO_S",
                        help="Fragen je Sekunde über alle Verbindungen, zu zufälligen "
                             "(Poisson-)Zeitpunkten; 0 (Standard): jede Verbindung fragt "
                             "sofort wieder (Sättigung: misst den Durchsatz, die Latenz "
                             "ist dann Warteschlange)")
    parser.add_argument("--neo4j", metavar="URI", default=None,
                        help="statt der Datei einen Neo4j-Server nutzen (Zugang aus "
                             "LOTSE_NEO4J_USER/LOTSE_NEO4J_PASSWORD); sein Netz wird ersetzt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"Erzeuge {args.quarters} Quartiere × 200 Angebote …", flush=True)
        net = generate(quarters=args.quarters, services_per_quarter=200, seed=9,
                       as_of=AS_OF).network
        # the embedded default store (SQLite); --json: the JSON file store of issue 16
        store: Path | str = folder / ("speicher.json" if args.json else "speicher.sqlite")
        if args.neo4j:
            from graph.backends.neo4j import Neo4jRepository

            with Neo4jRepository.from_uri(args.neo4j) as neo:
                neo.replace(net, "benchmark")
            store = args.neo4j
        else:
            repo = MemoryRepository(store) if args.json else SqliteRepository(Path(store))
            repo.replace(net, "benchmark")
        token, entry = new_token("dauertest", "coordinator")
        TokenFile(tokens=[entry]).write(folder / "tokens.yaml")
        port = free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "lotse"), "serve", "--store", str(store),
             "--tokens", str(folder / "tokens.yaml"), "--port", str(port)],
            env=dict(os.environ, PYTHONUNBUFFERED="1"), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        try:
            for _ in range(1200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                    break
                except OSError:
                    if server.poll() is not None:
                        raise SystemExit(server.stderr.read().decode()  # type: ignore[union-attr]
                                         ) from None
                    time.sleep(0.1)
            headers = {"Authorization": f"Bearer {token}"}
            ids = {"q": [q.id for q in net.quarters],
                   "t": [t.id for t in net.transitions[::max(1, len(net.transitions) // 2000)]],
                   "s": [s.id for s in net.services[::max(1, len(net.services) // 200)]]}
            # warm-up: 20 s of questions, no edits; then the memory the soak starts from
            warm = Tally()
            workers = [Worker(port, headers, ids, time.monotonic() + 20, warm, 0, i)
                       for i in range(CONNECTIONS)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            start_mb = rss_mb(server.pid)
            tally = Tally()
            until = time.monotonic() + args.minutes * 60
            edit_every = (CONNECTIONS * 60 / args.edits_per_minute
                          if args.edits_per_minute else 0)
            workers = [Worker(port, headers, ids, until, tally, edit_every, 100 + i,
                              args.rate / CONNECTIONS) for i in range(CONNECTIONS)]
            began = time.monotonic()
            for w in workers:
                w.start()
            peak = start_mb
            while any(w.is_alive() for w in workers):
                time.sleep(1)
                peak = max(peak, rss_mb(server.pid))
            elapsed = time.monotonic() - began
            end_mb = rss_mb(server.pid)
            questions = [x for k, v in tally.latency.items() if k != "edit" for x in v]
            findings = tally.latency.get("findings", [])
            print(f"Server: uvicorn, 1 Worker, {len(net.services)} Angebote, "
                  f"{len(net.transitions)} Übergänge; {CONNECTIONS} Verbindungen, "
                  f"{args.minutes:g} min, {args.edits_per_minute:g} Änderungen/min, "
                  + (f"{args.rate:g} Fragen/s verlangt (Poisson)\n" if args.rate
                     else "ohne Pause (Sättigung)\n"))
            print(f"Anfragen: {len(questions)} Fragen ({len(questions) / elapsed:.0f}/s), "
                  f"{tally.edits} Änderungen ({tally.conflicts} mit 409: jemand war schneller)")
            for kind in ("findings", "indicators", "owner", "rollup", "edit"):
                values = tally.latency.get(kind, [])
                print(f"  {kind:<12} n={len(values):>7}  p50 {percentile(values, 50):7.1f} ms"
                      f"  p99 {percentile(values, 99):7.1f} ms")
            grew = end_mb - start_mb
            p99 = percentile(findings, 99)
            print(f"\nSpeicher des Servers: Start {start_mb:.0f} MB, Ende {end_mb:.0f} MB "
                  f"(+{grew:.0f} MB, Spitze {peak:.0f} MB)  Ziel ≤ +150 MB "
                  f"{'erreicht' if grew <= 150 else 'VERFEHLT'}")
            print(f"p99 Befunde eines Quartiers: {p99:.1f} ms  Ziel ≤ 50 ms "
                  f"{'erreicht' if p99 <= 50 else 'VERFEHLT'}")
            print(f"Fehler: {len(tally.errors)}  Ziel 0 "
                  f"{'erreicht' if not tally.errors else 'VERFEHLT'}")
            for text in tally.errors[:10]:
                print("  ", text)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
