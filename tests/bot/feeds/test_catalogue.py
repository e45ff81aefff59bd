"""NEWSDIGEST_CATALOG: an OPML file's feeds, or URLs separated by commas or lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.feeds.catalogue import CatalogueError, read_catalogue
from bot.feeds.opml import StdlibOpml

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_a_list_of_urls_in_order_without_repeats() -> None:
    value = " https://a.example/rss,https://b.example/atom.xml\nhttps://a.example/rss,, \n"
    assert read_catalogue(value, StdlibOpml()) == [
        "https://a.example/rss",
        "https://b.example/atom.xml",
    ]
    assert read_catalogue("", StdlibOpml()) == []


def test_an_opml_file_names_its_feeds() -> None:
    urls = read_catalogue(str(EXAMPLES / "catalog.opml"), StdlibOpml())
    assert urls == ["examples/feeds/science.xml"]
    assert all((EXAMPLES.parent / url).is_file() for url in urls)


def test_a_missing_or_broken_opml_file_is_one_line_with_an_example(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogueError, match=r"cannot read .*missing.opml.*e\.g\. NEWSDIGEST_CATALOG="
    ):
        read_catalogue(str(tmp_path / "missing.opml"), StdlibOpml())
    broken = tmp_path / "broken.opml"
    broken.write_text("<rss/>", encoding="utf-8")
    with pytest.raises(CatalogueError, match="is not an OPML list: the root element is <rss>"):
        read_catalogue(str(broken), StdlibOpml())
