"""Leadership and membership from titles, appositions and relative clauses.

'ISIL leader Abu Bakr al-Baghdadi', 'Abu Saad al-Kuwaiti, a onetime leader of Islamic State in
Afghanistan', 'an ISIL leader known as X', 'Iraqi MP X', 'X, who serves on the Y committee'.
A definite top title (leader, emir, chief, head, founder) gives leaderOf; a deputy, an
indefinite 'a leader' (one of several) or any other title gives memberOf.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..model import Kind, Mention, Modality, Relation
from .claims import judge
from .context import DocContext, SentenceContext, clean_name, normalise

_PEOPLE = frozenset({Kind.PERSON})
_ORGS = frozenset({Kind.ORGANIZATION})
_SCAN_POS = {"NOUN", "PROPN", "ADJ", "NUM", "PART", "ADP", "PUNCT", "X"}


def _titles(ctx: DocContext) -> tuple[set[str], set[str]]:
    r = ctx.lexicons["roles"]
    return set(r["leader_titles"]), set(r["member_titles"])


def _relation_for(title: Token, modifiers: list[Token], determiner: str | None, ctx: DocContext) -> Relation:
    leaders, _ = _titles(ctx)
    r = ctx.lexicons["roles"]
    former = set(r["former_modifiers"])
    demoting = set(r["demoting_modifiers"]) - former
    lemma = title.lemma_.lower()
    words = {m.lower_ for m in modifiers} | {m.lemma_.lower() for m in modifiers}
    if lemma not in leaders and not (lemma in r["commander_titles"] and words & set(r["top_commander_modifiers"])):
        return Relation.MEMBER_OF  # a "general commander" or "supreme commander" heads the group
    if words & demoting:
        return Relation.MEMBER_OF
    if determiner in ("a", "an", "one", "another") and not words & former:
        return Relation.MEMBER_OF  # one of its leaders; "a former leader" led it once
    if title.tag_ in ("NNS", "NNPS"):
        return Relation.MEMBER_OF
    return Relation.LEADER_OF


def _is_title(t: Token, ctx: DocContext) -> bool:
    leaders, members = _titles(ctx)
    return t.lemma_.lower() in leaders or t.lower_ in members or t.lemma_.lower() in members


def roles(sc: SentenceContext, ctx: DocContext) -> None:
    for ent in sc.sent.ents:
        person = ctx.mention_from_ent(ent)
        if person is None or person.kind is not Kind.PERSON or _gloss(ent, ctx):
            continue
        _premodifier_title(ent, person, sc, ctx)
        _as_title(ent, person, sc, ctx)
        _apposition(ent, person, sc, ctx)
        _relative_clause(ent, person, sc, ctx)
    _known_as(sc, ctx)


def _gloss(ent: Span, ctx: DocContext) -> bool:
    """'religious advisor (Shari')': a word in brackets after a title glosses the title."""
    doc = ent.doc
    k = ent.start - 1
    end = ent.end
    while end < len(doc) and doc[end].text in ("’", "'", '"', "”"):
        end += 1
    return k >= 1 and doc[k].text == "(" and end < len(doc) and doc[end].text == ")" and _is_title(doc[k - 1], ctx)


def _title_before_comma(ent: Span, sc: SentenceContext, ctx: DocContext) -> int | None:
    """'ISIS' religious advisor (Shari'), Abu X': the title a name follows after a comma."""
    doc = ent.doc
    k = ent.start - 1
    if k < sc.sent.start or doc[k].text != ",":
        return None
    k -= 1
    if k >= sc.sent.start and doc[k].text == ")":
        while k >= sc.sent.start and doc[k].text != "(":
            k -= 1
        k -= 1
    if k >= sc.sent.start and _is_title(doc[k], ctx) and not doc[k].ent_type_:
        return k
    return None


def _emit(ctx: DocContext, sc: SentenceContext, relation: Relation, person: Mention, org: Mention, trigger: Token,
          confidence: float) -> None:
    modality, _ = judge(trigger, sc.sent, ctx, attributable=False)
    if modality is Modality.NEGATED:
        return
    ctx.add_fact(relation, person, org, sc, modality=modality, confidence=confidence, trigger=trigger.text)


def _premodifier_title(ent: Span, person: Mention, sc: SentenceContext, ctx: DocContext) -> None:
    """ORG [in PLACE] [adjectives] TITLE NAME: 'Kurdistan Democratic Party in Mosul media officer Said X'."""
    doc = ent.doc
    i = ent.start - 1
    if (title_at := _title_before_comma(ent, sc, ctx)) is not None:
        i = title_at
    scanned: list[Token] = []
    determiner = None
    while i >= sc.sent.start and len(scanned) < 14:
        t = doc[i]
        ent = ctx.ent_at(t) if t.ent_type_ else None
        if ent is not None and ent.start < t.i and ent.label_ == "ORG":
            # a whole organisation name, its own "the" and "of" included
            scanned[:0] = list(doc[max(ent.start, sc.sent.start) : t.i + 1])
            i = ent.start - 1
            continue
        if t.pos_ == "DET" or t.lower_ in ("a", "an", "the"):
            determiner = t.lower_
            break
        if t.pos_ not in _SCAN_POS and not t.ent_type_:
            break
        # quotes and brackets wrap names inside the title: '"Islamic State" (ISIL) leader X'
        if t.pos_ == "PUNCT" and t.text not in ("-", "’", "'", '"', "“", "”", "(", ")", "[", "]"):
            break
        if t.pos_ == "ADP" and t.lower_ not in ("in", "for", "of"):
            break
        scanned.insert(0, t)
        i -= 1
    if not scanned:
        return
    title_at = None
    for k in range(len(scanned) - 1, -1, -1):
        if _is_title(scanned[k], ctx) and not scanned[k].ent_type_:
            title_at = k
            break
    if title_at is None:
        return
    title = scanned[title_at]
    before = scanned[:title_at]
    role_text = doc[scanned[0].i : title.i + 1].text
    ctx.roles.setdefault(person.key, role_text)
    relation = _relation_for(title, before, determiner, ctx)
    orgs = _orgs_in(before, ctx)
    parliament = set(ctx.lexicons["roles"]["parliament_titles"])
    if not orgs and title.lower_ in parliament:
        orgs = _parliament(before, title, ctx)
    for org in orgs:
        _emit(ctx, sc, relation if org is orgs[0] else Relation.MEMBER_OF, person, org, title, 0.85)


def _as_title(ent: Span, person: Mention, sc: SentenceContext, ctx: DocContext) -> None:
    """'oust X as leader', 'named X as its emir', 'replaced X as head of Y': X holds the title."""
    doc = ent.doc
    k = ent.end
    if k + 1 >= sc.sent.end or doc[k].lower_ != "as":
        return
    k += 1
    if doc[k].lower_ in ("the", "its", "their", "his"):
        k += 1
    if k >= sc.sent.end or not _is_title(doc[k], ctx) or doc[k].tag_ not in ("NN", "NNP"):
        return
    title = doc[k]
    orgs = _title_orgs(title, ctx) or [o for o in [ctx.focus_org(ctx.offset(title))] if o is not None]
    relation = _relation_for(title, [c for c in title.children if c.dep_ in ("amod", "compound")], "the", ctx)
    for org in orgs[:1]:
        _emit(ctx, sc, relation, person, org, title, 0.7)


def _orgs_in(tokens: list[Token], ctx: DocContext) -> list[Mention]:
    """Organisations named in a run of premodifiers: recognised ones first, else a compound
    ending in an institution noun ('Ninawa provincial council security committee'), with each
    shorter institution it contains ('Ninawa provincial council')."""
    found: list[Mention] = []
    for t in tokens:
        ent = ctx.ent_at(t)
        if ent is not None:
            m = ctx.mention_from_ent(ent)
            if m and m.kind is Kind.ORGANIZATION and m.key not in {f.key for f in found}:
                found.append(m)
    if found:
        return found
    heads = set(ctx.lexicons["roles"]["org_head_nouns"])
    # skip a leading "in PLACE"/"for PLACE" tail: keep the institution part only
    run: list[Token] = []
    for t in tokens:
        if t.pos_ == "ADP":
            break
        run.append(t)
    last_head = max((k for k, t in enumerate(run) if t.lemma_.lower() in heads), default=None)
    if last_head is None or last_head == 0:
        return []
    out = []
    for end in range(last_head, 0, -1):
        if run[end].lemma_.lower() in heads:
            out.append(_synthetic_org(run[0], run[end], ctx))
    return [m for m in out if m is not None]


def _synthetic_org(first: Token, last: Token, ctx: DocContext) -> Mention | None:
    span = first.doc[first.i : last.i + 1]
    text = clean_name(span.text)
    if len(text.split()) < 2:
        return None
    start = ctx.offset(span)
    m = Mention(ctx.document.id, start, start + len(span.text), text, Kind.ORGANIZATION, normalise(text))
    ctx.mentions[(m.start, m.end)] = m
    return m


def _parliament(before: list[Token], title: Token, ctx: DocContext) -> list[Mention]:
    """'Iraqi MP X' -> member of the Iraqi parliament (the demonym names the country)."""
    for t in before:
        if t.lower_ in ctx.gazetteer.demonym_to_country:
            text = f"{t.text} parliament"
            start = ctx.offset(t)
            m = Mention(ctx.document.id, start, ctx.offset(title) + len(title.text), text, Kind.ORGANIZATION, normalise(text))
            ctx.mentions[(m.start, m.end)] = m
            return [m]
    return []


def _title_orgs(title: Token, ctx: DocContext) -> list[Mention]:
    """The organisation a title noun names: 'leader of X', 'X's leader', 'the X leader'."""
    out: list[Mention] = []
    for c in title.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "in", "for", "within"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(ctx.args(p, _ORGS))
        elif c.dep_ in ("poss", "compound", "nmod", "amod"):
            out.extend(ctx.args(c, _ORGS))
    return list(dict.fromkeys(out))


def _determiner(t: Token) -> str | None:
    for c in t.children:
        if c.dep_ in ("det",) or c.lower_ in ("a", "an", "the", "one"):
            return c.lower_
    return None


def _apposition(ent: Span, person: Mention, sc: SentenceContext, ctx: DocContext) -> None:
    root = ent.root
    pairs: list[Token] = []
    # "X, the leader of Y" (title hangs on the name) and "Y's leader, X" (name hangs on the title)
    pairs.extend(c for c in root.children if c.dep_ == "appos" and _is_title(c, ctx))
    if root.dep_ == "appos" and _is_title(root.head, ctx):
        pairs.append(root.head)
    # "X is the leader of Y"
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        pairs.extend(c for c in root.head.children if c.dep_ == "attr" and _is_title(c, ctx))
    # "his predecessor, X": X led what the predecessor's successor leads
    if root.dep_ == "appos" and root.head.lemma_.lower() in ctx.lexicons["roles"]["succession_nouns"]:
        for c in root.head.children:
            if c.dep_ == "poss":
                for other in ctx.args(c, _PEOPLE):
                    org_key = ctx.leaders.get(other.key)
                    org = next((m for m in ctx.mentions.values() if m.key == org_key and m.kind is Kind.ORGANIZATION), None)
                    if org is not None:
                        _emit(ctx, sc, Relation.LEADER_OF, person, org, root.head, 0.7)
    for title in pairs:
        orgs = _title_orgs(title, ctx)
        if not orgs:
            continue
        modifiers = [c for c in title.children if c.dep_ in ("amod", "compound", "advmod")]
        relation = _relation_for(title, modifiers, _determiner(title), ctx)
        ctx.roles.setdefault(person.key, title.doc[min(x.i for x in title.subtree): title.i + 1].text)
        for org in orgs:
            _emit(ctx, sc, relation, person, org, title, 0.8)


def _relative_clause(ent: Span, person: Mention, sc: SentenceContext, ctx: DocContext) -> None:
    # "X, who leads Y" / "X, who serves on the Y committee"
    r = ctx.lexicons["roles"]
    for clause in ent.root.children:
        if clause.dep_ != "relcl":
            continue
        lemma = clause.lemma_.lower()
        if lemma in r["leader_verbs"]:
            for d in clause.children:
                if d.dep_ == "dobj":
                    for org in ctx.args(d, _ORGS):
                        _emit(ctx, sc, Relation.LEADER_OF, person, org, clause, 0.8)
        elif lemma in r["member_verbs"]:
            for c in clause.children:
                if c.dep_ == "prep" and c.lower_ in ("on", "in", "with", "for"):
                    for p in c.children:
                        if p.dep_ != "pobj":
                            continue
                        orgs = ctx.args(p, _ORGS)
                        if not orgs and p.lemma_.lower() in r["org_head_nouns"]:
                            first = min(x.i for x in p.subtree if x.dep_ != "det")
                            m = _synthetic_org(p.doc[first], p, ctx)
                            orgs = [m] if m else []
                        for org in orgs:
                            _emit(ctx, sc, Relation.MEMBER_OF, person, org, clause, 0.75)


def _known_as(sc: SentenceContext, ctx: DocContext) -> None:
    # "an ISIL leader known as X", "a commander named X"
    naming = set(ctx.lexicons["roles"]["naming_verbs"])
    for t in sc.sent:
        if t.lemma_.lower() not in naming or t.dep_ != "acl" or not _is_title(t.head, ctx):
            continue
        title = t.head
        names = []
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                names.extend(p for p in c.children if p.dep_ == "pobj")
            elif c.dep_ in ("oprd", "attr", "dobj"):
                names.append(c)
        for n in names:
            people = ctx.args(n, _PEOPLE)
            orgs = _title_orgs(title, ctx)
            modifiers = [c for c in title.children if c.dep_ in ("amod", "compound")]
            relation = _relation_for(title, modifiers, _determiner(title), ctx)
            for person in people:
                ctx.roles.setdefault(person.key, title.text)
                for org in orgs:
                    _emit(ctx, sc, relation, person, org, title, 0.8)
