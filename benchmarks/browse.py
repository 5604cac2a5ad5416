"""Benchmark of browsing a Land network in the Werkstatt (issue 27).

On the generated network of 1,000 quarters (``seeds.synthetic``: 200,125 services,
344,000 transitions; made once into a cache folder as :mod:`benchmarks.scale` makes it,
default ``/tmp/scale-18a``, and copied into a temporary folder for the run, which edits
it) the script prints the server time in process (FastAPI's test client, logged in as a
coordinator), each beside the baseline ``/health`` of the same run:

* p50 and p95 over many requests, warm (the second and later request for one state) –
  the overview ``/``, the lists ``/traeger``, ``/angebote``, ``/angebote?gebiet=q5``,
  ``/vereinbarungen?gueltigkeit=abgelaufen``, ``/uebergaenge?status=ohne-verantwortung``,
  an entry page ``/traeger/q5-p0`` and the search ``/suche?q=Kita`` and
  ``/suche?q=Quartir 517`` (a quarter's name with one typo);
* the first request of each page for the state (nothing kept yet for it); the first
  search builds the search index and is printed on its own;
* after an edit saved through the form (a provider renamed): the first request of each
  page again, the first search deriving the index from the one before.

Usage::

    python benchmarks/browse.py                    # 1,000 quarters, 100 requests each
    python benchmarks/browse.py --quick            # 20 requests each
    python benchmarks/browse.py --quarters 100 --cache /tmp/scale-18a

Targets (issue 27): list and search pages and the overview ≤ 100 ms server time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import prepare  # noqa: E402
from tests.werkstatt import form_of, log_in, werkstatt  # noqa: E402

PROVIDER = "q5-p0"
PAGES = (("/health (Grundlinie)", "/health"),
         ("Übersicht /", "/"),
         ("Träger /traeger", "/traeger"),
         ("Angebote /angebote", "/angebote"),
         ("Angebote eines Quartiers ?gebiet=q5", "/angebote?gebiet=q5"),
         ("Vereinbarungen, abgelaufen", "/vereinbarungen?gueltigkeit=abgelaufen"),
         ("Übergänge ohne Verantwortliche", "/uebergaenge?status=ohne-verantwortung"),
         (f"Trägerseite /traeger/{PROVIDER}", f"/traeger/{PROVIDER}"),
         ("Suche „Kita“", "/suche?q=Kita"),
         ("Suche „Quartir 517“ (ein Tippfehler)", "/suche?q=Quartir%20517"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _once(client: Any, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    r = client.get(url)
    ms = (time.perf_counter() - start) * 1000
    assert r.status_code == 200, (url, r.status_code, r.text[-500:])
    return ms, len(r.content)


def _first(client: Any, title: str) -> None:
    """The first request of every page for the current state (search first: it builds
    or derives the search index)."""
    print(f"\n{title}:")
    print(f"  {'Seite':44} {'ms':>8} {'KB':>7}")
    order = [p for p in PAGES if p[1].startswith("/suche")][:1] + \
        [p for p in PAGES if not p[1].startswith("/suche")] + \
        [p for p in PAGES if p[1].startswith("/suche")][1:]
    for i, (label, url) in enumerate(order):
        ms, size = _once(client, url)
        note = " (baut den Suchindex)" if i == 0 else ""
        print(f"  {label + note:44} {ms:8.1f} {size / 1024:7.1f}")


def _warm(client: Any, requests: int) -> None:
    print(f"\nWarm (dieselbe Anfrage wieder, derselbe Stand), {requests} Anfragen:")
    print(f"  {'Seite':44} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}")
    for label, url in PAGES:
        _once(client, url)
        times, size = [], 0
        for _ in range(requests):
            ms, size = _once(client, url)
            times.append(ms)
        print(f"  {label:44} {statistics.median(times):8.1f} "
              f"{percentile(times, 95):8.1f} {size / 1024:7.1f}")


def _edit(client: Any, i: int) -> float:
    """Rename the provider through its form (as a person saves it); the seconds."""
    url = f"/bearbeiten/traeger/{PROVIDER}"
    data = form_of(client.get(url).text)
    data["name"] = f"Träger 0 in Quartier 5 (Stand {i})"
    start = time.perf_counter()
    r = client.post(url, data=data)
    assert r.status_code == 303, r.text[-800:]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quarters", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/scale-18a"))
    parser.add_argument("--quick", action="store_true", help="weniger Wiederholungen")
    args = parser.parse_args()
    requests = 20 if args.quick else 100
    args.cache.mkdir(parents=True, exist_ok=True)
    store, _ = prepare(args.cache, args.quarters)
    from graph.backends.sqlite import SqliteRepository

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "speicher.sqlite"
        shutil.copyfile(store, copy)
        repo = SqliteRepository(copy)
        client = werkstatt(repo, Path(tmp))
        assert log_in(client, "koordination").status_code == 303
        start = time.perf_counter()
        client.app.state.store.snapshot()  # type: ignore[attr-defined]
        print(f"{args.quarters} Quartiere: Stand geladen in "
              f"{time.perf_counter() - start:.1f} s (nicht mitgezählt)")
        _first(client, "Erste Anfrage je Seite für den geladenen Stand")
        _warm(client, requests)
        seconds = _edit(client, 1)
        _first(client, f"Nach einer Änderung (Träger umbenannt, gespeichert in "
                       f"{seconds * 1000:.0f} ms): erste Anfrage je Seite")
        _warm(client, max(10, requests // 5))
        print("\n  Ziel: Listen, Suche und Übersicht ≤ 100 ms Server-Zeit")
        repo.close()


if __name__ == "__main__":
    main()
