"""The extraction pipeline: one document in, its commitments out.

`extract` is a pure function of the document (taxonomy and lexicons are read-only data loaded
once), so a cluster can map it over millions of documents and hand the results to one writer.
Stages, each its own module: sections → sentences → mentions → commitments (+ attribution)
→ targets.
"""

from __future__ import annotations

from .actions import lexicon
from .attribution import attribute
from .commitments import Commitment, SentenceView, decide
from ..text.documents import Document
from .mentions import finder
from ..text.sections import annotate_sections
from ..text.sentences import split_sentences
from .targets import extract_targets

#: Sections that are never read for commitments (not even as review context).
SKIPPED_SECTIONS = frozenset({"glossary", "leftover", "front"})


def extract(doc: Document, include_rejected: bool = False) -> list[Commitment]:
    """Commitments of a document (plan part), plus review/incidental ones if asked."""
    if not doc.sections:
        annotate_sections(doc)
    text, lang = doc.text, doc.lang
    mention_finder, lex = finder(lang), lexicon(lang)
    doc_id = doc.id
    found: dict[tuple, Commitment] = {}
    for section in doc.sections:
        if section.kind in SKIPPED_SECTIONS:
            continue
        five_year = section.kind == "outlook"
        for s, e in split_sentences(text, section.start, section.end, lang):
            mentions = mention_finder.find(text, s, e)
            if not mentions:
                continue
            view = SentenceView(text, s, e, lex.cues(text, s, e), lex, mentions)
            targets = None
            for mention in mentions:
                decision = decide(section.kind, view, mention)
                if not decision.committed and not include_rejected:
                    continue
                attached = []
                if decision.committed:
                    if targets is None:
                        targets = extract_targets(text, s, e, doc.year, lang, five_year=five_year)
                    # a target belongs to the term of its own list item ("…新能源汽车、国达化工60万吨钾肥"
                    # gives NEVs no potash target)
                    item = view.facts(decision.clause).list_item(mention.start)
                    attached = [t for t in targets if item[0] <= t.start < item[1]]
                for adcode in attribute(doc, (s, e), mention.start):
                    key = (s, mention.slug, adcode)
                    previous = found.get(key)
                    if previous is not None and (previous.committed or not decision.committed):
                        if decision.committed:
                            previous.strength = max(previous.strength, decision.strength)
                            previous.targets.extend(t for t in attached if t not in previous.targets)
                        continue
                    found[key] = Commitment(
                        doc_id=doc_id, adcode=adcode, year=doc.year, section=section.kind,
                        slug=mention.slug, axis=mention.axis, term=mention.term,
                        action=decision.action, strength=decision.strength,
                        sentence=text[s:e], start=s, end=e,
                        mention_start=mention.start, mention_end=mention.end,
                        committed=decision.committed, reason=decision.reason, targets=list(attached),
                    )
    return sorted(found.values(), key=lambda c: (c.start, c.mention_start, c.slug))
