"""Slash commands, answered without the model: /help /start /reset /forget /export /persona /memory /about."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.types import Reply

if TYPE_CHECKING:
    from bot.dispatcher import Context, Dispatcher, Next

HELP = """I'm Kindred, an AI chat companion (a bot, not a person). Just write to me. Commands:
/help – this list
/about – what I am, which model I run, and how your data is kept
/persona – list personas; /persona NAME switches to one
/reset – forget our current conversation (keeps your settings)
/memory off – stop remembering our conversations; /memory on to turn it back on
/export – everything stored about you, as JSON
/forget – delete everything stored about you
Ask "what do you remember about me?" to see the few facts I keep (your name, an exam coming up...)."""

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
            return ctx.reply(
                f"I don't know the command /{name}. Send /help to see what I understand.", "command"
            )
        return await handler(ctx, arg.strip())

    async def help(self, ctx: Context, arg: str) -> Reply:
        return ctx.reply(HELP, "command")

    async def start(self, ctx: Context, arg: str) -> Reply:
        persona = ctx.persona.name if ctx.persona else "friend"
        text = (
            "Hi! I'm Kindred, an AI chat companion. I'm a bot, not a person, but I'm here to listen and "
            f"cheer you on (right now as the '{persona}' persona). I remember our conversation so I can "
            "follow along; /forget deletes everything and /help lists what else I can do. "
            "If you're ever in danger, please contact local emergency services. What's on your mind?"
        )
        return ctx.reply(text, "command")

    async def reset(self, ctx: Context, arg: str) -> Reply:
        await self.d.store.reset(ctx.message.key)
        self.d.forget_in_memory(ctx.message.key)
        return ctx.reply("Done, I've forgotten our conversation so far. Let's start fresh.", "command")

    async def forget(self, ctx: Context, arg: str) -> Reply:
        await self.d.store.forget(ctx.message.key)
        self.d.forget_in_memory(ctx.message.key)
        return ctx.reply(
            "Done. I've deleted everything I had stored about you: our conversations and your settings.",
            "command",
            forgot=True,
        )

    async def export(self, ctx: Context, arg: str) -> Reply:
        data = await self.d.store.export(ctx.message.key)
        return ctx.reply(json.dumps(data, ensure_ascii=False, indent=2), "command", export=True)

    async def persona(self, ctx: Context, arg: str) -> Reply:
        current = ctx.persona.name if ctx.persona else self.d.default_persona.name
        if not arg:
            lines = [f"Personas (current: {current}):"]
            for p in sorted(self.d.personas.values(), key=lambda p: p.name):
                flag = "" if p.usable else " (unavailable: cloned voice without consent)"
                lines.append(f"- {p.name}: {p.description}{flag}")
            lines.append("Switch with /persona NAME.")
            return ctx.reply("\n".join(lines), "command")
        chosen = self.d.personas.get(arg.lower()) or self.d.personas.get(arg)
        if chosen is None:
            return ctx.reply(
                f"There is no persona called {arg!r}. Known: {', '.join(sorted(self.d.personas))}.", "command"
            )
        if not chosen.usable:
            return ctx.reply(
                f"The persona {chosen.name!r} is a cloned voice and its config does not say that consent "
                "was given, so I won't use it.",
                "command",
            )
        await self.d.store.set_pref(ctx.message.key, "persona", chosen.name)
        return ctx.reply(f"Switched to the {chosen.name!r} persona: {chosen.description}", "command")

    async def memory(self, ctx: Context, arg: str) -> Reply:
        key = ctx.message.key
        if arg.lower() in ("off", "no", "0"):
            await self.d.store.reset(key)
            self.d.forget_in_memory(key)
            await self.d.store.set_pref(key, "remember", False)
            return ctx.reply(
                "OK, I won't remember our conversations from now on (and I've cleared what I had). "
                "Each message will be answered on its own. /memory on turns memory back on.",
                "command",
            )
        if arg.lower() in ("on", "yes", "1"):
            await self.d.store.set_pref(key, "remember", None)  # the default is to remember
            self.d.held.clear(key)  # pieces held while not remembered are not written now
            return ctx.reply("OK, I'll remember our conversation again.", "command")
        state = "on" if ctx.prefs.get("remember", True) else "off"
        return ctx.reply(f"Memory is {state}. Use /memory on or /memory off.", "command")

    async def about(self, ctx: Context, arg: str) -> Reply:
        persona = ctx.persona.name if ctx.persona else self.d.default_persona.name
        engine = self.d.describe_engine()
        clone = ""
        if ctx.persona is not None and ctx.persona.clone:
            clone = (
                " This persona imitates a real person's writing style, with their consent; it is still a bot."
            )
        retention = self.d.settings.memory.retention_days
        kept = f"for {retention} days" if retention else "until you delete it"
        text = (
            "I'm Kindred, an AI chat bot, not a human. "
            f"I generate replies with a language model ({engine}) using the '{persona}' persona.{clone} "
            "I can be wrong, and I'm not a therapist or an emergency service. "
            "What you write is stored in a database on the machine of whoever runs this bot, so I can "
            f"remember our conversation; it is kept {kept}. "
            "/export shows everything stored about you, /forget deletes it, and /memory off stops me "
            "remembering. Message text is not written to logs."
        )
        return ctx.reply(text, "command")
