"""The web API through FastAPI's TestClient, on the embedded store (memory and file) and
on a real Neo4j server: resources, versions, roles, audit trail, questions, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.access import TokenFile, new_token
from api.web.app import create_app
from api.web.settings import ApiSettings
from graph.backends.memory import MemoryRepository
from seeds import load_seed
from tests.api_client import Api, api_on

AS_OF = "2026-11-22"
ROLES = {"koordination": ("coordinator", []), "quartier-brunnen": ("editor", ["brunnenstrasse"]),
         "quartier-hoerde": ("editor", ["hoerde"]), "bezirk-nord": ("reader", [])}


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("tokens") / "tokens.yaml"
    plain, entries = {}, []
    for name, (role, quarters) in ROLES.items():
        plain[name], entry = new_token(name, role, quarters)
        entries.append(entry)
    TokenFile(tokens=entries).write(path)
    assert "lotse_" not in path.read_text()  # only hashes on disk
    return path, plain


@pytest.fixture(params=["memory", "file", "sqlite", "neo4j"])
def api(request: pytest.FixtureRequest, tmp_path: Path, tokens: Any) -> Iterator[Api]:
    with api_on(request.param, request, tmp_path, tokens) as client:
        yield client


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], list)
    assert "Traceback" not in response.text
    return body


# -- reading --------------------------------------------------------------------------------

def test_list_filter_and_paging(api: Api) -> None:
    page = api("bezirk-nord", "GET", "/api/v1/services", params={"quarter": "hoerde"}).json()
    net = load_seed("dortmund")
    assert page["total"] == len([s for s in net.services if "hoerde" in s.quarters])
    assert all(item["version"] == 1 for item in page["items"])
    first = api("bezirk-nord", "GET", "/api/v1/services", params={"limit": 2}).json()
    second = api("bezirk-nord", "GET", "/api/v1/services",
                 params={"limit": 2, "offset": 2}).json()
    assert [i["data"]["id"] for i in first["items"] + second["items"]] == [
        s.id for s in net.services[:4]]
    named = api("bezirk-nord", "GET", "/api/v1/services", params={"q": "kita"}).json()
    assert named["total"] > 0 and all("kita" in i["data"]["name"].casefold()
                                      for i in named["items"])
    owned = api("bezirk-nord", "GET", "/api/v1/transitions",
                params={"provider": "awo-do"}).json()
    assert all(i["data"]["owner"] == "awo-do" for i in owned["items"])


def test_read_one_with_etag_and_unknown_id(api: Api) -> None:
    r = api("bezirk-nord", "GET", "/api/v1/agreements/kkg3-fruehe-hilfen")
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    body = assert_error(api("bezirk-nord", "GET", "/api/v1/services/babylotse"), 404,
                        "NOT_FOUND")
    assert "Meinten Sie 'babylotsen'" in body["message"]
    assert body["details"][0]["entity"] == "babylotsen"


def test_export_and_import_whole_network(api: Api) -> None:
    got = api("bezirk-nord", "GET", "/api/v1/network")
    doc, etag = got.json(), got.headers["etag"]
    assert doc["format"] == "lotsensystem-netzwerk" and len(doc["services"]) == 26
    assert_error(api("quartier-brunnen", "PUT", "/api/v1/network", json=doc,
                     headers={"If-Match": etag}), 403, "FORBIDDEN")
    doc["name"] = "Neu importiert"
    r = api("koordination", "PUT", "/api/v1/network", json=doc, headers={"If-Match": etag})
    assert r.status_code == 200 and r.json()["action"] == "import"
    broken = dict(doc, services=[dict(doc["services"][0], provider="awo-dortmnd")])
    body = assert_error(api("koordination", "PUT", "/api/v1/network", json=broken,
                            headers={"If-Match": r.headers["etag"]}), 422, "VALIDATION")
    assert any(d["field"] == "provider" for d in body["details"])
    assert api("bezirk-nord", "GET", "/api/v1/network").json()["name"] == "Neu importiert"


# -- changing: versions, conflicts, audit -------------------------------------------------

def _service(api: Api, key: str) -> tuple[dict[str, Any], str]:
    r = api("koordination", "GET", f"/api/v1/services/{key}")
    return r.json()["data"], r.headers["etag"]


def test_update_with_stale_version_is_409_and_changes_nothing(api: Api) -> None:
    data, etag = _service(api, "kita-bornstrasse")
    first = dict(data, capacity_per_year=90)
    r = api("quartier-brunnen", "PUT", "/api/v1/services/kita-bornstrasse", json=first,
            headers={"If-Match": etag})
    assert r.status_code == 200 and r.headers["etag"] == '"2"' and r.json()["version"] == 2
    lost = dict(data, capacity_per_year=10)
    body = assert_error(api("koordination", "PUT", "/api/v1/services/kita-bornstrasse",
                            json=lost, headers={"If-Match": etag}), 409, "CONFLICT")
    assert "Version 2" in body["message"]
    assert _service(api, "kita-bornstrasse")[0]["capacity_per_year"] == 90
    assert_error(api("koordination", "PUT", "/api/v1/services/kita-bornstrasse", json=lost),
                 428, "PRECONDITION_REQUIRED")


def test_audit_trail_shows_who_changed_what(api: Api) -> None:
    data, etag = _service(api, "kita-bornstrasse")
    api("quartier-brunnen", "PUT", "/api/v1/services/kita-bornstrasse",
        json=dict(data, name="TEK Bornstraße 52 – Familienzentrum"), headers={"If-Match": etag})
    history = api("bezirk-nord", "GET", "/api/v1/services/kita-bornstrasse/history").json()
    assert len(history) == 1
    change = history[0]
    assert change["actor"] == "quartier-brunnen" and change["action"] == "update"
    assert change["before"]["name"] == "TEK Bornstraße 52"
    assert change["after"]["name"] == "TEK Bornstraße 52 – Familienzentrum"
    assert change["at"].endswith(("Z", "+00:00"))
    trail = api("bezirk-nord", "GET", "/api/v1/audit").json()
    assert trail["items"][0]["seq"] == change["seq"] and trail["total"] == 2  # + the import


def test_create_and_delete_agreement(api: Api) -> None:
    agreement = {"id": "vereinbarung-neu", "name": "Kooperation Kita–Grundschule",
                 "kind": "cooperation_contract", "parties": ["tek-bornstrasse"],
                 "valid_from": "2026-01-01"}
    # it backs no transition yet: it belongs where its party works (Brunnenstraße only)
    r = api("quartier-brunnen", "POST", "/api/v1/agreements", json=agreement)
    assert r.status_code == 201 and r.headers["location"].endswith("/vereinbarung-neu")
    assert_error(api("quartier-brunnen", "POST", "/api/v1/agreements", json=agreement), 409,
                 "CONFLICT")
    assert_error(api("quartier-brunnen", "DELETE", "/api/v1/agreements/vereinbarung-neu",
                     headers={"If-Match": '"7"'}), 409, "CONFLICT")
    r = api("quartier-brunnen", "DELETE", "/api/v1/agreements/vereinbarung-neu",
            headers={"If-Match": '"1"'})
    assert r.status_code == 204
    assert_error(api("bezirk-nord", "GET", "/api/v1/agreements/vereinbarung-neu"), 404,
                 "NOT_FOUND")
    actions = [e["action"] for e in api("bezirk-nord", "GET",
                                        "/api/v1/agreements/vereinbarung-neu/history").json()]
    assert actions == ["create", "delete"]


def test_invalid_change_names_the_field_and_changes_nothing(api: Api) -> None:
    data, etag = _service(api, "kita-bornstrasse")
    body = assert_error(api("koordination", "PUT", "/api/v1/services/kita-bornstrasse",
                            json=dict(data, provider="awo-dortmnd"),
                            headers={"If-Match": etag}), 422, "VALIDATION")
    assert body["details"][0]["field"] == "provider"
    assert "Meinten Sie" in body["details"][0]["message"]
    body = assert_error(api("koordination", "PUT", "/api/v1/services/kita-bornstrasse",
                            json=dict(data, life_stages=[]), headers={"If-Match": etag}),
                        422, "VALIDATION")
    assert body["details"][0]["field"] == "body.life_stages"
    referenced = assert_error(api("koordination", "DELETE", "/api/v1/providers/awo-do",
                                  headers={"If-Match": '"1"'}), 422, "VALIDATION")
    assert referenced["details"]
    assert _service(api, "kita-bornstrasse") == (data, etag)


# -- roles ---------------------------------------------------------------------------------

def test_tokens_are_required_and_checked(api: Api) -> None:
    r = api(None, "GET", "/api/v1/services")
    assert_error(r, 401, "UNAUTHORIZED")
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(api.client.get("/api/v1/services",
                                headers={"Authorization": "Bearer lotse_falsch"}),
                 401, "UNAUTHORIZED")


def test_reader_cannot_write(api: Api) -> None:
    data, etag = _service(api, "kita-bornstrasse")
    body = assert_error(api("bezirk-nord", "PUT", "/api/v1/services/kita-bornstrasse",
                            json=data, headers={"If-Match": etag}), 403, "FORBIDDEN")
    assert "nur lesen" in body["message"]


def test_editor_of_one_quarter_cannot_change_another(api: Api) -> None:
    data, etag = _service(api, "kita-bornstrasse")  # serves brunnenstrasse only
    assert_error(api("quartier-hoerde", "PUT", "/api/v1/services/kita-bornstrasse",
                     json=dict(data, name="X"), headers={"If-Match": etag}), 403, "FORBIDDEN")
    # moving a service into a quarter one does not edit is refused too
    body = assert_error(api("quartier-hoerde", "PUT", "/api/v1/services/kita-hoerde",
                            json=dict(_service(api, "kita-hoerde")[0],
                                      quarters=["hoerde", "brunnenstrasse"]),
                            headers={"If-Match": '"1"'}), 403, "FORBIDDEN")
    assert "brunnenstrasse" in body["message"]
    # a service shared with other quarters belongs to all of them
    assert_error(api("quartier-brunnen", "PUT", "/api/v1/services/babylotsen",
                     json=_service(api, "babylotsen")[0], headers={"If-Match": '"1"'}),
                 403, "FORBIDDEN")
    # editors change services, transitions, agreements – not providers or quarters
    assert_error(api("quartier-brunnen", "POST", "/api/v1/providers",
                     json={"id": "neu", "name": "Neu", "kind": "other"}), 403, "FORBIDDEN")
    ok = api("quartier-hoerde", "PUT", "/api/v1/services/kita-hoerde",
             json=dict(_service(api, "kita-hoerde")[0], name="Kita Hörde-Mitte"),
             headers={"If-Match": '"1"'})
    assert ok.status_code == 200, ok.text


def test_editor_changes_transitions_of_own_quarter_only(api: Api) -> None:
    t = api("koordination", "GET", "/api/v1/transitions/kita-bornstrasse-grundschule").json()
    r = api("quartier-brunnen", "PUT", "/api/v1/transitions/kita-bornstrasse-grundschule",
            json=dict(t["data"], person_dependent=True), headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert_error(api("quartier-hoerde", "PUT", "/api/v1/transitions/kita-bornstrasse-grundschule",
                     json=t["data"], headers={"If-Match": '"2"'}), 403, "FORBIDDEN")


# -- questions -------------------------------------------------------------------------------

def test_questions(api: Api) -> None:
    get = lambda url, **p: api("bezirk-nord", "GET", url, params={"as_of": AS_OF, **p})  # noqa: E731
    findings = get("/api/v1/quarters/brunnenstrasse/findings").json()
    assert findings[0]["severity"] in ("critical", "high") and "next_step" in findings[0]
    ind = get("/api/v1/quarters/Hörde/indicators").json()
    assert ind["id"] == "hoerde" and 0 <= ind["stage_coverage"] <= 1
    assert {r["id"] for r in get("/api/v1/rollup", level="district").json()} == {"innenstadt-nord",
                                                                           "bezirk-hoerde"}
    cmp = get("/api/v1/compare", first="brunnenstrasse", second="hoerde").json()
    assert cmp["first"] == "brunnenstrasse" and "only_in_first" in cmp
    what_if = get("/api/v1/impact", provider="awo-do").json()
    assert what_if["removed_provider"] == "awo-do" and what_if["appeared"]
    owner = get("/api/v1/transitions/kita-bornstrasse-grundschule/owner").json()
    assert owner["status"] == "abgelaufen" and owner["owner_name"] == "TEK Bornstraße 52"
    by_names = get("/api/v1/owner", **{"from": "Willkommensbesuch", "to":
                                       "Griffbereit – Baby-Eltern-Treff"}).json()
    assert by_names["owner_name"] == "Familienbüro Innenstadt-Nord"
    nxt = get("/api/v1/quarters/brunnenstrasse/next", age_months=24, language="ar").json()
    assert nxt["suggestions"] and nxt["age_months"] == 24
    assert_error(get("/api/v1/impact"), 422, "VALIDATION")
    assert_error(get("/api/v1/quarters/nirgendwo/findings"), 404, "NOT_FOUND")
    body = assert_error(api("bezirk-nord", "GET", "/api/v1/quarters/hoerde/findings",
                            params={"as_of": "31.02.2026"}), 422, "VALIDATION")
    assert body["details"][0]["field"] == "as_of"


def test_map_matrix_report(api: Api) -> None:
    get = lambda url, **p: api("bezirk-nord", "GET", url, params={"as_of": AS_OF, **p})  # noqa: E731
    html = get("/api/v1/quarters/brunnenstrasse/map")
    assert html.headers["content-type"].startswith("text/html") and "vis.Network" in html.text
    assert get("/api/v1/quarters/brunnenstrasse/map", format="png").content.startswith(
        b"\x89PNG")
    assert get("/api/v1/quarters/hoerde/matrix", format="svg").headers[
        "content-type"] == "image/svg+xml"
    assert "Quartiersbericht" in get("/api/v1/quarters/hoerde/report").text
    assert_error(get("/api/v1/quarters/hoerde/map", format="gif"), 422, "VALIDATION")


def test_openapi_is_german_and_docs_work_offline(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    assert spec["info"]["title"].startswith("lotsensystem")
    op = spec["paths"]["/api/v1/services/{key}"]["put"]
    assert op["summary"] == "Angebot ändern" and "409" in op["responses"]
    docs = api.client.get("/docs").text
    assert "cdn" not in docs.casefold() and "/static-offline-docs/swagger-ui-bundle.js" in docs
    assert api.client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_docs_render_in_chromium_without_internet(tokens: Any) -> None:
    """/docs in real headless Chromium with every request outside 127.0.0.1 blocked."""
    import socket
    import threading
    import time

    import uvicorn

    from tests.browser import chromium

    repo = MemoryRepository()
    repo.replace(load_seed("brunnenstrasse"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json", tokens_file=tokens[0]), repo=repo)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with chromium() as browser:
            page = browser.new_page()
            outside: list[str] = []
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            def route(r: Any) -> None:
                if r.request.url.startswith(f"http://127.0.0.1:{port}/"):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(f"http://127.0.0.1:{port}/docs")
            page.wait_for_selector(".opblock-tag", timeout=20000)
            assert page.locator(".opblock-tag").count() >= 10  # one per German tag
            assert "lotsensystem" in page.locator(".title").first.inner_text()
            page.locator(".opblock-tag", has_text="Fragen").first.click()
            page.wait_for_selector(".opblock", timeout=10000)
            assert page.locator(".opblock").count() == 9  # the nine questions (worksites too)
            assert outside == [] and errors == []
    finally:
        server.should_exit = True
        thread.join(10)


def test_owner_fast_route_keeps_auth_and_errors(api: Api) -> None:
    """The lean route of the hot question answers exactly like the documented one."""
    url = "/api/v1/transitions/babylotsen-familienhebammen/owner"
    assert_error(api(None, "GET", url), 401, "UNAUTHORIZED")
    body = assert_error(api("bezirk-nord", "GET", "/api/v1/transitions/babylotse/owner"), 404,
                        "NOT_FOUND")
    assert "Übergang 'babylotse'" in body["message"]
    bad = assert_error(api("bezirk-nord", "GET", url, params={"as_of": "2026-02-30"}), 422,
                       "VALIDATION")
    assert bad["details"][0]["field"] == "as_of"
    ok = api("quartier-hoerde", "GET", url, params={"as_of": "22.11.2026"})
    assert ok.status_code == 200 and ok.json()["owner"] == "geburtskliniken-do"
    spec = api.client.get("/openapi.json").json()
    assert "get" in spec["paths"]["/api/v1/transitions/{transition}/owner"]


def test_owner_fast_path_answers_like_the_documented_route(api: Api) -> None:
    """The ASGI fast path (ISO date) and FastAPI's route (German date, which the fast path
    leaves to FastAPI) give byte-identical answers; the fast path follows a change."""
    url = "/api/v1/transitions/kita-bornstrasse-grundschule/owner"
    fast = api("bezirk-nord", "GET", url, params={"as_of": AS_OF})
    documented = api("bezirk-nord", "GET", url, params={"as_of": "22.11.2026"})
    assert AS_OF == "2026-11-22"
    assert fast.status_code == documented.status_code == 200
    assert fast.content == documented.content
    assert fast.headers["content-type"] == documented.headers["content-type"]
    assert fast.json()["owner"] == "tek-bornstrasse"
    t = api("koordination", "GET", "/api/v1/transitions/kita-bornstrasse-grundschule")
    changed = api("koordination", "PUT", "/api/v1/transitions/kita-bornstrasse-grundschule",
                  headers={"If-Match": t.headers["ETag"]},
                  json=dict(t.json()["data"], owner="awo-do"))
    assert changed.status_code == 200, changed.text
    assert api("bezirk-nord", "GET", url, params={"as_of": AS_OF}).json()["owner"] == "awo-do"


def test_owner_fast_path_takes_only_the_ordinary_case(tmp_path: Path, tokens: Any) -> None:
    """The middleware answers the ordinary case itself and hands everything else on."""
    import asyncio

    from api.web.fast import OwnerFastPath

    path, plain = tokens
    repo = MemoryRepository()
    repo.replace(load_seed("dortmund"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json", tokens_file=path), repo=repo)
    handed_on: list[str] = []

    async def documented(scope: Any, receive: Any, send: Any) -> None:
        handed_on.append(scope["path"])

    fast = OwnerFastPath(documented, app.state)

    def ask(url: str, query: str = f"as_of={AS_OF}", who: str | None = "bezirk-nord",
            method: str = "GET") -> list[Any]:
        sent: list[Any] = []

        async def send(message: Any) -> None:
            sent.append(message)

        headers = [(b"authorization", f"Bearer {plain[who]}".encode())] if who else []
        scope = {"type": "http", "method": method, "path": url, "headers": headers,
                 "query_string": query.encode()}
        asyncio.run(fast(scope, None, send))  # type: ignore[arg-type]
        return sent

    url = "/api/v1/transitions/babylotsen-familienhebammen/owner"
    answered = ask(url)
    assert answered[0]["status"] == 200 and b'"owner":"geburtskliniken-do"' in answered[1]["body"]
    assert ask(url, query="") and handed_on == []  # no as_of: today, still the fast path
    for case in ({"who": None}, {"query": "as_of=22.11.2026"}, {"query": "as_of=2026-02-30"},
                 {"query": "as_of=2026-11-22&x=1"}, {"method": "POST"}):
        assert ask(url, **case) == []
    assert ask("/api/v1/transitions/babylotse/owner") == []
    assert ask("/api/v1/transitions/a/b/owner") == []
    assert len(handed_on) == 7


def test_cors_covers_the_owner_fast_path(tmp_path: Path, tokens: Any) -> None:
    path, plain = tokens
    repo = MemoryRepository()
    repo.replace(load_seed("dortmund"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json", tokens_file=path,
                                 cors_origins=["https://portal.example"]), repo=repo)
    with TestClient(app) as client:
        answer = client.get("/api/v1/transitions/babylotsen-familienhebammen/owner",
                            params={"as_of": AS_OF},
                            headers={"Authorization": f"Bearer {plain['bezirk-nord']}",
                                     "Origin": "https://portal.example"})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "https://portal.example"


def test_findings_follow_a_change(api: Api) -> None:
    """Answers are kept per stored state: after a change the next answer is the new one."""
    url = "/api/v1/quarters/brunnenstrasse/findings"

    def codes() -> list[tuple[str, list[str]]]:
        body = api("bezirk-nord", "GET", url, params={"as_of": AS_OF}).json()
        return [(f["code"], f["ids"]) for f in body]

    before = codes()
    assert ("NO_OWNER", ["kita-familienzentrum-grundschule"]) in before
    assert codes() == before  # the kept answer
    t = api("koordination", "GET", "/api/v1/transitions/kita-familienzentrum-grundschule")
    r = api("quartier-brunnen", "PUT", "/api/v1/transitions/kita-familienzentrum-grundschule",
            json=dict(t.json()["data"], owner="kath-familienzentrum"),
            headers={"If-Match": t.headers["etag"]})
    assert r.status_code == 200, r.text
    assert ("NO_OWNER", ["kita-familienzentrum-grundschule"]) not in codes()


def test_change_of_an_unknown_id_is_404(api: Api) -> None:
    data, _ = _service(api, "kita-bornstrasse")
    body = assert_error(api("koordination", "PUT", "/api/v1/services/kita-bornstrase",
                            json=dict(data, id="kita-bornstrase"), headers={"If-Match": '"1"'}),
                        404, "NOT_FOUND")
    assert "Meinten Sie 'kita-bornstrasse'" in body["message"]
    assert_error(api("koordination", "DELETE", "/api/v1/services/gibt-es-nicht",
                     headers={"If-Match": '"1"'}), 404, "NOT_FOUND")


def test_old_states_are_freed_after_changes() -> None:
    """A network and its analysis index point at each other; the frozen GC generation must
    not keep every earlier state of a long-running server alive."""
    import weakref

    repo = MemoryRepository()
    repo.replace(load_seed("dortmund"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json", auth=False), repo=repo)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        earlier = []
        for capacity in (10, 11, 12):
            client.get("/api/v1/quarters/brunnenstrasse/findings")  # builds the index
            earlier.append(weakref.ref(app.state.store.snapshot().network))
            r = client.get("/api/v1/services/kita-bornstrasse")
            assert client.put("/api/v1/services/kita-bornstrasse",
                              json=dict(r.json()["data"], capacity_per_year=capacity),
                              headers={"If-Match": r.headers["etag"]}).status_code == 200
        client.get("/api/v1/quarters/brunnenstrasse/findings")
        # the state just before the current one stays until the next change (a request
        # that started on it may still use its index); all earlier ones are freed
        assert [ref() is None for ref in earlier] == [True, True, False]


def test_measures_and_accepted_findings_over_the_api(api: Api) -> None:
    findings = api("bezirk-nord", "GET", "/api/v1/quarters/brunnenstrasse/findings",
                   params={"as_of": AS_OF}).json()
    key = findings[0]["key"]
    measure = {"id": "massnahme-1", "title": "Vereinbarung nachverhandeln", "findings": [key],
               "responsible": "awo-do", "due": "2027-03-31"}
    assert api("quartier-brunnen", "POST", "/api/v1/measures", json=measure
               ).status_code == 403  # measures are the coordination's
    r = api("koordination", "POST", "/api/v1/measures", json=measure)
    assert r.status_code == 201
    assert api("bezirk-nord", "GET", "/api/v1/measures/massnahme-1").json()["data"][
        "title"] == "Vereinbarung nachverhandeln"
    accepted = {"key": key, "reason": "In der Steuerungsgruppe besprochen", "by": "Koordination",
                "on": AS_OF}
    r = api("koordination", "POST", "/api/v1/accepted-findings", json=accepted)
    assert r.status_code == 201, r.text
    read = api("bezirk-nord", "GET", f"/api/v1/accepted-findings/{key}")
    assert read.status_code == 200 and read.json()["data"]["reason"].startswith("In der")
    r = api("koordination", "DELETE", f"/api/v1/accepted-findings/{key}",
            headers={"If-Match": read.headers["etag"]})
    assert r.status_code == 204


def test_worksites_are_the_ranked_open_findings(api: Api) -> None:
    top = api("bezirk-nord", "GET", "/api/v1/quarters/brunnenstrasse/worksites",
              params={"as_of": AS_OF, "n": 3}).json()
    assert [f["rank"] for f in top] == [1, 2, 3] and all(f["key"] for f in top)
    accepted = {"key": top[0]["key"], "reason": "So gewollt", "by": "Koordination",
                "on": AS_OF}
    assert api("koordination", "POST", "/api/v1/accepted-findings", json=accepted
               ).status_code == 201
    again = api("bezirk-nord", "GET", "/api/v1/quarters/brunnenstrasse/worksites",
                params={"as_of": AS_OF, "n": 3}).json()
    assert top[0]["key"] not in [f["key"] for f in again]  # accepted: not a worksite
