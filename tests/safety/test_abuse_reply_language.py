"""A disclosure of abuse written in Spanish, French, German, Portuguese or Italian is recognised
(bot/safety/abuse_languages.py) and answered in that language (languages.ABUSE_TEXTS), with the
region's helpline line as the table has it. Before, "mi padrastro me pega cuando bebe" went to the
model, and any reply to a disclosure was in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SafetySettings, Settings, load_settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.safety import SafetyPolicy, languages
from bot.safety.abuse import ABUSE_MESSAGE, ABUSE_RESOURCES, GROOMING_MINOR_LINE, PICTURES_LINE, assess_abuse
from bot.store import ConversationStore
from bot.types import UserKey
from tests.fakes import ChosenScores, FakeAdapter, FakeEngine

DISCLOSURES = [
    ("es", "mi padrastro me pega cuando bebe", "abuse.physical"),
    ("fr", "mon beau-père me frappe quand il boit", "abuse.physical"),
    ("de", "mein stiefvater schlägt mich wenn er getrunken hat", "abuse.physical"),
    ("pt", "meu padrasto me bate quando bebe", "abuse.physical"),
    ("it", "il mio patrigno mi picchia quando beve", "abuse.physical"),
]


@pytest.mark.parametrize(("lang", "text", "reason"), DISCLOSURES)
def test_a_disclosure_in_another_language_is_recognised_and_answered_in_it(
    lang: str, text: str, reason: str
) -> None:
    assert assess_abuse(text) == reason
    policy = SafetyPolicy()
    reply = policy.abuse_reply(reason, "INTL", text)
    local = languages.ABUSE_TEXTS[lang]
    assert reply.startswith(local.message) and reply.endswith(local.closing)
    assert local.international in reply and ABUSE_MESSAGE not in reply
    # The operator who wants every fixed safety text in English gets it.
    english = SafetyPolicy(SafetySettings(localize_safety_texts=False)).abuse_reply(reason, "INTL", text)
    assert english.startswith(ABUSE_MESSAGE)


def test_every_language_has_every_line_of_the_reply_and_the_same_links() -> None:
    english = (ABUSE_MESSAGE, PICTURES_LINE, GROOMING_MINOR_LINE)
    for lang, local in languages.ABUSE_TEXTS.items():
        assert all(part.strip() for part in local), lang
        assert not set(local).intersection(english), lang
        assert "childhelplineinternational.org" in local.international, lang
        assert "findahelpline.com" in local.international, lang
        assert languages.guess_language(local.message) == lang  # a test of the text, and of the guess


def test_the_lines_for_pictures_and_grooming_come_in_the_language_too() -> None:
    policy = SafetyPolicy()
    es = languages.ABUSE_TEXTS["es"]
    text = "un hombre que conocí en internet me pide fotos"
    assert es.pictures in policy.abuse_reply("abuse.grooming", "ES", text)
    assert es.grooming_minor in policy.abuse_reply("abuse.grooming_minor", "ES", text)
    reply = policy.abuse_reply("abuse.physical", "ES", text)
    assert ABUSE_RESOURCES["ES"] in reply and "ANAR" in reply
    assert es.pictures not in reply and es.grooming_minor not in reply


async def test_a_spanish_disclosure_in_the_dispatcher_gets_the_spanish_reply_not_the_model(
    tmp_path: Path, store: ConversationStore
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[safety]\nregion = "ES"\n', encoding="utf-8")
    settings: Settings = load_settings(
        config, memory={"db_path": tmp_path / "k.db"}, chat={"rate_limit_per_minute": 0}
    )
    engine = FakeEngine("Seguro que tu padrastro te quiere mucho.")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    text = "mi padrastro me pega cuando bebe"
    reply = await adapter.push(text)
    assert reply is not None and reply.kind == "crisis" and reply.extras["reason"] == "abuse.physical"
    assert reply.text.startswith(languages.ABUSE_TEXTS["es"].message)
    assert ABUSE_RESOURCES["ES"] in reply.text
    assert engine.requests == []
    assert await store.get_pref(UserKey("fake", "u1"), "careful") == settings.safety.careful_turns


async def test_a_disclosure_the_classifier_alone_scores_as_a_crisis_gets_the_reply_to_abuse(
    settings: Settings, store: ConversationStore
) -> None:
    """Seen in the terminal: the classifier scored "meu padrasto me bate quando bebe" over its crisis
    threshold, and the person got the suicide crisis reply, in English. The rules recognise the abuse:
    its reply (child helplines, telling an adult, the emergency number) comes in Portuguese. A crisis the
    rules see still gets the crisis reply."""
    text = "meu padrasto me bate quando bebe"
    crisis_too = "meu padrasto me bate e eu quero morrer"
    scorer = ChosenScores({text: 0.8, crisis_too: 0.9}, threshold=0.74)
    engine = FakeEngine("ok")
    d = Dispatcher(settings, store, engine, load_personas(), crisis_classifier=scorer)
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push(text)
    assert text in scorer.asked  # the classifier did flag it
    assert reply is not None and reply.kind == "crisis" and reply.extras["reason"] == "abuse.physical"
    assert reply.text.startswith(languages.ABUSE_TEXTS["pt"].message)
    reply = await adapter.push(crisis_too)
    assert reply is not None and reply.extras["reason"].startswith("crisis.")
    assert reply.extras["reason"] != "crisis.classifier"
    assert engine.requests == []
