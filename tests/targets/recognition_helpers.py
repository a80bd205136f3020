"""What the recognition tests share: the programme "01 triệu sáng kiến" as it ran (fixed 2022
windows, so every expected target is computed by hand once), instants in its quarters, and targets
given by the federation's allocation table."""

from datetime import date

from sangkien.common.timewindows import vn_at
from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation

PROGRAM = "01-trieu-sang-kien"
# Phase 1 accepts from 07:00 08/01/2022 to 24:00 31/05/2022: 144 days, of which 83 in 2022-Q1
# (08/01–31/03) and 61 in 2022-Q2 (01/04–31/05). Phase 2 accepts from 01/06/2022 to 01/09/2023:
# 458 days, of which 30 in 2022-Q2 (June).
IN_Q1 = vn_at(date(2022, 2, 15), 10)
LAST_HALF_HOUR_OF_Q1 = vn_at(date(2022, 3, 31), 23, 30)
FIRST_MINUTES_OF_Q2 = vn_at(date(2022, 4, 1), 0, 10)  # still 31/03 in UTC: Vietnam's day decides
IN_Q2 = vn_at(date(2022, 5, 10), 9)
IN_PHASE_2 = vn_at(date(2022, 7, 1), 9)


def give_target(program: Program, federation: Unit, unit: Unit, **phases: int) -> Allocation:
    """The federation's allocation row naming `unit`: give_target(p, tld, t62, phase1=10)."""
    return Allocation.objects.create(
        program=program,
        parent=federation,
        label=unit.name,
        unit=unit,
        kind=TargetKind.ABSOLUTE,
        phase_values={name.removeprefix("phase"): value for name, value in phases.items()},
    )


def by_code(cluster_result) -> dict:
    return {row.unit.code: row for row in cluster_result.rows}
