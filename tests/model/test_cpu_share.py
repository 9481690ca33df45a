"""model.cpu_share: fewer torch threads while other programs keep the CPU busy, all of them after."""

from __future__ import annotations

import torch

from bot.config import EngineSettings, ModelSettings
from bot.types import ChatTurn, GenerationRequest, SamplingParams
from model import cpu_share
from model.cpu_share import CpuShare, read_cpu_counters


class Machine:
    """Fake /proc counters: ``run(seconds, others=..., ours=...)`` advances busy time and the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.busy = 1000.0
        self.own = 10.0

    def run(self, seconds: float, *, others: float, ours: float) -> None:
        self.now += seconds
        self.busy += seconds * (others + ours)
        self.own += seconds * ours

    def reader(self):
        return self.busy, self.own

    def clock(self) -> float:
        return self.now


def share(machine: Machine, wanted: int = 2, cores: int = 2) -> CpuShare:
    return CpuShare(wanted=wanted, cores=cores, reader=machine.reader, clock=machine.clock)


def test_a_quiet_machine_keeps_all_threads() -> None:
    m = Machine()
    s = share(m)
    for _ in range(10):
        m.run(0.6, others=0.05, ours=2.0)
        assert s.threads() == 2
    assert s.shrinks == 0


def test_a_busy_neighbour_takes_a_thread_and_gives_it_back_when_gone() -> None:
    m = Machine()
    s = share(m)
    m.run(0.6, others=1.0, ours=1.0)  # a program busy on one core while we try to use two
    assert s.threads() == 1 and s.shrinks == 1
    assert 0.9 < s.other_cores < 1.1
    m.run(0.6, others=1.0, ours=1.0)
    assert s.threads() == 1  # still busy: stay small
    m.run(0.6, others=0.0, ours=1.0)
    assert s.threads() == 1  # one calm reading is not enough (no flapping)
    m.run(0.6, others=0.0, ours=1.0)
    assert s.threads() == 2


def test_readings_are_at_most_every_half_second() -> None:
    m = Machine()
    s = share(m)
    m.run(0.1, others=2.0, ours=0.0)
    assert s.threads() == 2  # too soon to read the counters again
    m.run(0.5, others=2.0, ours=0.0)
    assert s.threads() == 1


def test_a_bigger_machine_shrinks_to_what_is_left() -> None:
    m = Machine()
    s = share(m, wanted=8, cores=8)
    m.run(0.6, others=3.0, ours=5.0)
    assert s.threads() == 5
    m.run(0.6, others=0.2, ours=5.0)
    assert s.threads() == 5  # 0.2 cores busy is not yet calm
    m.run(0.6, others=0.0, ours=5.0)
    assert s.threads() == 5  # calm once
    m.run(0.6, others=0.0, ours=5.0)
    assert s.threads() == 8  # calm twice in a row


def test_off_with_one_thread_or_without_proc() -> None:
    assert not CpuShare(wanted=1, cores=2).enabled
    s = CpuShare(wanted=2, cores=2, reader=lambda: None)
    assert not s.enabled and s.threads() == 2


def test_the_real_counters_move() -> None:
    first = read_cpu_counters()
    assert first is not None  # Linux
    x = torch.randn(300, 300)
    for _ in range(200):
        x = torch.tanh(x @ x.T / 300)
    second = read_cpu_counters()
    assert second[0] > first[0] and second[1] > first[1]
    assert second[1] - first[1] <= second[0] - first[0] + 0.05  # our time is part of all busy time


async def test_the_engine_runs_with_fewer_threads_while_the_machine_is_busy(tiny_loaded, monkeypatch) -> None:
    """End to end: the worker applies CpuShare's answer to torch in its own thread, and replies
    are the same whatever the thread count."""

    m = Machine()
    seen: list[int] = []
    real = cpu_share.CpuShare.threads

    def threads(self):
        m.run(0.6, others=1.5, ours=0.5)  # someone else is busy throughout
        n = real(self)
        seen.append(torch.get_num_threads())
        return n

    monkeypatch.setattr(cpu_share.CpuShare, "threads", threads)
    monkeypatch.setattr(
        "model.engine_worker.CpuShare",
        lambda wanted, cores, reader: CpuShare(wanted=2, cores=2, reader=m.reader, clock=m.clock),
    )
    before = torch.get_num_threads()
    try:
        await _busy_then_quiet(tiny_loaded, monkeypatch, m, seen)
    finally:
        torch.set_num_threads(before)  # the engines set the process's torch threads


async def _busy_then_quiet(tiny_loaded, monkeypatch, m: Machine, seen: list[int]) -> None:
    from model.engine import ReplyEngine

    greedy = SamplingParams(max_new_tokens=12, temperature=0.0)
    request = GenerationRequest(messages=(ChatTurn("user", "hello there, how are you"),), sampling=greedy)
    engine = ReplyEngine(ModelSettings(threads=2), EngineSettings(num_candidates=1), loaded=tiny_loaded)
    async with engine:
        busy = await engine.generate(request)
    assert engine.stats["threads"] == 1 and engine.stats["thread_shrinks"] == 1
    assert 1 in seen[1:]  # the worker's torch ran passes with one thread

    monkeypatch.setattr(
        "model.engine_worker.CpuShare",
        lambda wanted, cores, reader: CpuShare(wanted=2, cores=2, reader=lambda: None),
    )
    quiet_engine = ReplyEngine(ModelSettings(threads=2), EngineSettings(num_candidates=1), loaded=tiny_loaded)
    async with quiet_engine:
        quiet = await quiet_engine.generate(request)
    assert busy.status == quiet.status == "ok" and busy.texts == quiet.texts


def test_setting_turns_it_off() -> None:
    assert EngineSettings().share_cpu is True
    assert EngineSettings(share_cpu=False).share_cpu is False


def test_usable_cores_follow_a_cgroup_v2_quota(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cpu_share.os, "sched_getaffinity", lambda pid: set(range(16)))
    (tmp_path / "cpu.max").write_text("200000 100000\n")
    assert cpu_share.usable_cores(str(tmp_path)) == 2  # `--cpus=2` on a 16-core host
    (tmp_path / "cpu.max").write_text("50000 100000\n")
    assert cpu_share.usable_cores(str(tmp_path)) == 1  # half a core: still one thread
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cpu_share.usable_cores(str(tmp_path)) == 16


def test_usable_cores_follow_a_cgroup_v1_quota_and_the_affinity(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cpu_share.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("300000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cpu_share.usable_cores(str(tmp_path)) == 3
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert cpu_share.usable_cores(str(tmp_path)) == 4  # no quota: the affinity (taskset) decides
    assert cpu_share.usable_cores(str(tmp_path / "nowhere")) == 4


def test_threads_0_means_the_usable_cores(monkeypatch) -> None:
    from model import loader

    before = torch.get_num_threads()
    monkeypatch.setattr(loader, "usable_cores", lambda: 1)
    try:
        assert loader.configure_threads(0) == 1 and torch.get_num_threads() == 1
        assert loader.configure_threads(2) == 2  # an explicit count is used as given
    finally:
        torch.set_num_threads(before)


def test_only_the_cpus_this_process_may_use_are_counted(tmp_path) -> None:
    """In a container pinned to cpu0-1, other containers busy on cpu2-3 take nothing from us."""
    stat = tmp_path / "stat"
    ticks = cpu_share.os.sysconf("SC_CLK_TCK")

    def write(busy_per_cpu: list[int]) -> None:
        rows = [f"cpu{i} {b} 0 0 {10_000 - b} 0 0 0 0 0 0" for i, b in enumerate(busy_per_cpu)]
        total = sum(busy_per_cpu)
        stat.write_text(f"cpu  {total} 0 0 {40_000 - total} 0 0 0 0 0 0\n" + "\n".join(rows) + "\nintr 1 2\n")

    write([100, 200, 3000, 4000])
    mine = cpu_share.read_cpu_counters({0, 1}, stat_path=str(stat))
    everything = cpu_share.read_cpu_counters(None, stat_path=str(stat))
    assert mine is not None and everything is not None
    assert mine[0] == 300 / ticks and everything[0] == 7300 / ticks
    assert cpu_share.read_cpu_counters({7}, stat_path=str(stat)) is None  # no such CPU: no reading
