"""`python -m scripts.bench_engine` end to end on a tiny model folder (the numbers are not checked here:
performance claims come from running the script on the real model, see docs/engine.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tiny_folder(tmp_path: Path, loaded) -> Path:
    """The tiny model saved as a model folder, for ``--model``."""
    folder = tmp_path / "tiny"
    loaded.model.save_pretrained(folder)
    loaded.tokenizer.save_pretrained(folder)
    return folder


def test_bench_prints_every_column_for_multi_turn_traffic_and_quality(tmp_path, tiny_loaded):
    folder = _tiny_folder(tmp_path, tiny_loaded)
    cmd = [
        sys.executable,
        "-m",
        "scripts.bench_engine",
        "--model",
        str(folder),
        "--users",
        "1,3",
        "--turns",
        "2",
        "--stagger",
        "0.2",
        "--baseline-requests",
        "1",
        "--threads",
        "1",
        "--json",
        "--quality",
        "--dtype",
        "float32",
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [r["users"] for r in rows] == [1, 3]
    for r in rows:
        for key in ("engine_tok_s", "baseline_tok_s", "ratio", "p50_s", "p95_s", "ttft_p50_s", "peak_rss_mb"):
            assert r[key] is not None and r[key] >= 0, key
        assert r["not_ok"] == 0 and r["turns"] == 2
        assert r["new_tokens"] > 0 and r["peak_rss_mb"] > 0
        assert r["start_peak_rss_mb"] > 0  # while loading, before weights no pass reads are freed
        # the bound: the row's replies over the least time to read its prompts at the measured peak
        assert r["matmul_peak_gflops"] > 0 and r["least_read_s"] > 0
        assert r["bound_tok_s"] == pytest.approx(
            r["new_tokens"] / max(r["least_read_s"], r["arrival_span_s"]), rel=0.01
        )
        # the second turn of each conversation starts with the first turn's prompt and reply
        assert r["prefix_reused_tokens"] > 0
        # --quality in float32 against float32: the same model through both paths agrees
        assert r["top1_agreement"] == 1.0
        assert r["decode_top1_agreement"] >= 0.95


def test_bench_busy_neighbour_runs_each_row_with_and_without_sharing_the_cpu(tmp_path, tiny_loaded):
    folder = _tiny_folder(tmp_path, tiny_loaded)
    base = [sys.executable, "-m", "scripts.bench_engine", "--model", str(folder), "--users", "2"]
    base += ["--stagger", "0.1", "--baseline-requests", "0", "--dtype", "float32", "--threads", "2"]
    base += ["--cache-dir", str(tmp_path / "cache"), "--busy-neighbour"]
    out = subprocess.run([*base, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [(r["users"], r["share_cpu"], r["busy_neighbour"]) for r in rows] == [
        (2, True, True),
        (2, False, True),
    ]
    assert all(r["not_ok"] == 0 and r["new_tokens"] > 0 for r in rows)
    text = subprocess.run(base, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert text.returncode == 0, text.stderr[-2000:]
    assert "busy neighbour, share_cpu on" in text.stdout and "share_cpu on / off =" in text.stdout


@pytest.mark.parametrize("flag", ["--users", "--turns", "--solo-requests"])
def test_bench_rejects_bad_arguments(flag):
    out = subprocess.run(
        [sys.executable, "-m", "scripts.bench_engine", flag, "0"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 2 and flag in out.stderr


def test_bench_compares_two_quantization_settings_on_the_same_traffic(tmp_path, tiny_loaded):
    folder = _tiny_folder(tmp_path, tiny_loaded)
    base = [sys.executable, "-m", "scripts.bench_engine", "--model", str(folder), "--users", "1,2"]
    base += ["--stagger", "0.1", "--baseline-requests", "0", "--dtype", "bfloat16", "--threads", "1"]
    base += ["--cache-dir", str(tmp_path / "cache"), "--quantization", "int8-weight"]
    base += ["--compare-quantization", "none", "--step-times"]
    out = subprocess.run([*base, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [(r["users"], r["quantization"], r["low_bit_weights"]) for r in rows] == [
        (1, "int8-weight", "int8"),
        (1, "none", "none"),
        (2, "int8-weight", "int8"),
        (2, "none", "none"),
    ]
    assert all(r["not_ok"] == 0 and r["new_tokens"] > 0 for r in rows)
    # the same traffic for both settings: the same prompts were read
    assert rows[0]["prefill_tokens"] == rows[1]["prefill_tokens"]
    steps = rows[0]["decode_step_ms"]
    assert [s["rows"] for s in steps] == [1, 4, 8, 12, 16, 24, 32] and all(s["none_ms"] > 0 for s in steps)
    text = subprocess.run(base, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert text.returncode == 0, text.stderr[-2000:]
    assert "same traffic: quantization int8-weight / none =" in text.stdout
    assert "one decode step, ms" in text.stdout
    bad = subprocess.run([*base, "--busy-neighbour"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "cannot be combined" in bad.stderr


def test_side_work_runs_in_a_thread_that_has_ended_when_it_returns():
    """The baseline and the other side work must not leave a live thread behind: a thread that has
    run torch keeps an OpenMP team, and a second team slows every engine pass after it."""
    import asyncio
    import threading

    from scripts.bench_engine import in_own_thread

    seen: list[threading.Thread] = []

    def work(x: int) -> int:
        seen.append(threading.current_thread())
        return x * 2

    def broken() -> None:
        raise ValueError("side work failed")

    async def main() -> None:
        assert await in_own_thread(work, 21) == 42
        assert seen[0] is not threading.main_thread()
        assert not seen[0].is_alive()
        with pytest.raises(ValueError, match="side work failed"):
            await in_own_thread(broken)

    asyncio.run(main())


def test_the_one_user_row_is_several_messages_one_after_another(tmp_path, tiny_loaded):
    folder = _tiny_folder(tmp_path, tiny_loaded)
    cmd = [sys.executable, "-m", "scripts.bench_engine", "--model", str(folder), "--users", "1,2"]
    cmd += ["--solo-requests", "3", "--stagger", "0.1", "--baseline-requests", "0", "--dtype", "float32"]
    cmd += ["--threads", "1", "--cache-dir", str(tmp_path / "cache"), "--json"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    solo, pair = json.loads(out.stdout)
    assert solo["users"] == 1 and solo["requests"] == 3 and solo["not_ok"] == 0
    assert pair["users"] == 2 and pair["requests"] == 2
    # one after another: the replies' times add up to the row's wall time
    assert solo["wall_s"] >= solo["p50_s"] * 1.5 and solo["new_tokens"] > 0


@pytest.mark.slow
def test_bench_compares_int8_matmuls_on_and_off_on_the_same_traffic():
    """The embedded model (the int8 matmuls are on here: this CPU runs ``torch._int_mm`` faster than
    float32 and the model keeps the gate): every row twice on the same prompts, on then off."""
    from tests.model.conftest import model_cache_dir

    base = [sys.executable, "-m", "scripts.bench_engine", "--users", "2", "--stagger", "0.1"]
    base += ["--baseline-requests", "0", "--cache-dir", str(model_cache_dir()), "--compare-int8-matmuls"]
    out = subprocess.run([*base, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [(r["users"], r["int8_matmuls"]) for r in rows] == [(2, True), (2, False)]
    assert all(r["not_ok"] == 0 and r["new_tokens"] > 0 for r in rows)
    assert rows[0]["prefill_tokens"] == rows[1]["prefill_tokens"]
    bad = subprocess.run([*base, "--int8-matmuls", "none"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "--compare-int8-matmuls needs --int8-matmuls auto" in bad.stderr


def test_the_start_order_bench_rejects_bad_arguments():
    out = subprocess.run(
        [sys.executable, "-m", "scripts.bench_start_order", "--repeats", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "--repeats must be at least 1" in out.stderr


@pytest.mark.slow
def test_the_start_order_bench_times_both_orders():
    out = subprocess.run(
        [sys.executable, "-m", "scripts.bench_start_order", "--repeats", "1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [r["order"] for r in rows] == ["alongside", "before"]
    assert all(r["read_ms"] > 0 and r["prompt_tokens"] > 200 for r in rows)
