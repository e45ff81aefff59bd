"""OPML subscription lists read and written with the standard library (no DTDs, no entities).

A feed's filter travels in an attribute of the project's own namespace (`newsdigest:only`):
other readers ignore it, and an import restores it.
"""

from __future__ import annotations

from xml.etree import ElementTree

from bot.ports import OpmlError, OpmlOutline

NAMESPACE = "https://newsdigest.invalid/opml"
ONLY = f"{{{NAMESPACE}}}only"
ElementTree.register_namespace("newsdigest", NAMESPACE)  # written as xmlns:newsdigest=...


class StdlibOpml:
    """The OpmlCodec port on xml.etree; documents declaring a DOCTYPE are refused outright."""

    def parse(self, document: str) -> list[OpmlOutline]:
        """Every outline with an xmlUrl, in document order, without repeats.

        Raises:
            OpmlError: When the document is not OPML.
        """
        if "<!doctype" in document.lower() or "<!entity" in document.lower():
            raise OpmlError("documents with a DOCTYPE or entities are refused")
        try:
            root = ElementTree.fromstring(document)
        except ElementTree.ParseError as error:
            raise OpmlError(f"not well-formed XML ({error})") from error
        if root.tag.lower() != "opml":
            raise OpmlError(f"the root element is <{root.tag}>, not <opml>")
        return _outlines(root)

    def render(self, outlines: list[OpmlOutline], title: str) -> str:
        """An OPML 2.0 document listing the feeds."""
        root = ElementTree.Element("opml", version="2.0")
        ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = title
        body = ElementTree.SubElement(root, "body")
        for outline in outlines:
            name = outline.title or outline.url
            node = ElementTree.SubElement(
                body, "outline", type="rss", text=name, title=name, xmlUrl=outline.url
            )
            if outline.only:
                node.set(ONLY, outline.only)
        ElementTree.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
            root, encoding="unicode"
        )


def _outlines(root: ElementTree.Element) -> list[OpmlOutline]:
    found: dict[str, OpmlOutline] = {}
    for node in root.iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if url and url not in found:
            found[url] = OpmlOutline(url, node.get("title") or node.get("text"), node.get(ONLY))
    if not found:
        raise OpmlError("no outline has an xmlUrl")
    return list(found.values())
