"""Per-document state the relation rules share: who a token names, what "he", "its" and
"the group" point to, and the unnamed groups ("ISIL fighters") a sentence describes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..names import _QUOTES, clean_name, normalise  # noqa: F401 (the rule modules import these from here)
from ..model import Document, EventDate, Fact, Kind, Mention, Modality, Relation, Sentence
from ..resources import Gazetteer

KIND_OF_LABEL = {"PERSON": Kind.PERSON, "ORG": Kind.ORGANIZATION, "GPE": Kind.PLACE, "LOC": Kind.PLACE,
                 "FAC": Kind.PLACE, "OUTLET": Kind.OUTLET}
AGENTS = frozenset({Kind.PERSON, Kind.ORGANIZATION, Kind.GROUP})
VICTIMS = frozenset({Kind.PERSON, Kind.GROUP})
ORGS = frozenset({Kind.ORGANIZATION})
PLACES = frozenset({Kind.PLACE})
_AFFILIATION = {"linked", "affiliated", "allied", "backed", "aligned", "inspired", "funded", "supported", "sponsored", "leaning"}
_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "conj", "cc", "appos", "punct", "mark", "dep"}


@dataclass
class SentenceContext:
    sent: Span
    sentence: Sentence
    index: int
    headline: bool = False


@dataclass
class DocContext:
    """What the rules know about one document while reading it sentence by sentence."""

    document: Document
    parsed: list[tuple[int, Doc]]  # (segment start offset, spaCy Doc)
    gazetteer: Gazetteer
    lexicons: dict
    mentions: dict[tuple[int, int], Mention] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # person key -> role as written
    memberships: dict[str, set[str]] = field(default_factory=dict)  # agent key -> org keys
    leaders: dict[str, str] = field(default_factory=dict)  # person key -> org key
    group_orgs: dict[str, Mention] = field(default_factory=dict)  # group key -> org mention
    stated_members: dict[str, Mention] = field(default_factory=dict)  # group key -> org named by 'of', 'from', 's
    _persons: list[Mention] = field(default_factory=list)
    _orgs: list[Mention] = field(default_factory=list)
    _recent_groups: list[tuple[int, Mention]] = field(default_factory=list)
    _short_forms: dict[str, tuple[str, str]] = field(default_factory=dict)
    _offsets: dict[int, int] = field(default_factory=dict)
    spans: dict[int, Span] = field(default_factory=dict)  # sentence index -> parsed sentence
    doc_date: date | None = None  # when the report was published, if it says

    # ------------------------------------------------------------------ set-up

    def prescan(self) -> None:
        """Read every named entity first, so short forms ('al-Obeidi') find their full name
        ('Ahmed al-Obeidi') wherever in the document it stands."""
        full_names: dict[str, str] = {}
        for base, doc in self.parsed:
            self._offsets[id(doc)] = base
            for ent in doc.ents:
                kind = self._kind_of(ent)
                if kind is Kind.PERSON and not ent.ent_id_:
                    name = clean_name(self._strip_titles(ent.text))
                    if len(name.split()) >= 2:
                        full_names.setdefault(normalise(name), name)
        headlines = {seg.start for seg in self.document.segments if seg.kind == "title"}
        for key, name in sorted(full_names.items(), key=lambda kv: -len(kv[0])):
            words = key.split()
            for n in (1, 2):
                tail = " ".join(words[-n:])
                if len(words) > n and len(tail) > 3 and tail not in full_names:
                    self._short_forms.setdefault(tail, (key, name))
        for base, doc in self.parsed:
            for ent in doc.ents:
                m = self.mention_from_ent(ent)
                if m is None:
                    continue
                if self._described_as_place(ent.root, m):
                    m = self.retype(m, Kind.PLACE)
                if m.kind is Kind.PERSON:
                    self._persons.append(m)
                elif m.kind is Kind.ORGANIZATION and not affiliation_of(ent) and base not in headlines:
                    # "the al-Qaida-linked group" is not about al-Qaida; a headline's names are not the story's focus
                    self._orgs.append(m)

    def _strip_titles(self, text: str) -> str:
        words = text.split()
        drop = set(self.lexicons["titles_to_drop"])
        while words and words[0].lower() in drop:
            words = words[1:]
        return " ".join(words) or text

    def offset(self, obj: Token | Span) -> int:
        doc = obj.doc
        return self._offsets[id(doc)] + (obj.idx if isinstance(obj, Token) else obj.start_char)

    # ------------------------------------------------------------------ named entities

    def _kind_of(self, ent: Span) -> Kind | None:
        if ent.ent_id_:
            entry = self.gazetteer.get(ent.ent_id_)
            if entry:
                return Kind(entry.type)
        kind = KIND_OF_LABEL.get(ent.label_)
        if kind is None:
            return None
        text = clean_name(ent.text)
        if not text or not any(c.isupper() for c in text) or text.isdigit() or len(text) < 2:
            return None
        return kind

    def mention_from_ent(self, ent: Span) -> Mention | None:
        start = self.offset(ent)
        cached = self.mentions.get((start, start + len(ent.text)))
        if cached:
            return cached
        kind = self._kind_of(ent)
        if kind is None:
            return None
        text = clean_name(ent.text)
        gid = ent.ent_id_ or None
        if gid:
            key = f"gaz:{gid}"
        else:
            name = self._strip_titles(text)
            key = normalise(name)
            if key in self._short_forms:
                key = self._short_forms[key][0]
                kind = Kind.PERSON  # a short form of a person's name names that person
            elif kind is Kind.ORGANIZATION and self._looks_like_person(ent):
                kind = Kind.PERSON
            text = name
        m = Mention(self.document.id, start, start + len(ent.text), text, kind, key, gid)
        self.mentions[(m.start, m.end)] = m
        return m

    def _looks_like_person(self, ent: Span) -> bool:
        # The small model often calls Arabic names ORG; one quoted as speaking is a person.
        root = ent.root
        return (
            root.dep_ == "nsubj"
            and root.head.lemma_ in self.lexicons["reporting_verbs"]
            and not any(t.lemma_.lower() in self.lexicons["roles"]["org_head_nouns"] for t in ent)
        )

    def full_name(self, key: str) -> str | None:
        for full_key, name in self._short_forms.values():
            if full_key == key:
                return name
        return None

    def ent_at(self, token: Token) -> Span | None:
        if token.ent_type_:
            for ent in token.doc.ents:
                if ent.start <= token.i < ent.end:
                    return ent
        return None

    # ------------------------------------------------------------------ references

    def last_person_before(self, pos: int) -> Mention | None:
        best = None
        for m in self._persons:
            if m.start < pos:
                best = m
        return best

    def focus_org(self, pos: int) -> Mention | None:
        """The organisation a document is about at a point: most named so far, then most recent."""
        before = [m for m in self._orgs if m.start < pos] or self._orgs
        if not before:
            return None
        counts = Counter(m.key for m in before)
        top = max(counts.values())
        # on a tie, the organisation the story named first is the one it is about
        for m in before:
            if counts[m.key] == top:
                return m
        return None

    def remember_group(self, m: Mention) -> None:
        # "a large group of fighters" is one group: its inner "fighters" is not a second one
        # for a later "they" to point at.
        for start, other in self._recent_groups:
            if other.start <= m.start and m.end <= other.end:
                return
        self._recent_groups = [(s, o) for s, o in self._recent_groups if not (m.start <= o.start and o.end <= m.end)]
        self._recent_groups.append((m.start, m))

    def recent_group(self, pos: int, window: int = 600) -> Mention | None:
        for start, m in reversed(self._recent_groups):
            if start < pos and pos - start < window:
                return m
        return None

    # ------------------------------------------------------------------ arguments

    def args(self, token: Token | None, want: frozenset[Kind]) -> list[Mention]:
        """The mentions a token stands for, its coordinated tokens included ('A and B')."""
        if token is None:
            return []
        out: list[Mention] = []
        for t in [token, *conjuncts(token)]:
            m = self.mention_at(t, want)
            if m and m not in out:
                out.append(m)
        return out

    def mention_at(self, t: Token, want: frozenset[Kind]) -> Mention | None:
        ent = self.ent_at(t)
        if ent is not None:
            m = self.mention_from_ent(ent)
            if m is not None:
                if m.kind in want:
                    return m
                if m.kind is Kind.OUTLET:
                    return None
                if Kind.PLACE in want and self._described_as_place(t, m):
                    return self.retype(m, Kind.PLACE)
        lower, lemma = t.lower_, t.lemma_.lower()
        lex = self.lexicons["groups"]
        if t.pos_ == "PRON" or lower in ("who", "which", "that"):
            return self._pronoun(t, want)
        if (named := self._known_as(t, want)) is not None:
            return named
        if t.lemma_.lower() in lex["place_nouns"] and Kind.PLACE in want:
            if t.dep_ == "appos" and t.head != t and (m := self.mention_at(t.head, want)):
                return m
            if (m := self.place_before_comma(t)) is not None:
                return m
        if Kind.PLACE in want and lemma in lex["place_nouns"]:
            m = self._place_via_noun(t, want)
            if m:
                return m
        if Kind.ORGANIZATION in want and lemma in lex["org_reference_nouns"] and self._is_definite(t):
            inner = self._named_child(t, ORGS)
            return inner or self.focus_org(self.offset(t))
        if Kind.PERSON in want and Kind.GROUP in want and (person := self.described_person(t)) is not None:
            return person
        if Kind.GROUP in want and (earlier := self._definite_group(t)) is not None:
            return earlier
        if want & {Kind.GROUP} and (lemma in lex["collective_nouns"] or lower in lex["collective_nouns"]
                                    or lemma in lex["quantifier_heads"] or t.like_num or self._counted_people(t)):
            return self.group_at(t)
        return None

    def place_before_comma(self, t: Token) -> Mention | None:
        """'Kainji Forest, the vast game reserve': the named place a descriptive phrase follows,
        read from the words because the parser often attaches such appositions elsewhere."""
        doc = t.doc
        i = t.i
        while i - 1 >= t.sent.start and (doc[i - 1].pos_ in ("ADJ", "NOUN", "DET", "NUM", "ADV", "PART") or doc[i - 1].text in (",", "-", "’", "'")):
            if doc[i - 1].text == "," and i - 2 >= t.sent.start and doc[i - 2].ent_type_:
                ent = self.ent_at(doc[i - 2])
                m = self.mention_from_ent(ent) if ent is not None else None
                return m if m is not None and m.kind is Kind.PLACE else None
            if doc[i - 1].ent_type_ and doc[i - 1].ent_type_ not in ("DATE", "CARDINAL", "ORDINAL", "NORP"):
                return None
            i -= 1
        return None

    def proper_place(self, t: Token) -> Mention | None:
        """A proper name where only a place can stand: the model's PERSON or ORG label is wrong,
        or it found no entity at all ('seized Barawe and Marka')."""
        if t.pos_ != "PROPN" or t.lower_ in self.lexicons["roles"]["person_prefixes"]:
            return None
        ent = self.ent_at(t)
        if ent is not None:
            m = self.mention_from_ent(ent)
            if m is None or m.gazetteer_id or m.kind not in (Kind.PERSON, Kind.ORGANIZATION):
                return None
            if ent[0].lower_ in self.lexicons["roles"]["person_prefixes"]:
                return None
            return self.retype(m, Kind.PLACE)
        words = [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < t.i]
        span = t.doc[min([t.i, *(c.i for c in words)]) : t.i + 1]
        if span[0].lower_ in self.lexicons["roles"]["person_prefixes"]:
            return None
        return self.describe(span, Kind.PLACE, None)

    def _described_as_place(self, t: Token, m: Mention) -> bool:
        """'Barawe, another coastal town': the model's PERSON or ORG is a place by apposition."""
        if m.gazetteer_id or m.kind not in (Kind.PERSON, Kind.ORGANIZATION):
            return False
        places = self.lexicons["groups"]["place_nouns"]
        return any(c.dep_ == "appos" and c.lemma_.lower() in places and c.tag_ == "NN" for c in t.children)

    def retype(self, m: Mention, kind: Kind) -> Mention:
        fixed = Mention(m.doc_id, m.start, m.end, m.text, kind, m.key, m.gazetteer_id)
        self.mentions[(m.start, m.end)] = fixed
        if m in self._persons:
            self._persons.remove(m)
        if m in self._orgs:
            self._orgs.remove(m)
        return fixed

    def _known_as(self, t: Token, want: frozenset[Kind]) -> Mention | None:
        """'an ISIL leader known as X', 'a commander named X', 'one faction, known as ISWAP': X."""
        naming = self.lexicons["roles"]["naming_verbs"]
        if not want & {Kind.PERSON, Kind.ORGANIZATION}:
            return None
        # the parser often hangs the naming clause on the last noun: "one faction of X, known as Y"
        inner = [p for x in t.children if x.dep_ == "prep" and x.lower_ == "of" for p in x.children if p.dep_ == "pobj"]
        for c in [*t.children, *(c for p in inner for c in p.children)]:
            if c.dep_ != "acl" or c.lemma_.lower() not in naming:
                continue
            names = [p for x in c.children if x.dep_ == "prep" and x.lower_ == "as" for p in x.children if p.dep_ == "pobj"]
            names += [x for x in c.children if x.dep_ in ("oprd", "attr", "dobj")]
            for n in names:
                ent = self.ent_at(n)
                if ent is not None and (m := self.mention_from_ent(ent)) is not None and m.kind in want \
                        and m.kind in (Kind.PERSON, Kind.ORGANIZATION):
                    return m
        return None

    def _is_definite(self, t: Token) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their") for c in t.children)

    def _named_child(self, t: Token, want: frozenset[Kind]) -> Mention | None:
        for c in t.children:
            if c.dep_ in ("compound", "nmod", "poss", "amod", "appos") and not self.affiliation_word(c):
                ent = self.ent_at(c)
                if ent is not None:
                    m = self.mention_from_ent(ent)
                    if m and m.kind in want:
                        return m
        return None

    def affiliation_word(self, t: Token) -> bool:
        ent = self.ent_at(t)
        return affiliation_of(ent) if ent is not None else t.lower_ in _AFFILIATION

    def _place_via_noun(self, t: Token, want: frozenset[Kind]) -> Mention | None:
        # "the city of al-Raqa", "a safe location in Syria", "Jilib, the biggest town"
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "in", "at"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        ent = self.ent_at(p)
                        if ent is not None:
                            m = self.mention_from_ent(ent)
                            if m and m.kind in want:
                                return m
            if c.dep_ == "appos":
                ent = self.ent_at(c)
                if ent is not None:
                    m = self.mention_from_ent(ent)
                    if m and m.kind in want:
                        return m
        return self.place_description(t)

    def place_description(self, t: Token) -> Mention | None:
        """A described place such as 'Mosul neighbourhoods': a place noun modified by a named place."""
        if t.pos_ == "PROPN" and not t.ent_type_:
            # a proper name ending in a place noun ("Mosul's Great Mosque"): the name, without its possessor
            words = [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < t.i]
            left = min((c.i for c in words), default=t.i)
            return self.describe(t.doc[left : t.i + 1], Kind.PLACE, "place")
        named = [c for c in t.children if c.dep_ in ("compound", "nmod", "poss") and self.ent_at(c) is not None]
        named = [c for c in named if (m := self.mention_from_ent(self.ent_at(c))) and m.kind is Kind.PLACE]
        if any(c.dep_ != "poss" for c in named):
            named = [c for c in named if c.dep_ != "poss"]  # "Syria's Idlib province" is "Idlib province", in Syria
        if not named:
            return None
        left = min(min(x.i for x in c.subtree) for c in named)
        return self.describe(t.doc[left : t.i + 1], Kind.PLACE, "place")

    def describe(self, span: Span, kind: Kind, scope: str | None) -> Mention:
        """A mention for a described or unlisted name: keyed within this document under `scope`
        ('place', 'person', 'group'), or by its normalised text when it is a proper name."""
        text = clean_name(span.text)
        start = self.offset(span)
        key = f"{scope}:{self.document.id}:{normalise(text)}" if scope else normalise(text)
        m = Mention(self.document.id, start, start + len(span.text), text, kind, key)
        self.mentions[(m.start, m.end)] = m
        return m

    def _definite_group(self, t: Token) -> Mention | None:
        """'the defectors', 'the insurgents': a bare definite plural names the group just described."""
        if t.tag_ != "NNS" or t.lemma_.lower() not in self.lexicons["groups"]["collective_nouns"]:
            return None
        mods = [c for c in t.children if c.dep_ not in ("punct", "relcl", "acl", "prep", "cc", "conj")]
        if len(mods) != 1 or mods[0].lower_ not in ("the", "these", "those"):
            return None
        return self.recent_group(self.offset(t), window=450)

    def named_area(self, t: Token) -> Mention | None:
        """'the Tishreen area', 'the 7 Nissan district': a place noun with a name before it."""
        words = [c for c in t.children if c.dep_ in ("compound", "nummod", "nmod") and c.i < t.i and (c.pos_ in ("PROPN", "NUM") or c.ent_type_)]
        if not words:
            return None
        left = min(min(x.i for x in c.subtree) for c in words)
        return self.describe(t.doc[left : t.i + 1], Kind.PLACE, "place")

    def described_person(self, t: Token) -> Mention | None:
        """'a prominent leader', 'a senior commander': one unnamed person, known by a described title."""
        lex = self.lexicons["groups"]
        if t.tag_ != "NN" or t.lemma_.lower() not in lex["collective_nouns"] or t.ent_type_:
            return None
        det = [c for c in t.children if c.dep_ == "det"]
        adjectives = [c for c in t.children if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN") and c.i < t.i]
        clause = [c for c in t.children if c.dep_ in ("acl", "relcl") and c.i > t.i]
        if not det or det[0].lower_ not in ("a", "an") or not (adjectives or clause):
            return None
        # "a prominent leader", "a man accused of spying": the description, clauses cut short
        end = t.i
        if clause and not adjectives:
            end = min(max(x.i for x in clause[0].subtree), t.i + 6)
        left = min([t.i, *(a.i for a in adjectives)])
        return self.describe(t.doc[left : end + 1], Kind.PERSON, "person")

    def _pronoun(self, t: Token, want: frozenset[Kind]) -> Mention | None:
        lower = t.lower_
        pos = self.offset(t)
        if lower in ("who", "which", "that") and t.dep_ in ("nsubj", "nsubjpass", "dobj"):
            head = t.head
            if head.dep_ == "relcl" and head.head != head:
                return self.mention_at(head.head, want)
            return None
        if lower in ("he", "him", "his", "himself") and Kind.PERSON in want:
            return self.last_person_before(pos)
        if lower in ("it", "its", "itself") and Kind.ORGANIZATION in want:
            return self.focus_org(pos)
        if lower in ("they", "them", "their", "themselves"):
            if Kind.GROUP in want:
                g = self.recent_group(pos)
                if g:
                    return g
            if Kind.ORGANIZATION in want:
                return self.focus_org(pos)
        return None

    # ------------------------------------------------------------------ unnamed groups

    def group_at(self, head: Token) -> Mention | None:
        """An unnamed collective ('dozens of the instigators', 'ISIL fighters') as a Group mention."""
        lex = self.lexicons["groups"]
        inner = head
        if head.lemma_.lower() in lex["quantifier_heads"] or head.like_num:
            of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
            pobj = [p for o in of for p in o.children if p.dep_ == "pobj"]
            if pobj:
                inner = pobj[0]
                if inner.pos_ == "PRON" or self.ent_at(inner) is not None:
                    return None  # "two of them", "some of ISIS": not a described group
            elif not (head.lemma_.lower() in lex["collective_nouns"]):
                return None
        if inner.lemma_.lower() not in lex["collective_nouns"] and inner.lower_ not in lex["collective_nouns"] \
                and not self._counted_people(inner):
            return None
        if inner.pos_ not in ("NOUN", "PROPN") or inner.tag_ not in ("NNS", "NNPS", "NN", "NNP"):
            return None
        if inner.tag_ in ("NN", "NNP") and inner is head and inner.lemma_.lower() not in ("group", "unit", "faction", "cell", "convoy", "band", "council"):
            return None  # a single person ('a leader') is not a group
        tokens = [x for x in _phrase_tokens(head)]
        while len(tokens) > 1 and tokens[0].lower_ in self.lexicons["execution"]["death_words"]:
            tokens = tokens[1:]  # "shot dead two civilians": "dead" is not part of who they were
        span = head.doc[tokens[0].i : tokens[-1].i + 1]
        text = span.text.strip(_QUOTES + " ,")
        if not text:
            return None
        start = self.offset(span)
        key = f"group:{self.document.id}:{normalise(text)}"
        m = Mention(self.document.id, start, start + len(span.text), text, Kind.GROUP, key)
        self.mentions[(m.start, m.end)] = m
        found = self._group_org(head, inner)
        if found is not None:
            org, stated = found
            self.group_orgs.setdefault(key, org)
            if stated:
                self.stated_members.setdefault(key, org)
        self.remember_group(m)
        return m

    def _counted_people(self, t: Token) -> bool:
        """'two nurses', '12 kidnapped farmers': a counted plural that is not a thing, a place
        or a stretch of time reads as a group of people."""
        lex = self.lexicons["groups"]
        lemma = t.lemma_.lower()
        if t.tag_ != "NNS" or lemma in lex["not_people"] or lemma in lex["place_nouns"] or t.ent_type_:
            return False
        return any(c.dep_ == "nummod" or c.like_num for c in t.children)

    def _group_org(self, head: Token, inner: Token) -> tuple[Mention, bool] | None:
        """The organisation a described group belongs to, and whether the text states it
        ('members of ISIL', 'Nusra's commanders', 'its own soldiers') rather than only
        implying it by a modifier ('ISIL fighters')."""
        for tok in (inner, head):
            for c in tok.children:
                if c.dep_ in ("compound", "nmod", "amod", "poss") and not self.affiliation_word(c):
                    ent = self.ent_at(c)
                    if ent is not None:
                        m = self.mention_from_ent(ent)
                        if m and m.kind is Kind.ORGANIZATION:
                            return m, c.dep_ == "poss"
                    if c.dep_ == "poss" and c.lower_ in ("its", "their"):
                        m = self.focus_org(self.offset(c))
                        return (m, True) if m else None
                if c.dep_ == "prep" and c.lower_ in ("of", "from", "in", "within"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            m = self.mention_at(p, ORGS)
                            if m:
                                return m, True
        return None

    def org_of(self, m: Mention) -> Mention | None:
        """The organisation an agent belongs to, as far as this document has said."""
        if m.kind is Kind.ORGANIZATION:
            return m
        if m.kind is Kind.GROUP:
            return self.group_orgs.get(m.key)
        if m.kind is Kind.PERSON:
            org_key = self.leaders.get(m.key) or next(iter(sorted(self.memberships.get(m.key, ()))), None)
            if org_key:
                for o in self._orgs:
                    if o.key == org_key:
                        return o
                for mm in self.mentions.values():
                    if mm.key == org_key:
                        return mm
        return None

    # ------------------------------------------------------------------ facts

    def add_fact(self, relation: Relation, subject: Mention, obj: Mention, sc: SentenceContext, *,
                 modality: Modality, confidence: float, trigger: str, event: str | None = None,
                 speaker: Mention | None = None, when: EventDate | None = None) -> None:
        if subject.key == obj.key:
            return
        if relation is Relation.MEMBER_OF:
            self.memberships.setdefault(subject.key, set()).add(obj.key)
        if relation is Relation.LEADER_OF:
            self.leaders.setdefault(subject.key, obj.key)
        role = self.roles.get(speaker.key) if speaker else None
        self.facts.append(Fact(relation, subject, obj, sc.sentence, modality, round(min(max(confidence, 0.0), 1.0), 2),
                               trigger, event, speaker, role, when))


def affiliation_of(ent: Span) -> bool:
    """'al-Qaida-linked', 'ISIS-affiliated', 'US-backed': the name modifies a noun tied to the
    group it names, not the group itself."""
    doc = ent.doc
    return ent.end + 1 < len(doc) and doc[ent.end].text == "-" and doc[ent.end + 1].lower_ in _AFFILIATION


def conjuncts(t: Token) -> list[Token]:
    out, stack = [], [t]
    while stack:
        cur = stack.pop()
        for c in cur.children:
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                out.append(c)
                stack.append(c)
    return out


def _phrase_tokens(head: Token) -> list[Token]:
    """The words of a noun phrase without its clauses, appositions and trailing punctuation."""
    keep = [head]
    stack = [c for c in head.children]
    while stack:
        c = stack.pop()
        if c.dep_ in _CLAUSE_DEPS and not (c.dep_ == "punct" and c.text in ("-", "’", "'")):
            continue  # a hyphen inside a name ("al-Shabab fighters") stays
        if c.dep_ == "prep" and c.lower_ not in ("of",):
            continue
        keep.append(c)
        stack.extend(c.children)
    keep.sort(key=lambda x: x.i)
    while keep and (keep[0].is_punct or keep[0].lower_ in ("the",)):
        keep = keep[1:]
    while keep and keep[-1].is_punct:
        keep = keep[:-1]
    # the phrase must be contiguous: cut at the first gap
    out = [keep[0]] if keep else [head]
    for x in keep[1:]:
        if x.i != out[-1].i + 1:
            if x.i > head.i:
                break
            out = [x]
            continue
        out.append(x)
    if head not in out:
        out = [head]
    return out
