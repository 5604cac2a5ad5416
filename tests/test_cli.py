"""The ``lotse`` command line, run as a real process (the installed console script)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LOTSE = str(Path(sys.executable).parent / "lotse")


def lotse(*args: str, cwd: Path,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("LOTSE_STORE", "LOTSE_DEBUG")}
    full_env.update({"COLUMNS": "160", **(env or {})})
    return subprocess.run([LOTSE, *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=120)


def test_seeds_lists_the_reference_quarter(tmp_path):
    result = lotse("seeds", cwd=tmp_path)
    assert result.returncode == 0
    assert "brunnenstrasse" in result.stdout and "unna" in result.stdout


def test_load_and_summary(tmp_path):
    result = lotse("load", "brunnenstrasse", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "17 Angebote" in result.stdout
    assert (tmp_path / "lotse-speicher.sqlite").exists()
    summary = lotse("summary", cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert "Brunnenstraßen-/Hannibalviertel" in summary.stdout
    assert "Aktive Angebote je Lebensphase" in summary.stdout


def test_store_option_and_env(tmp_path):
    assert lotse("load", "unna", "--store", "u.json", cwd=tmp_path).returncode == 0
    result = lotse("summary", cwd=tmp_path, env={"LOTSE_STORE": "u.json"})
    assert "Unna-Mitte" in result.stdout and "Königsborn" in result.stdout


def test_summary_shows_stage_gap(tmp_path):
    lotse("load", "dortmund", cwd=tmp_path)
    result = lotse("summary", "--quarter", "Libellenquartier", "--as-of", "22.11.2026",
                   cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Lücke" in result.stdout and "1–3 J." in result.stdout


def test_failed_load_changes_nothing_and_has_no_traceback(tmp_path):
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    before = (tmp_path / "lotse-speicher.sqlite").read_bytes()
    bad = tmp_path / "kaputt.yaml"
    bad.write_text("name: X\nservices:\n- id: s\n  name: S\n  provider: niemand\n"
                   "  quarters: [q]\n  life_stages: [birth]\n  fields: [health]\n",
                   encoding="utf-8")
    result = lotse("load", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "Träger 'niemand' ist unbekannt" in result.stderr
    assert "kaputt.yaml:5" in result.stderr
    assert (tmp_path / "lotse-speicher.sqlite").read_bytes() == before


def test_validate_reports_every_problem(tmp_path):
    good = tmp_path / "gut.yaml"
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    assert lotse("export", str(good), cwd=tmp_path).returncode == 0
    text = good.read_text(encoding="utf-8")
    bad = tmp_path / "schlecht.yaml"
    bad.write_text(text.replace("valid_from: '2011-03-01'", "valid_from: 2011-13-01")
                   .replace("- birth\n", "- gebrut\n", 1)
                   .replace("provider: katharinen-hospital", "provider: katarinen-hospital"),
                   encoding="utf-8")
    ok = lotse("validate", str(good), cwd=tmp_path)
    assert ok.returncode == 0 and "gültig" in ok.stdout
    result = lotse("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr
    assert "4 Probleme" in err  # the date twice (offer and agreement), stage, provider
    assert err.count("Datum '2011-13-01'") == 2
    assert "Feld 'valid_from': Datum '2011-13-01' hat das falsche Format" in err
    assert "Lebensphase 'gebrut' ist unbekannt. Meinten Sie 'Geburt'?" in err
    assert "Träger 'katarinen-hospital' ist unbekannt. Meinten Sie 'katharinen-hospital'" in err
    assert "Traceback" not in err


def test_yaml_syntax_error_message(tmp_path):
    bad = tmp_path / "syntax.yaml"
    bad.write_text("name: X\nservices:\n  - id: [s\n", encoding="utf-8")
    result = lotse("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "Zeile" in result.stderr and "YAML-Syntaxfehler" in result.stderr


def test_unknown_names_get_suggestions(tmp_path):
    result = lotse("load", "brunenstrasse", cwd=tmp_path)
    assert result.returncode == 1
    assert "Meinten Sie 'brunnenstrasse'" in result.stderr
    lotse("load", "dortmund", cwd=tmp_path)
    result = lotse("summary", "--quarter", "Hörd", cwd=tmp_path)
    assert "Quartier 'Hörd' ist unbekannt. Meinten Sie 'Hörde'" in result.stderr


def test_empty_store_and_bad_date(tmp_path):
    result = lotse("summary", cwd=tmp_path)
    assert result.returncode == 1 and "ist leer" in result.stderr
    lotse("load", "unna", cwd=tmp_path)
    result = lotse("summary", "--as-of", "morgen", cwd=tmp_path)
    assert result.returncode == 1 and "Datum 'morgen' hat das falsche Format" in result.stderr


def test_export_round_trip_and_generate(tmp_path):
    lotse("load", "dortmund", cwd=tmp_path)
    assert lotse("export", "d.yaml", "--quarter", "hoerde", cwd=tmp_path).returncode == 0
    assert lotse("load", "d.yaml", "--store", "h.json", cwd=tmp_path).returncode == 0
    result = lotse("generate", "syn.json", "--quarters", "3", "--services", "21", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "syn.json.maengel.json").exists()
    assert lotse("validate", "syn.json", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("command", ["seeds", "load", "summary", "validate", "export",
                                     "generate"])
def test_every_command_has_german_help_with_example(tmp_path, command):
    result = lotse(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Beispiel" in result.stdout


def test_readme_documents_every_command():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for command in ("seeds", "load", "summary", "validate", "export", "generate", "check",
                    "owner", "next", "indicators", "compare", "impact", "push", "pull",
                    "template", "import", "accept", "measures", "changes", "migrate",
                    "backup", "backups", "restore"):
        assert f"lotse {command}" in readme
    assert "make run" in readme and "make test" in readme
