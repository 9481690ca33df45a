"""With the store down, a crisis on Reddit still gets the resources at once (adapters/reddit.py,
``RedditAdapter._store_down``), and nothing is lost or posted twice when the store is back.

The database can go away (the disk full, the server gone). Nothing can be recorded then, so nothing is
answered; Reddit keeps the posts and the unread inbox. But a person posting "I'm going to kill myself
tonight" in a support subreddit cannot wait for the database. Real asyncpraw against the fake Reddit on
127.0.0.1, the real dispatcher and safety step, a scripted engine."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from adapters.reddit import CRISIS_SUBJECT, FOOTER
from bot.safety import SafetyPolicy
from tests.adapters_reddit.fake_reddit import DROP, FakeReddit
from tests.adapters_reddit.harness import SUB, BotProcess, make_settings, wait_until
from tests.fakes import FakeEngine

REPLY = "That sounds really hard. What has helped you before?"
CRISIS_TITLE = "I'm going to kill myself tonight"
CRISIS_TEXT = "I have a plan and I'm done."


async def test_a_crisis_post_and_dm_get_the_resources_while_the_store_is_down_and_only_once(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, fake)
    crisis = SafetyPolicy(settings.safety).crisis_reply(None, f"{CRISIS_TITLE}\n\n{CRISIS_TEXT}")
    engine = FakeEngine(REPLY)
    async with BotProcess(settings, fake, engine) as bot:
        await bot.rounds(2)
        await bot.store.close()  # every store call now raises, like a database that went away
        await bot.rounds(2)
        with caplog.at_level(logging.INFO):
            ordinary = fake.add_post(SUB, "bob", "Can't sleep", "Everything feels heavy lately.")
            post = fake.add_post(SUB, "rae", CRISIS_TITLE, CRISIS_TEXT)
            dm = fake.send_dm("sam", "i want to die, i took all my pills")
            await wait_until(lambda: fake.replies_to(post) and fake.replies_to(dm), what="the crisis replies")
            await bot.rounds(3)  # more rounds with the store down: nothing more is posted
        assert [c["body"] for c in fake.replies_to(post)] == [crisis + FOOTER]
        assert len(fake.replies_to(dm)) == 1 and FOOTER in fake.replies_to(dm)[0]["body"]
        assert fake.replies_to(ordinary) == []  # an ordinary post waits for the store
        assert dm in fake.unread()  # read again once the store can record it
        assert engine.requests == []
        assert "without recording it" in caplog.text
        assert "kill myself" not in caplog.text and "want to die" not in caplog.text

        await bot.store.open()  # the database is back
        await wait_until(lambda: fake.replies_to(ordinary), what="the ordinary post answered")
        await wait_until(lambda: dm not in fake.unread(), what="the DM read")
        await bot.rounds(3)
        assert await bot.store.pending_incoming("reddit") == []
        for fullname in (post, dm, ordinary):
            assert await bot.store.is_handled("reddit", fullname), fullname
        assert await bot.store.is_handled("reddit", f"thread:{post}")  # counts as the bot's reply there
    assert [c["body"] for c in fake.replies_to(ordinary)] == [REPLY + FOOTER]
    assert len(fake.replies_to(post)) == 1 and len(fake.replies_to(dm)) == 1  # not replied to twice
    assert len(fake.comments) == 3 and fake.sent_messages == []


@pytest.mark.parametrize("config", [{"crisis_reply": "message"}, {"replies_per_hour": 0}])
async def test_while_the_store_is_down_a_crisis_reply_goes_privately_when_configured(
    tmp_path: Path, fake: FakeReddit, config: dict[str, object]
) -> None:
    """crisis_reply = "message", or no public comments at all (replies_per_hour = 0)."""
    settings = make_settings(tmp_path, fake, **config)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await bot.rounds(2)
        await bot.store.close()
        post = fake.add_post(SUB, "rae", CRISIS_TITLE, CRISIS_TEXT)
        await wait_until(lambda: fake.sent_messages, what="the private crisis message")
        await bot.rounds(2)
        await bot.store.open()
        await bot.rounds(4)
        assert await bot.store.is_handled("reddit", post)
    assert fake.replies_to(post) == []
    assert len(fake.sent_messages) == 1
    assert fake.sent_messages[0]["to"] == "rae" and fake.sent_messages[0]["subject"] == CRISIS_SUBJECT


async def test_an_author_seen_opted_out_gets_nothing_while_the_store_is_down(
    tmp_path: Path, fake: FakeReddit
) -> None:
    settings = make_settings(tmp_path, fake)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        dm = fake.send_dm("carol", "!optout")
        await wait_until(lambda: fake.replies_to(dm), what="the opt-out confirmed")
        await bot.store.close()
        opted = fake.add_post(SUB, "carol", CRISIS_TITLE, CRISIS_TEXT)
        other = fake.add_post(SUB, "rae", CRISIS_TITLE, CRISIS_TEXT)
        await wait_until(lambda: fake.replies_to(other), what="the crisis reply to the other author")
        await bot.rounds(2)
        assert fake.replies_to(opted) == []
        await bot.store.open()
        await bot.rounds(3)
    assert fake.replies_to(opted) == []


async def test_a_crisis_post_whose_answer_was_lost_is_looked_for_not_posted_again(
    tmp_path: Path, fake: FakeReddit
) -> None:
    """The comment was created but the connection dropped before the answer: the next round looks among
    the bot's own comments before posting, and finds it."""
    settings = make_settings(tmp_path, fake, send_attempts=1)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await bot.rounds(2)
        await bot.store.close()
        fake.fail("POST", "/api/comment", DROP, takes_effect=True)
        post = fake.add_post(SUB, "rae", CRISIS_TITLE, CRISIS_TEXT)
        await wait_until(lambda: fake.replies_to(post), what="the crisis comment created")
        await bot.rounds(4)
        await bot.store.open()
        await bot.rounds(3)
    assert len(fake.replies_to(post)) == 1


async def test_a_crisis_reply_refused_both_ways_is_tried_once_not_every_round(
    tmp_path: Path, fake: FakeReddit
) -> None:
    """The thread is locked and the author takes no messages: with the store down the bot tries the
    comment, then the private message, once each, and does not try again every round."""
    settings = make_settings(tmp_path, fake)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await bot.rounds(2)
        await bot.store.close()
        fake.fail("POST", "/api/comment", 403, times=5, body={"message": "Forbidden", "error": 403})
        fake.fail("POST", "/api/compose", 403, times=5, body={"message": "Forbidden", "error": 403})
        fake.add_post(SUB, "rae", CRISIS_TITLE, CRISIS_TEXT)
        await wait_until(lambda: fake.count("POST", "/api/compose") == 1, what="the private message tried")
        await bot.rounds(4)
        assert fake.count("POST", "/api/comment") == 1 and fake.count("POST", "/api/compose") == 1
        await bot.store.open()
        await bot.rounds(2)
