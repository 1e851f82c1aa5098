"""Excerpts are cut from each source's text read once (analysis/excerpts.py), and the codings
DataFrame built from columns is the frame the row-by-row SQL gave: same rows, order, values and
dtypes, with and without memos, filters and codings."""

from __future__ import annotations

import pandas as pd
import pytest

import qualcode as qc
from qualcode.analysis.excerpts import excerpts
from qualcode.analysis.frames import code_paths, descendant_ids, source_attributes

# The codings query as it was before excerpts were cut in Python: the reference.
REFERENCE_SQL = """
SELECT k.id AS coding_id, k.guid, k.source_id, s.name AS source, s.kind AS source_kind,
       k.start, k."end", substr(s.text, k.start + 1, k."end" - k.start) AS text,
       k.code_id, c.name AS code, cr.name AS coder, k.memo, k.origin, k.created_at
FROM codings k
JOIN sources s ON s.id = k.source_id
JOIN codes c ON c.id = k.code_id
JOIN coders cr ON cr.id = k.coder_id
"""


def reference_frame(db, *, codes=None, descendants=False, sources=None, coders=None,
                    attributes=None, with_attributes=True) -> pd.DataFrame:
    where, params = [], []
    if codes is not None:
        ids = descendant_ids(db, codes) if descendants else list(codes)
        where.append(f"k.code_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
        params += ids
    if sources is not None:
        where.append(f"k.source_id IN ({', '.join('?' * len(sources)) or 'NULL'})")
        params += list(sources)
    if coders is not None:
        where.append(f"cr.name IN ({', '.join('?' * len(coders)) or 'NULL'})")
        params += list(coders)
    sql = REFERENCE_SQL + (" WHERE " + " AND ".join(where) if where else "")
    frame = pd.read_sql_query(sql, db.conn, params=params)
    paths = code_paths(db)
    frame.insert(10, "code_path", frame["code_id"].map(paths["path"]).astype("object"))
    frame["_sort"] = frame["code_id"].map(paths["sort_key"])
    frame = frame.sort_values(["_sort", "source", "start", "end", "coder"], kind="stable")
    frame = frame.drop(columns="_sort").reset_index(drop=True)
    if with_attributes or attributes:
        attrs = source_attributes(db)
        attrs = attrs.drop(columns=[c for c in attrs.columns if c in frame.columns])
        frame = frame.join(attrs, on="source_id")
        for name, wanted in (attributes or {}).items():
            values = wanted if isinstance(wanted, list | tuple | set) else [wanted]
            frame = frame[frame[name].astype(str).isin([str(v) for v in values])]
        frame = frame.reset_index(drop=True)
    return frame


@pytest.fixture
def coded(small):
    p = small
    text = p.source("kontor02_T2").text
    other = p.add_source("notat", "Observasjon: æøå 😅 og mer tekst her.\nSlutt.", "fieldnote")

    def span(phrase, source_text=text):
        start = source_text.index(phrase)
        return start, start + len(phrase)

    p.code_span("kontor02_T2", *span("for mange verktøy"), "Barrierer/opplæring")
    p.code_span("kontor02_T2", *span("for mange verktøy"), "Barrierer/opplæring", coder="bo")
    p.code_span("kontor02_T2", *span("Vi fikk ikke tid."), "Barrierer/tid")
    p.code_span("kontor02_T2", *span("Lederen vår støttet oss"), "Føringer/ledelse", coder="bo")
    p.code_span(other, *span("æøå 😅", other.text), "Barrierer/tid")
    p.code_span(other, 0, len(other.text), "Føringer/ledelse")
    p.coder("ingen")  # a coder without codings (an unknown coder is an error, not empty)
    return p


FILTERS = [
    {},
    {"coders": ["bo"]},
    {"coders": ["ingen"]},
    {"codes": "Barrierer", "descendants": True},
    {"codes": "Barrierer/tid"},
    {"sources": ["notat"]},
    {"attributes": {"role": "HPMT-veileder"}},
    {"with_attributes": False},
]


def _ids(project, filters):
    filters = dict(filters)
    if "codes" in filters:
        filters["codes"] = project.code_ids([filters["codes"]])
    if "sources" in filters:
        filters["sources"] = [project.source(s).id for s in filters["sources"]]
    return filters


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_the_frame_is_the_row_by_row_frame(coded, filters):
    given = _ids(coded, filters)
    pd.testing.assert_frame_equal(coded.codings(**filters), reference_frame(coded.db, **given))


def test_with_memos_and_without_any(coded):
    pd.testing.assert_frame_equal(coded.codings(), reference_frame(coded.db))
    coded.set_coding_memo(coded.codings_of("notat")[0], "Et notat, med komma; og «sitat».")
    pd.testing.assert_frame_equal(coded.codings(), reference_frame(coded.db))


def test_a_project_without_codings(small):
    pd.testing.assert_frame_equal(small.codings(), reference_frame(small.db))


def test_excerpts_keep_the_order_given_and_read_each_text_once(coded):
    notat, intervju = coded.source("notat"), coded.source("kontor02_T2")
    texts = []
    coded.conn.set_trace_callback(texts.append)
    cut = excerpts(coded.db, [notat.id, intervju.id, notat.id], [13, 0, 0], [18, 2, 12])
    coded.conn.set_trace_callback(None)
    assert cut == ["æøå 😅"[:5], "I:", "Observasjon:"]
    assert len([sql for sql in texts if "FROM sources" in sql]) == 1


def test_a_merge_quotes_set_aside_codings_from_the_copys_text(small, tmp_path):
    """Merging cuts the excerpts of set-aside codings the same way, from the copy's text."""
    import shutil

    path = small.path
    small.close()
    shutil.copy(path, tmp_path / "ola.qualcode")
    with qc.open_project(tmp_path / "ola.qualcode", coder="ola") as ola:
        text = ola.source("kontor02_T2").text
        ola.code_span("kontor02_T2", 40, 80, "Barrierer/tid")
        ola.code_span("kontor02_T2", 3, 20, "Barrierer/opplæring")
    with qc.open_project(path, coder="kari") as kari:
        kari.replace_source_text("kontor02_T2", "Ny tekst. " + text)
        report = kari.merge(tmp_path / "ola.qualcode")
    assert sorted(s.excerpt for s in report.set_aside) == sorted([text[3:20], text[40:80]])
