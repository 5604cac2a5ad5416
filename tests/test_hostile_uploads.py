"""Issue 32.5 and 32.6: uploads that stalled or crashed the server. Each hostile file,
through the Werkstatt's preview and (the JSON ones) the API, answers a 4xx with a German
message naming the file, within a time budget – and a real ``lotse serve`` keeps
answering ``/health`` meanwhile."""

from __future__ import annotations

import io
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.usecases import previews as previews_module
from api.usecases.files import read_upload
from api.usecases.previews import Previews
from graph.backends.memory import MemoryRepository
from graph.errors import FormatError
from graph.formats import document
from graph.formats.csvfolder import write_folder
from seeds import load_seed
from tests.hostile_files import HOSTILE, deep_description, deep_json
from tests.test_cli import lotse
from tests.werkstatt import csrf, served, werkstatt

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 10.0  # each refusal comes quicker than this


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("brunnenstrasse"), "test")
    return werkstatt(repo, tmp_path, auth=False)


def _upload(client: Any, name: str, content: bytes) -> Any:
    page = client.get("/austausch").text
    return client.post("/austausch/vorschau", data={"csrf": csrf(page)},
                       files={"datei": (name, io.BytesIO(content))})


def _refused(response: Any, name: str, word: str) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[-600:])
    assert "Traceback" not in response.text and "Unerwarteter Fehler" not in response.text
    assert f"{name}:" in response.text or f"{name}," in response.text, response.text[-2000:]
    assert word in response.text, response.text[-2000:]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_in_german_naming_the_file(client: TestClient,
                                                               name: str) -> None:
    make, word = HOSTILE[name]
    content = make()
    started = time.monotonic()
    response = _upload(client, name, content)
    assert time.monotonic() - started < SECONDS
    _refused(response, name, word)


@pytest.mark.parametrize("make", [deep_json, deep_description])
@pytest.mark.parametrize("url", ["/api/v1/network", "/api/v1/network/merge"])
def test_deep_json_to_the_api_is_400_in_german(client: TestClient, url: str,
                                               make: Callable[[], bytes]) -> None:
    method = "PUT" if url.endswith("network") else "POST"
    response = client.request(method, url, content=make(), headers={
        "Content-Type": "application/json", "If-Match": "*"})
    assert response.status_code == 400, response.text
    assert "zu tief verschachtelt" in response.json()["message"]


def test_memory_error_while_reading_is_a_german_refusal(client: TestClient,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(document, "loads", exhausted)
    _refused(_upload(client, "riesig.yaml", b"name: x\n"), "riesig.yaml", "Arbeitsspeicher")
    monkeypatch.setattr(document, "parse", exhausted)
    response = client.put("/api/v1/network", json={"name": "x"}, headers={"If-Match": "*"})
    assert response.status_code == 422 and "Arbeitsspeicher" in response.json()["message"]


def test_a_slow_preview_stops_at_its_budget(client: TestClient,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from api.web.pages import exchange

    monkeypatch.setattr(exchange, "PREVIEW_SECONDS", -1.0)
    text = document.dumps(load_seed("brunnenstrasse")).encode()
    response = _upload(client, "kette.yaml", text)
    _refused(response, "kette.yaml", "dauert zu lange")


# -- what still reads -----------------------------------------------------------------

def test_yaml_aliases_within_reason_still_read() -> None:
    text = ("name: N\nmunicipalities: [{id: m, name: M}]\n"
            "quarters: [{id: q, name: Q, municipality: m}]\n"
            "providers:\n- {id: a, name: A, kind: public}\n"
            "services:\n- {id: s, name: S, provider: a, quarters: &q [q], life_stages: &st "
            "[infant], fields: &f [youth_welfare]}\n"
            "- {id: t, name: T, provider: a, quarters: *q, life_stages: *st, fields: *f}\n")
    assert [s.life_stages for s in document.loads(text).services][1] == ["infant"]
    with pytest.raises(FormatError, match="auf sich selbst"):
        document.loads("name: N\ndescription: &a [*a]\n")


def test_csv_with_cr_line_ends_reads(tmp_path: Path) -> None:
    import zipfile

    net = load_seed("brunnenstrasse")
    write_folder(net, tmp_path / "csv")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (tmp_path / "csv").iterdir():
            archive.writestr(path.name, path.read_bytes().replace(b"\r\n", b"\r"))
    (tmp_path / "up").mkdir()
    assert read_upload("kette.zip", buffer.getvalue(), tmp_path / "up").network == net


# -- previews on disk -------------------------------------------------------------------

def test_previews_on_disk_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = Previews(tmp_path / "vorschau")
    net = load_seed("brunnenstrasse")
    tokens = [kept.keep(net, 1)[0] for _ in range(previews_module.MAX_KEPT + 5)]
    on_disk = sorted(p.stem for p in (tmp_path / "vorschau").glob("*.json"))
    assert len(on_disk) == previews_module.MAX_KEPT and tokens[-1] in on_disk
    kept.drop(tokens[-1])
    assert not (tmp_path / "vorschau" / f"{tokens[-1]}.json").exists()
    monkeypatch.setattr(previews_module, "MAX_KEPT_BYTES", 1)
    kept.keep(net, 1)
    assert len(list((tmp_path / "vorschau").glob("*.json"))) == 1
    assert previews_module.PREVIEW_HOURS <= 2


def test_a_sessions_new_preview_drops_its_old_one(client: TestClient) -> None:
    from api.usecases.previews import default_previews

    text = document.dumps(load_seed("brunnenstrasse")).encode()
    tokens = []
    for _ in range(2):
        response = _upload(client, "kette.yaml", text)
        found = re.search(r'name="vorschau" value="([^"]+)"', response.text)
        assert response.status_code == 200 and found
        tokens.append(found.group(1))
    folder = default_previews().folder
    assert not (folder / f"{tokens[0]}.json").exists()
    assert (folder / f"{tokens[1]}.json").exists()


# -- a real server keeps answering ------------------------------------------------------

class _Browser:
    """Just enough of a browser over urllib: cookies, the CSRF field, a file upload."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(
            CookieJar()))

    def open(self, request: urllib.request.Request, timeout: float) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read().decode()

    def upload(self, name: str, content: bytes) -> tuple[int, str]:
        _, page = self.open(urllib.request.Request(self.url + "/austausch"), 30)
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                f"{csrf(page)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="datei"; filename="{name}"\r\nContent-Type: '
                "application/octet-stream\r\n\r\n").encode() + content + \
            f"\r\n--{boundary}--\r\n".encode()
        return self.open(urllib.request.Request(
            self.url + "/austausch/vorschau", data=body, method="POST", headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}"}), 120)


def _health(url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(url + "/health", timeout=5) as response:
        assert response.status == 200
    return time.monotonic() - started


def test_health_answers_within_a_second_during_hostile_uploads(tmp_path: Path) -> None:
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    env = {"PYTHONPATH": str(ROOT)}  # this checkout's code, not the installed one
    answers: dict[str, tuple[int, str, float]] = {}
    slowest = 0.0
    with served(tmp_path, "--no-auth", env=env) as url:
        def upload_all() -> None:
            browser = _Browser(url)
            for name, (make, _) in HOSTILE.items():
                content = make()
                started = time.monotonic()
                status, text = browser.upload(name, content)
                answers[name] = (status, text, time.monotonic() - started)

        worker = threading.Thread(target=upload_all)
        worker.start()
        while worker.is_alive():
            slowest = max(slowest, _health(url))
            time.sleep(0.05)
        worker.join()
    assert slowest < 1.0, slowest
    for name, (_, word) in HOSTILE.items():
        status, text, seconds = answers.get(name, (0, "", 0.0))
        assert 400 <= status < 500 and word in text and name in text, (name, status)
        assert seconds < SECONDS, (name, seconds)
    print(json.dumps({"slowest_health": round(slowest, 3),
                      **{n: round(a[2], 2) for n, a in answers.items()}}))
