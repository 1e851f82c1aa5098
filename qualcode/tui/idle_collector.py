"""Python's cyclic garbage collector, run while nobody waits for the screen.

At ten times the sample the app holds a few hundred thousand objects, and a full pass of the
collector over them takes about 0.1 s. Left to itself, the collector starts that pass whenever
its counters say so: in the middle of a screen switch or of the key that filters a list, where
it doubled the wait. While the app runs, the automatic collector is off and `tick` (called a
few times a second) does its work instead:
- the young objects are collected once the last key has been answered (ANSWER seconds after
  it), when there are more of them than the collector's own threshold (a few milliseconds);
- a full pass waits for a rest: no key or mouse for REST seconds. It runs only when enough
  objects have survived since the last one (a quarter of what survived that one, the
  collector's own rule), so a resting app does not burn a core;
- a user who never rests still gets both: the young objects once there are MANY_YOUNG of
  them, and a full pass once the survivors since the last one outnumber those before it, so
  memory held in cycles is freed all the same (the app's peak memory rose by a third when
  three times as many were let in).
"""

from __future__ import annotations

import gc
import time

TICK = 0.25  # seconds between ticks
ANSWER = 0.3  # seconds after a key or mouse event in which no pass starts
REST = 1.0  # seconds without a key or mouse before a full pass may run
YOUNG = gc.get_threshold()[0]  # young objects worth a collection (700 in CPython)
MANY_YOUNG = 50_000  # young objects collected even while keys come (a pass of 5-10 ms)
CAP = 1  # survivors since the last full pass, as a multiple of those before, that force one


class IdleCollector:
    def __init__(self) -> None:
        self.was_enabled = False
        self.last_input = time.monotonic()
        self.old = 0  # objects that survived the last full pass
        self.survived = 0  # young objects collected since then (an upper bound of survivors)
        self.full_passes = 0  # how many full passes ran (for tests and the benchmark)

    def start(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.old = len(gc.get_objects())  # the modules and the app; the first full pass at rest

    def stop(self) -> None:
        if self.was_enabled:
            gc.enable()

    def input(self) -> None:
        self.last_input = time.monotonic()

    def tick(self) -> None:
        quiet = time.monotonic() - self.last_input
        young = gc.get_count()[0]
        if young > YOUNG and quiet >= ANSWER or young > MANY_YOUNG:
            self.survived += young
            gc.collect(1)
        if self.survived > self.old // 4 and quiet >= REST or self.survived > CAP * self.old:
            self.full()

    def full(self) -> None:
        gc.collect()
        self.full_passes += 1
        self.old = len(gc.get_objects())
        self.survived = 0
