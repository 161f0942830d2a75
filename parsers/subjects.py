"""The subject of an article's figures: the employer, government or union they are about.

A figure belongs first to the organisation its own clause or sentence names (`subject_clauses`):
a roundup ("Google confirms it just laid off around a thousand employees", "Discord is laying off
17 percent") gives each figure its own company, and a sentence that names none goes on with the
employer its paragraph's earlier sentences acted through. Only then comes the article's subject.

That article subject must be stable across articles so a figure's history lines up: every story
about Connecticut's public workforce says "Connecticut state employees" whether it names the
state, the governor, the capital in its dateline or only "the state". The resolver scores places
(dateline, state names, capitals, governors) against public-sector wording, and companies (names
with a corporate suffix or acting as the subject of business verbs) against unions; a union that
outnumbers the employers leads (a strike across companies), and a name the story keeps repeating,
its headline included, leads over an employer named in passing. A watch's `aliases` then map any
variant onto its canonical name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from laborwatch.parsers.subject_clauses import acting_org, clause_org
from laborwatch.parsers.subject_names import (
    LIST_ITEM_NAME,
    TABLE_ROW_NAME,
    UNION_REFERENCE,
    clean_org,
)
from laborwatch.parsers.subject_places import PUBLIC_LEXICONS, SCHOOL, detect_city, detect_state
from laborwatch.parsers.subject_roles import (
    AGENCY,
    GENERIC_INSTITUTION,
    ArticleNames,
    article_names,
    named_like_org,
)
from laborwatch.parsers.text import ascii_lower, fold, split_sentences

FALLBACK_SUBJECT = "unspecified employer"


# A story names what it is about in its dateline, lede and nut graf; what follows quotes the
# union, the council and the analysts reacting. Reading the lead keeps the subject on the
# story's employer and the time linear in nothing but the lead (one 1,000-word story spent half
# its extraction time here).
LEAD_CHARACTERS = 2500
_SENTENCE_END = re.compile(r"[.!?][\"')]*\s|\n")


def _lead(text: str) -> str:
    """The first LEAD_CHARACTERS of `text`, cut at the last sentence end inside them."""
    if len(text) <= LEAD_CHARACTERS:
        return text
    ends = [
        match.end() for match in _SENTENCE_END.finditer(text, LEAD_CHARACTERS // 2, LEAD_CHARACTERS)
    ]
    return text[: ends[-1]] if ends else text[:LEAD_CHARACTERS]


def _detect(title: str, text: str) -> tuple[str, ArticleNames]:
    """The article-level subject and the names its lead gives."""
    folded_title, folded_text = fold(title), _lead(fold(text))
    body = f"{folded_title}\n{folded_text}"
    lowered = ascii_lower(body)  # the public-sector lexicons are compiled for lowered text
    state_public, city_public, county_public, federal_public = (
        len(pattern.findall(lowered)) if any(word in lowered for word in needs) else 0
        for pattern, needs in PUBLIC_LEXICONS
    )
    names = article_names(folded_title, folded_text)
    employers, unions, mentions = names.employers, names.unions, names.mentions
    # "the District" alone names no employer a history can line up under.
    named = [(n, c) for n, c in employers.most_common() if not GENERIC_INSTITUTION.fullmatch(n)]
    best_employer, employer_score = named[0] if named else (None, 0)
    public = max(state_public, city_public, county_public, federal_public)

    agency_employer = best_employer is not None and AGENCY.search(best_employer) is not None
    # A government's own departments roll up to its workforce: "Office of Policy and Management".
    if public >= 2 and (public >= employer_score or agency_employer):
        if federal_public == public and federal_public > state_public:
            return "US federal employees", names
        if city_public == public and city_public > state_public:
            city = detect_city(folded_title, folded_text)
            return f"{city} city employees" if city else "city employees", names
        if county_public == public and county_public > state_public:
            county = re.search(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?) County\b", body)
            if county:
                return f"{county.group(1)} County employees", names
        state = detect_state(folded_title, folded_text)
        if state:
            return f"{state} state employees", names
    dominant = _dominant_name(names, folded_title, best_employer)
    if dominant is not None:
        return dominant, names
    # A union that outnumbers every employer leads the story: a strike across companies.
    top_union = unions.most_common(1)[0][1] if unions else 0
    # Several employers sharing the story leave a tie to the union that spans them.
    shared = len(employers) > 1 and 2 * employers.most_common(2)[1][1] >= employer_score
    if best_employer and (
        employer_score > top_union or (employer_score == top_union and not shared)
    ):
        return best_employer, names
    if SCHOOL.search(lowered):
        city = detect_city(folded_title, folded_text)
        if city:
            return f"{city} public schools employees", names
    if unions:
        return unions.most_common(1)[0][0], names
    state = detect_state(folded_title, folded_text)
    if public and state:
        return f"{state} state employees", names
    if mentions:
        return mentions.most_common(1)[0][0], names
    return FALLBACK_SUBJECT, names


def _dominant_name(names: ArticleNames, title: str, best_employer: str | None) -> str | None:
    """The name a story keeps repeating, its headline included, though no sentence shows it
    acting as an employer: "WeWork" ten times against one "layoffs at Meetup"."""
    if not names.mentions:
        return None
    name, count = names.mentions.most_common(1)[0]
    if name == best_employer or name in names.unions or name not in title:
        return None
    rival = names.mentions.get(best_employer, 0) if best_employer else 0
    if count < 6 or count < 3 * max(rival, 1):
        return None
    # "Ross" is "Ross Stores" where the story spells it out once.
    spelled = [n for n in names.mentions if n.startswith(name + " ") and named_like_org(n, n)]
    return max(spelled, key=len) if spelled else name


class SubjectResolver:
    """Subjects for the figures of one article, with a watch's aliases applied."""

    def __init__(
        self, *, title: str, text: str, aliases: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._groups: list[tuple[str, re.Pattern[str]]] = []
        for canonical, names in (aliases or {}).items():
            if not canonical.strip():
                raise ValueError("alias groups need a non-empty canonical subject")
            variants = sorted({canonical, *names} - {""}, key=len, reverse=True)
            pattern = re.compile(
                rf"(?<!\w)(?:{'|'.join(re.escape(v) for v in variants)})(?!\w)", re.IGNORECASE
            )
            self._groups.append((canonical, pattern))
        self._text = fold(text)
        detected, self._names = _detect(title, text)
        self._unions = [name for name, _ in self._names.unions.most_common()]
        # Each union under each of its names: ("Society of ... in Aerospace", "SPEEA").
        self._union_names = [(u, u) for u in self._unions] + [
            (full, short) for short, full in self._names.short_forms.items() if full in self._unions
        ]
        self._detected = detected
        self.article_subject = (
            self._canonical(detected) or self._most_mentioned(fold(f"{title}\n{text}")) or detected
        )

    def _canonical(self, name: str) -> str | None:
        for canonical, pattern in self._groups:
            if pattern.fullmatch(name) or pattern.search(name):
                return canonical
        return None

    def _most_mentioned(self, text: str) -> str | None:
        counts = Counter(
            {canonical: len(pattern.findall(text)) for canonical, pattern in self._groups}
        )
        best = counts.most_common(1)
        return best[0][0] if best and best[0][1] > 0 else None

    def subject_for(
        self,
        sentence: str,
        *,
        union_internal: bool = False,
        span: tuple[int, int] | None = None,
        sentence_start: int | None = None,
    ) -> str:
        """The subject of a figure in `sentence` (at `span` of it, when known): the union
        for its own figures (`union_internal`: membership; "SPEEA, which represents 17,000
        Boeing employees"), the organisation its clause or sentence names, an aliased name
        there, the employer a list item or table row opens with ("- Harbor Point Foods,
        Secaucus: 212 employees"), the organisation an earlier sentence of its paragraph named
        (`sentence_start`: the sentence's offset in the article's text), else the article's.
        """
        folded = fold(sentence)
        union = self._union_for(folded, span, union_internal=union_internal)
        if union is not None:
            return self._canonical(union) or union
        org = clause_org(folded, span, self._names, self._detected)
        if org:
            return self._canonical(org) or org
        if self._groups:
            named = self._most_mentioned(folded)
            if named is not None:
                return named
        item = LIST_ITEM_NAME.match(folded) or TABLE_ROW_NAME.match(folded)
        if item:
            name = clean_org(item.group(1))
            return self._canonical(name) or name
        # A sentence naming no employer goes on with the one its paragraph was about.
        carried = self._paragraph_org(sentence_start) if org is None else None
        if carried is not None:
            return self._canonical(carried) or carried
        return self.article_subject

    def _union_for(
        self, folded: str, span: tuple[int, int] | None, *, union_internal: bool
    ) -> str | None:
        if not self._unions:
            return None
        if not union_internal:
            # "SPEEA, which represents 17,000 Boeing employees": the union's own count.
            represents = _REPRESENTS.search(folded[: span[0]]) if span is not None else None
            if represents is None:
                return None
            named = folded[: represents.start()]
            return next((u for u, short in self._union_names if short in named), None)
        union = next((u for u, short in self._union_names if short in folded), None)
        if union is None and UNION_REFERENCE.search(folded):
            union = self._unions[0]  # "The local has 860 members"
        return union

    def _paragraph_org(self, sentence_start: int | None) -> str | None:
        """The organisation the nearest earlier sentence of the paragraph acts through: "Cape
        Fear Valley Health is eliminating 200 positions. The decision affects 42 employees".
        """
        if sentence_start is None:
            return None
        paragraph = self._text.rfind("\n", 0, sentence_start) + 1
        # The last few sentences are all that can carry: reading back a bounded stretch keeps a
        # paragraph of thousands of sentences linear, not quadratic.
        window = max(paragraph, sentence_start - _CARRY_CHARACTERS)
        earlier = split_sentences(self._text[window:sentence_start])
        for sentence in reversed(earlier[-_CARRY_SENTENCES:]):
            org = acting_org(sentence.text, self._names, self._detected)
            if org is not None:
                return org
        return None


# How many sentences back a paragraph's employer still carries.
_CARRY_SENTENCES = 3
_CARRY_CHARACTERS = 3000
_REPRESENTS = re.compile(r",?\s+(?:which|that|who)?\s*represent(?:s|ed|ing)?\s+[^,;.]*$")


def resolve_subject(
    title: str, text: str, aliases: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The article-level canonical subject."""
    return SubjectResolver(title=title, text=text, aliases=aliases).article_subject
