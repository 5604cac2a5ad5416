"""Changes since the last meeting (issue 13): findings new and resolved, entities changed
(from the journal), indicator deltas; between a date and now or between two stores."""

from __future__ import annotations

import datetime as dt
import json

from graph.backends.memory import MemoryRepository
from graph.journal import network_at
from lotsen.changes import compare
from seeds import load_seed
from tests.test_cli import lotse

AS_OF = dt.date(2026, 11, 22)


def test_undoing_the_journal_gives_the_earlier_network(tmp_path):
    repo = MemoryRepository(tmp_path / "speicher.json")
    net = load_seed("dortmund")
    repo.save(net)
    moment = dt.datetime.now(dt.UTC)
    t = net.transition_index["kita-familienzentrum-grundschule"]
    repo.put("transitions", t.model_copy(update={"owner": "kath-familienzentrum"}))
    now = repo.load()
    old, undone, complete = network_at(now, repo.journal(), moment)
    assert old == net and complete
    assert [(e.section, e.entity_id) for e in undone] == [
        ("transitions", "kita-familienzentrum-grundschule")]
    c = compare(old, now, AS_OF, AS_OF, entries=undone)
    assert [f.stable_key for f in c.resolved] == ["NO_OWNER/kita-familienzentrum-grundschule"]
    assert c.new == [] and c.entities[0].actor == "lotse"


def test_indicator_deltas_follow_the_findings():
    old = load_seed("brunnenstrasse")
    ended = [s.model_copy(update={"status": "ended"}) if s.id == "babylotsen" else s
             for s in old.services]
    new = old.with_sections(services=ended)
    c = compare(old, new, AS_OF, AS_OF)
    assert "STAGE_GAP/brunnenstrasse/pregnancy" in {f.stable_key for f in c.new}
    coverage = next(d for d in c.indicators if d.indicator == "stage_coverage")
    assert coverage.before == 1.0 and coverage.after < 1.0
    assert coverage.label == "Abdeckung der Lebensphasen"
    assert [(e.key, e.action) for e in c.entities] == [("babylotsen", "update")]


def test_cli_changes_since_and_against(tmp_path):
    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    (tmp_path / "alt.sqlite").write_bytes((tmp_path / "lotse-speicher.sqlite").read_bytes())
    today = dt.date.today().isoformat()
    done = lotse("accept", "PEARL/sprachbilderbuecher", "--reason", "Kampagne", "--by",
                 "Koordination", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    since = json.loads(lotse("changes", "--since", today, "--json", cwd=tmp_path).stdout)
    assert [(e["section"], e["actor"]) for e in since["entities"]] == [
        ("accepted_findings", "Koordination")]
    against = lotse("changes", "--against", "alt.sqlite", cwd=tmp_path)
    assert against.returncode == 0, against.stderr
    assert "Akzeptierter Befund" in against.stdout and "Geänderte Einträge (1)" in against.stdout
    neither = lotse("changes", cwd=tmp_path)
    assert neither.returncode == 1 and "--since" in neither.stderr


def test_changes_has_help_with_example(tmp_path):
    result = lotse("changes", "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Beispiel" in result.stdout
