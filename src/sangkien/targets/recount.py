"""Recounting the maintained numbers from scratch on PostgreSQL, set-based.

`services.rebuild` and `services.rebuild_today_tree` fold the initiatives batch by batch through
`_Delta`, one upsert per tally cell: right for the few hundred a fold takes, hours for 2.5
million (every batch touches a hundred thousand cells). Here the same counting rules are written
as a few INSERT … SELECT statements over the whole table: what one initiative contributes
(`Contribution`), the tallies of every unit on its path, and the people. The rules are those of
`services._Delta.add` and `services._apply_people`; tests/targets/test_maintained.py checks that
both ways give the same rows.

A full rebuild's tables are emptied by the caller (TRUNCATE: nobody reads them until it
commits), so their secondary indexes and unique constraints are set aside while they fill and
built once at the end (`common.setaside`): inserting the country's ten million tally rows
through two btree indexes took longer than the aggregation itself. Today's tree alone (after a
restructuring) keeps them: dashboards go on reading the other tree meanwhile.

Only what needs Python is done in Python: each unit's path on today's tree (a unit gone by then
counts under its successor, `services.today_paths`) and the person key of an author known by
name only (`services.person_key`, accent folding). They reach the statements as temporary tables.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.db import connection

from sangkien.common.setaside import SetAside
from sangkien.initiatives.models import Author, Initiative
from sangkien.programs.models import Phase
from sangkien.targets.enums import COUNTED, Dim, Tree
from sangkien.targets.models import Contribution, Participation, Tally

Progress = Callable[[int, int], None] | None
# services.today_paths and services.person_key, handed in by services (which imports this).
PathsOf = Callable[[set[int], date], dict[int, str]]
PersonKey = Callable[[str, str, str], str]

# The unit ids of a path "/1/64/945/39330/", one row each.
_ANCESTORS = "unnest(string_to_array(btrim({path}, '/'), '/'))::bigint"
# What the tallies read of a contribution (not its people, the widest column).
_COLUMNS = (
    "program_id, phase, unit_path, today_path, day, status, kind, target_group, block, benefit"
)


def _copy(cursor, table: str, columns: str, rows: Iterable[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _today_paths_table(cursor, units, on: date, paths_of: PathsOf) -> None:
    """rc_today(unit_id, path): each of `units` (a values_list of unit ids) on the tree of `on`."""
    cursor.execute(
        "CREATE TEMP TABLE rc_today (unit_id bigint PRIMARY KEY, path text) ON COMMIT DROP"
    )
    _copy(cursor, "rc_today", "unit_id, path", paths_of(set(units), on).items())
    cursor.execute("ANALYZE rc_today")


def _name_keys_table(cursor, person_key: PersonKey) -> None:
    """rc_names(author_id, person): the person key of each author with neither ID nor phone."""
    cursor.execute(
        "CREATE TEMP TABLE rc_names (author_id bigint PRIMARY KEY, person text) ON COMMIT DROP"
    )
    named = Author.objects.filter(id_hash="", phone_hash="").values_list("pk", "full_name")
    # Read whole before the COPY starts: the connection runs no other query during a COPY.
    keys = [(pk, person_key("", "", name)) for pk, name in named.iterator(chunk_size=10_000)]
    _copy(cursor, "rc_names", "author_id, person", keys)
    cursor.execute("ANALYZE rc_names")


def _contributions(cursor) -> int:
    """One Contribution per initiative, as `services._contribution` makes it."""
    author = Author._meta.db_table
    cursor.execute(
        f"""
        INSERT INTO {Contribution._meta.db_table} (initiative_id, program_id, phase, unit_id,
            unit_path, today_path, day, status, kind, target_group, block, benefit, persons)
        SELECT i.id, i.program_id, COALESCE(ph.number, 0), i.unit_id, i.unit_path,
               COALESCE(t.path, ''), (i.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
               i.status, i.kind, i.target_group, i.block, COALESCE(i.benefit_vnd, 0),
               COALESCE(p.persons, '')
        FROM {Initiative._meta.db_table} i
        LEFT JOIN {Phase._meta.db_table} ph ON ph.id = i.phase_id
        LEFT JOIN rc_today t ON t.unit_id = i.unit_id
        LEFT JOIN (
            SELECT k.initiative_id,
                   string_agg(DISTINCT k.person, ' ' ORDER BY k.person) AS persons
            FROM (
                SELECT a.initiative_id,
                       CASE WHEN a.id_hash <> '' THEN 'i' || a.id_hash
                            WHEN a.phone_hash <> '' THEN 'p' || a.phone_hash
                            ELSE n.person END COLLATE "C" AS person
                FROM {author} a LEFT JOIN rc_names n ON n.author_id = a.id
            ) k
            GROUP BY k.initiative_id
        ) p ON p.initiative_id = i.id
        """
    )
    return cursor.rowcount


def _contributions_on(trees: tuple[str, ...]) -> str:
    """Each contribution once per tree, with the path of that tree."""
    parts = []
    if Tree.HISTORICAL in trees:
        parts.append(
            f"SELECT c.*, '{Tree.HISTORICAL.value}' AS tree, c.unit_path AS path FROM rc_c c"
        )
    if Tree.TODAY in trees:
        parts.append(f"SELECT c.*, '{Tree.TODAY.value}' AS tree, c.today_path AS path FROM rc_c c")
    return " UNION ALL ".join(parts)


def _tallies(cursor, trees: tuple[str, ...]) -> None:
    """Every dimension but people: summed per path first, then over the units of each path."""
    counted = "c.status = ANY(%(counted)s)"
    keyed = {
        Dim.STATUS: ("c.status", "TRUE"),
        Dim.DAY: ("to_char(c.day, 'YYYY-MM-DD')", counted),
        Dim.QUARTER: ("to_char(c.day, 'YYYY') || '-Q' || extract(quarter FROM c.day)", counted),
        Dim.KIND: ("c.kind", counted),
        Dim.TARGET_GROUP: ("c.target_group", counted),
        Dim.BLOCK: ("c.block", counted),
    }
    per_path = " UNION ALL ".join(
        f"SELECT c.program_id, c.tree, c.path, c.phase, '{dim.value}' AS dim, {key} AS key, "
        f"count(*) AS n, sum(c.benefit) AS benefit FROM rc_ct c WHERE {where} "
        "GROUP BY 1, 2, 3, 4, 5, 6"
        for dim, (key, where) in keyed.items()
    )
    cursor.execute(
        f"""
        WITH rc_c AS (SELECT {_COLUMNS} FROM {Contribution._meta.db_table}),
             rc_ct AS ({_contributions_on(trees)})
        INSERT INTO {Tally._meta.db_table} (program_id, tree, unit_id, phase, dim, key, n, benefit)
        SELECT program_id, tree, unit_id, phase, dim, key, sum(n), sum(benefit)
        FROM (SELECT program_id, tree, {_ANCESTORS.format(path="path")} AS unit_id, phase, dim,
                     key, n, benefit
              FROM ({per_path}) per_path) cells
        GROUP BY 1, 2, 3, 4, 5, 6
        """,
        {"counted": [str(s) for s in COUNTED]},
    )


def _people(cursor, trees: tuple[str, ...]) -> None:
    """Participation rows (each person's counted initiatives per phase at a grassroots position)
    and the PEOPLE tallies: per phase, key ""; over the programme, phase 0 and key "*"."""
    cursor.execute(
        f"""
        CREATE TEMP TABLE rc_people ON COMMIT DROP AS
        WITH rc_c AS (SELECT * FROM {Contribution._meta.db_table} WHERE status = ANY(%(counted)s)),
             rc_ct AS ({_contributions_on(trees)})
        SELECT program_id, tree, path, person, phase, count(*) AS n
        FROM (SELECT program_id, tree, path, phase,
                     unnest(string_to_array(persons, ' ')) AS person
              FROM rc_ct) each_person
        WHERE person <> ''
        GROUP BY 1, 2, 3, 4, 5
        """,
        {"counted": [str(s) for s in COUNTED]},
    )
    cursor.execute(
        f"""
        INSERT INTO {Participation._meta.db_table} (program_id, tree, path, person, phases)
        SELECT program_id, tree, path, person, jsonb_object_agg(phase::text, n)
        FROM rc_people GROUP BY 1, 2, 3, 4
        """
    )
    people = Dim.PEOPLE.value
    cursor.execute(
        f"""
        INSERT INTO {Tally._meta.db_table} (program_id, tree, unit_id, phase, dim, key, n, benefit)
        SELECT program_id, tree, {_ANCESTORS.format(path="path")} AS unit_id, phase,
               '{people}', key, sum(n), 0
        FROM (SELECT program_id, tree, path, phase, '' AS key, count(*) AS n
              FROM rc_people GROUP BY 1, 2, 3, 4
              UNION ALL
              SELECT program_id, tree, path, 0, '*', count(DISTINCT person)
              FROM rc_people GROUP BY 1, 2, 3) per_path
        GROUP BY 1, 2, 3, 4, 5, 6
        """
    )


TEMPORARY = "rc_today, rc_names, rc_people"


def _drop_temporary(cursor) -> None:
    # ON COMMIT DROP covers a rebuild in its own transaction; one inside a longer transaction
    # (a test, a restructuring followed by more work) drops them itself.
    cursor.execute(f"DROP TABLE IF EXISTS {TEMPORARY}")


def _steps(progress: Progress, total: int):
    """progress(done, total) in initiatives, moved on as each of the five steps ends."""
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(total * done[0] // 5, total)

    return step


def rebuild(
    on: date, *, paths_of: PathsOf, person_key: PersonKey, progress: Progress = None
) -> int:
    """Everything from the initiatives, on both trees; the tables are empty (the caller truncated
    them inside the same transaction and holds the fold's lock). Answers the initiatives counted."""
    total = Initiative.objects.count()
    step = _steps(progress, total)
    aside = SetAside([Tally, Participation, Contribution])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the indexes built at the end
        _drop_temporary(cursor)
        aside.drop()
        units = Initiative.objects.order_by().values_list("unit_id", flat=True).distinct()
        _today_paths_table(cursor, units, on, paths_of)
        _name_keys_table(cursor, person_key)
        step()
        done = _contributions(cursor)
        cursor.execute(f"ANALYZE {Contribution._meta.db_table}")
        step()
        _tallies(cursor, tuple(Tree.values))
        step()
        _people(cursor, tuple(Tree.values))
        aside.restore()
        step()
        cursor.execute(f"ANALYZE {Tally._meta.db_table}")
        cursor.execute(f"ANALYZE {Participation._meta.db_table}")
        _drop_temporary(cursor)
        step()
    return done


def rebuild_today_tree(on: date, *, paths_of: PathsOf, progress: Progress = None) -> int:
    """Today's tree only, from the contributions: each one's today's path moved to the tree of
    `on`, then its tallies and people recounted (those of today's tree were deleted by the
    caller, in the same transaction, under the fold's lock)."""
    total = Contribution.objects.count()
    step = _steps(progress, total)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        _drop_temporary(cursor)
        units = Contribution.objects.order_by().values_list("unit_id", flat=True).distinct()
        _today_paths_table(cursor, units, on, paths_of)  # a row for every unit, "" if none
        step()
        cursor.execute(
            f"""
            UPDATE {Contribution._meta.db_table} c SET today_path = t.path
            FROM rc_today t WHERE t.unit_id = c.unit_id AND c.today_path <> t.path
            """
        )
        step()
        _tallies(cursor, (Tree.TODAY,))
        step()
        _people(cursor, (Tree.TODAY,))
        step()
        cursor.execute(f"ANALYZE {Tally._meta.db_table}")
        _drop_temporary(cursor)
        step()
    return total
