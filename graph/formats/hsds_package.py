"""The HSDS tabular data package: one CSV file per HSDS table plus ``datapackage.json``.

:func:`flatten` turns the nested HSDS document of :func:`graph.formats.hsds.to_hsds` into
the specification's tables (columns and order as in its ``tabular`` example; nested
objects become rows of their own table with the foreign key of their parent; taxonomy
terms of attributes go to ``taxonomy_terms.csv`` and are referenced by
``taxonomy_term_id``). :func:`nest` is the way back, also for foreign packages.
Files are UTF-8, comma-separated (RFC 4180).

>>> from seeds import load_seed
>>> from graph.formats.hsds import to_hsds
>>> tables = flatten(to_hsds(load_seed("unna")).document)
>>> len(tables["services"]), sorted(tables)[:3]
(10, ['attributes', 'contacts', 'languages'])
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from graph.errors import FormatError
from graph.formats.cells import neutralise, restore

__all__ = ["COLUMNS", "flatten", "nest", "read_package", "write_package"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "alternate_name", "description", "email", "website",
                      "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
                      "uri", "parent_organization_id"),
    "organization_identifiers": ("id", "organization_id", "identifier_scheme",
                                 "identifier_type", "identifier"),
    "services": ("id", "organization_id", "program_id", "name", "alternate_name",
                 "description", "url", "email", "status", "interpretation_services",
                 "application_process", "fees_description", "wait_time", "fees",
                 "accreditations", "eligibility_description", "minimum_age", "maximum_age",
                 "assured_date", "assurer_email", "licenses", "alert", "last_modified"),
    "service_areas": ("id", "service_id", "name", "description", "extent", "extent_type",
                      "uri"),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "locations": ("id", "location_type", "url", "organization_id", "name", "alternate_name",
                  "description", "transportation", "latitude", "longitude",
                  "external_identifier", "external_identifier_type"),
    "languages": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "phones": ("id", "location_id", "service_id", "organization_id", "contact_id",
               "service_at_location_id", "number", "extension", "type", "description"),
    "schedules": ("id", "service_id", "location_id", "service_at_location_id", "valid_from",
                  "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq",
                  "interval", "byday", "byweekno", "bymonthday", "byyearday", "description",
                  "opens_at", "closes_at", "schedule_link", "attending_type", "notes"),
    "contacts": ("id", "organization_id", "service_id", "service_at_location_id",
                 "location_id", "name", "title", "department", "email"),
    "addresses": ("id", "location_id", "attention", "address_1", "address_2", "city",
                  "region", "state_province", "postal_code", "country", "address_type"),
    "attributes": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
    "taxonomies": ("id", "name", "description", "uri", "version"),
    "taxonomy_terms": ("id", "code", "name", "description", "parent_id", "taxonomy",
                       "language", "taxonomy_id", "term_uri"),
}
"""The tables written and read, with the specification's columns."""

NUMBERS = {"minimum_age", "maximum_age", "latitude", "longitude", "year_incorporated",
           "extension", "timezone", "count", "interval"}
"""Columns whose values are numbers (JSON Schema ``number``)."""


def _row(table: str, obj: dict[str, Any], **keys: Any) -> dict[str, Any]:
    data = {**obj, **keys}
    return {c: data[c] for c in COLUMNS[table] if data.get(c) not in (None, "")}


def flatten(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The nested HSDS document as rows per table (only tables that have rows)."""
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in COLUMNS}
    terms: dict[str, dict[str, Any]] = {}

    def attributes(obj: dict[str, Any]) -> None:
        for a in obj.get("attributes", []):
            term = a.get("taxonomy_term")
            if isinstance(term, dict):
                terms.setdefault(term["id"], _row("taxonomy_terms", term))
            tables["attributes"].append(_row("attributes", a))

    for org in doc.get("organizations", []):
        tables["organizations"].append(_row("organizations", org))
        for phone in org.get("phones", []):
            tables["phones"].append(_row("phones", phone, organization_id=org["id"]))
        for ident in org.get("organization_identifiers", []):
            tables["organization_identifiers"].append(
                _row("organization_identifiers", ident, organization_id=org["id"]))
        attributes(org)
    for s in doc.get("services", []):
        tables["services"].append(_row("services", s))
        for table, key in (("languages", "languages"), ("phones", "phones"),
                           ("schedules", "schedules"), ("contacts", "contacts")):
            for item in s.get(key, []):
                tables[table].append(_row(table, item, service_id=s["id"]))
        for area in s.get("service_areas", []):
            tables["service_areas"].append(_row("service_areas", area, service_id=s["id"]))
            attributes(area)
        for link in s.get("service_at_locations", []):
            tables["service_at_location"].append(
                _row("service_at_location", link, service_id=s["id"]))
        attributes(s)
    for place in doc.get("locations", []):
        tables["locations"].append(_row("locations", place))
        for address in place.get("addresses", []):
            tables["addresses"].append(_row("addresses", address, location_id=place["id"]))
        for table in ("phones", "schedules", "contacts"):
            for item in place.get(table, []):
                tables[table].append(_row(table, item, location_id=place["id"]))
        attributes(place)
    tables["taxonomies"] = [_row("taxonomies", t) for t in doc.get("taxonomies", [])]
    tables["taxonomy_terms"] = list(terms.values())
    return {t: rows for t, rows in tables.items() if rows}


def nest(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Rows per table (without ``.csv``) as a nested HSDS document."""

    def rows(name: str) -> list[dict[str, Any]]:
        return [dict(r) for r in tables.get(name, []) if isinstance(r, dict)]

    def by(name: str, key: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in rows(name):
            if isinstance(r.get(key), str):
                out.setdefault(r[key], []).append(r)
        return out

    for name in tables:
        for r in tables[name]:
            for c in NUMBERS & set(r):
                try:
                    r[c] = float(r[c])
                except (TypeError, ValueError):
                    r.pop(c)
    terms = {r["id"]: r for r in rows("taxonomy_terms") if isinstance(r.get("id"), str)}
    taxonomies = {r["id"]: r for r in rows("taxonomies") if isinstance(r.get("id"), str)}
    for term in terms.values():
        taxonomy = taxonomies.get(str(term.get("taxonomy_id")))
        if "taxonomy" not in term and taxonomy is not None:
            term["taxonomy"] = taxonomy.get("name")
    attrs = by("attributes", "link_id")
    for linked in attrs.values():
        for a in linked:
            found_term = terms.get(str(a.get("taxonomy_term_id")))
            if found_term is not None:
                a["taxonomy_term"] = found_term
    places = {r["id"]: r for r in rows("locations") if isinstance(r.get("id"), str)}
    for location_id, found in by("addresses", "location_id").items():
        if location_id in places:
            places[location_id]["addresses"] = found
    for table in ("phones", "schedules", "contacts"):  # those of a location, not a service
        for location_id, found in by(table, "location_id").items():
            mine = [r for r in found if not r.get("service_id")]
            if location_id in places and mine:
                places[location_id][table] = mine
    for location_id, place in places.items():
        if attrs.get(location_id):
            place["attributes"] = attrs[location_id]
    links = by("service_at_location", "service_id")
    for group in links.values():
        for link in group:
            if link.get("location_id") in places:
                link["location"] = places[link["location_id"]]
    areas = by("service_areas", "service_id")
    for group in areas.values():
        for area in group:
            area["attributes"] = attrs.get(str(area.get("id")), [])
    related = {key: by(key, "service_id") for key in ("languages", "phones", "schedules",
                                                      "contacts")}
    services = []
    for s in rows("services"):
        sid = str(s.get("id"))
        for key, by_service in related.items():
            if by_service.get(sid):
                s[key] = by_service[sid]
        if areas.get(sid):
            s["service_areas"] = areas[sid]
        if links.get(sid):
            s["service_at_locations"] = links[sid]
        s["attributes"] = attrs.get(sid, [])
        services.append(s)
    identifiers = by("organization_identifiers", "organization_id")
    org_phones = by("phones", "organization_id")
    organizations = []
    for org in rows("organizations"):
        oid = str(org.get("id"))
        phones = [r for r in org_phones.get(oid, []) if not r.get("service_id")
                  and not r.get("location_id")]
        if phones:
            org["phones"] = phones
        org["organization_identifiers"] = identifiers.get(oid, [])
        org["attributes"] = attrs.get(oid, [])
        organizations.append(org)
    doc: dict[str, Any] = {"organizations": organizations, "services": services,
                           "locations": list(places.values())}
    if not services and not organizations:
        doc["taxonomies"] = list(taxonomies.values())
        doc["taxonomy_terms"] = list(terms.values())
    return doc


def _datapackage(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"profile": "tabular-data-package", "name": "lotsensystem-hsds",
            "title": "Angebote und Träger aus dem lotsensystem (Open Referral HSDS 3.0)",
            "resources": [{
                "name": t, "path": f"{t}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": [{"name": c, "type": "number" if c in NUMBERS
                                       else "string"} for c in COLUMNS[t]],
                           "primaryKey": ["id"]}} for t in tables]}


def write_package(doc: dict[str, Any], folder: Path) -> None:
    """Write the document as CSV files and ``datapackage.json`` into ``folder``."""
    from graph.atomic import atomic_write_bytes

    tables = flatten(doc)
    folder.mkdir(parents=True, exist_ok=True)
    for table, found in tables.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS[table])
        writer.writeheader()
        for r in found:
            writer.writerow({k: _cell(v) for k, v in r.items()})
        atomic_write_bytes(folder / f"{table}.csv", buffer.getvalue().encode("utf-8"))
    atomic_write_bytes(folder / "datapackage.json", json.dumps(
        _datapackage(tables), ensure_ascii=False, indent=2).encode("utf-8"))


def _cell(value: Any) -> str:
    """The cell's text; a text a spreadsheet would run (``=…``) with a leading ``'``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return neutralise(value) if isinstance(value, str) else str(value)


def read_package(folder: Path) -> dict[str, Any]:
    """The CSV files of a tabular package folder as a nested HSDS document."""
    present = {p.stem: p for p in folder.glob("*.csv")}
    if "services" not in present and "organizations" not in present:
        raise FormatError("Im Ordner fehlen services.csv und organizations.csv – das ist "
                          "kein HSDS-Tabellenpaket.", str(folder))
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, path in present.items():
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("Die Datei ist nicht UTF-8-kodiert.", str(path)) from None
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        tables[name] = [{k: restore(v) if isinstance(v, str) else v for k, v in row.items()
                         if k and v not in ("", None)}
                        for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)]
    return nest(tables)
