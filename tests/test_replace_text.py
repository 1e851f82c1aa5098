"""Replacing a source's text while others write: nothing of theirs lost, one-line errors."""

from __future__ import annotations

import threading

import pytest

import qualcode as qc

OLD = "".join(f"Avsnitt {n}: vi får ikke tid, sier IP {n}.\n\n" for n in range(400))
NEW = "Innledning lagt til.\n\n" + OLD.replace("Avsnitt 200:", "Avsnitt 200 (rettet):")


def shared(path):
    anne = qc.create_project(path, coder="anne")
    anne.add_source("int", OLD)
    anne.add_code("tid")
    return anne, qc.open_project(path, coder="bob")


def replace_while_holding_the_lock(anne, bob, meanwhile):
    """anne replaces the text; bob holds the write lock until anne waits for it, then does
    `meanwhile` in his transaction and commits. Returns what anne's replacement returned."""
    waiting, result = threading.Event(), {}
    anne.conn.set_trace_callback(lambda sql: sql.startswith("BEGIN IMMEDIATE") and waiting.set())

    def run():
        result["done"] = anne.replace_source_text("int", NEW)

    bob.conn.execute("BEGIN IMMEDIATE")
    worker = threading.Thread(target=run)
    worker.start()
    assert waiting.wait(60)
    meanwhile()
    bob.conn.execute("COMMIT")
    worker.join(60)
    anne.conn.set_trace_callback(None)
    return result["done"]


def test_a_coding_added_while_the_text_is_replaced_is_moved_not_lost(tmp_path):
    anne, bob = shared(tmp_path / "p.qualcode")
    early = anne.code_span("int", *span_of("Avsnitt 3:"), "tid")
    done = replace_while_holding_the_lock(
        anne, bob, lambda: bob.code_span("int", *span_of("Avsnitt 399:"), "tid"))
    assert (done.kept, done.moved, done.lost) == (0, 2, ())
    text = anne.source("int").text
    assert [text[c.start:c.end] for c in anne.codings_of("int")] == [
        "Avsnitt 3:", "Avsnitt 399:"]
    assert anne.coding(early.id).start == text.index("Avsnitt 3:")


def test_a_text_changed_while_being_replaced_is_compared_again(tmp_path):
    anne, bob = shared(tmp_path / "p.qualcode")
    bob.code_span("int", *span_of("Avsnitt 7:"), "tid")

    def bob_edits_and_codes():
        bob.replace_source_text("int", OLD + "Bobs tillegg.\n")
        bob.code_span("int", len(OLD), len(OLD) + len("Bobs tillegg"), "tid")

    done = replace_while_holding_the_lock(anne, bob, bob_edits_and_codes)
    text = anne.source("int").text
    assert text == NEW and done.moved == 1
    assert [(c.excerpt, c.coder) for c in done.lost] == [("Bobs tillegg", "bob")]
    coding, = anne.codings_of("int")
    assert text[coding.start:coding.end] == "Avsnitt 7:"


def test_a_long_text_is_compared_in_time_linear_in_its_paragraphs(tmp_path):
    # 8,000 paragraphs, a few edited: difflib's line matching took minutes on this
    old = "".join(f"IP {n}: dette er avsnitt nummer {n} om tid og ledelse.\n\n"
                  for n in range(8000))
    new = old.replace("avsnitt nummer 10 ", "avsnitt nr. 10 ").replace("nummer 7000", "nr 7000")
    with qc.create_project(tmp_path / "p.qualcode") as p:
        p.add_source("lang", old)
        p.add_code("tid")
        for n in (5, 10, 4000, 7999):
            at = old.index(f"IP {n}:")
            p.code_span("lang", at, at + len(f"IP {n}:"), "tid")
        done = p.replace_source_text("lang", new)
        assert (done.kept, done.moved, done.lost) == (2, 2, ())  # two after the shorter line
        text = p.source("lang").text
        assert [text[c.start:c.end] for c in p.codings_of("lang")] == [
            "IP 5:", "IP 10:", "IP 4000:", "IP 7999:"]


def test_a_locked_project_file_is_a_one_line_error_not_a_sqlite_error(tmp_path):
    anne, bob = shared(tmp_path / "p.qualcode")
    bob.conn.execute("BEGIN IMMEDIATE")
    anne.conn.execute("PRAGMA busy_timeout = 50")  # do not wait the usual 30 s in a test
    with pytest.raises(qc.QualcodeError, match="another program has been writing to this "
                                               "project") as error:
        anne.replace_source_text("int", NEW)
    assert "\n" not in str(error.value) and str(tmp_path) in str(error.value)
    with pytest.raises(qc.QualcodeError, match="nothing was changed"):
        anne.add_code("ledelse")
    bob.conn.execute("ROLLBACK")
    assert anne.add_code("ledelse").name == "ledelse"


def span_of(phrase: str) -> tuple[int, int]:
    at = OLD.index(phrase)
    return at, at + len(phrase)
