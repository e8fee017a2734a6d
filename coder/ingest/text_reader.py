"""Read plain text and Markdown: blank lines separate blocks; '#' lines and numbered short lines are headings."""

from __future__ import annotations

import re

from coder.ingest.lines import Block
from coder.ingest.normalise import clean

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_NUMBERED_HEADING = re.compile(r"^(?:(?:section|part|appendix)\s+)?(\d{1,2}(?:\.\d{1,2}){0,2})[.:]?\s+[A-Z]", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


def read_text(data: bytes) -> list[Block]:
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(_BULLET.match(ln) for ln in lines) and len(lines) > 1:
            blocks.extend(Block("list_item", clean(ln)) for ln in lines)
            continue
        joined = clean(" ".join(ln.strip() for ln in lines))
        blocks.append(_classify(joined, len(lines)))
    return blocks


def _classify(text: str, line_count: int) -> Block:
    markdown = _MARKDOWN_HEADING.match(text)
    if markdown:
        return Block("heading", markdown.group(2).strip(), level=len(markdown.group(1)), how="markdown #")
    words = len(text.split())
    numbered = _NUMBERED_HEADING.match(text)
    if line_count == 1 and words <= 12 and not text.endswith((".", ",", ";")):
        if numbered:
            return Block("heading", text, level=numbered.group(1).count(".") + 1, how="numbering")
        letters = [c for c in text if c.isalpha()]
        if len(letters) >= 3 and all(c.isupper() for c in letters):
            return Block("heading", text, level=1, how="all capitals")
    if _BULLET.match(text) and not numbered:
        return Block("list_item", text)
    return Block("paragraph", text)
