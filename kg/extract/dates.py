"""When an event happened: the date or period a sentence gives for it, with its precision.

The model's DATE entities are the candidates; dateparser reads them. A date without a year
("on February 19th", "in early December") keeps no year unless the document's own date
supplies one, and a relative date ("last month", "on Wednesday") is resolved only against
the document's date: nothing is dated from the day the build runs.

>>> d = parse_date("July 9, 2017", None)
>>> (d.value, d.datatype, d.precision)
('2017-07-09', 'date', 'day')
>>> d = parse_date("in early December", None)
>>> (d.value, d.datatype, d.precision, d.qualifier)
('--12', 'gMonth', 'month', 'early')
>>> parse_date("last month", None) is None
True
>>> parse_date("last month", date(2017, 3, 14)).value
'2017-02'
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from spacy.tokens import Span, Token

from ..model import EventDate

_LEAD = re.compile(r"^(?:(?:in|on|at|since|by|during|from|until|till|around|about|as of|the|of)\s+)+", re.IGNORECASE)
_QUALIFIER = re.compile(r"^(early|mid|late|the end of|the beginning of|the start of)[\s-]+", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:yesterday|today|tonight|tomorrow|last|next|this|ago|previous|earlier|later|past|coming|"
                       r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|weekend)\b", re.IGNORECASE)
_ANCHORED = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\b(?:1[89]|20)\d\d\b|"
                       r"\b(?:yesterday|today|last (?:week|month|year)|this (?:week|month|year)|"
                       r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[T ][0-9:.+\-Z]*)?")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$)")


@lru_cache(maxsize=8)
def _parser(base: date | None):
    from dateparser.date import DateDataParser  # imported on first use: it is slow to load

    settings = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


def parse_date(text: str, doc_date: date | None) -> EventDate | None:
    """The date a phrase names, or None when it names none or would need a date the text lacks."""
    phrase = _LEAD.sub("", text.strip())
    qualifier = None
    if m := _QUALIFIER.match(phrase):
        qualifier = m.group(1).lower()
        phrase = phrase[m.end():]
    if not phrase or not _ANCHORED.search(phrase):
        return None  # "recent weeks", "three years", an age: not a point in time
    relative = bool(_RELATIVE.search(phrase))
    if relative and doc_date is None:
        return None
    data = _parser(doc_date).get_date_data(phrase)
    when = data.date_obj
    if when is None:
        return None
    parts = set(data.parts or ())
    has_year = "year" in parts and (relative or re.search(r"\b\d{4}\b", phrase))
    if relative or has_year or doc_date is not None:
        if doc_date is not None and when.date() > doc_date:
            return None  # a report does not date events after itself
        if data.period == "year" or parts == {"year"}:
            return EventDate(f"{when.year:04d}", "gYear", "year", text, qualifier)
        if data.period == "month" or "day" not in parts:
            return EventDate(f"{when.year:04d}-{when.month:02d}", "gYearMonth", "month", text, qualifier)
        return EventDate(when.strftime("%Y-%m-%d"), "date", "day", text, qualifier)
    if "day" in parts:
        return EventDate(f"--{when.month:02d}-{when.day:02d}", "gMonthDay", "day", text, qualifier)
    if "month" in parts:
        return EventDate(f"--{when.month:02d}", "gMonth", "month", text, qualifier)
    return None


def document_date(declared: str | None, source: str | None) -> date | None:
    """The date a report was published: its declared date line, else a /YYYY/MM/DD/ source URL.

    >>> document_date(None, "https://example.com/news/2017/4/7/isil-kills")
    datetime.date(2017, 4, 7)
    >>> document_date("2016-04-26T09:30:00Z", None), document_date("April 26, 2016", None)
    (datetime.date(2016, 4, 26), datetime.date(2016, 4, 26))
    """
    if declared:
        # an ISO date, as feeds and CMS exports write it, needs no parser (dateparser takes half a
        # second to set itself up, which is most of a one-article rebuild)
        if m := _ISO_DATE.fullmatch(declared.strip()):
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
        d = parse_date(declared, None)
        if d is not None and d.datatype == "date":
            return date.fromisoformat(d.value)
    if source and (m := _URL_DATE.search(source)):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def event_date(trigger: Token, sent: Span, doc_date: date | None) -> EventDate | None:
    """The date given for the event a trigger word names: a DATE phrase in its own clause first,
    else one that opens the sentence ("In early December, X fled ...")."""
    dates = [e for e in sent.ents if e.label_ == "DATE"]
    if not dates:
        return None
    clause = {t.i for t in trigger.subtree}
    head = trigger
    while head.dep_ in ("xcomp", "conj", "acl", "relcl", "pcomp", "pobj", "prep", "dobj", "nsubj", "nsubjpass") and head.head != head:
        head = head.head
        if head.pos_ in ("VERB", "AUX"):
            break
    own = {c_t.i for c in head.children if c.dep_ in ("prep", "npadvmod", "advmod", "nmod") for c_t in c.subtree}
    for scope in (clause, own):
        for ent in dates:
            if ent.root.i in scope and (d := parse_date(ent.text, doc_date)) is not None:
                return d
    opener = dates[0]
    if opener.start <= sent.start + 2 and (d := parse_date(opener.text, doc_date)) is not None:
        return d
    return None
