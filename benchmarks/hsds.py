"""Benchmark of the HSDS exchange on a synthetic network.

Prints wall time of export (document, page, CSV package) and import (document, CSV
package) next to the baseline of the same network as our own JSON document (write and
read), and the sizes written. No target was set for HSDS; the figure to watch is the
factor against the baseline (HSDS carries every service with its taxonomy terms, so it is
bigger and slower than our compact document).

Usage::

    python benchmarks/hsds.py                  # 20 quarters × 200 services
    python benchmarks/hsds.py --quarters 100
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.formats import document
from graph.formats.hsds import read_hsds, to_hsds, to_hsds_page, write_hsds
from seeds.synthetic import generate


def _timed(label: str, run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    took = time.perf_counter() - start
    print(f"  {label:<42} {took:8.2f} s")
    return took, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=20)
    parser.add_argument("--services", type=int, default=200)
    args = parser.parse_args()
    net = generate(quarters=args.quarters, services_per_quarter=args.services).network
    print(f"Netz: {len(net.quarters)} Quartiere, {len(net.services)} Angebote, "
          f"{len(net.transitions)} Übergänge")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("Baseline (eigenes JSON-Dokument):")
        base_out, _ = _timed("schreiben", lambda: document.save(net, folder / "k.json"))
        base_in, _ = _timed("lesen (json.loads + parse)", lambda: document.parse(
            json.loads((folder / "k.json").read_text(encoding="utf-8"))))
        print("HSDS:")
        t_doc, export = _timed("to_hsds (Dokument)", lambda: to_hsds(net))
        _timed("to_hsds_page (Seite)", lambda: to_hsds_page(net))
        t_write, _ = _timed("write_hsds (Dokument, JSON-Datei)",
                            lambda: write_hsds(net, folder / "k.hsds.json"))
        t_csv, _ = _timed("write_hsds (CSV-Paket)",
                          lambda: write_hsds(net, folder / "paket", "hsds-csv"))
        t_read, back = _timed("read_hsds (Dokument)", lambda: read_hsds(folder / "k.hsds.json"))
        t_read_csv, _ = _timed("read_hsds (CSV-Paket)", lambda: read_hsds(folder / "paket"))
        assert to_hsds(back.network).document == export.document  # the fixed point
        size_doc = (folder / "k.json").stat().st_size
        size_hsds = (folder / "k.hsds.json").stat().st_size
        size_csv = sum(p.stat().st_size for p in (folder / "paket").iterdir())
        print(f"Größen: eigenes JSON {size_doc / 1e6:.1f} MB, HSDS-JSON {size_hsds / 1e6:.1f} MB, "
              f"CSV-Paket {size_csv / 1e6:.1f} MB")
        print(f"Faktor gegen Baseline: schreiben {t_write / base_out:.1f}×, "
              f"lesen {t_read / base_in:.1f}×, CSV schreiben {t_csv / base_out:.1f}×, "
              f"CSV lesen {t_read_csv / base_in:.1f}× (to_hsds allein {t_doc:.2f} s)")


if __name__ == "__main__":
    main()
