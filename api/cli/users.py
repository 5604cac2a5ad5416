"""``lotse user``: the people who log in to the Werkstatt (argon2-hashed passwords)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from api.cli import texts
from api.cli.common import StoreOption, app, out
from api.cli.german import GermanTyper
from graph.errors import LotsenError

__all__: list[str] = []

UsersOption = Annotated[Path, typer.Option("--file", "-f", help=texts.USERS_FILE_HELP)]
user_app = GermanTyper(help=texts.USER_HELP, no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(user_app, name="user")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Passwort", hide_input=True)
    second = typer.prompt("Passwort wiederholen", hide_input=True)
    if first != second:
        raise LotsenError("Die beiden Passwörter stimmen nicht überein; nichts wurde "
                          "angelegt.")
    return str(first)


@user_app.command("add", help=texts.USER_ADD_HELP)
def user_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Benutzername (z. B. k.meier)")],
    role: Annotated[str, typer.Option("--role", help=texts.ROLE_HELP)] = "reader",
    quarter: Annotated[list[str] | None, typer.Option("--quarter", "-q",
                                                      help=texts.TOKEN_QUARTER_HELP)] = None,
    file: UsersOption = Path("benutzer.yaml"),
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help=texts.PASSWORD_STDIN_HELP)] = False,
    store: StoreOption = None,
) -> None:
    from api.usecases.roles import Role
    from api.web.token_expiry import known_quarters
    from api.web.users import UserFile, check_password_rules, new_user

    if role not in {r.value for r in Role}:
        raise LotsenError(f"Rolle '{role}' gibt es nicht: reader, editor oder coordinator.")
    if role == "editor" and not quarter:
        raise LotsenError("Eine Redaktion braucht ihre Quartiere: --quarter KENNUNG "
                          "(mehrfach angebbar).")
    if not name.strip():
        raise LotsenError("Der Benutzername ist leer.")
    users = UserFile.read(file)
    if users.find(name) is not None:
        raise LotsenError(f"Einen Benutzer '{name}' gibt es schon in {file}; erst mit "
                          "'lotse user remove' entfernen oder einen anderen Namen wählen.")
    # like ``lotse token add``: every quarter must be in the store ("Meinten Sie …?"),
    # a name stands for its id, and without a network there is nothing to check against
    quarter = known_quarters(store, quarter or [])
    password = _password(password_stdin)
    check_password_rules(password)
    try:
        entry = new_user(name, role, password, quarter or [])
    except ValidationError as exc:
        raise LotsenError(f"Benutzername '{name}' geht nicht: erlaubt sind Buchstaben, "
                          "Ziffern und . _ - (höchstens 60 Zeichen).") from exc

    def append(users: UserFile) -> UserFile:
        if users.find(name) is not None:  # added meanwhile by another 'lotse user add'
            raise LotsenError(f"Einen Benutzer '{name}' gibt es schon in {file}.")
        return UserFile(users=[*users.users, entry])

    UserFile.update(file, append)
    where = f" für {', '.join(quarter)}" if quarter else ""
    out.print(f"Benutzer '{name}' ({role}{where}) in {file} eingetragen. Anmelden unter "
              f"http://127.0.0.1:8000/ nach 'lotse serve --users {file}'.")


@user_app.command("list", help=texts.USER_LIST_HELP)
def user_list(file: UsersOption = Path("benutzer.yaml")) -> None:
    from api.web.users import UserFile

    table = Table(title=f"Benutzer in {file}", title_justify="left")
    for column in ("Name", "Rolle", "Quartiere"):
        table.add_column(column)
    for u in UserFile.read(file).users:
        table.add_row(u.name, u.role.value, ", ".join(u.quarters) or "–")
    out.print(table)


@user_app.command("remove", help=texts.USER_REMOVE_HELP)
def user_remove(name: Annotated[str, typer.Argument(metavar="NAME")],
                file: UsersOption = Path("benutzer.yaml")) -> None:
    from api.web.users import UserFile
    from graph.errors import NotFoundError

    def without(users: UserFile) -> UserFile:
        kept = [u for u in users.users if u.name.casefold() != name.casefold()]
        if len(kept) == len(users.users):
            raise NotFoundError("Benutzer", name, [u.name for u in users.users])
        return UserFile(users=kept)

    UserFile.update(file, without)  # under the file's lock: no logout writes it back
    out.print(f"Benutzer '{name}' entfernt.")
