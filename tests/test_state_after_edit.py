"""The API state after an edit (api/web/state.py): made from the state before, without
reloading the store; readers answer from the previous state while a change is written."""

from __future__ import annotations

import threading

from api.web.state import StoreState
from graph.backends.memory import MemoryRepository
from graph.journal import Edit
from lotsen.check import check
from lotsen.index import _CACHE_KEY, get_index
from seeds import load_seed


def test_readers_use_the_previous_state_while_a_change_is_written() -> None:
    repo = MemoryRepository()
    repo.replace(load_seed("brunnenstrasse"), "test")
    state = StoreState(repo)
    before = state.snapshot()
    index_before = get_index(before.network)
    service = before.network.services[0]
    inside, release = threading.Event(), threading.Event()

    def slow_check(*_: object) -> None:  # runs inside the store's write
        inside.set()
        assert release.wait(10)

    edit = Edit("services", service.id, service.model_copy(update={"name": "Neu"}), "test",
                authorize=slow_check)
    writer = threading.Thread(target=state.apply, args=(edit,))
    writer.start()
    try:
        assert inside.wait(10)
        assert state.snapshot() is before  # no waiting, no half-written state
    finally:
        release.set()
        writer.join(10)
    after = state.snapshot()
    assert after is not before and after.version == before.version + 1
    assert after.network is repo.load()  # the store's own network, not reloaded
    assert after.network.service_index[service.id].name == "Neu"
    carried = after.network.cache[_CACHE_KEY]
    assert carried is not index_before and carried.quarters is index_before.quarters
    fresh = after.network.model_copy()
    assert check(after.network) == check(fresh)


def test_a_change_by_someone_else_in_between_reloads() -> None:
    repo = MemoryRepository()
    repo.replace(load_seed("brunnenstrasse"), "test")
    state = StoreState(repo)
    before = state.snapshot()
    service = before.network.services[0]
    repo.apply(Edit("services", service.id, service.model_copy(update={"name": "A"}), "cli"))
    state.apply(Edit("services", service.id, service.model_copy(update={"name": "B"}), "api"))
    after = state.snapshot()
    assert after.version == before.version + 2
    assert after.network.service_index[service.id].name == "B"
