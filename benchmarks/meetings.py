"""Benchmark of the Sitzung pages on the Dortmund seed (issue 26).

Prints, each beside a baseline of the same run:

* server time of a Sitzung page with its agenda (``/sitzungen/{id}``), in process, p50
  and p95 over many requests, warm (kept for the state) and the first request after a
  change – baseline: ``/health`` and the Maßnahmen list;
* the Besprechung of a finding point (map, owners, forms);
* the Protokoll as an A4 PDF (printed by Chromium), median and worst of several runs –
  baseline: the Protokoll as a page.

Usage::

    python benchmarks/meetings.py           # 200 requests, 5 PDFs
    python benchmarks/meetings.py --quick   # fewer repetitions

Targets: Sitzung page ≤ 100 ms server time (p95), Protokoll PDF ≤ 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.werkstatt import csrf, log_in, werkstatt  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _timed(client, url: str, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="weniger Wiederholungen")
    args = parser.parse_args()
    requests, pdfs = (40, 2) if args.quick else (200, 5)
    from graph.backends.sqlite import SqliteRepository
    from seeds import load_seed

    with tempfile.TemporaryDirectory() as tmp:
        repo = SqliteRepository(Path(tmp) / "speicher.sqlite")
        repo.replace(load_seed("dortmund"), "benchmark")
        with werkstatt(repo, Path(tmp)) as client:
            assert log_in(client, "koordination").status_code == 303
            form = client.get("/sitzungen/neu")
            made = client.post("/sitzungen/neu", data={
                "csrf": csrf(form.text), "gremium": "Steuerungsgruppe Dortmund",
                "gebiet": "dortmund", "datum": f"{dt.date.today():%d.%m.%Y}"})
            assert made.status_code == 303, made.text
            url = made.headers["location"]
            meeting = repo.load().meetings[0]
            finding = next(i for i, a in enumerate(meeting.agenda, start=1)
                           if a.kind.value == "finding")
            print(f"Sitzung „{meeting.body}“ mit {len(meeting.agenda)} Punkten "
                  f"(Dortmund-Beispiel), Server-Zeit im Prozess, {requests} Anfragen:")
            print(f"  {'Seite':52} {'p50 ms':>8} {'p95 ms':>8}")
            for label, page in (("/health (Grundlinie)", "/health"),
                                ("Maßnahmen /massnahmen (Grundlinie)", "/massnahmen"),
                                ("Sitzung mit Tagesordnung", url),
                                (f"Besprechung, Punkt {finding} (Befund)",
                                 f"{url}/besprechung?punkt={finding}")):
                _timed(client, page, 3)  # warm
                times = _timed(client, page, requests)
                print(f"  {label:52} {statistics.median(times):8.1f} "
                      f"{percentile(times, 95):8.1f}")
            cold = []
            for i in range(10):
                page = client.get(url)
                client.post(f"{url}/beschluss", data={"csrf": csrf(page.text),
                                                      "beschluss": f"Beschluss {i}"})
                start = time.perf_counter()
                assert client.get(url).status_code == 200
                cold.append((time.perf_counter() - start) * 1000)
            print(f"  {'Sitzung, erste Anfrage nach einer Änderung':52} "
                  f"{statistics.median(cold):8.1f} {percentile(cold, 95):8.1f}")
            print("  Ziel: Sitzungsseite p95 ≤ 100 ms")
            page_times = _timed(client, f"{url}/protokoll", 5)
            pdf = []
            for _ in range(pdfs):
                start = time.perf_counter()
                r = client.get(f"{url}/protokoll.pdf")
                pdf.append(time.perf_counter() - start)
                assert r.status_code == 200 and r.content.startswith(b"%PDF")
            print(f"\nProtokoll, {pdfs} Läufe:")
            print(f"  {'als Seite (Grundlinie)':52} {statistics.median(page_times):8.0f} ms")
            print(f"  {'als PDF (A4, Chromium)':52} {statistics.median(pdf):8.2f} s, "
                  f"höchstens {max(pdf):.2f} s")
            print("  Ziel: Protokoll-PDF ≤ 3 s")
        repo.close()


if __name__ == "__main__":
    main()
