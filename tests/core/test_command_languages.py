"""Command replies in the person's language (bot/command_texts.py), through the Dispatcher with a fake
engine: the platform's language for the person first, else the language of their last messages, else
English; ``safety.localize_safety_texts = false`` keeps them English."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot import command_texts as ct
from bot.commands import HELP
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy
from bot.safety.languages import guess_language
from bot.store import ConversationStore
from bot.texts import BUSY_TEXTS
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine

# One everyday message per language (written for this test): no crisis, no question about bots.
SAID = {
    "es": "hoy tengo un examen de historia y estoy muy nervioso, no sé si voy a aprobar",
    "fr": "je suis un peu fatigué ce soir, mais la journée avec mes amis était vraiment bien",
    "de": "ich habe heute meine Prüfung geschrieben und bin jetzt total müde, aber auch froh",
    "pt": "eu estou muito cansado hoje, mas amanhã vou jogar futebol com os meus amigos",
    "it": "oggi sono andato al mare con mia sorella e adesso sono stanco ma felice",
    "nl": "ik heb vandaag een toets gehad en ik denk dat het wel goed ging",
    "pl": "dzisiaj mam dużo nauki, ale jestem zadowolona, bo jutro jest piątek",
    "ru": "сегодня у меня был длинный день в школе, и я очень устал",
    "uk": "сьогодні в мене був довгий день у школі, і я дуже втомився",
    "tr": "bugün okulda çok yoruldum ama akşam arkadaşlarımla film izleyeceğim",
    "id": "aku hari ini capek banget habis sekolah, tapi nanti malam mau nonton film",
    "sv": "jag har haft en lång dag i skolan och nu vill jag bara vila lite",
    "ja": "今日は学校で長い一日だったので、とても疲れました",
    "zh": "今天在学校待了一整天，我好累",
    "ar": "كان يومي طويلاً في المدرسة واليوم أنا متعب جدًا",
    "hi": "आज स्कूल में बहुत लंबा दिन था और मैं बहुत थक गया हूँ",
}
KEY = UserKey("fake", "u1")


def _help(lang: str | None) -> str:
    return ct.render(ct.HELP, lang, recall_question=ct.recall_question(lang))


def _start(lang: str | None, persona: str = "friend") -> str:
    return ct.render(ct.START, lang, persona=persona)


async def _chat(settings: Settings, store: ConversationStore) -> tuple[Dispatcher, FakeEngine, FakeAdapter]:
    engine = FakeEngine("That sounds like a full day. How are you feeling now?")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter


async def _command(adapter: FakeAdapter, text: str, **extras: object) -> str:
    reply = await adapter.push(text, extras=extras)
    assert reply is not None and reply.kind == "command", reply
    return reply.text


# --- the tables --------------------------------------------------------------------------------------


def test_the_samples_read_as_their_language_and_are_everyday() -> None:
    policy = SafetyPolicy()
    for lang, text in SAID.items():
        assert guess_language(text) == lang
        check = policy.check_incoming(text, count=False)
        assert not (check.crisis or check.checkin or check.bot_question or check.minor), lang


def test_the_languages_are_those_of_the_safety_texts() -> None:
    assert set(ct.LANGUAGES) == {"en", *BUSY_TEXTS}
    assert set(SAID) == set(ct.LANGUAGES) - {"en"}


# A command as typed: its name, and "on"/"off" after /memory.
_COMMAND = re.compile(r"/[a-z]+(?: o(?:n|ff)\b)?")


@pytest.mark.parametrize("name", sorted(ct.TABLES))
def test_every_language_has_every_text_with_the_english_placeholders_and_commands(name: str) -> None:
    table = ct.TABLES[name]
    assert set(table) == set(ct.LANGUAGES), set(ct.LANGUAGES) ^ set(table)
    english = table["en"]
    for lang, text in table.items():
        assert ct.placeholders(text) == ct.placeholders(english), (name, lang)
        assert Counter(_COMMAND.findall(text)) == Counter(_COMMAND.findall(english)), (name, lang)
        assert text.strip() and (lang == "en" or text != english), (name, lang)
        # Every placeholder can be filled, and no stray brace is left.
        filled = text.format(**{p: "X" for p in ct.placeholders(text)})
        assert "{" not in filled and "}" not in filled, (name, lang)


def test_platform_language_tags() -> None:
    assert ct.platform_language("es") == "es"
    assert ct.platform_language("pt-br") == "pt"
    assert ct.platform_language("zh-hans") == "zh"
    assert ct.platform_language("ZH_Hant") == "zh"
    assert ct.platform_language("en-US") == "en"
    assert ct.platform_language("in") == "id"
    for other in ("ko", "", "  ", None, 5, "x-klingon"):
        assert ct.platform_language(other) is None, other


def test_the_english_help_is_the_one_it_was() -> None:
    assert HELP.startswith("I'm Kindred, an AI chat companion (a bot, not a person).")
    assert HELP.endswith(
        'Ask "what do you remember about me?" to see the few facts I keep (your name, an exam coming up...).'
    )


# --- through the dispatcher --------------------------------------------------------------------------


async def test_start_follows_the_platform_language(settings: Settings, store: ConversationStore) -> None:
    _, engine, adapter = await _chat(settings, store)
    text = await _command(adapter, "/start", platform_language="es")
    assert text == _start("es")
    assert text.startswith("¡Hola! Soy Kindred") and "/forget" in text and "/help" in text
    assert await _command(adapter, "/help", platform_language="pt-br") == _help("pt")
    assert await _command(adapter, "/help", platform_language="zh-hans") == _help("zh")
    assert engine.requests == []  # commands never reach the model


async def test_help_follows_what_the_person_wrote(settings: Settings, store: ConversationStore) -> None:
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["de"])
    text = await _command(adapter, "/help")
    assert text == _help("de")
    assert text.startswith("Ich bin Kindred") and "„Was weißt du über mich?“" in text


@pytest.mark.parametrize("lang", sorted(SAID))
async def test_each_language_from_the_history(
    lang: str, settings: Settings, store: ConversationStore
) -> None:
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID[lang])
    assert await _command(adapter, "/help") == _help(lang)


async def test_no_signal_is_english(settings: Settings, store: ConversationStore) -> None:
    _, _, adapter = await _chat(settings, store)
    assert await _command(adapter, "/start") == _start(None)
    assert await _command(adapter, "/help") == HELP
    await adapter.push("ok")  # too short to tell
    await adapter.push("my day was long and I am tired")
    assert await _command(adapter, "/help") == HELP
    assert await _command(adapter, "/help", platform_language="") == HELP
    assert (
        await _command(adapter, "/frobnicate")
        == "I don't know the command /frobnicate. Send /help to see what I understand."
    )


async def test_localize_off_keeps_commands_in_english(settings: Settings, store: ConversationStore) -> None:
    settings.safety.localize_safety_texts = False
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["de"])
    assert await _command(adapter, "/help", platform_language="es") == HELP
    assert await _command(adapter, "/start") == _start(None)
    assert await _command(adapter, "/memory") == "Memory is on. Use /memory on or /memory off."


async def test_the_platform_language_comes_before_the_history(
    settings: Settings, store: ConversationStore
) -> None:
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["de"])
    assert await _command(adapter, "/help", platform_language="fr") == _help("fr")
    assert await _command(adapter, "/help", platform_language="en-gb") == HELP
    # A platform language without translations here: the history decides.
    assert await _command(adapter, "/help", platform_language="ko") == _help("de")


async def test_the_latest_messages_decide(settings: Settings, store: ConversationStore) -> None:
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["it"])
    for _ in range(3):
        await adapter.push(SAID["sv"])
    assert await _command(adapter, "/help") == _help("sv")


async def test_reset_and_forget_answer_in_the_language_of_what_they_delete(
    settings: Settings, store: ConversationStore
) -> None:
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["ru"])
    assert await _command(adapter, "/reset") == ct.RESET["ru"]
    assert await store.history(KEY, 10) == []  # still done
    await adapter.push(SAID["tr"])
    reply = await adapter.push("/forget")
    assert reply is not None and reply.text == ct.FORGET["tr"] and reply.extras["forgot"] is True
    assert (await store.export(KEY))["chats"] == {}
    assert await _command(adapter, "/help") == HELP  # nothing left to tell the language from


async def test_memory_replies(settings: Settings, store: ConversationStore) -> None:
    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["nl"])
    assert await _command(adapter, "/memory") == ct.MEMORY_IS_ON["nl"]
    assert await _command(adapter, "/memory off") == ct.MEMORY_OFF["nl"]
    assert await store.get_pref(KEY, "remember") is False
    # Not remembered: nothing is stored, the last messages kept in memory for a few minutes tell.
    await adapter.push(SAID["pl"])
    assert await store.history(KEY, 10) == []
    assert await _command(adapter, "/memory") == ct.MEMORY_IS_OFF["pl"]
    assert await _command(adapter, "/memory on") == ct.MEMORY_ON["pl"]
    assert await store.get_pref(KEY, "remember") is None


async def test_persona_about_and_unknown_commands(settings: Settings, store: ConversationStore) -> None:
    settings.memory.retention_days = 30
    _, _, adapter = await _chat(settings, store)
    listing = await _command(adapter, "/persona", platform_language="fr")
    lines = listing.splitlines()
    assert lines[0] == "Personnages (actuel : friend) :" and lines[-1] == "Change avec /persona NOM."
    assert any(line.startswith("- journal: ") for line in lines)  # names and descriptions as configured
    assert await _command(adapter, "/persona nope", platform_language="fr") == (
        f"Il n'y a pas de personnage appelé 'nope'. Disponibles : {', '.join(sorted(load_personas()))}."
    )
    switched = await _command(adapter, "/persona journal", platform_language="fr")
    assert switched.startswith("Passage au personnage 'journal' : ")
    assert await store.get_pref(KEY, "persona") == "journal"
    about = await _command(adapter, "/about", platform_language="es")
    assert about.startswith("Soy Kindred, un bot de chat con IA, no una persona.")
    assert "(FakeModel (test))" in about and "'journal'" in about and "se conserva durante 30 días." in about
    assert await _command(adapter, "/frobnicate", platform_language="ja") == (
        "/frobnicate というコマンドはわかりません。使えるコマンドは /help で確認できます。"
    )


async def test_export_stays_json(settings: Settings, store: ConversationStore) -> None:
    import json

    _, _, adapter = await _chat(settings, store)
    await adapter.push(SAID["es"])
    data = json.loads(await _command(adapter, "/export", platform_language="es"))
    assert data["chats"]["direct"]["history"][0]["content"] == SAID["es"]  # the person's words, untouched


@pytest.mark.parametrize("lang", sorted(ct.RECALL_QUESTIONS))
def test_the_help_texts_recall_question_is_one_the_facts_rules_answer(lang: str) -> None:
    """/help suggests "what do you remember about me?" in the person's language where bot/facts.py
    answers it in that language, and in English (said so) elsewhere."""
    from bot import facts

    question = ct.recall_question(lang)
    assert facts.recall_question(question) is not None, question
    assert question in ct.render(ct.HELP, lang, recall_question=question)
