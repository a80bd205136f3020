"""For recording: the result a period key names, and one recipient per recognised unit."""

from django.utils.translation import gettext as _

from sangkien.awards.enums import AwardKind
from sangkien.programs.models import Program
from sangkien.targets.recognition.periods import PHASE_PERIOD, period_label
from sangkien.targets.recognition.phase import phase_candidates
from sangkien.targets.recognition.quarterly import quarterly
from sangkien.targets.recognition.results import ClusterResult, PhaseResult, Recipient, Row


def recognition_for(program: Program, period: str) -> list[ClusterResult] | PhaseResult:
    """The result a period key of the page names: "2026-Q4" or "p1". ValueError otherwise."""
    found = PHASE_PERIOD.match(period or "")
    if found:
        return phase_candidates(program, int(found.group(1)))
    return quarterly(program, period)


def recipients(result: list[ClusterResult] | PhaseResult) -> list[Recipient]:
    """One recipient per recognised unit (a unit leading nationwide and in its cluster is
    awarded once, with both reasons), in the order the page shows them. The citations are in the
    language active when this is called (recording calls it in Vietnamese)."""
    found: dict[int, Recipient] = {}

    def add(row: Row, sentence: str) -> None:
        if row.unit.pk in found:
            entry = found[row.unit.pk]
            entry.citation = f"{entry.citation} {sentence}"
            entry.rows.append(row)
        else:
            found[row.unit.pk] = Recipient(unit=row.unit, citation=sentence, rows=[row])

    if isinstance(result, PhaseResult):
        for row in result.leaders:
            add(row, _national_citation(result, row))
        clusters = result.clusters
    else:
        clusters = result
    for cluster in clusters:
        for row in cluster.winners:
            add(row, _cluster_citation(cluster, row))
    return list(found.values())


def _program_name(program: Program) -> str:
    return program.short_name or program.name


def _national_citation(result: PhaseResult, row: Row) -> str:
    return _(
        "Dẫn đầu toàn quốc về số sáng kiến tham gia Chương trình “%(program)s” trong "
        "%(period)s: xếp hạng %(rank)s với %(count)s sáng kiến."
    ) % {
        "program": _program_name(result.program),
        "period": period_label(result.key),
        "rank": row.rank,
        "count": row.count,
    }


def _cluster_citation(cluster: ClusterResult, row: Row) -> str:
    values = {
        "program": _program_name(cluster.program),
        "cluster": cluster.cluster.name,
        "period": period_label(cluster.key),
        "count": row.count,
        "target": row.target,
        "rate": row.rate_text,
        "participants": row.participants,
        "members": row.members,
        "required": row.required_rate_text,
    }
    if cluster.kind == AwardKind.QUARTERLY:
        return (
            _(
                "Có số sáng kiến tham gia Chương trình “%(program)s” nhiều nhất %(cluster)s trong "
                "%(period)s (%(count)s sáng kiến), cao hơn chỉ tiêu quý của đơn vị (%(target)s "
                "sáng kiến)."
            )
            % values
        )
    return (
        _(
            "Có số sáng kiến tham gia Chương trình “%(program)s” nhiều nhất %(cluster)s trong "
            "%(period)s (%(count)s sáng kiến), đạt tỷ lệ đoàn viên tham gia %(rate)s "
            "(%(participants)s người / %(members)s đoàn viên; quy định %(required)s)."
        )
        % values
    )
