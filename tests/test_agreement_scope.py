"""Issue 16 leftovers: an agreement's quarters can be stated (``Agreement.quarters``); the
access rules use the stated quarters together with those of the transitions it backs (or
of its parties' services), so an editor can neither widen nor narrow another quarter's
scope through it. And ``lotse user add --quarter`` refuses an unknown quarter like
``lotse token add``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from api.usecases.roles import ForbiddenError, Principal, Role, check_write, touched_quarters
from graph.backends.memory import MemoryRepository
from graph.errors import InvalidNetworkError
from graph.formats.csvfolder import read_folder, write_folder
from graph.formats.document import dumps, loads
from graph.formats.hsds import from_hsds, to_hsds
from graph.model import Agreement, Provider
from graph.network import Network
from seeds import load_seed
from tests.werkstatt import form_of, log_in, werkstatt

NORD = Principal("quartier-nord", Role.EDITOR, frozenset({"brunnenstrasse"}))
HOERDE = Principal("quartier-hoerde", Role.EDITOR, frozenset({"hoerde"}))
A = "absprache-griffbereit"  # backs one transition in brunnenstrasse


def _stated(net: Network, aid: str, quarters: list[str]) -> Network:
    return net.with_sections(agreements=[
        a.model_copy(update={"quarters": quarters}) if a.id == aid else a
        for a in net.agreements])


def test_unknown_stated_quarter_is_a_german_problem_with_a_suggestion():
    with pytest.raises(InvalidNetworkError) as exc:
        _stated(load_seed("dortmund"), A, ["hoerd"])
    assert ("Vereinbarung 'absprache-griffbereit', Feld 'quarters': Quartier 'hoerd' ist "
            "unbekannt. Meinten Sie 'hoerde'") in str(exc.value)


def test_stated_quarters_join_the_derived_ones():
    net = _stated(load_seed("dortmund"), A, ["hoerde"])
    assert touched_quarters(net, "agreements", net.agreement_index[A]) == {
        "brunnenstrasse", "hoerde"}


def test_an_editor_cannot_widen_an_agreement_to_another_quarter():
    net = load_seed("dortmund")
    old = net.agreement_index[A]
    with pytest.raises(ForbiddenError, match="Hörde"):
        check_write(NORD, net, "agreements", old, old.model_copy(update={"quarters": ["hoerde"]}))
    check_write(NORD, net, "agreements", old,
                old.model_copy(update={"quarters": ["brunnenstrasse"]}))


def test_an_editor_cannot_narrow_or_change_what_another_quarter_holds():
    net = _stated(load_seed("dortmund"), A, ["hoerde"])
    old = net.agreement_index[A]
    for who in (NORD, HOERDE):  # each shares it with the other quarter now
        with pytest.raises(ForbiddenError):
            check_write(who, net, "agreements", old, old.model_copy(update={"quarters": []}))
        with pytest.raises(ForbiddenError):
            check_write(who, net, "agreements", old, old.model_copy(update={"name": "Neu"}))
    coordination = Principal("koordination", Role.COORDINATOR)
    check_write(coordination, net, "agreements", old, old.model_copy(update={"quarters": []}))


def test_a_stated_quarter_gives_an_agreement_without_transitions_its_scope():
    net = load_seed("dortmund")
    net = net.with_sections(providers=[*net.providers, Provider(
        id="stadtsportbund", name="Stadtsportbund", kind="association")])
    new = Agreement(id="bewegung", name="Bewegungskooperation", kind="cooperation_contract",
                    parties=["stadtsportbund"])
    with pytest.raises(ForbiddenError, match="nennt kein Quartier"):
        check_write(NORD, net, "agreements", None, new)
    check_write(NORD, net, "agreements", None,
                new.model_copy(update={"quarters": ["brunnenstrasse"]}))
    with pytest.raises(ForbiddenError):
        check_write(NORD, net, "agreements", None,
                    new.model_copy(update={"quarters": ["brunnenstrasse", "hoerde"]}))


def test_an_editor_cannot_attach_an_agreement_stated_for_another_quarter():
    net = load_seed("dortmund")
    net = net.with_sections(providers=[*net.providers, Provider(
        id="stadtsportbund", name="Stadtsportbund", kind="association")],
        agreements=[*net.agreements, Agreement(
            id="bewegung", name="Bewegungskooperation", kind="cooperation_contract",
            parties=["stadtsportbund"], quarters=["hoerde"])])
    t = net.transition_index["familienhebammen-griffbereit"]
    with pytest.raises(ForbiddenError, match="Hörde"):
        check_write(NORD, net, "transitions", t,
                    t.model_copy(update={"agreements": [*t.agreements, "bewegung"]}))


def test_stated_quarters_travel_through_document_tables_and_hsds(tmp_path):
    net = _stated(load_seed("dortmund"), A, ["hoerde", "brunnenstrasse"])
    assert loads(dumps(net)) == net
    write_folder(net, tmp_path / "csv")
    assert read_folder(tmp_path / "csv").network == net
    export = to_hsds(net).document
    back = from_hsds(json.loads(json.dumps(export))).network
    assert back.agreement_index[A].quarters == ["hoerde", "brunnenstrasse"]
    assert to_hsds(back).document == export


def test_werkstatt_editor_cannot_state_another_quarter(tmp_path):
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, "nord").status_code == 303
    form = form_of(client.get(f"/bearbeiten/vereinbarungen/{A}").text)
    denied = client.post(f"/bearbeiten/vereinbarungen/{A}",
                         data={**form, "quarters": ["brunnenstrasse", "hoerde"]})
    assert denied.status_code == 403
    assert repo.load().agreement_index[A].quarters == []
    allowed = client.post(f"/bearbeiten/vereinbarungen/{A}",
                          data={**form, "quarters": ["brunnenstrasse"]})
    assert allowed.status_code == 303, allowed.text
    assert repo.load().agreement_index[A].quarters == ["brunnenstrasse"]


# -- lotse user add --quarter ----------------------------------------------------------------


def _lotse(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "lotse"), *args], cwd=tmp_path,
                          input="ein-langes-passwort\n", capture_output=True, text=True,
                          timeout=120)


def test_user_add_refuses_an_unknown_quarter_like_token_add(tmp_path):
    # no network in the store: nothing to check against, so refused (as token add does)
    empty = _lotse(tmp_path, "user", "add", "k.meier", "--role", "editor", "--quarter",
                   "gibtsnicht", "--password-stdin")
    assert empty.returncode == 1 and "noch kein Netzwerk" in empty.stderr
    assert _lotse(tmp_path, "load", "dortmund").returncode == 0
    for command in (("user", "add", "k.meier", "--password-stdin"),
                    ("token", "add", "quartier-x")):
        wrong = _lotse(tmp_path, *command, "--role", "editor", "--quarter", "hoerd")
        assert wrong.returncode == 1, command
        assert "Meinten Sie" in wrong.stderr and "hoerde" in wrong.stderr
        assert "Traceback" not in wrong.stderr
    # a quarter's name stands for its id
    named = _lotse(tmp_path, "user", "add", "k.meier", "--role", "editor", "--quarter",
                   "Hörde", "--password-stdin")
    assert named.returncode == 0, named.stderr
    entry = yaml.safe_load((tmp_path / "benutzer.yaml").read_text(encoding="utf-8"))
    assert entry["users"][0]["quarters"] == ["hoerde"]
