"""Platform adapters. Each module holds one platform's SDK; nothing else imports an SDK.

``build_adapter(name, settings, store)`` imports the module lazily, so a missing SDK only matters
for the platforms that are enabled.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.protocols import Adapter
    from bot.store import ConversationStore

# platform name -> (module, class, pip extra that provides its SDK)
ADAPTERS: dict[str, tuple[str, str, str]] = {
    "telegram": ("adapters.telegram", "TelegramAdapter", "telegram"),
    "discord": ("adapters.discord_adapter", "DiscordAdapter", "discord"),
    "reddit": ("adapters.reddit", "RedditAdapter", "reddit"),
}


class AdapterUnavailable(Exception):
    """The adapter cannot be built (its SDK is missing or it is not implemented)."""


def build_adapter(name: str, settings: Settings, store: ConversationStore) -> Adapter:
    try:
        module_name, class_name, extra = ADAPTERS[name]
    except KeyError:
        raise AdapterUnavailable(f"unknown platform {name!r}; known: {sorted(ADAPTERS)}") from None
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise AdapterUnavailable(
            f"the {name} adapter needs a package that is not installed ({exc.name}); "
            f"install it with: pip install -e '.[{extra}]'"
        ) from None
    cls = getattr(module, class_name)
    adapter: Adapter = cls(settings, store)
    return adapter
