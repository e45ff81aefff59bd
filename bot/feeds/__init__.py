"""The only place the bot reaches the web (issue 3).

guard.py       the SSRF guard: http(s) only, one DNS answer checked and pinned, no private targets
http.py        the one outbound HTTP seam: timeouts, byte caps, bounded decompression, redirects
politeness.py  per-host concurrency and Retry-After waits shared by every feed on a host
parse.py       RSS 0.9x/1.0/2.0 and Atom through feedparser on fetched bytes, JSON Feed by hand
articles.py    article pages, decoded whatever their charset claims
urls.py        URL canonicalisation and a page's <link rel="canonical">
source.py      HttpFeedSource, the FeedSource port over all of the above
"""
