"""The shipped HPMT codebook's patterns find each of the 18 FE-form tools in the spellings and
inflections counsellors write in FE comments, and only there."""

from __future__ import annotations

import pytest

from qualcode.ingest.codebook_yaml import read_codebook
from qualcode.ingest.shipped import shipped_codebook

COMMENTS = {  # tool -> a comment that mentions it (written for this test)
    "oppsummering": "Vi oppsummerte til slutt, og hun rettet meg på ett punkt.",
    "åpne spørsmål": "Stilte mange åpne\nspørsmål om hverdagen hans.",
    "aktiv lytting": "Lyttet mye og lot ham snakke ferdig.",
    "speilinger": "Speilingene fikk henne til å utdype.",
    "UTU": "Brukte UTU-modellen da jeg ga informasjon om tiltaket.",
    "smarte mål": "Vi formulerte tre «smarte» mål for våren.",
    "helhetsmodellen": "Gikk gjennom helhetsmodellen sammen.",
    "plan med smarte mål": "Laget en plan med smarte mål og datoer.",
    "IIMA": "Brukte IIMA overfor praksisplassen.",
    "skalering": "Spurte på en skala fra 1 til 10 hvor motivert han var.",
    "endringsspiralen": "Endringsspiralen hjalp oss å se hvor hun står.",
    "ambivalensvekt": "Tegnet ambivalensvekta sammen med ham.",
    "livshjulet": "Livshjulet viste at helse var viktigst for henne.",
    "FAK svak": "Prøvde FAK-svak for første gang.",
    "FAK sterk": "FAK sterk passet ikke i dag.",
    "nettverkskart": "Vi laget nettverkskartet hans på tavla.",
    "systemkart": "Systemkartene ble for store.",
    "AI-5D": "Vi brukte AI/5D for å finne det som fungerer.",
}
UNRELATED = "Møtet ble avlyst fordi han var syk. Ny time neste uke."


@pytest.fixture(scope="module")
def hpmt(tmp_path_factory):
    import qualcode as qc

    path = tmp_path_factory.mktemp("hpmt") / "hpmt.qualcode"
    p = qc.create_project(path, coder="ane")
    p.load_codebook(read_codebook(shipped_codebook("hpmt_fidelity")))
    for n, comment in enumerate([*COMMENTS.values(), UNRELATED], 1):
        p.add_source(f"FE-{n:04d} kommentar1", comment, kind="form_field", field="kommentar1")
    tools = [c.path for c in p.codes() if c.path.startswith("HPMT/verktøy/")]
    p.autocode(tools, unit="field")
    yield p
    p.close()


def test_every_tool_has_patterns(hpmt):
    tools = [c for c in hpmt.codes() if c.path.startswith("HPMT/verktøy/")]
    assert len(tools) == 18 and all(c.patterns for c in tools)


@pytest.mark.parametrize("tool", list(COMMENTS))
def test_each_tool_is_suggested_for_its_comment(hpmt, tool):
    source = f"FE-{list(COMMENTS).index(tool) + 1:04d} kommentar1"
    found = {s.code.split("/")[-1] for s in hpmt.suggestions(sources=[source])}
    assert tool in found
    assert found <= {tool, "smarte mål"}  # "plan med smarte mål" holds "smarte mål"


def test_a_comment_without_tools_gets_no_suggestion(hpmt):
    assert hpmt.suggestions(sources=["FE-0019 kommentar1"]) == []
