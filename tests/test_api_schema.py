"""schemathesis over the whole web API, every check on (tests/schemathesis.toml): no 500,
every answer as documented (status, content type, schema, headers, ``Allow`` on 405),
schema-valid data accepted, schema-violating data rejected, a missing If-Match refused –
with positive and negative data, then stateful sequences along the links schemathesis
infers (create → read → change → delete). Runs on the embedded store with a coordinator
token, so writes are exercised; at least 1,000 requests in all (counted below)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.web.access import TokenFile, new_token
from api.web.app import create_app
from api.web.settings import ApiSettings
from api.web.state import StoreState
from graph.backends.memory import MemoryRepository
from seeds import load_seed

CONFIG = SchemathesisConfig.from_path(str(Path(__file__).with_name("schemathesis.toml")))
CALLS: Counter[str] = Counter()
SEED = load_seed("dortmund")


def _app():  # type: ignore[no-untyped-def]
    folder = Path(__file__).resolve().parent.parent / ".pytest_cache"
    folder.mkdir(exist_ok=True)
    token, entry = new_token("schema-test", "coordinator")
    TokenFile(tokens=[entry]).write(folder / "schema-tokens.yaml")
    repo = MemoryRepository()
    repo.replace(SEED, "test")
    app = create_app(ApiSettings(store="unbenutzt.json",
                                 tokens_file=folder / "schema-tokens.yaml"), repo=repo)
    return app, token


APP, TOKEN = _app()
AUTH = {"Authorization": f"Bearer {TOKEN}"}
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG).include(
    path_regex="^/api/")
# the drawings are slow (matplotlib): a few examples of them, many of everything else
SLOW = ("/map", "/matrix", "/report")
_SETTINGS = settings(max_examples=5, deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))


@schema.parametrize()
@_SETTINGS
def test_api_matches_its_schema(case: schemathesis.Case) -> None:
    if case.path.endswith(SLOW) and "format" in (case.query or {}):
        case.query = dict(case.query or {}, format="svg")  # no PDF/PNG rendering in CI
    CALLS["cases"] += 1
    case.call_and_validate(headers=AUTH)


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        # every sequence starts from the same stored network (hypothesis replays them)
        repo = MemoryRepository()
        repo.replace(SEED, "test")
        APP.state.store = StoreState(repo)

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {"headers": AUTH}

    def after_call(self, response: Any, case: schemathesis.Case) -> None:
        CALLS["stateful"] += 1


def test_api_workflows() -> None:
    Workflow.run(settings=settings(max_examples=20, stateful_step_count=6, deadline=None,
                                   derandomize=True, suppress_health_check=list(HealthCheck)))


def test_enough_requests() -> None:
    """Runs after the two above (file order): the whole run made at least 1,000 calls."""
    if not CALLS:
        pytest.skip("nur zusammen mit den beiden Tests oben aussagekräftig")
    print(f"schemathesis: {CALLS['cases']} Einzelfälle, {CALLS['stateful']} Schritte in "
          "Abläufen")
    assert CALLS["cases"] + CALLS["stateful"] >= 1_000, CALLS


def test_schema_has_every_resource() -> None:
    paths = APP.openapi()["paths"]
    for name in ("quarters", "providers", "services", "transitions", "agreements",
                 "referral-flows"):
        assert {"get", "post"} <= set(paths[f"/api/v1/{name}"])
        assert {"get", "put", "delete"} <= set(paths[f"/api/v1/{name}/{{key}}"])


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
