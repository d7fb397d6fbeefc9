"""Confidence of a row from the evidence that produced it.

Every extractor names the rules and signals behind a row (`list:projects-section`,
`pattern:the-X-project`, `unit:noun`); `models/common/confidence.json` gives each a weight.
Positive weights combine as independent signals (noisy-OR: 1 - prod(1 - w)); negative
weights then scale the result down (a weight of -0.5 halves it). A tag without a weight of
its own takes the weight of its family (`pattern:*`), else nothing.
"""
from __future__ import annotations

from ..rules import Rules

KINDS = ("projects", "urls", "figures", "recommendations")


class ConfidenceModel:
    def __init__(self, rules: Rules) -> None:
        self.weights = {kind: dict(rules.get(f"confidence.{kind}", {})) for kind in KINDS}
        self.thresholds = {kind: float(v) for kind, v in rules.get("confidence.min_confidence", {}).items()}

    def weight(self, kind: str, tag: str) -> float:
        table = self.weights[kind]
        if tag in table:
            return float(table[tag])
        family = tag.split(":", 1)[0] + ":*"
        return float(table.get(family, 0.0))

    def score(self, kind: str, evidence: list[str]) -> float:
        miss = 1.0
        scale = 1.0
        for tag in dict.fromkeys(evidence):
            w = self.weight(kind, tag)
            if w > 0:
                miss *= 1.0 - min(w, 1.0)
            elif w < 0:
                scale *= 1.0 + max(w, -1.0)
        return round((1.0 - miss) * scale, 3)

    def threshold(self, kind: str, override: float | None = None) -> float:
        return self.thresholds.get(kind, 0.0) if override is None else override

    def keep(self, kind: str, evidence: list[str], override: float | None = None) -> float | None:
        """The row's confidence, or None when it is under the kind's threshold."""
        score = self.score(kind, evidence)
        return score if score >= self.threshold(kind, override) else None


def evidence_text(evidence: list[str]) -> str:
    """The contract's form: distinct tags in the order found, `; `-separated."""
    return "; ".join(dict.fromkeys(evidence))
