"""The dispatcher end to end with a fake engine: push a message, check the reply and what was stored."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

import bot.dispatcher as dispatcher_mod
from bot.config import Settings, load_settings
from bot.dispatcher import BUSY_TEXT, CALLED_TEXT, ERROR_TEXT, LONG_TEXT, RATE_LIMIT_TEXT, Dispatcher
from bot.personas import PersonaError, load_personas
from bot.store import ConversationStore
from bot.types import Message, UserKey
from tests.fakes import FakeAdapter, FakeEngine


@pytest.fixture
async def setup(settings: Settings, store: ConversationStore):
    engine = FakeEngine("I'm sorry the exam went badly. What subject was it?")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    return d, engine, adapter, store


async def test_reply_comes_from_the_engine_and_memory_feeds_the_next_prompt(setup) -> None:
    d, engine, adapter, store = setup
    reply = await adapter.push("I failed my exam today and feel stupid")
    assert reply is not None and reply.kind == "model"
    assert adapter.pop() == "I'm sorry the exam went badly. What subject was it?"
    first = engine.requests[0]
    assert first.messages[0].role == "system" and "Kindred" in first.messages[0].content
    assert first.messages[-1].content == "I failed my exam today and feel stupid"
    await adapter.push("It was maths")
    contents = [t.content for t in engine.requests[1].messages]
    assert "I failed my exam today and feel stupid" in contents
    assert "I'm sorry the exam went badly. What subject was it?" in contents
    assert contents[-1] == "It was maths"
    hist = await store.history(UserKey("fake", "u1"), 10)
    assert [t.content for t in hist][-2:] == [
        "It was maths",
        "I'm sorry the exam went badly. What subject was it?",
    ]


async def test_users_do_not_share_memory(setup) -> None:
    d, engine, adapter, store = setup
    await adapter.push("my secret is pineapples", user_id="alice")
    await adapter.push("hello", user_id="bob")
    bob_prompt = " ".join(t.content for t in engine.requests[-1].messages)
    assert "pineapples" not in bob_prompt


async def test_help_and_unknown_command(setup) -> None:
    d, engine, adapter, _ = setup
    await adapter.push("/help")
    text = adapter.pop()
    for cmd in ("/reset", "/forget", "/export", "/persona", "/about", "/memory"):
        assert cmd in text
    await adapter.push("/frobnicate")
    assert "don't know the command /frobnicate" in adapter.pop()
    assert engine.requests == []  # commands never reach the model


async def test_reset_forgets_the_conversation(setup) -> None:
    d, engine, adapter, store = setup
    await adapter.push("remember the cat")
    await adapter.push("/persona journal")
    await adapter.push("/reset")
    assert "forgotten our conversation" in adapter.sent[-1].text
    await adapter.push("hi again")
    prompt = " ".join(t.content for t in engine.requests[-1].messages)
    assert "remember the cat" not in prompt
    assert await store.get_pref(UserKey("fake", "u1"), "persona") == "journal"  # settings kept


async def test_export_and_forget(setup) -> None:
    d, engine, adapter, store = setup
    await adapter.push("I like painting")
    await adapter.push("/export")
    data = json.loads(adapter.sent[-1].text)
    contents = [t["content"] for t in data["chats"]["direct"]["history"]]
    assert "I like painting" in contents
    await adapter.push("/forget")
    assert "deleted everything" in adapter.sent[-1].text
    exported = await store.export(UserKey("fake", "u1"))
    assert exported["chats"] == {}


async def test_persona_list_switch_and_unknown(setup) -> None:
    d, engine, adapter, store = setup
    await adapter.push("/persona")
    listing = adapter.pop()
    assert "friend" in listing and "journal" in listing and "current: friend" in listing
    await adapter.push("/persona nope")
    assert "no persona called 'nope'" in adapter.pop()
    await adapter.push("/persona journal")
    assert "Switched to the 'journal' persona" in adapter.pop()
    await adapter.push("work is a lot")
    assert "journal mode" in engine.requests[-1].messages[0].content
    assert engine.requests[-1].sampling.temperature == 0.6  # the persona's sampling override


def _write_clone(folder: Path, consent: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "sam.toml").write_text(
        'name = "sam"\ndescription = "Sam\'s voice"\nsystem_prompt = "You write like Sam."\n'
        f"clone = true\nconsent = {json.dumps(consent)}\n",
        encoding="utf-8",
    )


async def test_cloned_voice_needs_consent(setup, tmp_path: Path, settings: Settings) -> None:
    d, engine, adapter, store = setup
    _write_clone(tmp_path / "p", "")
    d.personas = load_personas(tmp_path / "p")
    await adapter.push("/persona sam")
    assert "won't use it" in adapter.pop()
    assert await store.get_pref(UserKey("fake", "u1"), "persona") is None
    # A default persona without consent stops start-up.
    s2 = load_settings(
        memory={"db_path": tmp_path / "x.db"}, chat={"default_persona": "sam", "personas_dir": tmp_path / "p"}
    )
    with pytest.raises(PersonaError, match="consent"):
        Dispatcher(s2, store, engine, load_personas(tmp_path / "p"))
    _write_clone(tmp_path / "q", "Sam agreed in writing on 2026-05-01")
    d.personas = load_personas(tmp_path / "q")
    await adapter.push("/persona sam")
    assert "Switched" in adapter.pop()


async def test_about_is_honest(setup) -> None:
    d, engine, adapter, _ = setup
    await adapter.push("/about")
    text = adapter.pop()
    assert "AI chat bot, not a human" in text and "FakeModel (test)" in text and "/forget" in text


async def test_busy_and_engine_error_become_friendly_replies(setup) -> None:
    d, engine, adapter, store = setup
    engine.status = "busy"
    reply = await adapter.push("hello?")
    assert reply is not None and reply.kind == "busy" and reply.text == BUSY_TEXT
    engine.status = "error"
    reply = await adapter.push("hello??")
    assert reply is not None and reply.kind == "error" and reply.text == ERROR_TEXT
    assert await store.history(UserKey("fake", "u1"), 10) == []  # failed exchanges are not remembered


async def test_a_crash_in_a_step_is_logged_without_text(setup, caplog: pytest.LogCaptureFixture) -> None:
    d, engine, adapter, _ = setup

    def boom(_req):
        raise RuntimeError("engine exploded")

    engine.reply = boom
    with caplog.at_level(logging.INFO):
        reply = await adapter.push("my private words")
    assert reply is not None and reply.kind == "error"
    assert "engine exploded" in caplog.text  # the traceback is there
    assert "my private words" not in caplog.text  # the message text is not


async def test_rate_limit_gives_one_notice_then_silence(settings: Settings, store: ConversationStore) -> None:
    s = settings.model_copy(update={"chat": settings.chat.model_copy(update={"rate_limit_per_minute": 3})})
    engine = FakeEngine("ok then, tell me more?")
    d = Dispatcher(s, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    replies = [await adapter.push(f"msg {i}") for i in range(6)]
    kinds = [r.kind if r else None for r in replies]
    assert kinds == ["model", "model", "model", "rate_limited", None, None]
    assert replies[3].text == RATE_LIMIT_TEXT
    assert len(engine.requests) == 3
    other = await adapter.push("hi", user_id="someone-else")  # limits are per user
    assert other is not None and other.kind == "model"


async def test_a_crisis_message_over_the_rate_limit_still_gets_the_crisis_reply(
    settings: Settings, store: ConversationStore
) -> None:
    s = settings.model_copy(update={"chat": settings.chat.model_copy(update={"rate_limit_per_minute": 2})})
    engine = FakeEngine("ok then, tell me more?")
    d = Dispatcher(s, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    replies = [await adapter.push(text) for text in ("ugh", "everything is bad", "so bad", "honestly")]
    assert [r.kind if r else None for r in replies] == ["model", "model", "rate_limited", None]
    reply = await adapter.push("i took all my pills")
    assert reply is not None and reply.kind == "crisis"
    assert (await adapter.push("i want to")) is None  # over the limit, and nothing alarming alone ...
    reply = await adapter.push("die")  # ... but joined to the message before it, it is
    assert reply is not None and reply.kind == "crisis"
    assert len(engine.requests) == 2  # nothing over the limit reached the model


async def test_group_messages_need_to_address_the_bot(setup) -> None:
    d, engine, adapter, _ = setup
    assert await adapter.push("just chatting", addressed=False, is_group=True) is None
    assert engine.requests == []
    assert (await adapter.push("@kindred hi", addressed=True, is_group=True)) is not None


async def test_empty_and_huge_messages(setup, settings: Settings) -> None:
    d, engine, adapter, store = setup
    reply = await adapter.push("   ")
    assert reply is not None and reply.kind == "notice"
    huge = "My exam week, long story.\n\n" + "blah " * 10_000 + "what should I do?"
    reply = await adapter.push(huge)
    assert reply is not None and reply.kind == "model"
    sent = engine.last_user_text
    assert len(sent) <= settings.chat.max_message_chars + 3  # with " … " between the start and the end
    assert sent.startswith("My exam week, long story.") and sent.endswith("what should I do?")
    # the person is told only the end was read; the line is not part of what is remembered
    assert reply.text == f"{LONG_TEXT}\n\nI'm sorry the exam went badly. What subject was it?"
    stored = await store.history(UserKey("fake", "u1"), 2)
    assert stored[-1].content == "I'm sorry the exam went badly. What subject was it?"
    short = await adapter.push("thanks")
    assert short is not None and not short.text.startswith(LONG_TEXT)


async def test_memory_off_stores_nothing(setup) -> None:
    d, engine, adapter, store = setup
    await adapter.push("/memory off")
    await adapter.push("a private thought")
    await adapter.push("another one")
    assert await store.history(UserKey("fake", "u1"), 10) == []
    assert "a private thought" not in " ".join(t.content for t in engine.requests[-1].messages)
    await adapter.push("/memory on")
    await adapter.push("now remember this")
    assert len(await store.history(UserKey("fake", "u1"), 10)) == 2


async def test_typing_is_shown_while_the_engine_works(settings, store, monkeypatch) -> None:
    monkeypatch.setattr(dispatcher_mod, "TYPING_INTERVAL_S", 0.02)
    engine = FakeEngine("done?", delay=0.15)
    d = Dispatcher(settings, store, engine, load_personas())
    calls = 0

    async def typing() -> None:
        nonlocal calls
        calls += 1

    msg = Message(UserKey("fake", "t"), "hello", message_id="1")
    reply = await d.handle(msg, typing)
    assert reply is not None and reply.text == "done?"
    assert calls >= 3  # shown at once and refreshed while waiting


async def test_crisis_message_never_reaches_the_model(setup) -> None:
    d, engine, adapter, store = setup
    reply = await adapter.push("I want to kill myself tonight")
    assert reply is not None and reply.kind == "crisis"
    assert engine.requests == []
    assert await store.get_pref(UserKey("fake", "u1"), "careful")


async def test_unsafe_candidate_is_replaced_then_fallback(setup) -> None:
    d, engine, adapter, _ = setup
    engine.reply = lambda req: "Call me at 555-123-4567 or mail me at someone@example.com"
    reply = await adapter.push("I feel lonely")
    assert reply is not None and reply.kind == "fallback"
    assert "555" not in reply.text and "@" not in reply.text
    assert len(engine.requests) == 2  # the candidates, then one regeneration


async def test_a_reply_cut_by_the_token_limit_ends_at_its_last_sentence(setup) -> None:
    from bot.types import Generation

    d, engine, adapter, _ = setup

    async def cut(request):
        return Generation(
            texts=("That sounds really hard. You did your best today! And remember: no-",),
            finish_reasons=("length",),
        )

    engine.generate = cut
    reply = await adapter.push("rough day")
    assert reply is not None and reply.text == "That sounds really hard. You did your best today!"


async def test_a_long_conversation_keeps_the_same_history_start_for_several_turns(
    settings: Settings, store: ConversationStore
) -> None:
    """Past memory.history_turns the history starts at an anchor, not at the window's edge, so the
    engine can reuse the previous turn's keys/values (see bot.types.is_anchor)."""
    from bot.types import is_anchor

    settings.memory.history_turns = 8
    engine = FakeEngine("I hear you.")
    d = Dispatcher(settings, store, engine, load_personas())
    adapter = FakeAdapter()
    await adapter.start(d.handle)
    for i in range(30):
        await adapter.push(f"something that happened to me, number {i}")
    persona_turns = len(d.default_persona.prompt_turns())  # system prompt and the persona's examples
    starts = []
    for req in engine.requests[5:]:
        history = list(req.messages[persona_turns:-1])  # between the persona and the new message
        assert 0 < len(history) <= 8
        assert history[0].role == "user"
        starts.append(history[0].content)
    changes = sum(1 for a, b in zip(starts, starts[1:], strict=False) if a != b)
    assert changes <= len(starts) * 0.6, starts  # the window's edge moves on every turn
    assert any(is_anchor("user", s) for s in starts)


async def test_a_huge_message_from_an_adapter_that_asks_for_quiet_truncation_gets_no_line(setup) -> None:
    d, engine, adapter, _ = setup
    reply = await adapter.push("blah " * 10_000 + "what should I do?", extras={"quiet_truncation": True})
    assert reply is not None and reply.text == "I'm sorry the exam went badly. What subject was it?"


async def test_a_bare_mention_in_a_group_is_greeted_and_an_empty_private_message_explained(setup) -> None:
    d, engine, adapter, _ = setup
    reply = await adapter.push("", is_group=True)
    assert reply is not None and reply.text == CALLED_TEXT
    reply = await adapter.push("")
    assert reply is not None and reply.text.startswith("I only understand text messages")
    assert engine.requests == []
