"""Personas: a system prompt, few-shot examples, sampling overrides and an optional model, in TOML.

Built-in personas live in ``bot/personas/*.toml``; users add their own (or override a built-in one by
name) with TOML files in ``chat.personas_dir``. A cloned-voice persona (``clone = true``) must carry a
non-empty ``consent`` note, or the bot refuses to run it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bot.types import ChatTurn, SamplingParams

BUILTIN_DIR = Path(__file__).with_name("personas")
_SAMPLING_KEYS = {f.name for f in fields(SamplingParams)}
_ALLOWED_KEYS = {"name", "description", "system_prompt", "examples", "sampling", "model", "clone", "consent"}


class PersonaError(Exception):
    """A persona file is malformed or a persona cannot be used. The message names the file and key."""


@dataclass(frozen=True)
class Persona:
    name: str
    system_prompt: str
    description: str = ""
    examples: tuple[tuple[str, str], ...] = ()
    sampling: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    clone: bool = False
    consent: str = ""
    source: str = ""

    @property
    def usable(self) -> bool:
        return not self.clone or bool(self.consent.strip())

    def check_usable(self) -> None:
        if not self.usable:
            raise PersonaError(
                f"persona {self.name!r} ({self.source}) is a cloned voice without consent: add a "
                f'`consent = "..."` line saying who agreed to have their voice cloned, and when'
            )

    def sampling_params(self, base: SamplingParams) -> SamplingParams:
        values = {f.name: getattr(base, f.name) for f in fields(SamplingParams)}
        values.update(self.sampling)
        return SamplingParams(**values)

    def prompt_turns(self) -> list[ChatTurn]:
        turns = [ChatTurn("system", self.system_prompt)]
        for user, assistant in self.examples:
            turns += [ChatTurn("user", user, pinned=True), ChatTurn("assistant", assistant, pinned=True)]
        return turns


def _parse(path: Path) -> Persona:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PersonaError(f"persona file {path} is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaError(f"cannot read persona file {path}: {exc}") from None
    unknown = set(data) - _ALLOWED_KEYS
    if unknown:
        raise PersonaError(
            f"persona file {path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_ALLOWED_KEYS)}"
        )
    for key in ("name", "system_prompt"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise PersonaError(f"persona file {path}: `{key}` must be a non-empty string")
    name = data["name"].strip()
    if not name.replace("-", "").replace("_", "").isalnum():
        raise PersonaError(f"persona file {path}: name {name!r} may use letters, digits, - and _ only")
    examples: list[tuple[str, str]] = []
    for i, ex in enumerate(data.get("examples", [])):
        if (
            not isinstance(ex, dict)
            or not isinstance(ex.get("user"), str)
            or not isinstance(ex.get("assistant"), str)
        ):
            raise PersonaError(f"persona file {path}: examples[{i}] needs `user` and `assistant` strings")
        examples.append((ex["user"], ex["assistant"]))
    sampling = data.get("sampling", {})
    if not isinstance(sampling, dict):
        raise PersonaError(f"persona file {path}: [sampling] must be a table")
    bad = set(sampling) - _SAMPLING_KEYS
    if bad:
        raise PersonaError(
            f"persona file {path}: unknown sampling key(s) {sorted(bad)}; allowed: {sorted(_SAMPLING_KEYS)}"
        )
    try:
        SamplingParams(**sampling)
    except (TypeError, ValueError) as exc:
        raise PersonaError(f"persona file {path}: [sampling] {exc}") from None
    model = data.get("model")
    if model is not None and (not isinstance(model, str) or not model.strip()):
        raise PersonaError(f"persona file {path}: `model` must be a path or model id string")
    clone = data.get("clone", False)
    if not isinstance(clone, bool):
        raise PersonaError(f"persona file {path}: `clone` must be true or false")
    consent = data.get("consent", "")
    if not isinstance(consent, str):
        raise PersonaError(f"persona file {path}: `consent` must be a string")
    return Persona(
        name=name,
        description=str(data.get("description", "")).strip(),
        system_prompt=" ".join(data["system_prompt"].split()),
        examples=tuple(examples),
        sampling=dict(sampling),
        model=model,
        clone=clone,
        consent=consent,
        source=str(path),
    )


def load_personas(extra_dir: Path | None = None) -> dict[str, Persona]:
    """Built-in personas, then the user's (which override built-ins of the same name)."""
    personas: dict[str, Persona] = {}
    dirs = [BUILTIN_DIR]
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise PersonaError(f"chat.personas_dir = {str(extra_dir)!r} is not a folder")
        dirs.append(extra_dir)
    for folder in dirs:
        for path in sorted(folder.glob("*.toml")):
            p = _parse(path)
            personas[p.name] = p
    return personas
