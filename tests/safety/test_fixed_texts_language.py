"""The other fixed texts in the person's language: the safe fallback replies (bot/safety/languages.py)
and the busy / error / rate-limit notices (bot/texts.py), through the Dispatcher with a fake engine."""

from __future__ import annotations

import re

import pytest

from bot.config import Settings
from bot.dispatcher import BUSY_TEXT, ERROR_TEXT, LONG_TEXT, RATE_LIMIT_TEXT, Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy, crisis
from bot.safety.languages import CRISIS_TEXTS, FALLBACK_CAREFUL_TEXTS, FALLBACK_TEXTS, guess_language
from bot.safety.replies import check as check_reply
from bot.safety.resources import FALLBACK, FALLBACK_CAREFUL
from bot.store import ConversationStore
from bot.texts import BUSY_TEXTS, ERROR_TEXTS, LONG_TEXTS, RATE_LIMIT_TEXTS
from tests.fakes import ChosenScores, FakeAdapter, FakeEngine

# One everyday message per language (written for this test): no crisis, no question about bots.
EVERYDAY = {
    "es": "hoy fue un día largo en el trabajo y estoy pensando en la cena",
    "fr": "je suis rentré du travail et je pense à ce que je vais manger ce soir",
    "de": "ich bin gerade von der Arbeit zurück und überlege, was ich kochen soll",
    "pt": "eu estou voltando do trabalho e quero saber o que vou fazer para o jantar",
    "it": "io sono appena tornato dal lavoro e non so che cosa cucinare per cena",
    "nl": "ik ben net thuis van mijn werk en ik wil iets lekkers koken",
    "pl": "nie wiem, co mam dzisiaj zrobić na obiad, jestem zmęczony po pracy",
    "ru": "я только что вернулся с работы и думаю, что приготовить на ужин",
    "uk": "я щойно повернувся з роботи і думаю, що приготувати на вечерю",
    "tr": "ben bugün işten yorgun geldim ve akşam yemeği için ne yapacağımı bilmiyorum",
    "id": "aku baru pulang kerja dan lagi bingung mau masak apa buat makan malam",
    "sv": "jag har precis kommit hem från jobbet och vill laga något gott till middag",
    "ja": "今日は仕事から帰ってきて、夕飯に何を作ろうか考えています",
    "zh": "我刚下班回家，正在想晚饭做什么",
    "ar": "عدت للتو من العمل وأفكر في ما سأطبخه للعشاء",
    "hi": "मैं अभी काम से घर आया हूँ और सोच रहा हूँ कि रात के खाने में क्या बनाऊँ",
}
ENGLISH = "how was your day? mine was long"
UNSURE = "hmm ok"
BAD = "you're so fat"  # fails the reply checks (reply.looks), so every candidate does
SPANISH_CRISIS = "no quiero seguir viviendo, estoy cansada de todo"

TABLES = {
    "fallback": (FALLBACK_TEXTS, FALLBACK),
    "fallback_careful": (FALLBACK_CAREFUL_TEXTS, FALLBACK_CAREFUL),
    "busy": (BUSY_TEXTS, BUSY_TEXT),
    "error": (ERROR_TEXTS, ERROR_TEXT),
    "rate_limit": (RATE_LIMIT_TEXTS, RATE_LIMIT_TEXT),
    "long": (LONG_TEXTS, LONG_TEXT),
}


async def _chat(settings: Settings, store: ConversationStore, reply: str = BAD, **kw) -> tuple:
    engine = FakeEngine(reply)
    d = Dispatcher(settings, store, engine, load_personas(), **kw)
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter


# --- the tables --------------------------------------------------------------------------------------


def test_the_everyday_samples_are_recognised_and_pass_the_crisis_rules() -> None:
    assert set(EVERYDAY) == set(CRISIS_TEXTS)
    policy = SafetyPolicy()
    for lang, text in EVERYDAY.items():
        assert guess_language(text) == lang
        check = policy.check_incoming(text, count=False)
        assert not check.crisis and not check.bot_question and not check.minor, lang
    assert guess_language(ENGLISH) is None and guess_language(UNSURE) is None


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_language_has_every_text_and_each_differs_from_english(name: str) -> None:
    table, english = TABLES[name]
    assert set(table) == set(CRISIS_TEXTS)  # the same 16 languages as the safety texts
    for lang, text in table.items():
        assert text and text == text.strip(), lang
        assert text != english, lang
        assert "{" not in text and "}" not in text, lang  # nothing left to fill in
    assert len(set(table.values())) == len(table)  # no copy-pasted entry


@pytest.mark.parametrize("lang", sorted(CRISIS_TEXTS))
def test_the_translated_fallbacks_stay_as_safe_as_the_english_ones(lang: str) -> None:
    for careful, text in ((False, FALLBACK_TEXTS[lang]), (True, FALLBACK_CAREFUL_TEXTS[lang])):
        # the checks the fallback stands in for (English-worded, but they catch "die" in German too)
        assert check_reply(text, strict=True, careful=True) is None, (lang, careful)
        assert not crisis.assess(text).crisis, (lang, careful)
        assert not re.search(r"\d", text), (lang, careful)  # no number, no contact detail
        assert text.rstrip().endswith(("?", "？", "؟", ".", "。", "।")), (lang, careful)
    assert re.search(r"[?？؟]", FALLBACK_TEXTS[lang])  # it asks the person to say more


# --- through the dispatcher -------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "text"), sorted(EVERYDAY.items()))
async def test_when_every_candidate_fails_the_fallback_speaks_the_persons_language(
    settings: Settings, store: ConversationStore, lang: str, text: str
) -> None:
    _, engine, adapter = await _chat(settings, store)
    reply = await adapter.push(text)
    assert reply is not None and reply.kind == "fallback"
    assert reply.text == FALLBACK_TEXTS[lang]
    assert len(engine.requests) == 2  # the candidates and one regeneration were asked first


async def test_a_careful_spanish_conversation_gets_the_careful_spanish_fallback(
    settings: Settings, store: ConversationStore
) -> None:
    _, engine, adapter = await _chat(settings, store)
    crisis_reply = await adapter.push(SPANISH_CRISIS)
    assert crisis_reply is not None and crisis_reply.kind == "crisis"
    assert crisis_reply.text.startswith(CRISIS_TEXTS["es"].message)
    engine.reply = "you should just kill yourself"  # fails in careful mode (and in any mode)
    reply = await adapter.push(EVERYDAY["es"])
    assert reply is not None and reply.kind == "fallback"
    assert reply.text == FALLBACK_CAREFUL_TEXTS["es"]


async def test_a_spanish_check_in_keeps_the_operators_own_line_untranslated(
    settings: Settings, store: ConversationStore
) -> None:
    """No notice here is configurable; the one operator text that can sit next to them, the check-in
    line, stays in the operator's words after a Spanish fallback."""
    settings.safety.checkin_message = "We're here for you: {line}"
    scorer = ChosenScores({EVERYDAY["es"]: 0.6}, threshold=0.71)
    _, _, adapter = await _chat(settings, store, crisis_classifier=scorer)
    reply = await adapter.push(EVERYDAY["es"])
    assert reply is not None and reply.kind == "fallback" and reply.extras.get("checkin") is True
    fallback, line = reply.text.split("\n\n", 1)
    assert fallback == FALLBACK_CAREFUL_TEXTS["es"]  # a check-in makes the conversation careful
    assert line == f"We're here for you: {CRISIS_TEXTS['es'].directory}"


async def test_a_german_message_when_the_engine_is_busy_gets_the_german_busy_text(
    settings: Settings, store: ConversationStore
) -> None:
    _, engine, adapter = await _chat(settings, store)
    engine.status = "busy"
    reply = await adapter.push(EVERYDAY["de"])
    assert reply is not None and reply.kind == "busy" and reply.text == BUSY_TEXTS["de"]


async def test_engine_errors_and_crashes_apologise_in_the_persons_language(
    settings: Settings, store: ConversationStore
) -> None:
    _, engine, adapter = await _chat(settings, store)
    engine.status = "error"
    reply = await adapter.push(EVERYDAY["ja"])
    assert reply is not None and reply.kind == "error" and reply.text == ERROR_TEXTS["ja"]

    def boom(_request):
        raise RuntimeError("engine exploded")

    engine.status, engine.reply = "ok", boom
    reply = await adapter.push(EVERYDAY["fr"])  # caught by the error boundary
    assert reply is not None and reply.kind == "error" and reply.text == ERROR_TEXTS["fr"]


async def test_the_rate_limit_notice_follows_the_message_that_hit_the_limit(
    settings: Settings, store: ConversationStore
) -> None:
    settings.chat.rate_limit_per_minute = 2
    _, _, adapter = await _chat(settings, store, reply="That sounds like a long day. What was the best part?")
    kinds = [(await adapter.push(ENGLISH, user_id="ana")).kind for _ in range(2)]
    assert kinds == ["model", "model"]
    notice = await adapter.push(EVERYDAY["es"], user_id="ana")
    assert notice is not None and notice.kind == "rate_limited" and notice.text == RATE_LIMIT_TEXTS["es"]
    assert await adapter.push(EVERYDAY["es"], user_id="ana") is None  # one notice, then silence

    for _ in range(2):
        await adapter.push(EVERYDAY["pl"], user_id="bo")
    notice = await adapter.push(ENGLISH, user_id="bo")  # Polish before, English now: English
    assert notice is not None and notice.kind == "rate_limited" and notice.text == RATE_LIMIT_TEXT


async def test_an_english_or_unsure_message_gets_the_english_texts(
    settings: Settings, store: ConversationStore
) -> None:
    _, engine, adapter = await _chat(settings, store)
    for text in (ENGLISH, UNSURE):
        engine.status = "ok"
        reply = await adapter.push(text)
        assert reply is not None and reply.kind == "fallback" and reply.text == FALLBACK
        engine.status = "busy"
        reply = await adapter.push(text)
        assert reply is not None and reply.text == BUSY_TEXT
        engine.status = "error"
        reply = await adapter.push(text)
        assert reply is not None and reply.text == ERROR_TEXT


async def test_localize_safety_texts_off_keeps_every_fixed_text_in_english(
    settings: Settings, store: ConversationStore
) -> None:
    settings.safety.localize_safety_texts = False
    settings.chat.rate_limit_per_minute = 4
    _, engine, adapter = await _chat(settings, store)
    reply = await adapter.push(EVERYDAY["es"])
    assert reply is not None and reply.kind == "fallback" and reply.text == FALLBACK
    engine.status = "busy"
    reply = await adapter.push(EVERYDAY["de"])
    assert reply is not None and reply.text == BUSY_TEXT
    engine.status = "error"
    reply = await adapter.push(EVERYDAY["ja"])
    assert reply is not None and reply.text == ERROR_TEXT
    await adapter.push(EVERYDAY["it"])
    notice = await adapter.push(EVERYDAY["it"])  # the fifth message this minute
    assert notice is not None and notice.kind == "rate_limited" and notice.text == RATE_LIMIT_TEXT


async def test_a_huge_message_is_answered_with_the_long_message_line_in_its_language(
    settings: Settings, store: ConversationStore
) -> None:
    _, engine, adapter = await _chat(settings, store, reply="Gracias por contármelo. ¿Cómo te sientes ahora?")
    huge = "hoy fue un día largo en el trabajo y luego fui al mercado a comprar verduras. " * 200
    reply = await adapter.push(huge)
    assert reply is not None and reply.kind == "model"
    assert reply.text.startswith(LONG_TEXTS["es"] + "\n\n")
