"""Writing generated rows: PostgreSQL COPY (with the big tables' secondary indexes and
constraints set aside during the load and recreated exactly), plain inserts on SQLite, clearing
a programme's generated data, and the sequences afterwards.

On PostgreSQL the whole load of initiatives, authors and history is one transaction: indexes,
unique and foreign-key constraints of the three tables are dropped in it and recreated in it
from their own definitions (`pg_get_indexdef`, `pg_get_constraintdef`, same names), so a load
that fails or is interrupted rolls back to the tables exactly as they were. When the tables were
emptied (TRUNCATE) in that transaction, COPY … FREEZE writes the rows already frozen and
visible, so the first reads (the rebuild of the numbers) do not rewrite the table for hint bits.
"""

from collections.abc import Iterable

from django.db import connection

from sangkien.awards.models import Award, GalleryConsent
from sangkien.initiatives.models import Attachment, Author, Initiative, StatusChange
from sangkien.review.models import Complaint, Forwarding, Nomination, Quota, Score

BIG = [Initiative, Author, StatusChange]
# Every table that refers (directly or not) to initiatives: emptied together by TRUNCATE.
REFERRING = [Attachment, Complaint, Score, Nomination, GalleryConsent, Award]


def postgres() -> bool:
    return connection.vendor == "postgresql"


def table(model) -> str:
    return model._meta.db_table


def next_id(model) -> int:
    """The first id free of both the rows and (PostgreSQL) the sequence: ids are never reused."""
    name = table(model)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {name}")
        largest = cursor.fetchone()[0]
        if postgres():
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [name])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            largest = max(largest, last if called else last - 1)
    return largest + 1


def set_sequences(models: Iterable) -> None:
    """After rows with explicit ids: the next id the sequence hands out is above them all."""
    if not postgres():
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    with connection.cursor() as cursor:
        for model in models:
            name = table(model)
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [name])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM {name}), "
                f"(SELECT last_value FROM {sequence}), 1))",
                [sequence],
            )


def can_truncate(program, *, reset: bool) -> bool:
    """Whether TRUNCATE may empty the initiative tables and those that refer to them: every row
    belongs to `program` and `reset` asked to clear it, or there is no row at all."""
    if not postgres():
        return False
    if not reset:
        return not any(model.objects.exists() for model in BIG + REFERRING)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE refs(t) AS (SELECT %s::regclass UNION SELECT c.conrelid::regclass "
            "FROM pg_constraint c JOIN refs ON c.confrelid = refs.t WHERE c.contype = 'f') "
            "SELECT t::text FROM refs",
            [table(Initiative)],
        )
        found = {row[0] for row in cursor.fetchall()}
    if found != {table(m) for m in BIG + REFERRING}:
        return False  # a table we do not know refers to initiatives: delete row by row instead
    return not (
        Initiative.objects.exclude(program=program).exists()
        or Attachment.objects.filter(initiative__isnull=True).exists()
        or Award.objects.exclude(program=program).exists()
    )


def truncate() -> None:
    names = ", ".join(table(m) for m in BIG + REFERRING)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {names}")


def delete_program(program) -> None:
    """Delete the programme's initiatives and everything hanging on them, row by row."""
    ids = Initiative.objects.filter(program=program).values("pk")
    GalleryConsent.objects.filter(initiative__in=ids).delete()
    Award.objects.filter(program=program).delete()
    Nomination.objects.filter(forwarding__program=program).delete()
    Nomination.objects.filter(initiative__in=ids).delete()
    Forwarding.objects.filter(program=program).delete()
    Quota.objects.filter(program=program).delete()
    for model in (Score, Complaint, Attachment, Author, StatusChange):
        model.objects.filter(initiative__in=ids).delete()
    Initiative.objects.filter(duplicate_of__in=ids).exclude(program=program).update(
        duplicate_of=None
    )
    Initiative.objects.filter(program=program).update(duplicate_of=None)
    Initiative.objects.filter(program=program).delete()


def delete_review(program) -> None:
    """What the review step writes, for a programme whose initiatives were just emptied."""
    Forwarding.objects.filter(program=program).delete()
    Quota.objects.filter(program=program).delete()


# -- writing --------------------------------------------------------------------------------------


def copy(model, columns: list[str], data: bytes, *, freeze: bool = False) -> None:
    """COPY already-encoded rows (text format) into the model's table."""
    if not data:
        return
    options = " WITH (FREEZE)" if freeze else ""
    sql = f"COPY {table(model)} ({', '.join(columns)}) FROM STDIN{options}"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as stream:
        stream.write(data)


def _sqlite_value(value):
    from datetime import date, datetime
    from decimal import Decimal

    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Rows of Python values: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if postgres():
        from sangkien.demo.country.rows import copy_lines

        copy(model, columns, copy_lines(rows))
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table(model)} ({', '.join(columns)}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in rows])


def analyze(models) -> None:
    if postgres():
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {table(model)}")
