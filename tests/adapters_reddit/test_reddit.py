"""The Reddit adapter with real asyncpraw against a fake Reddit API on 127.0.0.1, and the real Dispatcher
with a scripted engine."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from adapters.reddit import FOOTER, OPT_PREF, RedditAdapter, is_bot_name, opt_command
from bot.config import load_settings
from bot.protocols import AdapterStartError
from bot.safety import SafetyPolicy
from bot.store import ConversationStore
from bot.types import Generation, GenerationRequest, Message, Reply, UserKey
from tests.adapters_reddit.fake_reddit import FakeReddit
from tests.adapters_reddit.harness import SUB, BotProcess, make_settings, wait_until
from tests.fakes import FakeEngine

REPLY = "That sounds really hard. What has helped you before?"


def engine() -> FakeEngine:
    return FakeEngine(REPLY)


async def test_matching_post_gets_one_reply_with_footer(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake, keywords=["lonely"], flairs=["Toast Me"])
    post = fake.add_post(SUB, "sadpanda", "Feeling lonely tonight", "Nobody called on my birthday.")
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(post), what="a reply to the post")
        await bot.rounds(3)
    replies = fake.replies_to(post)
    assert len(replies) == 1
    assert replies[0]["body"] == REPLY + FOOTER
    assert "bot" in FOOTER and "!optout" in FOOTER
    # The prompt is the post's title and text.
    user_turn = bot.engine.requests[0].messages[-1].content  # type: ignore[attr-defined]
    assert "Feeling lonely tonight" in user_turn and "Nobody called on my birthday." in user_turn


async def test_a_very_long_post_keeps_its_title_and_its_reply_has_no_long_message_line(
    tmp_path: Path, fake: FakeReddit
) -> None:
    """Long posts are ordinary on a support subreddit, and the reply is public: the model reads the
    title and the end of the post, and the reply does not start with "Your message was very long"."""
    settings = make_settings(tmp_path, fake, keywords=["lonely"])
    body = "It started years ago. " * 400 + "How do I make friends as an adult?"
    post = fake.add_post(SUB, "longwriter", "Feeling lonely after moving cities", body)
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(post), what="a reply to the post")
    assert fake.replies_to(post)[0]["body"] == REPLY + FOOTER
    user_turn = bot.engine.requests[0].messages[-1].content  # type: ignore[attr-defined]
    assert user_turn.startswith("Feeling lonely after moving cities")
    assert user_turn.endswith("How do I make friends as an adult?")
    assert len(user_turn) < len(body)


async def test_posts_that_do_not_pass_the_filters_get_no_reply(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(
        tmp_path,
        fake,
        keywords=["lonely"],
        min_text_chars=20,
        max_post_age_hours=2,
        ignore_users=["u/Grumpy"],
    )
    skipped = [
        fake.add_post(SUB, "someone", "My cat learned a trick", "Look at him go, he sits now."),  # no keyword
        fake.add_post(SUB, "someone", "lonely", ""),  # too short
        fake.add_post(SUB, "someone", "So lonely lately", "it has been weeks", age_s=3 * 3600),  # too old
        fake.add_post(SUB, "someone", "So lonely lately", "locked thread here", locked=True),
        fake.add_post(SUB, "someone", "So lonely lately", "removed by mods", removed=True),
        fake.add_post(SUB, None, "So lonely lately", "the author deleted the account"),
        fake.add_post(SUB, "KindBot", "So lonely lately", "the bot's own post, long enough"),
        fake.add_post(SUB, "HelperBot", "So lonely lately", "another bot posting here"),
        fake.add_post(SUB, "AutoModerator", "So lonely lately", "weekly lonely thread"),
        fake.add_post(SUB, "grumpy", "So lonely lately", "an ignored user, long enough"),
        fake.add_post("elsewhere", "someone", "So lonely lately", "not a configured subreddit"),
    ]
    answered = fake.add_post(SUB, "someone", "So lonely lately", "it has been weeks without a friend")
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(answered), what="the one matching post answered")
        await bot.rounds(3)
    for fullname in skipped:
        assert fake.replies_to(fullname) == [], fullname
    assert len(fake.comments) == 1


async def test_restart_answers_posts_made_while_down_and_never_twice(
    tmp_path: Path, fake: FakeReddit
) -> None:
    settings = make_settings(tmp_path, fake)
    first = fake.add_post(SUB, "alice", "Rough week", "Lost my job on Monday.")
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(first), what="the first post answered")
        await bot.rounds(2)
    # While the bot is down, a new post arrives; the old one is still on the first page.
    second = fake.add_post(SUB, "bob", "Can't sleep", "Everything feels heavy.")
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(second), what="the post made while down answered")
        await bot.rounds(3)
    assert len(fake.replies_to(first)) == 1
    assert len(fake.replies_to(second)) == 1


async def test_optout_then_new_post_gets_no_reply_and_optin_reverses(
    tmp_path: Path, fake: FakeReddit
) -> None:
    settings = make_settings(tmp_path, fake)
    async with BotProcess(settings, fake, engine()) as bot:
        dm = fake.send_dm("carol", "!optout please")
        await wait_until(lambda: fake.replies_to(dm), what="the opt-out confirmed")
        assert "won't reply to you again" in fake.replies_to(dm)[0]["body"]
        assert await bot.store.get_pref(UserKey("reddit", "carol"), OPT_PREF) is True
        # Confirmed once: a second !optout is read but not answered.
        again = fake.send_dm("carol", "!optout")
        post = fake.add_post(SUB, "carol", "Bad day", "Everything went wrong today.")
        chat = fake.send_dm("carol", "are you there?")
        await wait_until(lambda: chat not in fake.unread(), what="the DM read")
        await bot.rounds(3)
        assert fake.replies_to(post) == [] and fake.replies_to(again) == [] and fake.replies_to(chat) == []
        assert bot.engine.requests == []  # type: ignore[attr-defined]
        # !optin reverses it.
        back = fake.send_dm("carol", "!optin")
        await wait_until(lambda: fake.replies_to(back), what="the opt-in confirmed")
        later = fake.add_post(SUB, "carol", "Better day", "Things are looking up a bit today.")
        await wait_until(lambda: fake.replies_to(later), what="a post after opting in answered")
    assert fake.unread() == []


async def test_comment_reply_continues_the_conversation_with_memory(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake)
    eng = FakeEngine(lambda req: f"reply number {len(req.messages)}")
    post = fake.add_post(SUB, "dave", "First post here", "I moved to a new city and know nobody.")
    async with BotProcess(settings, fake, eng):
        await wait_until(lambda: fake.replies_to(post), what="the post answered")
        bot_comment = fake.replies_to(post)[0]["name"]
        first_reply = fake.replies_to(post)[0]["body"].removesuffix(FOOTER)
        answer = fake.reply_to(bot_comment, "dave", "Thanks. I tried a running club yesterday.")
        await wait_until(lambda: fake.replies_to(answer), what="the comment reply answered")
        await wait_until(lambda: answer not in fake.unread(), what="the comment marked read")
    texts = [(t.role, t.content) for t in eng.requests[-1].messages]
    assert ("user", "First post here\n\nI moved to a new city and know nobody.") in texts
    assert ("assistant", first_reply) in texts
    assert texts[-1] == ("user", "Thanks. I tried a running club yesterday.")
    assert fake.replies_to(answer)[0]["body"].endswith(FOOTER)


async def test_dm_conversation_and_commands_work_in_private_only(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake)
    eng = engine()
    post = fake.add_post(SUB, "erin", "/r/toastme first time", "Be gentle please, I'm nervous.")
    async with BotProcess(settings, fake, eng) as bot:
        await wait_until(lambda: fake.replies_to(post), what="the post answered")
        # A leading "/" in public is text, not a command.
        assert eng.requests[-1].messages[-1].content.startswith("r/toastme first time")
        comment = fake.replies_to(post)[0]["name"]
        public = fake.reply_to(comment, "erin", "/export")
        dm = fake.send_dm("erin", "/export")
        await wait_until(lambda: fake.replies_to(dm) and fake.replies_to(public), what="both answered")
        await bot.rounds(2)
    assert '"platform": "reddit"' in fake.replies_to(dm)[0]["body"]  # the export, privately
    assert '"platform"' not in fake.replies_to(public)[0]["body"]  # never in public


async def test_429_and_500_recover(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake)
    fake.fail("GET", f"/r/{SUB}/new", 429, headers={"retry-after": "0.2"})
    fake.fail("GET", "/message/unread", 503, times=1)
    # Three 500s: asyncprawcore retries twice itself, then the adapter's own backoff takes over.
    fake.fail("POST", "/api/comment", 500, times=3)
    post = fake.add_post(SUB, "frank", "Hard times", "I failed my exam again today.")
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(post), within=30, what="the reply after the faults")
        await bot.rounds(2)
        assert bot.adapter is not None and bot.adapter.running
    assert len(fake.replies_to(post)) == 1
    assert all(f.times == 0 for f in fake.faults)


async def test_wrong_password_is_a_clear_start_error(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake, password="wrong password 123")
    async with ConversationStore(tmp_path / "s.db") as store:
        adapter = RedditAdapter(settings, store)
        with pytest.raises(AdapterStartError) as err:
            await adapter.start(engine().generate)  # type: ignore[arg-type]
        message = str(err.value)
        assert "KINDRED_REDDIT__PASSWORD" in message and "invalid_grant" in message
        assert "wrong password 123" not in message
        with pytest.raises(AdapterStartError) as err:
            await adapter.check()
        assert "KINDRED_REDDIT__PASSWORD" in str(err.value)


async def test_wrong_client_secret_and_missing_settings_name_the_credential(
    tmp_path: Path, fake: FakeReddit
) -> None:
    async with ConversationStore(tmp_path / "s.db") as store:
        adapter = RedditAdapter(make_settings(tmp_path, fake, client_secret="nope-secret"), store)
        with pytest.raises(AdapterStartError) as err:
            await adapter.check()
        assert "KINDRED_REDDIT__CLIENT_SECRET" in str(err.value) and "nope-secret" not in str(err.value)
        adapter = RedditAdapter(make_settings(tmp_path, fake, password=None), store)
        with pytest.raises(AdapterStartError, match="KINDRED_REDDIT__PASSWORD"):
            await adapter.check()


async def test_doctor_check_says_who(tmp_path: Path, fake: FakeReddit) -> None:
    async with ConversationStore(tmp_path / "s.db") as store:
        adapter = RedditAdapter(make_settings(tmp_path, fake), store)
        assert (await adapter.check()).startswith("logged in as u/KindBot")


async def test_revoked_password_while_running_stops_the_adapter(
    tmp_path: Path, fake: FakeReddit, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, fake)
    async with BotProcess(settings, fake, engine()) as bot:
        await bot.rounds(1)
        with caplog.at_level(logging.ERROR, logger="adapters.reddit"):
            fake.revoke()
            assert bot.adapter is not None
            await wait_until(lambda: not bot.adapter.running, what="the adapter to stop")  # type: ignore[union-attr]
        assert bot.adapter.failure is not None and "KINDRED_REDDIT__PASSWORD" in bot.adapter.failure
        assert "KINDRED_REDDIT__PASSWORD" in caplog.text
        assert fake.password not in caplog.text and "correct horse" not in caplog.text


async def test_dry_run_posts_nothing_and_marks_nothing(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake, dry_run=True)
    post = fake.add_post(SUB, "gina", "Need a toast", "Got rejected from my dream school.")
    dm = fake.send_dm("gina", "hello there bot")
    async with BotProcess(settings, fake, engine()) as bot:
        assert bot.adapter is not None
        await wait_until(lambda: len(bot.adapter.dry_run_posts) >= 2, what="the dry-run replies")  # type: ignore[union-attr]
        await bot.rounds(3)
        assert sorted(t for t, _ in bot.adapter.dry_run_posts) == sorted([post, dm])
        assert not await bot.store.is_handled("reddit", post)
    assert fake.comments == [] and fake.sent_messages == []
    assert fake.count("POST", "/api/comment") == 0 and fake.count("POST", "/api/read_message") == 0
    assert dm in fake.unread()
    # Going live afterwards answers the post for real (dry runs mark nothing as answered).
    async with BotProcess(make_settings(tmp_path, fake), fake, engine()):
        await wait_until(lambda: fake.replies_to(post) and fake.replies_to(dm), what="live replies")


async def test_replies_per_hour_cap_survives_restart(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake, replies_per_hour=2)
    posts = [fake.add_post(SUB, f"user{i}", f"Post {i}", "Long enough text about my week.") for i in range(3)]
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: len(fake.comments) == 2, what="two replies")
        await bot.rounds(3)
    later = fake.add_post(SUB, "user9", "Post 9", "Long enough text about my week.")
    async with BotProcess(settings, fake, engine()) as bot:
        await bot.rounds(4)
    assert len(fake.comments) == 2
    assert fake.replies_to(later) == []
    answered = [p for p in posts if fake.replies_to(p)]
    assert answered == posts[:2]  # oldest first


async def test_crisis_reply_goes_where_configured(tmp_path: Path, fake: FakeReddit) -> None:
    async def crisis(message: Message, _typing: object) -> Reply:
        return Reply(message.key, "You matter. Call or text 988 (US).", "crisis", message.message_id)

    public_post = fake.add_post(SUB, "hank", "I can't go on", "I want it all to stop.")
    async with BotProcess(make_settings(tmp_path, fake), fake, on_message=crisis):
        await wait_until(lambda: fake.replies_to(public_post), what="the crisis comment")
    assert "988" in fake.replies_to(public_post)[0]["body"]

    private_post = fake.add_post(SUB, "ivy", "I can't go on", "I want it all to stop.")
    settings = make_settings(tmp_path, fake, crisis_reply="message")
    async with BotProcess(settings, fake, on_message=crisis) as bot:
        await wait_until(lambda: fake.sent_messages, what="the private crisis message")
        await bot.rounds(2)
    assert fake.replies_to(private_post) == [] and len(fake.sent_messages) == 1
    assert fake.sent_messages[0]["to"] == "ivy" and "988" in fake.sent_messages[0]["text"]
    assert fake.sent_messages[0]["text"].endswith(FOOTER)


async def test_busy_engine_is_retried_not_apologised_for(tmp_path: Path, fake: FakeReddit) -> None:
    eng = engine()
    eng.status = "busy"
    post = fake.add_post(SUB, "jack", "Tough day", "My dog is sick and I'm scared.")
    async with BotProcess(make_settings(tmp_path, fake, retry_pending_s=1.0), fake, eng) as bot:
        await wait_until(lambda: len(eng.requests) >= 1, what="a first try")
        await bot.rounds(2)
        assert fake.replies_to(post) == [] and len(eng.requests) == 1  # no apology; the retry waits
        eng.status = "ok"
        await wait_until(lambda: fake.replies_to(post), what="the reply once the engine is free")
    assert fake.replies_to(post)[0]["body"] == REPLY + FOOTER


def test_helpers() -> None:
    assert is_bot_name("RemindMeBot") and is_bot_name("sneakpeekbot") and is_bot_name("AutoModerator")
    assert is_bot_name("someone", frozenset({"someone"})) and not is_bot_name("bobby_tables")


@pytest.mark.parametrize(
    "name",
    [
        "AutoModerator",
        "automoderator",
        "RemindMeBot",
        "remindmebot",
        "RepostSleuthBot",
        "helper_bot",
        "kind-bot",
        "Kind_Bot",
        "toast_bot_2",
        "ToastBot2",
        "Toast2Bot",
        "spam_b0t",
        "Bot",
        "BOT",
    ],
)
def test_bot_names_are_skipped(name: str) -> None:
    assert is_bot_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "Talbot",
        "talbot",
        "TALBOT",
        "Abbot",
        "jean_talbot",
        "Cabbot",
        "robotics_fan",
        "Botanist",
        "abbott",
        "bottle_of_sun",
        "Robot_Wars_Fan",
    ],
)
def test_people_whose_name_ends_in_bot_are_answered(name: str) -> None:
    assert not is_bot_name(name)


async def test_a_person_called_talbot_gets_a_reply(tmp_path: Path, fake: FakeReddit) -> None:
    post = fake.add_post(SUB, "Talbot", "Rough week", "Everything I touch goes wrong lately.")
    bot_post = fake.add_post(SUB, "toast_bot", "Daily thread", "Everything I touch goes wrong lately.")
    async with BotProcess(make_settings(tmp_path, fake), fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(post), what="Talbot answered")
        await bot.rounds(2)
    assert fake.replies_to(bot_post) == []


def test_opt_commands() -> None:
    assert opt_command("!optout") == "out" and opt_command("please !OptOut now") == "out"
    assert (
        opt_command("!opt-in") == "in" and opt_command("optout") is None and opt_command("x!optout") is None
    )


async def test_stop_finishes_the_reply_in_flight(tmp_path: Path, fake: FakeReddit) -> None:
    eng = FakeEngine(REPLY, delay=0.5)
    post = fake.add_post(SUB, "kim", "Long day", "Just need someone to say it'll be fine.")
    bot = BotProcess(make_settings(tmp_path, fake), fake, eng)
    await bot.start()
    await wait_until(lambda: len(eng.requests) == 1, what="the reply to start")
    started = time.monotonic()
    await bot.stop()
    assert time.monotonic() - started < 5
    assert len(fake.replies_to(post)) == 1


class StuckEngine(FakeEngine):
    """Never answers a message containing ``marker`` (until the bot is killed): a crash mid-reply."""

    def __init__(self, marker: str) -> None:
        super().__init__(REPLY)
        self.marker = marker

    async def generate(self, request: GenerationRequest) -> Generation:
        if self.marker in request.messages[-1].content:
            self.requests.append(request)
            await asyncio.Event().wait()
        return await super().generate(request)


async def test_crash_mid_reply_is_answered_once_after_restart(tmp_path: Path, fake: FakeReddit) -> None:
    settings = make_settings(tmp_path, fake)
    post = fake.add_post(SUB, "mia", "I feel stuck", "Nothing moves forward in my life.")
    dm = fake.send_dm("noah", "hi, are you there?")
    bot = await BotProcess(settings, fake, StuckEngine("feel stuck")).start()
    await wait_until(lambda: len(bot.engine.requests) == 1, what="the post's reply to start")  # type: ignore[attr-defined]
    await bot.kill()  # the post is recorded but unanswered; the DM was never read
    assert fake.comments == [] and dm in fake.unread()

    stuck_dm = fake.send_dm("olga", "stuck again, sorry")
    bot = await BotProcess(settings, fake, StuckEngine("stuck again")).start()
    await wait_until(
        lambda: fake.replies_to(post) and fake.replies_to(dm), what="recovery of the post, the DM"
    )
    await wait_until(lambda: any("stuck again" in r.messages[-1].content for r in bot.engine.requests))  # type: ignore[attr-defined]
    await bot.kill()  # this time a DM is in flight: recorded in the store, still unread on Reddit
    assert stuck_dm in fake.unread()

    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(stuck_dm), what="the DM left by the crash answered")
        await wait_until(lambda: fake.unread() == [], what="every inbox item marked read")
        await bot.rounds(2)
    assert [len(fake.replies_to(x)) for x in (post, dm, stuck_dm)] == [1, 1, 1]


async def test_one_reply_per_thread_unless_addressed(tmp_path: Path, fake: FakeReddit) -> None:
    post = fake.add_post(SUB, "pat", "Hello all", "First time posting, feeling low lately.")
    mention = fake.mention(post, "quinn", "u/KindBot can you say something nice to OP?")
    async with BotProcess(make_settings(tmp_path, fake, subreddits=[]), fake, engine()):
        await wait_until(lambda: fake.replies_to(mention), what="the mention answered (addressed directly)")
    # Now the bot watches the subreddit: the post's thread already has the bot's comment.
    async with BotProcess(make_settings(tmp_path, fake), fake, engine()) as bot:
        await bot.rounds(3)
    assert fake.replies_to(post) == []
    assert len(fake.comments) == 1


async def test_crisis_post_gets_resources_from_the_real_safety_step(tmp_path: Path, fake: FakeReddit) -> None:
    eng = engine()
    post = fake.add_post(SUB, "rae", "I want to kill myself", "I have a plan for tonight and I'm done.")
    async with BotProcess(make_settings(tmp_path, fake), fake, eng) as bot:
        await wait_until(lambda: fake.replies_to(post), what="the crisis reply")
        await bot.rounds(2)
    body = fake.replies_to(post)[0]["body"]
    assert eng.requests == []  # the model was not asked
    assert body.endswith(FOOTER) and REPLY not in body and len(fake.comments) == 1


async def test_sdk_waits_when_reddit_says_the_quota_is_used_up(tmp_path: Path, fake: FakeReddit) -> None:
    fake.ratelimit_exhausted["/api/v1/me"] = 1
    async with BotProcess(make_settings(tmp_path, fake), fake, engine()) as bot:
        await bot.rounds(1)
    times = fake.request_times
    me_at = next(t for p, t in times if p == "/api/v1/me")
    next_at = next(t for p, t in times if t > me_at and p != "/api/v1/access_token")
    assert next_at - me_at >= 0.9


async def test_capped_comment_reply_waits_in_the_store_until_the_hour_frees(
    tmp_path: Path, fake: FakeReddit
) -> None:
    now = [time.time()]
    settings = make_settings(tmp_path, fake, replies_per_hour=1)
    post = fake.add_post(SUB, "sam", "Down today", "Everything I touch goes wrong lately.")
    async with BotProcess(settings, fake, engine(), clock=lambda: now[0]) as bot:
        await wait_until(lambda: fake.replies_to(post), what="the post answered")
        answer = fake.reply_to(fake.replies_to(post)[0]["name"], "sam", "Thank you, that means a lot.")
        await wait_until(lambda: answer not in fake.unread(), what="the capped reply recorded and read")
        await bot.rounds(2)
        assert fake.replies_to(answer) == []
        assert [m.message_id for m in await bot.store.pending_incoming("reddit")] == [answer]
        now[0] += 3601  # an hour later the window has room again
        await wait_until(lambda: fake.replies_to(answer), what="the waiting reply answered")
    assert len(fake.comments) == 2


CRISIS_TITLE = "I want to kill myself"
CRISIS_TEXT = "I have a plan for tonight and I'm done."


class OnlyThisIsACrisis:
    """A learned-classifier stand-in: flags one wording the crisis rules do not know."""

    threshold = 0.5
    ready = True

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.asked: list[str] = []

    async def score(self, text: str) -> float:
        self.asked.append(text)
        return 0.99 if self.marker in text else 0.01


QUIET_CRISIS = "I sorted out my will and gave the cat to my sister. I won't need my things after Friday."


@pytest.mark.parametrize("caught_by", ["rules", "classifier"])
async def test_crisis_post_gets_resources_even_when_the_hourly_cap_is_full(
    tmp_path: Path, fake: FakeReddit, caught_by: str
) -> None:
    """Over a full cap, a crisis post still gets the resources, whether the crisis rules or only the
    learned classifier (Dispatcher.is_crisis) recognise it."""
    if caught_by == "rules":
        title, text, scorer = CRISIS_TITLE, CRISIS_TEXT, None
    else:
        assert not SafetyPolicy(load_settings().safety).check_incoming(QUIET_CRISIS).crisis  # rules miss it
        title, text, scorer = "Getting things in order", QUIET_CRISIS, OnlyThisIsACrisis("gave the cat")
    eng = engine()
    settings = make_settings(tmp_path, fake, replies_per_hour=1)
    first = fake.add_post(SUB, "tess", "Rough week", "Everything I touch goes wrong lately.")
    async with BotProcess(settings, fake, eng, crisis_classifier=scorer) as bot:
        await wait_until(lambda: fake.replies_to(first), what="the first post answered (cap now full)")
        crisis = fake.add_post(SUB, "uma", title, text)
        ordinary = fake.add_post(SUB, "vic", "Rough week too", "Nothing is going right for me lately.")
        await wait_until(lambda: fake.replies_to(crisis), what="the crisis post answered over the cap")
        await bot.rounds(3)
    body = fake.replies_to(crisis)[0]["body"]
    assert REPLY not in body and body.endswith(FOOTER)
    assert len(eng.requests) == 1  # only the first post reached the model
    assert fake.replies_to(ordinary) == []  # the cap still holds for everything else
    assert len(fake.comments) == 2
    if scorer is not None:
        assert any("gave the cat" in t for t in scorer.asked)


async def test_no_public_comments_still_sends_crisis_resources_privately(
    tmp_path: Path, fake: FakeReddit
) -> None:
    eng = engine()
    settings = make_settings(tmp_path, fake, replies_per_hour=0)
    crisis = fake.add_post(SUB, "wes", CRISIS_TITLE, CRISIS_TEXT)
    ordinary = fake.add_post(SUB, "xan", "Rough week", "Everything I touch goes wrong lately.")
    async with BotProcess(settings, fake, eng) as bot:
        await wait_until(lambda: fake.sent_messages, what="the private crisis message")
        await bot.rounds(3)
    assert fake.comments == [] and eng.requests == []
    assert fake.replies_to(crisis) == [] and fake.replies_to(ordinary) == []
    [sent] = fake.sent_messages
    assert sent["to"] == "wes" and sent["text"].endswith(FOOTER)


async def test_capped_crisis_comment_reply_is_answered_at_once(tmp_path: Path, fake: FakeReddit) -> None:
    eng = engine()
    settings = make_settings(tmp_path, fake, replies_per_hour=1)
    post = fake.add_post(SUB, "yara", "Down today", "Everything I touch goes wrong lately.")
    async with BotProcess(settings, fake, eng) as bot:
        await wait_until(lambda: fake.replies_to(post), what="the post answered (cap now full)")
        answer = fake.reply_to(fake.replies_to(post)[0]["name"], "yara", "honestly I want to kill myself")
        await wait_until(lambda: fake.replies_to(answer), what="the crisis reply answered over the cap")
        # The item leaves the store just after the reply is posted; give it that moment.
        for _ in range(250):
            if not await bot.store.pending_incoming("reddit"):
                break
            await asyncio.sleep(0.02)
        assert await bot.store.pending_incoming("reddit") == []
    assert len(eng.requests) == 1
    assert REPLY not in fake.replies_to(answer)[0]["body"]


async def test_the_bot_disclosure_under_a_reply_is_in_the_posts_language(
    tmp_path: Path, fake: FakeReddit
) -> None:
    """A Spanish post gets the disclosure in Spanish (the command stays !optout); with the fixed texts
    kept in English (safety.localize_safety_texts = false) it is in English."""
    from adapters.reddit import footer
    from bot.texts import MODEL_LANGUAGE_TEXTS

    post = fake.add_post(
        SUB, "lucia", "Me siento muy sola esta noche", "Nadie me llamó en mi cumpleaños y no sé qué hacer."
    )
    settings = make_settings(tmp_path, fake, keywords=["sola"])
    async with BotProcess(settings, fake, engine()) as bot:
        await wait_until(lambda: fake.replies_to(post), what="a reply to the post")
        await bot.rounds(2)
    body = fake.replies_to(post)[0]["body"]
    # the model writes English well only: its first reply in Spanish carries the note saying so
    note = MODEL_LANGUAGE_TEXTS["es"]
    assert (
        body == f"{REPLY}\n\n{note}" + footer("es")
        and "Soy un bot, no una persona" in body
        and "!optout" in body
    )
    english = settings.model_copy(
        update={"safety": settings.safety.model_copy(update={"localize_safety_texts": False})}
    )
    async with BotProcess(english, fake, engine()) as bot:
        await bot.rounds(1)
        post2 = fake.add_post(
            SUB, "marta", "Hoy me siento sola", "Nadie me escribe y no sé qué hacer con mi vida."
        )
        await wait_until(lambda: fake.replies_to(post2), what="a reply to the second post")
    assert fake.replies_to(post2)[0]["body"] == REPLY + FOOTER


def test_every_footer_language_says_bot_and_keeps_the_optout_command() -> None:
    from adapters.reddit import FOOTER_TEXTS, footer
    from bot.safety.languages import CRISIS_TEXTS, guess_language

    assert set(FOOTER_TEXTS) == {"en", *CRISIS_TEXTS}
    for lang, text in FOOTER_TEXTS.items():
        assert "!optout" in text and "(" not in text and ")" not in text, lang  # ^(...) superscript
        assert lang == "en" or text != FOOTER_TEXTS["en"]
        assert footer(lang).endswith(f"^({text})")
    assert footer("xx") == footer(None) == FOOTER
    assert guess_language("Me siento muy sola esta noche. Nadie me llamó en mi cumpleaños.") == "es"
