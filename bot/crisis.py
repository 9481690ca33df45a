"""The learned crisis classifier as the core sees it: a protocol, and where it is built.

The rules in ``bot/safety/crisis.py`` decide first; when they find no crisis, the dispatcher asks the
classifier (``SafetyInStep``). The implementation (``model/crisis_classifier.py``) needs torch, so it
is imported lazily here and nowhere else in ``bot``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.config import ConfigError

if TYPE_CHECKING:
    from bot.config import SafetySettings

log = logging.getLogger(__name__)

REASON = "crisis.classifier"
"""Reason code for messages that only the classifier flagged."""

CONTEXT_REASON = "crisis.context"
"""Reason code for a message that is a crisis only when read after the person's last few messages
("i want to" + "die"; ``Dispatcher.check_in_context``)."""

CHECKIN_REASON = "crisis.checkin"
"""Reason code for the gentle check-in: no crisis, but the classifier's score is at least
``safety.checkin_threshold`` (and under its crisis threshold). The model answers; a short line with
the region's crisis line is appended."""

TIMEOUT_S = 2.0
"""How long the dispatcher waits for a score before it goes on with the rules' verdict alone..."""

TIMEOUT_PER_1000_CHARS_S = 1.0
"""...plus this per 1,000 characters: the classifier reads a long message window by window (~0.33 s
per 1,000 characters on the 2-core machine the project is measured on), and a long post is exactly
where a person may explain what they are going through; a slower machine must not lose the second
opinion on it. A 4,000-character message waits up to 6 s."""


def timeout_for(text: str) -> float:
    """How long to wait for the classifier's score of ``text``."""
    return TIMEOUT_S + TIMEOUT_PER_1000_CHARS_S * len(text) / 1000


LOAD_TIMEOUT_S = 30.0
"""The same while the classifier says it is not ``ready`` yet (its model is still loading)."""


@runtime_checkable
class CrisisScorer(Protocol):
    threshold: float
    """A message is a crisis when ``await score(text) >= threshold``."""

    async def score(self, text: str) -> float:
        """Probability-like score in [0, 1]; must not block the event loop."""
        ...


@runtime_checkable
class CrisisClassifierService(CrisisScorer, Protocol):
    """What ``open_app`` runs: a scorer with a lifecycle (the model loads in its own thread)."""

    async def start(self) -> None:
        """Begin loading; returns at once."""
        ...

    async def wait_ready(self) -> None:
        """Wait for the load to finish; raises its error if it failed."""
        ...

    async def close(self) -> None: ...


def create_crisis_classifier(settings: SafetySettings) -> CrisisClassifierService | None:
    """The classifier ``[safety] classifier`` asks for, or None when it is switched off.

    Building it is cheap (the head file is read, the embedding package is located); the embedding
    model loads on ``start()`` in the classifier's own worker thread. A missing package or head file
    is a ``ConfigError`` that says how to fix it.
    """
    if not settings.classifier:
        return None
    from model.crisis_classifier import CrisisClassifier, CrisisClassifierError  # torch lives here

    try:
        return CrisisClassifier()
    except CrisisClassifierError as exc:
        raise ConfigError(f"[safety] classifier = true, but {exc}") from None
