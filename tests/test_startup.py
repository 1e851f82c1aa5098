"""Start-up hygiene: the command line loads no heavy library it does not use.

`qualcode --help` and `qualcode info` run on every verb's path; pandas, numpy, lxml, xmlschema,
jsonschema, docx, spacy and textual together cost over a second, so they load where they are
used (qualcode.lazy). The timings are in bench/bench_startup.py; this checks the cause.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "lxml", "xmlschema", "jsonschema", "docx", "spacy", "textual",
         "sqlite_utils", "openpyxl", "rich", "yaml")

PROBE = """
import json, sys
{code}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def loaded_after(code: str, cwd) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(code=code, heavy=HEAVY)],
                          cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_command_line_loads_no_heavy_library(tmp_path):
    assert loaded_after("import qualcode.cli", tmp_path) == []


@pytest.mark.parametrize("argv", [["--help"], ["info"], ["code", "--help"], ["query", "--help"]])
def test_help_and_info_load_no_heavy_library(tmp_path, argv):
    import qualcode as qc

    qc.create_project(tmp_path / "study.qualcode").close()
    code = ("from qualcode.cli import main\n"
            "try:\n"
            f"    main({argv!r})\n"
            "except SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n")
    assert loaded_after(code, tmp_path) == []


def test_a_lazy_module_loads_on_first_use(tmp_path):
    code = ("from qualcode.lazy import lazy_module\n"
            "pd = lazy_module('pandas')\n"
            "assert 'pandas' not in sys.modules\n"
            "assert pd.DataFrame({'a': [1]}).shape == (1, 1)\n"
            "assert 'pandas' in sys.modules\n"
            "sys.modules.pop('pandas'); sys.modules.pop('numpy')\n")
    assert loaded_after(code, tmp_path) == []
