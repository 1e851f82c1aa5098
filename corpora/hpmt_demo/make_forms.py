#!/usr/bin/env python3
"""Write fe_forms.csv: 1,672 fictional HPMT FE forms (Sept 2011 - April 2013).

The forms are synthetic sample data for qualcode. They are made to follow the
published marginals of the HPMT process evaluation (see README.md beside this
file), not to reproduce any real form. All comment text is fictional and was
written for this project.

The file is written the way Norwegian Excel writes "CSV UTF-8":
';' as separator, decimal comma, dates as dd.mm.yyyy, UTF-8 with BOM, CRLF.

Deterministic: random.Random(2013), standard library only (Python 3.11).
Run:  python3 make_forms.py      (writes fe_forms.csv next to this script and
                                  prints a check of the marginals)
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 2013
N_FORMS = 1672
OUT = Path(__file__).resolve().with_name("fe_forms.csv")

TOOLS = [
    "oppsummering", "apne_sporsmal", "aktiv_lytting", "speilinger", "utu",
    "smarte_mal", "helhetsmodellen", "plan_smarte_mal", "iima", "skalering",
    "endringsspiralen", "ambivalensvekt", "livshjulet", "fak_svak", "fak_sterk",
    "nettverkskart", "systemkart", "ai_5d",
]
CORE = {"oppsummering", "apne_sporsmal", "aktiv_lytting", "speilinger"}
N_PRINCIPLES = 10

# Forms per month. Low in the start-up month, dips in July and around
# Christmas/New Year, a rise in autumn 2012 after the booster (12-13 Sept 2012).
MONTH_COUNTS = {
    (2011, 9): 38, (2011, 10): 80, (2011, 11): 92, (2011, 12): 46,
    (2012, 1): 58, (2012, 2): 88, (2012, 3): 98, (2012, 4): 70,
    (2012, 5): 90, (2012, 6): 86, (2012, 7): 18, (2012, 8): 70,
    (2012, 9): 104, (2012, 10): 140, (2012, 11): 146, (2012, 12): 70,
    (2013, 1): 70, (2013, 2): 118, (2013, 3): 104, (2013, 4): 86,
}
MONTHS = sorted(MONTH_COUNTS)
assert sum(MONTH_COUNTS.values()) == N_FORMS

VERSION_CHANGE = dt.date(2012, 2, 1)   # UTU added to the form
BOOSTER = (dt.date(2012, 9, 12), dt.date(2012, 9, 13))
FIRST_DAY = dt.date(2011, 9, 15)        # forms handed out mid-September 2011

# Norwegian public holidays in the period (no meetings those days).
HOLIDAYS = {
    dt.date(2011, 12, 26), dt.date(2012, 4, 5), dt.date(2012, 4, 6),
    dt.date(2012, 4, 9), dt.date(2012, 5, 1), dt.date(2012, 5, 17),
    dt.date(2012, 5, 28), dt.date(2012, 12, 25), dt.date(2012, 12, 26),
    dt.date(2013, 1, 1), dt.date(2013, 3, 28), dt.date(2013, 3, 29),
    dt.date(2013, 4, 1),
}

# Treatment offices and their share of the forms. Office 9 had almost no
# supervision and lost staff to sick leave, so its volume falls off in 2012.
OFFICE_WEIGHT = {2: 22, 4: 9, 5: 11, 9: 4, 10: 12, 13: 13, 16: 11, 17: 7, 18: 11}
OFFICE_WEIGHT_LATE = {**OFFICE_WEIGHT, 9: 1, 2: 24}
# Propensity to tick the newer/rarer tools, and a mastery/outcome offset.
OFFICE_TOOL_FACTOR = {2: 1.5, 4: 1.0, 5: 0.8, 9: 0.5, 10: 1.0, 13: 1.1, 16: 1.0, 17: 0.9, 18: 1.1}
OFFICE_EFFECT = {2: 0.5, 4: 0.0, 5: -0.3, 9: -0.6, 10: 0.1, 13: 0.2, 16: 0.1, 17: -0.1, 18: 0.2}

# UTU planned share by month (only on version 2012-02 forms).
UTU_SHARE = {
    (2012, 2): 0.30, (2012, 3): 0.40, (2012, 4): 0.46, (2012, 5): 0.51,
    (2012, 6): 0.56, (2012, 7): 0.55, (2012, 8): 0.58, (2012, 9): 0.62,
    (2012, 10): 0.66, (2012, 11): 0.68, (2012, 12): 0.70, (2013, 1): 0.70,
    (2013, 2): 0.71, (2013, 3): 0.72, (2013, 4): 0.72,
}
RISING = {  # tool: (share in Sept 2011, share in April 2013)
    "smarte_mal": (0.18, 0.50),
    "helhetsmodellen": (0.14, 0.42),
    "plan_smarte_mal": (0.12, 0.42),
    "iima": (0.10, 0.38),
}
STABLE = {
    "apne_sporsmal": 0.91, "oppsummering": 0.87, "aktiv_lytting": 0.84,
    "speilinger": 0.62,
    "skalering": 0.06, "endringsspiralen": 0.04, "ambivalensvekt": 0.03,
    "livshjulet": 0.03, "fak_svak": 0.02, "fak_sterk": 0.015,
    "nettverkskart": 0.04, "systemkart": 0.025, "ai_5d": 0.02,
}
MASTERY_BASE = {
    "apne_sporsmal": 7.0, "oppsummering": 6.9, "aktiv_lytting": 7.3,
    "speilinger": 6.2, "utu": 5.6, "smarte_mal": 6.0, "helhetsmodellen": 5.8,
    "plan_smarte_mal": 6.0, "iima": 5.7,
}
# Share of forms where the principle is ticked as relevant (1..10).
PRINCIPLE_SHARE = [0.93, 0.86, 0.55, 0.60, 0.75, 0.70, 0.14, 0.72, 0.17, 0.15]

# --------------------------------------------------------------------------
# Comment pools. Every fragment is original text written for this sample.
# A fragment may carry a condition: "t:<slug>" (that tool was used on the
# form), "v2" (form version 2012-02), "early" (before March 2012) or "late"
# (from September 2012 on).
# --------------------------------------------------------------------------
K1_FACTORS = [
    ("Deltaker var godt forberedt og hadde skrevet ned spørsmål på forhånd.", None),
    ("Det hjalp at vi startet med å oppsummere hva vi ble enige om sist.", "t:oppsummering"),
    ("Åpne spørsmål fikk ham til å fortelle mer om hvordan dagene faktisk ser ut.", "t:apne_sporsmal"),
    ("Avgjørende at [navn] fra helsestasjonen var med, da ble ansvarsfordelingen tydelig.", "t:iima"),
    ("Hun var sliten og lite motivert i dag; jeg senket ambisjonsnivået for møtet.", None),
    ("Brukte speilinger da han ble frustrert over bostøtten, det roet samtalen.", "t:speilinger"),
    ("Vi fikk endelig konkretisert målet om praksisplass: ukedager, arbeidssted og oppstart.", "t:smarte_mal"),
    ("Tolk var med. Tar lengre tid, men deltaker forsto mer av innholdet enn sist.", None),
    ("Tidsrammen på 45 min var for knapp, vi rakk ikke alt som var planlagt.", None),
    ("Helhetsmodellen ga et godt bilde av at økonomi og bolig må på plass før arbeid.", "t:helhetsmodellen"),
    ("UTU fungerte bra da jeg skulle informere om reglene for fravær, spurte først hva hun visste.", "t:utu"),
    ("Deltaker satte selv ord på hva som er vanskelig med å komme i gang om morgenen.", None),
    ("God relasjon etter hvert, han ler mer og tar initiativ i samtalen.", None),
    ("Skalering: motivasjonen har gått fra 4 til 6 siden forrige møte, det ga oss noe å snakke om.", "t:skalering"),
    ("Samtalen sporet av mot gjeld og inkasso, måtte ta opp igjen hovedtemaet til slutt.", None),
    ("Mye informasjon fra min side i dag, litt for lite lytting.", None),
    ("Arbeidsgiver var positiv til utvidet praksis, det var det viktigste resultatet av møtet.", None),
    ("Planen med smarte mål ble gjennomgått punkt for punkt og revidert.", "t:plan_smarte_mal"),
    ("Deltaker kom 20 min for sent, derfor et kort møte.", None),
    ("Hun sa selv at det var første gang noen spurte hva hun faktisk ville.", None),
    ("Vi tok utgangspunkt i det som gikk bra på kurset, ikke det som ikke gikk.", None),
    ("Fastlegen hadde ikke sendt erklæringen, så helse ble ikke avklart som planlagt.", None),
    ("Nyttig å bruke endringsspiralen for å vise at tilbakefall er en del av prosessen.", "t:endringsspiralen"),
    ("Ambivalensvekten fikk fram både fordeler og ulemper ved å flytte fra kommunen.", "t:ambivalensvekt"),
    ("Tegnet nettverkskart sammen; han har flere å spørre enn han trodde.", "t:nettverkskart"),
    ("Livshjulet ble et fint utgangspunkt, hun valgte selv å starte med helse.", "t:livshjulet"),
    ("Oppsummerte underveis, det gjorde det lettere å holde tråden.", "t:oppsummering"),
    ("Jeg var for dårlig forberedt og hadde ikke lest siste rapport fra arbeidsgiver.", None),
    ("Møtet ble mer en informasjonsrunde enn en samtale.", None),
    ("Deltakers mor var med, det var både til hjelp og til hinder.", None),
    ("Hun ville ikke snakke om rusbruken i dag, og jeg respekterte det.", None),
    ("Greide å la ham komme med løsningene selv i stedet for å foreslå dem.", None),
    ("Ny saksbehandler i sosialtjenesten, brukte tid på å avklare roller.", None),
    ("Kort og konkret møte. Alt som var avtalt, var gjort.", None),
    ("Anspent stemning etter avslaget på søknaden om ekstra stønad.", None),
    ("Brukte systemkart for å få oversikt over alle instansene som er inne i saken.", "t:systemkart"),
    ("Vi står fast på samme sted som sist, han vil, men får det ikke til.", None),
    ("Trepartsmøte med attføringsbedriften og lege fungerte godt, alle hadde samme bilde.", "t:iima"),
    ("Hun hadde fått jobbintervju! Det preget hele samtalen positivt.", None),
    ("Aktiv lytting, lot pausene få være. Da kom det mye fram.", "t:aktiv_lytting"),
    ("Fikk prøvd FAK, men var usikker på rekkefølgen.", "t:fak_svak"),
    ("Vi snakket om det han har fått til tidligere i livet, det løftet ham.", None),
    ("Mye av tiden gikk med til praktiske ting rundt utbetaling av kvalifiseringsstønaden.", None),
    ("Hadde skrevet tema og hensikt på forhånd, det holdt samtalen på sporet.", None),
    ("Skjemaet tok lang tid å fylle ut, usikker på hva som skal krysses av.", "early"),
    ("Kjennes fortsatt kunstig å planlegge verktøy før møtet.", "early"),
    ("Etter at jeg skrev inn hensikten på skjemaet, var det lettere å holde fokus.", "late"),
    ("Skjemaet viser meg at jeg hopper over oppsummeringen når tiden er knapp.", "late"),
    ("Hun sa: \"dette er første gang jeg har en plan som er min\".", None),
    ("Han hadde avlyst to ganger før dette; viktig at vi faktisk fikk møttes.", None),
    ("Åpne spørsmål om fritid ga en inngang til å snakke om nettverk.", "t:apne_sporsmal"),
    ("Speilet ambivalensen hans i stedet for å argumentere, det senket garden.", "t:speilinger"),
    ("Praksisveileder [navn] var med på telefon, nyttig for begge.", None),
    ("Hun var tydelig på at hun vil ha jobb i butikk, ikke på kjøkken.", None),
    ("Helsa hans er dårligere enn sist, vi la arbeidsmålet til side for i dag.", None),
    ("Vi brukte tavla og tegnet opp ukeplanen sammen.", None),
    ("Informerte om tiltaket etter UTU-modellen. Hun stilte flere spørsmål enn vanlig.", "t:utu"),
    ("Jeg snakket for mye i starten, bedre etter hvert.", None),
    ("Møtet ble holdt på praksisplassen, og han var mer avslappet der.", None),
    ("Tydelige avtaler på slutten, skrevet ned og gitt til deltaker.", None),
    ("Den gode relasjonen gjør at hun tør å si fra når noe ikke fungerer.", None),
]
K1_NEXT = [
    ("Neste gang: sette av tid til oppsummering før vi avslutter.", None),
    ("Bør avklare med fastlegen før neste møte.", None),
    ("Til neste gang skal jeg ha klar søknaden om arbeidsutprøving.", None),
    ("Starte med det hun er opptatt av, ikke med min agenda.", None),
    ("Prøve UTU når jeg skal informere om nytt tiltak.", "v2"),
    ("Lage en mer konkret avtale om hvem som ringer arbeidsgiver.", None),
    ("Færre tema per møte, vi rakk ikke alt.", None),
    ("Be ham ta med timelisten fra praksisplassen.", None),
    ("Invitere [navn] fra boligkontoret til neste møte.", None),
    ("Bruke skalering for å følge med på motivasjonen.", None),
    ("Mer bevisst på å stille åpne spørsmål i stedet for ja/nei-spørsmål.", None),
    ("Sette av 1,5 time neste gang.", None),
    ("Møtet bør holdes på praksisplassen og ikke på kontoret.", None),
    ("Gå gjennom planen sammen og justere delmålene.", None),
    ("Tåle mer stillhet, ikke fylle pausene selv.", None),
    ("Sende innkalling med tema skriftlig, så hun vet hva vi skal snakke om.", None),
    ("Må lese meg opp på reglene om fravær og trekk før neste møte.", None),
    ("Avklare forventningene til hverandre tidligere i samtalen.", None),
    ("Bestille tolk i god tid denne gangen.", None),
    ("Følge opp avtalen om norskkurs, det ble ikke gjort.", None),
    ("Korte ned informasjonsdelen og la henne snakke mer.", None),
    ("Neste møte blir et ansvarsgruppemøte med alle parter.", None),
    ("Bruke helhetsmodellen igjen om tre uker for å se om noe har endret seg.", None),
    ("Spørre mer om hva som fungerte, ikke bare om det som er vanskelig.", None),
    ("Konkretisere målet: hva, når og hvordan.", None),
    ("Avtale fast ukedag for oppfølging, det gir forutsigbarhet.", None),
    ("Ta opp gjelden sammen med økonomirådgiver.", None),
    ("Sende SMS og minne på møtet dagen før.", None),
    ("Huske å skrive ned avtalene og gi ham en kopi.", None),
    ("Oppsummere oftere underveis, det ble litt rotete mot slutten.", None),
    ("Prøve ambivalensvekten på spørsmålet om flytting.", None),
    ("Ta saken med til veiledning på kontoret.", None),
    ("Få med arbeidsgiver på telefon neste gang.", None),
    ("Mindre skjema, mer samtale.", "early"),
    ("Forberede meg bedre på hva jeg vil oppnå med møtet.", None),
    ("Spørre hva han selv tror skal til, før jeg kommer med forslag.", None),
    ("Kortere møter, men oftere.", None),
]
K1_SHORT = [
    "Godt møte.", "Bra samtale, ingen spesielle merknader.", "Se notat i Arena.",
    "Som forrige gang.", "Kort møte pga. sykdom.", "Telefonmøte, ikke optimalt.",
    "Ok.", "Vanskelig samtale.", "Svært positiv utvikling siden forrige møte.",
    "Gikk som planlagt.", "Møtet ble flyttet to ganger, men vi fikk det til.",
]
K2_CHALLENGES = [
    ("Vet ikke hvordan jeg skal håndtere at han gjentar de samme historiene hver gang.", None),
    ("Ønsker veiledning på hvordan jeg kan ta opp rus uten at hun trekker seg.", None),
    ("Hvordan avslutte en samtale som drar ut i tid?", None),
    ("Deltaker er svært passiv og svarer \"vet ikke\" på alt.", None),
    ("Vil drøfte saken med HPMT-veileder; usikker på om KVP er riktig for ham.", None),
    ("Vanskelig å bruke UTU når deltaker ikke vil ha informasjon.", "v2"),
    ("Hvordan få fastlegen med i samarbeidsmøter?", None),
    ("Jeg tar på meg oppgaver han burde gjort selv.", None),
    ("Sinne og trusler i samtalen. Trenger å snakke om dette.", None),
    ("Hvordan bruke speilinger gjennom tolk?", None),
    ("Hvor går grensen mellom å motivere og å presse?", None),
    ("Hvordan lage smarte mål når deltaker ikke har noen mål selv?", None),
    ("Når ambivalensen er så stor, hvor lenge skal man vente?", None),
    ("Usikker på hvordan jeg bruker helhetsmodellen uten at det blir et avhør.", None),
    ("Deltaker med store psykiske vansker; hvor går grensen for min rolle?", None),
    ("Uklart hvem som gjør hva mellom oss og sosialtjenesten.", None),
    ("Hvordan håndtere pårørende som tar over samtalen?", None),
    ("Lite tid: 14 deltakere og krav om tett oppfølging.", None),
    ("Trenger hjelp til å strukturere ansvarsgruppemøter.", None),
    ("Hvordan gi negativ tilbakemelding fra arbeidsgiver uten å knekke motivasjonen?", None),
    ("Ble satt ut da hun begynte å gråte, visste ikke hva jeg skulle si.", None),
    ("Han sa rett ut at \"dette er bare NAV-prat\". Hvordan møte det?", None),
    ("Hvordan jobbe med en deltaker som ikke møter opp?", None),
    ("Usikker på IIMA når deltaker ikke vil at vi kontakter nettverket.", None),
    ("Vanskelig å holde fokus på mål når livet hennes er kaotisk.", None),
    ("Hvordan oppsummere uten å legge ord i munnen på deltaker?", None),
    ("Gjelder [navn], tar det opp i veiledningen neste uke.", None),
    ("Hvordan kombinere rollen som den som trekker i stønad med rollen som motivator?", None),
    ("Språkbarrierer.", None),
    ("Hvordan formidle trekk i stønaden uten at relasjonen ryker?", None),
    ("Usikker på FAK, vil gjerne se det demonstrert.", None),
    ("Opplever at skjemaet styrer samtalen for mye.", "early"),
    ("Deltaker vil avslutte programmet. Hva gjør jeg?", None),
    ("Hvordan bruke skalering uten at det virker kunstig?", None),
    ("Når skal jeg tilføre egne forslag i stedet for å utforske mer?", "v2"),
    ("Vi har ulikt syn på hva som er et realistisk jobbmål.", None),
    ("Egen frustrasjon når ingenting skjer; vil ta det opp i veiledning.", None),
    ("Gjeld til mange kreditorer, hvilken rolle har jeg her?", None),
    ("Arbeidsgiver ringer meg direkte i stedet for å snakke med deltaker.", None),
    ("Hun forteller ulike ting til meg og til psykologen.", None),
    ("Hvordan unngå å gå rett på løsninger når tiden er knapp?", None),
]
K2_TOPICS = [
    ("Kunne vært tema på neste samling.", None),
    ("Forslag til samling: rollespill med vanskelige samtaler.", None),
    ("Ønsker mer om endringsspiralen på samling.", None),
    ("Tema for samling: samarbeid med arbeidsgivere.", None),
    ("Gjerne casedrøfting på samlingen, ikke bare teori.", None),
    ("Ta opp på boostersamlingen?", "boost"),
    ("Tror flere sliter med dette, bør tas opp i plenum.", None),
    ("Ønsker konkrete eksempler på UTU i praksis.", "v2"),
    ("Mer trening på smarte mål i grupper.", None),
    ("Tema: hvordan bruke verktøyene når tiden er knapp.", None),
    ("Samling: hvordan involvere nettverket når deltaker er skeptisk.", None),
    ("Ønsker at kursholderne viser en hel samtale fra start til slutt.", None),
    ("Kanskje tema for veiledningen hos fylkesmannen.", None),
    ("Tar det opp i veiledningsgruppa først.", None),
    ("Mer om motiverende intervju, speilinger på flere nivåer.", None),
    ("Tema: rus og psykisk helse i KVP.", None),
    ("Ønsker tid på samlingen til erfaringsutveksling mellom kontorene.", None),
    ("Gjerne mer om hvordan skjemaet kan brukes i veiledningen.", None),
    ("Trenger ikke samling om dette, men veiledning på kontoret.", None),
    ("Samlingstema: avslutning av program og overgang til arbeid.", None),
    ("Tema: kulturforskjeller og bruk av tolk.", None),
    ("Ønsker oppfølging av dette på neste samling.", None),
]


def month_index(ym: tuple[int, int]) -> int:
    return MONTHS.index(ym)


def days_in(ym: tuple[int, int]) -> list[dt.date]:
    y, m = ym
    d = dt.date(y, m, 1)
    out = []
    while d.month == m:
        if d.weekday() < 5 and d not in HOLIDAYS and d not in BOOSTER and d >= FIRST_DAY:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def pick_dates(rng: random.Random, ym: tuple[int, int], n: int) -> list[dt.date]:
    days = days_in(ym)
    weights = []
    for d in days:
        w = 1.0
        if ym == (2012, 9):          # most September 2012 forms come after the booster
            w = 0.6 if d < BOOSTER[0] else 1.5
        if d.month == 12 and d.day > 19:
            w = 0.25                 # Christmas
        if d.month == 7 and d.day > 6:
            w = 0.4                  # summer holiday
        if d.weekday() == 4:
            w *= 0.7                 # fewer meetings on Fridays
        weights.append(w)
    return [rng.choices(days, weights)[0] for _ in range(n)]


def weighted_sample(rng: random.Random, items: list[int], weights: list[float], k: int) -> set[int]:
    """Weighted sampling without replacement (Efraimidis-Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in zip(items, weights, strict=True)), reverse=True)
    return {i for _, i in keyed[:k]}


def clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def num(x: float) -> str:
    """Norwegian number formatting: 7 -> '7', 7.5 -> '7,5'."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.1f}".replace(".", ",")


def fits(cond: str | None, form: dict) -> bool:
    if cond is None:
        return True
    if cond.startswith("t:"):
        return form["used"].get(cond[2:], False)
    if cond == "v2":
        return form["version"] == "2012-02"
    if cond == "early":
        return form["date"] < dt.date(2012, 3, 1)
    if cond == "late":
        return form["date"] >= dt.date(2012, 9, 1)
    if cond == "boost":
        return dt.date(2012, 5, 1) <= form["date"] < BOOSTER[0]
    raise ValueError(cond)


def choose(rng: random.Random, pool, form) -> str:
    return rng.choice([t for t, c in pool if fits(c, form)])


def vary(rng: random.Random, text: str) -> str:
    """Small, realistic variation in how people type."""
    r = rng.random()
    if r < 0.08 and text.endswith("."):
        text = text[:-1]
    elif r < 0.12:
        text = text[0].lower() + text[1:]
    return text


def comment1(rng: random.Random, form: dict) -> str:
    r = rng.random()
    if r < 0.10:
        return rng.choice(K1_SHORT)
    if r < 0.20:
        return vary(rng, choose(rng, K1_NEXT, form))
    parts = [choose(rng, K1_FACTORS, form)]
    if rng.random() < 0.35:
        second = choose(rng, K1_FACTORS, form)
        if second != parts[0]:
            parts.append(second)
    if rng.random() < 0.6:
        nxt = choose(rng, K1_NEXT, form)
        prefix = "" if nxt.startswith(("Neste", "Til neste")) else rng.choice(
            ["", "", "Neste gang: ", "Til neste møte: "])
        parts.append(prefix + (nxt[0].lower() + nxt[1:] if prefix else nxt))
    return " ".join(vary(rng, p) for p in parts)


def comment2(rng: random.Random, form: dict) -> str:
    r = rng.random()
    if r < 0.10:
        return choose(rng, K2_TOPICS, form)
    parts = [choose(rng, K2_CHALLENGES, form)]
    if r < 0.45:
        parts.append(choose(rng, K2_TOPICS, form))
    return " ".join(vary(rng, p) for p in parts)


def planned_share(tool: str, ym: tuple[int, int], rng: random.Random) -> float:
    m = month_index(ym)
    if tool == "utu":
        return UTU_SHARE.get(ym, 0.0)
    if tool in RISING:
        a, b = RISING[tool]
        return a + (b - a) * m / (len(MONTHS) - 1) + rng.uniform(-0.02, 0.02)
    base = STABLE[tool]
    if tool in CORE:
        return base + rng.uniform(-0.03, 0.03)
    return max(0.0, base + rng.uniform(-0.01, 0.01))


def nudge_mean(values: list[float], lo: float, hi: float, step: float, top: float) -> None:
    """Move single values by one step until the mean lies in [lo, hi]."""
    n = len(values)
    i = 0
    while sum(values) / n < lo and i < 10 * n:
        j = i % n
        if values[j] + step <= top:
            values[j] += step
        i += 1
    i = 0
    while sum(values) / n > hi and i < 10 * n:
        j = i % n
        if values[j] - step >= 0:
            values[j] -= step
        i += 1


def make_forms() -> list[dict]:
    rng = random.Random(SEED)
    forms: list[dict] = []
    for ym in MONTHS:
        n = MONTH_COUNTS[ym]
        m = month_index(ym)
        weights = OFFICE_WEIGHT if ym < (2012, 7) else OFFICE_WEIGHT_LATE
        offices = list(weights)
        dates = pick_dates(rng, ym, n)
        month_forms = []
        for d in dates:
            month_forms.append({
                "date": d,
                "version": "2011-09" if d < VERSION_CHANGE else "2012-02",
                "office": rng.choices(offices, [weights[o] for o in offices])[0],
                "planned": {}, "used": {}, "mastery": {},
                "relevant": {}, "pmastery": {},
            })
        idx = list(range(n))
        # Tools planned: exact monthly shares, newer tools skewed to keen offices.
        for tool in TOOLS:
            eligible = [i for i in idx if tool != "utu" or month_forms[i]["version"] == "2012-02"]
            if not eligible:
                continue
            share = planned_share(tool, ym, rng)
            k = round(share * n)
            k = min(k, len(eligible))
            w = [1.0 if tool in CORE else OFFICE_TOOL_FACTOR[month_forms[i]["office"]] for i in eligible]
            chosen = weighted_sample(rng, eligible, w, k)
            for i in eligible:
                f = month_forms[i]
                p = i in chosen
                f["planned"][tool] = p
                if p:
                    u = rng.random() < (0.94 if tool in CORE else 0.86)
                else:
                    u = rng.random() < (0.05 if tool in CORE else 0.015)
                f["used"][tool] = u
                if u:
                    base = MASTERY_BASE.get(tool, 5.3)
                    mu = base + 0.05 * m + OFFICE_EFFECT[f["office"]]
                    if tool == "utu":
                        mu += 0.04 * m  # learned fast after it was added
                    f["mastery"][tool] = int(clip(round(rng.gauss(mu, 1.3)), 1, 10))
        # Principles: exact monthly shares.
        for p_i, share in enumerate(PRINCIPLE_SHARE, start=1):
            s = share + rng.uniform(-0.03, 0.03)
            if p_i in (5, 8):
                s += 0.002 * m
            k = min(n, round(clip(s, 0, 1) * n))
            chosen = weighted_sample(rng, idx, [1.0] * n, k)
            for i in idx:
                f = month_forms[i]
                rel = i in chosen
                f["relevant"][p_i] = rel
                if rel:
                    base = 6.2 if p_i in (7, 9, 10) else 7.0
                    mu = base + 0.04 * m + OFFICE_EFFECT[f["office"]]
                    f["pmastery"][p_i] = int(clip(round(rng.gauss(mu, 1.2)), 1, 10))
        # Outcome scores, then keep the monthly means inside the published ranges.
        gj = []
        mo = []
        for f in month_forms:
            mu = 7.2 + 0.025 * m + 0.6 * OFFICE_EFFECT[f["office"]]
            g = clip(round(rng.gauss(mu, 1.5)), 0, 10)
            x = clip(g + rng.gauss(0.25, 1.0), 0, 10)
            x = round(x * 2) / 2 if rng.random() < 0.15 else float(round(x))
            gj.append(float(g))
            mo.append(x)
        nudge_mean(gj, 7.1, 7.9, 1.0, 10.0)
        nudge_mean(mo, 7.1, 8.4, 1.0, 10.0)
        for f, g, x in zip(month_forms, gj, mo, strict=True):
            f["gjennomfort"] = g
            f["mal"] = x
        # Comments.
        for f in month_forms:
            p1 = 0.70 + (0.06 if f["office"] == 2 else 0.0) + (0.03 if f["date"] > BOOSTER[1] else 0.0)
            p2 = 0.13 + (0.05 if f["office"] in (2, 13) else 0.0)
            f["k1"] = comment1(rng, f) if rng.random() < p1 else ""
            f["k2"] = comment2(rng, f) if rng.random() < p2 else ""
        forms.extend(month_forms)
    forms.sort(key=lambda f: (f["date"], f["office"]))
    for n, f in enumerate(forms, start=1):
        f["id"] = f"FE-{n:05d}"
    return forms


def header() -> list[str]:
    cols = ["skjema_id", "dato", "versjon", "kontor", "gjennomfort_som_tenkt", "mal_oppnadd"]
    for t in TOOLS:
        cols += [f"{t}_planlagt", f"{t}_brukt", f"{t}_mestring"]
    for p in range(1, N_PRINCIPLES + 1):
        cols += [f"prinsipp{p:02d}_relevant", f"prinsipp{p:02d}_mestring"]
    return cols + ["kommentar1", "kommentar2"]


def row(f: dict) -> list[str]:
    out = [f["id"], f["date"].strftime("%d.%m.%Y"), f["version"], str(f["office"]),
           num(f["gjennomfort"]), num(f["mal"])]
    for t in TOOLS:
        if t == "utu" and f["version"] == "2011-09":
            out += ["", "", ""]
            continue
        out += ["x" if f["planned"][t] else "",
                "1" if f["used"][t] else "0",
                str(f["mastery"][t]) if f["used"][t] else ""]
    for p in range(1, N_PRINCIPLES + 1):
        out += ["x" if f["relevant"][p] else "",
                str(f["pmastery"][p]) if f["relevant"][p] else ""]
    return out + [f["k1"], f["k2"]]


def write(forms: list[dict]) -> None:
    with OUT.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL)  # CRLF like Excel
        w.writerow(header())
        for f in forms:
            w.writerow(row(f))


def check() -> bool:
    """Read the written file back and print the marginals."""
    with OUT.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    ok = True

    def fail(msg: str) -> None:
        nonlocal ok
        ok = False
        print("  AVVIK:", msg)

    def f(x: str) -> float:
        return float(x.replace(",", "."))

    by_month: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        d = dt.datetime.strptime(r["dato"], "%d.%m.%Y").date()
        by_month[f"{d.year}-{d.month:02d}"].append(r)
    print(f"{OUT.name}: {len(rows)} skjema, {len(header())} kolonner")
    if len(rows) != N_FORMS:
        fail(f"{len(rows)} skjema, ikke {N_FORMS}")
    print(f"{'måned':8} {'n':>4} {'åpne%':>6} {'opps%':>6} {'lytt%':>6} {'spei%':>6} "
          f"{'utu%':>5} {'smart%':>6} {'iima%':>5} {'gjenn':>5} {'mål':>5}")
    for ym in sorted(by_month):
        rs = by_month[ym]
        n = len(rs)
        share = {t: sum(r[f"{t}_planlagt"] == "x" for r in rs) / n for t in TOOLS}
        gj = sum(f(r["gjennomfort_som_tenkt"]) for r in rs) / n
        mo = sum(f(r["mal_oppnadd"]) for r in rs) / n
        print(f"{ym:8} {n:4d} {share['apne_sporsmal']:6.0%} {share['oppsummering']:6.0%} "
              f"{share['aktiv_lytting']:6.0%} {share['speilinger']:6.0%} {share['utu']:5.0%} "
              f"{share['smarte_mal']:6.0%} {share['iima']:5.0%} {gj:5.2f} {mo:5.2f}")
        if not 0.85 <= share["apne_sporsmal"] <= 0.98:
            fail(f"{ym}: åpne spørsmål {share['apne_sporsmal']:.0%}")
        if not 7.0 <= gj <= 8.0:
            fail(f"{ym}: gjennomført som tenkt {gj:.2f}")
        if not 7.0 <= mo <= 8.5:
            fail(f"{ym}: mål oppnådd {mo:.2f}")
        if ym < "2012-02" and share["utu"] > 0:
            fail(f"{ym}: UTU før februar 2012")
    utu = {}
    for ym in ("2012-06", "2012-12"):
        rs = by_month[ym]
        utu[ym] = sum(r["utu_planlagt"] == "x" for r in rs) / len(rs)
    print(f"UTU planlagt juni 2012: {utu['2012-06']:.0%}, desember 2012: {utu['2012-12']:.0%}")
    if abs(utu["2012-06"] - 0.56) > 0.02 or abs(utu["2012-12"] - 0.70) > 0.02:
        fail("UTU-andel")
    old_utu = [r for r in rows if r["versjon"] == "2011-09"
               and (r["utu_planlagt"] or r["utu_brukt"] or r["utu_mestring"])]
    if old_utu:
        fail(f"{len(old_utu)} skjema av versjon 2011-09 har UTU-verdier")
    tools = sum(sum(r[f"{t}_planlagt"] == "x" for t in TOOLS) for r in rows) / len(rows)
    used = sum(sum(r[f"{t}_brukt"] == "1" for t in TOOLS) for r in rows) / len(rows)
    prin = sum(sum(r[f"prinsipp{p:02d}_relevant"] == "x" for p in range(1, 11)) for r in rows) / len(rows)
    print(f"Verktøy planlagt per skjema: {tools:.2f} (brukt: {used:.2f}); prinsipper per skjema: {prin:.2f}")
    if round(tools, 1) != 5.2:
        fail(f"verktøy per skjema {tools:.2f}")
    if round(prin, 1) != 5.6:
        fail(f"prinsipper per skjema {prin:.2f}")
    pshare = [sum(r[f"prinsipp{p:02d}_relevant"] == "x" for r in rows) / len(rows) for p in range(1, 11)]
    print("Prinsipper relevant: " + ", ".join(f"{p}: {s:.0%}" for p, s in enumerate(pshare, 1)))
    if not (pshare[0] == max(pshare) and pshare[1] == sorted(pshare)[-2]):
        fail("prinsipp 1 og 2 skal være mest avkrysset")
    tshare = {t: sum(r[f"{t}_planlagt"] == "x" for r in rows) / len(rows) for t in TOOLS}
    print("Verktøy planlagt, hele perioden: " + ", ".join(f"{t} {s:.0%}" for t, s in tshare.items()))
    for t in ("skalering", "endringsspiralen", "ambivalensvekt", "livshjulet", "fak_svak",
              "fak_sterk", "nettverkskart", "systemkart", "ai_5d"):
        if tshare[t] > 0.10:
            fail(f"{t} for ofte avkrysset")
    k1 = sum(bool(r["kommentar1"].strip()) for r in rows)
    k2 = sum(bool(r["kommentar2"].strip()) for r in rows)
    navn = sum("[navn]" in (r["kommentar1"] + r["kommentar2"]) for r in rows)
    distinct = len({r["kommentar1"] for r in rows if r["kommentar1"]})
    print(f"Kommentar 1 utfylt: {k1 / len(rows):.1%} ({k1}, {distinct} ulike); "
          f"kommentar 2 utfylt: {k2 / len(rows):.1%} ({k2}); kommentarer i alt: {k1 + k2}; "
          f"med [navn]: {navn}")
    if not 0.70 <= k1 / len(rows) <= 0.76:
        fail("kommentar 1 fyllingsgrad")
    if not 0.12 <= k2 / len(rows) <= 0.18:
        fail("kommentar 2 fyllingsgrad")
    if k1 + k2 <= 1000:
        fail("færre enn 1000 kommentarer")
    aut = by_month["2012-10"] + by_month["2012-11"]
    spring = by_month["2012-03"] + by_month["2012-05"]
    if len(aut) <= len(spring):
        fail("ingen økning høsten 2012")
    print("Kontroll: OK" if ok else "Kontroll: AVVIK funnet")
    return ok


def main() -> int:
    forms = make_forms()
    write(forms)
    return 0 if check() else 1


if __name__ == "__main__":
    sys.exit(main())
