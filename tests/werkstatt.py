"""Helpers for the Werkstatt tests: an app on a real store with real users, a client that
logs in like a browser, and the CSRF token read from a page."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.web.app import create_app
from api.web.settings import ApiSettings
from api.web.users import UserFile, new_user
from graph.repository import Repository

PASSWORD = "ein-langes-test-passwort"
USERS = (("koordination", "coordinator", ()), ("nord", "editor", ("brunnenstrasse",)),
         ("hoerde", "editor", ("hoerde",)), ("lesen", "reader", ()))


@cache
def _users() -> UserFile:
    """Hashed once per test session (argon2 is slow on purpose)."""
    return UserFile(users=[new_user(n, r, PASSWORD, q) for n, r, q in USERS])


def users_file(folder: Path) -> Path:
    path = folder / "benutzer.yaml"
    _users().write(path)
    return path


def werkstatt(repo: Repository, folder: Path, auth: bool = True, **settings: Any
              ) -> TestClient:
    values: dict[str, Any] = {"store": repo.location, "auth": auth, "login_delay": 0.0}
    if auth:
        values["users_file"] = users_file(folder)
    values.update(settings)
    app = create_app(ApiSettings(**values), repo=repo)
    return TestClient(app, follow_redirects=False, base_url="http://127.0.0.1")


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "kein CSRF-Feld auf der Seite"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/anmelden")
    return client.post("/anmelden", data={"csrf": csrf(page.text), "name": name,
                                          "passwort": password, "weiter": "/"})


def form_of(html: str) -> dict[str, Any]:
    """The values a browser would send for the first edit form on ``html`` (inputs,
    checked boxes, selected options, text areas)."""
    form = html[html.index('<form method="post" action="/bearbeiten'):]
    form = form[:form.index("</form>")]
    data: dict[str, Any] = {}

    def add(name: str, value: str) -> None:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) \
                else [data[name], value]
        else:
            data[name] = value

    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag and " checked" not in tag:
            continue
        add(name.group(1), _unescape(value.group(1) if value else ""))
    for name, body in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', form,
                                 re.S):
        for value in re.findall(r'<option value="([^"]*)" selected>', body):
            add(name, _unescape(value))
    for name, body in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form,
                                 re.S):
        add(name, _unescape(body))
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@contextmanager
def served(folder: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``lotse serve ARGS`` as a real process in ``folder`` on a free port of 127.0.0.1;
    yields its address once /health answers, stops it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    full_env = {k: v for k, v in os.environ.items() if k != "LOTSE_STORE"}
    full_env.update(env or {})
    process = subprocess.Popen([str(Path(sys.executable).parent / "lotse"), "serve",
                                "--port", str(port), *args], cwd=folder, env=full_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    assert process.stderr is not None
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        process.stderr.close()
