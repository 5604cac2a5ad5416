"""``lotse check --top/--accepted`` and ``lotse accept``, run as real processes."""

from __future__ import annotations

import json

from tests.test_cli import lotse

AS_OF = "2026-11-22"


def loaded(tmp_path):
    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    return tmp_path


def test_check_top_ranks_with_families(tmp_path):
    store = loaded(tmp_path)
    result = lotse("check", "--top", "5", "--as-of", AS_OF, cwd=store)
    assert result.returncode == 0, result.stderr
    assert "Die wichtigsten Baustellen (5)" in result.stdout
    assert "Familien" in result.stdout and "STAGE_GAP/libellenquartier" in result.stdout
    data = json.loads(lotse("check", "--top", "5", "--json", "--as-of", AS_OF,
                            cwd=store).stdout)
    assert [f["rank"] for f in data["findings"]] == [1, 2, 3, 4, 5]
    assert all(f["key"] and "families" in f for f in data["findings"])


def test_accept_hides_counts_lists_and_returns(tmp_path):
    store = loaded(tmp_path)
    key = "PEARL/sprachbilderbuecher"
    before = json.loads(lotse("check", "--json", "--as-of", AS_OF, cwd=store).stdout)
    done = lotse("accept", key, "--reason", "Kampagne, kein Übergang nötig", "--until",
                 "2027-06-30", "--by", "Koordination", "--as-of", AS_OF, cwd=store)
    assert done.returncode == 0, done.stderr
    assert "akzeptiert bis 30.06.2027" in done.stdout
    after = json.loads(lotse("check", "--json", "--as-of", AS_OF, cwd=store).stdout)
    assert len(after["findings"]) == len(before["findings"]) - 1
    assert after["accepted_count"] == 1
    shown = lotse("check", "--as-of", AS_OF, cwd=store).stdout
    assert "1 akzeptierte Befunde ausgeblendet" in shown
    listed = lotse("check", "--accepted", "--as-of", AS_OF, cwd=store).stdout
    assert "Kampagne, kein Übergang nötig" in listed and "Koordination" in listed
    later = json.loads(lotse("check", "--json", "--as-of", "2027-07-01", cwd=store).stdout)
    assert key in [f["key"] for f in later["findings"]]


def test_accept_unknown_key_is_a_clear_error(tmp_path):
    store = loaded(tmp_path)
    result = lotse("accept", "PEARL/sprachbilderbuechr", "--reason", "x", "--as-of", AS_OF,
                   cwd=store)
    assert result.returncode == 1
    assert "Befund" in result.stderr and "Traceback" not in result.stderr


def test_accept_has_help_with_example(tmp_path):
    result = lotse("accept", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Beispiel" in result.stdout
