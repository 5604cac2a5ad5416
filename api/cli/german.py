"""The chrome of the ``lotse`` command line in German: usage line, help panels, the
markers for defaults and required values, the kind of value an option takes, and every
usage error (unknown option, invalid or missing value, extra argument …).

Why it works this way: typer 0.29 no longer uses click. It has its own copy,
``typer._click``, and that copy writes its texts ("Usage: ", "Show this message and
exit.", "No such option: …", "Invalid value for …") into f-strings, with no gettext. Only a
few texts are marked for gettext: the ones in ``typer.core`` (looked up through that
module's ``_`` whenever they are used) and in ``typer.rich_utils`` (looked up once, at
import, into module constants such as ``OPTIONS_PANEL_TITLE``). So a message catalogue
alone cannot make the command line German. This module does four things, all with
typer's own hooks where typer has one:

1. **One gettext catalogue** holds every German text:
   ``api/cli/locale/de/LC_MESSAGES/typer.po``. Its message ids are typer's English texts.
   It is compiled in memory with Babel the first time a text is needed (as for the
   Familienwegweiser), so a command that shows no help and makes no usage error never
   pays for it.
2. **The texts typer marks for gettext** come from that catalogue. :func:`install`
   points ``typer.core._`` at it; that is the name typer looks them up by, and no other
   module is touched. The constants of ``typer.rich_utils`` (panel titles, "[default:
   …]", "Try … for help.") are the customisation points typer offers for rich output;
   they are set from the catalogue just before help or an error is shown.
3. **Our own command classes** (:class:`GermanGroup`, :class:`GermanCommand`, passed
   to typer through its ``cls`` hook by :class:`GermanTyper`) supply the help option's
   text, the usage line ("Aufruf: lotse check [OPTIONEN]") and the parameter classes
   :class:`GermanOption` and :class:`GermanArgument`. These name the kind of a value
   ("<ganze Zahl>", not "<int range>"; no "<bool>" for a switch), the environment variable
   and the choices in German. Typer builds its parameters itself and has no hook for their
   class, so a command switches the ones typer made for it to these subclasses. The
   subclasses add no state and only override these display methods.
4. **Usage errors**: every error typer raises while it reads the command line passes
   through ``make_context`` or ``invoke`` of our command classes. There it is written
   anew in German as a :class:`GermanUsageError`, from the attributes of the
   exception (option name, possible options, parameter, the pydantic error that caused
   it), and by a short list of patterns for the texts typer puts together from f-strings.
   Pydantic's errors ("Input should be a valid integer") are put in German by
   :func:`graph.formats.pydantic_problems.german_message`, the same function the
   network files use.

Any typer app can use this through :class:`GermanTyper`; ``api.cli.common`` builds the
``lotse`` app with it, so the console script, ``python -m api.cli`` and typer's
``CliRunner`` all answer in German. A plain ``typer.Typer`` in the same process keeps
typer's classes and English messages. Only the two things typer itself shares are
process-wide: ``typer.core``'s look-up and the ``typer.rich_utils`` constants (panel
titles).

Limits: typer's interactive prompts check their answers with texts of their own ("Error:
The value you entered was invalid.", "Repeat for confirmation"). lotse's prompts (the
password in ``lotse user add``) take plain text with no check and no confirmation by
typer, so those texts never appear; an aborted prompt says "Abgebrochen.". When a
``typer.FileText`` parameter cannot be opened, the reason comes from the operating system
(``strerror``) in its language; lotse has no such parameter.

>>> t = catalogue()
>>> t.gettext("Options"), t.pgettext("Typ", "int")
('Optionen', 'ganze Zahl')
>>> translated("Got unexpected extra argument(s) (a b)")
'Unerwartete zusätzliche Argumente (a b)'
>>> translated("Unbekannter Befehl 'chek'. Did you mean 'check'?")
"Unbekannter Befehl 'chek'. Meinten Sie 'check'?"
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import IO, Any

import typer
import typer.core
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from typer._click import Command, Context, HelpFormatter
from typer._click._compat import get_text_stderr
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    FileError,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.utils import _escape_control_characters, echo
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.exceptions import Abort
from typer.models import CommandFunctionType

from graph.formats.pydantic_problems import german_message as german_pydantic_message

__all__ = ["GermanArgument", "GermanCommand", "GermanGroup", "GermanOption", "GermanTyper",
           "GermanUsageError", "catalogue", "german_message", "install", "translated"]

DOMAIN = "typer"
"""The catalogue's name: it translates typer's texts."""


@cache
def catalogue() -> gettext.GNUTranslations:
    """The German catalogue, compiled from its .po file on first use."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = resources.files("api.cli") / "locale" / "de" / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as po:
        messages = read_po(po, locale="de", domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    return catalogue().gettext(message)


def _n(singular: str, plural: str, count: int) -> str:
    return catalogue().ngettext(singular, plural, count)


def _p(context: str, message: str) -> str:
    return catalogue().pgettext(context, message)


def install() -> None:
    """Let typer look up the texts it marks for gettext in our catalogue (idempotent;
    cheap: the catalogue itself is read only when a text is needed)."""
    typer.core._ = _  # type: ignore[attr-defined]


# --- what typer prints with rich ----------------------------------------------------

_RICH_TEXTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
"""The constants of typer.rich_utils and the msgid each was made from."""


@cache
def _prepare_rich() -> None:
    """Set the texts of typer's rich output from the catalogue (once; typer imports
    ``rich_utils`` only for help and errors, and so do we)."""
    from typer import rich_utils

    for name, msgid in _RICH_TEXTS.items():
        setattr(rich_utils, name, _(msgid))
    usage = r"(?P<usage>" + re.escape(_("Usage: ")) + ")"
    if usage not in rich_utils.OptionHighlighter.highlights:
        rich_utils.OptionHighlighter.highlights = [*rich_utils.OptionHighlighter.highlights,
                                                   usage]


# --- parameters ---------------------------------------------------------------------

def _type_label(param: TyperOption | TyperArgument, typer_label: str) -> str:
    """``<int range>`` → ``<ganze Zahl>``, ``<list[str]>`` → ``<Text>``; choices stay."""
    desc = param.type_descriptor
    if desc.is_choice and param.show_choices:
        return typer_label
    label = typer_label.removeprefix("<").removesuffix(">")
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    label = label.removesuffix(" range")
    return "<" + re.sub(r"[^|,]+", lambda m: _p("Typ", m[0]), label) + ">"


def _missing_message(param: TyperOption | TyperArgument, ctx: Context | None) -> str:
    from typer._param_types import normalize_choice_value

    desc = param.type_descriptor
    if desc.is_choice and desc.choices is not None:
        choices = ", ".join(normalize_choice_value(c, desc.case_sensitive, ctx)
                            for c in desc.choices)
        return _("Choose from: {choices}.").format(choices=choices)
    return ""


class GermanOption(TyperOption):
    """An option that names its kind of value and its environment variable in German."""

    def display_type(self, ctx: Context) -> str:
        return _type_label(self, super().display_type(ctx))

    def display_type_rich(self, ctx: Context) -> str | None:
        if self.metavar is None and self.is_flag:
            return None  # a switch takes no value
        return super().display_type_rich(ctx)

    def get_error_hint(self) -> str:
        hint = " / ".join(f"'{x}'" for x in self.opts or [self.display_name_raw])
        if self.show_envvar and self.envvar is not None:
            hint += " " + _("(env var: {var})").format(var=f"'{self.envvar}'")
        return hint

    def get_missing_message(self, ctx: Context | None) -> str:
        return _missing_message(self, ctx)


class GermanArgument(TyperArgument):
    """An argument that names its kind of value in German."""

    def display_type(self, ctx: Context) -> str:
        return _type_label(self, super().display_type(ctx))

    def get_missing_message(self, ctx: Context | None) -> str:
        return _missing_message(self, ctx)


def _germanise(params: Sequence[Any]) -> None:
    """Make the parameters typer built German (typer has no hook for their class)."""
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = GermanOption
        elif type(param) is TyperArgument:
            param.__class__ = GermanArgument


# --- usage errors -------------------------------------------------------------------

class GermanUsageError(UsageError):
    """A usage error in German: shown as it is, with German usage line and hint."""

    def __init__(self, message: str, ctx: Context | None = None, exit_code: int = 2) -> None:
        super().__init__(message, ctx)
        self.exit_code = exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        """The plain output (without rich, ``TYPER_USE_RICH=0``)."""
        file = file or get_text_stderr()
        color = None
        if self.ctx is not None:
            color = self.ctx.color
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _("Try '{command} {option}' for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]) + "\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        echo(_("Error: {message}").format(message=self.format_message()), file=file,
             color=color)


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_PATH_PROBLEMS = {
    "does not exist": "{what} {name} does not exist.",
    "is a file": "{what} {name} is a file.",
    "is a directory": "{what} {name} is a directory.",
    "is not readable": "{what} {name} is not readable.",
    "is not writable": "{what} {name} is not writable.",
}


def _extra_arguments(m: re.Match[str]) -> str:
    count = len(m["args"].split())
    return _n("Got unexpected extra argument ({args})",
              "Got unexpected extra arguments ({args})", count).format(args=m["args"])


_RULES: list[_Rule] = [
    # the texts typer._click and typer write with f-strings, as they read in typer 0.29
    (re.compile(r"(?P<rest>.*)\. Did you mean (?P<suggestions>.+)\?", re.S),
     lambda m: f"{translated(m['rest'] + '.')} "
               + _("Did you mean {suggestions}?").format(suggestions=m["suggestions"])),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.S),
     _extra_arguments),
    (re.compile(r"Option (?P<name>'.*') requires an argument\."),
     lambda m: _n("Option {name} requires an argument.",
                  "Option {name} requires {count} arguments.", 1).format(name=m["name"])),
    (re.compile(r"Option (?P<name>'.*') requires (?P<count>\d+) arguments\."),
     lambda m: _n("Option {name} requires an argument.",
                  "Option {name} requires {count} arguments.", int(m["count"]))
     .format(name=m["name"], count=m["count"])),
    (re.compile(r"Option (?P<name>'.*') does not take a value\."),
     lambda m: _("Option {name} does not take a value.").format(name=m["name"])),
    (re.compile(r"Argument (?P<name>'.*') takes (?P<count>\d+) values\."),
     lambda m: _("Argument {name} takes {count} values.").format(name=m["name"],
                                                                count=m["count"])),
    (re.compile(r"(?P<what>file|dir|path) (?P<name>'.*') (?P<problem>"
                + "|".join(_PATH_PROBLEMS) + r")\.", re.S),
     lambda m: _(_PATH_PROBLEMS[m["problem"]]).format(what=_p("Pfadart", m["what"]),
                                                      name=m["name"])),
    (re.compile(r"Value must be an iterable\."), lambda m: _("Value must be an iterable.")),
    (re.compile(r"Value (?P<value>.+) is not a valid (?P<label>.+)\.", re.S),
     lambda m: _("Value {value} is not a valid {label}.").format(value=m["value"],
                                                                label=m["label"])),
    (re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\.", re.S),
     lambda m: _("{value} is not one of {choices}.").format(value=m["value"],
                                                           choices=m["choices"])),
    (re.compile(r"(?P<value>.+) does not match the formats (?P<formats>.+)\.", re.S),
     lambda m: _("{value} does not match the formats {formats}.").format(
         value=m["value"], formats=m["formats"])),
    # marked for gettext by typer, here in case typer looked them up before install()
    (re.compile(r"No such command (?P<name>'.*')\.", re.S),
     lambda m: _("No such command {name!r}.").replace("{name!r}", m["name"])),
    (re.compile(r"Missing command\."), lambda m: _("Missing command.")),
    (re.compile(r"No such option: (?P<name>.+)", re.S),
     lambda m: _("No such option: {name}").format(name=m["name"])),
]


def _by_rule(message: str) -> str | None:
    for pattern, german in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return german(match)
    return None


def translated(message: str) -> str:
    """A text typer wrote (English) in German; other texts (ours) as they are."""
    return _by_rule(message) or message


def _pydantic(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "value_error":  # a ValueError of typer's own validators (choice, formats)
        inner = (err.get("ctx") or {}).get("error")
        german = _by_rule(str(inner)) if inner is not None else None
        if german:
            return german
    if kind.startswith("datetime"):
        value = err.get("input")
        shown = f"'{value}'" if isinstance(value, str) else repr(value)
        return _("{value} is not a valid date and time.").format(value=shown)
    return german_pydantic_message(err)


def _param_hint(exc: BadParameter) -> str | None:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)
    if exc.param is not None:
        return exc.param.get_error_hint()
    return None


def _bad_value(exc: BadParameter) -> str:
    cause = exc.__cause__
    errors = cause.errors(include_url=False) if isinstance(cause, ValidationError) else []
    detail = _pydantic(errors[0]) if errors else translated(exc.message)
    hint = _param_hint(exc)
    if hint is None:
        return _("Invalid value: {message}").format(message=detail)
    return _("Invalid value for {hint}: {message}").format(hint=hint, message=detail)


def _missing(exc: MissingParameter) -> str:
    kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
    msgid = {"option": "Missing option {hint}.",
             "argument": "Missing argument {hint}."}.get(kind, "Missing parameter {hint}.")
    hint = _param_hint(exc) or (f"'{exc.param.name}'" if exc.param is not None else "''")
    parts = [_(msgid).format(hint=hint)]
    if exc.message:
        parts.append(translated(exc.message))
    if exc.param is not None:
        parts.append(_missing_message(exc.param, exc.ctx))  # type: ignore[arg-type]
    return " ".join(p for p in parts if p)


def german_message(exc: ClickException) -> str:
    """What ``exc`` says, in German."""
    if isinstance(exc, NoSuchOption):
        name = _escape_control_characters(exc.option_name)
        if exc.message != f"No such option: {name}":
            text = translated(exc.message)
        else:
            text = _("No such option: {name}").format(name=name)
        if exc.possibilities:
            text += " " + _("(Possible options: {options})").format(
                options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, MissingParameter):
        return _missing(exc)
    if isinstance(exc, BadParameter):
        return _bad_value(exc)
    if isinstance(exc, FileError):
        reason = _("unknown error") if exc.message == "unknown error" else exc.message
        return _("Could not open file {name}: {message}").format(
            name=repr(exc.ui_filename), message=reason)
    return translated(exc.message)


def _in_german(exc: ClickException) -> GermanUsageError:
    _prepare_rich()
    return GermanUsageError(german_message(exc), getattr(exc, "ctx", None), exc.exit_code)


# --- commands -----------------------------------------------------------------------

class GermanHelpFormatter(HelpFormatter):
    """Writes the usage line as "Aufruf: …"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class GermanContext(Context):
    formatter_class = GermanHelpFormatter


_USAGE_PIECES = ("[OPTIONS]", "COMMAND [ARGS]...")


class _German(Command):
    """What :class:`GermanCommand` and :class:`GermanGroup` share (a mixin)."""

    context_class = GermanContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _germanise(self.params)

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Context | None = None, **extra: Any) -> Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except (NoArgsIsHelpError, GermanUsageError):
            raise  # the help (German already) or an error written in German already
        except ClickException as exc:
            raise _in_german(exc) from exc

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            _germanise([option])
        return option

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [_(p) if p in _USAGE_PIECES else p for p in super().collect_usage_pieces(ctx)]

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _prepare_rich()
        option = self.get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        super().format_help(ctx, formatter)


class GermanCommand(_German, TyperCommand):
    """A typer command with German help and usage errors."""


class GermanGroup(_German, TyperGroup):
    """A typer group with German help and usage errors, also for unknown commands and
    for everything its commands raise while they read their command line."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except (NoArgsIsHelpError, GermanUsageError):
            raise
        except ClickException as exc:
            raise _in_german(exc) from exc
        except Abort:
            _prepare_rich()  # "Abgebrochen."
            raise


class GermanTyper(typer.Typer):
    """A ``typer.Typer`` whose groups and commands are German (its ``cls`` hooks)."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("cls", GermanGroup)
        super().__init__(**settings)

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None,
                **settings: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or GermanCommand, **settings)
