"""The command spec: each command's name, arguments, permission and help, in one place.

Everything else is generated from or checked against `SPECS`: the console's and Slack's help, the
Discord app commands (names, descriptions, typed options, choices, autocomplete), the examples
that errors carry in each platform's syntax, the README's command tables (tests/bot/test_spec.py)
and the parity test that runs every command on every platform (tests/bot/test_command_parity.py).

Adding a command: one `CommandSpec` below (every argument with a valid `example`, and an
`invalid` value where one can be typed), its handler in `handlers.py`; the tests pick it up.
The types the specs are written in (`CommandSpec`, `ArgumentSpec`, ...) are in `spec_types.py`.
"""

from __future__ import annotations

from bot.commands.spec_types import ArgumentSpec, ArgumentType, CommandSpec, Invocation
from bot.domain import Platform
from bot.texts import MAX_STORIES


def invoke(command: str, /, **values: str) -> Invocation:
    """An invocation of a spec'd command, its values put in the spec's order.

    Example:
        >>> invoke("schedule", time="09:00")
        Invocation(command='schedule', values=(('time', '09:00'),))
    """
    spec = SPECS[command]
    unknown = set(values) - {arg.name for arg in spec.arguments}
    if unknown:
        raise KeyError(f"{command} has no argument {sorted(unknown)}")
    return Invocation(
        command, tuple((arg.name, values[arg.name]) for arg in spec.arguments if arg.name in values)
    )


def command_line(invocation: Invocation) -> str:
    """An invocation as the console (and the neutral parser) takes it: `/schedule 09:00 max=8`."""
    spec = SPECS[invocation.command]
    words = [f"{spec.argument(name).prefix}{value}" for name, value in invocation.values]
    return " ".join([f"/{spec.name}", *words])


def _table(*specs: CommandSpec) -> dict[str, CommandSpec]:
    return {spec.name: spec for spec in specs}


TOPIC_WORDS = 'words, "phrases", actor:"Name", place:Name, -word, OR'

#: Every command, in the order help lists them.
SPECS = _table(
    CommandSpec(
        "digest",
        "recent stories of your subscriptions (or of a topic); since: 90m, 24h, 3d, 2w, date",
        "Recent stories of this channel's subscriptions",
        (
            ArgumentSpec(
                "topic",
                ArgumentType.TOPIC,
                f"Only stories on a topic: {TOPIC_WORDS}",
                'actor:"Joe Biden"',
            ),
            ArgumentSpec(
                "since",
                ArgumentType.SINCE,
                "How far back: 90m, 24h, 3d, 2w or a date (default 24h)",
                "48h",
                invalid="40d",
            ),
        ),
    ),
    CommandSpec(
        "subscribe",
        "follow a feed, a site's feed (found on its page; N picks one of several), or a topic: "
        + TOPIC_WORDS
        + "; only: keeps a feed's items that match a topic (again with another only: replaces it)",
        "Follow a feed, a site's feed or a topic in this channel",
        (
            ArgumentSpec(
                "target",
                ArgumentType.FEED_URL,
                "A feed URL, a site (example.com; example.com 2 picks its 2nd feed) or a topic",
                "https://example.com/world.xml",
                required=True,
                placeholder="feed-url | site [N] | topic",
                invalid="gopher://example.com/world",
            ),
            ArgumentSpec(
                "only",
                ArgumentType.TOPIC,
                'Keep only the feed\'s items on a topic: words, "phrases", actor:"Name", -word, OR',
                "climate -sport",
                placeholder="topic",
                prefix="only:",
                invalid="climate OR",
            ),
        ),
        manages=True,
    ),
    CommandSpec(
        "unsubscribe",
        "stop a subscription",
        "Stop one of this channel's subscriptions",
        (
            ArgumentSpec(
                "subscription",
                ArgumentType.SUBSCRIPTION_ID,
                "The subscription to stop (start typing to choose)",
                "3",
                required=True,
                placeholder="id",
                invalid="99",
            ),
        ),
        manages=True,
    ),
    CommandSpec(
        "subscriptions",
        "list subscriptions, with each feed's health",
        "This channel's subscriptions and their health",
        private=True,
    ),
    CommandSpec(
        "schedule",
        "when the daily digest comes, how many stories it shows, and whether they come in a "
        "thread of one message (layout:thread, the default) or in the channel (layout:inline)",
        "When this channel's daily digest comes",
        (
            ArgumentSpec(
                "time",
                ArgumentType.TIME,
                "Local time of the digest, HH:MM",
                "09:00",
                required=True,
                placeholder="HH:MM",
                invalid="25:00",
            ),
            ArgumentSpec(
                "timezone",
                ArgumentType.TIMEZONE,
                "IANA timezone, e.g. Europe/Berlin (default: as before)",
                "Europe/Berlin",
                invalid="Mars/Olympus",
            ),
            ArgumentSpec(
                "weekdays",
                ArgumentType.WEEKDAYS,
                "Days, e.g. mon-fri or mon,wed,fri (default: as before)",
                "mon-fri",
            ),
            ArgumentSpec(
                "max",
                ArgumentType.INTEGER,
                f"Most stories one digest shows, 1 to {MAX_STORIES}",
                "8",
                placeholder="N",
                prefix="max=",
                minimum=1,
                maximum=MAX_STORIES,
            ),
            ArgumentSpec(
                "layout",
                ArgumentType.CHOICE,
                "thread: one message, the stories in its thread; inline: all in the channel",
                "inline",
                prefix="layout:",
                choices=("thread", "inline"),
                invalid="sideways",
            ),
        ),
        manages=True,
    ),
    CommandSpec(
        "mode",
        "quiet: digest only; live: each story as it comes (a digest above N an hour)",
        "Digest only (quiet), or each story as it comes (live)",
        (
            ArgumentSpec(
                "mode",
                ArgumentType.CHOICE,
                "quiet: the daily digest only; live: each story as it comes",
                "live",
                required=True,
                choices=("quiet", "live"),
            ),
            ArgumentSpec(
                "limit",
                ArgumentType.INTEGER,
                f"Live: above this many stories an hour, a digest instead (1 to {MAX_STORIES})",
                "5",
                placeholder="N",
                minimum=1,
                maximum=MAX_STORIES,
                invalid="99",
            ),
        ),
        manages=True,
    ),
    CommandSpec(
        "links",
        "whether links posted in this channel get a digest in a thread",
        "Whether links posted here get a digest in a thread",
        (
            ArgumentSpec(
                "state",
                ArgumentType.CHOICE,
                "on: links posted in this channel get a digest; off: none",
                "off",
                required=True,
                choices=("on", "off"),
                invalid="maybe",
            ),
        ),
        manages=True,
    ),
    CommandSpec(
        "import-opml",
        "follow every feed of an OPML file: attach it (on Slack: share it first), or give its URL",
        "Follow every feed of an OPML file here",
        (
            ArgumentSpec(
                "file",
                ArgumentType.FILE,
                "An OPML file (.opml) to import",
                "feeds.opml",
                placeholder="path",
            ),
            ArgumentSpec(
                "url",
                ArgumentType.URL,
                "Or the http(s) URL of an OPML file",
                "https://example.com/subs.opml",
                placeholder="URL",
                invalid="http://127.0.0.1/subs.opml",  # the SSRF guard refuses loopback
            ),
        ),
        manages=True,
        either=True,
    ),
    CommandSpec(
        "export-opml",
        "your feeds as an OPML file",
        "This channel's feeds as an OPML file",
        private=True,
    ),
    CommandSpec(
        "help",
        "this list, or one command's usage",
        "What the bot's commands do, with examples",
        (
            ArgumentSpec(
                "command",
                ArgumentType.COMMAND,
                "One command to explain",
                "schedule",
                invalid="nope",
            ),
        ),
        private=True,
    ),
)


def on(platform: Platform) -> list[CommandSpec]:
    """The commands that can be run on `platform`, in help's order."""
    return [spec for spec in SPECS.values() if platform in spec.platforms]
