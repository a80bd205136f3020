"""Keeping the numbers: mark a changed initiative, fold the changes into the tallies, rebuild.

A change of an initiative writes a `Dirty` row in its own transaction (`mark_dirty`); nothing
else happens there, so a thousand submissions a second never queue on the national row. `fold`
claims the marks (DELETE … RETURNING, so two folds never take the same one), diffs each
initiative against its `Contribution` and adds the difference to the tallies of every unit on
its path, on two trees: the tree of the submission (`unit_path`) and today's tree (the unit's
path on `StatsState.tree_on`). One fold runs at a time (an advisory lock on PostgreSQL, the
single writer on SQLite); the others wait their turn and find what is left.

By default the fold runs right after the commit that marked (settings.STATS_FOLD = "inline"), so
the numbers are exact at once; with "worker" the `numbers_worker` command folds every few seconds.
"""

import logging
import secrets
import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sangkien.common.text import fold as fold_text
from sangkien.common.timewindows import vn_date
from sangkien.initiatives.models import Author, Initiative
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.targets import recount
from sangkien.targets.enums import COUNTED, Dim, Tree
from sangkien.targets.models import (
    Contribution,
    Dirty,
    Participation,
    StatsState,
    Tally,
    TreeChange,
)

log = logging.getLogger(__name__)

BATCH = 2000
_LOCK_KEY = 7_310_725  # pg advisory lock: one fold at a time
_local_lock = threading.RLock()  # one fold at a time in this process

TALLIED = (Dim.KIND, Dim.TARGET_GROUP, Dim.BLOCK)
# The generation of the kept dashboards (targets.dashboard.generation): a new value makes every
# kept one stale at once. Random, so that a cache that lost it never meets an old value again.
DASHBOARD_GENERATION = "dashboard:generation"


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def person_key(id_hash: str, phone_hash: str, full_name: str) -> str:
    """Who a person is, for counting people: the ID number, else the phone, else the name."""
    if id_hash:
        return "i" + id_hash
    if phone_hash:
        return "p" + phone_hash
    return "n" + "-".join(fold_text(full_name).split())[:78]


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


# -- marking ------------------------------------------------------------------------------------


def _inline() -> bool:
    """Folds run right after the commit that marked (settings.STATS_FOLD "inline", the default),
    not in the numbers worker."""
    return getattr(settings, "STATS_FOLD", "inline") == "inline"


def mark_dirty(initiative_ids: Iterable[int]) -> None:
    """Called inside the transaction that changes the initiatives."""
    rows = [Dirty(initiative_id=pk) for pk in initiative_ids]
    if not rows:
        return
    Dirty.objects.bulk_create(rows)
    if _inline():
        transaction.on_commit(fold_quietly)


INLINE_ROUNDS = 5  # at most 5 × BATCH marks folded by one request; more is the worker's job


def fold_quietly() -> None:
    """The inline fold after a commit: a failure must never break the request that changed the
    initiative (its mark stays and the next fold takes it)."""
    try:
        fold(max_rounds=INLINE_ROUNDS)
    except Exception:  # whatever went wrong, the change itself is committed
        log.exception("numbers fold failed; the marks stay for the next one")


# -- state --------------------------------------------------------------------------------------


def state() -> StatsState:
    found = StatsState.objects.filter(pk=1).first()
    if found is None:
        found, _ = StatsState.objects.get_or_create(pk=1, defaults={"tree_on": tree.today()})
    return found


def today_paths(unit_ids: Iterable[int], on: date) -> dict[int, str]:
    """Each unit's path on the tree of day `on`; a unit gone by then counts under its successor
    (orgs.queries.anchor_path)."""
    wanted = set(unit_ids)
    found = dict(
        UnitPlacement.objects.filter(tree.valid_on(on), unit_id__in=wanted).values_list(
            "unit_id", "path"
        )
    )
    for unit in Unit.objects.filter(pk__in=wanted - found.keys()):
        found[unit.pk] = tree.anchor_path(unit, on) or ""
    return found


# -- the fold -----------------------------------------------------------------------------------


class _Delta:
    """Differences to add: tallies by key, and people by (program, tree, path, person, phase)."""

    def __init__(self):
        self.tallies: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        self.people: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def _add(self, key: tuple, sign: int, benefit: int) -> None:
        cell = self.tallies[key]
        cell[0] += sign
        cell[1] += sign * benefit

    def add(self, c: Contribution, sign: int, trees: tuple[str, ...] = tuple(Tree.values)) -> None:
        counted = c.status in COUNTED
        keys = [(Dim.STATUS, c.status)]
        if counted:
            keys += [
                (Dim.DAY, c.day.isoformat()),
                (Dim.QUARTER, quarter_of(c.day)),
                (Dim.KIND, c.kind),
                (Dim.TARGET_GROUP, c.target_group),
                (Dim.BLOCK, c.block),
            ]
        for which in trees:
            path = c.unit_path if which == Tree.HISTORICAL else c.today_path
            for unit_id in ancestor_ids(path):
                for dim, key in keys:
                    self._add((c.program_id, which, unit_id, c.phase, dim, key), sign, c.benefit)
            if counted:
                for person in c.persons.split():
                    self.people[(c.program_id, which, path, person)][c.phase] += sign


def _contribution(row: dict, persons: list[str], paths: dict[int, str]) -> Contribution:
    return Contribution(
        initiative_id=row["pk"],
        program_id=row["program_id"],
        phase=row["phase__number"] or 0,
        unit_id=row["unit_id"],
        unit_path=row["unit_path"],
        today_path=paths.get(row["unit_id"], ""),
        day=vn_date(row["submitted_at"]),
        status=row["status"],
        kind=row["kind"],
        target_group=row["target_group"],
        block=row["block"],
        benefit=row["benefit_vnd"] or 0,
        persons=" ".join(sorted(set(persons))),
    )


_SAME = (
    "program_id",
    "phase",
    "unit_path",
    "today_path",
    "day",
    "status",
    "kind",
    "target_group",
    "block",
    "benefit",
    "persons",
)


def _same(a: Contribution, b: Contribution) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in _SAME)


def _current(ids: set[int], on: date) -> dict[int, Contribution]:
    rows = list(
        Initiative.objects.filter(pk__in=ids).values(
            "pk",
            "program_id",
            "phase__number",
            "unit_id",
            "unit_path",
            "submitted_at",
            "status",
            "kind",
            "target_group",
            "block",
            "benefit_vnd",
        )
    )
    persons: dict[int, list[str]] = defaultdict(list)
    for initiative_id, id_hash, phone_hash, name in Author.objects.filter(
        initiative_id__in=ids
    ).values_list("initiative_id", "id_hash", "phone_hash", "full_name"):
        persons[initiative_id].append(person_key(id_hash, phone_hash, name))
    paths = today_paths({row["unit_id"] for row in rows}, on)
    return {row["pk"]: _contribution(row, persons[row["pk"]], paths) for row in rows}


def _fold_ids(ids: set[int], on: date) -> None:
    """Bring the tallies of `ids` up to date (inside the fold's transaction and lock)."""
    now = _current(ids, on)
    before = Contribution.objects.in_bulk(list(ids))
    delta = _Delta()
    gone, changed = [], []
    for pk in ids:
        old, new = before.get(pk), now.get(pk)
        if old is not None and new is not None and _same(old, new):
            continue
        if old is not None:
            delta.add(old, -1)
            gone.append(pk)
        if new is not None:
            delta.add(new, +1)
            changed.append(new)
    if gone:
        Contribution.objects.filter(pk__in=gone).delete()
    Contribution.objects.bulk_create(changed, batch_size=1000)
    _apply(delta)


def _apply(delta: _Delta) -> None:
    _apply_people(delta)
    rows = [
        (*key, n, benefit) for key, (n, benefit) in sorted(delta.tallies.items()) if n or benefit
    ]
    if not rows:
        return
    table = Tally._meta.db_table
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {table} (program_id, tree, unit_id, phase, dim, {q('key')}, n, benefit) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT (program_id, tree, unit_id, phase, dim, {q('key')}) DO UPDATE SET "
        f"n = {table}.n + excluded.n, benefit = {table}.benefit + excluded.benefit"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _apply_people(delta: _Delta) -> None:
    """Add the people differences and turn every crossing of zero into a PEOPLE tally."""
    if not delta.people:
        return
    keys = list(delta.people)
    existing: dict[tuple, Participation] = {}
    # Programme, tree, paths and persons together, so the unique index (program_id, tree, path,
    # person) finds the rows: by persons alone it read the whole table at every fold.
    paths: dict[tuple, set[str]] = defaultdict(set)
    persons: dict[tuple, set[str]] = defaultdict(set)
    for program_id, which, path, person in keys:
        paths[(program_id, which)].add(path)
        persons[(program_id, which)].add(person)
    match = Q()
    for program_id, which in paths:
        match |= Q(
            program_id=program_id,
            tree=which,
            path__in=paths[(program_id, which)],
            person__in=persons[(program_id, which)],
        )
    for row in Participation.objects.filter(match):
        existing[(row.program_id, row.tree, row.path, row.person)] = row
    to_create, to_update, to_delete = [], [], []
    for key in keys:
        program_id, which, path, person = key
        row = existing.get(key)
        old = {int(p): n for p, n in (row.phases if row else {}).items()}
        new = dict(old)
        for phase, change in delta.people[key].items():
            new[phase] = new.get(phase, 0) + change
        new = {p: n for p, n in new.items() if n}
        for phase in set(old) | set(new):
            was, now = old.get(phase, 0) > 0, new.get(phase, 0) > 0
            if was != now:
                _people(delta, program_id, which, path, phase, "", 1 if now else -1)
        if bool(old) != bool(new):
            _people(delta, program_id, which, path, 0, "*", 1 if new else -1)
        if row is None:
            to_create.append(
                Participation(
                    program_id=program_id,
                    tree=which,
                    path=path,
                    person=person,
                    phases={str(p): n for p, n in new.items()},
                )
            )
        elif new:
            row.phases = {str(p): n for p, n in new.items()}
            to_update.append(row)
        else:
            to_delete.append(row.pk)
    Participation.objects.bulk_create([row for row in to_create if row.phases], batch_size=1000)
    Participation.objects.bulk_update(to_update, ["phases"], batch_size=1000)
    if to_delete:
        Participation.objects.filter(pk__in=to_delete).delete()


def _people(delta: _Delta, program_id, which, path, phase, key, sign) -> None:
    for unit_id in ancestor_ids(path):
        delta._add((program_id, which, unit_id, phase, Dim.PEOPLE, key), sign, 0)


@contextmanager
def _exclusive():
    """A transaction in which this is the only fold: folds queue on an advisory lock (PostgreSQL)
    or on the database's single writer (SQLite, whose transactions begin IMMEDIATE)."""
    with _local_lock, transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        yield


def _claim(limit: int) -> list[int]:
    table = Dirty._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s) "
            "RETURNING initiative_id",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def fold(max_rounds: int | None = None) -> int:
    """Fold pending changes, in rounds of BATCH marks; answers how many marks were taken."""
    taken = 0
    rounds = 0
    if state().tree_on != tree.today():
        refresh_tree()  # after midnight: today's tree moves to today (recounted if it changed)
    while max_rounds is None or rounds < max_rounds:
        rounds += 1
        with _exclusive():
            # Read under the lock: a restructuring's recount may have just moved today's tree.
            on = StatsState.objects.values_list("tree_on", flat=True).get(pk=1)
            ids = _claim(BATCH)
            if not ids:
                return taken
            _fold_ids(set(ids), on)
            StatsState.objects.filter(pk=1).update(folded_at=timezone.now())
        taken += len(ids)
    return taken


def pending() -> int:
    return Dirty.objects.count()


# -- rebuilding ---------------------------------------------------------------------------------


def _empty(on: date) -> None:
    """Before a full rebuild, under the fold's lock: no numbers, no marks, no tree change left;
    today's tree is the tree of `on`."""
    _truncate(Tally, Participation, Contribution)
    Dirty.objects.all().delete()
    TreeChange.objects.all().delete()
    StatsState.objects.update_or_create(pk=1, defaults={"tree_on": on})


def rebuild(*, progress=None) -> int:
    """Recount everything from the initiatives (tallies, people, contributions), on the tree of
    the submission and on today's tree; answers the number of initiatives folded. PostgreSQL
    recounts set-based (recount.py); SQLite folds batch by batch."""
    on = tree.today()
    if connection.vendor == "postgresql":
        # Set-based, in one transaction under the lock (recount.py); changes made meanwhile
        # leave their marks for the next fold.
        with _exclusive():
            _empty(on)
            dashboards_change_on_commit()
            return recount.rebuild(
                on, paths_of=today_paths, person_key=person_key, progress=progress
            )
    with _exclusive():
        _empty(on)
    ids = Initiative.objects.order_by("pk").values_list("pk", flat=True)
    total = ids.count()
    done = 0
    last = 0
    while True:
        batch = list(ids.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        with _exclusive():
            _fold_ids(set(batch), on)
        last = batch[-1]
        done += len(batch)
        if progress:
            progress(done, total)
    dashboards_change_on_commit()  # the batches leave the fold time as it was
    return done


def rebuild_today_tree(on: date | None = None, *, progress=None) -> int:
    """Recount today's tree only, from the contributions (after a restructuring)."""
    on = on or tree.today()
    with _exclusive():
        # The restructurings committed so far are claimed by this recount; one committed after
        # this statement keeps its row, and the worker recounts again.
        TreeChange.objects.all().delete()
        Tally.objects.filter(tree=Tree.TODAY).delete()
        Participation.objects.filter(tree=Tree.TODAY).delete()
        StatsState.objects.update_or_create(pk=1, defaults={"tree_on": on})
        dashboards_change_on_commit()
        if connection.vendor == "postgresql":
            return recount.rebuild_today_tree(on, paths_of=today_paths, progress=progress)
        done = 0
        last = 0
        total = Contribution.objects.count()
        while True:
            batch = list(Contribution.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not batch:
                break
            paths = today_paths({c.unit_id for c in batch}, on)
            delta = _Delta()
            for c in batch:
                c.today_path = paths.get(c.unit_id, "")
                delta.add(c, +1, trees=(Tree.TODAY,))
            Contribution.objects.bulk_update(batch, ["today_path"], batch_size=1000)
            _apply(delta)
            last = batch[-1].pk
            done += len(batch)
            if progress:
                progress(done, total)
    return done


def tree_changed_since(day: date, on: date) -> bool:
    """Did any placement begin or end in (day, on]? Then today's tree is not the tree of `day`."""
    window = Q(valid_from__gt=day, valid_from__lte=on) | Q(valid_to__gt=day, valid_to__lte=on)
    return UnitPlacement.objects.filter(window).exists()


def refresh_tree(*, progress=None) -> bool:
    """Move today's tree to today: at once if nothing changed since, else by a recount; and
    recount it after a restructuring left a TreeChange. Answers True if it recounted."""
    current = state()
    on = tree.today()
    if TreeChange.objects.exists():
        rebuild_today_tree(on, progress=progress)
        return True
    if current.tree_on == on:
        return False
    if tree_changed_since(current.tree_on, on):
        rebuild_today_tree(on, progress=progress)
        return True
    StatsState.objects.filter(pk=1).update(tree_on=on)
    return False


def dashboards_changed() -> None:
    """Targets, the tree, member counts or a programme changed: no kept dashboard is shown
    again. Called after the commit of the change (targets.tables, orgs, programs)."""
    cache.set(DASHBOARD_GENERATION, secrets.token_hex(8), None)


def dashboards_change_on_commit() -> None:
    """`dashboards_changed` after the commit of the current transaction (at once outside one).
    Not deduplicated: a test's captured callbacks stay in the connection's list, so a check
    for one already there would skip the next; a repeated bump costs one cache write."""
    transaction.on_commit(dashboards_changed)


def tree_changed() -> None:
    """Called by orgs.services after the commit of a restructuring: today's tree is recounted,
    at once when folds run inline, else by the numbers worker (a TreeChange row: a request
    must not wait minutes for the recount of a national tree, nor hold the fold's lock)."""
    dashboards_changed()  # the children and the breadcrumb, before the recount's numbers
    if _inline():
        rebuild_today_tree(tree.today())
    else:
        TreeChange.objects.create()


def _truncate(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                # Deferred foreign-key checks of rows written earlier in this transaction (tests)
                # would forbid the TRUNCATE: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {table}")
            else:
                cursor.execute(f"DELETE FROM {table}")
