# An index on a table of millions of rows, built without blocking submissions: CREATE INDEX
# CONCURRENTLY on PostgreSQL (outside a transaction), a plain index on SQLite.

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexWithoutLocking(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('initiatives', '0003_initiative_search_text_fingerprint_duplicate_of'),
        ('orgs', '0002_unit_name_trigram_index'),
        ('programs', '0003_program_leaders_awarded'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name='initiative',
            index=models.Index(fields=['submitted_at', 'id'], name='initiative_time_idx'),
        ),
    ]
