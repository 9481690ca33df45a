"""A message too short to tell its language ("eres un robot?", "me siento solo") gets the fixed texts in
the language of the person's last messages (``Dispatcher.language_text``), not in English; a short
message that reads as English ("are you a bot?") stays English. Seen in the terminal: after three
messages in Spanish from a 14-year-old, "eres un robot?" got the English answer."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatcher import Context, Dispatcher
from bot.personas import load_personas
from bot.safety import languages
from bot.safety.resources import DISCLOSURE
from bot.store import ConversationStore
from bot.types import Message, UserKey
from tests.fakes import FakeAdapter, FakeEngine


async def test_a_short_question_after_messages_in_spanish_is_answered_in_spanish(
    settings: Settings, store: ConversationStore
) -> None:
    d = Dispatcher(settings, store, FakeEngine("Vale."), load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    assert languages.guess_language("eres un robot?") is None  # too short on its own
    await adapter.push("hola, tengo 14 años")
    reply = await adapter.push("mi padrastro me pega cuando bebe")
    assert reply is not None and reply.text.startswith(languages.ABUSE_TEXTS["es"].message)
    reply = await adapter.push("eres un robot?")
    assert reply is not None and reply.extras["reason"] == "honesty"
    assert reply.text == languages.DISCLOSURE_TEXTS["es"].format(name="Kindred")
    # English after all: a short message with English words is answered in English.
    reply = await adapter.push("are you a bot?")
    assert reply is not None and reply.text == DISCLOSURE.format(name="Kindred")


async def test_the_language_is_the_messages_own_when_it_can_be_told_and_the_store_is_not_needed(
    settings: Settings, store: ConversationStore
) -> None:
    d = Dispatcher(settings, store, FakeEngine("ok"), load_personas())
    key = UserKey("fake", "u9")
    await store.add_turns(
        key, [("user", "hola, ¿qué tal estás hoy? yo estoy muy cansada"), ("assistant", "...")]
    )

    def ctx(text: str) -> Context:
        c = Context(message=Message(key, text, message_id="1"))
        c.text = text
        return c

    assert (
        await d.language_text(ctx("me siento solo"))
        == "hola, ¿qué tal estás hoy? yo estoy muy cansada\nme siento solo"
    )
    assert d.safety.language_of(await d.language_text(ctx("me siento solo"))) == "es"
    assert await d.language_text(ctx("are you a bot?")) == "are you a bot?"
    assert await d.language_text(ctx("je suis très fatigué ce soir")) == "je suis très fatigué ce soir"
    await store.close()  # a store that fails: the message alone, no error
    assert await d.language_text(ctx("me siento solo")) == "me siento solo"


async def _careful_spanish_conversation(
    settings: Settings, store: ConversationStore
) -> tuple[FakeAdapter, FakeEngine]:
    engine = FakeEngine("I hear you. That sounds really hard.")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    reply = await adapter.push("mi padrastro me pega cuando bebe")  # the reply to abuse: careful from here
    assert reply is not None and reply.extras["reason"] == "abuse.physical"
    return adapter, engine


async def test_in_a_careful_conversation_a_message_in_a_language_the_model_does_not_write_gets_the_careful_line(
    settings: Settings, store: ConversationStore
) -> None:
    """Seen in the terminal after a disclosure in Spanish: "me siento solo" got "Yo siento solo. Yo no sé
    solo. ... Yo sé solo mesa de vida." and "gracias" got "Gracias. Me daño." (I hurt myself)."""
    assert settings.safety.careful_model_languages == ["en"]
    adapter, engine = await _careful_spanish_conversation(settings, store)
    for text in ("me siento solo", "gracias"):
        reply = await adapter.push(text)
        assert reply is not None and reply.kind == "fallback"
        assert reply.text == languages.FALLBACK_CAREFUL_TEXTS["es"]
    assert engine.requests == []
    # English (or not sure) is the model's: it answers.
    reply = await adapter.push("i just feel so tired of everything at home")
    assert reply is not None and reply.kind == "model" and len(engine.requests) == 1


async def test_an_operator_whose_model_writes_spanish_lets_it_answer(
    settings: Settings, store: ConversationStore
) -> None:
    settings.safety.careful_model_languages = ["en", "es"]
    adapter, engine = await _careful_spanish_conversation(settings, store)
    reply = await adapter.push("me siento solo")
    assert reply is not None and reply.kind == "model" and len(engine.requests) == 1


def test_careful_model_languages_are_checked_when_the_config_is_read(tmp_path) -> None:
    from bot.config import ConfigError, load_settings

    config = tmp_path / "config.toml"
    config.write_text('[safety]\ncareful_model_languages = ["EN", " es "]\n', encoding="utf-8")
    assert load_settings(config).safety.careful_model_languages == ["en", "es"]
    for value, needle in (
        ('["en", "xx"]', "unknown language 'xx'"),
        ('"en"', "must be a list of language codes"),
    ):
        config.write_text(f"[safety]\ncareful_model_languages = {value}\n", encoding="utf-8")
        try:
            load_settings(config)
        except ConfigError as exc:
            assert needle in str(exc) and "careful_model_languages" in str(exc)
        else:
            raise AssertionError(f"{value} was accepted")


def test_the_config_knows_the_same_languages_as_the_safety_texts() -> None:
    """bot/config.py cannot import bot/safety (it is imported by it), so it keeps its own list."""
    from bot.config import SAFETY_LANGUAGES

    assert sorted(SAFETY_LANGUAGES) == sorted(languages.CRISIS_TEXTS)


async def test_the_language_is_worked_out_once_per_answer(
    settings: Settings, store: ConversationStore, monkeypatch
) -> None:
    d = Dispatcher(settings, store, FakeEngine("ok"), load_personas())
    key = UserKey("fake", "u8")
    await store.add_turns(key, [("user", "hola, ¿qué tal estás hoy? yo estoy muy cansada")])
    ctx = Context(message=Message(key, "me siento solo", message_id="1"))
    ctx.text = "me siento solo"
    reads = []
    history = store.history

    async def counted(*a, **kw):  # type: ignore[no-untyped-def]
        reads.append(a)
        return await history(*a, **kw)

    monkeypatch.setattr(store, "history", counted)
    first = await d.language_text(ctx)
    assert await d.language_text(ctx) == first and len(reads) == 1
    ctx.earlier_pieces = ["ok"]  # what the reply answers changed: worked out again
    assert (await d.language_text(ctx)).endswith("ok\nme siento solo") and len(reads) == 2
