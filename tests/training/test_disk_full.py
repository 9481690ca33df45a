"""A full disk while training: a clear error, and the checkpoint already written is kept.

The failure is a real one from the operating system: the run's process gets a file size limit
(``RLIMIT_FSIZE``, with SIGXFSZ ignored), so writing past it fails with EFBIG ("File too large"), as a
full disk fails with ENOSPC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli import _toastme

ROOT = Path(__file__).parents[2]

RUN_WITH_A_SIZE_LIMIT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
from scripts.train_persona import main
sys.exit(main(sys.argv[2:]))
"""


def _run(args: list[str], limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN_WITH_A_SIZE_LIMIT, str(limit), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.slow
def test_a_checkpoint_that_cannot_be_written_keeps_the_previous_one(tmp_path, tiny_model_dir):
    out = tmp_path / "toast"
    common = [
        "--input", str(_toastme(tmp_path, 80)), "--out", str(out), "--base-model", str(tiny_model_dir),
        "--threads", "1", "--quiet", "--num-samples", "1", "--sample-tokens", "4", "--save-every", "2",
        "--precision", "fp32",
    ]  # fmt: skip
    first = _run(["--max-steps", "2", *common], limit=2**40)
    assert first.returncode == 0, first.stderr[-2000:]
    last = out / "checkpoints" / "last"
    sizes = {p.name: p.stat().st_size for p in last.iterdir()}
    assert json.loads((last / "state.json").read_text())["step"] == 2
    # Room for every small file of the run, not for the checkpoint's weights.
    limit = min(sizes["trainable.pt"], sizes["optimizer.pt"]) - 1
    assert limit > 20_000, sizes
    second = _run(["--resume", "--max-steps", "4", *common], limit=limit)
    assert second.returncode == 2, second.stderr[-2000:]
    error = second.stderr.strip().splitlines()[-1]
    assert error.startswith("error: could not write the checkpoint at step 4"), error
    assert "File too large" in error and f"the previous checkpoint in {last} is kept" in error
    assert "--resume" in error and "Traceback" not in second.stderr
    # The step-2 checkpoint is whole, no half-written folder is left, and the run can go on.
    assert json.loads((last / "state.json").read_text())["step"] == 2
    assert {p.name: p.stat().st_size for p in last.iterdir()} == sizes
    assert [p.name for p in (out / "checkpoints").iterdir()] == ["last"]
    third = _run(["--resume", "--max-steps", "4", *common], limit=2**40)
    assert third.returncode == 0, third.stderr[-2000:]
    assert json.loads((out / "report.json").read_text())["steps"] == 4


@pytest.mark.slow
def test_a_model_that_cannot_be_written_is_a_clear_error(tmp_path, tiny_model_dir):
    out = tmp_path / "toast"
    common = [
        "--input", str(_toastme(tmp_path, 80)), "--out", str(out), "--base-model", str(tiny_model_dir),
        "--threads", "1", "--quiet", "--num-samples", "1", "--sample-tokens", "4", "--precision", "fp32",
    ]  # fmt: skip
    weights = sum(p.stat().st_size for p in Path(tiny_model_dir).glob("*.safetensors"))
    run = _run(["--max-steps", "2", *common], limit=weights // 2)
    assert run.returncode == 2, run.stderr[-2000:]
    error = run.stderr.strip().splitlines()[-1]
    assert error.startswith(f"error: could not write the trained model to {out} ("), error
    assert "File too large" in error and "Traceback" not in run.stderr
