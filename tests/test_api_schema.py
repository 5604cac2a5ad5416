"""schemathesis against the app's own OpenAPI: no 500s, every response matches the
schema, status codes and content types are documented. Bounded examples per operation
(CI); runs on the embedded store with a coordinator token, so writes are exercised."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.web.access import TokenFile, new_token
from api.web.app import create_app
from api.web.settings import ApiSettings
from graph.backends.memory import MemoryRepository
from seeds import load_seed


def _app():  # type: ignore[no-untyped-def]
    folder = Path(__file__).resolve().parent.parent / ".pytest_cache"
    folder.mkdir(exist_ok=True)
    token, entry = new_token("schema-test", "coordinator")
    TokenFile(tokens=[entry]).write(folder / "schema-tokens.yaml")
    repo = MemoryRepository()
    repo.replace(load_seed("dortmund"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json",
                                 tokens_file=folder / "schema-tokens.yaml"), repo=repo)
    return app, token


APP, TOKEN = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


@schema.parametrize()
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_matches_its_schema(case: schemathesis.Case) -> None:
    if case.path.endswith(("/map", "/matrix", "/report")):
        case.query = dict(case.query or {}, format="svg") if "report" not in case.path \
            else case.query
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)


def test_schema_has_every_resource() -> None:
    paths = APP.openapi()["paths"]
    for name in ("quarters", "providers", "services", "transitions", "agreements",
                 "referral-flows"):
        assert {"get", "post"} <= set(paths[f"/api/v1/{name}"])
        assert {"get", "put", "delete"} <= set(paths[f"/api/v1/{name}/{{key}}"])


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
