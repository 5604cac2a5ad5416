"""Benchmark of the analysis on the 1,000-quarter synthetic network (≈1M edges).

Prints wall time and peak memory of:

* generating the network, building the analysis index (once per network state);
* the full analysis of all quarters, cold (first run) and warm (memoised);
* the analysis of one quarter, cold and warm;
* a naive baseline in the same process: per quarter, rescan the whole network for the
  quarter's services and transitions and analyse that part from scratch (run on a
  sample of quarters and scaled up, because all 1,000 would take many minutes).

Usage::

    python benchmarks/analysis.py                # 1,000 quarters × 200 services
    python benchmarks/analysis.py --quarters 100 --sample 10

Targets (issue 3, on 2 cores): full analysis ≤ 0.5 s, one quarter ≤ 1 ms, ≥ 20× faster
than the naive baseline.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.network import Network
from lotsen.check import check
from lotsen.index import get_index
from seeds.synthetic import generate


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak(fn: Callable[[], Any]) -> float:
    """Peak Python memory of ``fn`` in MiB (a separate run: tracing slows it down)."""
    gc.collect()
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def naive_quarter(net: Network, quarter: str, as_of: Any) -> int:
    """The naive way: scan everything for the quarter, then analyse it from scratch."""
    part = net.restricted_to([quarter])  # full scans of services, transitions, agreements
    return len(check(part, as_of))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=1000)
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--sample", type=int, default=10, help="quarters for the naive run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"Synthetisches Netz: {args.quarters} Quartiere × {args.services} Angebote")
    t_gen, syn = timed(lambda: generate(quarters=args.quarters,
                                        services_per_quarter=args.services))
    net, as_of = syn.network, syn.as_of
    edges = len(net.transitions) + sum(1 + len(s.quarters) + len(s.life_stages) + len(s.fields)
                                       for s in net.services)
    print(f"  {len(net.services):,} Angebote, {len(net.transitions):,} Übergänge, "
          f"≈{edges:,} Kanten im Eigenschaftsgraphen; erzeugt in {t_gen:.1f} s")

    t_index, _ = timed(lambda: get_index(net))
    t_cold, findings = timed(lambda: check(net, as_of))
    warm = [timed(lambda: check(net, as_of))[0] for _ in range(args.repeat)]
    assert len(findings) == len(syn.defects), "die eingebauten Mängel müssen genau gefunden werden"

    quarter = f"q{args.quarters // 2}"
    idx = get_index(net)
    idx.memo.clear()
    t_one_cold, _ = timed(lambda: check(net, as_of, quarters=[quarter]))
    one_warm = [timed(lambda: check(net, as_of, quarters=[quarter]))[0]
                for _ in range(max(args.repeat, 50))]

    sample = [f"q{i}" for i in range(0, args.quarters, max(1, args.quarters // args.sample))]
    sample = sample[:args.sample]
    t_naive_sample, _ = timed(lambda: [naive_quarter(net, q, as_of) for q in sample])
    t_naive = t_naive_sample / len(sample) * args.quarters

    print("\nSpeicher (Spitze, Python-Objekte):")
    fresh = Network.model_construct(**{k: getattr(net, k) for k in Network.model_fields})
    mem_index = peak(lambda: get_index(fresh))
    mem_cold = peak(lambda: check(fresh, as_of))
    mem_naive = peak(lambda: naive_quarter(net, sample[0], as_of))
    print(f"  Index aufbauen: {mem_index:8.1f} MiB")
    print(f"  Analyse kalt:   {mem_cold:8.1f} MiB")
    print(f"  naiv, je Quartier: {mem_naive:5.1f} MiB")

    ms = 1000
    rows = [
        ("Index aufbauen (einmal je Netzstand)", t_index * ms, None),
        ("Vollanalyse, kalt (erste Analyse nach dem Index)", t_cold * ms, 500),
        ("Vollanalyse, warm (Median)", statistics.median(warm) * ms, 500),
        ("Vollanalyse, kalt inkl. Index", (t_index + t_cold) * ms, 500),
        ("ein Quartier, kalt", t_one_cold * ms, 1),
        ("ein Quartier, warm (Median)", statistics.median(one_warm) * ms, 1),
        (f"naiv: alle Quartiere (hochgerechnet aus {len(sample)})", t_naive * ms, None),
        ("naiv: ein Quartier", t_naive_sample / len(sample) * ms, None),
    ]
    print(f"\n{'Messung':58} {'ms':>12} {'Ziel ms':>9}")
    for name, value, target in rows:
        mark = "" if target is None else ("  ok" if value <= target else "  verfehlt")
        print(f"{name:58} {value:12.2f} {target if target else '':>9}{mark}")
    print(f"\nBefunde: {len(findings)} (= {len(syn.defects)} eingebaute Mängel)")
    for label, ours in (("kalt inkl. Index", t_index + t_cold), ("kalt", t_cold),
                        ("warm", statistics.median(warm))):
        print(f"Faktor gegenüber naiv ({label}): {t_naive / ours:,.0f}×  (Ziel ≥ 20×)")


if __name__ == "__main__":
    main()
