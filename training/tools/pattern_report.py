"""Per code and per pattern: how the rules do inside and outside the evaluation set.

Usage:
  python training/tools/pattern_report.py                  # every code: F1 on evaluation set and outside it
  python training/tools/pattern_report.py CODE [CODE …]    # plus each pattern's hits and the errors
Set RULES_CODEBOOK=path to measure another codebook file; set LIMIT=N to list N errors (default 20).

"Outside" is every labelled paragraph that is not in the evaluation set: the seed train split,
the project-written paragraphs and the development reviews (never training/dev/check.jsonl,
which stays untouched). A pattern is evidenced outside when it makes correct codings there; one
that makes correct codings only inside the evaluation set fits those sentences, not the theme.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from coder.codebook import load_codebook  # noqa: E402
from coder.evaluate import rule_outcomes, score  # noqa: E402
from coder.rules import RuleCoder  # noqa: E402
from coder.training import SHIPPED_TRAINING_DATA, load_labelled  # noqa: E402

EVAL_SEED = [ROOT / "tests/data/seed_eval.jsonl"]
EVAL_FICTION = sorted((ROOT / "tests/data/corpus/labels").glob("*.jsonl"))
OUTSIDE = [ROOT / p for p in SHIPPED_TRAINING_DATA]  # minus the seed test split, which is inside


def predict(coder: RuleCoder, items) -> tuple[dict[str, dict[str, str]], list]:
    codings = list(coder.code_texts([(i.id, i.text, i.section) for i in items]))
    codes: dict[str, dict[str, str]] = {i.id: {} for i in items}
    for coding in codings:
        codes[coding.segment_id][coding.code] = coding.polarity
    return codes, codings


def main(chosen: list[str]) -> None:
    codebook = load_codebook(os.environ.get("RULES_CODEBOOK"))
    coder = RuleCoder(codebook)
    seed = load_labelled(EVAL_SEED, codebook)
    fiction = load_labelled(EVAL_FICTION, codebook)
    seed_ids = {i.id for i in seed}  # the seed test split sits in the seed labels file too
    outside = [i for i in load_labelled(OUTSIDE, codebook) if i.id not in seed_ids]
    parts = {"eval-seed": seed, "eval-fiction": fiction, "eval": seed + fiction, "outside": outside}
    results = {name: (items, *predict(coder, items)) for name, items in parts.items()}
    reports = {name: score(name, {i.id: i.codes for i in items}, codes, list(codebook.ids))
               for name, (items, codes, _) in results.items()}
    for name, report in reports.items():
        print(f"{name:13} {report.paragraphs:5} paragraphs  micro P/R/F1 {report.micro_precision:.3f}/"
              f"{report.micro_recall:.3f}/{report.micro_f1:.3f}  macro F1 {report.macro_f1:.3f}")
    rows = {name: {row.code: row for row in report.codes} for name, report in reports.items()}
    print(f"\n{'code':26} {'eval supp/pred/tp':>18} {'F1':>5}   {'outside supp/pred/tp':>21} {'F1':>5}")
    for code in chosen or codebook.ids:
        e, o = rows["eval"][code], rows["outside"][code]
        print(f"{code:26} {e.support:6}/{e.predicted:4}/{e.true_positives:4} {e.f1:5.2f}   "
              f"{o.support:9}/{o.predicted:4}/{o.true_positives:4} {o.f1:5.2f}")
    limit = int(os.environ.get("LIMIT", "20"))
    for code in chosen:
        print(f"\n=== {code}: patterns (correct/wrong codings they took part in)")
        tallies = {name: rule_outcomes(results[name][2], {i.id: i.codes for i in results[name][0]})
                   for name in ("eval", "outside")}
        for pattern in codebook[code].patterns:
            key = f"{code}/{pattern.id}"
            (et, ef), (ot, of) = ((t[0][key], t[1][key]) for t in tallies.values())
            flag = "  <- no correct coding outside" if ot == 0 and et > 0 else ""
            print(f"  {pattern.id:32} eval {et:3}/{ef:3}   outside {ot:4}/{of:4}{'  weak' if pattern.weak else ''}{flag}")
        items, codes, codings = results["eval"]
        rules = {(c.segment_id, c.code): c.provenance.rules for c in codings}
        missed = [i for i in items if code in i.codes and code not in codes[i.id]]
        wrong = [i for i in items if code in codes[i.id] and code not in i.codes]
        print(f"--- eval MISSED ({len(missed)})")
        for item in missed[:limit]:
            print(f"[{item.id}] ({item.section}) {item.text[:500]}")
        print(f"--- eval WRONGLY CODED ({len(wrong)})")
        for item in wrong[:limit]:
            print(f"[{item.id}] ({item.section}) via {', '.join(rules[item.id, code])}: {item.text[:500]}")


if __name__ == "__main__":
    main(sys.argv[1:])
