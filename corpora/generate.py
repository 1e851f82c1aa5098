"""Deterministic synthetic corpora at a chosen scale, for the benchmarks and for big projects.

    python -m corpora.generate --forms 16720 --transcripts 130 --words 1300 --density 2 --out DIR

writes into DIR:
- `fe_forms.csv`: N FE forms with the columns of hpmt_demo/fe_forms.csv, written the way
  Norwegian Excel writes "CSV UTF-8" (BOM, `;`, decimal comma, dd.mm.yyyy, CRLF), so the shipped
  mapping imports it;
- `transcripts/*.txt`: M interview transcripts of exactly K words (counted as whitespace-separated
  tokens, speaker labels included) with `I:` / `IP:` turns, and `attributes.csv` (the columns of
  hpmt_demo/attributes.csv);
- with `--density D`: `synthetic.qualcode`, a project with all of it imported, the shipped
  codebooks loaded and D codings per 1,000 characters of text.

The same seed gives byte-identical files. The text is Norwegian-looking filler assembled from
short hand-written fragments; it is not meant to be read, only to have the shape of real material
(word lengths, turns, comment lengths, tool shares that move over time).

`code_project(project, density)` codes any project with its own codes. By default it goes through
`Project.code_many` (every check a manual coding gets); `fast=True` writes the same rows in one
bulk insert inside one `project.change` (still one undoable event), for millions of codings.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The FE form file's layout is defined once, by the script that writes the sample forms.
from corpora.hpmt_demo.make_forms import TOOLS
from corpora.hpmt_demo.make_forms import header as form_columns

# -- scale --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How big a corpus is: forms, transcripts and words per transcript."""

    forms: int
    transcripts: int
    words: int


#: The bundled sample study's size: 1,672 forms, 13 texts (11 interviews and 2 observation
#: notes) of about 1,300 words.
DEMO = Scale(forms=1672, transcripts=13, words=1300)


def demo_scale(tier: int) -> Scale:
    """`tier` times the sample study (more forms and more transcripts, same transcript length)."""
    return Scale(DEMO.forms * tier, DEMO.transcripts * tier, DEMO.words)


# -- FE forms -----------------------------------------------------------------------------------

TREATMENT_OFFICES = [2, 4, 5, 9, 10, 13, 16, 17, 18]
COMPARISON_OFFICES = [1, 3, 6, 7, 8, 11, 12, 14, 15]
OFFICE_WEIGHTS = [22, 9, 11, 4, 12, 13, 11, 7, 11]
FIRST_DAY, LAST_DAY = dt.date(2011, 9, 15), dt.date(2013, 4, 30)
UTU_FROM = dt.date(2012, 2, 1)  # UTU was added to the form in February 2012
STABLE_SHARE = {"apne_sporsmal": 0.91, "oppsummering": 0.87, "aktiv_lytting": 0.84,
                "speilinger": 0.62}
RISING_SHARE = {"smarte_mal": (0.18, 0.50), "helhetsmodellen": (0.14, 0.42),
                "plan_smarte_mal": (0.12, 0.42), "iima": (0.10, 0.38), "utu": (0.30, 0.72)}
RARE_SHARE = 0.03
PRINCIPLE_SHARE = [0.93, 0.86, 0.55, 0.60, 0.75, 0.70, 0.14, 0.72, 0.17, 0.15]
COMMENT1_SHARE, COMMENT2_SHARE = 0.70, 0.15


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _decimal(value: float) -> str:
    """A number the way Norwegian Excel writes it: 7 or 7,5."""
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


def _tool_share(tool: str, progress: float) -> float:
    if tool in STABLE_SHARE:
        return STABLE_SHARE[tool]
    if tool in RISING_SHARE:
        low, high = RISING_SHARE[tool]
        return low + (high - low) * progress
    return RARE_SHARE


def form_rows(n: int, *, seed: int = 0) -> Iterable[list[str]]:
    """N forms as rows of text cells (see `form_columns`), in date order."""
    rng = random.Random(f"forms-{seed}")
    days = _weekdays(FIRST_DAY, LAST_DAY)
    width = max(5, len(str(n)))
    for i in range(n):
        day = days[i * len(days) // n]
        progress = (day - FIRST_DAY).days / (LAST_DAY - FIRST_DAY).days
        v2 = day >= UTU_FROM
        office = rng.choices(TREATMENT_OFFICES, OFFICE_WEIGHTS)[0]
        goal = min(10.0, max(0.0, round(rng.gauss(7.6, 1.5) * 2) / 2))
        row = [f"FE-{i + 1:0{width}d}", day.strftime("%d.%m.%Y"), "2012-02" if v2 else "2011-09",
               str(office), str(min(10, max(0, round(rng.gauss(7.5, 1.4))))), _decimal(goal)]
        for tool in TOOLS:
            if tool == "utu" and not v2:
                row += ["", "", ""]
                continue
            planned = rng.random() < _tool_share(tool, progress)
            used = rng.random() < (0.93 if planned else 0.02)
            mastery = str(min(10, max(1, round(rng.gauss(6.8, 1.6))))) if used else ""
            row += ["x" if planned else "", "1" if used else "0", mastery]
        for share in PRINCIPLE_SHARE:
            relevant = rng.random() < share
            row += ["x" if relevant else "",
                    str(min(10, max(1, round(rng.gauss(7.0, 1.5))))) if relevant else ""]
        row.append(_comment(rng, COMMENT1_PARTS, 1, 3) if rng.random() < COMMENT1_SHARE else "")
        row.append(_comment(rng, COMMENT2_PARTS, 1, 2) if rng.random() < COMMENT2_SHARE else "")
        yield row


def write_forms(path: str | Path, n: int, *, seed: int = 0) -> Path:
    """Write N synthetic FE forms to `path` as a Norwegian Excel CSV. Returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(form_columns())
        writer.writerows(form_rows(n, seed=seed))
    return path


# -- text fragments (written for qualcode; Norwegian, deliberately plain) -----------------------

THEMES = [
    "veiledningen", "samlingene", "FE-skjemaet", "åpne spørsmål", "oppsummeringene",
    "helhetsmodellen", "smarte mål", "UTU", "IIMA", "skaleringen", "endringsspiralen",
    "samarbeidet med lederen", "tiden til deltakerne", "kartleggingen", "planarbeidet",
    "oppfølgingen av deltakerne", "nettverksarbeidet", "praksisplassene", "dokumentasjonen",
    "arbeidsevnevurderingen", "speilingene", "den første samlingen", "boostersamlingen",
    "metoden", "prinsippene", "rollen som HPMT-veileder",
]
QUESTIONS = [
    "Hvordan opplever du {t} nå?", "Kan du fortelle litt mer om {t}?",
    "Hva har {t} betydd for arbeidet ditt?", "Hvordan har det gått med {t} siden sist?",
    "Hva gjør dere når {t} ikke fungerer?", "Er det noe med {t} som har vært vanskelig?",
    "Hvordan snakker dere om {t} på kontoret?", "Kan du gi et eksempel?",
    "Hva tenker du om det?", "Og hvordan var det i starten?", "Hva skulle du ønske var annerledes?",
]
BACKCHANNELS = ["", "", "", "Mm. ", "Ja. ", "Akkurat. ", "Skjønner. "]
OPENERS = ["", "", "", "", "Altså, ", "Ja, ", "Nei, ", "Jo, ", "Men ", "Og ", "Jeg tror at ",
           "Det er jo sånn at ", "Jeg opplever at ", "Vi merker at ", "Jeg synes at "]
SUBJECTS = ["jeg", "vi", "kollegaene mine", "deltakerne", "lederen", "HPMT-veilederen",
            "mange på kontoret", "de fleste", "noen av oss", "hun", "han", "FM-veilederen"]
VERBS = ["bruker", "prøver ut", "snakker mye om", "jobber med", "tenker ofte på", "lærer",
         "forklarer", "planlegger", "følger opp", "diskuterer", "savner", "strever med",
         "ser verdien av", "har fått mer tro på", "glemmer av og til", "øver på"]
ADVERBIALS = ["i hverdagen", "hver uke", "etter hvert", "sammen med deltakeren", "på kontoret",
              "i samtalene", "når det passer", "uten at det tar for mye tid",
              "i tillegg til en full jobb", "før møtene", "i veiledningsgruppa", "mer enn før",
              "nesten hver dag", "når vi får tid", "", ""]
TAILS = ["", "", "", ", men det tar tid", ", og det merkes", ", selv om det er krevende",
         ", fordi det gir noe tilbake", ", men ikke alltid", " [ler]", ", og det har hjulpet",
         ", i hvert fall litt", " (uhørbart)"]

COMMENT1_PARTS = [
    ("Det hjalp at vi {}.", ["startet med å oppsummere forrige møte", "brukte åpne spørsmål om "
                             "hverdagen", "tok oss god tid", "hadde en tydelig agenda",
                             "snakket om praksisplassen", "brukte skalering på motivasjonen",
                             "trakk inn helhetsmodellen", "avklarte rollene tidlig"]),
    ("Vi fikk {}.", ["konkretisert målet om arbeid", "laget en plan med smarte mål",
                     "avtalt neste steg med praksisverten", "ryddet litt i økonomien",
                     "avklart hvem som gjør hva", "snakket om det som er vanskelig hjemme"]),
    ("Deltaker var {} i dag.", ["godt forberedt", "sliten og lite motivert", "mer åpen enn sist",
                                "stresset over økonomien", "positiv til praksisplassen",
                                "usikker på planen"]),
    ("Til neste møte: {}.", ["følge opp avtalen med legen", "be ham ta med timelisten",
                             "bruke mer tid på målene", "ha med tolk",
                             "sende innkalling i god tid", "involvere nettverket; spør [navn]"]),
]
COMMENT2_PARTS = [
    ("Hvordan {}?", ["går jeg videre når deltaker ikke vil sette mål",
                     "håndterer jeg ambivalens uten å presse",
                     "får jeg med samarbeidspartnerne", "avslutter jeg når tiden renner ut"]),
    ("Ønsker veiledning på {}.", ["UTU i vanskelige samtaler", "ambivalens", "skalering",
                                  "IIMA med mange aktører", "å sette \"smarte\" mål sammen"]),
    ("Tema til samling: {}.", ["motivasjon", "tidspress", "samtaler med tolk", "rus og arbeid"]),
]


def _comment(rng: random.Random, parts, low: int, high: int) -> str:
    chosen = rng.sample(parts, rng.randint(low, min(high, len(parts))))
    return " ".join(template.format(rng.choice(fills)) for template, fills in chosen)


def _sentence(rng: random.Random) -> str:
    clause = " ".join(w for w in (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(THEMES),
                                  rng.choice(ADVERBIALS)) if w)
    text = rng.choice(OPENERS) + clause + rng.choice(TAILS) + rng.choice("........!")
    return text[0].upper() + text[1:]


def _turn_words(rng: random.Random, interviewer: bool) -> list[str]:
    if interviewer:
        text = rng.choice(BACKCHANNELS) + rng.choice(QUESTIONS).format(t=rng.choice(THEMES))
    else:
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 7)))
    return text.split()


def transcript_text(words: int, *, seed: int | str = 0) -> str:
    """A transcript of exactly `words` whitespace-separated words in alternating I:/IP: turns."""
    if words < 2:
        raise ValueError("a transcript needs at least 2 words (a speaker label and one word)")
    rng = random.Random(f"transcript-{seed}")
    turns: list[list[str]] = []
    count = 0
    while count < words:
        interviewer = len(turns) % 2 == 0
        if words - count < 2:  # no room for a label and a word: end the last turn instead
            turns[-1].append("altså.")
            break
        body = _turn_words(rng, interviewer)[: words - count - 1]
        turns.append(["I:" if interviewer else "IP:", *body])
        count += len(body) + 1
    last = turns[-1]
    last[-1] = last[-1].rstrip(",.?!") + "."
    return "\n\n".join(" ".join(t) for t in turns) + "\n"


ROLES = ["KVP-veileder", "KVP-veileder", "KVP-veileder", "HPMT-veileder", "leder",
         "KVP-deltaker"]
ATTRIBUTE_COLUMNS = ["file", "case", "parent_case", "role", "office", "arm", "time",
                     "data_type", "event"]


def write_transcripts(directory: str | Path, m: int, words: int, *,
                      seed: int = 0) -> list[Path]:
    """Write M transcripts of `words` words to DIR/transcripts/ and DIR/attributes.csv.

    Returns the transcript paths. Every second informant is interviewed again at T2 (the same
    case at both time points, as in the sample study).
    """
    directory = Path(directory)
    (directory / "transcripts").mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"attributes-{seed}")
    offices = TREATMENT_OFFICES + COMPARISON_OFFICES
    width = max(4, len(str(m)))
    paths, rows = [], []
    for i in range(m):
        person, time = divmod(i, 2)
        office = offices[person % len(offices)]
        role = ROLES[rng.randrange(len(ROLES))] if time == 0 else rows[-1][3]
        slug = role.lower()
        name = f"transcripts/syn{i + 1:0{width}d}_kontor{office:02d}_{slug}_T{time + 1}.txt"
        path = directory / name
        path.write_text(transcript_text(words, seed=f"{seed}-{i}"), encoding="utf-8",
                        newline="\n")
        paths.append(path)
        arm = "tiltak" if office in TREATMENT_OFFICES else "sammenligning"
        rows.append([name, f"kontor{office:02d}-syn-{person + 1}", f"kontor{office:02d}", role,
                     str(office), arm, f"T{time + 1}", "intervju", ""])
    with (directory / "attributes.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(ATTRIBUTE_COLUMNS)
        writer.writerows(rows)
    return paths


# -- coding at a density ------------------------------------------------------------------------

SPAN_CHARS = (40, 400)  # a coded passage: from a phrase to a few sentences


def plan_codings(project, density: float, *, seed: int = 0, coder: str | None = None,
                 sources: Sequence | None = None) -> list[tuple[int, int, int, int]]:
    """(source id, start, end, code id) for `density` codings per 1,000 characters of text.

    Spans start at a word and end at a word's end; codes are the project's codable codes. The
    plan keeps every rule a coder meets: no span coded twice with one code, and at most one code
    of an exclusive group (e.g. one Dreyfus stage) on overlapping passages of one coder, counting
    the coder's existing codings. Deterministic for a given project, density and seed.
    """
    conn = project.conn
    code_ids = [r[0] for r in conn.execute("SELECT id FROM codes WHERE codable ORDER BY id")]
    if not code_ids:
        raise ValueError("the project has no codable codes: load a codebook first")
    group_of: dict[int, list[int]] = {}
    for group_id, code_id in conn.execute(
            "SELECT m.group_id, m.code_id FROM code_group_members m "
            "JOIN code_groups g ON g.id = m.group_id AND g.exclusive"):
        group_of.setdefault(code_id, []).append(group_id)
    free_codes = [c for c in code_ids if c not in group_of] or code_ids
    coder_row = conn.execute("SELECT id FROM coders WHERE name = ?",
                             [coder or project.coder_name]).fetchone()
    taken: dict[tuple[int, int], list[tuple[int, int, int]]] = {}  # (source, group) -> spans
    existing: set[tuple[int, int, int, int]] = set()
    if coder_row:
        for sid, start, end, cid in conn.execute(
                'SELECT source_id, start, "end", code_id FROM codings WHERE coder_id = ?',
                [coder_row[0]]):
            existing.add((sid, start, end, cid))
            for g in group_of.get(cid, ()):
                taken.setdefault((sid, g), []).append((start, end, cid))
    if sources is None:
        rows = conn.execute("SELECT id, text FROM sources ORDER BY id")
    else:
        ids = [project.source(s).id for s in sources]
        rows = ((i, project.source(i).text) for i in ids)
    rng = random.Random(f"codings-{seed}")
    plan: list[tuple[int, int, int, int]] = []
    owed = 0.0
    for sid, text in rows:
        owed += len(text) * density / 1000
        k, owed = int(owed), owed - int(owed)
        for _ in range(k):
            span = _span(rng, text)
            if span is None:
                continue
            start, end = span
            code = rng.choice(code_ids)
            if code in group_of and _clashes(taken, sid, start, end, code, group_of[code]):
                code = rng.choice(free_codes)
                if code in group_of:
                    continue
            if (sid, start, end, code) in existing:
                continue
            existing.add((sid, start, end, code))
            for g in group_of.get(code, ()):
                taken.setdefault((sid, g), []).append((start, end, code))
            plan.append((sid, start, end, code))
    return plan


def _span(rng: random.Random, text: str) -> tuple[int, int] | None:
    n = len(text)
    if not text.strip():
        return None
    start = rng.randrange(n)
    while start > 0 and not text[start - 1].isspace():  # back to the start of the word
        start -= 1
    while start < n and text[start].isspace():
        start += 1
    if start >= n:
        return None
    end = min(n, start + rng.randint(*SPAN_CHARS))
    while end < n and not text[end].isspace():  # finish the word the span ends in
        end += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _clashes(taken, sid: int, start: int, end: int, code: int, groups: list[int]) -> bool:
    for g in groups:
        for s, e, other in taken.get((sid, g), ()):
            if other != code and s < end and e > start:
                return True
    return False


def code_project(project, density: float, *, seed: int = 0, coder: str | None = None,
                 fast: bool = False, origin: str = "manual") -> int:
    """Code `project` at `density` codings per 1,000 characters. Returns how many were added.

    `fast=False` applies the plan with `Project.code_many` (every check of a manual coding).
    `fast=True` writes the same rows with one bulk insert in one `project.change` (one undoable
    event, no per-row look-ups): the plan already keeps the rules code_many checks.
    """
    plan = plan_codings(project, density, seed=seed, coder=coder)
    if not fast:
        return len(project.code_many(plan, coder=coder, origin=origin))
    from qualcode.core.util import new_guid
    from qualcode.store import now

    coder_id = project.coder(coder).id
    stamp = now()
    with project.change("code many", f"{len(plan)} generated codings") as rec:
        first = project.conn.execute("SELECT ifnull(max(id), 0) + 1 FROM codings").fetchone()[0]
        rec.insert_many("codings", [
            {"id": first + i, "guid": new_guid(), "source_id": sid, "start": start, "end": end,
             "code_id": code, "coder_id": coder_id, "memo": None, "origin": origin,
             "created_at": stamp}
            for i, (sid, start, end, code) in enumerate(plan)])
    return len(plan)


# -- whole corpora and projects -----------------------------------------------------------------

def write_corpus(out: str | Path, scale: Scale, *, seed: int = 0) -> Path:
    """Write forms, transcripts and attributes for `scale` into `out`. Returns `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if scale.forms:
        write_forms(out / "fe_forms.csv", scale.forms, seed=seed)
    if scale.transcripts:
        write_transcripts(out, scale.transcripts, scale.words, seed=seed)
    return out


#: The codebooks a synthetic project is coded with (those of the sample study).
CODEBOOKS = ("hpmt_fidelity", "barrierer_foringer", "dreyfus")


def build_project(corpus: str | Path, path: str | Path, *, density: float = 0.0, seed: int = 0,
                  codebooks: Sequence[str] = CODEBOOKS, coder: str = "generator",
                  fast: bool = False, overwrite: bool = False) -> Path:
    """A project at `path` from a corpus folder written by `write_corpus`: transcripts with
    their attribute sheet and forms with the shipped mapping imported as a researcher would
    (`qualcode import`), the shipped `codebooks` loaded, and `density` codings per 1,000
    characters applied by `coder` (see `code_project`). Returns `path`."""
    from qualcode.core import Project
    from qualcode.ingest.codebook_yaml import read_codebook
    from qualcode.ingest.forms import import_forms
    from qualcode.ingest.shipped import shipped_codebook
    from qualcode.ingest.transcripts import import_transcripts

    corpus, path = Path(corpus), Path(path)
    if overwrite:
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
    with Project.create(path, f"synthetic {corpus.name}", coder=coder) as project:
        if (corpus / "transcripts").is_dir():
            import_transcripts(project, [corpus / "transcripts"],
                               attributes=corpus / "attributes.csv")
        if (corpus / "fe_forms.csv").exists():
            import_forms(project, corpus / "fe_forms.csv")
        for name in codebooks:
            project.load_codebook(read_codebook(shipped_codebook(name)))
        if density:
            code_project(project, density, seed=seed, coder=coder, fast=fast)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpora.generate",
        description="Write a deterministic synthetic corpus (and optionally a coded project).")
    parser.add_argument("--forms", type=int, default=0, metavar="N", help="FE forms to write")
    parser.add_argument("--transcripts", type=int, default=0, metavar="M",
                        help="transcripts to write")
    parser.add_argument("--words", type=int, default=DEMO.words, metavar="K",
                        help=f"words per transcript (default {DEMO.words})")
    parser.add_argument("--tier", type=int, metavar="T",
                        help="T times the sample study's size (sets --forms and --transcripts)")
    parser.add_argument("--density", type=float, default=0.0, metavar="D",
                        help="build DIR/synthetic.qualcode coded at D codings per 1,000 chars")
    parser.add_argument("--fast", action="store_true",
                        help="apply the codings with one bulk insert (for millions of codings)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, type=Path, metavar="DIR")
    args = parser.parse_args(argv)
    scale = demo_scale(args.tier) if args.tier else Scale(args.forms, args.transcripts, args.words)
    write_corpus(args.out, scale, seed=args.seed)
    print(f"wrote {scale.forms} forms and {scale.transcripts} transcripts of {scale.words} "
          f"words to {args.out}")
    if args.density:
        target = build_project(args.out, args.out / "synthetic.qualcode", density=args.density,
                               seed=args.seed, fast=args.fast, overwrite=True)
        print(f"built {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
