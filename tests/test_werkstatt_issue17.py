"""The Werkstatt parts of issue 17's rest: the Familienwegweiser download on the quarter
page, the page „Wirkung nach einem Jahr“ and the cooperation assessment in the transition
form (file store; the forms work the same on every store, see test_werkstatt.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.backends.memory import MemoryRepository
from seeds import load_seed
from tests.werkstatt import log_in, werkstatt


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(load_seed("dortmund"), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    client.app.state.test_store = store  # type: ignore[attr-defined]
    return client


def test_quarter_page_links_the_familienwegweiser_in_three_languages(client: TestClient) -> None:
    page = client.get("/quartiere/brunnenstrasse").text
    for lang in ("de", "tr", "ar"):
        assert f'href="/quartiere/brunnenstrasse/wegweiser?sprache={lang}"' in page
    r = client.get("/quartiere/brunnenstrasse/wegweiser?sprache=ar&stichtag=2026-11-22")
    assert r.status_code == 200 and '<html lang="ar" dir="rtl">' in r.text
    assert "wegweiser-brunnenstrasse-ar.html" in r.headers["content-disposition"]
    bad = client.get("/quartiere/brunnenstrasse/wegweiser?sprache=ru")
    assert bad.status_code == 422 and "vorhanden: de, tr, ar" in bad.text
