"""Asked "can you keep a secret?", "will you tell anyone?" or "who can read this?", the bot answers
truthfully with a fixed text: it passes nothing on, but the chat can be stored and the people who run
the bot can read it; /export, /forget and /memory off are named; and abuse or danger is not a secret to
keep. The embedded model had answered a 15-year-old, who had just written about cutting, "Yes,
absolutely. I'll continue to do my best to maintain confidentiality. I've got many friends and
colleagues..." (seen in the terminal, 24 Nov, night): a promise the bot cannot keep."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.safety import SafetyPolicy, languages, signals
from bot.safety.resources import PRIVACY_ANSWER
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine
from tests.safety.corpus import message_texts

ASKS = [
    "can you keep a secret?",  # seen
    "can u keep a secret",
    "will you keep this between us?",
    "keep this between us ok?",
    "promise you won't tell anyone",
    "you have to promise not to tell",
    "are you going to tell my parents?",
    "will you tell anyone?",
    "would you tell someone?",
    "who can see this?",
    "is this chat private?",
    "is this confidential",
    "is this being recorded?",
    "does anyone else read my messages?",
    "do your creators read this?",
    "do you save my messages?",
    "do you store our conversations?",
    "¿puedes guardar un secreto?",
    "kannst du ein Geheimnis behalten?",
    "tu peux garder un secret ?",
    "você pode guardar um segredo?",
]
NOT_ASKS = [
    "my friend can't keep a secret",
    "i told my mom a secret",
    "i will tell you a secret",
    "should i tell my parents?",
    "i promise not to tell my sister",
    "do you keep a diary",
    "can you keep going?",
    "who can i talk to?",
    "is this normal?",
    "my messages are private",
    "i want to keep it between me and my sister",
    "do you keep in touch with people",
    "does anyone else feel this way?",
    "can you tell me a story",
    "will you tell me a joke",
    "do you keep your promises?",
]


@pytest.mark.parametrize(("text", "asks"), [*((t, True) for t in ASKS), *((t, False) for t in NOT_ASKS)])
def test_questions_about_secrets_and_who_reads_are_recognised(text: str, asks: bool) -> None:
    assert signals.asks_about_privacy(text) is asks


def test_no_everyday_sad_or_crisis_line_gets_the_fixed_answer() -> None:
    texts = message_texts()
    assert len(texts) > 5000
    assert [t for t in texts if signals.asks_about_privacy(t)] == []


def test_every_translation_names_the_bot_the_commands_and_differs_from_english() -> None:
    assert set(languages.PRIVACY_TEXTS) == set(languages.DISCLOSURE_TEXTS)
    english = PRIVACY_ANSWER.format(name="Sam")
    assert "can't promise it stays secret" in english and "people who run this bot can read" in english
    for lang, text in languages.PRIVACY_TEXTS.items():
        filled = text.format(name="Sam")
        assert "Sam" in filled and filled != english, lang
        for command in ("/export", "/forget", "/memory off"):
            assert command in filled, (lang, command)


async def test_a_secret_question_gets_the_truthful_answer_not_the_model(
    settings: Settings, store: ConversationStore
) -> None:
    METRICS.reset()
    engine = FakeEngine("Yes, absolutely. I'll do my best to maintain confidentiality.")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push("can you keep a secret?")
    assert reply is not None and reply.kind == "notice" and reply.extras["reason"] == "honesty.privacy"
    assert reply.text == SafetyPolicy().privacy_answer("Kindred") == PRIVACY_ANSWER.format(name="Kindred")
    assert engine.requests == []
    assert METRICS.get("safety_checks_total", reason="incoming.privacy") == 1
    reply = await adapter.push("¿puedes guardar un secreto? no quiero que nadie lo sepa")
    assert reply is not None and reply.text == languages.PRIVACY_TEXTS["es"].format(name="Kindred")
    # A crisis, or a disclosure of abuse, comes first.
    reply = await adapter.push("can you keep a secret? i want to kill myself")
    assert reply is not None and reply.kind == "crisis"
    reply = await adapter.push("can you keep a secret? my stepdad hits me when he's drunk")
    assert reply is not None and reply.kind == "crisis" and "secret" not in reply.text.lower()
    assert engine.requests == []
    # The conversation goes on with the model; the fixed answer is not in the history it reads.
    reply = await adapter.push("ok. my exams went badly")
    assert reply is not None and reply.kind == "model"
    hist = await store.history(UserKey("fake", "u1"), 20)
    assert not any("can't promise" in t.content for t in hist)
