"""„Was wäre, wenn ein Träger aussteigt?“ as page rows (:func:`lotsen.impact.impact`): the
offers that would end, the transitions that would lose their owner, the findings that
would appear (with the families each touches a year), the quarters hit, and what would
no longer apply.

Families are estimated per finding (:mod:`lotsen.families`); several findings can concern
the same families, so a quarter shows its largest estimate, never a sum.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.impact import impact
>>> net, day = load_seed("brunnenstrasse"), dt.date(2026, 11, 22)
>>> view = impact_view(net, impact(net, service="kita-bornstrasse", as_of=day))
>>> view["subject"], [q["name"] for q in view["quarters"]]
('das Angebot „TEK Bornstraße 52“', ['Brunnenstraßen-/Hannibalviertel'])
>>> sorted({f["code"] for f in view["appeared"]})
['CAPACITY_GAP', 'TARGET_INACTIVE', 'UNREACHABLE']
"""

from __future__ import annotations

from typing import Any

from graph.network import Network
from lotsen.findings import Finding, Severity
from lotsen.impact import Impact
from lotsen.priority import families_phrase

__all__ = ["impact_view"]


def _quarter_names(net: Network, ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(net.quarter_index[q].name if q in net.quarter_index else q for q in ids)


def _finding(net: Network, f: Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity.name.lower(),
            "severity_label": f.severity.label, "title": f.title, "message": f.message,
            "next_step": f.next_step, "families": f.families,
            "families_text": families_phrase(f),
            "quarters": _quarter_names(net, f.quarters)}


def impact_view(net: Network, result: Impact) -> dict[str, Any]:
    """Everything the page shows about one loss (see the module docstring)."""
    ended = [net.service_index[s] for s in result.removed_services]
    if result.removed_provider is not None:
        subject = f"der Träger „{net.provider_index[result.removed_provider].name}“"
    else:
        subject = f"das Angebot „{ended[0].name}“"
    stages = net.catalogue.stages
    services = [{"name": s.name, "provider": net.provider_index[s.provider].name,
                 "quarters": _quarter_names(net, s.quarters),
                 "stages": ", ".join(stages[x].label for x in s.life_stages if x in stages)}
                for s in sorted(ended, key=lambda s: s.name.casefold())]
    unowned = []
    if result.removed_provider is not None:
        for t in net.transitions:
            if t.owner != result.removed_provider:
                continue
            src, tgt = net.service_index[t.source], net.service_index[t.target]
            unowned.append({"label": f"{src.name} → {tgt.name}",
                            "quarters": _quarter_names(net, src.quarters),
                            "ends_too": t.source in result.removed_services
                            or t.target in result.removed_services})
    appeared = sorted(result.appeared, key=lambda f: (-f.severity, -(f.families or 0),
                                                      f.code, f.ids))
    hit: dict[str, dict[str, Any]] = {}
    for q in [*(q for s in ended for q in s.quarters), *(q for f in appeared
                                                            for q in f.quarters)]:
        if q in net.quarter_index and q not in hit:
            hit[q] = {"id": q, "name": net.quarter_index[q].name, "findings": 0,
                      "critical": 0, "high": 0, "families": None, "services": 0}
    for s in ended:
        for q in s.quarters:
            if q in hit:
                hit[q]["services"] += 1
    for f in appeared:
        for q in f.quarters:
            if q not in hit:
                continue
            row = hit[q]
            row["findings"] += 1
            row["critical"] += f.severity is Severity.CRITICAL
            row["high"] += f.severity is Severity.HIGH
            if f.families is not None:
                row["families"] = max(row["families"] or 0, f.families)
    quarters = sorted(hit.values(), key=lambda r: (-r["critical"], -r["high"],
                                                   -(r["families"] or 0), r["name"]))
    return {"subject": subject, "services": services, "unowned": unowned,
            "appeared": [_finding(net, f) for f in appeared],
            "resolved": [_finding(net, f) for f in result.resolved],
            "quarters": quarters,
            "critical": sum(f.severity is Severity.CRITICAL for f in appeared),
            "high": sum(f.severity is Severity.HIGH for f in appeared)}
