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


def test_wirkung_page_compares_the_year_before_and_after(tmp_path: Path) -> None:
    from tests.test_wirkung import KEY, _measure_network

    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(_measure_network(), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    quarter = client.get("/quartiere/brunnenstrasse").text
    assert 'href="/quartiere/brunnenstrasse/wirkung"' in quarter
    page = client.get("/quartiere/brunnenstrasse/wirkung?stichtag=2026-11-22").text
    assert "Maßnahme „Kooperationsvertrag Willkommensbesuch“, wirksam seit 01.06.2025" in page
    assert "<th scope=\"row\">Vermittelt (Familien)</th><td>40</td><td>132</td>" in page
    assert f"Befund der Maßnahme {KEY}: vorher da, jetzt behoben." in page
    empty = client.get("/quartiere/brunnenstrasse/wirkung?stichtag=2025-01-01").text
    assert "keine Maßnahme mit Fälligkeitsdatum" in empty
