"""The only place the bot reaches the web: the SSRF guard, URL canonicalisation (issue 3)."""
