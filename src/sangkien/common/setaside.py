"""Secondary indexes, unique and foreign-key constraints of some tables set aside for a bulk
write and recreated after it from their own definitions (`pg_get_indexdef`,
`pg_get_constraintdef`, same names), on PostgreSQL.

Filling a table with millions of rows through its indexes costs a random btree insertion per row
and index; building each index once afterwards is a sort. Used inside one transaction, a write
that fails rolls back to the tables exactly as they were: the generated country's load
(demo.country.load) and the set-based recount of the numbers (targets.recount).
"""

from django.db import connection


def table(model) -> str:
    return model._meta.db_table


class SetAside:
    """The secondary indexes, unique and foreign-key constraints of some tables, with their exact
    definitions, dropped for a bulk load and recreated after it (primary keys and checks stay)."""

    def __init__(self, models):
        names = [table(m) for m in models]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f') "
                "ORDER BY 1, 2",
                [names],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = ANY(%s::regclass[]) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
                "AND c.conrelid = x.indrelid) ORDER BY 1",
                [names],
            )
            self.indexes = cursor.fetchall()
        self.uniques = [(t, n, d) for t, n, kind, d in constraints if kind == "u"]
        self.foreign = [(t, n, d) for t, n, kind, d in constraints if kind == "f"]

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table_name, name, _definition in self.foreign + self.uniques:
                cursor.execute(f'ALTER TABLE {table_name} DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def statements(self) -> list[str]:
        return [
            *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in self.uniques),
            *(definition for _name, definition in self.indexes),
            *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in self.foreign),
        ]

    def restore(self) -> None:
        with connection.cursor() as cursor:
            for statement in self.statements():
                cursor.execute(statement)
