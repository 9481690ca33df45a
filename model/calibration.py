"""Two short built-in conversations for the engine's int8 matmuls (``model.int8_matmuls``).

``CALIBRATION`` sets the smoothing of each weight matrix (which input channels run large);
``CHECK``, a different conversation, is read with and without the int8 matmuls, and they stay on only
if the top pick agrees often enough (model/fastpath.py, ``FastDecoder.use_int8_matmuls``). Both are
chats of the kind the bot serves, under a companion's system prompt; neither is the benchmark's text.
"""

from __future__ import annotations

from typing import Any

from bot.types import ChatTurn

_SYSTEM = (
    "You are a warm, honest chat companion. You are a bot, and you say so when asked. Keep replies "
    "short and kind, ask one gentle question at a time, and never pretend to be a person."
)

CALIBRATION: tuple[ChatTurn, ...] = (
    ChatTurn("system", _SYSTEM),
    ChatTurn("user", "hey. long day. my manager moved the deadline up again and I'm so tired"),
    ChatTurn(
        "assistant",
        "That sounds exhausting, especially when the goalposts keep moving. What's weighing on you most "
        "right now, the work itself or how little time you have?",
    ),
    ChatTurn("user", "the time mostly. I haven't seen my friends in two weeks and I skipped the gym"),
    ChatTurn(
        "assistant",
        "Two weeks is a long stretch without the people and things that recharge you. Is there one small "
        "thing you could keep this week, even a short walk or a call with a friend?",
    ),
    ChatTurn("user", "maybe I could call my sister on Sunday. she always makes me laugh"),
    ChatTurn(
        "assistant",
        "That sounds like a lovely plan. Sisters who make us laugh are worth their weight in gold. What "
        "do you two usually end up talking about?",
    ),
    ChatTurn("user", "our dog Biscuit, football, and whatever terrible film she watched last. 3 hours, lol"),
)

CHECK: tuple[ChatTurn, ...] = (
    ChatTurn("system", _SYSTEM),
    ChatTurn("user", "I failed my driving test this morning. second time. feel like an idiot tbh"),
    ChatTurn(
        "assistant",
        "I'm sorry, that's really disappointing, and it makes sense to feel low about it. Failing a test "
        "twice doesn't make you an idiot; lots of good drivers needed three or four tries. What happened?",
    ),
    ChatTurn("user", "I panicked at a roundabout and the examiner had to brake. my hands were shaking"),
    ChatTurn(
        "assistant",
        "Roundabouts are stressful, and nerves on the day can undo weeks of practice. Did your instructor "
        "say anything afterwards about what to work on?",
    ),
    ChatTurn("user", "she said my driving is fine, it's the nerves. I booked another one for March 12th"),
    ChatTurn(
        "assistant",
        "That's good news hiding in there: the skills are there already. Some people find it helps to "
        "practise the exact test routes a few times. Would that be possible for you before March?",
    ),
    ChatTurn("user", "yeah my dad said he'd take me out on weekends. are you a real person btw?"),
)


def calibration_ids(builder: Any) -> tuple[list[int], list[int]]:
    """The two conversations as prompt token ids for ``builder`` (a :class:`model.prompt.PromptBuilder`)."""
    return builder.build(CALIBRATION, 4096).ids, builder.build(CHECK, 4096).ids
