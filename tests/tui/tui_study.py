"""A small Norwegian study for the terminal UI tests (built by `build_study`): two interviews, a form comment, a codebook
with definitions and an exclusive group, and a few codings by two coders (one overlap, one memo).
"""

from __future__ import annotations

import re

import qualcode as qc

KONTOR02 = """I: Hvordan var den første samlingen?

IP: Altså, det ble for mange verktøy på én gang. Vi fikk ikke tid til å øve. Kl. 10 begynte vi, og vi holdt på til fire.

I: Og veiledningen etterpå?

IP: Lederen vår støttet oss, så det gikk bedre etter hvert. Hun satte av tid hver uke.
Vi hadde faste møter på tirsdager.

I: Hva med skjemaene?

IP: Skjemaene tok mye tid. Men de hjalp oss å huske hva vi hadde lovet.
"""

KONTOR05 = """I: Hva tenker du om HPMT nå?

IP: Jeg bruker oppsummeringer hele tiden. Det er blitt en vane.

I: Og lederen din?

IP: Hun har ikke vært så opptatt av det, for å være ærlig.
"""

FORM_COMMENT = "Det hjalp at vi startet med å oppsummere hva vi ble enige om sist."
LABEL = re.compile(r"^(I|IP): ", re.MULTILINE)


def turns_of(text: str) -> list[tuple[str, int, int]]:
    """(speaker, start, end) per paragraph that starts with a label; the label is left out."""
    found = []
    for match in LABEL.finditer(text):
        end = text.find("\n\n", match.end())
        end = len(text.rstrip("\n")) if end == -1 else end
        found.append((match.group(1), match.end(), end))
    return found


def span_of(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_study(path) -> None:
    with qc.create_project(path, "hpmt-test", coder="ane") as p:
        office = p.add_case("kontor02", "office")
        p.set_attribute("arm", "tiltak", case=office)
        person = p.add_case("kontor02-A", "person", parent=office)
        p.set_attribute("role", "HPMT-veileder", case=person)
        src = p.add_source("kontor02_T2", KONTOR02, case=person, turns=turns_of(KONTOR02))
        p.set_attribute("time", "T2", source=src)
        other = p.add_case("kontor05-A", "person")
        p.set_attribute("role", "KVP-veileder", case=other)
        src5 = p.add_source("kontor05_T1", KONTOR05, case=other, turns=turns_of(KONTOR05))
        p.set_attribute("time", "T1", source=src5)
        p.add_forms([{"key": "FE-00001", "date": "2011-09-15", "office": "2",
                      "texts": {"kommentar": FORM_COMMENT}}])

        barriers = p.add_code("Barrierer", codable=False, en="barriers",
                              description="Det som hindrer implementeringen.")
        p.add_code("tid", barriers, en="time", color="#d62728",
                   description="Tid til å forberede og gjennomføre HPMT-arbeidet.",
                   include="Utsagn om tidspress og om å ikke rekke noe.",
                   exclude="Tidspunkt for samlingene (bruk «opplæring»).",
                   example="Vi fikk ikke tid til å øve.")
        training = p.add_code("opplæring", barriers, en="training", color="#1f77b4")
        p.add_code("for mye for fort", training, en="too many tools too fast")
        enablers = p.add_code("Føringer", codable=False, en="enablers")
        p.add_code("ledelse", enablers, en="leadership", color="#2ca02c")
        valence = p.add_code("valens", codable=False, en="valence")
        p.add_code("fremmer", valence, en="enabler")
        p.add_code("hemmer", valence, en="barrier")
        p.add_group("valens", ["valens/fremmer", "valens/hemmer"], exclusive=True)

        p.code_span(src, *span_of(KONTOR02, "Vi fikk ikke tid til å øve."), "Barrierer/tid")
        p.code_span(src, *span_of(KONTOR02, "det ble for mange verktøy på én gang. Vi fikk ikke"),
                    "Barrierer/opplæring/for mye for fort", coder="ole")
        lead = p.code_span(src, *span_of(KONTOR02, "Lederen vår støttet oss"),
                           "Føringer/ledelse")
        p.set_coding_memo(lead, "Lederen gir tid: se også turen om skjema.")
        p.code_span(src5, *span_of(KONTOR05, "Hun har ikke vært så opptatt av det"),
                    "Føringer/ledelse")


def shown(static) -> str:
    """The plain text a Static widget shows (its Rich content printed without colour)."""
    from rich.console import Console

    console = Console(width=200, no_color=True, highlight=False)
    with console.capture() as captured:
        console.print(static.content)
    return captured.get()


async def burst(pilot, keys, *, pauses: int = 5) -> None:
    """Type `keys` (key names, or the characters of a text) as a terminal delivers them to a
    busy app or a held key's repeats: all queued at once, no pause between them; then wait
    until the app has handled every one."""
    from textual import events

    app = pilot.app
    for key in keys:
        name = "space" if key == " " else key
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(pauses):
        await pilot.pause()
