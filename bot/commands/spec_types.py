"""The types a command spec is written in: commands, their arguments, and invocations of them.

`bot/commands/spec.py` writes every command (`SPECS`) in these; each platform reads them to
build its own commands, usage lines and examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Platform

EVERYWHERE = frozenset(Platform)


class ArgumentType(StrEnum):
    """What an argument's value is; each platform maps it to its own kind of option."""

    TEXT = "text"
    INTEGER = "integer"
    FEED_URL = "feed_url"  # a feed's URL, a site (`example.com 2`) or, for subscribe, a topic
    TOPIC = "topic"
    SINCE = "since"
    TIME = "time"
    TIMEZONE = "timezone"
    WEEKDAYS = "weekdays"
    SUBSCRIPTION_ID = "subscription_id"
    FILE = "file"  # sent with the command: a path on the console, an attachment on Discord
    URL = "url"  # an http(s) URL of a document the bot downloads (an OPML list)
    CHOICE = "choice"
    COMMAND = "command"


@dataclass(frozen=True)
class ArgumentSpec:
    """One argument of a command.

    Attributes:
        name: Its name: the Discord option's, and the placeholder unless `placeholder` is set.
        type: What its value is.
        description: One line (at most 100 characters: Discord's limit for an option).
        example: A value the command accepts, shown in examples.
        required: Whether the command needs it.
        placeholder: How usage lines name the value ("HH:MM"); `choices` or `name` if empty.
        prefix: Typed before the value on a command line (`max=` of `max=8`).
        choices: The only values it takes (a CHOICE).
        minimum: The least value of an INTEGER.
        maximum: The greatest value of an INTEGER.
        invalid: A value of the right shape that the command refuses (the parity test types it).
    """

    name: str
    type: ArgumentType
    description: str
    example: str
    required: bool = False
    placeholder: str = ""
    prefix: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    invalid: str | None = None

    @property
    def shown(self) -> str:
        """The value's name in usage lines: "HH:MM", "quiet | live", "topic"."""
        return self.placeholder or " | ".join(self.choices) or self.name


@dataclass(frozen=True)
class Invocation:
    """A command with argument values, platform-neutral: each platform writes it its own way.

    Attributes:
        command: The command's name.
        values: (argument name, value) pairs, in the spec's argument order.
    """

    command: str
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CommandSpec:
    """A command: what it is called, takes, needs and does.

    Attributes:
        name: What users type ("schedule").
        summary: What it does, for help (one line, no final full stop).
        brief: What it does in at most 100 characters (a Discord command's description).
        arguments: Its arguments, required ones first, in the order a command line takes them.
        manages: It changes what the channel receives: only users who may manage the channel
            run it.
        private: Its answer goes to the asker alone even where answers are public (Discord).
        platforms: Where it can be run.
        either: Its arguments are alternatives, exactly one of which is given (import-opml: a
            file or a URL); a command line takes that one value in their place.
    """

    name: str
    summary: str
    brief: str
    arguments: tuple[ArgumentSpec, ...] = ()
    manages: bool = False
    private: bool = False
    platforms: frozenset[Platform] = EVERYWHERE
    either: bool = False

    @property
    def usage(self) -> str:
        """The console's usage line without its slash: "schedule <HH:MM> [timezone]"."""
        return self.usage_of(self.arguments)

    def usage_of(self, arguments: tuple[ArgumentSpec, ...]) -> str:
        """A usage line naming only `arguments` (a platform may take some otherwise).

        Alternatives (`either`) are one word, `<path | URL>`, needed only while all are named.
        """
        if not self.either or not arguments:
            return " ".join([self.name, *(usage_word(arg) for arg in arguments)])
        word = " | ".join(f"{arg.prefix}{arg.shown}" for arg in arguments)
        whole = len(arguments) == len(self.arguments)
        return f"{self.name} <{word}>" if whole else f"{self.name} [{word}]"

    @property
    def example(self) -> Invocation:
        """The command with every argument's example value.

        Of alternatives (`either`), only the first that is typed rather than sent (not a FILE):
        every platform can type it.
        """
        if self.either:
            typed = next(arg for arg in self.arguments if arg.type is not ArgumentType.FILE)
            return Invocation(self.name, ((typed.name, typed.example),))
        return Invocation(self.name, tuple((arg.name, arg.example) for arg in self.arguments))

    def invalid_examples(self) -> list[Invocation]:
        """One invocation per argument with an `invalid` value: it, plus the required examples."""
        return [
            Invocation(self.name, self._values_with(bad.name, bad.invalid))
            for bad in self.arguments
            if bad.invalid is not None
        ]

    def _values_with(self, name: str, value: str) -> tuple[tuple[str, str], ...]:
        return tuple(
            (arg.name, value if arg.name == name else arg.example)
            for arg in self.arguments
            if arg.required or arg.name == name
        )

    def argument(self, name: str) -> ArgumentSpec:
        """The argument called `name` (KeyError if there is none)."""
        for arg in self.arguments:
            if arg.name == name:
                return arg
        raise KeyError(f"{self.name} has no argument {name!r}")


def usage_word(arg: ArgumentSpec) -> str:
    """One argument in a console usage line: `<HH:MM>`, `[since]`, `[max=N]`."""
    word = f"{arg.prefix}{arg.shown}"
    return f"<{word}>" if arg.required else f"[{word}]"
