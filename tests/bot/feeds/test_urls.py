"""URL canonicalisation: the same article under one spelling."""

from __future__ import annotations

import pytest

from bot.feeds.urls import canonical_url, page_canonical_url


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://News.Example:443/a?utm_source=x&id=7#top", "https://news.example/a?id=7"),
        ("http://news.example:80", "http://news.example/"),
        ("http://news.example:8080/a", "http://news.example:8080/a"),
        ("https://news.example/a?fbclid=1&gclid=2&utm_medium=rss", "https://news.example/a"),
        ("https://news.example/a?b=2&a=1&UTM_Campaign=z", "https://news.example/a?b=2&a=1"),
        ("https://news.example/a?q=&page=2", "https://news.example/a?q=&page=2"),
        ("https://news.example./a", "https://news.example/a"),
        ("https://[2001:db8::1]:443/a", "https://[2001:db8::1]/a"),
        ("  https://news.example/a  ", "https://news.example/a"),
    ],
)
def test_canonical_spelling(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


@pytest.mark.parametrize(
    "unchanged", ["examples/iraq-us-troops.txt", "file:///tmp/a.xml", "http://[::1/", "mailto:a@b"]
)
def test_non_web_strings_are_left_alone(unchanged: str) -> None:
    assert canonical_url(unchanged) == unchanged


def test_the_page_names_its_canonical_url() -> None:
    page = (
        '<html><head><link rel="stylesheet" href="/s.css">'
        '<link rel="Canonical" href="/world/story-1?utm_source=feed"></head><body></body></html>'
    )
    found = page_canonical_url(page, "https://news.example/amp/story-1?x=1")
    assert found == "https://news.example/world/story-1"


def test_pages_without_one_or_with_a_bad_one_give_none() -> None:
    assert page_canonical_url("<html><head></head></html>", "https://news.example/a") is None
    bad = '<link rel="canonical" href="javascript:alert(1)">'
    assert page_canonical_url(bad, "https://news.example/a") is None
    assert page_canonical_url('<link rel="canonical">', "https://news.example/a") is None
