"""Give each section a canonical type from its heading wording, with fallbacks by position."""

from __future__ import annotations

import re

from coder.types import SectionType

# Checked by where the keyword first occurs in the heading, so "Good practice and learning" is
# good practice and "Learning and good practice" is learning.
_KEYWORDS: dict[SectionType, tuple[str, ...]] = {
    "front_matter": (
        "contents", "foreword", "preface", "title page", "acknowledg*", "document control",
        "version control", "dedication", "in memory",
    ),
    "introduction": (
        "introduction", "terms of reference", "scope", "methodology", "method", "review process",
        "purpose", "the review", "this review", "rationale", "reason for",
        "decision to", "circumstances leading", "circumstances that led", "process", "approach",
        "executive summary", "overview", "key lines of enquiry to be", "parallel", "governance",
        "independent reviewer", "author", "panel membership", "agencies involved", "involvement of",
    ),
    "family_views": (
        "family views", "family's views", "views of the family", "family involvement",
        "family contribution", "contribution of the family", "family participation",
        "voice of the family", "views of child", "views of the child", "family perspective",
        "parents' views", "mother's views", "what the family", "family's perspective",
    ),
    "background": (
        "background", "family composition", "the family", "family history", "family structure",
        "case summary", "summary of the case", "pen picture", "pen portrait", "about child",
        "about the child", "who is", "genogram", "brief summary", "case background", "context",
    ),
    "chronology": (
        "chronology", "timeline", "key episode", "key practice episode", "key events",
        "key event", "agency involvement", "summary of involvement", "narrative", "history of involvement",
        "period under review", "what happened", "episode", "events",
    ),
    "analysis": (
        "analysis", "finding", "findings", "lines of enquiry", "line of enquiry", "practice issues", "themes",
        "theme", "key issues", "appraisal", "discussion", "evaluation", "reflection",
        "practice episodes", "what went wrong", "issues identified", "thematic",
    ),
    "good_practice": (
        "good practice", "what went well", "strengths", "effective practice", "positive practice",
        "notable practice", "areas of good",
    ),
    "learning": ("learning", "lessons", "what needs to change", "implications for practice", "key messages"),
    "recommendations": (
        "recommendation", "actions", "action plan", "next steps", "areas for improvement",
        "what needs to improve",
    ),
    "conclusion": ("conclusion", "concluding", "final comments", "closing", "summary and conclusion"),
    "back_matter": (
        "references", "bibliography", "glossary", "appendix", "appendices", "annex", "abbreviations",
        "acronyms", "sources", "further reading", "about this report", "contact", "terms used",
    ),
}
_NUMBER = re.compile(r"^(?:(?:section|part|chapter|appendix)\s+)?[\dA-Z]{0,2}(?:\.\d+)*[.:)]?\s+", re.I)


def classify_heading(title: str) -> tuple[SectionType | None, str]:
    """Return the type a heading's wording names, or None, and the words that decided it."""
    lowered = title.lower().replace("’", "'")
    if lowered.startswith(("appendix", "annex")):
        return "back_matter", f"heading '{title}' names an appendix"
    stripped = _NUMBER.sub("", lowered, count=1) if not lowered.startswith(("appendix", "annex")) else lowered
    best: tuple[int, int, SectionType, str] | None = None
    for section_type, keywords in _KEYWORDS.items():
        for keyword in keywords:
            position = _find_word(stripped, keyword)
            if position >= 0:
                candidate = (position, -len(keyword), section_type, keyword)
                if best is None or candidate < best:
                    best = candidate
    if best is None:
        return None, ""
    return best[2], f"heading '{title}' contains '{best[3]}'"


def _find_word(text: str, keyword: str) -> int:
    # Whole words (plurals allowed), so "author" does not fire inside "authority"; a trailing
    # "*" marks a stem that may continue ("acknowledg*").
    if keyword.endswith("*"):
        pattern = r"(?<![a-z])" + re.escape(keyword[:-1])
    else:
        pattern = r"(?<![a-z])" + re.escape(keyword) + r"(?:s|es)?(?![a-z])"
    match = re.search(pattern, text)
    return match.start() if match else -1
