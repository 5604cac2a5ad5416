"""``lotse`` speaks German to the last word: the help of every command and sub-command
and every usage error (unknown option, invalid, missing or extra value) contain none of
typer's English texts. The commands come from the command tree itself, so a new command
is checked without being listed here (api/cli/german.py)."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.core
import typer.main
from typer._click import Command
from typer.core import TyperArgument, TyperGroup, TyperOption
from typer.testing import CliRunner

from api.cli import app, german
from api.cli.german import GermanArgument, GermanCommand, GermanGroup, GermanOption, GermanTyper
from tests.test_cli import lotse

FORBIDDEN = (
    "Usage", "Options", "Arguments", "Commands", "Show this message and exit", "Try",
    "for help", "Error", "Invalid value", "No such option", "No such command",
    "Possible options", "Did you mean", "Missing option", "Missing argument",
    "Missing parameter", "Missing command", "default:", "required", "is not a valid",
    "is not one of", "Got unexpected extra argument", "does not exist", "is a directory",
    "is a file", "is not readable", "is not writable", "does not match the formats",
    "Input should be", "Value error", "Value must be", "env var", "Aborted", "Choose from",
    "requires an argument", "does not take a value", "takes", "deprecated", "dynamic",
    "OPTIONS", "COMMAND", "ARGS", "range", "<str>", "<bool>", "<int>", "<float>", "<list",
    "<path>", "<Path>", "<file>", "<dir>", "<datetime>",
)
"""typer's English texts (words and phrases, matched as whole words)."""

_FORBIDDEN = re.compile("|".join(
    (r"\b" if p[0].isalnum() else "") + re.escape(p) + (r"\b" if p[-1].isalnum() else "")
    for p in FORBIDDEN))


def english_in(text: str) -> list[str]:
    """The English phrases in ``text``; rich's frames and line breaks do not hide one."""
    flat = re.sub(r"[│╭╮╰╯─\s]+", " ", text)
    return _FORBIDDEN.findall(flat)


def test_the_forbidden_phrases_are_found_and_german_is_not():
    assert english_in("╭─ Options ─╮\n│ --help  <bool>  Show this message │\n│ and exit. │") == [
        "Options", "<bool>", "Show this message and exit"]
    assert english_in("Error: No such option: --store (Possible options: --to)") == [
        "Error", "No such option", "Possible options"]
    assert english_in("Optionen, Argumente, Befehle, Fehler: Unbekannte Option --store; "
                      "Pflichtangabe, Standard: 90, <ganze Zahl>, lotse-speicher") == []


def _tree() -> list[tuple[list[str], Command]]:
    found: list[tuple[list[str], Command]] = []

    def walk(command: Command, path: list[str]) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


TREE = _tree()
PATHS = [path for path, _ in TREE]


def _id(path: list[str]) -> str:
    return " ".join(["lotse", *path])


def run(args: list[str], **kwargs: Any) -> tuple[int, str]:
    """Through typer's CliRunner; wide, so that rich wraps nothing."""
    result = CliRunner().invoke(app, args, env={"COLUMNS": "250", "LOTSE_STORE": ""},
                                **kwargs)
    assert not isinstance(result.exception, AssertionError | TypeError | AttributeError), (
        result.exception)
    return result.exit_code, result.output


def test_the_tree_has_every_command():
    names = {_id(p) for p in PATHS}
    assert {"lotse", "lotse check", "lotse measures", "lotse measures add", "lotse user",
            "lotse user remove", "lotse token", "lotse token list", "lotse serve"} <= names
    assert len(names) > 35


def test_every_command_and_parameter_is_german():
    for path, command in TREE:
        assert isinstance(command, GermanGroup | GermanCommand), _id(path)
        for param in command.params:
            assert isinstance(param, GermanOption | GermanArgument), (_id(path), param.name)
            if isinstance(param, TyperArgument):
                # the name in the usage line and in errors: German, in capitals
                assert param.metavar and param.metavar.isupper(), (_id(path), param.name)


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_help_is_german(path):
    code, output = run([*path, "--help"])
    assert code == 0, output
    assert "Aufruf: lotse" in output and "Optionen" in output
    assert "Diese Hilfe zeigen und beenden." in output
    assert english_in(output) == [], output


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_an_unknown_option_is_german(path):
    code, output = run([*path, "--gibtsnicht"])
    assert code == 2, output
    assert "Unbekannte Option: --gibtsnicht" in output
    assert f"Hilfe zum Aufruf: '{_id(path)} --help'" in output
    assert "Fehler" in output
    assert english_in(output) == [], output


def _with_options(kinds: tuple[type, ...]) -> list[tuple[list[str], str]]:
    return [(path, param.opts[0]) for path, command in TREE for param in command.params
            if isinstance(param, TyperOption) and not param.is_flag
            and param.type_descriptor.annotation in kinds]


@pytest.mark.parametrize(("path", "option"), _with_options((int, float)),
                         ids=lambda x: x if isinstance(x, str) else _id(x))
def test_a_number_that_is_none_is_german(path, option):
    code, output = run([*path, option, "x"])
    assert code == 2, output
    assert f"Ungültiger Wert für '{option}'" in output
    assert "'x' ist keine" in output and "Zahl" in output
    assert english_in(output) == [], output


def _required() -> list[list[str]]:
    return [path for path, command in TREE
            if any(p.required for p in command.params) and not hasattr(command, "commands")]


@pytest.mark.parametrize("path", _required(), ids=_id)
def test_a_missing_value_is_german(path):
    code, output = run(path)
    assert code == 2, output
    assert re.search(r"(Die Option '--[a-z-]+'( / '-[a-z]')?|Das Argument '[A-ZÄÖÜ]+') fehlt\.",
                     output), output
    assert english_in(output) == [], output


def _fixed_arguments() -> list[tuple[list[str], list[str]]]:
    """Commands whose arguments take one value each (an extra one is one too many), with
    a value each argument takes ("1" for a number)."""
    return [(path, ["1" if p.type_descriptor.annotation is int else "x"
                    for p in command.params if isinstance(p, TyperArgument)])
            for path, command in TREE if not hasattr(command, "commands")
            and not any(p.required for p in command.params if isinstance(p, TyperOption))
            and all(p.nargs == 1 for p in command.params if isinstance(p, TyperArgument))]


@pytest.mark.parametrize(("path", "values"), _fixed_arguments(),
                         ids=lambda x: _id(x) if x and x[0] not in ("1", "x") else str(len(x)))
def test_an_extra_argument_is_german(path, values):
    code, output = run([*path, *values, "zuviel"])
    assert code == 2, output
    assert "Unerwartetes zusätzliches Argument (zuviel)" in output
    assert english_in(output) == [], output


@pytest.mark.parametrize(("args", "german"), [
    (["check", "--horizon", "x"], "Ungültiger Wert für '--horizon': 'x' ist keine ganze Zahl."),
    (["check", "--horizon", "-1"],
     "Ungültiger Wert für '--horizon': '-1' ist zu klein; erlaubt ist mindestens 0."),
    (["check", "--loss-rate", "1,5"], "Ungültiger Wert für '--loss-rate': '1,5' ist keine Zahl"),
    (["check", "--horizon"], "Die Option '--horizon' braucht einen Wert."),
    (["check", "--json=ja"], "Die Option '--json' nimmt keinen Wert."),
    (["check", "--stor", "x"], "Unbekannte Option: --stor (möglich: --json, --store, --top)"),
    (["push", "--store", "x"], "Unbekannte Option: --store (möglich: --to)"),
    (["chek"], "Unbekannter Befehl 'chek'. Meinten Sie 'check'?"),
    (["nix"], "Unbekannter Befehl 'nix'."),
    (["next", "--quarter", "q"], "Die Option '--age' fehlt."),
    (["load"], "Das Argument 'QUELLE' fehlt."),
    (["load", "a", "b", "c"], "Unerwartete zusätzliche Argumente (b c)"),
    (["measures", "status", "m"], "Das Argument 'STATUS' fehlt."),
    (["measures", "nix"], "Unbekannter Befehl 'nix'."),
])
def test_usage_errors_in_german(args, german):
    code, output = run(args)
    assert code == 2, output
    assert german in re.sub(r"[│\s]+", " ", output), output
    assert english_in(output) == [], output


def test_a_group_without_command_shows_its_german_help():
    for path in ([], ["measures"], ["user"], ["token"]):
        code, output = run(path)
        assert code == 2 and "Aufruf: " in output and "Befehle" in output, output
        assert english_in(output) == [], output


def test_the_usage_line_and_markers_are_german():
    _, output = run(["check", "--help"])
    assert "Aufruf: lotse check [OPTIONEN]" in output
    assert "<ganze Zahl> [x>=0]" in output and "[Standard: 90]" in output
    assert "[Umgebungsvariable: LOTSE_STORE]" in output
    _, output = run(["next", "--help"])
    assert "[Pflichtangabe]" in output
    _, output = run(["--help"])
    assert "Aufruf: lotse [OPTIONEN] BEFEHL [ARGUMENTE]..." in output
    _, output = run(["load", "--help"])
    assert "Argumente" in output and "QUELLE" in output and "<Text>" in output


def test_an_aborted_prompt_is_german(tmp_path):
    code, output = run(["user", "add", "k.meier", "--file", str(tmp_path / "b.yaml")],
                       input="")
    assert code == 1 and "Abgebrochen." in output, output
    assert english_in(output) == [], output


# --- the kinds of value lotse does not use yet: the mechanism covers them ------------

class Farbe(enum.StrEnum):
    ROT = "rot"
    GRUEN = "grün"


demo = GermanTyper(add_completion=False, rich_markup_mode="rich")


@demo.command("probe")
def _probe(
    datei: Annotated[Path, typer.Argument(metavar="DATEI", exists=True, dir_okay=False)],
    ordner: Annotated[Path | None, typer.Option("--ordner", exists=True, file_okay=False,
                                                readable=True)] = None,
    farbe: Annotated[Farbe, typer.Option("--farbe")] = Farbe.ROT,
    wann: Annotated[dt.datetime | None, typer.Option("--wann")] = None,
    tag: Annotated[dt.datetime | None, typer.Option("--tag", formats=["%d.%m.%Y"])] = None,
    paar: Annotated[tuple[int, int] | None, typer.Option("--paar")] = None,
) -> None:
    """Probe."""


@demo.command("pflicht")
def _pflicht(farbe: Annotated[Farbe, typer.Option("--farbe")]) -> None:
    """Pflicht."""


@pytest.mark.parametrize(("args", "german"), [
    (["probe", "/gibt/es/nicht"],
     "Ungültiger Wert für 'DATEI': Die Datei '/gibt/es/nicht' existiert nicht."),
    (["probe", "{tmp}"], "Ungültiger Wert für 'DATEI': Die Datei '{tmp}' ist ein Ordner, "
                         "erwartet wird eine Datei."),
    (["probe", "{file}", "--ordner", "{file}"],
     "Ungültiger Wert für '--ordner': Der Ordner '{file}' ist eine Datei, erwartet wird ein "
     "Ordner."),
    (["probe", "{file}", "--farbe", "lila"],
     "Ungültiger Wert für '--farbe': 'lila' ist nicht erlaubt; möglich sind: 'rot', 'grün'."),
    (["probe", "{file}", "--wann", "gestern"],
     "Ungültiger Wert für '--wann': 'gestern' ist kein gültiger Zeitpunkt"),
    (["probe", "{file}", "--tag", "2026-11-22"],
     "Ungültiger Wert für '--tag': '2026-11-22' passt zu keinem der Formate '%d.%m.%Y'."),
    (["probe", "{file}", "--paar", "1"], "Die Option '--paar' braucht 2 Werte."),
    (["probe", "{file}", "--paar", "1", "x"],
     "Ungültiger Wert für '--paar': 'x' ist keine ganze Zahl."),
    (["pflicht"], "Die Option '--farbe' fehlt. Möglich sind: rot, grün."),
])
def test_typer_types_in_german(tmp_path, args, german):
    (tmp_path / "d.txt").write_text("x", encoding="utf-8")
    fill = {"{tmp}": str(tmp_path), "{file}": str(tmp_path / "d.txt")}
    args = [fill.get(a, a) for a in args]
    for key, value in fill.items():
        german = german.replace(key, value)
    result = CliRunner().invoke(demo, args, env={"COLUMNS": "400"})
    assert result.exit_code == 2, result.output
    assert german in result.output, result.output
    assert english_in(result.output) == [], result.output


def test_typer_types_are_named_in_german():
    result = CliRunner().invoke(demo, ["probe", "--help"], env={"COLUMNS": "250"})
    assert "<Datei>" in result.output and "<Ordner>" in result.output
    assert "<rot|grün>" in result.output and "<Zeitpunkt>" in result.output
    assert "<ganze Zahl,ganze Zahl>" in result.output
    assert english_in(result.output) == [], result.output


# --- the catalogue -----------------------------------------------------------------

def _marked(module: Any) -> set[str]:
    """The texts ``module`` marks for gettext: ``_("…")``."""
    return set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', inspect.getsource(module)))


def test_every_text_typer_marks_is_in_the_catalogue():
    from typer import rich_utils

    marked = _marked(typer.core) | _marked(rich_utils)
    assert {"Options", "Missing command.", "[default: {}]", "Aborted."} <= marked
    untranslated = {m for m in marked if german.catalogue().gettext(m) == m}
    assert untranslated == set()


def test_every_text_german_py_looks_up_is_in_the_catalogue():
    source = inspect.getsource(german)
    ids = (_marked(german) | set(german._RICH_TEXTS.values()) | set(german._PATH_PROBLEMS.values())
           | set(german._USAGE_PIECES))
    assert len(ids) > 30
    missing = {m for m in ids if german.catalogue().gettext(m) == m}
    assert missing == set()
    for context, msgid in re.findall(r'_p\("([^"]+)", "([^"]+)"\)', source):
        assert german.catalogue().pgettext(context, msgid) != msgid
    for singular, plural in re.findall(r'_n\(\s*"([^"]+)",\s*"([^"]+)"', source):
        assert german.catalogue().ngettext(singular, plural, 1) != singular
        assert german.catalogue().ngettext(singular, plural, 2) != plural


def test_install_is_idempotent_and_only_touches_typer_core():
    german.install()
    german.install()
    assert typer.core._ is german._
    import gettext

    assert gettext.gettext("Options") == "Options"  # the rest of Python is left alone


def test_a_plain_typer_app_keeps_its_own_messages():
    """German is a choice of the app (GermanTyper): a plain typer app in the same process
    keeps typer's classes and messages. Shared are only typer.core's gettext look-up and
    the constants of typer.rich_utils (panel titles), which are process-wide."""
    plain = typer.Typer(add_completion=False)

    @plain.command("a")
    def _a(n: int = 1) -> None: ...

    @plain.command("b")
    def _b() -> None: ...

    command = typer.main.get_command(plain)
    assert type(command) is TyperGroup
    result = CliRunner().invoke(plain, ["a", "--gibtsnicht"], env={"COLUMNS": "250"})
    assert "No such option: --gibtsnicht" in result.output


# --- the real console script (rich as the user sees it) ------------------------------

@pytest.mark.parametrize("args", [
    ["--help"], ["check", "--help"], ["measures", "add", "--help"], ["token", "--help"],
    ["check", "--gibtsnicht"], ["check", "--horizon", "x"], ["next", "--quarter", "q"],
    ["load", "a", "b"], ["chek"], [],
], ids=lambda a: " ".join(["lotse", *a]))
def test_the_console_script_is_german(tmp_path, args):
    result = lotse(*args, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode in (0, 2), output
    assert "Aufruf: lotse" in output and "Traceback" not in output
    assert english_in(output) == [], output


def test_the_console_script_without_rich_is_german(tmp_path):
    for args in (["check", "--help"], ["check", "--horizon", "x"], ["measures"]):
        result = lotse(*args, cwd=tmp_path, env={"TYPER_USE_RICH": "0"})
        output = result.stdout + result.stderr
        assert "Aufruf: lotse" in output, output
        assert english_in(output) == [], output
    result = lotse("check", "--horizon", "x", cwd=tmp_path, env={"TYPER_USE_RICH": "0"})
    assert "Fehler: Ungültiger Wert für '--horizon': 'x' ist keine ganze Zahl." in result.stderr
