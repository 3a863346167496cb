"""The extraction pipeline: one document in, its commitments out.

`extract` is a pure function of the document (taxonomy and lexicons are read-only data loaded
once), so a cluster can map it over millions of documents and hand the results to one writer.
Stages, each its own module: sections → sentences → mentions → commitments (+ attribution)
→ targets.
"""

from __future__ import annotations

from collections.abc import Iterator

from .actions import lexicon
from .attribution import attribute, discourse, release
from .commitments import Commitment, SentenceView, decide
from ..text.documents import Document
from .mentions import Mention, finder
from ..text.sections import annotate_sections
from ..text.sentences import split_sentences
from .targets import extract_targets

#: Sections that are never read for commitments (not even as review context).
SKIPPED_SECTIONS = frozenset({"glossary", "leftover", "front"})


def by_sentence(sentences: list[tuple[int, int]], mentions: list[Mention]) -> Iterator[tuple[tuple[int, int], list[Mention]]]:
    """The mentions inside each sentence, for sentences that have any (both lists in text order).

    One Aho-Corasick pass per section instead of one per sentence: the automaton's per-call cost
    dominated on texts of many short sentences."""
    index, count = 0, len(mentions)
    for s, e in sentences:
        while index < count and mentions[index].start < s:
            index += 1
        first = index
        while index < count and mentions[index].end <= e:
            index += 1
        if index > first:
            yield (s, e), mentions[first:index]


def extract(doc: Document, include_rejected: bool = False) -> list[Commitment]:
    """Commitments of a document (plan part), plus review/incidental ones if asked."""
    if not doc.sections:
        annotate_sections(doc)
    text, lang = doc.text, doc.lang
    mention_finder, lex = finder(lang), lexicon(lang)
    doc_id = doc.id
    news = discourse(doc)  # None for a region's own report
    year = news.year if news is not None else doc.year
    found: dict[tuple, Commitment] = {}
    for section in doc.sections:
        if section.kind in SKIPPED_SECTIONS:
            continue
        five_year = section.kind == "outlook"
        sentences = split_sentences(text, section.start, section.end, lang)
        section_mentions = mention_finder.find(text, section.start, section.end)
        if news is not None:  # industry anaphors, senses, plans continued from the sentence before
            section_mentions = news.mentions(sentences, section_mentions)
            sentence_before = dict(zip(sentences[1:], sentences))
        for (s, e), mentions in by_sentence(sentences, section_mentions):
            view = SentenceView(text, s, e, lex.cues(text, s, e), lex, mentions)
            targets = None
            for mention in mentions:
                decision = decide(section.kind, view, mention)
                if news is not None:
                    decision = news.vet(view, mention, decision, sentence_before.get((s, e)))
                if not decision.committed and not include_rejected:
                    continue
                attached = []
                if decision.committed:
                    if targets is None:
                        targets = extract_targets(text, s, e, doc.year, lang, five_year=five_year)
                    # a target belongs to the term of its own list item ("…新能源汽车、国达化工60万吨钾肥"
                    # gives NEVs no potash target)
                    item = view.facts(decision.clause).list_item(mention.start)
                    # …and a count of an enumerated set ("生物医药等十大新兴产业") to no member named before it
                    attached = [t for t in targets if item[0] <= t.start < item[1]
                                and not (t.enumerated and mention.start < t.start)]
                for adcode in attribute(doc, (s, e), mention.start):
                    key = (s, mention.slug, adcode)
                    previous = found.get(key)
                    if previous is not None and (previous.committed or not decision.committed):
                        if decision.committed:
                            previous.strength = max(previous.strength, decision.strength)
                            previous.targets.extend(t for t in attached if t not in previous.targets)
                        continue
                    found[key] = Commitment(
                        doc_id=doc_id, adcode=adcode, year=year, section=section.kind,
                        slug=mention.slug, axis=mention.axis, term=mention.term,
                        action=decision.action, strength=decision.strength,
                        sentence=text[s:e], start=s, end=e,
                        mention_start=mention.start, mention_end=mention.end,
                        committed=decision.committed, reason=decision.reason, targets=list(attached),
                    )
    if news is not None:
        release()
    return sorted(found.values(), key=lambda c: (c.start, c.mention_start, c.slug))
