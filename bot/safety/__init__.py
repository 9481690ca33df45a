"""Safety for people who may be young, sad or in danger: crisis detection on incoming messages,
checks on every reply before it is sent, and the fixed crisis / fallback / honesty texts.

See docs/safety.md for what is detected, the measured figures, and how to configure it.
"""

from bot.safety.evaluation import run_eval
from bot.safety.policy import IncomingCheck, ReplyCheck, SafetyPolicy

__all__ = ["IncomingCheck", "ReplyCheck", "SafetyPolicy", "run_eval"]
