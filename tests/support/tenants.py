"""Two tenants' news for the isolation tests (issue 17): A's private site and B's site.

Tenant A follows a feed on a private host (`private_site`, served on 127.0.0.1 and let through
the SSRF guard only by the allow list); tenant B follows its own feed (`public_site`) and the
topic `TOPIC`, which every story of A's matches and none of B's does. `FERRY` is A's next story,
`MARKET_A` (samples) B's, for live mode.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.newssite import NewsSite, SiteItem
from tests.support.samples import BRIDGE_A, CHOIR_A, MARKET_A

NOW = datetime(2024, 1, 5, 10, 0, tzinfo=UTC)  # after the 09:00 digests: none falls due here
TOPIC = "Lindmoor"
ALLOW_LOOPBACK = "127.0.0.1"  # NEWSDIGEST_ALLOW_HOSTS for both sites
FERRY = """The harbour ferry of Lindmoor returned to service on Tuesday after a winter in dry \
dock at the Esker yard. Harbour master Tomas Lind said the new engines cut the crossing to \
eleven minutes. Commuters from the islands had used a replacement boat since November. The city \
paid 1.8 million euros for the refit, a third less than planned. Tickets keep their old prices \
until the summer timetable starts in May, the harbour office said."""


def item(slug: str, title: str, text: str, published: datetime = NOW) -> SiteItem:
    """A site item published an hour before `published`."""
    return SiteItem(slug, title, text, published - timedelta(hours=1))


def private_site() -> NewsSite:
    """A's intranet: one story on the Esker bridge of Lindmoor."""
    return NewsSite("Lindmoor intranet", [item("bridge", "Esker bridge shut", BRIDGE_A)])


def public_site() -> NewsSite:
    """B's own news site: one story on a choir of Halden."""
    return NewsSite("Halden news", [item("choir", "Halden choir wins", CHOIR_A)])


def publish_next(a: NewsSite, b: NewsSite) -> None:
    """A's ferry story and B's coffee story appear on their sites an hour from now."""
    later = NOW + timedelta(hours=1)
    a.publish(item("ferry", "Lindmoor ferry back", FERRY, later))
    b.publish(item("coffee", "Sorel coffee", MARKET_A, later))


def leaks(secrets: tuple[str, ...], seen: str) -> list[str]:
    """The secrets of A that show in what B was sent."""
    return [secret for secret in secrets if secret in seen]
