"""A trigram index on the folded unit name, so "gia lam" is found among 128,000 units by an index
(the workplace picker searches with LIKE '%word%'). PostgreSQL only; SQLite scans, which is fine
for the embedded demo."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS orgs_unit_search_name_trgm "
        "ON orgs_unit USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS orgs_unit_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_union_tree")]
    operations = [migrations.RunPython(create, drop)]
