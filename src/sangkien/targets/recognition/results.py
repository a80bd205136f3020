"""What recognition answers: ranked rows with their figures, cluster and phase results, recipients."""

from dataclasses import dataclass, field
from decimal import Decimal

from sangkien.awards.enums import AwardKind
from sangkien.orgs.models import Cluster, Unit
from sangkien.programs.models import Phase, Program


@dataclass
class Row:
    """One unit in a ranking, with the figures that decide whether it is recognised."""

    unit: Unit
    count: int  # counted initiatives in the quarter or phase
    rank: int = 0  # 1 + the units with strictly more; tied units share a rank
    target: int | None = None  # the quarter target (quarterly)
    participants: int | None = None  # people with an initiative in the phase (phase)
    members: int | None = None
    rate: Decimal | None = None  # participants ÷ members, in %
    required_rate: Decimal | None = None  # the programme's participation target, in %
    leader: bool = False  # the most initiatives of its list
    recognised: bool = False
    reason: str = ""

    @property
    def rate_text(self) -> str:
        return percent_text(self.rate)

    @property
    def required_rate_text(self) -> str:
        return percent_text(self.required_rate)


@dataclass
class ClusterResult:
    """One cluster's members in the period, most initiatives first, and the outcome."""

    cluster: Cluster
    rows: list[Row]
    reason: str  # the outcome in one sentence, with the leader's figures when nobody wins
    kind: str  # AwardKind.QUARTERLY or AwardKind.PHASE
    key: str  # the period's key: "2026-Q4", "p1"
    period: str  # its label in the language of the request: "Quý IV/2026", "Giai đoạn 1"
    program: Program

    @property
    def winners(self) -> list[Row]:
        return [row for row in self.rows if row.recognised]

    @property
    def leaders(self) -> list[Row]:
        return [row for row in self.rows if row.leader]


@dataclass
class PhaseResult:
    """The phase's candidates: the units leading nationwide, and the leader of each cluster."""

    program: Program
    phase: Phase
    key: str  # "p1"
    period: str
    leaders_awarded: int
    leaders: list[Row]  # the nationwide first places (all recognised)
    clusters: list[ClusterResult] = field(default_factory=list)
    kind: str = AwardKind.PHASE

    @property
    def required_rate_text(self) -> str:
        return percent_text(self.program.participation_target_percent)


@dataclass
class Recipient:
    """One unit to record an award for, and the citation its figures give it."""

    unit: Unit
    citation: str
    rows: list[Row]


def percent_text(value: Decimal | None) -> str:
    """Decimal("12.50") → "12,5%"; None → ""."""
    if value is None:
        return ""
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text}%"
