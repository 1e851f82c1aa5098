"""The command line: a thin layer over the Project API, verb for verb.

Each verb group lives in its own module and is registered here.
"""

from __future__ import annotations

import sys

import click

from qualcode.cli.agreement import register as register_agreement
from qualcode.cli.bookmarks import register as register_bookmarks
from qualcode.cli.codebook import register as register_codebook
from qualcode.cli.common import QualcodeGroup
from qualcode.cli.core_verbs import register as register_core
from qualcode.cli.decisions import register as register_decisions
from qualcode.cli.demo_verbs import register as register_demo
from qualcode.cli.export import register as register_export
from qualcode.cli.imports import register as register_imports
from qualcode.cli.merge import register as register_merge
from qualcode.cli.qdpx import register as register_qdpx
from qualcode.cli.query import register as register_query
from qualcode.cli.search_verbs import register as register_search
from qualcode.cli.tui_verbs import register as register_tui


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qualcode")
def cli() -> None:
    """qualcode: qualitative process evaluation in one SQLite file.

    Import transcripts and forms, code them, and get coded excerpts and counts out.
    Every verb that works on a project takes -p/--project (default: $QUALCODE_PROJECT,
    else the only *.qualcode file in the current directory).
    """


register_core(cli)
register_imports(cli)
register_tui(cli)
register_codebook(cli)
register_demo(cli)
register_query(cli)
register_export(cli)
register_agreement(cli)
register_qdpx(cli)
register_merge(cli)
register_decisions(cli)
register_search(cli)
register_bookmarks(cli)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="qualcode", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
