"""`qualcode demo`: build the bundled sample study as a project and open it."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import coder_option
from qualcode.core import Project
from qualcode.lazy import lazy_module

demo_study = lazy_module("qualcode.demo")

DEFAULT_PATH = Path("hpmt_demo.qualcode")


@click.command()
@click.argument("path", required=False, default=DEFAULT_PATH,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rebuild", is_flag=True,
              help="Build the project again even if PATH exists (replaces it).")
@click.option("--no-open", "no_open", is_flag=True,
              help="Only build (or find) the project and print its summary.")
@coder_option
def demo(path: Path, rebuild: bool, no_open: bool, coder: str | None) -> None:
    """Build the bundled HPMT sample study at PATH (default ./hpmt_demo.qualcode) and open it.

    The study is fictional Norwegian material: 11 interviews, 2 observation notes, 1,672 FE
    forms and office measures, with three codebooks loaded and example codings by two coders
    (kari and ola). If PATH exists it is opened as it is; --rebuild makes it anew.
    In the UI you code as --coder (else $QUALCODE_CODER, else you are asked once).
    """
    if rebuild or not path.exists():
        click.echo(f"building the sample study into {path} ...", err=True)
        report = demo_study.build_demo(
            path, overwrite=rebuild, progress=lambda step: click.echo(f"  {step} ...", err=True))
        for missing in report.missing:
            click.echo(f"warning: example coding not applied, phrase not found: {missing}",
                       err=True)
    with Project.open(path) as project:
        summary(project)
    if no_open:
        return
    from qualcode.tui.app import make_app  # Textual loads only when the UI opens

    make_app(path, coder=coder).run()


def summary(project: Project) -> None:
    """The project's counts, codings per coder and the most used codes."""
    info = project.info()
    width = max(map(len, info))
    for key, value in info.items():
        click.echo(f"{key:<{width}}  {value}")
    per_coder = project.codings_per_coder()
    click.echo("codings by coder: " + ", ".join(
        f"{name} {per_coder.get(name, 0)}" for name in sorted(per_coder, key=_coder_order)))
    counts = project.code_counts()
    used = counts[counts.codings > 0].sort_values("codings", ascending=False).head(8)
    if len(used):
        click.echo("most used codes:")
        for row in used.itertuples():
            click.echo(f"  {row.codings:>4}  {row.path}")


def _coder_order(name: str) -> tuple[int, str]:
    coders = demo_study.CODERS
    return (coders.index(name) if name in coders else len(coders), name)


def register(cli: click.Group) -> None:
    cli.add_command(demo)
