"""The rule coder: spaCy matchers compiled from a codebook, with the guards reviews need.

Phrase syntax (see codebooks/FORMAT.md): case-insensitive tokens; ``word~`` adds regular
inflections; ``*`` is any one token. Plain phrases, and inflected ones with few enough forms
(spelled out), go to a PhraseMatcher; wildcards and raw token patterns to a Matcher.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from math import prod
from typing import TYPE_CHECKING, Any

from coder.types import Coding, Provenance

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from coder.codebook import Codebook, Pattern

_VOWELS = set("aeiou")
# Quoted titles and citations carry theme words that are not findings ("The myth of invisible men").
_QUOTED = re.compile(r"(?<!\w)[“\"‘]([^”\"’\n]{6,160})[”\"’](?!\w)")
_TITLE_CONTEXT = re.compile(r"\b(report|review|reviews|entitled|titled|called|publication|published|guidance|briefing|"
                            r"study|paper|framework|strategy|toolkit)\b|\((?:19|20)\d\d\)", re.I)
_CITATION = re.compile(r"\((?:[A-Z][A-Za-z&.,' -]+,?\s)?(?:19|20)\d\d[a-z]?\)|\bet al\b|https?://|\bwww\.")
# "no history of", "without any", "never witnessed": a negator at most three words before the term.
_NEGATED_FACT = re.compile(r"\b(?:no|without|nor|never|denied|denies|ruled out)\b(?:\s+[\w'-]+){0,3}\s*$", re.I)
# Scope, method, contents and references: theme words there are not findings (no coder codes them).
GUARDED_SECTIONS = frozenset({"back_matter", "front_matter", "introduction"})
SECTION_POLARITY = {"good_practice": "good_practice", "recommendations": "recommendation",
                     "learning": "recommendation"}
_FALLBACK_POLARITY = {"background": "context", "chronology": "context",
                      "family_views": "context", "analysis": "shortfall", "conclusion": "shortfall"}
_BASE_CONFIDENCE = {"phrases": 0.8, "tokens": 0.75, "near": 0.65}
_WEAK_CONFIDENCE = 0.55  # corroborated weak evidence only
_MAX_SPELLED_OUT = 512  # forms of one phrase; beyond this the token matcher is the smaller structure


def inflections(word: str) -> list[str]:
    """Regular English forms of ``word`` (over-generation is harmless: odd forms never occur)."""
    w = word.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + "ment", w + "ments", w + "er", w + "ers"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w[:-1] + "ion", w[:-1] + "ions"}
    else:  # a stem written without its final e ("escalat~") still reaches escalate, escalation
        forms |= {w + "e", w + "es", w + "ion", w + "ions"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in _VOWELS:
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] not in _VOWELS | {"w", "x", "y"} and w[-2] in _VOWELS and w[-3] not in _VOWELS:
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return sorted(forms)


@lru_cache(maxsize=1)
def tokenizer_pipeline() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def phrase_to_tokens(phrase: str, nlp: Language) -> tuple[list[dict[str, Any]], bool]:
    """Compile one phrase to a Matcher token pattern; the flag says whether it is plain text."""
    tokens: list[dict[str, Any]] = []
    plain = True
    for word in phrase.split():
        if word == "*":
            tokens.append({})
            plain = False
            continue
        inflect = word.endswith("~") and len(word) > 1
        parts = [t.text for t in nlp.tokenizer(word.rstrip("~") if inflect else word)]
        for position, part in enumerate(parts):
            if inflect and position == len(parts) - 1:
                tokens.append({"LOWER": {"IN": inflections(part)}})
                plain = False
            else:
                tokens.append({"LOWER": part.lower()})
    return tokens, plain


def _spelled_out(tokens: list[dict[str, Any]]) -> list[tuple[str, ...]] | None:
    """Every word sequence an inflected phrase can match, when there are few enough: the phrase
    matcher looks them up far faster than the token matcher tries them. None for wildcards."""
    choices = []
    for token in tokens:
        lower = token.get("LOWER")
        if lower is None:
            return None
        choices.append(lower["IN"] if isinstance(lower, dict) else [lower])
    if prod(len(c) for c in choices) > _MAX_SPELLED_OUT:
        return None
    return list(product(*choices))


def pattern_problems(pattern: Pattern) -> list[str]:
    """What is wrong with one pattern, for the codebook loader's single report."""
    from spacy.errors import MatchPatternError
    from spacy.matcher import Matcher

    kinds = [k for k in ("phrases", "near", "tokens") if getattr(pattern, k)]
    if len(kinds) != 1:
        return [f"needs exactly one of phrases, near, tokens; has {kinds or 'none'}"]
    problems = []
    if pattern.near is not None and (len(pattern.near) < 2 or not all(pattern.near)):
        problems.append("near needs at least two non-empty lists of terms")
    phrases = [p for group in (pattern.phrases or (), *(pattern.near or ())) for p in group] if pattern.near else list(pattern.phrases or ())
    for phrase in phrases + list(pattern.unless):
        if not phrase.strip() or phrase.strip() == "*":
            problems.append(f"empty or wildcard-only phrase {phrase!r}")
    if pattern.tokens is not None:
        matcher = Matcher(tokenizer_pipeline().vocab, validate=True)
        try:
            matcher.add("check", [list(pattern.tokens)])
        except (MatchPatternError, ValueError) as error:
            problems.append(f"invalid token pattern: {' '.join(str(error).split())}")
        used = {key for token in pattern.tokens for key in token}
        if used & {"LEMMA", "POS", "TAG", "DEP", "MORPH", "ENT_TYPE"}:
            problems.append("LEMMA/POS/TAG/DEP attributes need a trained pipeline; use LOWER with IN lists or ~ phrases")
    return problems


@dataclass(frozen=True, slots=True)
class _Rule:
    code: str
    pattern: str
    kind: str  # phrases | near | tokens
    parts: int  # number of term sets (near) or 1
    window: int
    polarity: str | None
    weak: bool = False


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: _Rule
    sentence: int
    start: int  # token index
    end: int


class RuleCoder:
    """Code paragraphs with a codebook's patterns.

    Example:
        >>> coder = RuleCoder(load_codebook())
        >>> [c.code for c in coder.code_texts([("p1", "The GP was never told about the referral.", "analysis")])]
    """

    name = "rules"

    def __init__(self, codebook: Codebook, *, tool_version: str | None = None) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from coder import __version__

        self.codebook = codebook
        self.tool_version = tool_version or __version__
        self.nlp = tokenizer_pipeline()
        self.matcher = Matcher(self.nlp.vocab)
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.rules: dict[str, _Rule] = {}
        self._compile()

    def _compile(self) -> None:
        for code in self.codebook:
            for pattern in code.patterns:
                kind = "phrases" if pattern.phrases else "near" if pattern.near else "tokens"
                key = f"{code.id}/{pattern.id}"
                sets = pattern.near or (pattern.phrases,) if kind != "tokens" else ()
                self.rules[key] = _Rule(code.id, pattern.id, kind, len(sets) or 1, pattern.window, pattern.polarity,
                                        pattern.weak)
                if kind == "tokens":
                    self.matcher.add(f"{key}#0", [list(pattern.tokens or ())])
                for index, phrases in enumerate(sets):
                    self._add_phrases(f"{key}#{index}", phrases)
                if pattern.unless:
                    self._add_phrases(f"{key}#veto", pattern.unless)
        for polarity, cues in self.codebook.polarity_cues.items():
            self._add_phrases(f"@cue/{polarity}", cues)
        self._add_phrases("@not_applicable", self.codebook.not_applicable_cues)

    def _add_phrases(self, key: str, phrases: Iterable[str]) -> None:
        from spacy.tokens import Doc

        plain, spelled, patterns = [], [], []
        for phrase in phrases:
            tokens, is_plain = phrase_to_tokens(phrase, self.nlp)
            if not tokens:
                continue
            if is_plain:
                plain.append(phrase)
            elif (variants := _spelled_out(tokens)) is not None:
                spelled.extend(variants)
            else:
                patterns.append(tokens)
        docs = list(self.nlp.tokenizer.pipe(plain)) + [Doc(self.nlp.vocab, words=list(v)) for v in spelled]
        if docs:
            self.phrase_matcher.add(key, docs)
        if patterns:
            self.matcher.add(key, patterns)

    def code_texts(self, items: Iterable[tuple[str, str, str]], *, offsets: Sequence[int] | None = None) -> Iterator[Coding]:
        """Code ``(id, text, section_type)`` items; evidence offsets are into each text
        (plus ``offsets[i]`` when given, so they point into the whole document)."""
        items = list(items)
        for position, (doc, (item_id, _text, section_type)) in enumerate(
                zip(self.nlp.pipe((t for _, t, _ in items), batch_size=256), items)):
            shift = offsets[position] if offsets is not None else 0
            yield from self._code_doc(doc, item_id, section_type, shift)

    def code_document(self, document: Any, *, kinds: tuple[str, ...] = ("paragraph", "list_item")) -> list[Coding]:
        """Code every paragraph and list item of an ingested Document."""
        return code_segments(self, document, kinds)

    def _code_doc(self, doc: Doc, item_id: str, section_type: str, shift: int) -> Iterator[Coding]:
        if not codable(doc.text, section_type):
            return
        sentences = list(doc.sents)
        sentence_starts = [s.start for s in sentences]
        matches = self._matches(doc)
        cues: dict[int, list[tuple[str, int]]] = defaultdict(list)  # sentence -> (cue key, token index)
        for key, start, _end in matches:
            if key.startswith("@"):
                cues[bisect_right(sentence_starts, start) - 1].append((key, start))
        # text order, so ties between equally confident hits go to the earliest (whatever matcher found them)
        hits = sorted(self._hits(doc, matches, sentence_starts), key=lambda h: (h.start, h.end, h.rule.pattern))
        quoted = _quoted_titles(doc.text)
        best: dict[str, tuple[float, _Hit, list[str]]] = {}
        weak: dict[str, list[_Hit]] = defaultdict(list)
        for hit in hits:
            sentence = sentences[hit.sentence]
            if any(key == "@not_applicable" for key, _ in cues.get(hit.sentence, ())) or \
                    self._guarded(doc, hit, sentence, quoted):
                continue
            if hit.rule.weak:
                weak[hit.rule.code].append(hit)
                continue
            confidence = _BASE_CONFIDENCE[hit.rule.kind]
            current = best.get(hit.rule.code)
            rules = (current[2] if current else []) + [f"{hit.rule.code}/{hit.rule.pattern}"]
            if current is None or confidence > current[0]:
                best[hit.rule.code] = (confidence, hit, rules)
            else:
                best[hit.rule.code] = (current[0], current[1], rules)
        for code, found in weak.items():
            rules = [f"{code}/{h.rule.pattern}" for h in found]
            if code in best:
                best[code] = (best[code][0], best[code][1], best[code][2] + rules)
            elif len({(h.rule.pattern, h.sentence) for h in found}) >= 2:
                best[code] = (_WEAK_CONFIDENCE, min(found, key=lambda h: h.start), rules)
        for code, (confidence, hit, rules) in best.items():
            sentence = sentences[hit.sentence]
            distinct = sorted(set(rules))
            confidence = min(0.95, confidence + 0.05 * (len(distinct) - 1))
            polarity = self._polarity(code, hit, cues.get(hit.sentence, []), section_type, sentence)
            yield Coding(
                segment_id=item_id, code=code, polarity=polarity, confidence=round(confidence, 3),
                start=shift + sentence.start_char, end=shift + sentence.end_char, evidence=sentence.text,
                provenance=Provenance(source="rule", codebook=self.codebook.identity,
                                      codebook_sha256=self.codebook.sha256, tool_version=self.tool_version,
                                      rules=tuple(distinct)),
            )

    def _matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        strings = self.nlp.vocab.strings
        found = [(strings[m], s, e) for m, s, e in self.matcher(doc)] if len(self.matcher) else []
        found += [(strings[m], s, e) for m, s, e in self.phrase_matcher(doc)]
        return found

    def _hits(self, doc: Doc, matches: list[tuple[str, int, int]], sentence_starts: list[int]) -> list[_Hit]:
        by_rule: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        for key, start, end in matches:
            if not key.startswith("@"):
                rule_key, part = key.rsplit("#", 1)
                by_rule[rule_key][part].append((start, end))
        hits = []
        for rule_key, parts in by_rule.items():
            rule = self.rules[rule_key]
            vetoed = {bisect_right(sentence_starts, s) - 1 for s, _ in parts.get("veto", [])}
            if rule.kind == "near":
                hits.extend(self._near_hits(rule, parts, sentence_starts, vetoed))
                continue
            for start, end in parts.get("0", []):
                sentence = bisect_right(sentence_starts, start) - 1
                if sentence not in vetoed:
                    hits.append(_Hit(rule, sentence, start, end))
        return hits

    def _near_hits(self, rule: _Rule, parts: dict[str, list[tuple[int, int]]], starts: list[int], vetoed: set[int]) -> list[_Hit]:
        groups = [parts.get(str(i), []) for i in range(rule.parts)]
        if not all(groups):
            return []
        hits = []
        for anchor_start, anchor_end in groups[0]:
            sentence = bisect_right(starts, anchor_start) - 1
            if sentence in vetoed:
                continue
            chosen = [(anchor_start, anchor_end)]
            for others in groups[1:]:
                near = [(s, e) for s, e in others if bisect_right(starts, s) - 1 == sentence
                        and abs(s - anchor_start) <= rule.window and (s, e) != (anchor_start, anchor_end)]
                if not near:
                    break
                chosen.append(min(near, key=lambda span: abs(span[0] - anchor_start)))
            else:
                hits.append(_Hit(rule, sentence, min(s for s, _ in chosen), max(e for _, e in chosen)))
        return hits

    def _guarded(self, doc: Doc, hit: _Hit, sentence: Any, quoted: list[tuple[int, int]]) -> bool:
        start_char = doc[hit.start].idx
        if any(a <= start_char < b for a, b in quoted):
            return True  # inside a quoted title or copied definition
        if self.codebook.group_of(hit.rule.code).polarities == ("context",):
            before = doc[max(sentence.start, hit.start - 4):hit.start].text
            if _NEGATED_FACT.search(before):
                return True  # "no history of domestic abuse" is not a finding of domestic abuse
        citation = _CITATION.search(sentence.text)
        return bool(citation) and len(sentence.text) < 220 and sentence.text.count(",") >= 2

    def _polarity(self, code: str, hit: _Hit, cues: list[tuple[str, int]], section_type: str, sentence: Any) -> str:
        allowed = self.codebook.allowed_polarities(code)
        if allowed == ("context",):
            return "context"
        if hit.rule.polarity:
            return hit.rule.polarity
        if section_type in SECTION_POLARITY:
            return SECTION_POLARITY[section_type]
        keys = {key for key, _ in cues}
        if "@cue/recommendation" in keys or sentence.text.lstrip().startswith("For "):
            return "recommendation"
        judged = [(abs(start - hit.start), key != "@cue/shortfall", key) for key, start in cues
                  if key in ("@cue/shortfall", "@cue/good_practice")]
        if judged:  # the cue nearest the hit decides; shortfall on a tie
            return min(judged)[2].split("/")[1]
        if "@cue/context" in keys:
            return "context"
        return _FALLBACK_POLARITY.get(section_type, "context")


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted report or guidance titles; scare quotes ('good enough') are left alone."""
    spans = []
    for match in _QUOTED.finditer(text):
        words = match.group(1).split()
        capitalised = sum(1 for w in words if w[:1].isupper()) / max(len(words), 1)
        around = text[max(0, match.start() - 40):match.end() + 25]
        if len(words) >= 3 and (capitalised >= 0.5 or _TITLE_CONTEXT.search(around)):
            spans.append((match.start(), match.end()))
    return spans


def code_segments(coder: Any, document: Any, kinds: tuple[str, ...]) -> list[Coding]:
    """Any coder's code_texts over a Document's segments of ``kinds``, offsets into its text."""
    segments = [g for g in document.segments if g.kind in kinds]
    return list(coder.code_texts([(g.id, g.text, g.section_type) for g in segments], offsets=[g.start for g in segments]))


def codable(text: str, section_type: str) -> bool:
    """Whether any coder should code this paragraph: not in scope, method, contents or references,
    and not a bibliography entry."""
    return section_type not in GUARDED_SECTIONS and not _looks_like_reference(text)


def _looks_like_reference(text: str) -> bool:
    """A bibliography entry: short, with a year in brackets or a URL, and few verbs of finding."""
    return len(text) < 400 and bool(re.search(r"\((?:19|20)\d\d\)|https?://|Available (?:at|from)", text)) and \
        text.count(".") >= 2 and not re.search(r"\b(was|were|did|should|must)\b", text)
