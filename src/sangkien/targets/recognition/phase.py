"""Khen thưởng sơ kết: the units leading nationwide in a phase, and each cluster's leader."""

from decimal import Decimal

from django.utils.translation import gettext as _

from sangkien.awards.enums import AwardKind
from sangkien.orgs.enums import Level
from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets.enums import Tree
from sangkien.targets.queries import figures_many, rate
from sangkien.targets.recognition.periods import _first_day, _last_day, phase_label
from sangkien.targets.recognition.results import ClusterResult, PhaseResult, Row
from sangkien.targets.recognition.rules import (
    _clusters_and_members,
    _leaders,
    _outcome,
    _overlapping,
    _rank,
)


def phase_candidates(program: Program, phase_number: int) -> PhaseResult:
    """Khen thưởng sơ kết of one phase, in five queries whatever the number of units."""
    phases = {phase.number: phase for phase in program.phases.all()}
    if phase_number not in phases:
        raise ValueError(f"programme {program.code} has no phase {phase_number}")
    phase = phases[phase_number]
    first, last = _first_day(phase), _last_day(phase)
    period = phase_label(phase_number)
    clusters = _clusters_and_members(first, last)
    level_one = list(
        Unit.objects.filter(_overlapping(first, last), level=Level.DIRECT).order_by("code")
    )
    units = {unit.pk: unit for unit in level_one}
    for _cluster, members in clusters:
        for unit in members:
            units.setdefault(unit.pk, unit)
    found = figures_many(program, list(units.values()), Tree.HISTORICAL, phase=phase_number)
    required = program.participation_target_percent

    def row_of(unit: Unit) -> Row:
        figures = found[unit.pk]
        return Row(
            unit=unit,
            count=figures.total,
            participants=figures.participants,
            members=unit.member_count,
            rate=rate(figures.participants, unit.member_count),
            required_rate=required,
        )

    limit = program.leaders_awarded
    ranked = _rank([row_of(unit) for unit in level_one])
    leaders = [row for row in ranked if row.count > 0 and row.rank <= limit]
    for row in leaders:
        row.leader = row.recognised = True
        tied = sum(1 for other in ranked if other.rank == row.rank) > 1
        row.reason = (
            _(
                "Đồng hạng %(rank)s toàn quốc với %(count)s sáng kiến trong giai đoạn, trong "
                "%(limit)s vị trí dẫn đầu được đề nghị khen thưởng."
            )
            if tied
            else _(
                "Hạng %(rank)s toàn quốc với %(count)s sáng kiến trong giai đoạn, trong "
                "%(limit)s vị trí dẫn đầu được đề nghị khen thưởng."
            )
        ) % {"rank": row.rank, "count": row.count, "limit": limit}
    results = []
    for cluster, members in clusters:
        rows = _rank([row_of(unit) for unit in members])
        results.append(
            ClusterResult(
                cluster=cluster,
                rows=rows,
                reason=_judge_phase(rows, required),
                kind=AwardKind.PHASE,
                key=f"p{phase_number}",
                period=period,
                program=program,
            )
        )
    return PhaseResult(
        program=program,
        phase=phase,
        key=f"p{phase_number}",
        period=period,
        leaders_awarded=limit,
        leaders=leaders,
        clusters=results,
    )


def _reached(row: Row, required: Decimal) -> bool:
    """Exactly, not on the rounded percentage: 999 of 10,000 is not 10%."""
    return bool(row.members) and Decimal(row.participants or 0) * 100 >= required * row.members


def _judge_phase(rows: list[Row], required: Decimal | None) -> str:
    if not rows:
        return _("Cụm không có đơn vị thành viên trong giai đoạn nên không có đơn vị được đề nghị.")
    leaders = _leaders(rows, _("Không có sáng kiến được tính trong giai đoạn."))
    if not leaders:
        return _("Không đơn vị nào trong cụm có sáng kiến được tính trong giai đoạn.")
    tied = len(leaders) > 1
    for row in leaders:
        figures = {
            "count": row.count,
            "participants": row.participants,
            "members": row.members,
            "rate": row.rate_text,
            "required": row.required_rate_text,
        }
        lead = (
            _("Đồng dẫn đầu cụm với %(count)s sáng kiến")
            if tied
            else _("Dẫn đầu cụm với %(count)s sáng kiến")
        ) % figures
        if required is None:
            why = _("nhưng chương trình chưa quy định tỷ lệ đoàn viên tham gia tối thiểu.")
        elif not row.members:
            why = _("nhưng đơn vị chưa có số đoàn viên nên không tính được tỷ lệ tham gia.")
        elif _reached(row, required):
            row.recognised = True
            why = (
                _(
                    "và đạt tỷ lệ tham gia %(rate)s (%(participants)s người / %(members)s đoàn "
                    "viên; quy định %(required)s)."
                )
                % figures
            )
        else:
            why = (
                _(
                    "nhưng tỷ lệ tham gia %(rate)s (%(participants)s người / %(members)s đoàn "
                    "viên) chưa đạt quy định %(required)s."
                )
                % figures
            )
        row.reason = f"{lead} {why}"
    return _outcome(leaders)
