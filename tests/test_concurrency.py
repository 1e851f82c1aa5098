"""One project file used by two processes at once: a writer coding, a reader reading."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import qualcode as qc

WRITER = textwrap.dedent("""
    import sys
    import qualcode as qc
    p = qc.open_project(sys.argv[1], coder="skriver")
    src = p.source("int")
    for i in range(150):
        p.code_span(src, i, i + 5, "tid")
    print("done")
""")


def test_a_writer_and_a_reader_share_one_file_without_locking_errors(tmp_path):
    path = tmp_path / "shared.qualcode"
    with qc.create_project(path) as p:
        p.add_source("int", "x" * 500)
        p.add_code("tid")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    with qc.open_project(path, coder="leser") as reader:
        while writer.poll() is None:
            seen.append(len(reader.codings()))
            reader.add_memo(f"lest {seen[-1]}")  # the reader writes too, between the writer's
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert out.strip() == "done"
        assert len(reader.codings()) == 150
    assert seen == sorted(seen)  # the reader only ever saw committed, growing states
    assert len(seen) > 1
