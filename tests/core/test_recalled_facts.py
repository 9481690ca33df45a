"""Recalled facts (bot/facts.py): what the person states about themselves is remembered past the history
window, shown to the model, answered truthfully when asked, and deleted with the rest of their data."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from bot import facts
from bot.config import Settings, load_settings
from bot.dispatcher import Dispatcher
from bot.personas import load_personas
from bot.store import FACTS_PREF, ConversationStore
from bot.types import UserKey
from tests.fakes import FakeAdapter, FakeEngine

# A Tuesday at noon (local time), so weekdays resolve predictably.
TUESDAY = dt.datetime(2026, 11, 24, 12, 0).timestamp()
KEY = UserKey("fake", "u1")


def kinds(text: str, now: float = TUESDAY) -> dict[str, str]:
    return {f.kind: f.value for f in facts.extract(text, now)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Hi, my name is Sam and I'm 16.", {"name": "Sam", "age": "16"}),
        ("my names sam lol", {"name": "Sam"}),
        ("call me Jo", {"name": "Jo"}),
        ("my name is sam sorry for the typos", {"name": "Sam"}),  # a second word only with a capital
        ("my name is Anna Maria", {"name": "Anna Maria"}),
        ("me llamo Lucía", {"name": "Lucía"}),
        ("ich heiße Jonas", {"name": "Jonas"}),
        ("im 14", {"age": "14"}),
        ("my pronouns are they/them", {"pronouns": "they/them"}),
        ("I live in London with my mom", {"home": "London"}),
        ("I'm a nurse", {"work": "nurse"}),
        ("I work at Tesco and hate it", {"work": "at Tesco"}),
        ("i'm studying computer science at uni", {"study": "computer science"}),
        ("My dog Max is sick", {"pet:dog": "Max"}),
        ("my cat, Luna, is 3", {"pet:cat": "Luna"}),
        ("my sister is called anna", {"person:sister": "Anna"}),
        ("I have an exam on Friday", {"event:exam": "exam"}),
    ],
)
def test_statements_give_facts(text: str, want: dict[str, str]) -> None:
    assert kinds(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "is my name Sam?",  # a question
        "my name is not important",  # a negation
        "if my name was Sam things would be easier",  # a hypothetical
        "he said my name is Bob",  # someone else's words
        "my dog died",  # no name without a capital and no "called"
        "my mom yelled at me",
        "i live in fear",
        "i study hard",
        "call me tomorrow",
        "I'm 5 minutes away",
        "i don't have an exam tomorrow",
        "I'm a mess",
    ],
)
def test_no_fact_from_questions_negations_hypotheticals_or_ordinary_words(text: str) -> None:
    assert kinds(text) == {}


def test_event_days_are_worked_out_when_said() -> None:
    def day(text: str) -> str | None:
        [fact] = facts.extract(text, TUESDAY)
        return fact.day

    assert day("I have an exam tomorrow") == "2026-11-25"
    assert day("my interview is on Friday") == "2026-11-27"
    assert day("I have a job interview next week") == "2026-11-30"  # the next Monday
    assert day("I have a test next tuesday") == "2026-12-01"  # "next" on the same weekday: a week on
    assert day("i've got a date tonight") == "2026-11-24"


def test_newer_statements_replace_older_ones_and_the_oldest_go_first() -> None:
    stored = facts.merge({}, facts.extract("my name is Sam", TUESDAY), TUESDAY)
    stored = facts.merge(stored, facts.extract("actually, call me Sammy", TUESDAY + 60), TUESDAY + 60)
    assert stored["name"]["value"] == "Sammy"
    for i in range(facts.MAX_FACTS + 3):
        stored = facts.merge(stored, [facts.Fact(f"person:friend{i}", f"F{i}")], TUESDAY + 100 + i)
    assert len(stored) == facts.MAX_FACTS
    assert "name" not in stored  # the oldest said
    assert f"person:friend{facts.MAX_FACTS + 2}" in stored


def test_retention_and_past_events() -> None:
    stored = facts.merge({}, facts.extract("my name is Sam. I have an exam tomorrow", TUESDAY), TUESDAY)
    day = 86400
    assert set(facts.current(stored, TUESDAY + 3 * day, retention_days=30)) == {"name", "event:exam"}
    assert facts.current(stored, TUESDAY + 31 * day, retention_days=30) == {}  # older than retention
    later = facts.current(stored, TUESDAY + (1 + facts.EVENT_KEEP_DAYS + 1) * day)
    assert set(later) == {"name"}  # an event is dropped two weeks after its day
    # two days after the exam, the prompt says it is past, so the model can ask how it went
    line = facts.render(facts.current(stored, TUESDAY + 3 * day), TUESDAY + 3 * day)
    assert "their name is Sam" in line and "they had an exam on Wednesday 25 November" in line
    assert facts.prune(stored, TUESDAY + 1) == {}


def test_recall_questions() -> None:
    assert facts.recall_question("what's my name?") == "name"
    assert facts.recall_question("Do you remember my name?") == "name"
    assert facts.recall_question("what do you remember about me?") == "all"
    assert facts.recall_question("who am i?") is None  # may be anything but a request for a name
    assert (
        facts.recall_question("my name is hard to spell and I'm tired of everyone getting it wrong") is None
    )


# ---------------------------------------------------------------------------------------------- end to end


@pytest.fixture
def small_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """History of 4 turns: the name said first is out of the model's window after two more exchanges."""
    monkeypatch.chdir(tmp_path)
    return load_settings(
        memory={"db_path": tmp_path / "kindred.db", "history_turns": 4},
        engine={"num_candidates": 1},
        chat={"rate_limit_per_minute": 0, "combine_messages": False},
    )


@pytest.fixture
async def bot(small_window: Settings):
    engine = FakeEngine("That's good to hear. How was the rest of your day?")
    async with ConversationStore(small_window.memory.db_path) as store:
        d = Dispatcher(small_window, store, engine, load_personas())
        adapter = FakeAdapter()
        await adapter.start(d.handle)
        yield engine, adapter, store


async def test_a_name_said_long_ago_is_remembered_and_answered_truthfully(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("hi! my name is Sam and I have a dog called Max")
    for text in ("work was long today", "I made pasta for dinner", "now I'm watching a film"):
        await adapter.push(text)
    prompt = engine.requests[-1].messages
    history = " ".join(t.content for t in prompt[1:])
    assert "my name is Sam" not in history  # out of the history window by now...
    system = prompt[0].content
    assert system.startswith(load_personas()["friend"].system_prompt.strip())  # shared part first
    assert "their name is Sam" in system and "they have a dog called Max" in system  # ...but remembered
    asked = len(engine.requests)
    adapter.sent.clear()
    await adapter.push("do you remember my name?")
    assert adapter.pop() == "You told me your name is Sam."
    await adapter.push("what's my dog called?")
    assert adapter.pop() == "You told me you have a dog called Max."
    await adapter.push("what do you remember about me?")
    listing = adapter.pop()
    assert "- Your name is Sam" in listing and "- You have a dog called Max" in listing
    assert "/forget" in listing
    assert len(engine.requests) == asked  # the model was not asked


async def test_without_a_stated_name_the_bot_says_so_instead_of_inventing_one(bot) -> None:
    engine, adapter, _ = bot
    await adapter.push("what's my name?")
    assert adapter.pop() == "You haven't told me your name yet. What would you like me to call you?"
    assert engine.requests == []


async def test_reset_memory_off_and_forget_delete_the_facts(bot) -> None:
    engine, adapter, store = bot
    for command in ("/reset", "/memory off", "/forget"):
        await adapter.push("/memory on")
        await adapter.push("my name is Sam")
        assert (await store.get_pref(KEY, FACTS_PREF))["name"]["value"] == "Sam"
        await adapter.push(command)
        assert await store.get_pref(KEY, FACTS_PREF) is None, command
        await adapter.push("hello")
        assert "Sam" not in engine.requests[-1].messages[0].content, command
    adapter.sent.clear()
    await adapter.push("what do you remember about me?")
    assert "nothing yet" in adapter.pop()


async def test_with_memory_off_nothing_is_noted_and_the_bot_says_so(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("/memory off")
    await adapter.push("my name is Sam")
    assert await store.get_pref(KEY, FACTS_PREF) is None
    adapter.sent.clear()
    await adapter.push("what's my name?")
    assert "not remembering" in adapter.pop()


async def test_export_shows_the_facts(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("I'm 25 and I live in Leeds")
    adapter.sent.clear()
    await adapter.push("/export")
    data = json.loads(adapter.pop())
    noted = data["chats"]["direct"]["preferences"][FACTS_PREF]
    assert {k: v["value"] for k, v in noted.items()} == {"age": "25", "home": "Leeds"}


async def test_facts_follow_retention(tmp_path: Path) -> None:
    async with ConversationStore(tmp_path / "k.db") as store:
        now = time.time()
        old = facts.merge({}, facts.extract("my name is Sam", now - 40 * 86400), now - 40 * 86400)
        both = facts.merge(old, facts.extract("I live in Leeds", now - 86400), now - 86400)
        await store.set_pref(KEY, FACTS_PREF, both)
        await store.set_pref(UserKey("fake", "u2"), FACTS_PREF, old)
        await store.purge_older_than(30, now)
        assert set(await store.get_pref(KEY, FACTS_PREF)) == {"home"}  # the old one pruned
        assert await store.get_pref(UserKey("fake", "u2"), FACTS_PREF) is None  # nothing left: row gone


def test_the_store_and_the_module_name_the_same_entry() -> None:
    assert facts.PREF == FACTS_PREF


@pytest.mark.parametrize(
    ("question", "want"),
    [
        ("what's my dog called?", "You told me you have a dog called Max."),
        ("do you remember my sister's name?", "You told me your sister is called Anna."),
        ("when is my exam?", "You told me you have an exam on Friday 27 November."),
        ("how old am i?", "You told me you are 17."),
        ("where do i live?", "You told me you live in Leeds."),
        ("what's my cat called?", "You haven't told me that yet."),
    ],
)
def test_one_fact_asked_for_is_answered_from_what_was_said(question: str, want: str) -> None:
    said = "My dog Max is lovely. My sister is called Anna. I have an exam on Friday. I'm 17. I live in Leeds"
    stored = facts.merge({}, facts.extract(said, TUESDAY), TUESDAY)
    kind = facts.recall_question(question)
    assert kind is not None
    assert facts.answer_recall(kind, stored, TUESDAY, remembering=True) == want


def test_opinions_about_people_and_long_messages_are_not_recall_questions() -> None:
    assert facts.recall_question("what is my mom like?") is None
    assert facts.recall_question("my dog is the best, what do you think?") is None


def test_few_facts_from_ordinary_and_crisis_messages_and_none_wrong_in_kind() -> None:
    """Over every message of the safety test sets (2,700 real-sounding lines), facts are rare and the
    values are the kind they claim to be: no pronoun taken for a name ("I told my therapist I'm fine")."""
    root = Path(__file__).resolve().parents[1] / "safety"
    found: list[facts.Fact] = []
    lines = 0
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines += 1
                found += facts.extract(json.loads(line).get("text") or "", TUESDAY)
    assert lines > 2000
    assert 0 < len(found) < lines * 0.02
    for fact in found:
        if fact.kind == "age":
            assert fact.value.isdigit()
        elif fact.kind.startswith(("pet:", "person:")) or fact.kind == "name":
            assert fact.value[:1].isupper() and "'" not in fact.value, fact
        elif fact.kind.startswith("event:"):
            assert fact.day is not None


@pytest.mark.parametrize(
    ("said", "asked", "want"),
    [
        ("me llamo Lucía", "¿Cómo me llamo?", "Me dijiste que te llamas Lucía."),
        ("je m'appelle Chloé", "Comment je m'appelle ?", "Tu m'as dit que tu t'appelles Chloé."),
        ("ich heiße Jonas", "Wie heiße ich?", "Du hast mir gesagt, dass du Jonas heißt."),
        ("mi chiamo Marco", "come mi chiamo?", "Mi hai detto che ti chiami Marco."),
        ("meu nome é João", "Qual é o meu nome?", "Você me disse que se chama João."),
        ("", "¿Sabes cómo me llamo?", "Todavía no me has dicho tu nombre. ¿Cómo quieres que te llame?"),
    ],
)
async def test_whats_my_name_in_the_languages_whose_name_statements_are_understood(
    bot, said: str, asked: str, want: str
) -> None:
    engine, adapter, _ = bot
    if said:
        await adapter.push(said)
    adapter.sent.clear()
    await adapter.push(asked)
    assert adapter.pop() == want


async def test_where_a_minor_lives_is_not_kept(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("I live in Leeds and my dog Max is great")
    assert "home" in await store.get_pref(KEY, FACTS_PREF)
    await adapter.push("I'm 13 and my name is Sam")  # a minor signal: strict mode from now on
    noted = await store.get_pref(KEY, FACTS_PREF)
    assert await store.get_pref(KEY, "strict") is True
    assert {k: v["value"] for k, v in noted.items()} == {"pet:dog": "Max", "age": "13", "name": "Sam"}


async def test_where_a_minor_lives_is_dropped_even_when_nothing_new_is_said(bot) -> None:
    engine, adapter, store = bot
    await adapter.push("I live in Leeds and my dog Max is great")
    await store.set_pref(KEY, "strict", True)  # a minor signal seen in a message that noted nothing
    await adapter.push("school was boring today")  # nothing to note
    assert "Leeds" not in engine.requests[-1].messages[0].content  # not shown to the model...
    assert set(await store.get_pref(KEY, FACTS_PREF)) == {"pet:dog"}  # ...and not kept
