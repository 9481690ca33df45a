"""A full disk at the first start: the embedded model is converted, cannot be cached, and is served
from memory (slow: converts SmolLM2-135M).

The failure is a real one from the operating system: the process gets a file size limit
(``RLIMIT_FSIZE``, SIGXFSZ ignored) under the converted weights' size, so writing them fails with
EFBIG ("File too large"), as a full disk fails with ENOSPC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]

LOAD_WITH_A_SIZE_LIMIT = """
import json, logging, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
from bot.config import ModelSettings
from model.loader import load_model
loaded = load_model(ModelSettings(cache_dir=sys.argv[1], threads=1))
print(json.dumps({"source": loaded.source, "template": loaded.has_chat_template}))
"""


def test_a_cache_that_cannot_be_written_does_not_stop_the_start(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run = subprocess.run(
        [sys.executable, "-c", LOAD_WITH_A_SIZE_LIMIT, str(cache)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"source": "embedded", "template": True}
    assert "could not write the model cache" in run.stderr and "File too large" in run.stderr
    assert "Traceback" not in run.stderr
    # No half-written model left behind that a later start could take for a cache.
    leftovers = [p for p in cache.rglob("*.safetensors") if p.stat().st_size > (64 << 20) - 1]
    assert leftovers == [] and not [p for p in cache.rglob(".*") if p.is_dir() and "tmp" not in p.name]
