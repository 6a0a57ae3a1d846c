"""Who controls a place, and which place lies in which.

Control: 'under ISIL control', 'the group's main stronghold', 'X-held', 'seized/captured/overran X'
(both voices), 'the biggest town controlled by the group'. Containment: 'X in Y province',
'Mosul, Iraq', 'Syria's Idlib province', 'the Syrian city of X', 'X (west Y)', 'Borno state
capital Maiduguri', 'Y neighbourhoods such as X'. Relative positions ('west of Kirkuk') are not
containment.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import Kind, Mention, Modality, Relation
from .claims import judge
from .dates import event_date
from .context import AGENTS, ORGS, PLACES, DocContext, SentenceContext, conjuncts
from .events import blocked, by_agents, children, clause_preps, is_passive, passive_subject, subject

_CONTROLLERS = AGENTS


def _emit(ctx: DocContext, sc: SentenceContext, relation: Relation, subj: Mention, obj: Mention, trigger: Token,
          confidence: float, *, attributable: bool = False) -> None:
    modality, speaker = judge(trigger, sc.sent, ctx, attributable=attributable)
    if relation is Relation.LOCATED_IN and modality is not Modality.ASSERTED:
        modality = Modality.ASSERTED  # where a place lies is not what a speaker claims
    # a seizure happens on a day ("seized Barawe on Tuesday"); containment has no date
    when = event_date(trigger, sc.sent, ctx.doc_date) if relation is Relation.CONTROLS and trigger.pos_ in ("VERB", "NOUN") else None
    ctx.add_fact(relation, subj, obj, sc, modality=modality, confidence=confidence, trigger=trigger.text, speaker=speaker, when=when)


# ---------------------------------------------------------------------- control

def controls(sc: SentenceContext, ctx: DocContext) -> None:
    lex = ctx.lexicons["control"]
    for t in sc.sent:
        lemma = t.lemma_.lower()
        if lemma in lex["nouns"] and t.dep_ == "pobj" and t.head.lower_ in ("under", "in", "from"):
            _under_control(t, sc, ctx)
        elif lemma in lex["stronghold_nouns"] and t.pos_ == "NOUN":
            _stronghold(t, sc, ctx)
        elif lemma in lex["verbs"] and (t.pos_ == "VERB" or (t.dep_ in ("attr", "acomp") and t.tag_ in ("NN", "VBN", "JJ"))):
            _control_verb(t, sc, ctx, lex["verbs"][lemma])
        elif lemma in lex["seizure_nouns"] and t.pos_ == "NOUN":
            _seizure_noun(t, sc, ctx)


def _seizure_noun(t: Token, sc: SentenceContext, ctx: DocContext) -> None:
    """"the group's seizure of Ariha, Saraqeb and Binnish in Idlib province", "the capture of X by Y"."""
    owners: list[Mention] = []
    places: list[Mention] = []
    containers: list[tuple[Token, Mention]] = []
    for c in t.children:
        if c.dep_ == "poss":
            owners.extend(ctx.args(c, _CONTROLLERS))
        elif c.dep_ == "prep":
            for p in children(c, "pobj"):
                if c.lower_ == "of":
                    places.extend(ctx.args(p, PLACES))
                elif c.lower_ == "by" or (c.lower_ == "to" and t.lemma_.lower() == "fall"):
                    owners.extend(ctx.args(p, _CONTROLLERS))  # "the fall of Mosul to ISIL"
                elif c.lower_ == "in":
                    containers.extend((c, m) for m in ctx.args(p, PLACES))
    if not places or blocked(t, ctx):
        return
    for owner in dict.fromkeys(owners):
        for place in places:
            _emit(ctx, sc, Relation.CONTROLS, owner, place, t, 0.85, attributable=True)
    for prep, container in containers:
        for place in places:
            _contain(place, container, prep, sc, ctx)


def _under_control(t: Token, sc: SentenceContext, ctx: DocContext) -> None:
    if t.head.lower_ == "in" and t.lemma_.lower() not in ("hand", "control", "grip"):
        return
    if t.head.lower_ == "from" and t.lemma_.lower() not in ("grasp", "grip", "control", "hand"):
        return
    owners: list[Mention] = []
    for c in t.children:
        if c.dep_ in ("poss", "compound", "nmod", "amod"):
            owners.extend(ctx.args(c, ORGS | {Kind.GROUP}))
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in children(c, "pobj"):
                owners.extend(ctx.args(p, ORGS | {Kind.GROUP}))
    if not owners:
        return
    prep = t.head
    places = ctx.args(prep.head, PLACES) if prep.head != prep else []
    if not places and prep.head.lemma_ in ("be", "remain", "stay", "fall", "come"):
        # "Hawija is still under ISIL control", "the town fell under their control"
        places = [p for s_ in children(prep.head, "nsubj") for p in ctx.args(s_, PLACES)]
    if not places:
        places = _place_just_before(prep, ctx)
    if not places:
        places = _places_before(prep, sc, ctx)
    for owner in owners:
        for place in places:
            _emit(ctx, sc, Relation.CONTROLS, owner, place, t, 0.8)
            for extra in _such_as(place, prep.head, ctx) or _such_as(place, t, ctx):
                _emit(ctx, sc, Relation.CONTROLS, owner, extra, t, 0.75)


def _place_just_before(prep: Token, ctx: DocContext) -> list[Mention]:
    """'Mosul neighbourhoods still under the group's control': the place right before the phrase."""
    doc = prep.doc
    k = prep.i - 1
    while k >= prep.sent.start and (doc[k].lower_ in ("still", "now", "firmly", "largely", "mostly", "all", "currently", "once") or doc[k].text == ","):
        k -= 1
    return ctx.args(doc[k], PLACES) if k >= prep.sent.start else []


def _places_before(prep: Token, sc: SentenceContext, ctx: DocContext) -> list[Mention]:
    """'... in Tal Afar and in al-Hawija in Kirkuk province, both still under ISIL control':
    the places the clause is about, not the containers or reference points of others."""
    out: list[Mention] = []
    for ent in sc.sent.ents:
        if ent.start >= prep.i:
            break
        m = ctx.mention_from_ent(ent)
        if m is None or m.kind is not Kind.PLACE:
            continue
        root = ent.root
        head = root.head
        if root.dep_ == "pobj" and head.lower_ in ("in", "at") and head.head.dep_ != "pobj" and not _is_place_token(head.head, ctx):
            out.append(m)
        elif root.dep_ == "conj" and out:
            out.append(m)
    return out


def _is_place_token(t: Token, ctx: DocContext) -> bool:
    ent = ctx.ent_at(t)
    if ent is not None:
        m = ctx.mention_from_ent(ent)
        return bool(m and m.kind is Kind.PLACE)
    return t.lemma_.lower() in ctx.lexicons["groups"]["place_nouns"]


def _such_as(place: Mention, head: Token, ctx: DocContext) -> list[Mention]:
    out = _such_as_parsed(head, ctx)
    if out:
        return out
    # "Mosul neighbourhoods still under the group's control, such as al-Zuhur": the parser
    # hangs "such as" anywhere, so read the places listed right after it
    doc = head.doc
    end = min(head.i + 14, head.sent.end - 1)
    for k in range(head.i + 1, end):
        if doc[k].lower_ == "such" and doc[k + 1].lower_ == "as":
            j = k + 2
            while j < head.sent.end:
                ent = ctx.ent_at(doc[j])
                m = ctx.mention_from_ent(ent) if ent is not None and ent.start == j else None
                if m is not None and m.kind in (Kind.PERSON, Kind.ORGANIZATION) and not m.gazetteer_id:
                    m = ctx.retype(m, Kind.PLACE)  # listed as an example of places, so a place
                if m is None or m.kind is not Kind.PLACE:
                    break
                out.append(m)
                j = ent.end
                if j < head.sent.end and doc[j].lower_ in (",", "and", "or"):
                    j += 1
                    if j < head.sent.end and doc[j].lower_ in ("and", "or"):
                        j += 1
                    continue
                break
            break
    return out


def _such_as_parsed(head: Token, ctx: DocContext) -> list[Mention]:
    out = []
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "as" and any(x.lower_ == "such" for x in c.children):
            for p in children(c, "pobj"):
                out.extend(ctx.args(p, PLACES))
        if c.dep_ == "amod" and c.lower_ == "such":
            for x in c.children:
                if x.dep_ == "prep" and x.lower_ == "as":
                    for p in children(x, "pobj"):
                        out.extend(ctx.args(p, PLACES))
    return out


def _stronghold(t: Token, sc: SentenceContext, ctx: DocContext) -> None:
    owners: list[Mention] = []
    places: list[Mention] = []
    for c in t.children:
        if c.dep_ in ("poss", "compound", "nmod"):
            owners.extend(ctx.args(c, ORGS))
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in children(c, "pobj"):
                places.extend(ctx.args(p, PLACES))
                owners.extend(ctx.args(p, ORGS))
    if t.dep_ == "appos" or (t.dep_ in ("attr",) and t.head.lemma_ in ("be", "become", "remain")):
        anchor = t.head if t.dep_ == "appos" else next(iter(children(t.head, "nsubj")), None)
        if anchor is not None:
            places.extend(ctx.args(anchor, PLACES))
        elif t.head.dep_ == "relcl" and t.head.head != t.head:
            places.extend(ctx.args(t.head.head, PLACES))  # "X, which became a Boko Haram stronghold"
    for c in t.children:
        if c.dep_ == "appos":
            places.extend(ctx.args(c, PLACES))
    # The parser often loses these phrases' structure, so read the words around them too:
    # "ISIS' Syrian stronghold" (owner before), "Tal Afar, the group's last stronghold" (place before).
    start = _phrase_start(t)
    owners.extend(_possessor_before(t, start, ctx))
    if start - 2 >= sc.sent.start and t.doc[start - 1].text == "," and not places:
        ent = ctx.ent_at(t.doc[start - 2])
        m = ctx.mention_from_ent(ent) if ent is not None else None
        if m is not None and m.kind is Kind.PLACE:
            places.append(m)
    places = [p for p in dict.fromkeys(places)]
    owners = [o for o in dict.fromkeys(owners)]
    if not owners or not places:
        return
    for owner in owners:
        for place in places:
            _emit(ctx, sc, Relation.CONTROLS, owner, place, t, 0.8)
    # "..., the group's last stronghold in Iraq" also says where the place lies
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "in":
            for p in children(c, "pobj"):
                for container in ctx.args(p, PLACES):
                    for place in places:
                        if container.key != place.key:
                            _emit(ctx, sc, Relation.LOCATED_IN, place, container, t, 0.75)
    _demonym_container(t, places, sc, ctx)


def _purpose(t: Token) -> bool:
    """'launched an operation to retake the town': an aim, not yet control."""
    return t.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)


def _phrase_start(t: Token) -> int:
    """Where the noun phrase ending at t begins, reading left over its modifiers."""
    doc = t.doc
    i = t.i
    while i - 1 >= t.sent.start:
        prev = doc[i - 1]
        if prev.pos_ in ("ADJ", "NOUN", "PROPN", "DET", "NUM", "PART", "ADV") or prev.text in ("’", "'", "-") or prev.ent_type_:
            i -= 1
            if prev.pos_ == "DET" and not prev.ent_type_:
                break
            continue
        break
    return i


def _possessor_before(t: Token, start: int, ctx: DocContext) -> list[Mention]:
    """The organisation marked possessive inside t's phrase: "ISIS' Syrian stronghold", "the group's"."""
    doc = t.doc
    for k in range(start, t.i):
        if doc[k].text in ("'s", "’s", "’", "'") and k > start:
            owner = doc[k - 1]
            found = ctx.args(owner, ORGS)
            if found:
                return found
    return []


def _control_verb(t: Token, sc: SentenceContext, ctx: DocContext, strength: float) -> None:
    lex = ctx.lexicons["control"]
    lemma = t.lemma_.lower()
    if blocked(t, ctx) or _purpose(t):
        return
    places: list[Mention] = []
    owners: list[Mention] = []
    former: list[Mention] = []
    if lemma == "take":
        # "took control of X", "took over X"
        objs = children(t, "dobj")
        if any(c.dep_ == "prt" and c.lower_ == "over" for c in t.children):
            places = [p for d in objs for p in ctx.args(d, PLACES)]
        for d in objs:
            if d.lemma_.lower() in lex["take_objects"]:
                for c in d.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        places.extend(p for x in children(c, "pobj") for p in ctx.args(x, PLACES))
        strength = 0.85 if places else strength
        owners = subject(t, ctx, _CONTROLLERS)
    elif t.dep_ == "acl" and t.tag_ == "VBN":
        # "the biggest town controlled by the militant group"
        places = ctx.args(t.head, PLACES)
        owners = by_agents(t, ctx, _CONTROLLERS)
    elif is_passive(t):
        places = passive_subject(t, ctx, PLACES)
        owners = by_agents(t, ctx, _CONTROLLERS)
    elif t.dep_ in ("attr", "acomp") and t.head.lemma_ == "be" and any(c.dep_ == "prep" and c.lower_ == "by" for c in t.children):
        # "the base was overrun by X": the tagger read the participle as a noun
        places = [p for s_ in children(t.head, "nsubj") for p in ctx.args(s_, PLACES)]
        owners = [o for c in children(t, "prep") if c.lower_ == "by" for p in children(c, "pobj") for o in ctx.args(p, _CONTROLLERS)]
    else:
        for d in children(t, "dobj"):
            places.extend(ctx.args(d, PLACES))
            if lemma in lex["place_taking_verbs"]:
                # what is seized or overrun is a place, whatever the model called the name
                for x in [d, *conjuncts(d)]:
                    if not ctx.args(x, PLACES) and (m := ctx.proper_place(x)) is not None:
                        places.append(m)
        owners = subject(t, ctx, _CONTROLLERS)
    if lemma in ("seize", "capture", "take", "retake", "recapture", "wrest"):
        for word, obj in clause_preps(t):
            if word == "from":
                former.extend(ctx.args(obj, _CONTROLLERS))
    if not places:
        return
    if t.text.startswith("-") or (t.i > 0 and t.doc[t.i - 1].text == "-"):
        # "rebel-held town", "ISIL-held Mosul"
        owners = owners or ctx.args(t.doc[t.i - 2], ORGS) if t.i > 1 else owners
    for owner in owners:
        for place in places:
            _emit(ctx, sc, Relation.CONTROLS, owner, place, t, strength, attributable=True)
    for owner in former:
        for place in places:
            _emit(ctx, sc, Relation.CONTROLS, owner, place, t, strength * 0.8, attributable=True)


def held_compounds(sc: SentenceContext, ctx: DocContext) -> None:
    """'ISIL-held Mosul', 'an al-Shabab-controlled town': an organisation, a hyphen, a participle."""
    suffixes = {s.strip("-") for s in ctx.lexicons["control"]["held_suffixes"]}
    doc = sc.sent.doc
    for t in sc.sent:
        if t.lower_ not in suffixes or t.i < sc.sent.start + 2 or doc[t.i - 1].text != "-":
            continue
        owners = ctx.args(doc[t.i - 2], ORGS)
        if not owners and doc[t.i - 2].lemma_.lower() in ctx.lexicons["control"]["generic_holders"]:
            # "a rebel-held town" in a story about one armed group is held by that group
            owners = [o for o in [ctx.focus_org(ctx.offset(t))] if o is not None]
        target = t.head if t.head != t else None
        while target is not None and target.dep_ in ("amod", "compound") and target.head is not target and not _is_place_token(target, ctx):
            target = target.head
        if not owners or target is None:
            continue
        places = ctx.args(target, PLACES)
        for owner in owners:
            for place in places:
                _emit(ctx, sc, Relation.CONTROLS, owner, place, t, 0.8)


# ---------------------------------------------------------------------- containment

def _country_kinds(m: Mention, ctx: DocContext) -> str | None:
    entry = ctx.gazetteer.get(m.gazetteer_id)
    if entry:
        return entry.place_kind
    words = m.text.lower().split()
    if words and words[-1] in ("province", "region", "state", "governorate", "county", "district"):
        return "province"
    return None


def locations(sc: SentenceContext, ctx: DocContext) -> None:
    doc = sc.sent.doc
    ents = [e for e in sc.sent.ents if (m := ctx.mention_from_ent(e)) is not None and m.kind is Kind.PLACE]
    for ent in ents:
        place = ctx.mention_from_ent(ent)
        root = ent.root
        # X in Y: a preposition on the place itself, or on a noun in apposition to it
        anchors = [root] + [c for c in root.children if c.dep_ == "appos"]
        for a in anchors:
            for c in a.children:
                if c.dep_ == "prep" and c.lower_ == "in":
                    for p in children(c, "pobj"):
                        for container in ctx.args(p, PLACES):
                            _contain(place, container, c, sc, ctx)
        # Y's X
        for c in root.children:
            if c.dep_ == "poss":
                for container in ctx.args(c, PLACES):
                    _contain(place, container, c, sc, ctx)
        # "in Sinjar in Nineveh province": the parser hangs both phrases on the verb
        nxt = ent.end
        if nxt + 1 < sc.sent.end and doc[nxt].lower_ == "in" and root.dep_ == "pobj" and root.head.lower_ in ("in", "at", "near", "from", "to"):
            follow = ctx.ent_at(doc[nxt + 1])
            if follow is not None and follow.start == nxt + 1:
                container = ctx.mention_from_ent(follow)
                if container is not None and container.kind is Kind.PLACE and _country_kinds(container, ctx):
                    _contain(place, container, doc[nxt], sc, ctx)
        # X, Y  (a dateline or an address: 'Mosul, Iraq'), but not a list 'Somalia, Kenya and Ethiopia'
        nxt = ent.end
        if nxt + 1 < sc.sent.end and doc[nxt].text == ",":
            follow = ctx.ent_at(doc[nxt + 1])
            if follow is not None and follow.start == nxt + 1:
                container = ctx.mention_from_ent(follow)
                after = doc[follow.end] if follow.end < len(doc) else None
                is_list = after is not None and (after.lower_ in ("and", "or") or (after.text == "," and follow.end + 1 < len(doc)
                                                                                     and (ctx.ent_at(doc[follow.end + 1]) is not None or doc[follow.end + 1].lower_ in ("and", "or"))))
                prev_is_list = ent.start > 0 and doc[ent.start - 1].text == ","
                if container and container.kind is Kind.PLACE and _country_kinds(container, ctx) and not is_list and not prev_is_list \
                        and _country_kinds(place, ctx) != "country":
                    _contain(place, container, doc[nxt], sc, ctx)
        # X (west Y)
        if ent.end + 2 < sc.sent.end and doc[ent.end].text == "(":
            k = ent.end + 1
            while k < sc.sent.end and doc[k].lower_ in ctx.lexicons["location"]["directions"]:
                k += 1
            inner = ctx.ent_at(doc[k]) if k < sc.sent.end else None
            if inner is not None and inner.end < len(doc) and doc[inner.end].text == ")":
                container = ctx.mention_from_ent(inner)
                if container and container.kind is Kind.PLACE:
                    _contain(place, container, doc[ent.end], sc, ctx)
        # Y state capital X / Y province town X
        k = ent.start - 1
        words = []
        while k >= sc.sent.start and doc[k].lower_ in ("capital", "city", "town", "state", "province", "provincial", "regional", "district", "village"):
            words.append(doc[k])
            k -= 1
        if words and k >= sc.sent.start and any(w.lower_ in ("capital", "city", "town", "village") for w in words):
            outer = ctx.ent_at(doc[k])
            if outer is not None:
                container = ctx.mention_from_ent(outer)
                if container and container.kind is Kind.PLACE:
                    _contain(place, container, words[-1], sc, ctx)
    # the Syrian city of X / the Afghan province of X / X, the Syrian capital
    for t in sc.sent:
        if t.lemma_.lower() in ctx.lexicons["groups"]["place_nouns"] and (t.pos_ == "NOUN" or (t.pos_ == "PROPN" and not t.ent_type_)):
            _area_in_brackets(t, sc, ctx)
            targets = []
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    targets.extend(ctx.args(next(iter(children(c, "pobj")), None), PLACES))
            if t.dep_ == "appos":
                targets.extend(ctx.args(t.head, PLACES))
            before = ctx.place_before_comma(t)
            if before is not None and before not in targets:
                targets.append(before)
            if t.dep_ == "appos" or before is not None:
                # "Kainji Forest, the former game reserve in western Nigeria"
                for c in children(t, "prep"):
                    if c.lower_ == "in":
                        for container in ctx.args(next(iter(children(c, "pobj")), None), PLACES):
                            for target in targets:
                                _contain(target, container, c, sc, ctx)
            if targets:
                _demonym_container(t, targets, sc, ctx)
            # "Y neighbourhoods such as X"; "Syria's Idlib province", "the Old City's Bab al-Tob district"
            described = ctx.place_description(t)
            if described is not None:
                for c in children(t, "poss"):
                    if ctx.offset(c) >= described.start:
                        continue  # "Idlib's suburbs" is described by its possessor, not inside it twice
                    for container in ctx.args(c, PLACES):
                        _contain(described, container, c, sc, ctx)
                for c in t.children:
                    if c.dep_ in ("compound", "nmod", "poss"):
                        for container in ctx.args(c, PLACES):
                            for extra in _such_as(described, t, ctx):
                                _contain(extra, container, t, sc, ctx)


def _area_in_brackets(t: Token, sc: SentenceContext, ctx: DocContext) -> None:
    """'the Tishreen area (west Raqqa)': a named area, then where it lies in brackets."""
    doc = t.doc
    k = t.i + 1
    if k + 2 >= sc.sent.end or doc[k].text != "(":
        return
    k += 1
    while k < sc.sent.end and doc[k].lower_ in ctx.lexicons["location"]["directions"]:
        k += 1
    ent = ctx.ent_at(doc[k]) if k < sc.sent.end else None
    if ent is None or ent.end >= len(doc) or doc[ent.end].text != ")":
        return
    container = ctx.mention_from_ent(ent)
    area = ctx.named_area(t)
    if container is not None and container.kind is Kind.PLACE and area is not None:
        _contain(area, container, doc[t.i + 1], sc, ctx)


def _demonym_container(t: Token, places: list[Mention], sc: SentenceContext, ctx: DocContext) -> None:
    for c in t.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in ctx.gazetteer.demonym_to_country:
            entry = ctx.gazetteer.demonym_to_country[c.lower_]
            start = ctx.offset(c)
            country = Mention(ctx.document.id, start, start + len(c.text), entry.label, Kind.PLACE, f"gaz:{entry.id}", entry.id)
            for place in places:
                if place.key != country.key:
                    _contain(place, country, c, sc, ctx)


def _contain(place: Mention, container: Mention, trigger: Token, sc: SentenceContext, ctx: DocContext) -> None:
    if place.key == container.key:
        return
    if _country_kinds(place, ctx) == "country" and _country_kinds(container, ctx) != "country":
        return  # a country is not inside a city; the parse attached the phrase to the wrong word
    _emit(ctx, sc, Relation.LOCATED_IN, place, container, trigger, 0.8)


def place_relations(sc: SentenceContext, ctx: DocContext) -> None:
    controls(sc, ctx)
    held_compounds(sc, ctx)
    locations(sc, ctx)


__all__ = ["place_relations"]
