"""``lotse meeting``: the Sitzung use cases for scripts (issue 26), a real ``lotse``
process on a real SQLite store."""

from __future__ import annotations

from graph.backends.sqlite import SqliteRepository
from tests.pdf_text import read_pdf
from tests.test_cli import lotse


def test_prepare_list_and_minutes(tmp_path):
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    made = lotse("meeting", "prepare", "Steuerungsgruppe Nord", "--area", "brunnenstrasse",
                 "--date", "14.01.2027", "--role", "Jugendamt", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "Sitzung „Steuerungsgruppe Nord“ am 14.01.2027" in made.stdout
    assert "1. Seit der letzten Sitzung:" in made.stdout
    listed = lotse("meeting", "list", cwd=tmp_path)
    assert "steuerungsgruppe-nord-2027-01-14" in listed.stdout
    with SqliteRepository(tmp_path / "lotse-speicher.sqlite") as repo:
        meeting = repo.load().meetings[0]
    assert meeting.roles == ["Jugendamt"] and meeting.agenda
    done = lotse("meeting", "minutes", meeting.id, "--to", "protokoll.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    sizes = read_pdf((tmp_path / "protokoll.pdf").read_bytes()).sizes
    assert sizes and all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in sizes)


def test_an_unknown_area_or_meeting_is_a_clear_error(tmp_path):
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    bad = lotse("meeting", "prepare", "X", "--area", "atlantis", cwd=tmp_path)
    assert bad.returncode != 0 and "Gebiet 'atlantis' ist unbekannt" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = lotse("meeting", "minutes", "gibt-es-nicht", "--to", "p.pdf", cwd=tmp_path)
    assert missing.returncode != 0 and "gibt-es-nicht" in missing.stderr
    wrong = lotse("meeting", "prepare", "X", "--area", "brunnenstrasse", "--date",
                  "31.02.2027", cwd=tmp_path)
    assert wrong.returncode != 0 and "31.02.2027" in wrong.stderr
