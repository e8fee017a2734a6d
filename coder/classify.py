"""The trained half: TF-IDF features into one calibrated logistic regression per code, plus a
polarity head. Saved as plain arrays and JSON (never pickles), tied to one codebook hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from scipy import sparse

from coder.codebook import Codebook
from coder.errors import ModelError, UsageError
from coder.files import write_atomic, write_text_atomic
from coder.labelled import Labelled

MIN_POSITIVES = 15  # fewer training positives than this and a code stays rules-only
FORMAT_VERSION = 1
_WORD = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "max_features": 12000, "sublinear_tf": True,
         "lowercase": True, "token_pattern": r"(?u)\b\w[\w'-]*\b", "dtype": np.float32}
_CHAR = {"analyzer": "char_wb", "ngram_range": (3, 5), "min_df": 3, "max_features": 12000, "sublinear_tf": True,
         "lowercase": True, "dtype": np.float32}


def model_text(text: str, section: str) -> str:
    """What the model reads: the section type as a token, then the paragraph."""
    return f"zzsection{section.replace('_', '')} {text}"


@dataclass
class CodeModel:
    code: str
    coef: np.ndarray
    intercept: float
    platt: tuple[float, float]  # calibrated p = 1 / (1 + exp(a * score + b))
    threshold: float  # in the hybrid, the model codes a paragraph the rules missed when p >= threshold
    veto: float  # in the hybrid, a rule hit is kept when p >= veto
    alone: float  # the model used without rules codes when p >= alone


class Classifier:
    """One probability per code and a polarity per paragraph, from verified or labelled text."""

    def __init__(self, codebook: Codebook, *, C: float = 4.0) -> None:
        self.codebook = codebook
        self.C = C

    # ---- features -------------------------------------------------------------------------
    def _vectorizers(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(**_WORD), TfidfVectorizer(**_CHAR)

    def _features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.hstack([v.transform(texts) for v in self.vectorizers_], format="csr")

    # ---- training -------------------------------------------------------------------------
    def fit(self, items: Sequence[Labelled], *, rule_hits: dict[str, set[str]] | None = None, progress=None) -> Classifier:
        """Fit every code with enough positives; choose thresholds on cross-validated predictions.

        With ``rule_hits`` ({item id: codes the rules found}) each code's threshold and veto are
        chosen together to maximise the hybrid's F1 on the out-of-fold probabilities; without,
        the threshold maximises the model's own F1.
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold

        if not items:
            raise UsageError("No labelled paragraphs to train on; pass training files or a store with verified codings.")
        texts = [model_text(i.text, i.section) for i in items]
        self.vectorizers_ = self._vectorizers()
        for vectorizer in self.vectorizers_:
            vectorizer.fit(texts)
        features = self._features(texts)
        self.models_: dict[str, CodeModel] = {}
        self.counts_ = {code: sum(code in i.codes for i in items) for code in self.codebook.ids}
        self.rules_only_ = sorted(c for c, n in self.counts_.items() if n < MIN_POSITIVES)
        folds = list(KFold(n_splits=4, shuffle=True, random_state=13).split(texts))
        self.oof_ = {}
        for number, code in enumerate(self.codebook.ids):
            if progress:
                progress(number, len(self.codebook.ids), code)
            if code in self.rules_only_:
                continue
            target = np.array([code in i.codes for i in items], dtype=int)
            scores = np.zeros(len(items))
            for train, test in folds:
                if target[train].sum() == 0:
                    continue
                fold = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000).fit(features[train], target[train])
                scores[test] = fold.decision_function(features[test])
            platt = _fit_platt(scores, target)
            probabilities = _apply_platt(scores, platt)
            self.oof_[code] = (probabilities, target)
            full = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000).fit(features, target)
            alone = _best_threshold(probabilities, target)
            threshold, veto = alone, 0.0
            if rule_hits is not None:
                fired = np.array([code in rule_hits.get(i.id, ()) for i in items])
                threshold, veto = _best_hybrid(probabilities, target, fired)
            self.models_[code] = CodeModel(code, full.coef_[0].astype(np.float32), float(full.intercept_[0]),
                                           platt, threshold, veto, alone)
        self._fit_polarity(items, features)
        self.training_hash_ = _hash_items(items)
        self.n_examples_ = len(items)
        return self

    def _fit_polarity(self, items: Sequence[Labelled], features: sparse.csr_matrix) -> None:
        from sklearn.linear_model import LogisticRegression

        rows, labels = [], []
        for index, item in enumerate(items):
            polarities = [p for c, p in item.codes.items() if c in self.codebook and
                          self.codebook.allowed_polarities(c) != ("context",)]
            if polarities:
                rows.append(index)
                # sorted first: ties must not depend on string hashing, or rebuilds would differ
                labels.append(max(sorted(set(polarities)), key=polarities.count))
        if len(set(labels)) < 2:
            self.polarity_ = None
            return
        head = LogisticRegression(C=self.C, max_iter=3000).fit(features[rows], labels)
        self.polarity_ = (head.coef_.astype(np.float32), head.intercept_.astype(np.float32), list(head.classes_))

    # ---- prediction -----------------------------------------------------------------------
    def predict(self, texts: Sequence[str], sections: Sequence[str]) -> tuple[dict[str, np.ndarray], list[str]]:
        """Calibrated probability of every modelled code for every text, and the polarity head's
        choice for each text, from one featurisation."""
        features = self._model_features(texts, sections)
        return self._probabilities(features), self._polarities(features)

    def predict_proba(self, texts: Sequence[str], sections: Sequence[str]) -> dict[str, np.ndarray]:
        """Calibrated probability of every modelled code for every text."""
        return self._probabilities(self._model_features(texts, sections))

    def predict_polarity(self, texts: Sequence[str], sections: Sequence[str]) -> list[str]:
        return self._polarities(self._model_features(texts, sections))

    def _model_features(self, texts: Sequence[str], sections: Sequence[str]) -> sparse.csr_matrix:
        self._check_fitted()
        return self._features([model_text(t, s) for t, s in zip(texts, sections)])

    def _probabilities(self, features: sparse.csr_matrix) -> dict[str, np.ndarray]:
        return {code: _apply_platt(features @ model.coef + model.intercept, model.platt)
                for code, model in self.models_.items()}

    def _polarities(self, features: sparse.csr_matrix) -> list[str]:
        if self.polarity_ is None:
            return ["shortfall"] * features.shape[0]
        coef, intercept, classes = self.polarity_
        scores = np.asarray(features @ coef.T + intercept)
        if scores.shape[1] == 1:  # two classes: one decision function, positive means the second class
            return [classes[int(s > 0)] for s in scores[:, 0]]
        return [classes[i] for i in scores.argmax(axis=1)]

    def _check_fitted(self) -> None:
        if not hasattr(self, "models_"):
            raise ModelError("The classifier has not been trained or loaded; call fit() or load_model() first.")

    # ---- persistence ----------------------------------------------------------------------
    def save(self, folder: str | Path, *, name: str, metrics: dict | None = None) -> Path:
        """Write ``weights.npz`` (arrays only) and ``meta.json`` into ``folder``."""
        from coder import __version__

        self._check_fitted()
        self.name_ = name  # the model id names what was saved
        folder = Path(folder)
        arrays: dict[str, np.ndarray] = {}
        for kind, vectorizer in zip(("word", "char"), self.vectorizers_):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            arrays[f"{kind}_terms"] = np.array(terms, dtype=str)
            arrays[f"{kind}_idf"] = vectorizer.idf_.astype(np.float32)
        codes = list(self.models_)
        arrays["coef"] = np.vstack([self.models_[c].coef for c in codes]) if codes else np.zeros((0, 0), np.float32)
        if self.polarity_ is not None:
            arrays["polarity_coef"], arrays["polarity_intercept"] = self.polarity_[0], self.polarity_[1]
        def write_weights(tmp: Path) -> None:
            with open(tmp, "wb") as handle:  # a handle, so numpy does not add .npz to the temporary name
                np.savez_compressed(handle, **arrays)

        write_atomic(folder / "weights.npz", write_weights)
        meta = {
            "format": FORMAT_VERSION, "name": name, "tool_version": __version__,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "codebook": self.codebook.identity, "codebook_sha256": self.codebook.sha256,
            "training_sha256": self.training_hash_, "n_examples": self.n_examples_, "C": self.C,
            "positives": self.counts_, "rules_only": self.rules_only_, "modelled_codes": codes,
            "codes": {c: {"intercept": m.intercept, "platt": list(m.platt), "threshold": m.threshold, "veto": m.veto,
                          "alone": m.alone}
                      for c, m in self.models_.items()},
            "polarity_classes": self.polarity_[2] if self.polarity_ is not None else None,
            "metrics": metrics or {},
        }
        write_text_atomic(folder / "meta.json", json.dumps(meta, indent=1, sort_keys=True))
        return folder

    @property
    def model_id(self) -> str:
        return f"{getattr(self, 'name_', 'model')}@{self.training_hash_[:8]}"


def load_model(folder: str | Path, codebook: Codebook) -> Classifier:
    """Load a saved model; refuses one built for another codebook version.

    Raises:
        ModelError: missing files, unknown format, or a codebook hash that does not match.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    folder = Path(folder)
    meta_path, weights_path = folder / "meta.json", folder / "weights.npz"
    if not meta_path.is_file() or not weights_path.is_file():
        raise ModelError(f"{folder} is not a coder model: meta.json and weights.npz are needed; "
                         "build one with `coder train` or `make model`.")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION:
        raise ModelError(f"{folder}: model format {meta.get('format')!r} is not supported (expected {FORMAT_VERSION}).")
    if meta["codebook_sha256"] != codebook.sha256:
        raise ModelError(
            f"Model {folder} was trained on codebook {meta['codebook']}, but you are coding with "
            f"{codebook.identity}. Retrain it with `coder train … --codebook` or use the codebook it was built for.")
    arrays = np.load(weights_path, allow_pickle=False)
    model = Classifier(codebook, C=meta["C"])
    vectorizers = []
    for kind, params in (("word", _WORD), ("char", _CHAR)):
        terms = arrays[f"{kind}_terms"].tolist()
        vectorizer = TfidfVectorizer(**{**params, "min_df": 1, "max_features": None},
                                     vocabulary={t: i for i, t in enumerate(terms)})
        vectorizer.idf_ = arrays[f"{kind}_idf"]
        vectorizers.append(vectorizer)
    model.vectorizers_ = tuple(vectorizers)
    model.models_ = {}
    for row, code in enumerate(meta["modelled_codes"]):
        info = meta["codes"][code]
        model.models_[code] = CodeModel(code, arrays["coef"][row], info["intercept"], tuple(info["platt"]),
                                        info["threshold"], info["veto"], info["alone"])
    model.polarity_ = ((arrays["polarity_coef"], arrays["polarity_intercept"], meta["polarity_classes"])
                       if meta.get("polarity_classes") else None)
    model.counts_, model.rules_only_ = meta["positives"], meta["rules_only"]
    model.training_hash_, model.n_examples_ = meta["training_sha256"], meta["n_examples"]
    model.name_ = meta["name"]
    return model


def _fit_platt(scores: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if target.min() == target.max():
        return (-1.0, 0.0)
    fitted = LogisticRegression(C=1e4, max_iter=1000).fit(scores.reshape(-1, 1), target)
    return (-float(fitted.coef_[0, 0]), -float(fitted.intercept_[0]))


def _apply_platt(scores, platt: tuple[float, float]) -> np.ndarray:
    a, b = platt
    return 1.0 / (1.0 + np.exp(np.clip(a * np.asarray(scores).ravel() + b, -30, 30)))


def _best_threshold(probabilities: np.ndarray, target: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.15, 0.86, 0.05):
        predicted = probabilities >= threshold
        tp = int((predicted & (target == 1)).sum())
        f1 = 2 * tp / max(predicted.sum() + target.sum(), 1)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(round(threshold, 2)), f1
    return best


def _best_hybrid(probabilities: np.ndarray, target: np.ndarray, fired: np.ndarray) -> tuple[float, float]:
    """The (threshold, veto) pair with the best F1 of: rule hit with p >= veto, or p >= threshold."""
    best, best_f1 = (0.5, 0.0), -1.0
    positives = int(target.sum())
    for threshold in np.arange(0.2, 0.91, 0.05):
        for veto in (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3):
            if veto > threshold:
                continue
            predicted = (fired & (probabilities >= veto)) | (probabilities >= threshold)
            tp = int((predicted & (target == 1)).sum())
            f1 = 2 * tp / max(int(predicted.sum()) + positives, 1)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = (float(round(threshold, 2)), float(veto)), f1
    return best


def _hash_items(items: Sequence[Labelled]) -> str:
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda i: i.id):
        digest.update(json.dumps([item.id, item.text, item.section, sorted(item.codes.items())]).encode())
    return digest.hexdigest()


__all__ = ["Classifier", "load_model", "model_text", "MIN_POSITIVES"]
