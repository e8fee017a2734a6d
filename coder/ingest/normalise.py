"""Character-level clean-up shared by every reader."""

from __future__ import annotations

import re

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij",
}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\x0b\x0c"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\x00\x01\x03"), None)
# PDFium reports a hyphen it takes for a line-break hyphen as U+FFFE.
_TABLE = {**{ord(k): v for k, v in _LIGATURES.items()}, **_SPACES, **_INVISIBLE, 0xFFFE: "-"}
_MULTISPACE = re.compile(r" {2,}")


def clean(text: str) -> str:
    """Replace ligatures and odd spaces, drop invisible characters, collapse runs of spaces."""
    return _MULTISPACE.sub(" ", text.translate(_TABLE)).strip()


# Words that keep their hyphen when a line breaks after it ("multi-" + "agency").
_COMPOUND_PREFIXES = frozenset(
    "multi non co self well cross pre post inter sub anti semi long short full part step half over "
    "under child school single risk family face follow ex re-run one two three four five six seven "
    "eight nine ten low high mid sub-regional joint case age court place place-based".split()
)


def join_hyphenated(left: str, right: str, vocabulary: set[str]) -> str | None:
    """Join two lines split after a hyphen; None when ``left`` does not end in a hyphen.

    The document's own vocabulary decides first (if "safeguarding" occurs unbroken elsewhere,
    "safe-" + "guarding" is rejoined without the hyphen); common compound prefixes keep it.
    """
    if left.endswith(("\u00ad", "\x02")):
        return left[:-1] + right
    if not left.endswith("-") or len(left) < 2 or not left[-2].isalpha() or not right[:1].isalpha():
        return None
    head = re.findall(r"[A-Za-z]+$", left[:-1])
    tail = re.findall(r"^[A-Za-z]+", right)
    if not head or not tail:
        return None
    joined = (head[0] + tail[0]).lower()
    if right[:1].isupper() or f"{head[0]}-{tail[0]}".lower() in vocabulary:
        return left + right
    if joined in vocabulary or head[0].lower() not in _COMPOUND_PREFIXES:
        return left[:-1] + right
    return left + right
