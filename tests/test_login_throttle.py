"""The login throttle (issue 32.3): a stranger cannot lock out a user. Wrong passwords
slow down only the pair of name and address that sent them; an address that tries many
names waits too; a global rate bounds the password checks; a success clears the count;
memory stays bounded and forgets the oldest entries first, never everything at once."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.web.session import LoginThrottle
from graph.backends.memory import MemoryRepository
from seeds import load_seed
from tests.werkstatt import PASSWORD, csrf, werkstatt


def _clock() -> tuple[list[float], LoginThrottle]:
    now = [1000.0]
    return now, LoginThrottle(base=1.0, clock=lambda: now[0])


def test_a_stranger_slows_down_only_his_own_pair() -> None:
    _now, t = _clock()
    for _ in range(10):
        t.failed("k.meier", "10.6.6.6")
    assert t.wait("k.meier", "10.6.6.6") > 0
    assert t.wait("k.meier", "10.0.0.1") == 0.0  # the real user from her own address
    assert t.wait("K.Meier ", "10.0.0.1") == 0.0


def test_one_typo_behind_a_proxy_throttles_nobody_else() -> None:
    _now, t = _clock()
    t.failed("k.meier", "10.0.0.1")  # the proxy's address, for everyone
    assert t.wait("k.meier", "10.0.0.1") == 1.0
    assert t.wait("j.schulz", "10.0.0.1") == 0.0


def test_an_address_trying_many_names_waits() -> None:
    _now, t = _clock()
    for i in range(100):
        if t.wait(f"name{i}", "10.6.6.6") == 0:
            t.failed(f"name{i}", "10.6.6.6")
    assert t.wait("noch-einer", "10.6.6.6") > 0
    assert t.wait("noch-einer", "10.0.0.1") == 0.0


def test_success_clears_the_pair_and_the_address() -> None:
    _now, t = _clock()
    for i in range(30):
        t.failed(f"name{i}", "10.0.0.1")
    t.failed("k.meier", "10.0.0.1")
    t.succeeded("k.meier", "10.0.0.1")
    assert t.wait("k.meier", "10.0.0.1") == 0.0
    assert t.wait("j.schulz", "10.0.0.1") == 0.0


def test_global_rate_bounds_the_password_checks() -> None:
    now, t = _clock()
    refused = 0
    for i in range(5000):  # a botnet: every attempt a new name and address
        if t.wait(f"n{i}", f"a{i}") > 0:
            refused += 1
        else:
            t.failed(f"n{i}", f"a{i}")
    assert refused > 4000
    assert 0 < t.wait("k.meier", "10.0.0.1") <= 1.0  # a short wait, no lock-out
    now[0] += 2.0
    assert t.wait("k.meier", "10.0.0.1") == 0.0


def test_memory_is_bounded_and_forgets_the_oldest_first() -> None:
    now = [0.0]
    t = LoginThrottle(base=1.0, clock=lambda: now[0], max_entries=100)
    for i in range(10_000):
        now[0] += 0.5  # within the global rate
        t.failed(f"n{i}", f"a{i}")
        if i % 50 == 0:
            t.failed("k.meier", "10.6.6.6")  # the attack on one account goes on
        assert t.size() <= 2 * 100
    assert t.wait("k.meier", "10.6.6.6") > 0  # still remembered
    assert t.wait("n9999", "a9999") > 0  # the newest too


def test_wrong_passwords_from_elsewhere_do_not_delay_the_right_login(
        tmp_path: Path) -> None:
    """Over HTTP with the default delay: a stranger's failures for 'nord' from another
    address leave the real 'nord' at her address unhindered."""
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    client = werkstatt(repo, tmp_path, login_delay=1.0)
    stranger = TestClient(client.app, follow_redirects=False,
                          base_url="http://127.0.0.1", client=("10.6.6.6", 4444))
    page = stranger.get("/anmelden").text
    answers = [stranger.post("/anmelden", data={"csrf": csrf(page), "name": "nord",
                                                "passwort": "falsch-geraten"}).status_code
               for _ in range(4)]
    assert answers[0] == 401 and 429 in answers
    real = TestClient(client.app, follow_redirects=False, base_url="http://127.0.0.1",
                      client=("10.0.0.1", 5555))
    page = real.get("/anmelden").text
    r = real.post("/anmelden", data={"csrf": csrf(page), "name": "nord",
                                     "passwort": PASSWORD, "weiter": "/"})
    assert r.status_code == 303
