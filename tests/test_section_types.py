"""Heading wording to canonical section type."""

from __future__ import annotations

import pytest

from coder.section_types import classify_heading


@pytest.mark.parametrize("heading,expected", [
    ("1. Introduction", "introduction"),
    ("2. Terms of Reference", "introduction"),
    ("Scope of the review", "introduction"),
    ("Methodology", "introduction"),
    ("Executive summary", "introduction"),
    ("Case Background", "background"),
    ("Family composition", "background"),
    ("Summary chronology", "chronology"),
    ("Key practice episode 3: the strategy discussion", "chronology"),
    ("Analysis of practice", "analysis"),
    ("Finding 2: Information about the father was not shared", "analysis"),
    ("Summary of key findings", "analysis"),
    ("Good practice", "good_practice"),
    ("Examples of good practice", "good_practice"),
    ("What went well", "good_practice"),
    ("Key learning", "learning"),
    ("Lessons learned", "learning"),
    ("Recommendations for the partnership", "recommendations"),
    ("Action plan", "recommendations"),
    ("Views of the family", "family_views"),
    ("Family involvement in the review", "family_views"),
    ("Conclusions", "conclusion"),
    ("Appendix A: Glossary", "back_matter"),
    ("References", "back_matter"),
    ("Contents", "front_matter"),
    ("SECTION 4: ANALYSIS", "analysis"),
])
def test_section_types_classify_heading(heading, expected):
    assert classify_heading(heading)[0] == expected


@pytest.mark.parametrize("heading", ["Information sharing", "Local authority children's services", "Child K"])
def test_section_types_unknown_heading_is_none(heading):
    assert classify_heading(heading) == (None, "")


@pytest.mark.parametrize("heading,expected", [
    ("Method", "introduction"), ("3. Review method", "introduction"), ("Methods", "introduction"),
    ("Findings", "analysis"), ("Recommendations", "recommendations"), ("Conclusions", "conclusion"),
    ("Key events", "chronology"), ("Immediate actions", "recommendations"), ("Lines of enquiry", "analysis"),
    ("Emerging themes", "analysis"),
])
def test_section_types_singular_keywords_also_match_plurals(heading, expected):
    assert classify_heading(heading)[0] == expected
