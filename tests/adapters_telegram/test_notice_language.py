"""Telegram's notices in the person's language, through the real python-telegram-bot client against the
fake Bot API: the notice to a stranger (someone not in ``allowed_users``) follows their app's
``language_code``, else the language of their message; a sticker from someone served gets the notice
for a message without text in their language. ``safety.localize_safety_texts = false`` keeps both English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.telegram import STRANGER_TEXT
from bot.dispatcher import EMPTY_TEXT
from bot.texts import EMPTY_TEXTS, STRANGER_TEXTS
from tests.adapters_telegram.fake_telegram import FakeTelegram
from tests.adapters_telegram.harness import BotProcess, make_settings
from tests.fakes import FakeEngine

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ALLOWED = 21


def sender(user_id: int, language_code: str | None = None) -> dict[str, Any]:
    """The ``from`` of a private message, with the language the person's Telegram app is set to."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
    if language_code is not None:
        user["language_code"] = language_code
    return {"from": user}


def sticker() -> dict[str, Any]:
    """What a sticker carries besides the chat and the sender: no text, no caption."""
    return {
        "sticker": {
            "file_id": "CAACAgIAAxkBAAE",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    }


async def test_a_spanish_stranger_gets_the_notice_in_spanish(tmp_path: Path, fake: FakeTelegram) -> None:
    engine = FakeEngine("Hi friend.")
    async with BotProcess(make_settings(tmp_path, fake, allowed_users=[ALLOWED]), engine):
        fake.push_private(22, "hello?", **sender(22, "es"))  # the app's language, whatever they write
        fake.push_private(22, "hola otra vez", **sender(22, "es"))  # one notice per run
        fake.push_private(
            23, "bonjour, je voudrais te parler un peu ce soir", **sender(23)
        )  # no language_code
        fake.push_private(24, "hi, can we talk?", **sender(24, "pt-BR"))
        fake.push_private(25, "hi, can we talk?", **sender(25, "en"))
        fake.push_private(26, "안녕하세요", **sender(26, "ko"))  # no translations for Korean: English
        fake.push_private(ALLOWED, "sync point")
        await fake.wait_for(lambda: len(fake.sent_to(ALLOWED)) == 1)
        await fake.wait_for(lambda: all(fake.sent_to(u) for u in (22, 23, 24, 25, 26)))
    assert fake.sent_to(22) == [STRANGER_TEXTS["es"]]
    assert STRANGER_TEXTS["es"].startswith("¡Hola! Este es un bot de Kindred privado")
    assert fake.sent_to(23) == [STRANGER_TEXTS["fr"]]
    assert fake.sent_to(24) == [STRANGER_TEXTS["pt"]]
    assert fake.sent_to(25) == [STRANGER_TEXT]
    assert fake.sent_to(26) == [STRANGER_TEXT]
    assert [r.messages[-1].content for r in engine.requests] == ["sync point"]


async def test_a_sticker_gets_the_no_text_notice_in_the_app_language(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    engine = FakeEngine("That sounds like a long day.")
    async with BotProcess(make_settings(tmp_path, fake), engine):
        fake.push_private(31, None, **sender(31, "de"), **sticker())  # type: ignore[arg-type]
        await fake.wait_for(lambda: len(fake.sent_to(31)) == 1)
        # No language_code: the language of what they wrote before.
        fake.push_private(
            32, "ich habe heute meine Prüfung geschrieben und bin jetzt total müde", **sender(32)
        )
        await fake.wait_for(lambda: len(fake.sent_to(32)) == 1)
        fake.push_private(32, None, **sender(32), **sticker())  # type: ignore[arg-type]
        await fake.wait_for(lambda: len(fake.sent_to(32)) == 2)
    assert fake.sent_to(31) == [EMPTY_TEXTS["de"]]
    assert fake.sent_to(32)[1] == EMPTY_TEXTS["de"]
    assert [r.messages[-1].content for r in engine.requests] == [
        "ich habe heute meine Prüfung geschrieben und bin jetzt total müde"
    ]


async def test_localize_off_keeps_the_notices_english(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path, fake, allowed_users=[ALLOWED])
    settings.safety.localize_safety_texts = False
    async with BotProcess(settings, FakeEngine("Hi.")):
        fake.push_private(22, "hola, ¿puedo hablar contigo un rato esta noche?", **sender(22, "es"))
        fake.push_private(ALLOWED, None, **sender(ALLOWED, "es"), **sticker())  # type: ignore[arg-type]
        await fake.wait_for(lambda: fake.sent_to(22) and fake.sent_to(ALLOWED))
    assert fake.sent_to(22) == [STRANGER_TEXT]
    assert fake.sent_to(ALLOWED) == [EMPTY_TEXT]
