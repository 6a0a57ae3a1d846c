"""How sure a sentence is of what it says, and who it quotes as saying it."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..model import Kind, Mention, Modality
from .context import AGENTS, DocContext

_SPEAKERS = frozenset({Kind.PERSON, Kind.ORGANIZATION, Kind.GROUP, Kind.OUTLET})
_CLAUSE_UP = {"ccomp", "xcomp", "conj", "advcl", "parataxis", "relcl", "acl", "pcomp", "pobj", "prep", "dobj", "attr", "oprd", "advmod", "npadvmod", "dep"}


def is_negated(trigger: Token) -> bool:
    """'did not flee', 'never executed', 'no one fled'."""
    for c in trigger.children:
        if c.dep_ == "neg" or c.lower_ in ("never",):
            return True
        if c.dep_ in ("nsubj", "nsubjpass") and any(d.lower_ in ("no", "none", "nobody") for d in c.subtree if d.i <= c.i):
            return True
    # "failed to flee" is not a flight either, but that is a blocking head, not negation.
    return False


def is_hedged(trigger: Token, sent: Span, lexicons: dict) -> bool:
    hedges = lexicons["hedges"]
    adverbs, modals, words = set(hedges["adverbs"]), set(hedges["modals"]), set(hedges["words"])
    chain = [trigger, *list(trigger.ancestors)[:4]]
    for tok in chain:
        for c in tok.children:
            if c.lower_ in adverbs or (c.dep_ == "aux" and c.lower_ in modals):
                return True
    for tok in sent:
        if tok.lower_ in words:
            return True
        # "did not rule out (the possibility) that ..." hedges rather than denies
        if tok.lemma_ == "rule" and any(c.lower_ == "out" for c in tok.children):
            return True
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            return True
    for anc in trigger.ancestors:
        if anc.lemma_.lower() in ("claim", "allege", "believe", "suspect", "rumour", "rumor", "speculate", "suggest"):
            return True
    return False


def speaker_of(trigger: Token, sent: Span, ctx: DocContext) -> Mention | None:
    """The person or body the sentence quotes for the clause holding the trigger."""
    reporting = set(ctx.lexicons["reporting_verbs"])
    node = trigger
    while node.dep_ in _CLAUSE_UP and node.head != node:
        head = node.head
        if head.lemma_.lower() in reporting and node.dep_ not in ("nsubj", "nsubjpass"):
            m = _subject_mention(head, ctx)
            if m:
                return m
        node = head
    root = sent.root
    if root.lemma_.lower() in reporting and trigger not in list(_subjects(root)):
        m = _subject_mention(root, ctx)
        if m:
            return m
    for tok in sent:
        # "according to X"
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
            for p in tok.nbor(1).children:
                if p.dep_ == "pobj":
                    m = ctx.mention_at(p, _SPEAKERS)
                    if m:
                        return m
        # a reporting verb in a parenthetical ", he said," anywhere in the sentence
        if tok.lemma_.lower() in ("say", "tell", "add", "claim") and tok.dep_ in ("parataxis", "ROOT", "ccomp") and tok != trigger:
            m = _subject_mention(tok, ctx)
            if m:
                return m
    return None


def _subjects(verb: Token):
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            yield from c.subtree


def _subject_mention(verb: Token, ctx: DocContext) -> Mention | None:
    for c in verb.children:
        if c.dep_ in ("nsubj",):
            m = ctx.mention_at(c, _SPEAKERS | AGENTS)
            if m:
                return m
            # "sources said", "local officials say": an unnamed source still hedges the claim
            return None
    return None


def judge(trigger: Token, sent: Span, ctx: DocContext, *, attributable: bool = True) -> tuple[Modality, Mention | None]:
    """The modality of a claim read at `trigger` and its quoted speaker, if any.

    `attributable` is False for identifying descriptions ('ISIL leader X'), which stay asserted
    inside a quoted sentence.
    """
    speaker = speaker_of(trigger, sent, ctx) if attributable else None
    if is_negated(trigger):
        return Modality.NEGATED, speaker
    if is_hedged(trigger, sent, ctx.lexicons) if attributable else _locally_hedged(trigger, ctx.lexicons):
        return Modality.REPORTED, speaker
    if speaker is not None or (attributable and _unnamed_source(trigger, sent, ctx)):
        return Modality.REPORTED, speaker
    return Modality.ASSERTED, speaker


def _locally_hedged(trigger: Token, lexicons: dict) -> bool:
    adverbs = set(lexicons["hedges"]["adverbs"]) | set(lexicons["hedges"]["words"])
    return any(c.lower_ in adverbs for c in trigger.children)


def _unnamed_source(trigger: Token, sent: Span, ctx: DocContext) -> bool:
    """'..., sources said' or 'officials say that ...' with no named speaker."""
    reporting = set(ctx.lexicons["reporting_verbs"])
    node = trigger
    while node.head != node:
        head = node.head
        if head.lemma_.lower() in reporting and node.dep_ not in ("nsubj", "nsubjpass"):
            return any(c.dep_ == "nsubj" for c in head.children)
        node = head
    root = sent.root
    return root.lemma_.lower() in reporting and root != trigger and any(c.dep_ == "nsubj" for c in root.children)
