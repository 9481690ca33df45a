"""Reddit faults an operator meets: a subreddit that goes private or is banned, and replies Reddit
refuses. Real asyncpraw against the fake Reddit on 127.0.0.1, the real dispatcher, a scripted engine."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from adapters.reddit import FOOTER
from bot.safety import SafetyPolicy
from tests.adapters_reddit.fake_reddit import FakeReddit
from tests.adapters_reddit.harness import SUB, BotProcess, make_settings, wait_until
from tests.fakes import FakeEngine

REPLY = "That sounds really hard. What has helped you before?"
OTHER = "KindnessCorner"
CRISIS_POST = "I have a plan for tonight and I'm done."

# What Reddit answers for a subreddit's listing once it cannot be read.
UNREADABLE = {
    "private": (403, {"reason": "private", "message": "Forbidden", "error": 403}, {}),
    "banned": (404, {"reason": "banned", "message": "Not Found", "error": 404}, {}),
    "gone": (302, {}, {"location": "/subreddits/search.json?q=gone"}),
}


def _adapter_log(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "adapters.reddit"]


@pytest.mark.parametrize("why", sorted(UNREADABLE))
async def test_a_subreddit_that_cannot_be_read_does_not_stop_the_inbox_or_the_others(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture, why: str
) -> None:
    """r/toastme goes private (or is banned, or gone): DMs and comment replies are still answered, and
    posts in the other subreddit too; the log names the subreddit once, without a traceback per round."""
    caplog.set_level(logging.INFO)
    status, body, headers = UNREADABLE[why]
    settings = make_settings(tmp_path, fake, subreddits=[SUB, OTHER])
    for path in (f"/r/{SUB}+{OTHER}/new", f"/r/{SUB}/new"):
        fake.fail("GET", path, status, times=10_000, body=body, headers=headers)
    post = fake.add_post(OTHER, "dana", "Rough week", "Work has been a lot and I feel so alone.")
    dm = fake.send_dm("crispin", "are you there? today was awful")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.replies_to(dm), what="the DM answered")
        await wait_until(lambda: fake.replies_to(post), what="the other subreddit's post answered")
        await bot.rounds(3)
        assert bot.adapter is not None and bot.adapter.running
    assert [c["body"] for c in fake.replies_to(dm)] == [REPLY + FOOTER]
    assert len(fake.replies_to(post)) == 1
    records = _adapter_log(caplog)
    named = [r.getMessage() for r in records if f"r/{SUB} cannot be read" in r.getMessage()]
    assert len(named) == 1, named  # said once, not every round
    assert not any(r.exc_info for r in records)  # no traceback spam
    assert not any("awful" in r.getMessage() for r in caplog.records)


async def test_a_subreddit_that_becomes_readable_again_is_read_again(
    tmp_path: Path, fake: FakeReddit, monkeypatch: pytest.MonkeyPatch
) -> None:
    import adapters.reddit

    monkeypatch.setattr(adapters.reddit, "UNREADABLE_RECHECK_S", 0.3)
    settings = make_settings(tmp_path, fake)
    fake.fail("GET", f"/r/{SUB}/new", 403, times=2, body=UNREADABLE["private"][1])
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await bot.rounds(3)
        post = fake.add_post(SUB, "erin", "Back again", "The sub is open again and I had a hard day.")
        await wait_until(lambda: fake.replies_to(post), what="the post answered once readable")


LOCKED = {"json": {"errors": [["THREAD_LOCKED", "that thread is locked", "parent"]]}}


async def test_a_refused_reply_is_not_counted_as_a_reply(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture
) -> None:
    """A thread locked (or a post deleted) between reading and replying: Reddit refuses the comment.
    Nothing was posted, so the log must not say it replied, and the hourly cap must not count it."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path, fake, replies_per_hour=1)
    fake.fail("POST", "/api/comment", 200, body=LOCKED)
    first = fake.add_post(SUB, "gus", "Long day", "My shift ran late and I missed dinner again.")
    second = fake.add_post(SUB, "hana", "Small win", "I finally called my sister after a year.")
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.replies_to(second), what="the second post answered")
        await bot.rounds(2)
    assert fake.replies_to(first) == []
    assert len(fake.replies_to(second)) == 1
    logged = [r.getMessage() for r in _adapter_log(caplog)]
    assert any("THREAD_LOCKED" in line for line in logged)
    assert not any(f"replied to {first}" in line for line in logged)


@pytest.mark.parametrize("refusal", ["locked", "banned"])
async def test_a_crisis_comment_reddit_refuses_goes_to_the_author_privately(
    tmp_path: Path, fake: FakeReddit, refusal: str
) -> None:
    """The thread was locked, or the bot banned from the subreddit, between reading the post and
    replying: the crisis resources go to the author as a private message rather than nowhere."""
    eng = FakeEngine(REPLY)
    settings = make_settings(tmp_path, fake)
    crisis = SafetyPolicy(settings.safety).crisis_reply(None, CRISIS_POST)
    if refusal == "locked":
        fake.fail("POST", "/api/comment", 200, body=LOCKED)
    else:
        fake.fail("POST", "/api/comment", 403, body={"message": "Forbidden", "error": 403})
    post = fake.add_post(SUB, "rae", "I want to kill myself", CRISIS_POST)
    ordinary = fake.add_post(SUB, "sol", "Long week", "Work has been a lot lately, honestly.")
    fake.fail("POST", "/api/comment", 200, body=LOCKED)  # the ordinary post's thread is locked too
    async with BotProcess(settings, fake, eng) as bot:
        await wait_until(lambda: fake.sent_messages, what="the private crisis message")
        await wait_until(lambda: len(eng.requests) == 1, what="the ordinary post read")
        await bot.rounds(3)
    assert fake.replies_to(post) == [] and fake.replies_to(ordinary) == []
    [private] = fake.sent_messages
    assert private["to"] == "rae" and private["subject"] == "You're not alone"
    assert private["text"] == crisis + FOOTER
    assert fake.count("POST", "/api/compose") == 1  # an ordinary reply refused is not sent privately


async def test_a_crisis_message_refused_privately_is_not_retried(tmp_path: Path, fake: FakeReddit) -> None:
    """crisis_reply = "message" and the author does not take messages: Reddit refuses, nothing more."""
    settings = make_settings(tmp_path, fake, crisis_reply="message")
    fake.fail(
        "POST",
        "/api/compose",
        200,
        body={"json": {"errors": [["NOT_WHITELISTED_BY_USER_MESSAGE", "x", "to"]]}},
    )
    post = fake.add_post(SUB, "rae", "I want to kill myself", CRISIS_POST)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.count("POST", "/api/compose") == 1, what="the message tried")
        await bot.rounds(3)
    assert fake.count("POST", "/api/compose") == 1 and fake.replies_to(post) == []


async def test_logs_hold_no_text_and_no_secret_even_at_debug(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path, fake)
    fake.fail("POST", "/api/comment", 500, times=3)  # the retries log too
    post = fake.add_post(SUB, "tova", "Quietly struggling", "my secret worry about my brother")
    dm = fake.send_dm("tova", "another private worry of mine", subject="a private subject")
    async with BotProcess(settings, fake, FakeEngine("a reply only tova should read")) as bot:
        await wait_until(lambda: fake.replies_to(post) and fake.replies_to(dm), what="both answered")
        await bot.rounds(2)
    # aiohttp's records are the fake server's; aiosqlite's DEBUG lines are the store's business.
    records = [r for r in caplog.records if not r.name.startswith(("aiohttp", "aiosqlite"))]
    logged = "\n".join(r.getMessage() for r in records)
    assert "replied to" in logged  # the capture works
    for needle in (
        "secret worry",
        "private worry",
        "private subject",
        "only tova should read",
        fake.password,
        fake.client_secret,
        *fake.tokens,
    ):
        assert needle not in logged, needle
