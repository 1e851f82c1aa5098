"""The README's Python example runs as written on the project `make demo` builds."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.demo import build_demo

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_python_example_runs_on_the_demo_project(tmp_path, monkeypatch):
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    build_demo(tmp_path / "hpmt_demo.qualcode")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(block, "README.md", "exec"), scope)
    p = scope["p"]
    mine = p.codings(coders=["ane"])
    assert list(mine.text) == [
        "Lederen har lagt det inn i kalenderen som fast, så det er ikke noe man må kjempe for."]
    assert not p.cooccurrence(codes=["Barrierer og føringer"], descendants=True).empty
    p.close()
