"""``lotse map``, ``lotse matrix`` and ``lotse report``, run as real processes."""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET

import pytest

from tests.test_cli import lotse

AS_OF = "2026-11-22"

# ``store``: a folder whose store holds the dortmund seed (tests/conftest.py)


def test_map_writes_offline_html_by_default(store):
    result = lotse("map", "-q", "brunnenstrasse", "--as-of", AS_OF, cwd=store)
    assert result.returncode == 0, result.stderr
    page = (store / "karte-brunnenstrasse.html").read_text(encoding="utf-8")
    assert "Stand 22.11.2026" in page and "vis.Network" in page
    assert "17 Knoten, 19 Übergänge" in result.stdout


def test_meeting_map_has_its_own_file_with_usual_permissions(store):
    normal = lotse("map", "-q", "brunnenstrasse", "--as-of", AS_OF, cwd=store)
    meeting = lotse("map", "-q", "brunnenstrasse", "--as-of", AS_OF, "--meeting", cwd=store)
    assert normal.returncode == 0 and meeting.returncode == 0, meeting.stderr
    plain = (store / "karte-brunnenstrasse.html").read_text(encoding="utf-8")
    big = (store / "karte-brunnenstrasse-besprechung.html").read_text(encoding="utf-8")
    assert 'class="besprechung"' in big and 'class="besprechung"' not in plain
    umask = os.umask(0o022)
    os.umask(umask)
    for name in ("karte-brunnenstrasse.html", "karte-brunnenstrasse-besprechung.html"):
        assert stat.S_IMODE((store / name).stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<?xml"),
                                       ("pdf", b"%PDF")])
def test_map_for_slides(store, fmt, magic):
    result = lotse("map", "-q", "Libellenquartier", "--format", fmt, "--meeting",
                   "--out", f"karte.{fmt}", cwd=store)
    assert result.returncode == 0, result.stderr
    assert (store / f"karte.{fmt}").read_bytes().startswith(magic)
    assert "Lücken in Lebensphasen: 1" in result.stdout


def test_map_focus_path_and_all_quarters(store):
    focus = lotse("map", "-q", "brunnenstrasse", "--focus", "Willkommensbesuch", "--hops", "0",
                  "-o", "fokus.svg", cwd=store)
    assert focus.returncode == 0, focus.stderr
    assert "1 Knoten, 0 Übergänge" in focus.stdout
    assert "Fokus: Willkommensbesuch" in (store / "fokus.svg").read_text(encoding="utf-8")
    path = lotse("map", "-q", "brunnenstrasse", "--from", "Babylotsen", "--to",
                 "Grundschule Kleine Kielstraße", "-o", "weg.svg", cwd=store)
    assert path.returncode == 0, path.stderr
    assert "Weg der Familie" in (store / "weg.svg").read_text(encoding="utf-8")
    city = lotse("map", "--all", "--limit", "5", "-o", "stadt.html", cwd=store)
    assert city.returncode == 0 and "3 Knoten" in city.stdout
    assert "Stadtansicht" in (store / "stadt.html").read_text(encoding="utf-8")


def test_matrix_and_report(store):
    m = lotse("matrix", "-q", "brunnenstrasse", "-o", "matrix.svg", cwd=store)
    assert m.returncode == 0, m.stderr
    ET.fromstring((store / "matrix.svg").read_bytes())
    assert "16 von 35 Feldern sind leer" in m.stdout
    r = lotse("report", "-q", "brunnenstrasse", "--as-of", AS_OF, cwd=store)
    assert r.returncode == 0, r.stderr
    page = (store / "bericht-brunnenstrasse.html").read_text(encoding="utf-8")
    assert "Quartiersbericht Brunnenstraßen-/Hannibalviertel" in page and "<svg" in page


@pytest.mark.parametrize("args,message", [
    (["map"], "genau ein Quartier"),
    (["map", "-q", "brunnenstrasse", "--format", "gif"], "Format „gif“"),
    (["map", "-q", "brunnenstrasse", "--from", "Babylotsen"], "--from und --to"),
    (["map", "-q", "Brunenstrasse"], "Meinten Sie"),
    (["map", "-q", "brunnenstrasse", "--focus", "Nirgendwo"], "Nirgendwo"),
    (["map", "-q", "brunnenstrasse", "--as-of", "31.02.2026"], "31.02.2026"),
    (["map", "-q", "brunnenstrasse", "-o", "fehlt/karte.html"], "existiert nicht"),
    (["report", "-q", "brunnenstrasse", "-o", "bericht.pdf"], ".html"),
])
def test_clear_errors(store, args, message):
    result = lotse(*args, cwd=store)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
