"""``lotse serve`` (the web API) and ``lotse token`` (its access tokens)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli import texts
from api.cli.common import StoreOption, app, err, out
from api.cli.german import GermanTyper
from graph.errors import LotsenError

__all__: list[str] = []

TokensOption = Annotated[Path, typer.Option("--file", "-f", help=texts.TOKENS_FILE_HELP)]
token_app = GermanTyper(help=texts.TOKEN_HELP, no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(token_app, name="token")


@app.command("serve", help=texts.SERVE_HELP)
def serve_command(
    store: StoreOption = None,
    tokens: Annotated[Path | None, typer.Option("--tokens", help=texts.TOKENS_FILE_HELP,
                                                show_default=False)] = None,
    users: Annotated[Path | None, typer.Option("--users", help=texts.USERS_FILE_HELP,
                                               show_default=False)] = None,
    host: Annotated[str, typer.Option("--host", help="Adresse (Standard: nur diese "
                                                     "Maschine)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="Ohne Anmeldung (alle sind "
                                                            "Koordination)")] = False,
) -> None:
    import uvicorn

    from api.web.app import create_app
    from api.web.settings import ApiSettings

    values: dict[str, object] = {"host": host, "port": port}
    if store:
        values["store"] = store
    if tokens is not None:
        values["tokens_file"] = tokens
    if users is not None:
        values["users_file"] = users
    if no_auth:
        values["auth"] = False
    settings = ApiSettings(**values)  # type: ignore[arg-type]
    def present(path: Path | None) -> bool:
        return path is not None and path.exists()

    if settings.auth and not (present(settings.tokens_file) or present(settings.users_file)):
        raise LotsenError("Ohne Benutzer- oder Token-Datei kann sich niemand anmelden: bitte "
                          "zuerst 'lotse user add NAME --role coordinator --file "
                          "benutzer.yaml' und dann 'lotse serve --users benutzer.yaml' (oder "
                          "--no-auth für den Einzelplatz auf dieser Maschine).")
    if not settings.auth and settings.host not in ("127.0.0.1", "localhost", "::1"):
        raise LotsenError("--no-auth nur auf 127.0.0.1: sonst könnte jeder im Netz die Kette "
                          "ändern.")
    _port_free(settings.host, settings.port)
    application = create_app(settings)
    application.state.store.snapshot()  # a broken or empty store is reported now
    from visualisation.hyphenation import soft_hyphens

    soft_hyphens("Schwangerschaftsberatung")  # the German dictionary loads now, not with
    # the first map a person opens (1–2 s)
    address = f"http://{settings.host}:{settings.port}"
    mode = " (Einzelplatz ohne Anmeldung)" if not settings.auth else ""
    err.print(f"Die Werkstatt{mode} läuft. Im Browser öffnen: {address}/\n"
              f"(Speicher: {application.state.store.repo.location}; Web-API: {address}/docs; "
              "Strg+C beendet.)")
    # a long question (a roll-up, a map) runs in the thread pool; hand the interpreter to
    # the short ones every millisecond instead of every five (Python's default), so a
    # quarter's findings are not queued behind it (soak benchmark, issue 16)
    sys.setswitchinterval(0.001)
    # no X-Forwarded-For from anyone by default: the login's per-address count must see the
    # real address (behind a proxy: FORWARDED_ALLOW_IPS names it, as uvicorn documents)
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning",
                access_log=False, proxy_headers=bool(os.environ.get("FORWARDED_ALLOW_IPS")))


def _port_free(host: str, port: int) -> None:
    """A clear message instead of uvicorn's 'address already in use' after the greeting."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host, port))
        except OSError:
            raise LotsenError(
                f"Port {port} auf {host} ist schon belegt – läuft die Werkstatt schon? Dann "
                f"im Browser http://{host}:{port}/ öffnen. Sonst einen anderen Port wählen: "
                "lotse serve --port 8080 (bzw. make run PORT=8080).") from None


@token_app.command("add", help=texts.TOKEN_ADD_HELP)
def token_add(
    name: Annotated[str, typer.Argument(metavar="NAME",
                                        help="Name des Tokens (eine Rolle, keine Person)")],
    role: Annotated[str, typer.Option("--role", help=texts.ROLE_HELP)] = "reader",
    quarter: Annotated[list[str] | None, typer.Option("--quarter", "-q",
                                                      help=texts.TOKEN_QUARTER_HELP)] = None,
    file: TokensOption = Path("tokens.yaml"),
    expires: Annotated[str, typer.Option("--expires", help=texts.TOKEN_EXPIRES_HELP)] = "365",
    store: StoreOption = None,
) -> None:
    from api.usecases.roles import Role
    from api.web.access import TokenFile, new_token
    from api.web.token_expiry import expiry_date, known_quarters

    if role not in {r.value for r in Role}:
        raise LotsenError(f"Rolle '{role}' gibt es nicht: reader, editor oder coordinator.")
    if role == "editor" and not quarter:
        raise LotsenError("Eine Redaktion braucht ihre Quartiere: --quarter KENNUNG "
                          "(mehrfach angebbar).")
    until = expiry_date(expires)
    tokens = TokenFile.read(file)
    if any(t.name == name for t in tokens.tokens):
        raise LotsenError(f"Ein Token '{name}' gibt es schon in {file}; erst mit 'lotse token "
                          "remove' zurückziehen oder einen anderen Namen wählen.")
    quarter = known_quarters(store, quarter or [])
    token, entry = new_token(name, role, quarter, until)

    def append(current: TokenFile) -> TokenFile:
        if any(t.name == name for t in current.tokens):  # added meanwhile elsewhere
            raise LotsenError(f"Ein Token '{name}' gibt es schon in {file}.")
        return TokenFile(tokens=[*current.tokens, entry])

    TokenFile.update(file, append)  # under the file's lock: no concurrent change is lost
    out.print(f"Token für '{name}' ({role}) in {file} eingetragen, gültig bis "
              f"{until:%d.%m.%Y}. Es wird nur jetzt angezeigt:")
    print(token)


@token_app.command("list", help=texts.TOKEN_LIST_HELP)
def token_list(file: TokensOption = Path("tokens.yaml")) -> None:
    from api.web.access import TokenFile
    from api.web.token_use import TokenUse

    table = Table(title=f"Tokens in {file}", title_justify="left")
    for column in ("Name", "Rolle", "Quartiere", "Gültig bis", "Zuletzt benutzt"):
        table.add_column(column)
    use = TokenUse(file)
    for t in TokenFile.read(file).tokens:
        until = "unbefristet" if t.expires is None else f"{t.expires:%d.%m.%Y}" + (
            " (abgelaufen)" if t.expired() else "")
        used = use.last_used(t.sha256)
        table.add_row(t.name, t.role.value, ", ".join(t.quarters) or "–", until,
                      f"{used:%d.%m.%Y}" if used else "nie")
    out.print(table)


@token_app.command("remove", help=texts.TOKEN_REMOVE_HELP)
def token_remove(name: Annotated[str, typer.Argument(metavar="NAME")],
                 file: TokensOption = Path("tokens.yaml")) -> None:
    from api.web.access import TokenFile
    from graph.errors import NotFoundError

    def without(tokens: TokenFile) -> TokenFile:
        kept = [t for t in tokens.tokens if t.name != name]
        if len(kept) == len(tokens.tokens):
            raise NotFoundError("Token", name, [t.name for t in tokens.tokens])
        return TokenFile(tokens=kept)

    TokenFile.update(file, without)
    out.print(f"Token '{name}' zurückgezogen.")
