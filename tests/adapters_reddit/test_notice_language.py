"""Reddit's own notices in the person's language, with real asyncpraw against the fake Reddit on
127.0.0.1 and the real Dispatcher: the confirmations of ``!optout`` / ``!optin`` follow the language of
the comment or message that carried the command, else (a bare "!optout") the person's post; the footer
under them follows the confirmation; the subject of a crisis reply sent as a private message follows
the post. ``safety.localize_safety_texts = false`` keeps them English."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from adapters.reddit import CRISIS_SUBJECT, FOOTER, OPT_PREF, OPTIN_TEXT, OPTOUT_TEXT, footer
from bot.config import Settings
from bot.texts import CRISIS_SUBJECTS, OPTIN_TEXTS, OPTOUT_TEXTS
from bot.types import UserKey
from tests.adapters_reddit.fake_reddit import FakeReddit
from tests.adapters_reddit.harness import SUB, BotProcess, make_settings, wait_until
from tests.fakes import FakeEngine

REPLY = "That sounds really hard. What has helped you before?"
FRENCH_POST = (
    "Je me sens seule ce soir",
    "Personne ne m'a appelée pour mon anniversaire et je ne sais pas quoi faire.",
)
FRENCH_OPTOUT = "Merci, mais je préfère que tu ne me répondes plus. !optout"
SPANISH_CRISIS = ("Ya no puedo más", "Quiero suicidarme esta noche, ya tengo un plan y no quiero seguir.")


def english(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"safety": settings.safety.model_copy(update={"localize_safety_texts": False})}
    )


async def _bot_comment_on(fake: FakeReddit, bot: BotProcess, post: str) -> str:
    await wait_until(lambda: fake.replies_to(post), what="a reply to the post")
    await bot.rounds(1)
    return str(fake.replies_to(post)[0]["name"])


async def wait_for(
    cond: Callable[[], Awaitable[bool]], within: float = 15.0, what: str = "condition"
) -> None:
    deadline = time.monotonic() + within
    while not await cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.02)


async def test_optout_in_a_french_comment_is_confirmed_in_french(tmp_path: Path, fake: FakeReddit) -> None:
    post = fake.add_post(SUB, "amelie", *FRENCH_POST)
    async with BotProcess(make_settings(tmp_path, fake), fake, FakeEngine(REPLY)) as bot:
        mine = await _bot_comment_on(fake, bot, post)
        optout = fake.reply_to(mine, "amelie", FRENCH_OPTOUT)
        await wait_until(lambda: fake.replies_to(optout), what="the opt-out confirmed")
        assert await bot.store.get_pref(UserKey("reddit", "amelie"), OPT_PREF) is True
        # !optin in a Spanish private message: confirmed in Spanish.
        back = fake.send_dm("amelie", "Hola, perdón, ya quiero que me vuelvas a responder. !optin")
        await wait_until(lambda: fake.replies_to(back), what="the opt-in confirmed")
    [confirmation] = fake.replies_to(optout)
    assert confirmation["body"] == OPTOUT_TEXTS["fr"] + footer("fr")
    assert confirmation["body"].startswith("D'accord, je ne te répondrai plus sur Reddit.")
    assert "!optin" in confirmation["body"] and "/forget" in confirmation["body"]
    [welcome] = fake.replies_to(back)
    assert welcome["body"] == OPTIN_TEXTS["es"] + footer("es")
    assert len(bot.engine.requests) == 1  # type: ignore[attr-defined]  # only the post reached the model


async def test_a_bare_optout_is_confirmed_in_the_language_of_the_post(
    tmp_path: Path, fake: FakeReddit
) -> None:
    post = fake.add_post(SUB, "amelie", *FRENCH_POST)
    async with BotProcess(make_settings(tmp_path, fake), fake, FakeEngine(REPLY)) as bot:
        mine = await _bot_comment_on(fake, bot, post)
        optout = fake.reply_to(mine, "amelie", "!optout")
        await wait_until(lambda: fake.replies_to(optout), what="the opt-out confirmed")
        # Nothing remembered about the person, nothing in the message: English.
        stranger = fake.send_dm("zoe", "!optout")
        await wait_until(lambda: fake.replies_to(stranger), what="the second opt-out confirmed")
    assert fake.replies_to(optout)[0]["body"] == OPTOUT_TEXTS["fr"] + footer("fr")
    assert [c["body"] for c in fake.replies_to(stranger)] == [OPTOUT_TEXT + FOOTER]


async def test_localize_off_keeps_the_confirmations_english(tmp_path: Path, fake: FakeReddit) -> None:
    post = fake.add_post(SUB, "amelie", *FRENCH_POST)
    async with BotProcess(english(make_settings(tmp_path, fake)), fake, FakeEngine(REPLY)) as bot:
        mine = await _bot_comment_on(fake, bot, post)
        optout = fake.reply_to(mine, "amelie", FRENCH_OPTOUT)
        await wait_until(lambda: fake.replies_to(optout), what="the opt-out confirmed")
        back = fake.send_dm("amelie", "Hola, perdón, ya quiero que me vuelvas a responder. !optin")
        await wait_until(lambda: fake.replies_to(back), what="the opt-in confirmed")
    assert fake.replies_to(optout)[0]["body"] == OPTOUT_TEXT + FOOTER
    assert [c["body"] for c in fake.replies_to(back)] == [OPTIN_TEXT + FOOTER]


async def test_a_private_crisis_message_has_its_subject_in_the_posts_language(
    tmp_path: Path, fake: FakeReddit
) -> None:
    settings = make_settings(tmp_path, fake, crisis_reply="message")
    post = fake.add_post(SUB, "lucia", *SPANISH_CRISIS)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.sent_messages, what="the private crisis message")
        await bot.rounds(2)
    [sent] = fake.sent_messages
    assert sent["to"] == "lucia" and sent["subject"] == CRISIS_SUBJECTS["es"]
    assert sent["text"].endswith(footer("es")) and fake.replies_to(post) == []
    later = fake.add_post(SUB, "marta", *SPANISH_CRISIS)
    async with BotProcess(english(settings), fake, FakeEngine(REPLY)) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", later), what="the second crisis post answered")
    assert fake.sent_messages[-1]["to"] == "marta" and fake.sent_messages[-1]["subject"] == CRISIS_SUBJECT


async def test_a_crisis_message_that_got_through_is_found_under_its_subject_in_another_language(
    tmp_path: Path, fake: FakeReddit
) -> None:
    """Sent with the Spanish subject, its answer lost; restarted with the fixed texts in English: the
    look for it still finds it (any crisis subject to the same person counts), so it is not sent again."""
    settings = make_settings(tmp_path, fake, crisis_reply="message", send_attempts=1, retry_pending_s=3600)
    fake.fail("POST", "/api/compose", 502, takes_effect=True)
    post = fake.add_post(SUB, "rae", *SPANISH_CRISIS)
    async with BotProcess(settings, fake, FakeEngine(REPLY)) as bot:
        await wait_until(lambda: fake.count("POST", "/api/compose") == 1, what="the first try")
        await bot.rounds(2)
        assert [m.message_id for m in await bot.store.pending_incoming("reddit")] == [post]
    async with BotProcess(english(settings), fake, FakeEngine(REPLY)) as bot:
        await wait_for(lambda: bot.store.is_handled("reddit", post), what="the post marked answered")
        await bot.rounds(2)
    [sent] = fake.sent_messages
    assert sent["to"] == "rae" and sent["subject"] == CRISIS_SUBJECTS["es"]
    assert fake.count("POST", "/api/compose") == 1
