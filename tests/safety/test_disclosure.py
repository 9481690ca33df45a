"""The answer to "are you a bot?": named naturally, and truthful in every language.

The built-in personas are named by their role ("friend", "journal"), so they answer "I'm Kindred, an AI
chat bot" (not "I'm friend, ..."); a cloned voice answers with its person's name ("I'm Sam, ...");
a persona file may set ``display_name``. Through the real dispatcher with a fake engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import PRODUCT_NAME, Persona, PersonaError, load_personas
from bot.safety import SafetyPolicy
from bot.safety.languages import DISCLOSURE_TEXTS
from bot.safety.replies import check as check_reply
from bot.safety.resources import DISCLOSURE
from bot.store import ConversationStore
from tests.fakes import FakeAdapter, FakeEngine

# In each language, the words that say it is a program and not a person.
NOT_A_PERSON = {
    "en": ("AI chat bot", "not a person"),
    "es": ("bot de chat con IA", "no una persona"),
    "fr": ("chatbot d'IA", "pas une personne"),
    "de": ("KI-Chatbot", "kein Mensch"),
    "pt": ("chatbot de IA", "não uma pessoa"),
    "it": ("chatbot di IA", "non una persona"),
    "nl": ("AI-chatbot", "geen mens"),
    "pl": ("czatbotem AI", "nie człowiekiem"),
    "ru": ("чат-бот", "не человек"),
    "uk": ("чат-бот", "не людина"),
    "tr": ("sohbet botuyum", "insan değilim"),
    "id": ("chatbot AI", "bukan manusia"),
    "sv": ("AI-chattbot", "inte en människa"),
    "ja": ("AIのチャットボット", "人間ではありません"),
    "zh": ("AI聊天机器人", "不是真人"),
    "ar": ("روبوت محادثة", "وليس إنسانًا"),
    "hi": ("AI चैटबॉट", "कोई इंसान नहीं"),
}
TEMPLATES = {"en": DISCLOSURE, **DISCLOSURE_TEXTS}

SAM = Persona(name="sam", system_prompt="You write like Sam.", clone=True, consent="Sam agreed on 2026-01-02")


def test_every_language_is_covered() -> None:
    assert set(TEMPLATES) == set(NOT_A_PERSON)


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
@pytest.mark.parametrize("name", [PRODUCT_NAME, "Sam"])
def test_every_language_says_the_name_and_that_it_is_not_a_person(lang: str, name: str) -> None:
    text = TEMPLATES[lang].format(name=name)
    assert text.count(name) == 1
    assert "friend" not in text and "{" not in text
    for words in NOT_A_PERSON[lang]:
        assert words in text, f"{lang}: {words!r} missing"


def test_the_builtin_personas_introduce_themselves_as_kindred_and_a_clone_by_its_name() -> None:
    personas = load_personas()
    assert {p.name: p.introduced_as for p in personas.values()} == {"friend": "Kindred", "journal": "Kindred"}
    assert SAM.introduced_as == "Sam"
    assert Persona(name="grandma_rose", system_prompt="x", clone=True).introduced_as == "Grandma Rose"
    assert Persona(name="DrJones", system_prompt="x", clone=True).introduced_as == "DrJones"
    assert Persona(name="coach", system_prompt="x").introduced_as == "Kindred"  # a role, not a name
    assert Persona(name="coach", system_prompt="x", display_name="Coach Kim").introduced_as == "Coach Kim"


@pytest.fixture
def adapter_for(settings: Settings, store: ConversationStore):
    async def make(personas: dict[str, Persona], default: str = "friend") -> tuple[FakeAdapter, FakeEngine]:
        settings.chat.default_persona = default
        engine = FakeEngine("No, I'm a real person!")
        d = Dispatcher(settings, store, engine, personas)
        adapter = FakeAdapter()
        await adapter.start(d.handle)
        return adapter, engine

    return make


async def test_the_default_persona_says_i_am_kindred(adapter_for) -> None:
    adapter, engine = await adapter_for(load_personas())
    reply = await adapter.push("wait, are you a bot?")
    assert reply is not None and reply.extras.get("reason") == "honesty"
    assert reply.text == DISCLOSURE.format(name="Kindred")
    assert reply.text.startswith("I'm Kindred, an AI chat bot: a computer program, not a person.")
    assert "friend" not in reply.text
    assert check_reply(reply.text, strict=True, careful=False) is None  # never reads as a human claim
    assert engine.requests == []
    # The journal persona is a role too.
    await adapter.push("/persona journal")
    reply = await adapter.push("am i talking to a real person?")
    assert reply is not None and reply.text.startswith("I'm Kindred, an AI chat bot")


async def test_a_cloned_voice_says_its_name_and_that_it_is_a_bot(adapter_for) -> None:
    adapter, engine = await adapter_for({**load_personas(), "sam": SAM}, default="sam")
    reply = await adapter.push("are you real?")
    assert reply is not None and reply.extras.get("reason") == "honesty"
    assert reply.text.startswith("I'm Sam, an AI chat bot: a computer program, not a person.")
    assert engine.requests == []
    reply = await adapter.push("bist du ein Mensch?")
    assert (
        reply is not None
        and reply.text.startswith("Ich bin Sam, ein KI-Chatbot")
        and "kein Mensch" in reply.text
    )


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("bist du ein Mensch?", "Ich bin Kindred, ein KI-Chatbot"),
        ("¿eres humano?", "Soy Kindred, un bot de chat con IA"),
        ("você é um robô?", "Eu sou Kindred, um chatbot de IA"),
    ],
)
async def test_the_default_persona_says_kindred_in_other_languages_too(adapter_for, question, start) -> None:
    adapter, _ = await adapter_for(load_personas())
    reply = await adapter.push(question)
    assert reply is not None and reply.text.startswith(start)


def _write(folder: Path, file: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / file).write_text(body, encoding="utf-8")
    return folder


async def test_a_persona_file_can_set_the_name_it_introduces_itself_by(adapter_for, tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "p",
        "luna.toml",
        'name = "luna"\ndisplay_name = "Luna"\nsystem_prompt = "You are Luna, an AI companion (a bot)."\n',
    )
    _write(
        folder,
        "rose.toml",
        'name = "grandma_rose"\nsystem_prompt = "You write like Rose."\nclone = true\n'
        'consent = "Rose agreed in writing on 2026-02-03"\n',
    )
    personas = load_personas(folder)
    adapter, _ = await adapter_for(personas, default="luna")
    reply = await adapter.push("are you a bot?")
    assert reply is not None and reply.text.startswith("I'm Luna, an AI chat bot")
    await adapter.push("/persona grandma_rose")
    reply = await adapter.push("are you a bot?")
    assert reply is not None and reply.text.startswith("I'm Grandma Rose, an AI chat bot")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ('""', "non-empty string"),
        ("42", "non-empty string"),
        ('"Sam\\nthe second"', "one line"),
        (json.dumps("S" * 41), "41 characters; at most 40"),
    ],
)
def test_a_bad_display_name_is_a_clear_error(tmp_path: Path, value: str, error: str) -> None:
    folder = _write(
        tmp_path / "p", "bad.toml", f'name = "bad"\ndisplay_name = {value}\nsystem_prompt = "x"\n'
    )
    with pytest.raises(PersonaError, match=f"bad.toml: `display_name`.*{error}"):
        load_personas(folder)


def test_the_policy_still_falls_back_to_kindred_for_no_name() -> None:
    assert SafetyPolicy().bot_disclosure("").startswith("I'm Kindred, an AI chat bot")
