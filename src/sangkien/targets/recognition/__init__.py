"""Recognition computed from the rules of seed 003 §V.1 (SPEC §8), each result with its figures.

Ghi nhận hàng quý: in each competition cluster of the federation, the unit with the most
initiatives in the quarter, provided its quarter count is strictly above its own quarter target.
The rule names the one with the most: when that unit (or, on a tie, every tied unit) is not above
its own target or has none, nobody in the cluster is recognised that quarter. Tied leaders are
each judged on their own target.

Khen thưởng sơ kết: the level-1 units leading nationwide in the phase (the programme's
`leaders_awarded` first places, ties at the last place included), and in each cluster the unit
with the most initiatives in the phase, provided it reached the participation rate
(people with an initiative ÷ members ≥ Program.participation_target_percent).

Counts are the maintained tallies on the tree of submission (counted initiatives only: withdrawn
and ineligible ones never count). Everything here reads in a constant number of queries.

results: the rows and results; periods: period keys and labels; rules: what both rules share;
quarterly and phase: the two rules; recipients: for recording; files: XLSX and CSV.
"""

from sangkien.targets.recognition.files import recognition_csv, recognition_xlsx
from sangkien.targets.recognition.periods import period_label, periods_of
from sangkien.targets.recognition.phase import phase_candidates
from sangkien.targets.recognition.quarterly import quarterly
from sangkien.targets.recognition.recipients import recipients, recognition_for
from sangkien.targets.recognition.results import ClusterResult, PhaseResult

__all__ = [
    "ClusterResult",
    "PhaseResult",
    "period_label",
    "periods_of",
    "phase_candidates",
    "quarterly",
    "recipients",
    "recognition_csv",
    "recognition_for",
    "recognition_xlsx",
]
