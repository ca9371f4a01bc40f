"""`joinedup areas ...` and `joinedup demo`: reference geography and demonstration data."""

from __future__ import annotations

from pathlib import Path

import click
from django.conf import settings

from joinedup.core.progress import run_with_progress


@click.group()
def areas() -> None:
    """Reference geography: police force areas, CSPs, districts, LSOAs and populations."""


@areas.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_areas_command(directory: Path) -> None:
    """Load ONS codes, names, hierarchy, electoral wards and LSOA populations from DIRECTORY.

    DIRECTORY is laid out like shared/data: lookups/ (LSOA→ward→LAD, LAD→CSP→PFA, CSP and PFA names, and
    optionally the 2011→2021 LSOA lookup) and population/ (LSOA mid-year estimates). All or nothing: a
    bad file stops the import with the file, line and column, and nothing is written.
    """
    from joinedup.core.services.areas_import import AreaImportError, import_areas

    result = run_with_progress(
        lambda report: import_areas(directory, actor_email="command line", progress=report), AreaImportError
    )
    click.echo(result.summary())
    if (directory / "boundaries").is_dir():
        _import_boundaries(directory / "boundaries")


@areas.command("boundaries")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_boundaries_command(directory: Path) -> None:
    """Load LSOA boundaries from DIRECTORY (lsoa11/*.geojson and lsoa21/*.geojson, WGS84).

    `joinedup areas import` does this too when its folder has a boundaries/ folder. The boundaries place
    casework locations in their LSOA and draw maps without tiles. All or nothing.
    """
    _import_boundaries(directory)


@areas.command("postcodes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_postcodes_command(file: Path) -> None:
    """Load the ONS Postcode Directory from FILE (its CSV: pcds, lsoa21 or lsoa11, lat, long columns).

    Incidents are then located from their postcode. It replaces any directory loaded before; all or
    nothing: a bad row stops the import with every problem's line and column, and nothing is written.
    """
    from joinedup.core.services.postcodes import PostcodeImportError, import_postcodes

    try:
        result = import_postcodes(file, actor_email="command line")
    except PostcodeImportError as exc:
        click.echo(f"Nothing was imported: {len(exc.problems)} problems.", err=True)
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(result.summary())


def _import_boundaries(directory: Path) -> None:
    from joinedup.core.boundaries import BoundaryImportError, import_boundaries

    try:
        result = import_boundaries(directory, actor_email="command line")
    except BoundaryImportError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(result.summary())


@click.command()
@click.option(
    "--shared-data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The published data folder (default: ../shared/data beside the repository, or JOINEDUP_SHARED_DATA).",
)
def demo(shared_data: Path | None) -> None:
    """Load the demonstration data (idempotent). Refused when JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused, load_demo

    try:
        load_demo(shared_data_dir=shared_data or settings.SHARED_DATA_DIR, out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


commands = [areas, demo]
