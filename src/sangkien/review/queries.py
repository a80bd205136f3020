"""Reads of review: the officer's queue, what is before a level, quotas, scores, forwardings."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from sangkien.initiatives import queries as initiative_queries
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Author, Initiative
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.orgs.queries import today, valid_on
from sangkien.programs.models import ForwardingQuota, Phase
from sangkien.review.enums import ComplaintStatus, NominationState
from sangkien.review.models import Complaint, Forwarding, Nomination, Quota, Score
from sangkien.targets.enums import Dim, Tree
from sangkien.targets.models import Dirty, Tally

PAGE_SIZE = 50


def in_subtree(path: str) -> Q:
    """Initiatives of the grassroots unions under `path`: on the tree as it was when they were
    submitted, or as it is today (a union moved since)."""
    if path.count("/") == 2:
        return Q()  # the federation's subtree is everything
    today_units = UnitPlacement.objects.filter(valid_on(today()), path__startswith=path)
    return Q(unit_path__startswith=path) | Q(unit_id__in=today_units.values("unit_id"))


def is_nominated(initiative: Initiative) -> bool:
    return Nomination.objects.filter(initiative=initiative, state=NominationState.ACTIVE).exists()


def is_before(initiative: Initiative, unit: Unit) -> bool:
    """Is the initiative in `unit`'s selection: its own grassroots union's, or forwarded to it."""
    if initiative.unit_id == unit.pk:
        return True
    return Nomination.objects.filter(
        initiative=initiative, to_unit=unit, state=NominationState.ACTIVE
    ).exists()


def before_filter(unit: Unit) -> Q:
    forwarded = Nomination.objects.filter(to_unit=unit, state=NominationState.ACTIVE)
    return Q(unit=unit) | Q(pk__in=forwarded.values("initiative_id"))


# --- Quotas -----------------------------------------------------------------------------------


def quota_for(*, phase: Phase, unit: Unit, parent: Unit) -> int | None:
    """How many initiatives `unit` may forward to `parent` in `phase`: the parent's exception for
    this child, else the parent's rule for all children, else the programme's rule for the
    child's level (this phase's, else the whole programme's), else no limit."""
    rows = {
        row.child_id: row.max_count
        for row in Quota.objects.filter(phase=phase, parent=parent).filter(
            Q(child=unit) | Q(child__isnull=True)
        )
    }
    if unit.pk in rows:
        return rows[unit.pk]
    if None in rows:
        return rows[None]
    programme = {
        row.phase_id: row.max_per_unit
        for row in ForwardingQuota.objects.filter(
            program_id=phase.program_id, child_level=unit.level
        ).filter(Q(phase=phase) | Q(phase__isnull=True))
    }
    return programme.get(phase.pk, programme.get(None))


def quota_used(*, phase: Phase, unit: Unit) -> int:
    return Nomination.objects.filter(
        phase=phase, from_unit=unit, state=NominationState.ACTIVE
    ).count()


def quota_used_by_child(*, phase: Phase, parent: Unit) -> dict[int, int]:
    """Active nominations to `parent` in `phase`, per child unit id."""
    rows = (
        Nomination.objects.filter(phase=phase, to_unit=parent, state=NominationState.ACTIVE)
        .values("from_unit")
        .annotate(n=Count("pk"))
    )
    return {row["from_unit"]: row["n"] for row in rows}


# --- Scores -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreSummary:
    count: int
    average: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None


def score_summary(initiative: Initiative, unit: Unit) -> ScoreSummary:
    values = Score.objects.filter(initiative=initiative, unit=unit).aggregate(
        count=Count("pk"), average=Avg("total"), lowest=Min("total"), highest=Max("total")
    )
    return ScoreSummary(**values)


def _score_annotations(unit: Unit) -> dict:
    at_level = Score.objects.filter(initiative=OuterRef("pk"), unit=unit).values("initiative")
    return {
        "score_avg": Subquery(at_level.annotate(v=Avg("total")).values("v")[:1]),
        "score_min": Subquery(at_level.annotate(v=Min("total")).values("v")[:1]),
        "score_max": Subquery(at_level.annotate(v=Max("total")).values("v")[:1]),
        "score_count": Subquery(
            at_level.annotate(v=Count("pk")).values("v")[:1], output_field=IntegerField()
        ),
    }


# --- The queue --------------------------------------------------------------------------------


@dataclass
class QueueFilter:
    """What the officer asked the queue for; every field optional."""

    program: int | None = None
    phase: int | None = None
    status: str = ""
    unit_path: str = ""  # a unit inside the desk's subtree (its path today)
    kind: str = ""
    target_group: str = ""
    block: str = ""
    q: str = ""
    sort: str = "new"
    flags: set[str] = field(default_factory=set)  # "before", "complaint", "duplicate"


SORTS = {
    "new": ("-submitted_at", "-pk"),
    "old": ("submitted_at", "pk"),
    "title": ("title", "pk"),
    "unit": ("unit__name", "-submitted_at"),
    "score": ("-score_avg", "-submitted_at"),
    "status": ("status", "-submitted_at"),
}


def _queue_base(desk_path: str, f: QueueFilter, desk: Unit) -> QuerySet[Initiative]:
    qs = Initiative.objects.filter(in_subtree(desk_path))
    if f.unit_path:
        qs = qs.filter(in_subtree(f.unit_path))
    for name in ("program", "phase"):
        if getattr(f, name):
            qs = qs.filter(**{f"{name}_id": getattr(f, name)})
    for name in ("kind", "target_group", "block"):
        if getattr(f, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.q:
        qs = initiative_queries.search(qs, f.q)
    if "before" in f.flags:
        qs = qs.filter(before_filter(desk))
    if "complaint" in f.flags:
        qs = qs.filter(complaints__status=ComplaintStatus.OPEN).distinct()
    if "duplicate" in f.flags:
        qs = qs.filter(duplicate_of__isnull=False)
    return qs


def _maintained_counts(desk: Unit, desk_path: str, f: QueueFilter) -> dict[str, int] | None:
    """The counts per status from the maintained numbers (as of the last fold), when the queue's
    selection is exactly what they count: the desk's subtree on the tree of the submission, by
    programme and phase, and the desk has never moved (so its path today is its path in every
    initiative's unit_path). None otherwise: the caller counts the rows. A national queue of 2.5
    million initiatives is 1 small query instead of a count over all of them."""
    if f.unit_path or f.kind or f.target_group or f.block or f.q or f.flags:
        return None
    if UnitPlacement.objects.filter(unit=desk).exclude(path=desk_path).exists():
        return None
    rows = Tally.objects.filter(tree=Tree.HISTORICAL, unit=desk, dim=Dim.STATUS)
    if f.program:
        rows = rows.filter(program_id=f.program)
    if f.phase:
        phase = Phase.objects.filter(pk=f.phase).values("program_id", "number").first()
        if phase is None:
            return {}
        rows = rows.filter(program_id=phase["program_id"], phase=phase["number"])
    totals = rows.values("key").order_by().annotate(n=Sum("n"))
    return {row["key"]: row["n"] for row in totals if row["n"]}


# The columns a row of the queue shows.
QUEUE_FIELDS = [
    "receipt",
    "title",
    "status",
    "submitted_at",
    "duplicate_of_id",
    "unit__name",
]


def queue(desk: Unit, desk_path: str, f: QueueFilter) -> tuple[QuerySet[Initiative], dict, int]:
    """The initiatives of the desk's subtree matching `f`, with what a row shows, the counts
    per status of the same selection without the status filter, and a number of rows that is
    never less than what the selection holds (for the pager, without counting it again)."""
    base = _queue_base(desk_path, f, desk)
    counts = _maintained_counts(desk, desk_path, f)
    if counts is None:
        counts = {row["status"]: row["n"] for row in base.values("status").annotate(n=Count("pk"))}
        rows_at_most = counts.get(f.status, 0) if f.status else sum(counts.values())
    else:
        # The tallies lag the last fold by the changes still marked: a page count that never
        # hides a row counts each of them as one more (at worst a last page is shorter).
        pending = Dirty.objects.count()
        shown = counts.get(f.status, 0) if f.status else sum(counts.values())
        rows_at_most = shown + pending
    rows = base.filter(status=f.status) if f.status else base
    top = Nomination.objects.filter(initiative=OuterRef("pk"), state=NominationState.ACTIVE)
    scores = _score_annotations(desk)
    lead = Author.objects.filter(position=0).only("initiative_id", "full_name")
    rows = (
        # Only what a row shows (office/templatetags/queue_rows.py): a national page reads 50
        # rows, not 50 × every column of the initiative, its programme and its phase.
        rows.select_related("unit")
        .only(*QUEUE_FIELDS)
        .prefetch_related(Prefetch("authors", queryset=lead, to_attr="leads"))
        .annotate(
            score_avg=scores["score_avg"],
            score_count=scores["score_count"],
            open_complaint=Exists(
                Complaint.objects.filter(initiative=OuterRef("pk"), status=ComplaintStatus.OPEN)
            ),
            reached=Subquery(top.order_by("to_unit__level").values("to_unit__name")[:1]),
        )
        .order_by(*SORTS.get(f.sort, SORTS["new"]))
    )
    return rows, counts, rows_at_most


# --- Selection and forwarding -----------------------------------------------------------------


def candidates(unit: Unit, phase: Phase) -> list[Initiative]:
    """What `unit` may forward in `phase`: eligible initiatives before it, not yet forwarded by
    it, best average score at its level first; those with an open complaint are listed (marked)
    so the officer sees why they cannot go."""
    forwarded = Nomination.objects.filter(from_unit=unit, state=NominationState.ACTIVE)
    return list(
        Initiative.objects.filter(before_filter(unit), phase=phase, status=Status.ELIGIBLE)
        .exclude(pk__in=forwarded.values("initiative_id"))
        .select_related("unit")
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("position"), to_attr="ordered")
        )
        .annotate(
            **_score_annotations(unit),
            open_complaint=Exists(
                Complaint.objects.filter(initiative=OuterRef("pk"), status=ComplaintStatus.OPEN)
            ),
        )
        .order_by("-score_avg", "submitted_at", "pk")[:500]
    )


def received(unit: Unit, phase: Phase | None = None) -> QuerySet[Nomination]:
    """Nominations sent to `unit`, active first, with what the inbox shows."""
    qs = Nomination.objects.filter(to_unit=unit)
    if phase is not None:
        qs = qs.filter(phase=phase)
    further = Nomination.objects.filter(
        initiative=OuterRef("initiative"), from_unit=unit, state=NominationState.ACTIVE
    )
    return (
        qs.select_related("initiative", "from_unit", "forwarding", "initiative__unit")
        .annotate(forwarded_further=Exists(further))
        .order_by("state", "from_unit__name", "rank")
    )


def sent(unit: Unit, phase: Phase | None = None) -> QuerySet[Forwarding]:
    qs = Forwarding.objects.filter(from_unit=unit)
    if phase is not None:
        qs = qs.filter(phase=phase)
    return qs.select_related("to_unit", "phase").prefetch_related(
        Prefetch(
            "nominations",
            queryset=Nomination.objects.select_related("initiative").order_by("rank"),
        )
    )


def forwarding_with_items(pk: int) -> Forwarding | None:
    return (
        Forwarding.objects.select_related("program", "phase", "from_unit", "to_unit")
        .prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.select_related("initiative", "initiative__unit")
                .prefetch_related(
                    Prefetch(
                        "initiative__authors",
                        queryset=Author.objects.order_by("position"),
                    )
                )
                .order_by("rank"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def history_of(initiative: Initiative) -> list[Nomination]:
    """Where the initiative went: every nomination, oldest first (shown to officers and, without
    scores, to the submitter)."""
    return list(
        Nomination.objects.filter(initiative=initiative)
        .select_related("from_unit", "to_unit", "forwarding")
        .order_by("forwarding__created_at", "pk")
    )


def complaints_of(initiative: Initiative) -> list[Complaint]:
    return list(Complaint.objects.filter(initiative=initiative).select_related("filed_by"))


def scores_of(initiative: Initiative) -> list[Score]:
    return list(
        Score.objects.filter(initiative=initiative)
        .select_related("unit", "reviewer")
        .order_by("unit__level", "scored_at")
    )
