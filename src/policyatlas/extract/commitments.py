"""Commitments: decide whether a sentence commits a region to the industry it mentions.

Follows `docs/annotation.md`: only plan-part sentences count; an intention (an action cue) is
needed; consumption or incidental use of a product is not a commitment unless the clause is
also about producing it. Strength comes from the strongest cue in the mention's clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actions import Cue, Lexicon
from ..text.documents import PLAN_KINDS
from .mentions import Mention
from ..text.sentences import split_clauses

#: Clause boundaries inside a sentence (list separators 、 are not boundaries: lists count whole).


@dataclass(frozen=True)
class Decision:
    """Whether a mention commits, with the action cue, strength and the reason if it does not."""

    committed: bool
    action: str | None
    strength: int
    reason: str = ""
    clause: tuple[int, int] = (0, 0)  # the mention's clause, where its targets are looked for


@dataclass
class Commitment:
    """A region's stated intention about one slug, with its evidence sentence and offsets."""

    doc_id: str
    adcode: str | None
    year: int | None
    section: str
    slug: str
    axis: str
    term: str
    action: str | None
    strength: int
    sentence: str
    start: int
    end: int
    mention_start: int
    mention_end: int
    committed: bool = True
    reason: str = ""
    targets: list = field(default_factory=list)

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["targets"] = [t if isinstance(t, dict) else t.__dict__ for t in self.targets]
        return data


def clause_bounds(text: str, sentence_start: int, sentence_end: int, offset: int, lang: str = "zh") -> tuple[int, int]:
    """The clause of a sentence (see `sentences.split_clauses`) that contains offset."""
    for start, end in split_clauses(text, sentence_start, sentence_end, lang):
        if offset < end:
            return start, end
    return sentence_start, sentence_end


def _without(text: str, start: int, end: int, holes: list[tuple[int, int]]) -> str:
    """text[start:end] with the holes (industry terms) blanked, so 消费电子 never reads as 消费."""
    chars = list(text[start:end])
    for hole_start, hole_end in holes:
        for i in range(max(hole_start, start), min(hole_end, end)):
            chars[i - start] = " "
    return "".join(chars)


def list_item_bounds(text: str, clause_start: int, clause_end: int, offset: int) -> tuple[int, int]:
    """The 、-separated list item of a clause that contains offset (a whole clause if no list)."""
    start, end = clause_start, clause_end
    for index in range(clause_start, clause_end):
        if text[index] == "、":
            if index < offset:
                start = index + 1
            else:
                end = index
                break
    return start, end


def decide(
    text: str,
    section: str,
    sentence: tuple[int, int],
    mention: Mention,
    cues: list[Cue],
    lexicon: Lexicon,
    terms: list[Mention] = (),
) -> Decision:
    """Apply the conventions to one mention in one sentence (cues and terms: the sentence's)."""
    s_start, s_end = sentence
    c_start, c_end = clause_bounds(text, s_start, s_end, mention.start, lexicon.lang)
    clause_cues = [c for c in cues if c_start <= c.start < c_end]
    before = [c for c in cues if c.end <= mention.start]
    after = [c for c in cues if c.start >= mention.end]
    verb = before[-1] if before else (after[0] if after else None)
    strength = max((c.rank for c in clause_cues), default=verb.rank if verb else 0)
    action = verb.text if verb else None
    if section not in PLAN_KINDS:
        return Decision(False, action, strength, f"{section} part")
    if verb is None:
        return Decision(False, None, 0, "no action cue in the sentence")
    if lexicon.is_background(text[c_start:c_end]) or any(p.search(text, s_start, s_end) for p in lexicon.background_patterns):
        return Decision(False, action, strength, "background: a past result restated")
    lead = " " + text[c_start:mention.start] + " "
    if lexicon.has_any(lead, lexicon.negation):
        return Decision(False, action, strength, "negated: the plan is denied or stopped")
    holes = [(m.start, m.end) for m in terms] + [(mention.start, mention.end)]
    rest = _without(text, c_start, c_end, holes)
    if lexicon.has_any(rest, lexicon.uptake) and not lexicon.has_any(rest, lexicon.production):
        return Decision(False, action, strength, "incidental: uptake or use only")
    return Decision(True, action, strength, clause=(c_start, c_end))
