"""Slash commands, answered without the model: /help /start /reset /forget /export /persona /memory /about.

Replies are in the person's language (``bot/command_texts.py``): the platform's language for them when the
adapter gives it (``message.extras["platform_language"]``), else the language of their last few messages,
else English. A command word itself ("/help") says nothing about the language.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot import command_texts as ct
from bot.command_texts import render
from bot.texts import notice_language
from bot.types import Reply, UserKey

if TYPE_CHECKING:
    from bot.dispatcher import Context, Dispatcher, Next

HELP = render(ct.HELP, None, recall_question=ct.RECALL_QUESTION)
"""The English /help text."""

RECENT_TURNS = 6
"""Stored turns read to guess the language of a command's reply (about three of the person's messages)."""

Handler = Callable[["Context", str], Awaitable[Reply]]


class CommandStep:
    """Answers commands; any other message goes on down the pipeline."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.d = dispatcher
        self.handlers: dict[str, Handler] = {
            "help": self.help,
            "start": self.start,
            "reset": self.reset,
            "forget": self.forget,
            "export": self.export,
            "persona": self.persona,
            "memory": self.memory,
            "about": self.about,
        }

    async def __call__(self, ctx: Context, call_next: Next) -> Reply | None:
        text = ctx.text
        if not text.startswith("/"):
            return await call_next(ctx)
        head, _, arg = text[1:].partition(" ")
        name = head.split("@", 1)[0].lower()  # Telegram groups send /cmd@BotName
        handler = self.handlers.get(name)
        if handler is None:
            lang = await self.language(ctx)
            return ctx.reply(render(ct.UNKNOWN_COMMAND, lang, name=name), "command")
        return await handler(ctx, arg.strip())

    async def language(self, ctx: Context) -> str | None:
        """The language of this person's command replies (None = English): the platform's language for
        them, else the one their last few messages are written in. Read before /reset, /forget or
        /memory off delete those messages."""
        localize = self.d.safety.settings.localize_safety_texts
        if not localize:
            return None
        return notice_language(
            ctx.message.extras.get("platform_language"),
            await self._recent_text(ctx.message.key),
            self.d.safety.language_of,
            localize=localize,
        )

    async def _recent_text(self, key: UserKey) -> str:
        """The person's last few messages: stored ones, or (when they are not remembered) the ones the
        split-message check keeps in memory for a few minutes."""
        turns = await self.d.store.history(key, RECENT_TURNS)
        said = [t.content for t in turns if t.role == "user"]
        if not said:
            said = self.d.recent.earlier(key)
        return "\n".join(t for t in said if not t.startswith("/"))

    async def help(self, ctx: Context, arg: str) -> Reply:
        lang = await self.language(ctx)
        return ctx.reply(render(ct.HELP, lang, recall_question=ct.recall_question(lang)), "command")

    async def start(self, ctx: Context, arg: str) -> Reply:
        persona = ctx.persona.name if ctx.persona else "friend"
        return ctx.reply(render(ct.START, await self.language(ctx), persona=persona), "command")

    async def reset(self, ctx: Context, arg: str) -> Reply:
        lang = await self.language(ctx)
        await self.d.store.reset(ctx.message.key)
        self.d.forget_in_memory(ctx.message.key)
        return ctx.reply(render(ct.RESET, lang), "command")

    async def forget(self, ctx: Context, arg: str) -> Reply:
        lang = await self.language(ctx)
        await self.d.store.forget(ctx.message.key)
        self.d.forget_in_memory(ctx.message.key)
        return ctx.reply(render(ct.FORGET, lang), "command", forgot=True)

    async def export(self, ctx: Context, arg: str) -> Reply:
        # Only the JSON, in no language: the person's own data, readable by a program.
        data = await self.d.store.export(ctx.message.key)
        return ctx.reply(json.dumps(data, ensure_ascii=False, indent=2), "command", export=True)

    async def persona(self, ctx: Context, arg: str) -> Reply:
        lang = await self.language(ctx)
        current = ctx.persona.name if ctx.persona else self.d.default_persona.name
        if not arg:
            lines = [render(ct.PERSONA_LIST, lang, current=current)]
            for p in sorted(self.d.personas.values(), key=lambda p: p.name):
                flag = "" if p.usable else render(ct.PERSONA_UNAVAILABLE, lang)
                lines.append(f"- {p.name}: {p.description}{flag}")
            lines.append(render(ct.PERSONA_HOW_TO_SWITCH, lang))
            return ctx.reply("\n".join(lines), "command")
        chosen = self.d.personas.get(arg.lower()) or self.d.personas.get(arg)
        if chosen is None:
            known = ", ".join(sorted(self.d.personas))
            return ctx.reply(render(ct.PERSONA_UNKNOWN, lang, name=repr(arg), known=known), "command")
        if not chosen.usable:
            return ctx.reply(render(ct.PERSONA_NO_CONSENT, lang, name=repr(chosen.name)), "command")
        await self.d.store.set_pref(ctx.message.key, "persona", chosen.name)
        return ctx.reply(
            render(ct.PERSONA_SWITCHED, lang, name=repr(chosen.name), description=chosen.description),
            "command",
        )

    async def memory(self, ctx: Context, arg: str) -> Reply:
        key = ctx.message.key
        lang = await self.language(ctx)
        if arg.lower() in ("off", "no", "0"):
            await self.d.store.reset(key)
            self.d.forget_in_memory(key)
            await self.d.store.set_pref(key, "remember", False)
            return ctx.reply(render(ct.MEMORY_OFF, lang), "command")
        if arg.lower() in ("on", "yes", "1"):
            await self.d.store.set_pref(key, "remember", None)  # the default is to remember
            self.d.held.clear(key)  # pieces held while not remembered are not written now
            return ctx.reply(render(ct.MEMORY_ON, lang), "command")
        state = ct.MEMORY_IS_ON if ctx.prefs.get("remember", True) else ct.MEMORY_IS_OFF
        return ctx.reply(render(state, lang), "command")

    async def about(self, ctx: Context, arg: str) -> Reply:
        lang = await self.language(ctx)
        persona = ctx.persona.name if ctx.persona else self.d.default_persona.name
        engine = self.d.describe_engine()
        clone = ""
        if ctx.persona is not None and ctx.persona.clone:
            clone = render(ct.ABOUT_CLONE, lang)
        retention = self.d.settings.memory.retention_days
        if retention:
            kept = render(ct.ABOUT_KEPT_DAYS, lang, days=retention)
        else:
            kept = render(ct.ABOUT_KEPT_UNTIL_DELETED, lang)
        text = render(ct.ABOUT, lang, engine=engine, persona=persona, clone=clone, kept=kept)
        return ctx.reply(text, "command")
