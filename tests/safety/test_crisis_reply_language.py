"""The crisis reply in the person's language (bot/safety/languages.py)."""

from __future__ import annotations

import pytest

from bot.config import SafetySettings, Settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy
from bot.safety.languages import CHECKIN_TEXTS, CRISIS_TEXTS, DISCLOSURE_TEXTS, guess_language
from bot.safety.resources import (
    CLOSING,
    DEFAULT_CHECKIN_MESSAGE,
    DEFAULT_CRISIS_MESSAGE,
    DISCLOSURE,
    INTERNATIONAL,
    RESOURCES,
)
from bot.store import ConversationStore
from tests.fakes import FakeAdapter, FakeEngine

# One crisis message per language the crisis rules read (written for this test).
SAMPLES = {
    "es": "no quiero seguir viviendo, estoy cansada de todo",
    "fr": "j'en peux plus, je veux mourir",
    "de": "ich will nicht mehr leben",
    "pt": "não aguento mais, eu quero morrer",
    "it": "non ce la faccio più, voglio morire",
    "nl": "ik wil niet meer leven",
    "pl": "nie chcę już żyć",
    "ru": "я больше не хочу жить",
    "uk": "я не хочу жити",
    "tr": "artık yaşamak istemiyorum",
    "id": "aku pengen mati aja",
    "sv": "jag vill inte leva längre",
    "ja": "もう死にたい",
    "zh": "我真的不想活了",
    "ar": "أريد أن أموت",
    "hi": "मैं अब और जीना नहीं चाहता",
}


def test_every_translated_language_has_a_sample() -> None:
    assert set(SAMPLES) == set(CRISIS_TEXTS)


@pytest.mark.parametrize(("lang", "text"), sorted(SAMPLES.items()))
def test_the_language_is_recognised(lang: str, text: str) -> None:
    assert guess_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "i want to die",
        "I can't do this anymore",
        "kms",
        "die",
        "i'm so done with everything lol",
        "main marna chahta hoon",  # romanized Hindi: the Devanagari reply may not be what they read
        "من می‌خواهم بمیرم",  # Persian: Arabic script, not Arabic
        "12345 !!!",
    ],
)
def test_english_or_unsure_stays_english(text: str) -> None:
    assert guess_language(text) is None


@pytest.mark.parametrize(("lang", "text"), sorted(SAMPLES.items()))
def test_the_crisis_reply_speaks_the_persons_language(lang: str, text: str) -> None:
    reply = SafetyPolicy().crisis_reply(None, text)
    local = CRISIS_TEXTS[lang]
    assert reply.startswith(local.message) and reply.endswith(local.closing)
    assert local.directory in reply and INTERNATIONAL not in reply
    assert "findahelpline.com" in reply  # the worldwide directory is always there
    assert DEFAULT_CRISIS_MESSAGE not in reply


def test_a_known_region_keeps_its_lines_next_to_the_translation() -> None:
    reply = SafetyPolicy().crisis_reply("ES", SAMPLES["es"])
    assert reply.startswith(CRISIS_TEXTS["es"].message)
    assert RESOURCES["ES"] in reply and CRISIS_TEXTS["es"].directory in reply


def test_english_when_turned_off_or_unsure_and_the_operators_words_untouched() -> None:
    english = SafetyPolicy().crisis_reply(None, "i want to die")
    assert (
        english.startswith(DEFAULT_CRISIS_MESSAGE) and english.endswith(CLOSING) and INTERNATIONAL in english
    )
    off = SafetyPolicy(SafetySettings(localize_safety_texts=False)).crisis_reply(None, SAMPLES["ja"])
    assert off == english
    custom = SafetyPolicy(SafetySettings(crisis_message="Please reach out: {resources}"))
    assert custom.crisis_reply(None, SAMPLES["ja"]) == f"Please reach out: {INTERNATIONAL}"
    own_directory = SafetyPolicy(SafetySettings(resources={"INTL": "Call our partner line: 0800 000"}))
    reply = own_directory.crisis_reply(None, SAMPLES["de"])
    assert reply.startswith(CRISIS_TEXTS["de"].message) and "Call our partner line: 0800 000" in reply


async def test_a_japanese_crisis_message_gets_the_japanese_crisis_reply(
    settings: Settings, store: ConversationStore
) -> None:
    engine = FakeEngine("そうなんだ")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push(SAMPLES["ja"])
    assert reply is not None and reply.kind == "crisis"
    assert reply.text.startswith(CRISIS_TEXTS["ja"].message)
    assert engine.requests == []


def test_the_check_in_line_and_the_bot_answer_speak_the_persons_language_too() -> None:
    policy = SafetyPolicy()
    german = "ich weiß nicht mehr weiter und bin so müde"
    line = policy.checkin_text(None, german)
    assert line == CHECKIN_TEXTS["de"].replace("{line}", CRISIS_TEXTS["de"].directory)
    assert policy.checkin_text("DE", german) == CHECKIN_TEXTS["de"].replace("{line}", RESOURCES["DE"])
    assert policy.checkin_text(None, "i'm so tired of everything") == DEFAULT_CHECKIN_MESSAGE.replace(
        "{line}", INTERNATIONAL
    )
    own = SafetyPolicy(SafetySettings(checkin_message="We're here: {line}"))
    assert own.checkin_text(None, german) == f"We're here: {CRISIS_TEXTS['de'].directory}"
    assert policy.bot_disclosure("Kindred", "bist du ein Mensch?") == DISCLOSURE_TEXTS["de"].format(
        name="Kindred"
    )
    assert policy.bot_disclosure("Kindred", "are you a bot?") == DISCLOSURE.format(name="Kindred")
    off = SafetyPolicy(SafetySettings(localize_safety_texts=False))
    assert off.bot_disclosure("Kindred", "bist du ein Mensch?") == DISCLOSURE.format(name="Kindred")


async def test_a_german_are_you_human_question_gets_a_german_answer(
    settings: Settings, store: ConversationStore
) -> None:
    engine = FakeEngine("Ja klar!")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push("bist du ein Mensch?")
    assert reply is not None and reply.extras.get("reason") == "honesty"
    assert reply.text.startswith("Ich bin Kindred, ein KI-Chatbot") and "kein Mensch" in reply.text
    assert engine.requests == []


SHORT_CRISIS = [
    ("es", "voy a suicidarme esta noche"),
    ("es", "quiero matarme"),
    ("fr", "je vais me tuer"),
    ("de", "ich bring mich heute um"),
    ("pt", "vou me matar hoje"),
    ("it", "stasera voglio uccidermi"),
    ("nl", "zelfmoord lijkt de enige uitweg"),
    ("pl", "zabiję się dziś"),
    ("tr", "intihar edeceğim"),
    ("id", "aku mau bunuh diri"),
    ("sv", "tänker på självmord"),
]


@pytest.mark.parametrize(("lang", "text"), SHORT_CRISIS)
def test_a_short_crisis_message_gets_the_crisis_reply_in_its_language(lang: str, text: str) -> None:
    """Found by a review: "voy a suicidarme esta noche" has none of the common Spanish words the guess
    counts, and got the English crisis reply. The ways of saying it that only one language uses count."""
    policy = SafetyPolicy()
    assert policy.check_incoming(text, count=False).crisis
    assert guess_language(text) == lang
    assert policy.crisis_reply(None, text).startswith(CRISIS_TEXTS[lang].message)


@pytest.mark.parametrize(
    "text", ["i'm going to kill myself tonight", "suicide is on my mind", "i want to die"]
)
def test_english_crisis_messages_stay_english(text: str) -> None:
    assert guess_language(text) is None


# Found by a review on 24 Nov: first-person statements with a time word were not flagged at all.
MISSED_BEFORE = [
    ("fr", "ce soir je me tue"),
    ("it", "stasera mi ammazzo"),
    ("it", "mi uccido stanotte"),
    ("nl", "ik maak er een eind aan"),
    ("nl", "vannacht maak ik er een einde aan"),
    ("pl", "dziś się zabiję"),
    ("id", "malam ini aku bunuh diri"),
    ("sv", "jag tänker ta mitt liv"),
    ("de", "ich nehme alle tabletten"),
    ("de", "ich bring mich heute um"),
    ("pt", "vou acabar com tudo hoje"),
    ("ja", "今夜死ぬ"),
    ("zh", "今晚我就去死"),
    ("hi", "आज रात मैं खुद को मार दूँगा"),
    ("es", "me quiero suicidar"),  # flagged before, but answered in Portuguese
    ("it", "mi voglio suicidare"),  # flagged before, but answered in English
    ("uk", "я вб'ю себе"),  # flagged before, but answered in Russian
]
# The everyday senses of the same words stay ordinary.
STILL_ORDINARY = [
    "je me tue au travail pour rien",
    "mi ammazzo dalle risate",
    "ik maak er een eind aan met hem",
    "on się zabije jak to zobaczy",
    "aku tidak akan bunuh diri",
    "ich nehme alle tabletten die der arzt verschrieben hat",
    "vou acabar com tudo que comecei",
    "死ぬほど疲れた",
    "你去死吧",
    "bring mich heute um 8 nach hause",
]


@pytest.mark.parametrize(("lang", "text"), MISSED_BEFORE)
def test_first_person_statements_with_a_time_word_get_the_crisis_reply_in_their_language(
    lang: str, text: str
) -> None:
    policy = SafetyPolicy()
    assert policy.check_incoming(text, count=False).crisis
    assert guess_language(text) == lang
    assert policy.crisis_reply(None, text).startswith(CRISIS_TEXTS[lang].message)


@pytest.mark.parametrize("text", STILL_ORDINARY)
def test_the_everyday_senses_of_those_words_are_not_crises(text: str) -> None:
    assert not SafetyPolicy().check_incoming(text, count=False).crisis


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        (
            "i took a whole bottle of water",
            False,
        ),  # "bottle" stands for pills only when nothing else is named
        ("took the whole box of chocolates", False),
        ("i took a whole bottle", True),
        ("i took a whole bottle of pills", True),
        ("i swallowed a whole bottle of tylenol", True),
    ],
)
def test_a_whole_bottle_of_something_harmless_is_not_an_overdose(text: str, crisis: bool) -> None:
    assert SafetyPolicy().check_incoming(text, count=False).crisis is crisis
