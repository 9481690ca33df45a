"""What a training run leaves next to the model: report.json, loss.png, samples.md, persona.toml."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.personas import DISPLAY_NAME_MAX_CHARS
from bot.types import SamplingParams

SAMPLE_REPETITION_PENALTY = SamplingParams().repetition_penalty
"""The samples in samples.md and the persona file written next to the model use the bot's default
repetition penalty, so the report shows what the bot will send."""


def _clean(value: Any) -> Any:
    """JSON has no NaN/inf: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def write_json(path: Path, data: dict[str, Any]) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(_clean(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def plot_losses(history: dict[str, list[list[float]]], path: Path, title: str = "") -> None:
    """Training loss (raw and smoothed) and validation loss against the optimiser step."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    train = history.get("train", [])
    if train:
        steps, losses = zip(*train, strict=True)
        ax.plot(steps, losses, color="tab:blue", alpha=0.3, linewidth=0.8, label="train (per step)")
        smooth, ema = [], None
        for v in losses:
            ema = v if ema is None else 0.9 * ema + 0.1 * v
            smooth.append(ema)
        ax.plot(steps, smooth, color="tab:blue", linewidth=1.6, label="train (smoothed)")
    valid = history.get("valid", [])
    if valid:
        steps, losses = zip(*valid, strict=True)
        ax.plot(steps, losses, "o-", color="tab:orange", linewidth=1.6, label="validation")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss per assistant token")
    ax.set_title(title or "persona fine-tuning")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _quote(text: str) -> str:
    return "> " + text.replace("\n", "\n> ") if text else "> *(empty)*"


def write_samples_md(
    path: Path,
    prompts: Sequence[Sequence[dict[str, str]]],
    real: Sequence[str],
    base: Sequence[str],
    tuned: Sequence[str],
    *,
    base_name: str,
) -> None:
    """Side by side: the held-out prompt, the real reply, the base model's and the tuned model's."""
    lines = [
        "# Sample replies on held-out prompts",
        "",
        f"Base model: {base_name}. Sampling: temperature 0.7, top-p 0.9, repetition penalty "
        f"{SAMPLE_REPETITION_PENALTY}, "
        "the same seed for both models.",
        "",
    ]
    for i, (prompt, r, b, t) in enumerate(zip(prompts, real, base, tuned, strict=True), 1):
        lines += [f"## {i}", ""]
        for m in prompt:
            if m["role"] == "system":
                continue
            who = "**user**" if m["role"] == "user" else "**assistant**"
            lines += [f"{who}:", _quote(m["content"]), ""]
        lines += [
            "**real reply**:",
            _quote(r),
            "",
            "**base model**:",
            _quote(b),
            "",
            "**tuned model**:",
            _quote(t),
            "",
        ]
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def persona_name(raw: str) -> str:
    """A persona name the bot accepts (letters, digits, - and _)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-_").lower()
    return name or "trained"


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes) when non-ASCII is left as is.
    return json.dumps(text, ensure_ascii=False)


def write_persona_toml(
    path: Path,
    *,
    name: str,
    system_prompt: str,
    model_dir: Path,
    clone: bool,
    speaker: str | None,
    description: str,
) -> None:
    lines = [
        "# A persona for the model trained by scripts.train_persona. Copy this file into your personas",
        "# folder (chat.personas_dir) and choose it with /persona " + name + ". The built-in local engine",
        "# serves one model: also set model.path in config.toml to the folder named below.",
        f"name = {_toml_string(name)}",
        f"description = {_toml_string(description)}",
        f"system_prompt = {_toml_string(system_prompt)}",
        f"model = {_toml_string(str(Path(model_dir).resolve()))}",
    ]
    if clone:
        # one printable line: a name from an export goes into a comment and a string below
        shown = "".join(c for c in " ".join((speaker or "").split()) if c.isprintable())
        who = shown or "the person"
        if shown and len(shown) <= DISPLAY_NAME_MAX_CHARS:
            # how it answers "are you a bot?": "I'm Sam, an AI chat bot" (bot/personas.py)
            lines.append(f"display_name = {_toml_string(shown)}")
        lines += [
            "",
            f"# This model imitates how {who} writes: a cloned voice. The bot refuses to run it until",
            "# `consent` says who agreed to have their voice cloned, and when (for example",
            '# consent = "Sam agreed in writing on 2025-03-01"). Only fill it in if that is true.',
            "clone = true",
            'consent = ""',
        ]
    lines += [
        "",
        "[sampling]",
        "temperature = 0.7",
        "top_p = 0.9",
        f"repetition_penalty = {SAMPLE_REPETITION_PENALTY}",
        "",
    ]
    Path(path).write_text("\n".join(lines), encoding="utf-8")
