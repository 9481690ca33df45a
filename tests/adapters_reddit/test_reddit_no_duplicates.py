"""A Reddit reply is never posted twice, even when Reddit created it and the answer was lost (the
connection dropped, a 5xx came back): before posting again the bot looks among its own comments or sent
messages. Real asyncpraw against the fake Reddit on 127.0.0.1, the real dispatcher, a scripted engine."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from adapters.reddit import CRISIS_SUBJECT, FOOTER
from tests.adapters_reddit.fake_reddit import DROP, FakeReddit
from tests.adapters_reddit.harness import SUB, BotProcess, make_settings, wait_until
from tests.fakes import FakeEngine

REPLY = "That sounds really hard. What has helped you before?"
MY_COMMENTS = "/user/KindBot/comments"  # redditor.comments.new()
SENT = "/message/sent"  # inbox.sent()
CRISIS_POST = "I have a plan for tonight and I'm done."


async def wait_for(
    cond: Callable[[], Awaitable[bool]], within: float = 15.0, what: str = "condition"
) -> None:
    deadline = time.monotonic() + within
    while not await cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.02)


def _logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "adapters.reddit"]


async def _nothing_left(bot: BotProcess) -> None:
    assert await bot.store.pending_incoming("reddit") == []
    assert await bot.store.cursors("reddit:unsure:") == []


@pytest.mark.parametrize(
    ("status", "attempts"),
    [(DROP, 1), (500, 1), (504, 1), (DROP, 4), (500, 4)],
    ids=["drop-next-sweep", "500-next-sweep", "504-next-sweep", "drop-same-send", "500-same-send"],
)
async def test_a_comment_reddit_created_before_the_answer_was_lost_is_not_posted_again(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture, status: int, attempts: int
) -> None:
    """Reddit creates the comment, then the connection drops (or a 5xx comes back). The retry (at the
    next sweep with send_attempts=1, within the same send otherwise) finds the comment among the bot's
    own and marks the reply sent: exactly one comment under the post, one POST."""
    caplog.set_level(logging.INFO)
    eng = FakeEngine(REPLY)
    settings = make_settings(tmp_path, fake, send_attempts=attempts, retry_pending_s=0.1)
    fake.fail("POST", "/api/comment", status, takes_effect=True)
    post = fake.add_post(SUB, "dana", "Rough week", "Work has been a lot and I feel so alone.")
    async with BotProcess(settings, fake, eng) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post marked answered")
        await bot.rounds(3)
        await _nothing_left(bot)
        assert await bot.store.is_handled("reddit", f"thread:{post}")  # one reply per thread holds
    [comment] = fake.replies_to(post)
    assert comment["body"] == REPLY + FOOTER and comment["author"] == "KindBot"
    assert fake.count("POST", "/api/comment") == 1
    assert fake.count("GET", MY_COMMENTS) == 1  # one look, one request
    # written once: the next sweep resends the reply stored for the post (Dispatcher.answered_before)
    assert len(eng.requests) == 1
    logged = _logged(caplog)
    assert any(f"posted after all ({comment['name']})" in line for line in logged), logged


async def test_a_comment_that_got_through_before_a_crash_is_not_posted_after_the_restart(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture
) -> None:
    """The mark that a post's outcome is unknown is in the database: the next start looks first."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, fake, send_attempts=1, retry_pending_s=3600)
    fake.fail("POST", "/api/comment", DROP, takes_effect=True)
    post = fake.add_post(SUB, "erin", "Long night", "I can't sleep and my head is loud tonight.")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.count("POST", "/api/comment") == 1, what="the first try")
        await bot.rounds(2)
        assert [m.message_id for m in await bot.store.pending_incoming("reddit")] == [post]
        assert len(await bot.store.cursors("reddit:unsure:")) == 1
    assert fake.count("GET", MY_COMMENTS) == 0  # not looked yet: retry_pending_s is an hour
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:  # after the restart
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post marked answered")
        await bot.rounds(2)
        await _nothing_left(bot)
    assert len(fake.replies_to(post)) == 1
    assert fake.count("POST", "/api/comment") == 1 and fake.count("GET", MY_COMMENTS) == 1


@pytest.mark.parametrize("attempts", [1, 4], ids=["next-sweep", "same-send"])
async def test_a_500_that_created_nothing_is_posted_once_after_the_look(
    tmp_path: Path, fake: FakeReddit, attempts: int
) -> None:
    settings = make_settings(tmp_path, fake, send_attempts=attempts, retry_pending_s=0.1)
    fake.fail("POST", "/api/comment", 500)
    post = fake.add_post(SUB, "gus", "Small win", "I finally called my sister after a year.")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post marked answered")
        await bot.rounds(3)
        await _nothing_left(bot)
    assert [c["body"] for c in fake.replies_to(post)] == [REPLY + FOOTER]
    assert fake.count("POST", "/api/comment") == 2  # asyncprawcore does not resend it on its own
    assert fake.count("GET", MY_COMMENTS) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [(403, {"message": "Forbidden", "error": 403}), (400, {"message": "Bad Request", "error": 400})],
    ids=["403", "400"],
)
async def test_a_refused_reply_is_not_looked_for_nor_retried(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture, status: int, body: dict[str, object]
) -> None:
    """A refusal means nothing was posted: no look on Reddit, no second try, nothing left pending."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, fake, retry_pending_s=0.1)
    fake.fail("POST", "/api/comment", status, body=body)
    post = fake.add_post(SUB, "hana", "Long day", "My shift ran late and I missed dinner again.")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post done with")
        await bot.rounds(4)
        await _nothing_left(bot)
    assert fake.replies_to(post) == []
    assert fake.count("POST", "/api/comment") == 1
    assert fake.count("GET", MY_COMMENTS) == 0 and fake.count("GET", SENT) == 0
    assert any(f"nothing posted to {post}" in line for line in _logged(caplog))


@pytest.mark.parametrize("failure", [DROP, 403], ids=["drop", "403"])
async def test_when_the_look_fails_the_reply_stays_pending_and_nothing_is_posted_blindly(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture, failure: int
) -> None:
    """The post got through unseen, and the look for it fails (the connection drops, or a 403): the
    item stays pending, nothing is posted meanwhile, and a later look finds the comment."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, fake, send_attempts=1, retry_pending_s=0.2)
    fake.fail("POST", "/api/comment", 500, takes_effect=True)
    fake.fail("GET", MY_COMMENTS, failure, times=2)
    post = fake.add_post(SUB, "ivo", "Tired", "Everything feels heavy this week and I don't know why.")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.count("GET", MY_COMMENTS) >= 1, what="the first look")
        await bot.rounds(2)
        assert [m.message_id for m in await bot.store.pending_incoming("reddit")] == [post]
        assert not await bot.store.is_handled("reddit", post)
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post marked answered")
        await bot.rounds(2)
        await _nothing_left(bot)
    assert len(fake.replies_to(post)) == 1
    assert fake.count("POST", "/api/comment") == 1
    failed_looks = sum("could not look whether the reply" in line for line in _logged(caplog))
    if failure == DROP:
        # aiohttp sends a GET once more by itself when a kept-alive connection drops: 1 or 2 looks failed
        assert 1 <= failed_looks <= 2 and fake.count("GET", MY_COMMENTS) == 3
    else:
        assert failed_looks == 2 and fake.count("GET", MY_COMMENTS) == 3


async def test_a_dm_reply_that_got_through_unseen_is_not_sent_again(tmp_path: Path, fake: FakeReddit) -> None:
    """A reply to a private message is looked for among the bot's sent messages."""
    settings = make_settings(tmp_path, fake, send_attempts=1, retry_pending_s=0.1)
    fake.fail("POST", "/api/comment", DROP, takes_effect=True)
    dm = fake.send_dm("jo", "are you there? today was awful")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", dm), what="the DM marked answered")
        await bot.rounds(2)
        await _nothing_left(bot)
    assert [c["body"] for c in fake.replies_to(dm)] == [REPLY + FOOTER]
    assert fake.count("POST", "/api/comment") == 1
    assert fake.count("GET", SENT) == 1 and fake.count("GET", MY_COMMENTS) == 0


async def test_a_private_crisis_message_that_got_through_unseen_is_not_sent_again(
    tmp_path: Path, fake: FakeReddit
) -> None:
    """crisis_reply = "message": the new private message is looked for by recipient and subject."""
    settings = make_settings(tmp_path, fake, crisis_reply="message", send_attempts=1, retry_pending_s=0.1)
    fake.fail("POST", "/api/compose", 502, takes_effect=True)
    post = fake.add_post(SUB, "rae", "I want to kill myself", CRISIS_POST)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post marked answered")
        await bot.rounds(2)
        await _nothing_left(bot)
    [sent] = fake.sent_messages
    assert sent["to"] == "rae" and sent["subject"] == CRISIS_SUBJECT
    assert fake.count("POST", "/api/compose") == 1 and fake.count("GET", SENT) == 1
    assert fake.replies_to(post) == []
