"""Give up a torch thread while other programs keep the CPU busy.

torch's OpenMP threads (GNU libgomp) spin while they wait for each other, several hundred times per
decode step. When another program wants a core, one of our threads is descheduled and the others
spin through whole time slices. Measured on this 2-core VM, with one other busy process at normal
priority: a one-row decode step went from ~38 ms to 0.9-1.7 s, a 16-row step from ~60 ms to 2 s.
With one thread there is nothing to wait for: 47 / 88 ms under the same load.

Waiting passively instead (``OMP_WAIT_POLICY=PASSIVE``) avoids the collapse but costs 1.4-1.75x on a
quiet machine (every parallel region then sleeps and wakes); a short spin count still collapses 5x
under load. So the engine keeps torch's defaults and :class:`CpuShare` watches the machine instead:
about twice a second it reads how busy the CPUs were (``/proc/stat``) apart from this process
(``/proc/self/stat``), and the engine's worker runs its passes with fewer threads while others need
the cores, and with all of them again once they are free.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

CHECK_EVERY_S = 0.5
"""How often the CPU counters are read (a pass is 30-400 ms; reading costs ~50 us)."""

BUSY_ENTER = 0.35
"""Other programs using more than this many cores (beyond what our threads leave) -> shrink."""

BUSY_LEAVE = 0.15
"""...and less than this for two readings in a row -> all threads again."""


def usable_cores(cgroup_root: str = "/sys/fs/cgroup") -> int:
    """Cores this process may use: its CPU affinity, capped by a cgroup CPU quota (a container started
    with ``--cpus=2`` on a 16-core host gets 2, where ``os.cpu_count()`` says 16; 16 torch threads
    fighting over 2 cores' worth of quota are throttled to a crawl)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _cgroup_quota(cgroup_root)
    if quota is not None:
        cores = min(cores, max(1, int(quota + 0.5)))
    return max(1, cores)


def _cgroup_quota(root: str) -> float | None:
    """CPUs allowed by the cgroup's quota (v2 ``cpu.max``, or v1 ``cpu.cfs_quota_us``), None if unlimited."""
    try:
        with open(f"{root}/cpu.max", encoding="ascii") as f:
            quota, period = f.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open(f"{root}/cpu/cpu.cfs_quota_us", encoding="ascii") as f:
            quota_us = int(f.read().strip())
        with open(f"{root}/cpu/cpu.cfs_period_us", encoding="ascii") as f:
            period_us = int(f.read().strip())
        return None if quota_us <= 0 or period_us <= 0 else quota_us / period_us
    except (OSError, ValueError):
        return None


def allowed_cpus() -> set[int]:
    """The CPUs this process may run on (its affinity)."""
    try:
        return set(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return set(range(os.cpu_count() or 1))


def read_cpu_counters(
    cpus: set[int] | None = None, stat_path: str = "/proc/stat"
) -> tuple[float, float] | None:
    """(busy seconds of the CPUs ``cpus``, or of all CPUs; CPU seconds of this process) since boot.

    None where /proc is missing. Only the CPUs this process may run on matter: in a container limited
    to 2 of a host's 16 cores, other containers busy on the other 14 take nothing from us.
    """
    try:
        with open(stat_path, encoding="ascii") as f:
            lines = [line.split() for line in f if line.startswith("cpu")]
        with open("/proc/self/stat", encoding="ascii") as f:
            own = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if cpus is None:
        rows = [fields for fields in lines if fields[0] == "cpu"]
    else:
        rows = [fields for fields in lines if fields[0][3:].isdigit() and int(fields[0][3:]) in cpus]
    if not rows:
        return None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    busy = 0
    for fields in rows:
        values = [int(v) for v in fields[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        busy += sum(values[:8]) - idle  # user nice system idle iowait irq softirq steal
    utime, stime = int(own[11]), int(own[12])  # fields 14 and 15 of /proc/self/stat
    return busy / ticks, (utime + stime) / ticks


@dataclass
class CpuShare:
    """Decides how many threads the engine's passes use: ``threads()`` once per pass."""

    wanted: int
    """The configured thread count (``model.threads``; all cores by default)."""
    cores: int
    reader: Callable[[], tuple[float, float] | None] = read_cpu_counters
    clock: Callable[[], float] = time.monotonic
    every_s: float = CHECK_EVERY_S

    def __post_init__(self) -> None:
        self.current = self.wanted
        self.other_cores = 0.0
        """Cores other programs used over the last reading."""
        self.shrinks = 0
        self._calm = 0
        self._last: tuple[float, float, float] | None = None
        self._next = 0.0
        first = self.reader()
        self.enabled = first is not None and self.wanted > 1
        if first is not None:
            self._last = (self.clock(), *first)
            self._next = self._last[0] + self.every_s

    def threads(self) -> int:
        """Thread count for the next pass (re-evaluated at most every ``every_s`` seconds)."""
        if not self.enabled:
            return self.wanted
        now = self.clock()
        if now < self._next:
            return self.current
        self._next = now + self.every_s
        reading = self.reader()
        if reading is None or self._last is None:
            return self.current
        t0, busy0, own0 = self._last
        self._last = (now, *reading)
        elapsed = now - t0
        if elapsed <= 0:
            return self.current
        busy, own = reading[0] - busy0, reading[1] - own0
        self.other_cores = max(0.0, (busy - own) / elapsed)
        free = self.cores - self.other_cores
        if self.current == self.wanted:
            # Our threads plus theirs do not fit on the cores: shrink to what is left (at least 1).
            if self.other_cores > BUSY_ENTER and free < self.wanted + BUSY_ENTER:
                self.current = max(1, min(self.wanted, int(free)))
                if self.current < self.wanted:
                    self.shrinks += 1
                self._calm = 0
        elif self.other_cores < BUSY_LEAVE:
            self._calm += 1
            if self._calm >= 2:
                self.current = self.wanted
                self._calm = 0
        else:
            self._calm = 0
        return self.current
