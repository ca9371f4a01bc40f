"""`joinedup insight ...`: import police open data and produce strategic assessments."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from joinedup.core.progress import run_with_progress


@click.group()
def insight() -> None:
    """Crime and ASB insight: data.police.uk imports and strategic assessments."""


@insight.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--force", default=None, help="Force slug for files not named as data.police.uk names them.")
def import_command(paths: tuple[Path, ...], force: str | None) -> None:
    """Import data.police.uk downloads: ZIP files, folders and CSV files (street, outcomes, stop and search).

    A force-month imported again replaces the one in the store. All or nothing: a failure leaves the store
    as it was. Rows with no location, outside the force area or of an unknown crime type are kept and
    flagged; rows that cannot be read are rejected and listed with their reasons in the import record.
    """
    from joinedup.insight.imports.importer import PoliceImportError, import_police_data

    result = run_with_progress(
        lambda report: import_police_data(
            list(paths), actor_label="command line", force=force, progress=report
        ),
        PoliceImportError,
    )
    click.echo(result.summary())
    from joinedup.insight.summary import prepare_current

    click.echo("Preparing the summary assessments read...")
    prepare_current()


@insight.command("assess")
@click.option("--area", "area_code", required=True, help="ONS code of a CSP, district or police force area.")
@click.option("--from", "from_month", default=None, help="First month, YYYY-MM (default: latest 12 months).")
@click.option("--to", "to_month", default=None, help="Last month, YYYY-MM.")
@click.option(
    "--format", "output_format", type=click.Choice(["json", "csv", "pdf"]), default="json", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to FILE.")
def assess_command(
    area_code: str, from_month: str | None, to_month: str | None, output_format: str, out: Path | None
) -> None:
    """Strategic assessment for an area: counts, rates per 1,000, change and monthly series (JSON by default).

    `--format pdf` writes the print-ready strategic assessment document (charts, LSOA map, method and
    caveats) and needs `--out FILE`."""
    from django.core.exceptions import ValidationError

    from joinedup.insight.calculation import AssessmentError, as_csv_rows, assess

    try:
        result = assess(area_code, from_month, to_month)
    except ValidationError as exc:
        messages = [f"{field}: {'; '.join(errors)}" for field, errors in exc.message_dict.items()]
        raise click.ClickException(" ".join(messages)) from None
    except AssessmentError as exc:
        raise click.ClickException(str(exc)) from None
    if output_format == "pdf":
        from joinedup.core.pdf import render_pdf
        from joinedup.insight.documents import PRINT_TEMPLATE, print_context

        if out is None:
            raise click.UsageError("A PDF needs a file: add --out FILE.")
        out.write_bytes(render_pdf(PRINT_TEMPLATE, print_context(result, record=None)))
        click.echo(f"Wrote the assessment of {result['area']['name']} to {out}.", err=True)
        return
    if output_format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(as_csv_rows(result))
        text = buffer.getvalue()
    else:
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote the assessment of {result['area']['name']} to {out}.", err=True)


def _reference_import(kind: str, path: Path) -> None:
    from django.core.exceptions import ValidationError

    from joinedup.insight.imports import services as reference

    function = reference.import_severity if kind == "severity" else reference.import_deprivation
    try:
        result = function(path, actor_label="command line")
    except ValidationError as exc:
        raise click.ClickException(" ".join("; ".join(m) for m in exc.message_dict.values())) from None
    click.echo(result.summary)


@insight.command("demo")
def demo_command() -> None:
    """Save, score and publish a strategic assessment for North Tyneside from the imported data, so the demo
    opens on a published assessment (idempotent; run `joinedup demo` and an import first). Refused when
    JOINEDUP_ENV=production."""
    from joinedup.core.demo import DemoRefused

    from .demo import load_insight_demo

    try:
        load_insight_demo(out=click.echo)
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None


@insight.group("severity")
def severity() -> None:
    """Crime Severity Score weights used for harm-weighted totals."""


@severity.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def severity_import(path: Path) -> None:
    """Derive one weight per data.police.uk crime type (the median of its offences' ONS weights) from an
    offence-to-category weights file, e.g. severity/css_weights_ho_offence_police_uk_category_derived.csv."""
    _reference_import("severity", path)


@insight.group("deprivation")
def deprivation() -> None:
    """English Index of Multiple Deprivation 2019 by LSOA (for deciles and similar areas)."""


@deprivation.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def deprivation_import(path: Path) -> None:
    """Load IMD 2019 rank and decile per 2011 LSOA, e.g. deprivation/imd2019_lsoa11_england.csv.
    A rank or decile of 0 (Welsh LSOAs in the ONS file) is treated as missing."""
    _reference_import("deprivation", path)


commands = [insight]
