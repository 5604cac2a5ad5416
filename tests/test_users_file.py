"""The users file under concurrent writers (issue 32.2): logouts of several users at once
in threads, and ``lotse user remove`` in other processes while users log out. No change may
be lost: every logged-out user has a new session key, a removed user stays removed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from api.web.users import UserFile, new_user

ROOT = Path(__file__).resolve().parent.parent


def _file(path: Path, names: list[str]) -> dict[str, str]:
    """A users file with ``names`` (one cheap hash reused); their session keys."""
    one = new_user("vorlage", "reader", "ein-langes-test-passwort")
    users = UserFile(users=[one.model_copy(update={"name": n, "session_key": f"alt-{n}"})
                            for n in names])
    users.write(path)
    return {u.name: u.session_key for u in users.users}


def test_concurrent_logouts_each_void_their_sessions(tmp_path: Path) -> None:
    path = tmp_path / "benutzer.yaml"
    names = [f"person{i}" for i in range(8)]
    for _round in range(5):
        before = _file(path, names)
        start = threading.Barrier(len(names))

        threads = [threading.Thread(target=_log_out, args=(start, path, n)) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = {u.name: u.session_key for u in UserFile.read(path).users}
        still = [n for n in names if after[n] == before[n]]
        assert not still, f"Abmeldung verloren, alte Cookies gelten noch: {still}"


def _log_out(start: threading.Barrier, path: Path, name: str) -> None:
    start.wait()
    UserFile.end_sessions(path, name)


_WORKER = """
import sys
from pathlib import Path
from api.web.users import UserFile
path = Path(sys.argv[1])
for name in sys.argv[2:]:
    for _ in range(15):
        UserFile.end_sessions(path, name)
"""


def test_removal_while_others_log_out_is_not_undone(tmp_path: Path) -> None:
    """``lotse user remove`` in one process, logouts in two others: the removed
    coordinator must not come back from a logout's stale copy of the file."""
    path = tmp_path / "benutzer.yaml"
    names = [f"person{i}" for i in range(4)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    lotse = [sys.executable, "-c", "from api.cli import main; main()"]
    for _round in range(3):
        _file(path, [*names, "chefin"])
        workers = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), *names],
                                    env=env, cwd=tmp_path) for _ in range(2)]
        removed = subprocess.run([*lotse, "user", "remove", "chefin", "--file", str(path)],
                                 env=env, cwd=tmp_path, capture_output=True, text=True)
        for w in workers:
            assert w.wait(120) == 0
        assert removed.returncode == 0, removed.stderr
        left = {u.name for u in UserFile.read(path).users}
        assert "chefin" not in left, "die entfernte Koordination ist wieder da"
        assert left == set(names)
