"""The classifier and the hybrid coder on a small synthetic task with the test codebook."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coder.classify import MIN_POSITIVES, Classifier, load_model
from coder.codebook import load_codebook
from coder.errors import ModelError
from coder.hybrid import HybridCoder
from coder.labelled import Labelled

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
SHARING = ["the GP never heard about the {x}", "nobody passed the {x} report to the school",
           "the health visitor was left unaware of the {x}", "the school kept the {x} to itself"]
ABUSE = ["the father hit the mother during the {x}", "police attended a violent incident at the {x}",
         "the mother disclosed coercive control at the {x}"]
NEUTRAL = ["the family went on holiday in the {x}", "the child enjoyed football at the {x}",
           "the review panel met during the {x}", "the house was painted in the {x}"]
PLACES = ["spring", "summer", "autumn", "winter", "clinic", "school", "weekend", "hearing", "visit", "assessment"]


def synthetic() -> list[Labelled]:
    items = []
    for templates, codes in ((SHARING, {"information_sharing": "shortfall"}), (ABUSE, {"domestic_abuse": "context"}),
                             (NEUTRAL, {})):
        for t in templates:
            for x in PLACES:
                items.append(Labelled(f"{len(items)}", t.format(x=x).capitalize() + ".", "analysis", dict(codes), "written"))
    return items


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    codebook = load_codebook(MINI)
    model = Classifier(codebook).fit(synthetic())
    folder = model.save(tmp_path_factory.mktemp("model") / "tiny", name="tiny")
    return codebook, model, folder


def test_classify_rules_only_codes_are_named(trained):
    _, model, _ = trained
    assert model.rules_only_ == ["escalation_challenge"]  # no examples of it at all
    assert set(model.models_) == {"information_sharing", "domestic_abuse"}


def test_classify_codes_below_min_positives_stay_rules_only():
    codebook = load_codebook(MINI)
    items = synthetic()
    sharing = [i for i in items if "information_sharing" in i.codes]
    kept = [i for i in items if i not in sharing] + sharing[:MIN_POSITIVES - 1]
    model = Classifier(codebook).fit(kept)
    assert "information_sharing" in model.rules_only_ and "information_sharing" not in model.models_
    model = Classifier(codebook).fit([i for i in items if i not in sharing] + sharing[:MIN_POSITIVES])
    assert "information_sharing" in model.models_


def test_classify_probabilities_separate_classes(trained):
    _, model, _ = trained
    texts = ["The GP never heard about the referral.", "The family went on holiday in the summer."]
    probabilities = model.predict_proba(texts, ["analysis", "analysis"])["information_sharing"]
    assert probabilities[0] > 0.7 > 0.3 > probabilities[1]


def test_classify_polarity_head_learns_and_survives_save_and_load(tmp_path):
    codebook = load_codebook(MINI)
    well = ["the school shared the {x} report with the GP the same day", "the health visitor passed on the {x} notes promptly",
            "the GP told the school about the {x} straight away", "the police shared the {x} log with the nurse at once"]
    items = synthetic() + [Labelled(f"g{i}-{x}", t.format(x=x).capitalize() + ".", "analysis",
                                    {"information_sharing": "good_practice"}, "written")
                           for i, t in enumerate(well) for x in PLACES]
    model = Classifier(codebook).fit(items)
    assert model.polarity_ is not None and set(model.polarity_[2]) == {"shortfall", "good_practice"}
    loaded = load_model(model.save(tmp_path / "m", name="polar"), codebook)
    texts = [well[0].format(x="hearing").capitalize() + ".", SHARING[1].format(x="hearing").capitalize() + "."]
    assert loaded.predict_polarity(texts, ["analysis"] * 2) == model.predict_polarity(texts, ["analysis"] * 2) \
        == ["good_practice", "shortfall"]


def test_classify_save_load_gives_same_probabilities_and_no_pickle(trained):
    codebook, model, folder = trained
    loaded = load_model(folder, codebook)
    texts = ["Nobody passed the strategy report to the school.", "Police attended a violent incident at home."]
    for code in model.models_:
        assert np.allclose(model.predict_proba(texts, ["analysis"] * 2)[code],
                           loaded.predict_proba(texts, ["analysis"] * 2)[code], atol=1e-5)
    assert model.model_id.startswith("tiny@") and loaded.model_id == model.model_id
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["codebook_sha256"] == codebook.sha256 and meta["rules_only"] == ["escalation_challenge"]
    assert set(meta["codes"]["information_sharing"]) == {"intercept", "platt", "threshold", "veto", "alone"}


def test_classify_refuses_model_for_other_codebook(trained, tmp_path):
    _, _, folder = trained
    changed = tmp_path / "changed.yaml"
    changed.write_text(MINI.read_text().replace("Domestic abuse in the household.", "Abuse at home."))
    with pytest.raises(ModelError, match="trained on codebook mini@0.1"):
        load_model(folder, load_codebook(changed))


def test_classify_missing_model_folder(tmp_path):
    with pytest.raises(ModelError, match="meta.json and weights.npz"):
        load_model(tmp_path, load_codebook(MINI))


def test_hybrid_model_finds_what_rules_miss_with_provenance(trained):
    codebook, model, _ = trained
    text = "Nobody passed the assessment report to the school."
    rules_only = HybridCoder(codebook, None).code_texts([("p", text, "analysis")])
    assert rules_only == []
    (coding,) = HybridCoder(codebook, model).code_texts([("p", text, "analysis")])
    assert coding.code == "information_sharing" and coding.provenance.source == "model"
    assert coding.provenance.probability >= model.models_["information_sharing"].threshold
    assert coding.evidence == text and coding.provenance.model == model.model_id


def test_hybrid_agreement_raises_confidence_and_records_both(trained):
    codebook, model, _ = trained
    text = "The GP was not told about the assessment and never heard about the referral."
    (rule,) = HybridCoder(codebook, None).code_texts([("p", text, "analysis")])
    (both,) = HybridCoder(codebook, model).code_texts([("p", text, "analysis")])
    assert both.provenance.source == "hybrid" and both.provenance.rules == rule.provenance.rules
    assert both.confidence > rule.confidence


def test_hybrid_rules_only_code_passes_through(trained):
    codebook, model, _ = trained
    codings = HybridCoder(codebook, model).code_texts([("p", "The nursery did not escalate its concerns.", "analysis")])
    assert [(c.code, c.provenance.source) for c in codings] == [("escalation_challenge", "rule")]


def test_hybrid_codes_no_bibliography_entry_the_rules_skip(trained):
    codebook, model, _ = trained
    entry = "Smith, J. (2019) Nobody passed the assessment report to the school. London: Northmoor Press."
    assert model.predict_proba([entry], ["analysis"])["information_sharing"][0] >= \
        model.models_["information_sharing"].threshold  # the model alone would code it
    assert HybridCoder(codebook, model).code_texts([("p", entry, "analysis")]) == []
    # nothing left for the model at all (it used to be asked about an empty batch and fail)
    assert HybridCoder(codebook, model).code_texts([("q", "Nobody passed the report to the school.", "introduction")]) == []


def test_hybrid_keeps_the_polarity_a_pattern_fixes(trained, tmp_path):
    _, model, _ = trained
    text = MINI.read_text().replace("        window: 6\n", "        window: 6\n        polarity: good_practice\n", 1)
    (tmp_path / "fixed.yaml").write_text(text)
    codebook = load_codebook(tmp_path / "fixed.yaml")
    sentence = "The GP was not told about the assessment and never heard about the referral."
    (rule,) = HybridCoder(codebook, None).code_texts([("p", sentence, "analysis")])
    (both,) = HybridCoder(codebook, model).code_texts([("p", sentence, "analysis")])
    assert rule.polarity == both.polarity == "good_practice" and both.provenance.source == "hybrid"
