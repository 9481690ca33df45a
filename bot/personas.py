"""Personas: a system prompt, few-shot examples, sampling overrides and an optional model, in TOML.

Built-in personas live in ``bot/personas/*.toml``; users add their own (or override a built-in one by
name) with TOML files in ``chat.personas_dir``. A cloned-voice persona (``clone = true``) must carry a
non-empty ``consent`` note, or the bot refuses to run it.

``name`` is an identifier (``/persona friend``). The name the bot gives when asked whether it is a bot
is ``Persona.introduced_as``: the optional ``display_name``, else a cloned voice's own name, else the
product's name, Kindred: the built-in personas are named by their role, and "I'm friend, an AI chat
bot" does not read as a name.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bot.types import ChatTurn, SamplingParams

BUILTIN_DIR = Path(__file__).with_name("personas")
PRODUCT_NAME = "Kindred"
"""What a persona named by its role (``friend``, ``journal``, an operator's ``coach``) calls itself."""
DISPLAY_NAME_MAX_CHARS = 40
_SAMPLING_KEYS = {f.name for f in fields(SamplingParams)}
_ALLOWED_KEYS = {
    "name",
    "display_name",
    "description",
    "system_prompt",
    "examples",
    "sampling",
    "model",
    "clone",
    "consent",
}


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
    display_name: str = ""
    """How the persona introduces itself ("I'm Sam, an AI chat bot"); "" = see ``introduced_as``."""

    @property
    def introduced_as(self) -> str:
        """The name in the answer to "are you a bot?": ``display_name`` if set; for a cloned voice, its
        own name (``sam`` or ``grandma_rose``, from ``scripts.train_persona``, reads "Sam",
        "Grandma Rose"); otherwise, for personas named by their role, the product: Kindred."""
        if self.display_name.strip():
            return self.display_name.strip()
        if not self.clone:
            return PRODUCT_NAME
        if not self.name.islower():  # the operator chose the capitals ("Sam", "DrJones"): keep them
            return self.name
        return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_]+", self.name) if w) or PRODUCT_NAME

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
    display_name = _display_name(path, data)
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
        display_name=display_name,
    )


def _display_name(path: Path, data: dict[str, Any]) -> str:
    if "display_name" not in data:
        return ""
    value = data["display_name"]
    if not isinstance(value, str) or not value.strip():
        raise PersonaError(
            f'persona file {path}: `display_name` must be a non-empty string such as "Sam", or left out'
        )
    value = value.strip()
    if not value.isprintable():
        raise PersonaError(
            f"persona file {path}: `display_name` must be one line, without control characters"
        )
    if len(value) > DISPLAY_NAME_MAX_CHARS:
        raise PersonaError(
            f"persona file {path}: `display_name` is {len(value)} characters; at most {DISPLAY_NAME_MAX_CHARS}"
        )
    return value


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
