"""Rules and the trained model together, code by code.

For a code the model knows (enough training positives):
- a rule hit is kept when the model's calibrated probability is at least the code's *veto* level
  (the model can overrule a rule only when it is confident the paragraph is not about the code);
- without a rule hit, the model codes the paragraph when its probability reaches the code's
  *threshold* (chosen on cross-validated predictions), with the most probable sentence as evidence.
For a rules-only code, rule hits stand alone. Every coding keeps both provenances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from coder.classify import Classifier
from coder.codebook import Codebook
from coder.rules import SECTION_POLARITY, RuleCoder, codable, code_segments, tokenizer_pipeline
from coder.types import Coding, Provenance


class HybridCoder:
    """Code with rules and a model; ``model=None`` gives the rules alone with the same interface."""

    def __init__(self, codebook: Codebook, model: Classifier | None, *, rules: RuleCoder | None = None,
                 mode: str = "hybrid") -> None:
        if mode not in ("hybrid", "rules", "model"):
            raise ValueError(f"mode must be hybrid, rules or model; got {mode!r}")
        self.codebook = codebook
        self.model = model
        self.rules = rules or RuleCoder(codebook)
        self.mode = mode if model is not None else "rules"

    @property
    def name(self) -> str:
        return self.mode

    def code_document(self, document, *, kinds: tuple[str, ...] = ("paragraph", "list_item")) -> list[Coding]:
        return code_segments(self, document, kinds)

    def code_texts(self, items: Iterable[tuple[str, str, str]], *, offsets: Sequence[int] | None = None) -> list[Coding]:
        items = list(items)
        offsets = list(offsets) if offsets is not None else [0] * len(items)
        by_item: dict[str, dict[str, Coding]] = {}
        if self.mode != "model":
            for coding in self.rules.code_texts(items, offsets=offsets):
                by_item.setdefault(coding.segment_id, {})[coding.code] = coding
        if self.mode == "rules" or not items:
            return [c for item_id, _, _ in items for c in by_item.get(item_id, {}).values()]
        assert self.model is not None
        rows = [row for row, (_, text, section) in enumerate(items) if codable(text, section)]
        if not rows:  # the rules code nothing in these either
            return []
        probabilities, polarities = self.model.predict([items[r][1] for r in rows], [items[r][2] for r in rows])
        by_row: list[list[Coding]] = []
        added: list[tuple[int, int, list[tuple[str, float]]]] = []  # (position in rows, item row, codes)
        for k, row in enumerate(rows):
            item_id, text, section = items[row]
            found = by_item.get(item_id, {})  # empty in model mode
            kept: list[Coding] = []
            model_only: list[tuple[str, float]] = []
            for code in self.codebook.ids:
                rule = found.get(code)
                model = self.model.models_.get(code)
                if model is None:
                    if rule is not None:
                        kept.append(rule)
                    continue
                p = float(probabilities[code][k])
                threshold = model.threshold if self.mode == "hybrid" else model.alone
                if rule is not None and p >= model.veto:
                    kept.append(self._merge(rule, p, model.threshold, self._rule_polarity(rule, section, polarities[k])))
                elif rule is None and p >= threshold:
                    model_only.append((code, p))
            by_row.append(kept)
            if model_only:
                added.append((k, row, model_only))
        evidence = self._evidence([items[row] for _, row, _ in added])
        for (k, row, model_only), spans in zip(added, evidence):
            item_id, text, section = items[row]
            for code, p in model_only:
                start, end = spans[code]
                by_row[k].append(Coding(item_id, code, self._polarity(code, section, polarities[k]), round(p, 3),
                                        offsets[row] + start, offsets[row] + end, text[start:end],
                                        self._provenance("model", (), p)))
        return [coding for kept in by_row for coding in kept]

    def _provenance(self, source: str, rules: tuple[str, ...], p: float) -> Provenance:
        return Provenance(source=source, codebook=self.codebook.identity, codebook_sha256=self.codebook.sha256,  # type: ignore[arg-type]
                          tool_version=self.rules.tool_version, rules=rules, model=self.model.model_id,
                          probability=round(p, 3))

    def _polarity(self, code: str, section: str, predicted: str) -> str:
        """Context-group codes are context; good-practice and recommendation sections decide;
        otherwise the model's polarity head, which beats the rules' cue words on held-out data."""
        if self.codebook.allowed_polarities(code) == ("context",):
            return "context"
        return SECTION_POLARITY.get(section, predicted)

    def _rule_polarity(self, rule: Coding, section: str, predicted: str) -> str:
        """A pattern written with a fixed polarity keeps it (FORMAT.md); otherwise as for the model."""
        if any(self.rules.rules[key].polarity for key in rule.provenance.rules):
            return rule.polarity
        return self._polarity(rule.code, section, predicted)

    def _merge(self, rule: Coding, p: float, threshold: float, polarity: str) -> Coding:
        agreed = p >= threshold
        confidence = min(0.99, max(rule.confidence, p) + (0.1 if agreed else -0.15))
        return Coding(rule.segment_id, rule.code, polarity, round(confidence, 3), rule.start, rule.end,
                      rule.evidence, self._provenance("hybrid" if agreed else "rule", rule.provenance.rules, p))

    def _evidence(self, items: list[tuple[str, str, str]]) -> list[dict[str, tuple[int, int]]]:
        """For each (id, text, section), the span of the sentence the model finds most telling,
        per code: every sentence of every paragraph is scored in one batch."""
        sentences = [[(s.start_char, s.end_char) for s in doc.sents]
                     for doc in tokenizer_pipeline().pipe(text for _, text, _ in items)]
        scored = [(i, span) for i, spans in enumerate(sentences) if len(spans) > 1 for span in spans]
        scores = self.model.predict_proba([items[i][1][a:b] for i, (a, b) in scored],
                                          [items[i][2] for i, _ in scored]) if scored else {}
        best: list[dict[str, tuple[int, int]]] = []
        position = 0
        for spans, (_, text, _) in zip(sentences, items):
            if len(spans) < 2:  # the one sentence (or the whole text) is the evidence for every code
                best.append(defaultdict(lambda span=(spans or [(0, len(text))])[0]: span))
                continue
            chosen = {code: spans[int(np.argmax(values[position:position + len(spans)]))]
                      for code, values in scores.items()}
            best.append(chosen)
            position += len(spans)
        return best
