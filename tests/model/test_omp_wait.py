"""torch's OpenMP threads wait passively (bot/__init__.py), unless the operator says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Records OMP_WAIT_POLICY at the moment torch is first imported (libgomp reads it then).
PROBE = """
import os, sys, importlib
seen = {}
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" and "at" not in seen:
            seen["at"] = os.environ.get("OMP_WAIT_POLICY")
        return None
sys.meta_path.insert(0, Watch())
for mod in sys.argv[1:]:
    importlib.import_module(mod)
import torch
torch.ones(4).sum()
print(seen["at"])
"""


def _policy_at_torch_import(modules: list[str], given: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if given is not None:
        env["OMP_WAIT_POLICY"] = given
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "entry",
    [
        "bot.cli",  # python -m bot
        "scripts.bench_engine",
        "scripts.train_persona",
        "scripts.train_crisis_classifier",
        "model.loader",
        "model.training",
    ],
)
def test_every_entry_point_sets_passive_waiting_before_torch_loads(entry: str) -> None:
    assert _policy_at_torch_import([entry]) == "PASSIVE"


def test_an_operators_own_setting_wins() -> None:
    assert _policy_at_torch_import(["bot.cli", "model.loader"], given="ACTIVE") == "ACTIVE"


def test_importing_the_model_package_does_not_import_torch() -> None:
    code = "import sys, model, bot.cli; print('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
