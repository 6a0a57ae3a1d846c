"""Flights, defections and executions, read from verbs and nouns in the dependency parse.

Each rule finds a trigger word from the lexicons, then its arguments by grammatical role
(subject, object, by-agent, prepositional phrases) in either voice. A trigger governed by a
threat, plan or attempt ('threatened to execute', 'tried to flee') yields nothing.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import Kind, Mention, Modality, Relation
from .claims import judge
from .dates import event_date
from .context import AGENTS, ORGS, PLACES, VICTIMS, DocContext, SentenceContext

_NON_CLAUSE = {"nsubj", "nsubjpass", "csubj", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis"}


# ---------------------------------------------------------------------- grammar helpers

def children(t: Token, *deps: str) -> list[Token]:
    return [c for c in t.children if c.dep_ in deps]


def is_passive(verb: Token) -> bool:
    """Passive voice, shared by a participle coordinated with a passive verb ('were imprisoned
    and later executed')."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    return (verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head != verb
            and not any(c.dep_ in ("nsubj", "aux") for c in verb.children) and is_passive(verb.head))


def subject(verb: Token, ctx: DocContext, want: frozenset[Kind]) -> list[Mention]:
    """The doer of a verb, inherited through 'and', control verbs and participles."""
    v = verb
    for _ in range(5):
        subj = children(v, "nsubj", "csubj")
        if subj:
            # the parse sometimes gives two subjects ('"Islamic State" (ISIL) leader X fled'): the nearer one acts
            return ctx.args(subj[-1], want)
        if v.dep_ == "xcomp" and v.head != v:
            # object control: "allowed the fighters to flee", "gave them the green light to escape"
            obj = children(v.head, "dobj", "dative")
            if obj and not is_passive(v.head):
                found = ctx.args(obj[0], want)
                if found:
                    return found
            if is_passive(v.head):
                found = ctx.args(next(iter(children(v.head, "nsubjpass")), None), want)
                if found:
                    return found
            v = v.head
            continue
        if v.dep_ == "acl" and v.head != v:
            # "a leader escaping from Mosul", "the green light to escape" (-> the one given it)
            found = ctx.args(v.head, want)
            if found:
                return found
            giver = v.head.head
            dative = children(giver, "dative", "iobj") if giver != v.head else []
            if dative:
                return ctx.args(dative[0], want)
            return []
        if v.dep_ == "relcl" and v.head != v:
            return ctx.args(v.head, want)
        if v.dep_ in ("conj", "advcl", "pcomp") and v.head != v:
            if v.dep_ == "pcomp" and v.head.head != v.head:
                found = ctx.args(v.head.head, want)  # "news of a leader escaping"
                if found:
                    return found
            v = v.head
            continue
        break
    return []


def passive_subject(verb: Token, ctx: DocContext, want: frozenset[Kind]) -> list[Mention]:
    v = verb
    for _ in range(4):
        subj = children(v, "nsubjpass")
        if subj:
            return ctx.args(subj[0], want)
        if v.dep_ in ("conj", "xcomp") and v.head != v:
            v = v.head
            continue
        if v.dep_ in ("acl", "relcl") and v.head != v:
            return ctx.args(v.head, want)
        break
    return []


def by_agents(verb: Token, ctx: DocContext, want: frozenset[Kind]) -> list[Mention]:
    for agent in children(verb, "agent"):
        for p in children(agent, "pobj"):
            return ctx.args(p, want)
    return []


def clause_preps(verb: Token) -> list[tuple[str, Token]]:
    """(preposition, object) pairs that belong to the verb's own clause, however deep the parse
    puts them ('fled with his family for Syria' hangs 'for' on 'family')."""
    out: list[tuple[str, Token]] = []
    stack = [(c, 0) for c in verb.children if c.dep_ not in _NON_CLAUSE]
    while stack:
        tok, depth = stack.pop()
        if tok.dep_ in ("prep", "agent") or (tok.dep_ == "prt" and tok.lower_ in ("out", "away", "off")):
            word = tok.lower_
            objs = children(tok, "pobj")
            nested = [c for c in tok.children if c.dep_ == "prep"]
            if word == "out" and nested:  # "out of"
                for n in nested:
                    out.extend(("from", p) for p in children(n, "pobj"))
            for p in objs:
                out.append((word, p))
        if depth < 3:
            stack.extend((c, depth + 1) for c in tok.children if c.dep_ not in _NON_CLAUSE)
    return sorted(out, key=lambda wp: wp[1].i)


def blocked(trigger: Token, ctx: DocContext) -> bool:
    """Threats, plans, attempts and wishes are not events: 'threatened to execute', 'tried to flee'."""
    heads = set(ctx.lexicons["blocking_heads"])
    nouns = set(ctx.lexicons["blocking_nouns"])
    node = trigger
    for _ in range(3):
        if node.dep_ in ("xcomp", "ccomp", "acl", "pcomp", "advcl") and node.head != node:
            head = node.head
            if head.lemma_.lower() in heads or (head.pos_ == "NOUN" and head.lemma_.lower() in nouns):
                return True
            if head.pos_ == "ADP" and head.head.lemma_.lower() in nouns:
                return True
            node = head
            continue
        break
    # the future: "will head to Raqqa to pledge allegiance", "would defect"
    node = trigger
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in ("would", "will", "shall", "'ll") for c in node.children) \
                and not any(x.lower_ == "have" for x in node.children):
            return True
        if node.dep_ not in ("xcomp", "advcl", "conj") or node.head == node:
            break
        node = node.head
    for c in trigger.children:
        if c.dep_ == "aux" and c.lower_ == "to" and trigger.dep_ not in ("xcomp", "advcl", "acl", "relcl") and trigger.head.lemma_.lower() in heads:
            return True
    return False


def _fact_modality(trigger: Token, sc: SentenceContext, ctx: DocContext) -> tuple[Modality, Mention | None]:
    return judge(trigger, sc.sent, ctx)


def _event_id(sc: SentenceContext, trigger: Token, ctx: DocContext) -> str:
    return f"{ctx.document.id}:{ctx.offset(trigger)}"


def _emit(ctx: DocContext, sc: SentenceContext, relation: Relation, subj: Mention, obj: Mention, trigger: Token,
          confidence: float, modality: Modality, speaker: Mention | None) -> None:
    ctx.add_fact(relation, subj, obj, sc, modality=modality, confidence=confidence * (0.95 if modality is Modality.REPORTED else 1.0),
                 trigger=trigger.text, event=_event_id(sc, trigger, ctx), speaker=speaker,
                 when=event_date(trigger, sc.sent, ctx.doc_date))


# ---------------------------------------------------------------------- flight

def flights(sc: SentenceContext, ctx: DocContext) -> None:
    lex = ctx.lexicons["flight"]
    for t in sc.sent:
        lemma = t.lemma_.lower()
        strength = 0.0
        refuge = False
        if t.pos_ in ("VERB", "AUX") or (t.pos_ == "NOUN" and t.tag_.startswith("VB")):
            strength = lex["verbs"].get(lemma) or lex["weak_verbs"].get(lemma) or 0.0
            if lemma in lex["phrasal"] and any(c.dep_ in ("prt", "prep") and c.lower_ in lex["phrasal"][lemma] for c in t.children):
                strength = 0.85
            if lemma in lex["refuge_verbs"] and any(c.lemma_.lower() in lex["refuge_nouns"] for c in children(t, "dobj")):
                strength, refuge = 0.85, True
        elif t.pos_ == "NOUN" and lemma in lex["nouns"]:
            _flight_noun(t, sc, ctx, lex["nouns"][lemma])
            continue
        if not strength or blocked(t, ctx):
            continue
        agents = subject(t, ctx, AGENTS)
        if not agents:
            continue
        origins: list[Mention] = []
        destinations: list[Mention] = []
        for c in t.children:
            if c.dep_ in ("dobj", "advmod", "npadvmod", "attr", "oprd", "dative"):
                origins.extend(ctx.args(c, PLACES))
        for word, obj in clause_preps(t):
            if word in lex["route_preps"]:
                continue
            if word in lex["origin_preps"]:
                origins.extend(ctx.args(obj, PLACES))
            elif word in lex["destination_preps"] and (word not in ("in", "at") or refuge):
                destinations.extend(ctx.args(obj, PLACES))
        origins = [o for o in origins if o not in destinations]
        if not origins and not destinations:
            continue
        modality, speaker = _fact_modality(t, sc, ctx)
        for agent in agents:
            for o in dict.fromkeys(origins):
                _emit(ctx, sc, Relation.FLED_FROM, agent, o, t, strength, modality, speaker)
            for d in dict.fromkeys(destinations):
                _emit(ctx, sc, Relation.FLED_TO, agent, d, t, strength, modality, speaker)


def _flight_noun(t: Token, sc: SentenceContext, ctx: DocContext, strength: float) -> None:
    # "his escape from Mosul to Syria", "the flight of the commanders to Raqqa"
    agents: list[Mention] = []
    for c in t.children:
        if c.dep_ == "poss":
            agents = ctx.args(c, AGENTS)
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in children(c, "pobj"):
                agents = ctx.args(p, AGENTS)
    if not agents:
        return
    origins, destinations = [], []
    for c in children(t, "prep"):
        for p in children(c, "pobj"):
            if c.lower_ == "from":
                origins.extend(ctx.args(p, PLACES))
            elif c.lower_ in ("to", "into", "for"):
                destinations.extend(ctx.args(p, PLACES))
    if not origins and not destinations:
        return
    if blocked(t, ctx):
        return
    modality, speaker = _fact_modality(t, sc, ctx)
    for agent in agents:
        for o in origins:
            _emit(ctx, sc, Relation.FLED_FROM, agent, o, t, strength, modality, speaker)
        for d in destinations:
            _emit(ctx, sc, Relation.FLED_TO, agent, d, t, strength, modality, speaker)


# ---------------------------------------------------------------------- defection

def _org_of_target(tok: Token, ctx: DocContext) -> Mention | None:
    """The organisation meant by the object of a support/allegiance phrase: the organisation
    itself, or the one the named person leads ('withdrew support for al-Baghdadi' -> ISIL)."""
    orgs = ctx.args(tok, ORGS)
    if orgs:
        return orgs[0]
    people = ctx.args(tok, frozenset({Kind.PERSON}))
    if people:
        return ctx.org_of(people[0])
    return None


def defections(sc: SentenceContext, ctx: DocContext) -> None:
    lex = ctx.lexicons["defection"]
    support = set(lex["support_nouns"])
    sentence_words = {t.lemma_.lower() for t in sc.sent}
    defection_cue = bool(sentence_words & {"defect", "defection", "desert", "defector", "desertion", "switch", "abandon", "quit", "resign", "split"})
    for t in sc.sent:
        lemma = t.lemma_.lower()
        if t.pos_ == "NOUN" and lemma in lex["nouns"]:
            _defection_noun(t, sc, ctx, lex["nouns"][lemma])
            continue
        if t.pos_ == "NOUN" and lemma == "membership":
            _membership(t, sc, ctx)
            continue
        if t.pos_ not in ("VERB", "AUX"):
            continue
        from_orgs: list[Mention] = []
        to_orgs: list[Mention] = []
        strength = 0.0
        implicit_from = False
        dobj = children(t, "dobj")
        preps = clause_preps(t)
        if lemma == "defect":
            strength = lex["from_verbs"]["defect"]
            implicit_from = True
            for word, obj in preps:
                if word in lex["from_preps"]:
                    from_orgs.extend(ctx.args(obj, ORGS))
                elif word in lex["to_preps"]:
                    to_orgs.extend(ctx.args(obj, ORGS))
            for x in children(t, "xcomp", "advcl"):
                if x.lemma_.lower() in ("join", "rejoin"):
                    for d in children(x, "dobj"):
                        to_orgs.extend(_ranks_org(d, ctx))
        elif lemma in ("join", "rejoin"):
            for d in dobj:
                ranks = d.lemma_.lower() in lex["ranks_nouns"]
                found = _ranks_org(d, ctx)
                if found and (ranks or lemma == "rejoin" or defection_cue):
                    strength = lex["to_verbs"][lemma]
                    to_orgs.extend(found)
                    implicit_from = defection_cue  # "resigned and joined X": they left their own group
                elif found:
                    # joining a new group counts when the joiners belonged to another one
                    agents = subject(t, ctx, AGENTS)
                    own = [ctx.org_of(a) for a in agents]
                    if any(o is not None and o.key not in {f.key for f in found} for o in own):
                        strength = 0.7
                        to_orgs.extend(found)
        elif lemma == "switch" and any(d.lemma_.lower() in ("side", "allegiance", "loyalty") for d in dobj):
            strength = lex["to_verbs"]["switch"]
            implicit_from = True
            for word, obj in preps:
                if word in lex["to_preps"]:
                    to_orgs.extend(ctx.args(obj, ORGS))
                elif word == "from":
                    from_orgs.extend(ctx.args(obj, ORGS))
        elif any(d.lemma_.lower() in support for d in dobj) and lemma in lex["withdraw_verbs"] or (
            lemma == "go" and any(c.lower_ == "back" for c in t.children)
            and any(p.lemma_.lower() in support for w, p in preps if w == "on")
        ):
            # "withdrew their support for X", "broke their oath to X", "went back on their support for X"
            strength = 0.8
            implicit_from = True
            for word, obj in preps:
                if word in ("for", "to", "from", "of", "on") and obj.lemma_.lower() not in support:
                    org = _org_of_target(obj, ctx)
                    if org:
                        from_orgs.append(org)
        elif lemma in lex["pledge_verbs"] and any(d.lemma_.lower() in support for d in dobj):
            # "pledged allegiance to al-Qaeda" (allegiance to a person is not a defection)
            for word, obj in preps:
                if word == "to":
                    found = ctx.args(obj, ORGS)
                    if found:
                        strength = 0.8
                        to_orgs.extend(found)
        elif lemma in lex["from_verbs"] and lemma != "defect":
            for d in dobj:
                found = ctx.args(d, ORGS) if d.pos_ != "PRON" else []  # 'left them alone' leaves people, not a group
                if found:
                    strength = lex["from_verbs"][lemma]
                    from_orgs.extend(found)
            if lemma in ("resign", "split", "break", "defect", "desert"):
                for word, obj in preps:
                    if word in ("from", "with", "away"):
                        found = ctx.args(obj, ORGS)
                        if found:
                            strength = lex["from_verbs"][lemma]
                            from_orgs.extend(found)
        if not strength or blocked(t, ctx):
            continue
        agents = subject(t, ctx, AGENTS)
        if not agents:
            continue
        modality, speaker = _fact_modality(t, sc, ctx)
        for agent in agents:
            froms = list(dict.fromkeys(from_orgs))
            if not froms and implicit_from:
                own = ctx.org_of(agent)
                if own is not None and own.key not in {o.key for o in to_orgs} and own.key != agent.key:
                    froms = [own]
            for o in froms:
                _emit(ctx, sc, Relation.DEFECTED_FROM, agent, o, t, strength, modality, speaker)
            for o in dict.fromkeys(to_orgs):
                if o.key not in {f.key for f in froms}:
                    _emit(ctx, sc, Relation.DEFECTED_TO, agent, o, t, strength, modality, speaker)


def _membership(t: Token, sc: SentenceContext, ctx: DocContext) -> None:
    """'announced his membership in X': a member of X; with a resignation from another group in
    the same sentence, a move to X."""
    owners = [m for c in children(t, "poss") for m in ctx.args(c, AGENTS) if m.kind is not Kind.ORGANIZATION]
    orgs = [m for c in children(t, "prep") if c.lower_ in ("in", "of", "with") for p in children(c, "pobj") for m in ctx.args(p, ORGS)]
    if not owners or not orgs or blocked(t, ctx):
        return
    modality, speaker = _fact_modality(t, sc, ctx)
    left = {f.object.key for f in ctx.facts if f.relation is Relation.DEFECTED_FROM and f.sentence.index == sc.index}
    for owner in owners:
        for org in orgs:
            _emit(ctx, sc, Relation.MEMBER_OF, owner, org, t, 0.75, modality, speaker)
            if left - {org.key}:
                _emit(ctx, sc, Relation.DEFECTED_TO, owner, org, t, 0.7, modality, speaker)


def _ranks_org(d: Token, ctx: DocContext) -> list[Mention]:
    """'the ranks of al-Qaeda', 'the Taliban', 'its rival's side'."""
    if d.lemma_.lower() in ctx.lexicons["defection"]["ranks_nouns"]:
        for c in d.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in children(c, "pobj"):
                    return ctx.args(p, ORGS)
            if c.dep_ == "poss":
                return ctx.args(c, ORGS)
        return []
    return ctx.args(d, ORGS)


def _defection_noun(t: Token, sc: SentenceContext, ctx: DocContext, strength: float) -> None:
    # "the defection of dozens of ISIL members (to al-Qaeda)", "defectors from the group"
    lex = ctx.lexicons["defection"]
    agents: list[Mention] = []
    froms: list[Mention] = []
    tos: list[Mention] = []
    if t.lemma_.lower() == "defector":
        g = ctx.group_at(t) if t.tag_ == "NNS" else None
        if g:
            agents = [g]
    for c in t.children:
        if c.dep_ == "poss":
            agents = agents or ctx.args(c, AGENTS)
        if c.dep_ == "prep":
            for p in children(c, "pobj"):
                if c.lower_ == "of":
                    found = ctx.args(p, AGENTS)
                    orgs_only = [m for m in found if m.kind is Kind.ORGANIZATION]
                    if found and not orgs_only:
                        agents = agents or found
                    elif orgs_only and t.lemma_.lower() != "defection":
                        froms.extend(orgs_only)
                elif c.lower_ == "from":
                    froms.extend(ctx.args(p, ORGS))
                elif c.lower_ in lex["to_preps"]:
                    tos.extend(ctx.args(p, ORGS))
    if not agents or blocked(t, ctx):
        return
    modality, speaker = _fact_modality(t, sc, ctx)
    for agent in agents:
        fr = froms or ([o] if (o := ctx.org_of(agent)) is not None and o.key not in {x.key for x in tos} else [])
        for o in fr:
            _emit(ctx, sc, Relation.DEFECTED_FROM, agent, o, t, strength, modality, speaker)
        for o in tos:
            _emit(ctx, sc, Relation.DEFECTED_TO, agent, o, t, strength, modality, speaker)


# ---------------------------------------------------------------------- execution

def _has_death_word(t: Token, ctx: DocContext) -> bool:
    words = set(ctx.lexicons["execution"]["death_words"])
    if t.lower_ == "hanged":
        return True  # "hanged", unlike "hung", is said only of people put to death
    if t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ in words:
        return True  # "shot dead two civilians": the parser may hang "dead" on the object
    for c in t.children:
        if c.lower_ in words:
            return True
        if c.dep_ == "prep" and any(p.lower_ in words for p in c.children):
            return True
    return False


def _battle_context(t: Token, ctx: DocContext) -> bool:
    lex = ctx.lexicons["execution"]
    battle = set(lex["battle_words"])
    scope = list(t.subtree)
    if t.dep_ in ("conj", "advcl") and t.head != t:
        scope += [c for c in t.head.children if c.dep_ == "prep"]
    for tok in scope:
        if tok.dep_ == "pobj" and tok.lemma_.lower() in battle and tok.head.lower_ in ("in", "during", "by", "amid", "after"):
            return True
    for s in children(t, "nsubj") + by_agents_tokens(t):
        if s.lemma_.lower() in lex["weapon_agents"]:
            return True
    sent_words = {x.lemma_.lower() for x in t.sent}
    return bool(sent_words & {"clash", "firefight", "crossfire", "gunfight", "skirmish", "airstrike", "shelling", "fire", "fired", "weapon"}) and t.lemma_.lower() in ("kill", "shoot")


def by_agents_tokens(verb: Token) -> list[Token]:
    return [p for a in children(verb, "agent") for p in children(a, "pobj")]


def infer_executioner(t: Token, sc: SentenceContext, ctx: DocContext) -> tuple[list[Mention], float]:
    """Who carried out an agentless killing: a doer named in the same sentence, else the doer of
    the previous sentence, else the organisation the paragraph is about."""
    for tok in sc.sent:
        if tok == t or tok.dep_ not in ("nsubj",) or tok.head == t:
            continue
        if tok.head.lemma_.lower() in ctx.lexicons["reporting_verbs"]:
            continue
        found = ctx.args(tok, AGENTS)
        found = [ctx.org_of(m) or m if m.kind is Kind.GROUP else m for m in found]
        found = [m for m in found if m.kind in AGENTS]
        if found:
            return found, 0.9
    prev = sc.index - 1
    if prev >= 0 and ctx.sentences and prev < len(ctx.sentences):
        prev_span = ctx.spans.get(prev)
        if prev_span is not None:
            for tok in reversed(list(prev_span)):
                if tok.dep_ == "nsubj" and tok.head.lemma_.lower() not in ctx.lexicons["reporting_verbs"]:
                    found = [m for m in ctx.args(tok, frozenset({Kind.PERSON, Kind.ORGANIZATION}))]
                    if found:
                        return found, 0.85
    org = ctx.focus_org(ctx.offset(t))
    return ([org], 0.75) if org else ([], 0.0)


def executions(sc: SentenceContext, ctx: DocContext) -> None:
    lex = ctx.lexicons["execution"]
    for t in sc.sent:
        lemma = t.lemma_.lower()
        if t.pos_ == "NOUN" and lemma in lex["nouns"] and not t.tag_.startswith("VB"):
            _execution_noun(t, sc, ctx, lex["nouns"][lemma])
            continue
        if lemma not in lex["verbs"] or t.pos_ not in ("VERB", "NOUN"):
            continue
        if lemma in lex["need_death_words"] and not _has_death_word(t, ctx):
            continue
        if blocked(t, ctx) or _battle_context(t, ctx):
            continue
        if lemma in lex["need_captive_context"] and not _captive_context(t, ctx):
            continue  # "killed four engineers" may be any killing; "killed the hostages" is an execution
        strength = lex["verbs"][lemma]
        if is_passive(t):
            victims = passive_subject(t, ctx, VICTIMS)
            agents = by_agents(t, ctx, AGENTS)
            factor = 1.0
            if not agents and victims:
                agents, factor = infer_executioner(t, sc, ctx)
        else:
            agents = subject(t, ctx, AGENTS)
            victims = []
            for d in children(t, "dobj"):
                victims.extend(ctx.args(d, VICTIMS))
                if d.lemma_.lower() in lex["body_objects"]:
                    # "slit the throats of ten soldiers"
                    victims.extend(m for c in children(d, "prep") if c.lower_ == "of" for p in children(c, "pobj") for m in ctx.args(p, VICTIMS))
            factor = 1.0
        for word, obj in clause_preps(t):
            if word == "including" and victims:
                victims.extend(ctx.args(obj, VICTIMS))
        for v in list(victims):
            for c in _victim_tokens(v, t):
                victims.extend(ctx.args(c, VICTIMS))
        victims = [v for v in dict.fromkeys(victims)]
        if not agents or not victims:
            continue
        modality, speaker = _fact_modality(t, sc, ctx)
        for agent in _executioners(agents, ctx):
            for v in victims:
                if v.key != agent.key:
                    _emit(ctx, sc, Relation.EXECUTED, agent, v, t, strength * factor, modality, speaker)


def _executioners(agents: list[Mention], ctx: DocContext) -> list[Mention]:
    """Fighters who execute do it for their organisation: 'Taliban fighters killed the
    prisoners' is the Taliban executing them."""
    out = []
    for a in agents:
        org = ctx.org_of(a) if a.kind is Kind.GROUP else None
        out.append(org or a)
    return list(dict.fromkeys(out))


def _captive_context(t: Token, ctx: DocContext) -> bool:
    """Whether the clause of a killing says the victims were held, accused or fleeing, or that
    the killing was an execution, so that 'kill' means 'execute'. A coordinated second killing
    ('killed four workers and last year killed two hostages') is judged on its own."""
    words = set(ctx.lexicons["execution"]["captive_words"])
    skip = {x.i for c in t.children if c.dep_ == "conj" for x in c.subtree}
    return any(tok.i not in skip and (tok.lemma_.lower() in words or tok.lower_ in words) for tok in t.sent)


def _victim_tokens(v: Mention, trigger: Token) -> list[Token]:
    # "dozens of the instigators ..., including 'five leaders close to X'" hangs off the subject
    out = []
    for tok in trigger.sent:
        if tok.lower_ == "including" and tok.dep_ == "prep" and tok.head.i != trigger.i:
            head = tok.head
            if head.dep_ in ("nsubjpass", "dobj") and head.head == trigger:
                out.extend(children(tok, "pobj"))
    return out


def _execution_noun(t: Token, sc: SentenceContext, ctx: DocContext, strength: float) -> None:
    # "the execution of six men by al-Shabab", "ISIS's beheading of a journalist"
    victims: list[Mention] = []
    agents: list[Mention] = []
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in children(c, "pobj"):
                victims.extend(ctx.args(p, VICTIMS))
        if c.dep_ == "prep" and c.lower_ == "by":
            for p in children(c, "pobj"):
                agents.extend(ctx.args(p, AGENTS))
        if c.dep_ in ("poss", "compound") and not victims:
            found = ctx.args(c, AGENTS)
            agents.extend(m for m in found if m.kind is Kind.ORGANIZATION)
    if not agents or not victims or blocked(t, ctx) or _battle_context(t, ctx):
        return
    if t.lemma_.lower() in ctx.lexicons["execution"]["need_captive_context"] and not _captive_context(t, ctx):
        return
    modality, speaker = _fact_modality(t, sc, ctx)
    for agent in _executioners(agents, ctx):
        for v in victims:
            if v.key != agent.key:
                _emit(ctx, sc, Relation.EXECUTED, agent, v, t, strength, modality, speaker)
