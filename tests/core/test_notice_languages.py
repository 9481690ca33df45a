"""The notices that answer no text and the adapters' own notices, in the person's language (bot/texts.py):
the tables, ``notice_language``, and the notice for a message without text through the real Dispatcher
(the platform's language first, else the person's last messages, else English;
``safety.localize_safety_texts = false`` keeps it English)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from adapters.reddit import CRISIS_SUBJECT, OPTIN_TEXT, OPTOUT_TEXT
from adapters.telegram import STRANGER_TEXT
from bot import command_texts as ct
from bot import texts
from bot.config import Settings
from bot.dispatcher import CALLED_TEXT, EMPTY_TEXT, Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy
from bot.safety.languages import guess_language
from bot.store import ConversationStore
from bot.types import Reply, UserKey
from tests.core.test_command_languages import SAID
from tests.fakes import FakeAdapter, FakeEngine

# Each table with the English it translates (kept next to the code that sends it).
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "EMPTY_TEXTS": (EMPTY_TEXT, texts.EMPTY_TEXTS),
    "CALLED_TEXTS": (CALLED_TEXT, texts.CALLED_TEXTS),
    "STRANGER_TEXTS": (STRANGER_TEXT, texts.STRANGER_TEXTS),
    "OPTOUT_TEXTS": (OPTOUT_TEXT, texts.OPTOUT_TEXTS),
    "OPTIN_TEXTS": (OPTIN_TEXT, texts.OPTIN_TEXTS),
    "CRISIS_SUBJECTS": (CRISIS_SUBJECT, texts.CRISIS_SUBJECTS),
}
# What the person types, kept as it is in every language: !optin, !optout, /forget, ...
_COMMAND = re.compile(r"(?<![\w/!])[/!][a-z]+\b")


# --- the tables --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_language_with_the_english_placeholders_commands_and_name(name: str) -> None:
    english, table = TABLES[name]
    assert set(table) == set(ct.LANGUAGES) - {"en"}, set(ct.LANGUAGES) ^ set(table)
    for lang, text in table.items():
        assert text.strip() == text and text and text != english, (name, lang)
        assert "\n" not in text, (name, lang)
        assert ct.placeholders(text) == ct.placeholders(english), (name, lang)
        assert Counter(_COMMAND.findall(text)) == Counter(_COMMAND.findall(english)), (name, lang)
        assert text.count("Kindred") == english.count("Kindred"), (name, lang)
        assert "{" not in text and "}" not in text, (name, lang)
    # The translations are really in their language: the guess reads each of them back (the short
    # subject lines are too short for it, and the Latin-script notices that repeat a word or two of
    # English say little; those are read together).
    if name != "CRISIS_SUBJECTS":
        together = {
            lang: f"{text} {texts.EMPTY_TEXTS[lang]} {texts.OPTOUT_TEXTS[lang]}"
            for lang, text in table.items()
        }
        for lang, text in together.items():
            assert guess_language(text) == lang, (name, lang)


def test_the_english_notices_are_the_ones_they_were() -> None:
    assert EMPTY_TEXT == "I only understand text messages for now. What's on your mind?"
    assert STRANGER_TEXT.startswith("Hi! This is a private Kindred bot and its owner hasn't added you.")
    assert OPTOUT_TEXT.startswith("Okay, I won't reply to you again on Reddit.")
    assert "!optin" in OPTOUT_TEXT and "/forget" in OPTOUT_TEXT
    assert CRISIS_SUBJECT == "You're not alone"


def test_notice_language() -> None:
    guess = SafetyPolicy().language_of
    nl = texts.notice_language
    assert nl("es", "", guess) == "es"
    assert nl("pt-br", SAID["de"], guess) == "pt"  # the platform's language comes first
    assert nl("en-gb", SAID["de"], guess) is None  # English, said by the platform
    assert nl("ko", SAID["de"], guess) == "de"  # no translations for Korean: what they wrote decides
    assert nl(None, SAID["fr"], guess) == "fr"
    assert nl(None, "   ", guess) is None
    assert nl(None, "my day was long and I am tired", guess) is None
    assert nl("es", SAID["fr"], guess, localize=False) is None


# --- a message without text, through the dispatcher --------------------------------------------------


async def _chat(settings: Settings, store: ConversationStore, **kw: str) -> tuple[FakeEngine, FakeAdapter]:
    engine = FakeEngine("That sounds like a full day. How are you feeling now?")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter(**kw)
    await adapter.start(d.handle)
    return engine, adapter


async def _notice(adapter: FakeAdapter, text: str = "", **kw: object) -> str:
    reply = await adapter.push(text, **kw)  # type: ignore[arg-type]
    assert isinstance(reply, Reply) and reply.kind == "notice", reply
    return reply.text


async def test_a_german_speakers_sticker_gets_the_german_notice(
    settings: Settings, store: ConversationStore
) -> None:
    engine, adapter = await _chat(settings, store)
    await adapter.push(SAID["de"])
    asked = len(engine.requests)
    text = await _notice(adapter)
    assert (
        text == texts.EMPTY_TEXTS["de"] == "Im Moment verstehe ich nur Textnachrichten. Was beschäftigt dich?"
    )
    assert len(engine.requests) == asked  # the model is not asked about a message without text


@pytest.mark.parametrize("lang", sorted(SAID))
async def test_each_language_from_the_history(
    lang: str, settings: Settings, store: ConversationStore
) -> None:
    _, adapter = await _chat(settings, store)
    await adapter.push(SAID[lang])
    assert await _notice(adapter, "\x00 ") == texts.EMPTY_TEXTS[lang]


async def test_the_platform_language_comes_first(settings: Settings, store: ConversationStore) -> None:
    _, adapter = await _chat(settings, store)
    assert await _notice(adapter, extras={"platform_language": "es"}) == texts.EMPTY_TEXTS["es"]
    await adapter.push(SAID["de"])
    assert await _notice(adapter, extras={"platform_language": "pt-br"}) == texts.EMPTY_TEXTS["pt"]
    assert await _notice(adapter, extras={"platform_language": "en"}) == EMPTY_TEXT
    assert await _notice(adapter, extras={"platform_language": "ko"}) == texts.EMPTY_TEXTS["de"]


async def test_no_signal_is_english(settings: Settings, store: ConversationStore) -> None:
    _, adapter = await _chat(settings, store)
    assert await _notice(adapter) == EMPTY_TEXT
    await adapter.push("my day was long and I am tired")
    assert await _notice(adapter) == EMPTY_TEXT


async def test_not_remembered_the_last_messages_in_memory_tell(
    settings: Settings, store: ConversationStore
) -> None:
    _, adapter = await _chat(settings, store)
    await adapter.push("/memory off")
    await adapter.push(SAID["it"])
    assert await _notice(adapter) == texts.EMPTY_TEXTS["it"]


async def test_a_bare_mention_in_a_group(settings: Settings, store: ConversationStore) -> None:
    engine, adapter = await _chat(settings, store, chat_id="g1")
    assert await _notice(adapter, is_group=True) == CALLED_TEXT
    assert (
        await _notice(adapter, is_group=True, extras={"platform_language": "fr"}) == texts.CALLED_TEXTS["fr"]
    )
    await adapter.push(SAID["sv"], is_group=True)
    assert (
        await _notice(adapter, is_group=True)
        == texts.CALLED_TEXTS["sv"]
        == "Hej, jag är här. Vad tänker du på?"
    )
    assert await adapter.push("", is_group=True, addressed=False) is None  # not meant for the bot


async def test_localize_off_keeps_the_notice_english(settings: Settings, store: ConversationStore) -> None:
    settings.safety.localize_safety_texts = False
    _, adapter = await _chat(settings, store)
    await adapter.push(SAID["de"])
    assert await _notice(adapter) == EMPTY_TEXT
    assert await _notice(adapter, extras={"platform_language": "es"}) == EMPTY_TEXT


# --- the note that the model writes well mostly in English -------------------------------------------


def test_the_model_language_note_in_every_language_but_english() -> None:
    assert set(texts.MODEL_LANGUAGE_TEXTS) == set(ct.LANGUAGES) - {"en"}
    for lang, text in texts.MODEL_LANGUAGE_TEXTS.items():
        assert guess_language(text) == lang, lang
        assert "\n" not in text and text.strip() == text


async def test_the_first_model_reply_in_a_language_the_model_does_not_write_says_so_once(
    settings: Settings, store: ConversationStore
) -> None:
    """The embedded model answered "tengo 14 años" with English ramble; the person is told why, once per
    language, and the reply checks ran on the model's text (the note is added after them)."""
    assert settings.safety.careful_model_languages == ["en"]
    engine, adapter = await _chat(settings, store)
    model_text = "That sounds like a full day. How are you feeling now?"
    first = await adapter.push(SAID["es"])
    assert isinstance(first, Reply) and first.kind == "model"
    assert first.text == f"{model_text}\n\n{texts.MODEL_LANGUAGE_TEXTS['es']}"
    again = await adapter.push(SAID["es"])
    assert isinstance(again, Reply) and again.text == model_text  # once
    english = await adapter.push("my day was long and I am tired")
    assert isinstance(english, Reply) and english.text == model_text
    french = await adapter.push(SAID["fr"])
    assert isinstance(french, Reply) and french.text.endswith(texts.MODEL_LANGUAGE_TEXTS["fr"])
    # what was sent is what the history holds: the person saw the note
    history = await store.history(UserKey("fake", adapter.user_id, adapter.chat_id), 20)
    assert texts.MODEL_LANGUAGE_TEXTS["fr"] in history[-1].content
    # /forget forgets that the note was shown, too
    await adapter.push("/forget")
    assert (await adapter.push(SAID["fr"])).text.endswith(texts.MODEL_LANGUAGE_TEXTS["fr"])  # type: ignore[union-attr]


@pytest.mark.parametrize("languages", [["en", "es"], ["*"]])
async def test_no_note_where_the_operators_model_writes_the_language(
    languages: list[str], settings: Settings, store: ConversationStore
) -> None:
    settings.safety.careful_model_languages = languages
    _, adapter = await _chat(settings, store)
    reply = await adapter.push(SAID["es"])
    assert isinstance(reply, Reply) and reply.text == "That sounds like a full day. How are you feeling now?"


async def test_no_note_with_the_fixed_texts_kept_in_english(
    settings: Settings, store: ConversationStore
) -> None:
    settings.safety.localize_safety_texts = False
    _, adapter = await _chat(settings, store)
    reply = await adapter.push(SAID["de"])
    assert isinstance(reply, Reply) and reply.text == "That sounds like a full day. How are you feeling now?"
