"""A quote never loses its source: when the source has none of the attribution's fields, the
source's name stands in, the title page says so and the command line warns."""

from __future__ import annotations

from docx import Document
from testkit import run_qualcode

from qualcode.export.report_docx import excerpts_docx

FNR = "15039010043"


def _paragraphs(path):
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def _study(p):
    """Two interviews: one with role and time, one with neither (the attribute sheet missed
    it), and a code on each."""
    with_fields = p.add_source("kontor02_leder_T2", "IP: Lederen støttet oss hele veien.\n")
    p.set_attributes({"role": "leder", "time": "T2", "office": 2}, source=with_fields)
    bare = p.add_source(f"intervju_{FNR}", "IP: Vi hadde for lite tid til å øve.\n")
    p.set_attribute("office", 5, source=bare)
    code = p.add_code("tid")
    for source, phrase in ((with_fields, "Lederen støttet oss"), (bare, "for lite tid")):
        start = source.text.index(phrase)
        p.code_span(source, start, start + len(phrase), code)
    return p


def test_quotes_without_attribution_fields_carry_the_source_name(project, tmp_path):
    p = _study(project)
    out = tmp_path / "rapport.docx"
    result = excerpts_docx(p, out)
    assert (result.by_source_name, result.unattributed) == (1, 0)
    text = _paragraphs(out)
    assert "«Lederen støttet oss» (leder, T2)" in text
    assert "«for lite tid» (intervju_[fødselsnummer])" in text  # masked like any attribution
    assert "Quotes attributed by: role, time; by the source's name where the source has none " \
           "of these (1 quote)" in text


def test_anonymous_report_leaves_source_names_out_and_says_so(project, tmp_path):
    p = _study(project)
    out = tmp_path / "anonym.docx"
    result = excerpts_docx(p, out, group_by="office", anonymous=True)
    assert (result.by_source_name, result.unattributed) == (0, 1)
    text = _paragraphs(out)
    assert "«for lite tid»" in text and not any("intervju" in t for t in text)
    assert "Quotes attributed by: role, time; no attribution where the source has none of " \
           "these (1 quote: anonymous, so no source names)" in text


def test_the_command_line_warns_in_one_line_with_the_count(project, tmp_path):
    p = _study(project)
    p.close()
    result = run_qualcode("export", "docx", "-o", tmp_path / "r.docx", "-p", p.path,
                          cwd=tmp_path)
    assert result.stderr == "warning: 1 quote attributed by source name: their sources have " \
                            "none of role, time\n"
    assert result.stdout.startswith("wrote ")


def test_a_misspelt_attribution_field_is_warned_about(project, tmp_path):
    p = _study(project)
    p.close()
    result = run_qualcode("export", "docx", "-o", tmp_path / "r.docx", "-p", p.path,
                          "--attribution", "{rolle}, {time}", cwd=tmp_path)
    assert result.stderr.splitlines()[0] == "warning: no quoted source has the attribution " \
                                            "field rolle (--attribution '{rolle}, {time}')"
