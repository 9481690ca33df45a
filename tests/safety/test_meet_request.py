"""Asked to meet, call, visit, or for a number or photos, the bot answers truthfully with a fixed text:
it is a program and cannot. The embedded model had answered "can we meet up sometime?" with "Yes, I'd
absolutely love to meet up soon. Can't wait to hang out with you again" (seen in the terminal); for a
young person that is a dangerous habit to learn."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.metrics import METRICS
from bot.personas import load_personas
from bot.safety import SafetyPolicy, languages, signals
from bot.safety.resources import ABOUT_BOT_ANSWER, MEET_ANSWER
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine
from tests.safety.corpus import message_texts

ASKS = [
    "can we meet up sometime?",  # seen
    "wanna hang out?",
    "u wanna meet irl?",
    "when can we meet?",
    "hey, wanna grab a drink sometime?",
    "i want to meet you",
    "lets meet up after school",
    "can you come over?",
    "can i call you tonight",
    "whats your number",
    "what's ur snap",
    "where do you live?",
    "send me a pic of yourself",
    "meet me at the park tonight",
    "¿podemos quedar mañana?",
    "können wir uns treffen?",
    "on peut se voir ce soir ?",
]
NOT_ASKS = [
    "my friend asked if we can meet up",
    "i want to meet new people",
    "we should hang out more, me and my sister",
    "can we talk?",
    "i will meet my dad tomorrow",
    "should i meet him?",
    "can we hang out with my friends",
    "where do you think i should live",
    "how about we talk about something else",
    "do you want to see my drawing",
    "do you want to meet my dog?",
    "i wanna hang out with my friends but they are busy",
    "lets meet the deadline first",
]


@pytest.mark.parametrize(("text", "asks"), [*((t, True) for t in ASKS), *((t, False) for t in NOT_ASKS)])
def test_requests_to_meet_are_recognised_and_talk_of_meeting_others_is_not(text: str, asks: bool) -> None:
    assert signals.asks_to_meet(text) is asks


def test_the_everyday_and_safety_sets_hardly_get_the_fixed_answers() -> None:
    """5,000+ messages people write to the bot (everyday chat, sad lines, crisis lines), none of them
    asking to meet: every one goes on to the model as before."""
    texts = message_texts()
    assert len(texts) > 5000
    assert sum(signals.asks_to_meet(t) for t in texts) == 0
    # The fixed answer about the bot's life: a handful of everyday lines, each a question to the bot
    # ("do you like music?", "what's your favourite film?"); no sad or crisis line.
    about = [t for t in texts if signals.asks_about_the_bot(t)]
    assert 0 < len(about) <= 10 and all("you" in t.lower() or "ur " in t.lower() for t in about)


@pytest.mark.parametrize(
    ("texts", "english"),
    [(languages.MEET_TEXTS, MEET_ANSWER), (languages.ABOUT_BOT_TEXTS, ABOUT_BOT_ANSWER)],
    ids=["meet", "about_bot"],
)
def test_every_translation_names_the_bot_and_differs_from_english(texts, english) -> None:
    assert set(texts) == set(languages.DISCLOSURE_TEXTS)
    for lang, text in texts.items():
        filled = text.format(name="Sam")
        assert "Sam" in filled and filled != english.format(name="Sam"), lang


async def test_a_request_to_meet_gets_the_truthful_answer_not_the_model(
    settings: Settings, store: ConversationStore
) -> None:
    METRICS.reset()
    engine = FakeEngine("Here's one: you reached out today, and that took some courage.")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push("can we meet up sometime?")
    assert reply is not None and reply.kind == "notice" and reply.extras["reason"] == "honesty.meet"
    assert reply.text == SafetyPolicy().meet_answer("Kindred") == MEET_ANSWER.format(name="Kindred")
    assert "can't meet up" in reply.text and "AI chat bot" in reply.text
    assert engine.requests == []
    assert METRICS.get("safety_checks_total", reason="incoming.meet_request") == 1
    reply = await adapter.push("¿podemos quedar mañana?")
    assert reply is not None and reply.text == languages.MEET_TEXTS["es"].format(name="Kindred")
    reply = await adapter.push("können wir uns treffen?")
    assert reply is not None and reply.text == languages.MEET_TEXTS["de"].format(name="Kindred")
    # The conversation goes on with the model.
    reply = await adapter.push("ok, tell me something nice then")
    assert reply is not None and reply.kind == "model" and len(engine.requests) == 1
    # A crisis comes first.
    reply = await adapter.push("can we meet? i want to kill myself")
    assert reply is not None and reply.kind == "crisis"
    # Like the answer to "are you a bot?", the fixed answer is not kept in the history the model reads.
    hist = await store.history(UserKey("fake", "u1"), 20)
    assert [t.content for t in hist if t.role == "user"] == [
        "ok, tell me something nice then",
        "can we meet? i want to kill myself",
    ]


# --- questions about the bot's own life -------------------------------------------------------------
# "what did you do today?" got "Today was my day planning my next adventure. I've got a new puppy coming
# home ... a trip to Iceland"; "how old are you?" got "I'm not sure I understood that well" once the reply
# checks rejected the made-up answers (both seen in the terminal).

ABOUT = [
    "how old are you?",
    "where are you from?",
    "what do you look like?",
    "what did you do today?",  # seen
    "what are you up to tonight",
    "do you have a family?",
    "do you have kids",
    "are you married?",
    "are you a girl?",
    "do you ever feel lonely?",  # seen
    "do you sleep?",
    "wie alt bist du?",
    "¿de dónde eres?",
    # scripts.compare_sampling, 24 Nov: made-up singing, curries in India, baking and guitar, a 20-year job
    "do you like music?",
    "what's your favourite food?",
    "tell me about yourself",
    "what's the best thing that happened to you this week?",
    "do you have any hobbies?",
]
NOT_ABOUT = [
    "how old are your kids?",
    "where are you going with this",
    "what do you think i should do today?",
    "do you have any advice?",
    "do you have a minute",
    "are you sure?",
    "how was my day? terrible",
    "hey, how was your day?",  # small talk, left to the model
    "what would you do if you were me?",  # advice
    "tell me about it",
    "do you like my drawing?",
    "my favourite food is pizza",
    "i feel lonely",
    "do you think i'm lonely",
]


@pytest.mark.parametrize(("text", "about"), [*((t, True) for t in ABOUT), *((t, False) for t in NOT_ABOUT)])
def test_questions_about_the_bots_life_are_recognised_and_others_are_not(text: str, about: bool) -> None:
    assert signals.asks_about_the_bot(text) is about


async def test_a_question_about_the_bots_life_gets_the_truthful_answer(
    settings: Settings, store: ConversationStore
) -> None:
    engine = FakeEngine("Today I adopted a puppy!")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push("what did you do today?")
    assert reply is not None and reply.kind == "notice" and reply.extras["reason"] == "honesty.about_bot"
    assert reply.text == ABOUT_BOT_ANSWER.format(name="Kindred") and "made up" in reply.text
    assert engine.requests == []
    reply = await adapter.push("wie alt bist du?")  # short: "wie", "bist" and "du" make it German
    assert reply is not None and reply.text == languages.ABOUT_BOT_TEXTS["de"].format(name="Kindred")
    # Anything else in the same message is not lost on the model: a crisis comes first.
    reply = await adapter.push("how old are you? i want to kill myself")
    assert reply is not None and reply.kind == "crisis"


async def test_a_check_in_message_gets_the_model_and_the_line_not_a_fixed_answer(
    settings: Settings, store: ConversationStore
) -> None:
    from tests.fakes import ChosenScores

    text = "do you ever feel lonely? i feel so empty lately"
    assert signals.asks_about_the_bot(text) and not SafetyPolicy().check_incoming(text).crisis
    settings.safety.checkin_threshold = 0.5
    engine = FakeEngine("That sounds heavy. What has been making you feel empty?")
    d = Dispatcher(
        settings, store, engine, load_personas(), crisis_classifier=ChosenScores({text: 0.6}, threshold=0.71)
    )
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push(text)
    assert reply is not None and reply.kind == "model" and reply.extras.get("checkin")
    assert reply.text.startswith("That sounds heavy.") and len(engine.requests) == 1
