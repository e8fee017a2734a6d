"""Give each section a canonical type from its heading wording, with fallbacks by position."""

from __future__ import annotations

import re

from coder.types import SectionType

# Checked by where the keyword first occurs in the heading, so "Good practice and learning" is
# good practice and "Learning and good practice" is learning. Plurals match by themselves
# ("finding" finds "Findings"), so only singulars are listed.
_KEYWORDS: dict[SectionType, tuple[str, ...]] = {
    "front_matter": (
        "contents", "foreword", "preface", "title page", "acknowledg*", "document control",
        "version control", "dedication", "in memory",
    ),
    "introduction": (
        "introduction", "terms of reference", "scope", "methodology", "method", "review process",
        "purpose", "the review", "this review", "rationale", "reason for", "decision to",
        "circumstances leading", "circumstances that led", "why this case", "executive summary",
        "key questions", "review questions", "review team", "panel membership", "agencies involved",
        "agencies that contributed", "contributors", "participants", "independent reviewer",
        "parallel processes", "consideration of case", "criteria", "rapid review decision", "decision",
        "rapid review discussion", "limitations", "involvement of practitioners", "publication",
    ),
    "family_views": (
        "family views", "family's views", "views of the family", "family involvement",
        "family contribution", "contribution of the family", "family participation",
        "voice of the family", "views of child", "views of children", "views of the child",
        "family perspective", "family's perspective", "perspectives of the family", "parents' views",
        "mother's views", "father's views", "what the family", "voice of the child", "lived experience",
        "what life was like", "family told", "told the review", "told us", "family's experience",
        "family's contribution", "child's experience of the review",
    ),
    "background": (
        "background", "family composition", "the family", "family history", "family structure",
        "case summary", "summary of the case", "summary of facts", "summary of the incident",
        "the incident", "pen picture", "pen portrait", "about child", "about the child", "the child",
        "genogram", "brief summary", "identifying details", "legal status", "child and family details",
        "young person's story", "needs of the child", "characteristics of the child", "risk factors",
    ),
    "chronology": (
        "chronology", "timeline", "key episode", "key practice episode", "key event",
        "agency involvement", "summary of involvement", "narrative", "history of involvement",
        "period under review", "what happened", "episode", "events",
    ),
    "analysis": (
        "analysis", "finding", "line of enquiry", "lines of enquiry", "practice issues",
        "key issues", "appraisal", "discussion", "evaluation", "reflection", "what went wrong",
        "issues identified", "thematic", "practice themes", "common themes",
    ),
    "good_practice": (
        "good practice", "what went well", "strengths", "effective practice", "positive practice",
        "notable practice", "areas of good",
    ),
    "learning": (
        "learning", "lessons", "what needs to change", "implications for practice", "key messages",
        "what has already changed", "reflective questions", "key points",
    ),
    "recommendations": (
        "recommendation", "actions", "action plan", "next steps",
        "areas for improvement", "what needs to improve", "immediate action",
    ),
    "conclusion": ("conclusion", "concluding", "final comments", "closing remarks"),
    "back_matter": (
        "references", "bibliography", "glossary", "appendix", "appendices", "annex", "abbreviations",
        "acronyms", "sources", "further reading", "about this report", "contact", "terms used",
    ),
}
# Words that name a type only when nothing more specific does ("Summary of key findings" is analysis).
_WEAK: dict[SectionType, tuple[str, ...]] = {
    "introduction": ("summary", "overview", "process", "approach", "context of the review"),
    "background": ("context",),
    "analysis": ("theme", "issue"),
}
_NUMBER = re.compile(r"^(?:(?:section|part|chapter|appendix)\s+)?[\dA-Z]{0,2}(?:\.\d+)*[.:)]?\s+", re.I)


def classify_heading(title: str) -> tuple[SectionType | None, str]:
    """Return the type a heading's wording names, or None, and the words that decided it."""
    lowered = title.lower().replace("’", "'")
    if lowered.startswith(("appendix", "annex")):
        return "back_matter", f"heading '{title}' names an appendix"
    stripped = _NUMBER.sub("", lowered, count=1)
    for table in (_KEYWORDS, _WEAK):
        found = _earliest(stripped, table)
        if found is not None:
            return found[0], f"heading '{title}' contains '{found[1]}'"
    return None, ""


def _earliest(stripped: str, table: dict[SectionType, tuple[str, ...]]) -> tuple[SectionType, str] | None:
    best: tuple[int, int, SectionType, str] | None = None
    for section_type, keywords in table.items():
        for keyword in keywords:
            position = _find_word(stripped, keyword)
            if position >= 0:
                candidate = (position, -len(keyword), section_type, keyword)
                if best is None or candidate < best:
                    best = candidate
    return None if best is None else (best[2], best[3])


def _find_word(text: str, keyword: str) -> int:
    # Whole words (plurals allowed), so "author" does not fire inside "authority"; a trailing
    # "*" marks a stem that may continue ("acknowledg*").
    if keyword.endswith("*"):
        pattern = r"(?<![a-z])" + re.escape(keyword[:-1])
    else:
        pattern = r"(?<![a-z])" + re.escape(keyword) + r"(?:s|es)?(?![a-z])"
    match = re.search(pattern, text)
    return match.start() if match else -1
