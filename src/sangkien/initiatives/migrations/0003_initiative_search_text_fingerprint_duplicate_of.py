"""Search text, near-duplicate fingerprints and the identical-resubmission link on initiatives.

Safe on a live table of 2.5 million rows: the new columns are nullable or have a constant
default (no table rewrite on PostgreSQL 11+), and on PostgreSQL every index is built with
CREATE INDEX CONCURRENTLY, outside a transaction, so submissions keep flowing. The values are
filled afterwards by `manage.py reindex_initiatives`. The pg_trgm index on `search_text` exists
only on PostgreSQL (as `orgs.0002`); SQLite scans, which is fine for the embedded demo.

On PostgreSQL `initiative_unit_time_idx` also carries `id`, `sim_hash` and `status` (INCLUDE):
the similar-initiative search reads a union's 300 most recent rows from the index alone, not
from 300 scattered heap pages (Django's state keeps the plain index: SQLite has no INCLUDE).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q

BANDS = 20
TABLE = "initiatives_initiative"
# name → (columns, WHERE clause or ""), the same indexes as the model state below.
INDEXES = {
    "initiative_unit_time_idx": ("unit_id, submitted_at", ""),  # + INCLUDE on PostgreSQL
    "initiative_duplicate_of_idx": ("duplicate_of_id", "duplicate_of_id IS NOT NULL"),
    **{f"initiative_sim_band{i}_idx": (f"sim_band{i}", "") for i in range(BANDS)},
}
TRIGRAM = "initiatives_initiative_search_text_trgm"


def create_indexes(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    concurrently = "CONCURRENTLY " if postgres else ""
    for name, (columns, where) in INDEXES.items():
        include = postgres and name == "initiative_unit_time_idx"
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {TABLE} ({columns})"
            + (" INCLUDE (id, sim_hash, status)" if include else "")
            + (f" WHERE {where}" if where else "")
        )
    if postgres:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {TRIGRAM} "
            f"ON {TABLE} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    for name in [*INDEXES, TRIGRAM]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("initiatives", "0002_bulk_imports")]

    operations = [
        migrations.AddField(
            "initiative",
            "duplicate_of",
            models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="duplicates",
                to="initiatives.initiative",
                verbose_name="trùng với",
            ),
        ),
        migrations.AddField(
            "initiative", "search_text", models.TextField(blank=True, default="", editable=False)
        ),
        migrations.AddField(
            "initiative", "sim_hash", models.BigIntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band0", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band1", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band2", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band3", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band4", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band5", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band6", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band7", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band8", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band9", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band10", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band11", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band12", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band13", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band14", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band15", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band16", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band17", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band18", models.IntegerField(editable=False, null=True)
        ),
        migrations.AddField(
            "initiative", "sim_band19", models.IntegerField(editable=False, null=True)
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    "initiative",
                    models.Index(fields=["unit", "submitted_at"], name="initiative_unit_time_idx"),
                ),
                migrations.AddIndex(
                    "initiative",
                    models.Index(
                        condition=Q(duplicate_of__isnull=False),
                        fields=["duplicate_of"],
                        name="initiative_duplicate_of_idx",
                    ),
                ),
                *[
                    migrations.AddIndex(
                        "initiative",
                        models.Index(fields=[f"sim_band{i}"], name=f"initiative_sim_band{i}_idx"),
                    )
                    for i in range(BANDS)
                ],
            ],
            database_operations=[migrations.RunPython(create_indexes, drop_indexes)],
        ),
    ]
