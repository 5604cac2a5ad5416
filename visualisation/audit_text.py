"""The change log as sentences a coordinator reads aloud in the Steuerungsgruppe.

>>> import datetime as dt
>>> from graph.journal import AuditEntry
>>> e = AuditEntry(seq=3, at=dt.datetime(2026, 11, 24, 9, 5, tzinfo=dt.UTC), actor="k.meier",
...                action="update", section="agreements", entity_id="a1", version=2,
...                before={"id": "a1", "name": "Kooperation", "valid_until": "2026-12-31"},
...                after={"id": "a1", "name": "Kooperation", "valid_until": "2027-12-31"})
>>> print(sentence(e))  # doctest: +NORMALIZE_WHITESPACE
Am 24.11.2026 um 10:05 Uhr hat k.meier die Vereinbarung „Kooperation“ verlängert bis
31.12.2027 (vorher 31.12.2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from graph.cooperation import DataTransfer, LegalBasis
from graph.formats.tables import LABELS
from graph.journal import AuditEntry
from graph.model import (
    Access,
    AgreementKind,
    AnchorKind,
    ProviderKind,
    ServiceStatus,
    TransitionKind,
)
from graph.network import Network
from lotsen.texts import LANGUAGE_NAMES
from visualisation.forms import FORMS

__all__ = ["LOCAL_TIME", "entry_quarters", "field_changes", "sentence", "when"]

LOCAL_TIME = ZoneInfo("Europe/Berlin")

_ARTICLE = {"municipalities": ("die Kommune", "eine Kommune"),
            "districts": ("den Stadtbezirk", "einen Stadtbezirk"),
            "quarters": ("das Quartier", "ein Quartier"),
            "providers": ("den Träger", "einen Träger"),
            "sites": ("den Standort", "einen Standort"),
            "services": ("das Angebot", "ein Angebot"),
            "transitions": ("den Übergang", "einen Übergang"),
            "agreements": ("die Vereinbarung", "eine Vereinbarung"),
            "referral_flows": ("die Vermittlungszahlen", "Vermittlungszahlen")}
_ENUM_FIELDS = {"kind": (ProviderKind, TransitionKind, AgreementKind), "anchor": (AnchorKind,),
                "status": (ServiceStatus,), "access": (Access,)}
_SKIP = {"id"}


def when(at: dt.datetime) -> str:
    local = at.astimezone(LOCAL_TIME)
    return f"{local:%d.%m.%Y} um {local:%H:%M} Uhr"


def _label(section: str, field: str) -> str:
    spec = FORMS.get(section)
    if spec is not None:
        for f in spec.fields:
            if f.name == field:
                return f.label
    return {"name": "Name", "description": "Beschreibung", "district": "Stadtbezirk",
            "municipality": "Kommune", "county": "Kreis",
            "social_data": "Sozialdaten"}.get(field, field)


def _word(field: str, value: Any, net: Network | None) -> str:
    if value is None or value == [] or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return ", ".join(_word(field, v, net) for v in value)
    if isinstance(value, dict):
        return _record(value, net)
    text = str(value)
    if field in _ENUM_FIELDS:
        for enum in _ENUM_FIELDS[field]:
            if text in LABELS[enum]:
                return LABELS[enum][text]
    if field == "languages":
        return LANGUAGE_NAMES.get(text, text)
    if field in ("valid_from", "valid_until", "signed", "review_date", "period_start",
                 "period_end") and len(text) == 10:
        return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
    if net is not None:
        if field in ("life_stages",) and text in net.catalogue.stages:
            return net.catalogue.stages[text].name
        if field == "fields":
            return net.catalogue.field_names.get(text, text)
        entity: Any = net.entity(text)
        name = getattr(entity, "name", None) if entity is not None else None
        if name:
            return str(name)
    return text


def _record(value: dict[str, Any], net: Network | None) -> str:
    """A nested entry in words, never as a Python dict with English keys: social data by
    their year, an assessment by level and date, data protection by what passes on which
    basis, contact data by their values.

    >>> _record({"year": 2017, "inhabitants": 14800}, None)
    'Jahr 2017'
    >>> _record({"level": 3, "on": "2026-05-12", "by": "Netzwerkkoordination"}, None)
    'Stufe 3 am 12.05.2026 (Netzwerkkoordination)'
    >>> _record({"passes": "documents", "basis": ["written_consent"]}, None)
    'Unterlagen – schriftliche Einwilligung'
    """
    if "year" in value:
        return f"Jahr {value['year']}"
    if "level" in value:
        return (f"Stufe {value['level']} am {_word('valid_from', value.get('on'), net)}"
                f" ({value.get('by', '–')})")
    if "passes" in value:
        passes = LABELS[DataTransfer].get(str(value["passes"]), str(value["passes"]))
        bases = [LABELS[LegalBasis].get(str(b), str(b)) for b in value.get("basis", [])]
        return " – ".join([passes, *([", ".join(bases)] if bases else [])])
    return ", ".join(_word(k, v, net) for k, v in value.items() if v not in (None, "", []))


def _name(entry: AuditEntry, net: Network | None) -> str:
    data = entry.after or entry.before or {}
    if entry.section == "transitions":
        src, tgt = (_word("source", data.get("source"), net),
                    _word("target", data.get("target"), net))
        return f"„{src} → {tgt}“"
    if entry.section == "referral_flows":
        return f"für „{_word('transition', data.get('transition'), net)}“"
    return f"„{data.get('name') or entry.entity_id}“"


def _changes(entry: AuditEntry, net: Network | None) -> list[str]:
    return field_changes(entry.section, entry.before or {}, entry.after or {}, net)


def field_changes(section: str, before: dict[str, Any], after: dict[str, Any],
                  net: Network | None) -> list[str]:
    """'Label: old → new' for every field that differs, in German words."""
    parts = []
    for field in sorted(set(before) | set(after), key=lambda f: list(after).index(f)
                        if f in after else 99):
        if field in _SKIP or before.get(field) == after.get(field):
            continue
        old, new = _word(field, before.get(field), net), _word(field, after.get(field), net)
        if old == new:
            continue
        parts.append(f"{_label(section, field)}: {old} → {new}")
    return parts


_ACTORS = {"lokal": "die Koordination (Einzelplatz)", "lotse": "die Kommandozeile (lotse)"}


def sentence(entry: AuditEntry, net: Network | None = None) -> str:
    """One recorded change as a German sentence."""
    who = _ACTORS.get(entry.actor, entry.actor)
    head = f"Am {when(entry.at)} hat {who}"
    if entry.action == "import":
        restored = (entry.after or {}).get("restored_from")
        if restored:
            return f"{head} die Sicherung {restored} zurückgeholt (ganzes Netzwerk)."
        if (entry.after or {}).get("merged"):
            changed = (entry.after or {}).get("changed", 0)
            what = "ein Eintrag neu oder geändert" if changed == 1 else \
                f"{changed} Einträge neu oder geändert"
            return f"{head} eine Datei ins Netzwerk zusammengeführt ({what})."
        return f"{head} das ganze Netzwerk neu eingelesen (Import)."
    definite, _ = _ARTICLE.get(entry.section, ("den Eintrag", "einen Eintrag"))
    name = _name(entry, net)
    if entry.action == "create":
        return f"{head} {definite} {name} angelegt."
    if entry.action == "delete":
        return f"{head} {definite} {name} gelöscht."
    before, after = entry.before or {}, entry.after or {}
    if entry.section == "agreements" and set(_changed_fields(before, after)) == {"valid_until"}:
        old, new = before.get("valid_until"), after.get("valid_until")
        if new and (old is None or str(new) > str(old)):
            since = f" (vorher {_word('valid_until', old, net)})" if old else ""
            return (f"{head} {definite} {name} verlängert bis "
                    f"{_word('valid_until', new, net)}{since}.")
    changes = _changes(entry, net)
    if not changes:
        return f"{head} {definite} {name} gespeichert (ohne inhaltliche Änderung)."
    return f"{head} {definite} {name} geändert: {'; '.join(changes)}."


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f for f in set(before) | set(after) if before.get(f) != after.get(f)]


def entry_quarters(entry: AuditEntry, net: Network) -> set[str]:
    """The quarters a change concerns (None of them for a whole import: it concerns all)."""
    quarters: set[str] = set()
    for data in (entry.before, entry.after):
        if not data:
            continue
        quarters |= _quarters_of(entry.section, data, net)
    return quarters


def _service_quarters(net: Network, ids: Iterable[str]) -> set[str]:
    return {q for i in ids if i in net.service_index for q in net.service_index[i].quarters}


def _quarters_of(section: str, data: dict[str, Any], net: Network) -> set[str]:
    if section == "services":
        return set(data.get("quarters", []))
    if section == "quarters":
        return {str(data.get("id"))}
    if section == "transitions":
        return _service_quarters(net, [data.get("source", ""), data.get("target", "")])
    if section == "agreements":
        aid = data.get("id")
        return _service_quarters(net, [s for t in net.transitions if aid in t.agreements
                                       for s in (t.source, t.target)])
    if section == "referral_flows":
        t = net.transition_index.get(str(data.get("transition")))
        return _service_quarters(net, [t.source, t.target]) if t else set()
    return set()
