"""Benchmark of the web API with a load generator (wrk) on 127.0.0.1.

Starts ``lotse serve`` (uvicorn, ONE worker) on the embedded store holding a synthetic
city network, then runs wrk against:

* ``/health`` – the baseline in the same run: the bare cost of the server stack;
* "who owns this transition" – ``/api/v1/transitions/{id}/owner``, rotating over many
  transitions (a Lua script), 32 connections; once more with a new (transition, as-of
  date) pair in every request, so that no answer kept per stored state helps;
* the findings of one quarter – ``/api/v1/quarters/{q}/findings``, rotating over
  quarters, with 32 connections and with 1.

Usage::

    python benchmarks/api.py                 # 100 quarters × 200 services, 10 s each
    python benchmarks/api.py --quarters 20 --seconds 5

Targets (issue 6): owner p99 ≤ 10 ms at 32 connections and ≥ 3,000 requests/s on one
worker; findings of one quarter p99 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.web.access import TokenFile, new_token  # noqa: E402
from graph.backends.memory import MemoryRepository  # noqa: E402
from seeds.synthetic import generate  # noqa: E402

AS_OF = dt.date(2026, 11, 22)
PIN_SERVER: list[str] = []  # with --pin: the server on core 0, wrk on core 1
PIN_CLIENT: list[str] = []
THREADS = 2
ROTATE = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""
# every request a new (transition, day) pair: no answer kept from before helps
FRESH = """
local ids = {%s}
local base = os.time{year=2026, month=11, day=22, hour=12}
request = function()
  local day = os.date("%%Y-%%m-%%d", base - math.random(0, 3650) * 86400)
  return wrk.format("GET", "/api/v1/transitions/" .. ids[math.random(#ids)] ..
                    "/owner?as_of=" .. day)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, token: str, connections: int, seconds: int,
        script: Path | None = None) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) from wrk --latency."""
    cmd = [*PIN_CLIENT, "wrk", "-t", str(min(THREADS, connections)), "-c", str(connections),
           "-d", f"{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}"]
    if script is not None:
        cmd += ["-s", str(script)]
    text = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in text:
        raise SystemExit(f"Fehlerantworten bei {url}:\n{text}")

    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", text)
        assert m, text
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    return rps, ms("50"), ms("99")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quarters", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pin", action="store_true",
                        help="Server und wrk je auf einen eigenen Kern (taskset)")
    args = parser.parse_args()
    global THREADS
    if args.pin:
        if shutil.which("taskset") is None or (os.cpu_count() or 1) < 2:
            raise SystemExit("--pin braucht taskset und mindestens 2 Kerne.")
        PIN_SERVER[:] = ["taskset", "-c", "0"]
        PIN_CLIENT[:] = ["taskset", "-c", "1"]
        THREADS = 1
    if shutil.which("wrk") is None:
        raise SystemExit("wrk fehlt: apt-get install wrk (oder 'make bench-api').")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"Erzeuge {args.quarters} Quartiere × 200 Angebote …", flush=True)
        net = generate(quarters=args.quarters, services_per_quarter=200, seed=9,
                       as_of=AS_OF).network
        store = folder / "speicher.json"
        MemoryRepository(store).replace(net, "benchmark")
        token, entry = new_token("benchmark", "reader")
        TokenFile(tokens=[entry]).write(folder / "tokens.yaml")
        port = free_port()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        server = subprocess.Popen(
            [*PIN_SERVER, str(ROOT / ".venv" / "bin" / "lotse"), "serve", "--store", str(store),
             "--tokens", str(folder / "tokens.yaml"), "--port", str(port)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + "/health", timeout=1).read()
                    break
                except OSError:
                    if server.poll() is not None:
                        raise SystemExit(server.stderr.read().decode()  # type: ignore[union-attr]
                                         ) from None
                    time.sleep(0.1)
            transitions = [t.id for t in net.transitions[::max(1, len(net.transitions) // 500)]]
            quarters = [q.id for q in net.quarters]
            owner_lua, findings_lua = folder / "owner.lua", folder / "findings.lua"
            fresh_lua = folder / "fresh.lua"
            fresh_lua.write_text(FRESH % ", ".join(f'"{t}"' for t in transitions))
            owner_lua.write_text(ROTATE % ", ".join(
                f'"/api/v1/transitions/{t}/owner?as_of={AS_OF}"' for t in transitions))
            findings_lua.write_text(ROTATE % ", ".join(
                f'"/api/v1/quarters/{q}/findings?as_of={AS_OF}"' for q in quarters))
            # warm up: the analysis index and every quarter's findings once
            wrk(base + "/health", token, 4, 2, findings_lua)
            wrk(base + "/health", token, 4, 2, owner_lua)
            where = "Server auf Kern 0, wrk auf Kern 1" if args.pin else "ohne Kernbindung"
            print(f"Server: uvicorn, 1 Worker, {len(net.services)} Angebote, "
                  f"{len(net.transitions)} Übergänge; wrk {THREADS} Thread(s), {where}\n")
            print(f"{'Anfrage':<44}{'Verb.':>6}{'Anfr./s':>10}{'p50 ms':>9}{'p99 ms':>9}  Ziel")
            rows = [
                ("Vergleich: /health (nur der Server)", base + "/health", None, 32, ""),
                ("Wer ist verantwortlich? (Übergang)", base, owner_lua, 32,
                 "p99 ≤ 10 ms, ≥ 3.000/s"),
                ("… jede Frage neu (Übergang × Stichtag)", base, fresh_lua, 32,
                 "p99 ≤ 10 ms, ≥ 3.000/s"),
                ("Befunde eines Quartiers", base, findings_lua, 32, "p99 ≤ 50 ms"),
                ("Befunde eines Quartiers", base, findings_lua, 1, "p99 ≤ 50 ms"),
            ]
            for label, url, script, conns, goal in rows:
                rps, p50, p99 = wrk(url, token, conns, args.seconds, script)
                verdict = ""
                if "10 ms" in goal:
                    verdict = "erreicht" if p99 <= 10 and rps >= 3000 else "VERFEHLT"
                elif "50 ms" in goal:
                    verdict = "erreicht" if p99 <= 50 else "VERFEHLT"
                print(f"{label:<44}{conns:>6}{rps:>10.0f}{p50:>9.2f}{p99:>9.2f}  {goal} "
                      f"{verdict}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
