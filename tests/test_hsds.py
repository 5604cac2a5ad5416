"""Open Referral HSDS 3.0: our export validates against the official schemas, and the
specification's own examples import."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from graph.errors import LotsenError
from graph.formats.hsds import from_hsds, read_hsds, to_hsds
from seeds import list_seeds, load_seed
from tests.test_cli import lotse

HSDS = Path(__file__).resolve().parent.parent.parent / "shared" / "hsds"


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8"))
               for p in (HSDS / "schema").glob("*.json") if p.name != "openapi.json"}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in schemas.items())
    return {name: Draft202012Validator(schemas[f"{name}.json"], registry=registry,
                                       format_checker=FormatChecker())
            for name in ("service", "organization", "location")}


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_export_validates_against_the_official_schemas(validators, name):
    export = to_hsds(load_seed(name))
    assert export.document["services"] and export.document["organizations"]
    for service in export.document["services"]:
        errors = list(validators["service"].iter_errors(service))
        assert not errors, [e.message for e in errors][:3]
    for org in export.document["organizations"]:
        assert not list(validators["organization"].iter_errors(org))
    places = export.document["locations"]
    assert places  # every seed names some sites
    for place in places:
        assert not list(validators["location"].iter_errors(place))
    linked = {link["location_id"] for s in export.document["services"]
              for link in s.get("service_at_locations", [])}
    assert linked == {p["id"] for p in places}
    assert export.not_exported  # what HSDS cannot hold is said


def test_validator_is_not_a_rubber_stamp(validators):
    service = to_hsds(load_seed("unna")).document["services"][0]
    broken = {**service, "status": "offen", "id": "keine-uuid"}
    assert len(list(validators["service"].iter_errors(broken))) >= 2


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_round_trip_keeps_providers_services_and_transitions(name):
    net = load_seed(name)
    back = from_hsds(json.loads(json.dumps(to_hsds(net).document))).network
    assert {s.id for s in back.services} == {s.id for s in net.services}
    assert {p.id for p in back.providers} == {p.id for p in net.providers}
    original = {s.id: s for s in net.services}
    for s in back.services:
        o = original[s.id]
        assert (s.name, s.provider, s.life_stages, s.fields, s.languages, s.capacity_per_year,
                s.status, s.site) == (o.name, o.provider, o.life_stages, o.fields, o.languages,
                                      o.capacity_per_year, o.status, o.site)
    assert {(t.source, t.target, t.owner) for t in back.transitions} == \
        {(t.source, t.target, t.owner) for t in net.transitions}


@pytest.mark.parametrize("example", ["service_full.json", "service_list.json",
                                     "organization_full.json", "service_at_location_full.json"])
def test_the_specifications_examples_import(example):
    result = read_hsds(HSDS / "examples" / example)
    assert result.network.services
    assert any("Altersbereich" in n for n in result.notes)


def test_locations_of_the_examples_become_sites():
    one = read_hsds(HSDS / "examples" / "service_at_location_full.json").network.services[0]
    place = json.loads((HSDS / "examples" / "service_at_location_full.json").read_text())
    assert one.site == place["location"]["name"]
    full = json.loads((HSDS / "examples" / "service_full.json").read_text())
    named = [link["location"]["name"] for link in full.get("service_at_locations", [])]
    assert read_hsds(HSDS / "examples" / "service_full.json").network.services[0].site == (
        named[0] if named else None)


def test_the_tabular_data_package_imports():
    result = read_hsds(HSDS / "examples" / "csv")
    (service,) = result.network.services
    assert service.site  # locations.csv via service_at_location.csv
    assert service.name == "Community Counselling"
    assert "ur" in service.languages
    assert service.life_stages == ["primary_school"]  # aged 12 and over: the chain's end


def test_cli_export_and_import_hsds(tmp_path):
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    result = lotse("export", "kette.hsds.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nicht übertragen" in result.stdout
    imported = lotse("import", "kette.hsds.json", "--store", "h.json", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    package = lotse("import", str(HSDS / "examples" / "csv"), "--store", "p.json", cwd=tmp_path)
    assert package.returncode == 0, package.stderr


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "name", "status", "services", "organizations",
                                       "organization_id", "languages", "service_areas",
                                       "attributes", "code", "minimum_age", "maximum_age",
                                       "contents", "link_entity", "link_type", "value"]),
                      children, max_size=6), max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(JSONISH)
def test_fuzzed_hsds_never_crashes(doc):
    with contextlib.suppress(LotsenError):  # a clear, German refusal is fine; nothing else
        from_hsds(doc)
