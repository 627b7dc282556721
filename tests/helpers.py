"""Small helpers shared by the page tests."""

import re
from html import unescape

# Headers of an HTMX request that swaps one region of a page.
HX = {"HTTP_HX_REQUEST": "true"}


def text_of(html: str) -> str:
    """The visible text of an HTML fragment, whitespace folded: what a reader sees."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
