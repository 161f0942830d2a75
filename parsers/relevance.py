"""Is an article a labor or workforce development (FIGURES.md "Relevance")?

Strong cues are phrases that only labor news uses (layoffs, furloughs, collective bargaining,
WARN notices, walkouts). Weak cues (union, strike, jobs, wages) need company. Look-alikes are
removed before counting: the European Union, credit unions, "State of the Union", baseball
strikes, military and lightning strikes, "cuts" of meat in a recipe.
"""

from __future__ import annotations

import re

from laborwatch.parsers.text import ascii_lower, compile_lower, fold

_LOOKALIKES = compile_lower(
    r"\b(?:European Union|E\.U\.|credit unions?|Soviet Union|State of the Union|Union Station"
    r"|Union Square|Union Jack|Union Army|civil unions?|union of (?:the|two) \w+|African Union"
    r"|Eurasian Union|Union County|Union City|Union Street|Union Avenue"
    r"|(?:air|drone|missile|military|lightning|pre-emptive|preemptive|nuclear|retaliatory)"
    r" ?strikes?"
    r"|hunger strikes?|strike zone|strikeouts?|struck out|strike (?:one|two|three)|called strike"
    r"|swinging strike|first-pitch strikes?|strikes? (?:and|or) balls?|balls? (?:and|or) strikes?"
    r"|(?:bowling|lucky) strikes?|strike a (?:balance|deal with (?:the )?(?:Kremlin|Iran))"
    r"|cuts? of (?:meat|beef|pork|lamb)|(?:short|rib|prime) cuts?|cut (?:into|in half|the \w+ into)"
    r"|(?:rate|tax|interest[- ]rate) cuts?|cut (?:interest )?rates|job interview tips"
    r"|jobs report|Steve Jobs|union suits?"
    # A boxer's "year-long layoff", a buyout of a company, a pension fund's name.
    r"|(?:year|month|week|\w+-(?:year|month|week))[- ]long layoffs?"
    r"|layoffs? of (?:\d+|\w+) (?:months|years|weeks)"
    r"|buyout (?:deal|talks|offers? for|bid|firm|funds?|group)s?|leveraged buyouts?"
    r"|(?:billion|million) buyouts?"
    r"|(?:public )?employees'? (?:retirement|pension) (?:system|fund)s?)\b",
)
_BASEBALL = compile_lower(
    r"\b(?:inning|pitch(?:er|ed|es|ing)?|batter|bullpen|home runs?|strikeout|RBI|shortstop"
    r"|outfield\w*|no-hitter|umpire|dugout|mound)\b",
)
_STRONG = compile_lower(
    r"\b(?:lay-?offs?|laid off|lay(?:ing|s)? off|furlough\w*|hiring freeze|pink slips?"
    r"|layoff notices?|WARN (?:Act|notices?|filings?)|job cuts?|job losses"
    r"|cut(?:ting|s)? \S*\s?jobs"
    r"|eliminat\w+ (?:\S+ ){0,3}(?:jobs|positions)|(?:jobs|positions) (?:will be |were |are )?"
    r"(?:cut|eliminated|lost|axed|slashed)|collective bargaining|bargaining unit\w*|labor contract"
    r"|union contract|contract negotiations|labor negotiations|labor talks|labor concessions"
    r"|concessions from (?:the )?(?:unions?|employees|workers)|givebacks|walk(?:ed)? ?out\w*"
    r"|picket\w*|lockouts?|locked out|on strike|went on strike|go on strike|strike vote"
    r"|strike authori[sz]ation|(?:nurses|teachers|workers|employees|union|drivers|members)"
    r"(?:'s)? (?:strike|strikes|striking)|striking (?:workers|nurses|teachers|employees|members)"
    r"|reduction in force|reductions in force|downsiz\w+|redundanc\w+|plant clos\w+|buyouts?"
    r"|severance|state employees|state workers|public employees|public-sector (?:workers|unions?)"
    r"|union members|union leaders|labor unions?|unions? representing"
    r"|(?:wage|pay) (?:increase|hike|raise|freeze|cut)s?"
    r"|minimum wage|cost-of-living (?:adjustment|raise)|pension (?:cuts?|reform|benefits)"
    r"|health (?:care )?premiums|tentative agreement"
    r"|ratif\w+ (?:a |the )?(?:new )?(?:contract|agreement)"
    r"|recall\w* (?:\S+ ){0,2}(?:workers|employees)|rehir\w+|workforce reduction|headcount"
    r"|unemployment claims|jobless|out of work|shed (?:\S+ )?jobs|job reductions?"
    r"|(?:workers|employees|staff) (?:were|will be) (?:let go|dismissed|terminated|fired)"
    r"|(?:close|closes|closed|closing|shut(?:s|ting)? down) (?:\S+ ){0,3}"
    r"(?:plants?|factory|factories|mills?|stores?|facility|facilities|offices?|warehouses?)"
    r"|(?:plants?|factory|factories|mills?|facility|warehouses?) (?:\w+ ){0,2}(?:to |will )?"
    r"(?:close|shut)|(?:lose|losing|lost) (?:their |his |her )?jobs"
    r"|shut(?:s|ting)? (?:down )?(?:its |the |a )?"
    r"(?:\S+ ){0,2}(?:plant|factory|mill|facility|operations)"
    r"|AFSCME|SEIU|Teamsters|AFL-CIO|UAW|United Auto Workers|Steelworkers|Machinists"
    r"|National Labor Relations Board|NLRB|unioniz\w+|organizing drive"
    r"|(?:cut|cuts|cutting|eliminat\w+|slash\w*|shed\w*|trim\w*|reduc\w+|ax\w*|lay off|laid off)"
    r" (?:[^.;]{0,40} )?(?:jobs|positions|staff|staffing|workforce|employees|workers|headcount)"
    r"|(?:jobs|positions) (?:\w+ ){0,2}(?:be )?(?:cut|eliminated|lost|axed|slashed)"
    r"|concession\w*|(?:pay|wage|salary) cuts?|cuts? (?:their |its )?(?:pay|wages|salar\w+)"
    r"|pension (?:contributions?|liabilit\w+|obligations|costs?|payments?|plans?)"
    r"|(?:city|county|municipal|federal|school|public) (?:workers|employees)|civil servants?"
    r"|back (?:wages|pay)|wage theft|Department of Labor|overtime (?:pay|costs?|spending)"
    r"|on overtime|starting (?:salar\w+|pay|wages?)|(?:salar\w+|pay|wages?) (?:\w+ ){0,2}"
    r"(?:rise|raise|increase|hike|boost)\w*|(?:raises?|increases?|hikes?) (?:\w+ ){0,2}"
    r"(?:pay|wages?|salar\w+)|raises (?:of|will|for)|(?:create|creating|add|adding|hire|hiring)"
    r" (?:[\w,]+ ){0,2}(?:new )?(?:jobs|workers|employees|positions)|new jobs"
    r"|(?:faculty|teaching) (?:and )?staff|union membership|collective agreement"
    r"|\d(?:\.\d+)?(?:%| percent) (?:(?:pay |wage |salary )?raises?|(?:pay|wage|salary)"
    r" (?:increase|cut|hike)s?))\b",
)
# People who work, as the subject of a strike, a closure or a firing. Reporters, aides and staff
# are left out: "told reporters the talks", "the chief of staff" are not labor news.
_WORKERS = (
    r"(?:(?<!aid )(?<!rescue )(?<!relief )(?<!humanitarian )(?<!election )(?<!poll )"
    r"(?<!campaign )(?<!emergency )workers|employees|nurses|teachers|educators|pilots"
    r"|machinists|baristas|dockworkers|longshoremen|flight attendants|housekeepers"
    r"|(?:bus|truck|delivery|transit|rideshare) drivers|operators"
    r"|janitors|miners|autoworkers|faculty|professors|mechanics|technicians"
    r"|clerks|cashiers|caregivers|laborers|firefighters|paramedics)"
)
_STAFF = r"(?:employees|workers|staff|staffers|jobs|positions)"
# A second tier of strong cues: how wire copy and short feed items say the same things.
_STRONG_PHRASING = compile_lower(
    r"\b(?:walk(?:s|ed|ing)? off the job|work stoppages?|picket lines?|labor board"
    r"|unfair labor practices?|union (?:elections?|drives?|vote|organizing|campaign)"
    r"|petitions? (?:to|for) (?:hold |form )?(?:a )?union"
    r"|authori[sz]\w* (?:a |an )?(?:[\w-]+ )?(?:strike|walkout)"
    rf"|(?:{_WORKERS}|actors|writers|members|unions?)\b[^.;!?]{{0,60}}"
    r"\b(?:strike|strikes|striking|walkout)\b(?! (?:zone|out))"
    r"|\bstrik(?:e|ing)\b[^.;!?]{0,30}\b(?:over|for) (?:higher |better |fair )?"
    r"(?:pay|wages|staffing|contracts?|benefits|pensions|raises)"
    r"|(?:stay|remain)(?:s|ed)? on strike"
    r"|let (?:go|\S+ go)(?: of)? (?:\S+ ){0,3}(?:employees|workers|staff|people)"
    r"|(?:cut|cuts|cutting|eliminat\w+|slash\w*|trim\w*) (?:[^.;]{0,40} )?roles"
    r"|non-?renew\w*|not (?:to )?renew (?:the )?contracts"
    r"|(?:fired|firing|fires|terminated|dismissed|sacked) (?:\S+ ){0,3}"
    rf"{_WORKERS}|{_WORKERS} (?:\S+ ){{0,3}}(?:were|was|being|been) (?:fired|terminated|dismissed)"
    r"|pay (?:bumps?|boosts?|hikes?|raises?|increases?|rises?|parity|equity)"
    r"|(?:raises?|increases?|hikes?|boosts?) (?:[\w'-]+ ){0,3}(?:pay|wages?|salar\w+)"
    r"|stipends?|one-time (?:\$[\d,.]+ )?(?:bonus|payment|stipend)"
    r"|(?:freeze|freezes|froze|freezing) (?:on )?hiring|hiring (?:pause|halt)"
    r"|cut (?:its |their |the )?payroll|payroll cuts?"
    rf"|{_STAFF}\b[^.;!?]{{0,80}}\b"
    r"(?:shut(?:s|ting)? down|clos(?:e|es|ing|ure)|idl(?:e|es|ed|ing))\b"
    r"|(?:shut(?:s|ting)? down|clos(?:e|es|ing|ure)|idl(?:e|es|ed|ing))\b[^.;!?]{0,80}"
    rf"\b(?:affect\w*|displac\w*) (?:\S+ ){{0,3}}{_STAFF}"
    r"|out of work|lost (?:their|his|her) jobs|job (?:security|protections)|wage theft"
    r"|(?:stole|steal\w*|withh[oe]ld\w*) (?:\S+ ){0,2}tips|tip (?:theft|pool\w*)"
    r"|(?:join\w*|form\w*|organi[sz]\w*) (?:a |the |their )?(?:own )?union"
    r"|cost-of-living adjustments?|COLAs?"
    r"|(?:freez\w+|froze) (?:their |its )?(?:wages|pay|salar\w+)"
    r"|(?:eliminat\w+|disband\w+|dissolv\w+|lay(?:s|ing)? off|laid off) (?:its|the|their)"
    r" (?:entire )?"
    r"(?:[\w-]+ ){0,2}(?:team|department|staff|division|newsroom|unit|workforce))\b",
)
# A labor actor and a labor matter in one clause is a labor development however it is worded:
# "flight attendants approved a new contract", "the deputies union declared an impasse".
_ACTORS = rf"(?:{_WORKERS}|unions?|guilds?|Workers United|workforce|bargaining units?)"
_MATTERS = (
    r"(?:contracts?|pacts?|bargain\w*|negotiat\w+|talks|impasse|arbitrat\w+|mediat\w+"
    r"|grievances?|wages?|raises|salar\w+|stipends?|overtime|bonus(?:es)?|severance|buyouts?"
    r"|pensions?|seniority|ratif\w+|layoffs?|laid off|strik(?:e|es|ing)|walkouts?|unioniz\w+"
    r"|(?:their|higher|better|hourly|base|equal|back|starting|lower) pay|pay (?:rates?|scales?"
    r"|cuts?|raises?|increases?|levels?|gaps?)|(?:health|retirement|employee|their) benefits"
    r"|health (?:care|insurance) (?:costs?|premiums?|coverage)|early retirement"
    r"|retirement (?:plans?|benefits|packages?|incentives?|accounts?)"
    r"|staffing (?:levels|ratios|shortages?)|working conditions|work rules"
    r"|organiz\w+ (?:a |the )?(?:union|drive|campaign))"
)
_ACTOR_AND_MATTER = compile_lower(
    rf"\b{_ACTORS}\b[^.;!?]{{0,80}}?\b{_MATTERS}\b|\b{_MATTERS}\b[^.;!?]{{0,80}}?\b{_ACTORS}\b"
)
_WEAK = compile_lower(
    r"\b(?:unions?|strikes?|jobs|employees|workers|workforce|wages?|salar\w+|staff|hiring"
    r"|contract|negotiations?|pension\w*|benefits|labor|employment|employer|payroll|budget"
    r"|deficit|concessions|savings)\b",
)
_STRIKE = re.compile(r"\bstrik\w*")
_SPORTS = compile_lower(
    r"\b(?:touchdowns?|quarterback|playoffs?|championship|innings?|home runs?|goalkeeper|halftime"
    r"|scored|rebounds|free throws?|World Series|Super Bowl|season opener|hat trick|slam dunk"
    r"|heavyweight|knock(?:s|ed)? out|knockouts?|KOs|title fight|undefeated)\b",
)
_RECIPE = compile_lower(
    r"\b(?:tablespoons?|teaspoons?|preheat|oven|simmer|whisk|saute|ingredients|garnish|recipe)\b",
)


# Every look-alike contains one of these words; the long look-alike pattern only runs near them.
_LOOKALIKE_ANCHOR = re.compile(r"union|e\.u\.|strik|struck|cut|job|layoff|buyout|employees")
_ANCHOR_MARGIN = 48  # longer than any look-alike on either side of its anchor


def _blank_lookalikes(lowered: str) -> str:
    """`_LOOKALIKES.sub(" ", lowered)`, searched only in windows around anchor words."""
    windows: list[tuple[int, int]] = []
    for anchor in _LOOKALIKE_ANCHOR.finditer(lowered):
        low = max(0, anchor.start() - _ANCHOR_MARGIN)
        high = min(len(lowered), anchor.end() + _ANCHOR_MARGIN)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    pieces: list[str] = []
    done = 0
    for low, high in windows:
        for match in _LOOKALIKES.finditer(lowered, max(low, done), high):
            pieces.append(lowered[done : match.start()])
            pieces.append(" ")
            done = match.end()
    if not pieces:
        return lowered
    pieces.append(lowered[done:])
    return "".join(pieces)


def _clean(text: str) -> str:
    """Folded, lowercased text with look-alikes ("credit union", "strike zone") blanked out."""
    text = _blank_lookalikes(ascii_lower(fold(text)))
    if _BASEBALL.search(text) is None or _STRIKE.search(text) is None:
        return text
    # A "strike" among pitches and innings is baseball, not a walkout.
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(_STRIKE.sub(" ", s) if _BASEBALL.search(s) else s for s in sentences)


_STRONG_PATTERNS = (_STRONG, _STRONG_PHRASING, _ACTOR_AND_MATTER)


def _strong_count(text: str, limit: int | None = None) -> int:
    """Strong cues in `text`; stops counting at `limit`, which is all a decision may need."""
    count = 0
    for pattern in _STRONG_PATTERNS:
        for _ in pattern.finditer(text):
            count += 1
            if limit is not None and count >= limit:
                return count
    return count


# Strong cues that outweigh the largest penalty (sports and recipe together: 3.5).
_MOST_STRONG_NEEDED = 5


def _penalty(body: str) -> float:
    # Sports and recipes quote jobs and cuts in passing; demand more before calling them labor.
    penalty = 0.0
    if len(_SPORTS.findall(body)) >= 2:
        penalty += 1.5
    if len(_RECIPE.findall(body)) >= 2:
        penalty += 2
    return penalty


def _score(body: str, title: str, strong: int | None = None) -> tuple[int, float]:
    if strong is None:
        strong = _strong_count(body) + (_strong_count(title) if title else 0)
    weak = len(_WEAK.findall(body))
    words = max(1, len(body.split()))
    density_bonus = min(1.0, 100 * weak / words / 4)
    return strong, strong + 0.25 * min(weak, 8) + density_bonus - _penalty(body)


def is_labor_relevant(text: str, title: str = "") -> bool:
    """True when the article reports a labor or workforce development."""
    body = _clean(f"{fold(title)}\n{fold(text)}")  # fold(text) is reused by extraction
    clean_title = _clean(title) if title else ""
    # Enough strong cues settle it whatever the weak ones add or the sports and recipe penalty
    # takes away, so labor news (where they come early) is decided after its first paragraphs
    # instead of a scan of every pattern.
    most = _MOST_STRONG_NEEDED
    strong = _strong_count(clean_title, most) if clean_title else 0
    if strong < most:
        strong += _strong_count(body, most - strong)
    if strong >= most:
        return True
    if strong >= 1 + int(_penalty(body) + 0.999):
        return True
    # Fewer than `enough` strong cues were found in a full scan: that count is exact.
    strong, score = _score(body, clean_title, strong)
    return strong > 0 and score >= 1.0
