"""Initiatives that existed before the maintained numbers are marked, so the first fold (or
`manage.py rebuild_numbers`) counts them."""

from django.db import migrations


def mark_all(apps, schema_editor):
    Dirty = apps.get_model("targets", "Dirty")
    Initiative = apps.get_model("initiatives", "Initiative")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Dirty._meta.db_table} (initiative_id) "
            f"SELECT id FROM {Initiative._meta.db_table} ORDER BY id"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_initial"),
        ("initiatives", "0003_initiative_search_text_fingerprint_duplicate_of"),
    ]

    operations = [migrations.RunPython(mark_all, migrations.RunPython.noop)]
