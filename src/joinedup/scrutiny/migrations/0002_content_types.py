"""The moved models' content types follow them: csp.panelrecommendation becomes scrutiny.panelrecommendation
(and so on, history models too), so what points at a content type (Django's permissions, the admin's log)
keeps pointing at the same model. A database migrated from nothing has none yet: Django makes them after
`migrate`, under scrutiny already. The audit log stores its own labels and is not rewritten (ADR 0042)."""

from django.db import migrations

MOVED = (
    "panelrecommendation",
    "panelcomment",
    "panelmember",
    "workprogrammeitem",
    "panelmeeting",
    "historicalpanelrecommendation",
    "historicalpanelcomment",
    "historicalpanelmember",
    "historicalpanelmember_linked_csps",
    "historicalworkprogrammeitem",
    "historicalpanelmeeting",
)


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db).filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    # A content type already made under the new label (a migrate stopped half-way) is left as it is.
    ContentType.objects.using(db).filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "csp", "scrutiny")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "scrutiny", "csp")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("csp", "0008_panel_moved_to_scrutiny"),
        ("scrutiny", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
