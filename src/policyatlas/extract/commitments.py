"""Commitments: decide whether a sentence commits a region to the industry it mentions.

Follows `docs/annotation.md`: only plan-part sentences count; an intention (an action cue) is
needed; consumption or incidental use of a product is not a commitment unless the clause is
also about producing it. Strength comes from the strongest cue in the mention's clause.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .actions import Cue, Lexicon
from ..text.documents import PLAN_KINDS
from .mentions import Mention
from ..text.sentences import split_clauses

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


class SentenceView:
    """One sentence prepared once for all its mentions: clauses, cues, list items, background.

    Everything `decide` needs that does not depend on the mention is computed here a single
    time, so a sentence with m mentions costs O(len + m log m), never O(len × m) (a 50 MB line
    without punctuation is one sentence).
    """

    def __init__(self, text: str, start: int, end: int, cues: list[Cue], lexicon: Lexicon, terms: list[Mention]):
        self.text, self.start, self.end, self.lexicon = text, start, end, lexicon
        self.cues = cues
        self._cue_starts = [c.start for c in cues]
        self._cue_ends = [c.end for c in cues]
        self.clauses = split_clauses(text, start, end, lexicon.lang) or [(start, end)]
        self._clause_ends = [e for _, e in self.clauses]
        self.background = any(p.search(text, start, end) for p in lexicon.background_patterns)
        # industry terms blanked once for the sentence, so 消费电子 never reads as 消费
        self._blanked = _without(text, start, end, [(m.start, m.end) for m in terms])
        self._clause_facts: dict[tuple[int, int], _ClauseFacts] = {}

    def clause(self, offset: int) -> tuple[int, int]:
        """The clause (see `sentences.split_clauses`) that contains offset."""
        index = bisect_right(self._clause_ends, offset)
        return self.clauses[index] if index < len(self.clauses) else (self.start, self.end)

    def facts(self, clause: tuple[int, int]) -> _ClauseFacts:
        """The mention-independent judgements of one clause, computed on first use."""
        found = self._clause_facts.get(clause)
        if found is None:
            found = self._clause_facts[clause] = _ClauseFacts(self, *clause)
        return found

    def verb(self, mention: Mention) -> Cue | None:
        """The action cue governing a mention: the nearest before it, else the first after it."""
        before = bisect_right(self._cue_ends, mention.start)
        if before:
            return self.cues[before - 1]
        after = bisect_left(self._cue_starts, mention.end)
        return self.cues[after] if after < len(self.cues) else None


class _ClauseFacts:
    """Strength, background, uptake, negation cue ends and list separators of one clause."""

    def __init__(self, view: SentenceView, start: int, end: int):
        text, lex = view.text, view.lexicon
        self.start, self.end = start, end
        ranks = [c.rank for c in view.cues[bisect_left(view._cue_starts, start):bisect_left(view._cue_starts, end)]]
        self.strength = max(ranks) if ranks else None
        self.background = view.background or lex.is_background(text[start:end])
        rest = view._blanked[start - view.start:end - view.start]
        self.uptake_only = lex.has_any(rest, lex.uptake) and not lex.has_any(rest, lex.production)
        self._negation = _PhraseEnds(text[start:end], lex.negation, lex.lang == "en")
        self._separators = [i for i in range(start, end) if text[i] == "、"]

    def negated_before(self, offset: int) -> bool:
        """Whether a negation cue stands in the clause before offset (its words before the term)."""
        return self._negation.occurs_before(offset - self.start)

    def list_item(self, offset: int) -> tuple[int, int]:
        """The 、-separated list item that contains offset (the whole clause if no list)."""
        index = bisect_left(self._separators, offset)
        start = self._separators[index - 1] + 1 if index else self.start
        end = self._separators[index] if index < len(self._separators) else self.end
        return start, end


class _PhraseEnds:
    """Answers "does a phrase occur in ' ' + clause[:k] + ' '?" for any k after one scan.

    Phrases may carry padding spaces (" not "); the padding stands for the clause edges, as
    when the phrase list is matched against the space-padded words before a term.
    """

    def __init__(self, clause: str, phrases: tuple[str, ...], casefold: bool):
        padded = " " + (clause.lower() if casefold and len(clause.lower()) == len(clause) else clause)
        if casefold:
            phrases = tuple(p.lower() for p in phrases)
        # earliest end (in clause offsets) of a whole occurrence inside " " + clause
        self.first_end = min((padded.find(p) + len(p) - 1 for p in phrases if p in padded), default=None)
        # phrases that end in a space may also end at the closing pad: offsets where their stem ends
        self.stem_ends: set[int] = set()
        for phrase in phrases:
            stem = phrase.rstrip(" ")
            if stem != phrase and stem:
                at = padded.find(stem)
                while at >= 0:
                    self.stem_ends.add(at + len(stem) - 1)
                    at = padded.find(stem, at + 1)

    def occurs_before(self, k: int) -> bool:
        return (self.first_end is not None and self.first_end <= k) or k in self.stem_ends


def _without(text: str, start: int, end: int, holes: list[tuple[int, int]]) -> str:
    """text[start:end] with the holes (industry terms) blanked, so 消费电子 never reads as 消费."""
    chars = list(text[start:end])
    for hole_start, hole_end in holes:
        for i in range(max(hole_start, start), min(hole_end, end)):
            chars[i - start] = " "
    return "".join(chars)


def decide(section: str, view: SentenceView, mention: Mention) -> Decision:
    """Apply the conventions to one mention of a prepared sentence."""
    c_start, c_end = view.clause(mention.start)
    clause = view.facts((c_start, c_end))
    verb = view.verb(mention)
    strength = clause.strength if clause.strength is not None else (verb.rank if verb else 0)
    action = verb.text if verb else None
    if section not in PLAN_KINDS:
        return Decision(False, action, strength, f"{section} part")
    if verb is None:
        return Decision(False, None, 0, "no action cue in the sentence")
    if clause.background:
        return Decision(False, action, strength, "background: a past result restated")
    if clause.negated_before(mention.start):
        return Decision(False, action, strength, "negated: the plan is denied or stopped")
    if clause.uptake_only:
        return Decision(False, action, strength, "incidental: uptake or use only")
    return Decision(True, action, strength, clause=(c_start, c_end))
