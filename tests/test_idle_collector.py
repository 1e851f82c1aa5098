"""The app's garbage collector: passes only while nobody waits, cycles freed all the same."""

from __future__ import annotations

import gc
import time
import weakref

import pytest

from qualcode.tui import idle_collector
from qualcode.tui.idle_collector import IdleCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def garbage(n: int) -> list[weakref.ref]:
    """n unreachable cycles, and weak references that say whether each is still there."""
    return [weakref.ref(Node()) for _ in range(n)]


@pytest.fixture
def collector():
    c = IdleCollector()
    c.start()
    yield c
    c.stop()


def test_start_turns_the_automatic_collector_off_and_stop_back_on():
    assert gc.isenabled()
    c = IdleCollector()
    c.start()
    assert not gc.isenabled()
    c.stop()
    assert gc.isenabled()
    gc.disable()  # a program that had it off keeps it off
    try:
        c = IdleCollector()
        c.start()
        c.stop()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_pass_while_a_key_is_answered_then_the_cycles_are_freed(collector):
    refs = garbage(5000)
    collector.input()  # a key just came
    collector.tick()
    assert any(r() is not None for r in refs), "collected while the key was being answered"
    collector.last_input = time.monotonic() - idle_collector.ANSWER
    collector.tick()
    assert all(r() is None for r in refs)


def test_a_full_pass_waits_for_a_rest_and_for_enough_survivors(collector):
    keep = [[Node() for _ in range(200)] for _ in range(100)]  # 20,000 objects that live on
    collector.old = 60_000  # a quarter of it is fewer than the 20,000, all of it more
    collector.last_input = time.monotonic() - idle_collector.ANSWER
    collector.tick()  # young ones collected: the survivors are counted, but no rest yet
    assert collector.full_passes == 0 and collector.survived >= 20_000
    collector.last_input = time.monotonic() - idle_collector.REST
    collector.tick()
    assert collector.full_passes == 1 and collector.survived == 0
    assert collector.old >= 20_000  # what survived it: the next pass waits for a quarter more
    collector.tick()
    assert collector.full_passes == 1, "a resting app with nothing new ran a full pass"
    del keep


def test_a_user_who_never_rests_still_gets_full_passes(collector):
    collector.old = 1_000
    collector.survived = idle_collector.CAP * 1_000 + 1
    collector.input()
    collector.tick()
    assert collector.full_passes == 1
