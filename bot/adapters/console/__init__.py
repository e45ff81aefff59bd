"""The console adapter: chat with the bot in a terminal, no platform token needed."""

from bot.adapters.console.chat import CONSOLE, ConsoleChat, ConsolePublisher

__all__ = ["CONSOLE", "ConsoleChat", "ConsolePublisher"]
