"""The Downloads port over the guarded HTTP seam: one document by URL, capped, never a feed."""

from __future__ import annotations

from bot.feeds.http import HttpFetcher


class HttpDownloads:
    """Downloads through an HttpFetcher, and so through its SSRF guard and byte cap."""

    def __init__(self, fetcher: HttpFetcher) -> None:
        """Fetch through `fetcher`."""
        self.fetcher = fetcher

    async def download(self, url: str, limit: int, authorization: str | None = None) -> bytes:
        """The body of `url`, at most `limit` bytes (raises FeedError, BodyTooLargeError)."""
        result = await self.fetcher.get(url, max_bytes=limit, authorization=authorization)
        return result.body
