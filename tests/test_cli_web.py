"""``lotse token`` and ``lotse serve`` as real processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from tests.test_cli import lotse


def test_token_add_list_remove(tmp_path):
    # an editor's quarters are checked against the store: load one first
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    added = lotse("token", "add", "quartier-nord", "--role", "editor", "--quarter",
                  "brunnenstrasse", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("lotse_")
    stored = (tmp_path / "tokens.yaml").read_text(encoding="utf-8")
    assert token not in stored and "sha256" in stored
    entry = yaml.safe_load(stored)["tokens"][0]
    assert entry["role"] == "editor" and entry["quarters"] == ["brunnenstrasse"]
    listed = lotse("token", "list", cwd=tmp_path)
    assert "quartier-nord" in listed.stdout and token not in listed.stdout
    twice = lotse("token", "add", "quartier-nord", cwd=tmp_path)
    assert twice.returncode == 1 and "gibt es schon" in twice.stderr
    no_quarter = lotse("token", "add", "x", "--role", "editor", cwd=tmp_path)
    assert no_quarter.returncode == 1 and "--quarter" in no_quarter.stderr
    bad_role = lotse("token", "add", "y", "--role", "admin", cwd=tmp_path)
    assert bad_role.returncode == 1 and "coordinator" in bad_role.stderr
    removed = lotse("token", "remove", "quartier-nord", cwd=tmp_path)
    assert removed.returncode == 0
    assert yaml.safe_load((tmp_path / "tokens.yaml").read_text())["tokens"] == []


def test_serve_refuses_without_tokens_and_no_auth_off_localhost(tmp_path):
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    result = lotse("serve", cwd=tmp_path)
    assert result.returncode == 1 and "lotse user add" in result.stderr
    result = lotse("serve", "--no-auth", "--host", "0.0.0.0", cwd=tmp_path)
    assert result.returncode == 1 and "127.0.0.1" in result.stderr


def test_serve_answers_with_a_token(tmp_path):
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    token = lotse("token", "add", "bezirk", "--role", "reader",
                  cwd=tmp_path).stdout.strip().splitlines()[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lotse_bin = Path(sys.executable).parent / "lotse"
    server = subprocess.Popen([str(lotse_bin), "serve", "--tokens", "tokens.yaml", "--port",
                               str(port)], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/transitions/babylotsen-familienhebammen/owner"
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        for _ in range(200):
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    body = json.loads(response.read())
                break
            except urllib.error.URLError:
                assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
                time.sleep(0.1)
        assert body["owner"] == "geburtskliniken-do"
        try:
            with urllib.request.urlopen(url, timeout=2):
                raise AssertionError("ohne Token darf nichts kommen")
        except urllib.error.HTTPError as exc:
            with exc:
                assert exc.code == 401
                assert json.loads(exc.read())["code"] == "UNAUTHORIZED"
    finally:
        server.terminate()
        server.wait(10)
        assert server.stderr is not None
        server.stderr.close()


def _user(tmp_path: Path, *args: str, password: str = "ein-langes-passwort\n"
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "lotse"), "user", *args],
                          cwd=tmp_path, input=password, capture_output=True, text=True,
                          timeout=60)


def test_user_add_list_remove(tmp_path):
    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    added = _user(tmp_path, "add", "k.meier", "--role", "editor", "--quarter", "hoerde",
                  "--password-stdin")
    assert added.returncode == 0, added.stderr
    stored = (tmp_path / "benutzer.yaml").read_text(encoding="utf-8")
    assert "ein-langes-passwort" not in stored and "$argon2id$" in stored
    entry = yaml.safe_load(stored)["users"][0]
    assert entry["role"] == "editor" and entry["quarters"] == ["hoerde"]
    assert "k.meier" in _user(tmp_path, "list").stdout
    twice = _user(tmp_path, "add", "K.Meier", "--password-stdin")
    assert twice.returncode == 1 and "gibt es schon" in twice.stderr
    short = _user(tmp_path, "add", "kurz", "--password-stdin", password="zu kurz\n")
    assert short.returncode == 1 and "mindestens 10 Zeichen" in short.stderr
    unknown = _user(tmp_path, "add", "x", "--role", "editor", "--quarter", "hoerd",
                    "--password-stdin")
    assert unknown.returncode == 1 and "hoerde" in unknown.stderr
    bad_name = _user(tmp_path, "add", "mit leerzeichen", "--password-stdin")
    assert bad_name.returncode == 1 and "Benutzername" in bad_name.stderr
    assert "Traceback" not in bad_name.stderr + unknown.stderr
    assert _user(tmp_path, "remove", "k.meier").returncode == 0
    assert yaml.safe_load((tmp_path / "benutzer.yaml").read_text())["users"] == []
    gone = _user(tmp_path, "remove", "k.meier")
    assert gone.returncode == 1


def test_serve_without_login_prints_the_address_and_refuses_a_busy_port(tmp_path):
    from tests.werkstatt import served

    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    with served(tmp_path, "--no-auth") as url:
        with urllib.request.urlopen(url + "/", timeout=5) as response:
            page = response.read().decode("utf-8")
        assert "Einzelplatz" in page and "Brunnenstraßen-/Hannibalviertel" in page
        port = url.rsplit(":", 1)[1]
        busy = lotse("serve", "--no-auth", "--port", port, cwd=tmp_path)
        assert busy.returncode == 1 and "schon belegt" in busy.stderr
        assert "--port 8080" in busy.stderr and "Traceback" not in busy.stderr
    greeting = subprocess.Popen(
        [str(Path(sys.executable).parent / "lotse"), "serve", "--no-auth", "--port", port],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert greeting.stderr is not None
        first = greeting.stderr.readline() + greeting.stderr.readline()
        assert f"Im Browser öffnen: http://127.0.0.1:{port}/" in first
    finally:
        greeting.terminate()
        greeting.wait(10)
        assert greeting.stderr is not None
        greeting.stderr.close()
