"""A synthetic network of N quarters with a known list of planted defects.

For tests and benchmarks: it reaches 1,000 quarters × 200 services (about 1M edges
in the property graph) in a few seconds. Apart from the planted defects the chain of
every quarter is clean: every stage has services, every service has two onward
transitions to the next stage (last stage excepted) and is reached from the stage
before, every transition has an owner who signed a valid binding agreement, all
services speak German, capacities exceed the children of each stage, and each
quarter has all four anchor sites.

Planted defects (``DEFECT_KINDS``), each on its own transition or service and listed
in :attr:`SyntheticNetwork.defects` with the ids it concerns:

* ``PEARL`` – an extra service with no transition in or out;
* ``NO_AGREEMENT`` – a transition without any agreement;
* ``INFORMAL_ONLY`` – a transition backed only by a non-binding informal agreement;
* ``AGREEMENT_EXPIRED`` – backed only by an agreement that ended 30 days before ``as_of``;
* ``AGREEMENT_EXPIRING`` – backed only by an agreement that ends 30 days after ``as_of``;
* ``NO_OWNER`` – a transition nobody owns;
* ``OWNER_NOT_PARTY`` – the owner has not signed the transition's agreement;
* ``PERSON_DEPENDENT`` – a hand-off that rests on one person.

>>> syn = generate(quarters=2, services_per_quarter=21, defects=3, seed=1)
>>> len(syn.network.quarters), len(syn.defects)
(2, 3)
>>> sorted(d.code for d in syn.defects)
['AGREEMENT_EXPIRED', 'INFORMAL_ONLY', 'NO_AGREEMENT']
"""

from __future__ import annotations

import datetime as dt
import gc
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.catalogue import default_catalogue
from graph.model import (
    Agreement as _Agreement,
)
from graph.model import (
    AgreementKind,
    AnchorKind,
    ProviderKind,
    ServiceStatus,
    TransitionKind,
)
from graph.model import (
    District as _District,
)
from graph.model import (
    Municipality as _Municipality,
)
from graph.model import (
    Provider as _Provider,
)
from graph.model import (
    Quarter as _Quarter,
)
from graph.model import (
    Service as _Service,
)
from graph.model import (
    SocialData as _SocialData,
)
from graph.model import (
    Transition as _Transition,
)
from graph.network import Network

__all__ = ["DEFAULT_AS_OF", "DEFECT_KINDS", "PlantedDefect", "SyntheticNetwork", "generate"]

DEFECT_KINDS = (
    "NO_AGREEMENT",
    "INFORMAL_ONLY",
    "AGREEMENT_EXPIRED",
    "AGREEMENT_EXPIRING",
    "NO_OWNER",
    "OWNER_NOT_PARTY",
    "PERSON_DEPENDENT",
    "PEARL",
)
DEFAULT_AS_OF = dt.date(2026, 7, 1)
_PROVIDERS_PER_QUARTER = 10
_QUARTERS_PER_DISTRICT = 10
_ANCHORS = (AnchorKind.PRIMARY_SCHOOL, AnchorKind.KITA, AnchorKind.FAMILY_OFFICE,
            AnchorKind.YOUTH_WELFARE_SERVICE)


@dataclass(frozen=True)
class PlantedDefect:
    """One defect the generator put in: the finding code and the ids it concerns."""

    code: str
    quarter: str
    ids: tuple[str, ...]


@dataclass
class SyntheticNetwork:
    """The generated network, its planted defects and the date they refer to."""

    network: Network
    defects: list[PlantedDefect] = field(default_factory=list)
    as_of: dt.date = DEFAULT_AS_OF


def generate(quarters: int = 10, services_per_quarter: int = 200, defects: int | None = None,
             seed: int = 0, as_of: dt.date = DEFAULT_AS_OF,
             progress: Callable[[int, int], None] | None = None) -> SyntheticNetwork:
    """Build a network of ``quarters`` quarters with ``services_per_quarter`` services each.

    ``defects`` planted defects (default: one per quarter) are spread over randomly
    chosen quarters, their kinds taken in turn from ``DEFECT_KINDS``. The result is
    deterministic for the same arguments. ``progress(done, total)`` is called after
    every quarter.
    """
    was_enabled = gc.isenabled()
    gc.disable()  # bulk allocation of ~10^6 objects: the cyclic GC only costs time here
    try:
        return _generate(quarters, services_per_quarter, defects, seed, as_of, progress)
    finally:
        if was_enabled:
            gc.enable()


def _generate(quarters: int, services_per_quarter: int, defects: int | None, seed: int,
              as_of: dt.date, progress: Callable[[int, int], None] | None) -> SyntheticNetwork:
    catalogue = default_catalogue()
    stages = [s.id for s in catalogue.life_stages]
    fields = [f.id for f in catalogue.fields]
    if services_per_quarter < 2 * len(stages):
        raise ValueError(f"Mindestens {2 * len(stages)} Angebote je Quartier sind nötig "
                         "(zwei je Lebensphase).")
    if quarters < 1:
        raise ValueError("Mindestens ein Quartier ist nötig.")
    rng = random.Random(seed)
    n_defects = quarters if defects is None else defects
    kinds = [DEFECT_KINDS[i % len(DEFECT_KINDS)] for i in range(n_defects)]
    plan: dict[int, list[str]] = {}
    for kind in kinds:
        plan.setdefault(rng.randrange(quarters), []).append(kind)

    c = _construct
    far_future = dt.date(2099, 12, 31)
    out: dict[str, list[Any]] = {k: [] for k in (
        "municipalities", "districts", "quarters", "providers", "services", "transitions",
        "agreements")}
    out["municipalities"].append(c(_Municipality, id="synthetica", name="Synthetica"))
    for d in range((quarters + _QUARTERS_PER_DISTRICT - 1) // _QUARTERS_PER_DISTRICT):
        out["districts"].append(c(_District, id=f"d{d}", name=f"Bezirk {d}",
                                  municipality="synthetica"))
    planted: list[PlantedDefect] = []
    for k in range(quarters):
        q = f"q{k}"
        # 50 births a year: the children of a stage pro rata by its months
        children = {x.id: round(50 * (x.to_months - x.from_months) / 12)
                    for x in catalogue.life_stages}
        out["quarters"].append(c(_Quarter, id=q, name=f"Quartier {k}",
                                 district=f"d{k // _QUARTERS_PER_DISTRICT}", social_data=[
                                     c(_SocialData, year=as_of.year - 1, inhabitants=5000,
                                       births_per_year=50, children_by_stage=children)]))
        providers = [f"{q}-p{j}" for j in range(_PROVIDERS_PER_QUARTER)]
        for j, pid in enumerate(providers):
            out["providers"].append(c(
                _Provider, id=pid, name=f"Träger {j} in Quartier {k}",
                kind=ProviderKind.FREE_WELFARE,
                anchor=_ANCHORS[j] if j < len(_ANCHORS) else None))
        contract = f"{q}-vertrag"
        out["agreements"].append(c(
            _Agreement, id=contract, name=f"Kooperationsvertrag Quartier {k}",
            kind=AgreementKind.COOPERATION_CONTRACT, parties=providers,
            signed=dt.date(2020, 1, 1), valid_from=dt.date(2020, 1, 1),
            valid_until=far_future, binding=True))
        by_stage: list[list[str]] = [[] for _ in stages]
        provider_of: dict[str, str] = {}
        for i in range(services_per_quarter):
            s = i % len(stages)
            sid = f"{q}-s{i}"
            provider_of[sid] = providers[i % len(providers)]
            by_stage[s].append(sid)
            out["services"].append(c(
                _Service, id=sid, name=f"Angebot {i} in Quartier {k}",
                provider=provider_of[sid], quarters=[q], life_stages=[stages[s]],
                fields=[fields[(i // len(stages)) % len(fields)]],
                target_groups=[f"Zielgruppe {i}"], capacity_per_year=20))
        transitions: list[dict[str, Any]] = []
        for s in range(len(stages) - 1):
            here, nxt = by_stage[s], by_stage[s + 1]
            for p, sid in enumerate(here):
                for tgt in dict.fromkeys((nxt[p % len(nxt)], nxt[(p + 1) % len(nxt)])):
                    transitions.append({
                        "id": f"{sid}:{tgt.rsplit('-', 1)[1]}", "source": sid, "target": tgt,
                        "kind": TransitionKind.WARM_HANDOFF, "owner": provider_of[sid],
                        "agreements": [contract]})
        order = rng.sample(range(len(transitions)), len(transitions))
        for kind in plan.get(k, []):
            if kind == "PEARL":
                sid = f"{q}-perle{len(planted)}"
                out["services"].append(c(
                    _Service, id=sid, name=f"Einzelangebot {len(planted)} in Quartier {k}",
                    provider=providers[0], quarters=[q], life_stages=[stages[4]],
                    fields=[fields[0]], target_groups=[f"Zielgruppe {sid}"],
                    capacity_per_year=20, status=ServiceStatus.ACTIVE))
                planted.append(PlantedDefect(kind, q, (sid,)))
                continue
            t = transitions[order.pop()]
            while provider_of[t["source"]] == provider_of[t["target"]] and order:
                t = transitions[order.pop()]  # an internal hand-over needs no contract
            planted.append(PlantedDefect(kind, q, (t["id"],)))
            _plant(kind, t, out["agreements"], provider_of, as_of)
        for t in transitions:
            out["transitions"].append(c(_Transition, **t))
        if progress is not None:
            progress(k + 1, quarters)
    network_fields: dict[str, Any] = {
        "name": f"Synthetisches Netz ({quarters} Quartiere × {services_per_quarter} Angebote)",
        "description": f"Erzeugt mit seed={seed}, {n_defects} eingebaute Mängel, Stichtag "
                       f"{as_of.isoformat()}.",
        "catalogue": catalogue, "referral_flows": [], **out}
    network = Network.model_construct(**network_fields)
    return SyntheticNetwork(network=network, defects=planted, as_of=as_of)


def _plant(kind: str, t: dict[str, Any], agreements: list[Any], provider_of: dict[str, str],
           as_of: dt.date) -> None:
    tid = t["id"]
    source_provider, target_provider = provider_of[t["source"]], provider_of[t["target"]]

    def own_agreement(**fields: Any) -> None:
        aid = f"{tid}-vereinbarung"
        defaults: dict[str, Any] = {
            "id": aid, "name": f"Vereinbarung zu {tid}",
            "kind": AgreementKind.COOPERATION_CONTRACT,
            "parties": list(dict.fromkeys([source_provider, target_provider])),
            "signed": dt.date(2020, 1, 1), "valid_from": dt.date(2020, 1, 1),
            "binding": True}
        defaults.update(fields)
        agreements.append(_construct(_Agreement, **defaults))
        t["agreements"] = [aid]

    if kind == "NO_AGREEMENT":
        t["agreements"] = []
    elif kind == "INFORMAL_ONLY":
        own_agreement(kind=AgreementKind.INFORMAL, binding=False, signed=None)
    elif kind == "AGREEMENT_EXPIRED":
        own_agreement(valid_until=as_of - dt.timedelta(days=30))
    elif kind == "AGREEMENT_EXPIRING":
        own_agreement(valid_until=as_of + dt.timedelta(days=30))
    elif kind == "NO_OWNER":
        t["owner"] = None
    elif kind == "OWNER_NOT_PARTY":
        other = next(p for p in _other_providers(source_provider) if p != target_provider)
        own_agreement(parties=[other, target_provider])
    elif kind == "PERSON_DEPENDENT":
        t["person_dependent"] = True
    else:  # pragma: no cover - guarded by DEFECT_KINDS
        raise ValueError(kind)


def _other_providers(provider: str) -> list[str]:
    quarter, own = provider.rsplit("-p", 1)
    return [f"{quarter}-p{j}" for j in range(_PROVIDERS_PER_QUARTER) if str(j) != own]


def _construct(model: Any, **values: Any) -> Any:
    """Build a model without re-validating (the generator only makes valid values).

    Defaults are filled in here: pydantic's own filling inspects every default
    factory's signature on each call, which made the 1,000-quarter network take minutes.
    """
    missing: dict[str, Any] = {}
    for name, (factory, default) in _defaults(model).items():
        if name not in values:
            missing[name] = factory() if factory is not None else default
    return model.model_construct(**missing, **values)


_DEFAULTS: dict[Any, dict[str, tuple[Callable[[], Any] | None, Any]]] = {}


def _defaults(model: Any) -> dict[str, tuple[Callable[[], Any] | None, Any]]:
    if model not in _DEFAULTS:
        _DEFAULTS[model] = {
            name: (f.default_factory, f.default)
            for name, f in model.model_fields.items() if not f.is_required()}
    return _DEFAULTS[model]
