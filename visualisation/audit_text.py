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
import json
import re
from collections.abc import Iterable, Iterator
from enum import Enum
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from graph.journal import AuditEntry
from graph.local_time import LOCAL_TIME, local
from graph.network import ALL_SECTIONS, Network
from graph.vocabulary import ENUM_LABELS, LANGUAGE_NAMES
from lotsen.labels import finding_words
from visualisation.forms import FORMS

__all__ = ["LOCAL_TIME", "actor_name", "entry_name", "entry_quarters", "field_changes", "local",
           "sentence", "when"]

_ARTICLE = {"municipalities": ("die Kommune", "eine Kommune"),
            "districts": ("den Stadtbezirk", "einen Stadtbezirk"),
            "quarters": ("das Quartier", "ein Quartier"),
            "providers": ("den Träger", "einen Träger"),
            "sites": ("den Standort", "einen Standort"),
            "services": ("das Angebot", "ein Angebot"),
            "transitions": ("den Übergang", "einen Übergang"),
            "agreements": ("die Vereinbarung", "eine Vereinbarung"),
            "referral_flows": ("die Vermittlungszahlen", "Vermittlungszahlen"),
            "accepted_findings": ("den Vermerk „geprüft, bewusst so“ zum Befund",
                                  "einen Vermerk „geprüft, bewusst so“"),
            "measures": ("die Maßnahme", "eine Maßnahme"),
            "meetings": ("die Sitzung", "eine Sitzung")}
_SKIP = {"id"}

# Labels of the fields no form shows (or that differ by section); the forms' own labels
# come first (visualisation.forms).
_LABELS: dict[str, str] = {
    "name": "Name", "description": "Beschreibung", "district": "Stadtbezirk",
    "municipality": "Kommune", "county": "Kreis", "state": "Bundesland",
    "social_data": "Sozialdaten", "contact": "Kontakt",
    "capacity_unit": "Was die Zahl zählt", "language_bridge": "Sprachbrücke (Familien "
    "können ohne Deutschkenntnisse kommen)", "language_mediation": "Sprachmittlung bei "
    "der Übergabe", "cooperation": "Kooperationsstufe", "data_protection": "Datenschutz",
    "key": "Befund", "reason": "Begründung", "by": "Von", "on": "Am",
    "until": "Ausgeblendet bis", "meeting": "Sitzung", "title": "Titel",
    "findings": "Befunde", "responsible": "Verantwortlicher Träger", "due": "Fällig am",
    "status": "Stand", "note": "Notiz", "body": "Gremium", "area": "Gebiet",
    "date": "Datum", "attending": "Anwesende Träger", "roles": "Weitere Beteiligte",
    "agenda": "Tagesordnung", "decisions": "Beschlüsse",
}
_SUBLABELS: dict[str, str] = {
    "url": "Webseite", "email": "E-Mail", "phone": "Telefon",
    "opening_hours": "Öffnungszeiten", "passes": "Was geht bei der Übergabe weiter?",
    "basis": "Grundlage", "note": "Notiz", "year": "Jahr", "inhabitants": "Einwohner",
    "births_per_year": "Geburten je Jahr", "children_by_stage": "Kinder",
    "children_under_18": "Kinder unter 18 Jahren", "sgb2_share": "Anteil mit SGB-II-Bezug",
    "migrant_share": "Anteil mit Migrationsgeschichte", "nations": "Nationen",
    "main_languages": "Hauptsprachen", "source": "Quelle", "level": "Stufe", "on": "am",
    "by": "eingeschätzt von", "kind": "Art", "title": "Titel", "ref": "Bezug",
    "quarter": "Quartier", "text": "Text",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FINDING = re.compile(r"[A-Z][A-Z_]*(/[A-Za-z0-9][A-Za-z0-9_.:-]{0,99})+")


def when(at: dt.datetime) -> str:
    """„24.11.2026 um 10:05 Uhr“ in local time (Europe/Berlin, summer time included).

    >>> when(dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC))
    '02.07.2026 um 00:30 Uhr'
    """
    at = local(at)
    return f"{at:%d.%m.%Y} um {at:%H:%M} Uhr"


def _types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in get_args(annotation):
        yield from _types(arg)


@cache
def _kind(model: type[BaseModel] | None, field: str) -> tuple[str, Any]:
    """What a field holds: ('enum', E), ('model', M), ('date', None) or ('plain', None)."""
    if model is None or field not in model.model_fields:
        return "plain", None
    for t in _types(model.model_fields[field].annotation):
        if isinstance(t, type):
            if issubclass(t, Enum) and t.__name__ in ENUM_LABELS:
                return "enum", t
            if issubclass(t, BaseModel):
                return "model", t
            if issubclass(t, dt.date):
                return "date", None
    return "plain", None


def _models_with(field: str) -> list[type[BaseModel]]:
    return [m for m in ALL_SECTIONS.values() if field in m.model_fields]


def _label(section: str, field: str) -> str:
    spec = FORMS.get(section)
    if spec is not None:
        for f in spec.fields:
            if f.name == field:
                return f.label
    return _LABELS.get(field, _SUBLABELS.get(field, field.replace("_", " ")))


def _sublabel(section: str, field: str, sub: str) -> str:
    spec = FORMS.get(section)
    if spec is not None:
        for name in (f"{field}_{sub}", f"{field}.{sub}"):
            for f in spec.fields:
                if f.name == name:
                    return f.label
    return _SUBLABELS.get(sub, _LABELS.get(sub, sub.replace("_", " ")))


def _finding(key: str, net: Network | None) -> str:
    """A finding's key in words: its title and what it is about (and the quarter)."""
    from lotsen.findings import CODES

    code = key.partition("/")[0]
    if code not in CODES:
        return key
    if net is None:
        return CODES[code][1]
    words = finding_words(net, key)
    quarters = [net.quarter_index[i].name for i in key.split("/")[1:] if i in net.quarter_index]
    return f"{words} in {quarters[0]}" if quarters and quarters[0] not in words else words


def _entity_name(text: str, net: Network) -> str | None:
    entity: Any = net.entity(text)
    if entity is None:
        meeting = next((m for m in net.meetings if m.id == text), None)
        if meeting is not None:
            return f"{meeting.body} am {meeting.date:%d.%m.%Y}"
        measure = next((m for m in net.measures if m.id == text), None)
        return measure.title if measure is not None else None
    name = getattr(entity, "name", None)
    t = None if name else net.transition_index.get(text)
    if t is not None:
        return " → ".join(_word("source", s, net) for s in (t.source, t.target))
    return str(name) if name else None


def _word(field: str, value: Any, net: Network | None,
          model: type[BaseModel] | None = None) -> str:
    """One value in German words: names for ids, labels for codes, dates as TT.MM.JJJJ."""
    if value is None or value == [] or value == "" or value == {}:
        return "–"
    found: tuple[str, Any] = _kind(model, field) if model is not None else next(
        (k for k in (_kind(m, field) for m in _models_with(field)) if k[0] != "plain"),
        ("plain", None))
    kind, of = found
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return ", ".join(_word(field, v, net, model) for v in value)
    if isinstance(value, dict):
        if kind == "model":
            return _record(value, net, of)
        return ", ".join(f"{_word('life_stages', k, net)}: {_word(field, v, net)}"
                         for k, v in value.items())
    if isinstance(value, float) and field.endswith("share"):
        return f"{value:.0%}".replace("%", " %")
    text = str(value.value if isinstance(value, Enum) else value)
    if kind == "enum":
        if text in ENUM_LABELS[of.__name__]:
            return ENUM_LABELS[of.__name__][text]
        for m in _models_with(field) if model is None else ():
            k, e = _kind(m, field)
            if k == "enum" and text in ENUM_LABELS[e.__name__]:
                return ENUM_LABELS[e.__name__][text]
    if field in ("languages", "main_languages"):
        return LANGUAGE_NAMES.get(text, text)
    if (kind == "date" or (model is None and field in (
            "valid_from", "valid_until", "signed", "review_date", "period_start",
            "period_end", "due", "on", "until", "date"))) and _DATE.fullmatch(text):
        return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
    if _FINDING.fullmatch(text):
        return _finding(text, net)
    if net is not None:
        if field in ("life_stages", "stage") and text in net.catalogue.stages:
            return net.catalogue.stages[text].name
        if field == "fields":
            return net.catalogue.field_names.get(text, text)
        name = _entity_name(text, net)
        if name:
            return name
    return text


def _record(value: dict[str, Any], net: Network | None,
            model: type[BaseModel] | None = None) -> str:
    """A nested entry in words, never as a Python dict with English keys: social data by
    their year, an assessment by level and date, data protection by what passes on which
    basis, an agenda item by its kind and title, contact data by their values.

    >>> _record({"year": 2017, "inhabitants": 14800}, None)
    'Jahr 2017'
    >>> _record({"level": 3, "on": "2026-05-12", "by": "Netzwerkkoordination"}, None)
    'Stufe 3 am 12.05.2026 (Netzwerkkoordination)'
    >>> _record({"passes": "documents", "basis": ["written_consent"]}, None)
    'Unterlagen – schriftliche Einwilligung'
    >>> _record({"kind": "finding", "title": "Übergang ohne Vereinbarung"}, None)
    'Befund: Übergang ohne Vereinbarung'
    """
    if "year" in value:
        return f"Jahr {value['year']}"
    if "level" in value:
        return (f"Stufe {value['level']} am {_word('valid_from', value.get('on'), net)}"
                f" ({value.get('by', '–')})")
    if "passes" in value:
        passes = ENUM_LABELS["DataTransfer"].get(str(value["passes"]), str(value["passes"]))
        bases = [ENUM_LABELS["LegalBasis"].get(str(b), str(b)) for b in value.get("basis", [])]
        return " – ".join([passes, *([", ".join(bases)] if bases else [])])
    if "title" in value and "kind" in value:
        kind = ENUM_LABELS["AgendaKind"].get(str(value["kind"]), str(value["kind"]))
        return str(value["title"]) if value["title"] == kind else f"{kind}: {value['title']}"
    return ", ".join(_word(k, v, net, model) for k, v in value.items()
                     if v not in (None, "", []))


def _name(entry: AuditEntry, net: Network | None) -> str:
    data = entry.after or entry.before or {}
    if entry.section == "transitions":
        src, tgt = (_word("source", data.get("source"), net),
                    _word("target", data.get("target"), net))
        return f"„{src} → {tgt}“"
    if entry.section == "referral_flows":
        span = ""
        if data.get("period_start") and data.get("period_end"):
            span = (f" ({_word('period_start', data['period_start'], net)} bis "
                    f"{_word('period_end', data['period_end'], net)})")
        return f"für „{_word('transition', data.get('transition'), net)}“{span}"
    if entry.section == "accepted_findings":
        return f"„{_finding(str(data.get('key') or entry.entity_id), net)}“"
    if entry.section == "meetings":
        return f"„{data.get('body') or entry.entity_id} am {_word('date', data.get('date'), net)}“"
    return f"„{data.get('name') or data.get('title') or entry.entity_id}“"


def _changes(entry: AuditEntry, net: Network | None) -> list[str]:
    return field_changes(entry.section, entry.before or {}, entry.after or {}, net)


def _default(model: type[BaseModel] | None, field: str) -> Any:
    """A field's default as it is stored (absent from an export that leaves defaults out)."""
    if model is None or field not in model.model_fields or \
            model.model_fields[field].is_required():
        return None
    value = model.model_fields[field].get_default(call_default_factory=True)
    if isinstance(value, Enum):
        return value.value
    return value


def field_changes(section: str, before: dict[str, Any], after: dict[str, Any],
                  net: Network | None) -> list[str]:
    """'Label: old → new' for every field that differs, in German words; for a list only
    what was added or removed (one partner more is one partner, not all twelve again).

    >>> field_changes("agreements", {"parties": ["a", "b", "c"]},
    ...               {"parties": ["a", "b", "c", "d"]}, None)
    ['Unterzeichnende Träger: d hinzugefügt']
    >>> field_changes("measures", {"status": "open"}, {"status": "in_progress"}, None)
    ['Stand: offen → in Arbeit']
    """
    model = ALL_SECTIONS.get(section)
    parts: list[str] = []
    for field in sorted(set(before) | set(after), key=lambda f: list(after).index(f)
                        if f in after else 99):
        if field in _SKIP:
            continue
        old = before[field] if field in before else _default(model, field)
        new = after[field] if field in after else _default(model, field)
        if old == new:
            continue
        parts.extend(_diff(section, model, field, _label(section, field), old, new, net))
    return parts


def _same(a: Any) -> str:
    return json.dumps(a, sort_keys=True, ensure_ascii=False, default=str)


def _identity(item: Any) -> Any:
    """What makes two versions of a nested entry the same entry (changed, not replaced)."""
    if not isinstance(item, dict):
        return None
    if "year" in item:
        return ("year", item["year"])
    if "title" in item and "kind" in item:
        return ("agenda", item.get("kind"), item.get("ref") or item.get("title"))
    if "level" in item:
        return ("assessment", item.get("on"), item.get("by"))
    return None


def _diff(section: str, model: type[BaseModel] | None, field: str, label: str, old: Any,
          new: Any, net: Network | None) -> list[str]:
    kind, of = _kind(model, field)
    if isinstance(old, list) and isinstance(new, list) and old and new:
        return _list_diff(section, model, field, label, old, new, net)
    if (isinstance(old, dict) or isinstance(new, dict)) and not (
            isinstance(old, list) or isinstance(new, list)):
        a, b = old or {}, new or {}
        sub_model = of if kind == "model" else None
        parts = []
        for sub in [*b, *(k for k in a if k not in b)]:
            x = a[sub] if sub in a else _default(sub_model, sub)
            y = b[sub] if sub in b else _default(sub_model, sub)
            if x == y:
                continue
            if sub_model is None:  # a table by stage (children per stage)
                sub_label = f"{label} {_word('life_stages', sub, net)}"
            else:
                sub_label = _sublabel(section, field, sub)
            parts.extend(_diff(section, sub_model, sub, sub_label, x, y, net))
        return parts
    a, b = _word(field, old, net, model), _word(field, new, net, model)
    return [] if a == b else [f"{label}: {a} → {b}"]


def _list_diff(section: str, model: type[BaseModel] | None, field: str, label: str,
               old: list[Any], new: list[Any], net: Network | None) -> list[str]:
    kind, of = _kind(model, field)
    item_model = of if kind == "model" else None
    olds, news = {_same(x) for x in old}, {_same(x) for x in new}
    added = [x for x in new if _same(x) not in olds]
    removed = [x for x in old if _same(x) not in news]
    parts = []
    by_identity = {_identity(x): x for x in removed if _identity(x) is not None}
    for x in list(added):
        was = by_identity.get(_identity(x)) if _identity(x) is not None else None
        if was is None:
            continue
        added.remove(x)
        removed.remove(was)
        inner = field_changes_of(section, item_model, was, x, net)
        parts.append(f"{label}: {_word(field, x, net, model)} geändert"
                     + (f" ({'; '.join(inner)})" if inner else ""))
    if added:
        parts.append(f"{label}: {_word(field, added, net, model)} hinzugefügt")
    if removed:
        parts.append(f"{label}: {_word(field, removed, net, model)} entfernt")
    if not parts:
        parts.append(f"{label}: Reihenfolge geändert")
    return parts


def field_changes_of(section: str, model: type[BaseModel] | None, before: dict[str, Any],
                     after: dict[str, Any], net: Network | None) -> list[str]:
    """The changes inside one nested entry (a year's social data, an agenda item)."""
    parts = []
    for sub in [*after, *(k for k in before if k not in after)]:
        x, y = before.get(sub, _default(model, sub)), after.get(sub, _default(model, sub))
        if x != y:
            parts.extend(_diff(section, model, sub, _sublabel(section, "", sub), x, y, net))
    return parts


_ACTORS = {"lokal": "die Koordination (Einzelplatz)", "lotse": "die Kommandozeile (lotse)"}


def actor_name(actor: str) -> str:
    """Who made a change, in words (a user name, or the tool that made it)."""
    return _ACTORS.get(actor, actor)


def entry_name(entry: AuditEntry, net: Network | None = None) -> str:
    """What a change is about, in words: „Name“ (or „Von → Zu“ for a transition)."""
    return _name(entry, net)


def sentence(entry: AuditEntry, net: Network | None = None) -> str:
    """One recorded change as a German sentence."""
    who = actor_name(entry.actor)
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
    return _end(f"{head} {definite} {name} geändert: {'; '.join(changes)}")


def _end(text: str) -> str:
    """A sentence ends with one full stop, also after a value ending with one."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


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
