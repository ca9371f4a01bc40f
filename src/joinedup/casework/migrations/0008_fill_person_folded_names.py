"""Fill `Person.folded_name` for the people recorded before it existed, a batch at a time.

The folding is Python's (`casework.names.fold_name`, which every save uses since), so a name is folded the
same way whichever database holds it. Each batch is its own transaction: on a large table the run holds
no long transaction, and a run stopped half-way is finished by running it again (it refolds every row).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, transaction

from joinedup.casework.names import fold_name

BATCH = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    person_model = apps.get_model("casework", "Person")
    db = schema_editor.connection.alias
    last = 0
    while True:
        batch = list(
            person_model.objects.using(db)
            .filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "full_name", "folded_name")[:BATCH]
        )
        if not batch:
            return
        changed = []
        for person in batch:
            folded = fold_name(person.full_name)
            if person.folded_name != folded:
                person.folded_name = folded
                changed.append(person)
        with transaction.atomic(using=db):
            person_model.objects.using(db).bulk_update(changed, ["folded_name"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casework", "0007_person_folded_name")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
