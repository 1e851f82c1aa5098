"""The bundled sample study as a ready project: `build_demo(path)`, behind `qualcode demo`.

It imports corpora/hpmt_demo (interviews and observation notes with their attribute sheet, the
1,672 FE forms with the shipped mapping, the office measures), loads the shipped codebooks, and
applies example codings by two coders, so that every screen and report has something to show:
overlapping codings, codings on form comments, and passages where the coders disagree.

Example codings are found by phrases in the texts, not by offsets, so they survive edits of the
sample texts; a phrase that is no longer there is reported, not applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from qualcode.core import Project
from qualcode.core.util import counted
from qualcode.errors import InvalidOperation
from qualcode.ingest.codebook_yaml import read_codebook
from qualcode.ingest.forms import import_forms
from qualcode.ingest.measures import import_measures
from qualcode.ingest.shipped import bundled_path, shipped_codebook
from qualcode.ingest.transcripts import import_transcripts

DEMO_NAME = "HPMT demo"
DEMO_CODEBOOKS = ("hpmt_fidelity", "barrierer_foringer", "dreyfus")
CODERS = ("kari", "ola")
TREATMENT_OFFICES = {2, 4, 5, 9, 10, 13, 16, 17, 18}  # the HPMT trial's randomisation  # two coders, so agreement has something to compare

B, D, H = "Barrierer og føringer/", "Dreyfus/", "HPMT/"


class Example(NamedTuple):
    """One passage and how each coder coded it.

    `source` is a file stem, or a form field ("kommentar1") to search every comment of that field
    (the first `matches` comments that contain the phrase are coded). `phrase` is found in the
    text and widened to whole sentences; "first … last" spans from one phrase to the other.
    Ola codes the same sentences, or with `ola_exact` only the phrase itself (a narrower span).
    """

    source: str
    phrase: str
    kari: tuple[str, ...] = ()
    ola: tuple[str, ...] = ()
    ola_exact: bool = False
    memo: str | None = None
    matches: int = 1


EXAMPLES: list[Example] = [
    # An HPMT supervisor at T2 (office 2): supervision, leadership, forms, tools combined.
    Example("kontor02_hpmt-veileder_T2", "Vi har hatt veiledning annenhver uke, på torsdager.",
            (B + "veiledning/veiledningshyppighet", B + "valens/fremmer", B + "nivå/struktur"),
            (B + "veiledning/veiledningshyppighet", B + "valens/fremmer")),
    Example("kontor02_hpmt-veileder_T2", "Lederen har lagt det inn i kalenderen som fast",
            (B + "organisering/ledelsesforankring",),
            (B + "organisering/ledelsesforankring", B + "valens/fremmer")),
    Example("kontor02_hpmt-veileder_T2", "at ingen tok med seg saker",
            (B + "veiledning/tar ikke med saker", B + "valens/hemmer"),
            (B + "veiledning/tar ikke med saker",), ola_exact=True),
    Example("kontor02_hpmt-veileder_T2", "Det ble for mye for fort, synes jeg.",
            (B + "opplæring/for mye for fort",), (B + "opplæring/for mye for fort",)),
    Example("kontor02_hpmt-veileder_T2", "hadde vært innom fire–fem verktøy",
            (D + "kompetent utøver", B + "skjema/nytte"), (D + "kyndig utøver",),
            memo="Flere verktøy i én samtale uten å planlegge det: kompetent eller kyndig?"),
    Example("kontor02_hpmt-veileder_T2", "det var skjemavelde, rett og slett.",
            (B + "skjema/skjemavelde",), (B + "skjema/skjemavelde",)),
    Example("kontor02_hpmt-veileder_T2", "Folk tok med seg skjemaet fra en samtale",
            (B + "skjema/nytte", B + "valens/fremmer"), (B + "skjema/nytte",)),
    Example("kontor02_hpmt-veileder_T2", "noen som ikke har tro på dette",
            (B + "motivasjon/skepsis",), (B + "motivasjon/skepsis",), ola_exact=True),
    # An experienced counsellor at T2 (office 5): a beginner again, rules followed to the letter.
    Example("kontor05_kvp-veileder_T2", "følte jeg meg som en nybegynner igjen",
            (D + "regresjon",), (D + "regresjon",)),
    Example("kontor05_kvp-veileder_T2", "Jeg hadde fulgt oppskriften helt til punkt og prikke",
            (D + "nybegynner", H + "verktøy/helhetsmodellen"), (D + "nybegynner",),
            memo="Regelstyrt bruk av helhetsmodellen: verktøyet kommer foran deltakeren."),
    Example("kontor05_kvp-veileder_T2", "Det var for mye, for fort.",
            (B + "opplæring/for mye for fort",), (B + "opplæring/for mye for fort",)),
    Example("kontor05_kvp-veileder_T2", "Det var et skjemavelde i starten",
            (B + "skjema/skjemavelde",)),
    Example("kontor05_kvp-veileder_T2", "Og det kom jo i tillegg til en full jobb.",
            (B + "organisering/tid",), (B + "organisering/tid", B + "nivå/struktur")),
    Example("kontor05_kvp-veileder_T2", "Jeg bruker åpne spørsmål mye mer enn før",
            (H + "verktøy/åpne spørsmål",),
            (H + "verktøy/åpne spørsmål", B + "kompetanseutvikling/mestring")),
    # An HPMT supervisor with little support (office 9): the novice's checklist.
    Example("kontor09_hpmt-veileder_T2", "Først åpne spørsmål, så speilinger, så oppsummering.",
            (D + "nybegynner",), (D + "nybegynner",)),
    Example("kontor09_hpmt-veileder_T2", "Hun trengte at jeg ringte boligkontoret",
            (D + "nybegynner",), (D + "avansert begynner",)),
    Example("kontor09_hpmt-veileder_T2", "Men det blir et skjemavelde når du ikke har tid.",
            (B + "skjema/skjemavelde", B + "organisering/tid"), (B + "skjema/skjemavelde",)),
    Example("kontor09_hpmt-veileder_T2", "for mye idealer",
            (B + "opplæring/ideal og hverdag",), (B + "opplæring/ideal og hverdag",)),
    Example("kontor09_hpmt-veileder_T2", "men én gang er ikke nok",
            (B + "veiledning/veiledningshyppighet", B + "valens/hemmer")),
    # The group interview (office 13): an advanced beginner and a more competent colleague.
    Example("gruppe_kontor13_T2",
            "Og etter hvert begynte jeg å kjenne igjen situasjoner. … Da har jeg ikke noe plan B.",
            (D + "avansert begynner",), (D + "avansert begynner",)),
    Example("gruppe_kontor13_T2", "Jeg så at hun trengte å bli trygg først",
            (D + "kompetent utøver", H + "verktøy/UTU"),
            (D + "kompetent utøver", H + "verktøy/oppsummering")),
    Example("gruppe_kontor13_T2", "begynte vi å bruke skjemaene i veiledningen",
            (B + "skjema/nytte",), (B + "skjema/nytte",)),
    Example("gruppe_kontor13_T2", "Lederen vår har vært positiv, men ikke så veldig aktiv.",
            (B + "organisering/ledelsesforankring", B + "valens/ambivalent"),
            (B + "organisering/ledelsesforankring", B + "valens/hemmer")),
    # The county supervisor, the manager, T1 and comparison offices, the participant.
    Example("fm-veileder_T2", "Der lederen har tatt eierskap, der går det.",
            (B + "organisering/ledelsesforankring", B + "valens/fremmer"),
            (B + "organisering/ledelsesforankring", B + "valens/fremmer")),
    Example("fm-veileder_T2", "Kontorer som har hatt mye sykefravær",
            (B + "organisering/sykefravær og omorganisering",),
            (B + "organisering/sykefravær og omorganisering",)),
    Example("fm-veileder_T2", "følte seg som nybegynnere igjen", (D + "regresjon",)),
    Example("kontor02_kvp-veileder_T1", "en ting til som skal gjøres i tillegg til en full jobb",
            (B + "organisering/tid",), (B + "organisering/tid",)),
    Example("kontor02_kvp-veileder_T1", "Vi har nok skjemaer fra før",
            (B + "skjema/skjemavelde",), (B + "motivasjon/skepsis",)),
    Example("kontor02_leder_T2", "Jeg vurderte å avlyse veiledningen i den perioden",
            (B + "organisering/ledelsesforankring", B + "veiledning/veilederkompetanse")),
    Example("kontor05_kvp-veileder_T1", "Vi er midt i en omorganisering.",
            (B + "organisering/sykefravær og omorganisering",),
            (B + "organisering/sykefravær og omorganisering",)),
    Example("kontor12_kvp-veileder_T2", "Lederen vår er mest opptatt av tallene",
            (B + "organisering/konkurrerende mål",)),
    Example("kontor03_kvp-veileder_T1", "for å nå tallene",
            (B + "organisering/konkurrerende mål", B + "valens/hemmer"),
            (B + "organisering/konkurrerende mål",)),
    Example("kontor05_kvp-deltaker_T1", "han hadde bestemt alt på forhånd",
            (H + "prinsipper/anerkjenne brukers situasjon", B + "valens/hemmer")),
    # Observation notes from the gatherings.
    Example("samling3_2011", "foreslår mål i stedet for å spørre",
            (H + "verktøy/smarte mål",), (H + "verktøy/smarte mål", D + "nybegynner")),
    Example("boostersamling_sept2012", "første gang jeg ser at skjemaene blir brukt til noe",
            (B + "skjema/nytte",), (B + "skjema/nytte", B + "valens/fremmer")),
    Example("boostersamling_sept2012", "Det er ikke en oppskrift, det er en samtale.",
            (B + "opplæring/tilpasset opplæring",)),
    # FE-form comments: the coded excerpt joins its form's numbers.
    Example("kommentar1", "startet med å oppsummere hva vi ble enige om sist",
            (H + "verktøy/oppsummering",), (H + "verktøy/oppsummering",), matches=3),
    Example("kommentar1", "UTU fungerte bra", (H + "verktøy/UTU",), (H + "verktøy/UTU",),
            matches=3),
    Example("kommentar1", "Helhetsmodellen ga et godt bilde", (H + "verktøy/helhetsmodellen",),
            (H + "verktøy/helhetsmodellen",), matches=2),
    Example("kommentar1", "Skjemaet tok lang tid å fylle ut",
            (B + "skjema/skjemavelde",), (B + "skjema/skjemavelde",), matches=3),
    Example("kommentar1", "Tidsrammen på 45 min var for knapp", (B + "organisering/tid",),
            matches=2),
    Example("kommentar2", "Hvor går grensen mellom å motivere og å presse?",
            (B + "kompetanseutvikling/unngår verktøy",), (B + "motivasjon/skepsis",), matches=2),
    Example("kommentar2", "Opplever at skjemaet styrer samtalen for mye",
            (B + "skjema/skjemavelde",), (B + "skjema/skjemavelde",), matches=2),
]

PROJECT_MEMO = (
    "Eksempelprosjekt bygd fra qualcodes medfølgende HPMT-materiale (alt er oppdiktet). "
    "Kari og Ola har kodet de samme utdragene med barrierer og føringer, Dreyfus-stadier og "
    "HPMT-verktøy; de er uenige noen steder, så samsvarsmålene har noe å vise.")


@dataclass
class DemoReport:
    """What `build_demo` made."""

    path: Path
    info: dict
    codings: int = 0
    missing: list[str] = field(default_factory=list)  # examples whose phrase was not found


PROGRESS_EVERY = 10  # example passages between two progress lines


def demo_folder() -> Path:
    """corpora/hpmt_demo, from the checkout or from the installed package."""
    return bundled_path("corpora") / "hpmt_demo"


def build_demo(path: str | Path, *, overwrite: bool = False,
               progress: Callable[[str], None] | None = None) -> DemoReport:
    """Build the sample study as a new project file at `path`. Returns what it made.
    `progress` is told each step as it starts ("importing 1,672 FE forms", ...)."""
    say = progress or (lambda step: None)
    path = Path(path)
    if path.exists():
        if not overwrite:
            raise InvalidOperation(f"{path} already exists")
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
    folder = demo_folder()
    with Project.create(path, DEMO_NAME, coder=CODERS[0]) as project:
        say("importing interviews, observation notes, FE forms and office measures")
        import_material(project, folder)
        _office_arms(project)
        say(f"loading {counted(len(DEMO_CODEBOOKS), 'codebook')}")
        for name in DEMO_CODEBOOKS:
            project.load_codebook(read_codebook(shipped_codebook(name)))
        codings, missing = apply_examples(project, EXAMPLES, progress=say)
        project.add_memo(PROJECT_MEMO, title="Om eksempelprosjektet")
        return DemoReport(path, project.info(), codings, missing)


def import_material(project: Project, folder: Path) -> None:
    """Transcripts and observation notes with their attributes, FE forms, office measures."""
    import_transcripts(project, [folder / "transcripts", folder / "observations"],
                       attributes=folder / "attributes.csv")
    import_forms(project, folder / "fe_forms.csv")  # the shipped HPMT FE mapping
    import_measures(project, folder / "measures.csv", key="office", dataset="kontortall")


def _office_arms(project: Project) -> None:
    """Offices known only from the FE forms get their arm too (every form office is a
    treatment office), so form comments can be compared by arm like the interviews."""
    with project.change("set office arms", "arm of offices known from the forms"):
        for case in project.cases():
            match = re.fullmatch(r"kontor(\d\d)", case.name)
            if match and "arm" not in project.attributes(case=case, merged=False):
                arm = "tiltak" if int(match[1]) in TREATMENT_OFFICES else "sammenligning"
                project.set_attribute("arm", arm, case=case)


# -- example codings ------------------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.?!…](?=[\s»”\"')\]]|$)|\n")
TURN_LABEL = re.compile(r"(\[\d\d:\d\d:\d\d\] )?[^\s:\[][^:\n]{0,30}: ")
ANNOTATION = re.compile(r"\[[^\]\n]{1,20}\]\s+")  # [ler], [pause] before a sentence


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen text[start:end] to whole sentences (not crossing a turn or paragraph)."""
    line_start = text.rfind("\n", 0, start) + 1
    label = TURN_LABEL.match(text, line_start)
    floor = label.end() if label and label.end() <= start else line_start
    left = floor
    for m in SENTENCE_END.finditer(text, floor, start):
        left = m.end()
    while left < start and text[left].isspace():
        left += 1
    note = ANNOTATION.match(text, left)
    if note and note.end() <= start:
        left = note.end()
    m = SENTENCE_END.search(text, max(end - 1, left))
    right = len(text) if m is None else (m.start() if m.group() == "\n" else m.end())
    return left, right


def find_span(text: str, phrase: str, exact: bool = False) -> tuple[int, int] | None:
    """Where `phrase` ("first … last" for a range) is in `text`, widened to sentences unless
    `exact`. None if it is not there."""
    first, _, last = phrase.partition(" … ")
    start = text.find(first)
    if start < 0:
        return None
    end = start + len(first)
    if last:
        at = text.find(last, end)
        if at < 0:
            return None
        end = at + len(last)
    return (start, end) if exact else sentence_span(text, start, end)


def _example_sources(project: Project, example: Example, by_stem: dict) -> list:
    if example.source.startswith("kommentar"):
        return project.sources_containing(example.phrase.split(" … ")[0], kind="form_field",
                                          field=example.source, limit=example.matches)
    return [by_stem[example.source]] if example.source in by_stem else []


def apply_examples(project: Project, examples: list[Example], *,
                   progress: Callable[[str], None] | None = None) -> tuple[int, list[str]]:
    """Apply the example codings, one undoable change per coding as a coder would make them.
    Returns how many were applied and the examples whose phrase (or source) was not found."""
    applied, missing = 0, []
    by_stem = {}  # interviews and notes by file stem (and by name)
    for kind in ("transcript", "fieldnote", "document"):
        for src in project.sources(kind):
            by_stem[src.name] = by_stem[Path(src.origin or src.name).stem] = src
    for n, example in enumerate(examples):
        if progress and n % PROGRESS_EVERY == 0:
            progress(f"example codings by {' and '.join(CODERS)}: {n} of {len(examples)} "
                     "passages")
        sources = _example_sources(project, example, by_stem)
        spans = [(src, find_span(src.text, example.phrase)) for src in sources]
        spans = [(src, span) for src, span in spans if span]
        if not spans:
            missing.append(f"{example.source}: {example.phrase!r}")
            continue
        for src, span in spans:
            for coder, codes in ((CODERS[0], example.kari), (CODERS[1], example.ola)):
                start, end = span
                if coder == CODERS[1] and example.ola_exact:
                    start, end = find_span(src.text, example.phrase, exact=True)
                project.coder_name = coder  # the history gives each coder their own changes
                for n, code in enumerate(codes):
                    memo = example.memo if n == 0 and coder == CODERS[0] else None
                    project.code_span(src, start, end, code, coder, memo=memo)
                    applied += 1
    project.coder_name = CODERS[0]
    return applied, missing
