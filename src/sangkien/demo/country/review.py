"""Generated review and recognition: the support-team officers, the parents' quotas, forwardings
up the tree with their nominations and scores, and awards at every level.

The rules are those of `review.services.forward` and `awards.services.award_record`, applied to
the plan instead of checked one request at a time: only eligible initiatives (not copies) are
forwarded; a unit forwards what is before it (its own initiatives for a grassroots union, the
active nominations it received above) to its parent, at most the parent's quota per phase
(sent-back nominations do not count); a forwarding is dated after the decisions and forwardings
it rests on; awards go to eligible initiatives and to units inside the deciding unit's subtree.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password

from sangkien.accounts.enums import RoleKind
from sangkien.accounts.models import Officer, Role
from sangkien.awards.enums import AwardKind
from sangkien.awards.models import SERIAL_ALPHABET, SERIAL_LENGTH, Award, GalleryConsent
from sangkien.awards.services import GALLERY_CONSENT_VERSION
from sangkien.common.timewindows import VN_TZ
from sangkien.demo.country import load
from sangkien.demo.country import plan as p
from sangkien.demo.country import vocabulary as v
from sangkien.demo.country.people import person
from sangkien.orgs.models import UnitPlacement
from sangkien.orgs.queries import today, valid_on
from sangkien.review.enums import NominationState
from sangkien.review.models import Criterion, Forwarding, Nomination, Quota, Score
from sangkien.review.services import weighted_total

OFFICER_PREFIX = "gen-"
SHARE_FORWARDING = {3: 0.12, 2: 0.6, 1: 0.85}  # of the units with candidates, by level
QUOTA = {3: 3, 2: 5, 1: 15}  # what a parent allows each child, by the child's level
SHARE_SENT_BACK = 0.04
LETTER_SUFFIX = {3: "TTr-CĐCS", 2: "TTr-CĐCTCS", 1: "TTr-LĐLĐ"}
DECISION_SUFFIX = {0: "QĐ-TLĐ", 1: "QĐ-LĐLĐ", 2: "QĐ-CĐCTCS", 3: "QĐ-CĐCS"}
# Person numbers of signers, far above the members' (see people.person).
SIGNER_BASE = 40_000_000


@dataclass
class Tree:
    """Today's tree of the units that review: level, parent, path, name and officer."""

    level: dict[int, int] = field(default_factory=dict)
    parent: dict[int, int | None] = field(default_factory=dict)
    path: dict[int, str] = field(default_factory=dict)
    name: dict[int, str] = field(default_factory=dict)
    officer: dict[int, int] = field(default_factory=dict)


def officers() -> Tree:
    """One support-team officer (reviewer role, no usable password) for the federation and each
    unit of levels 1–2, created once and reused; answers today's tree of those units."""
    tree = Tree()
    rows = UnitPlacement.objects.filter(valid_on(today()), unit__level__lte=2).values_list(
        "unit_id", "parent_id", "path", "unit__level", "unit__name", "unit__code"
    )
    codes = {}
    for unit_id, parent_id, path, level, name, code in rows:
        tree.level[unit_id], tree.parent[unit_id], tree.path[unit_id] = level, parent_id, path
        tree.name[unit_id], codes[unit_id] = name, code
    usernames = {f"{OFFICER_PREFIX}{code.lower()}": unit_id for unit_id, code in codes.items()}
    found = dict(Officer.objects.filter(username__in=usernames).values_list("username", "pk"))
    missing = [
        Officer(
            username=username,
            full_name=f"Tổ hỗ trợ sáng kiến – {tree.name[unit_id]}"[:150],
            password=make_password(None),
        )
        for username, unit_id in usernames.items()
        if username not in found
    ]
    Officer.objects.bulk_create(missing, batch_size=2000)
    found = dict(Officer.objects.filter(username__in=usernames).values_list("username", "pk"))
    Role.objects.bulk_create(
        [
            Role(officer_id=found[username], unit_id=unit_id, kind=RoleKind.REVIEWER)
            for username, unit_id in usernames.items()
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    tree.officer = {unit_id: found[username] for username, unit_id in usernames.items()}
    return tree


def _place(path: str, tree: Tree) -> str:
    """The place a letter or a decision is written at: its province, else the capital."""
    parts = path.strip("/").split("/")
    name = tree.name.get(int(parts[1]), "") if len(parts) > 1 else ""
    for prefix in ("Liên đoàn Lao động tỉnh ", "Liên đoàn Lao động thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return "Hà Nội"


def _instant(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 16), rng.randrange(60)), tzinfo=VN_TZ)


def _signer(rng: random.Random) -> tuple[str, str]:
    return rng.choice(v.SIGNER_TITLES), person(SIGNER_BASE + rng.randrange(10**6), 7).full_name


@dataclass
class Review:
    forwardings: list[tuple] = field(default_factory=list)
    nominations: list[tuple] = field(default_factory=list)
    quotas: list[tuple] = field(default_factory=list)
    scores: list[tuple] = field(default_factory=list)
    awards: list[tuple] = field(default_factory=list)
    consents: list[tuple] = field(default_factory=list)


FORWARDING_COLUMNS = [
    "id", "program_id", "phase_id", "from_unit_id", "to_unit_id", "number", "dated_on",
    "place", "signer_title", "signer_name", "created_by_id", "created_at",
]  # fmt: skip
NOMINATION_COLUMNS = [
    "id", "forwarding_id", "initiative_id", "phase_id", "from_unit_id", "to_unit_id", "rank",
    "state", "sent_back_at", "sent_back_by_id", "sent_back_reason",
]  # fmt: skip
QUOTA_COLUMNS = [
    "id",
    "program_id",
    "phase_id",
    "parent_id",
    "child_id",
    "max_count",
    "set_by_id",
    "set_at",
]
SCORE_COLUMNS = [
    "id",
    "initiative_id",
    "unit_id",
    "reviewer_id",
    "points",
    "total",
    "comment",
    "scored_at",
]
AWARD_COLUMNS = [
    "id", "program_id", "phase_id", "kind", "granting_unit_id", "granting_path", "decision_number",
    "decision_date", "period", "recipient_unit_id", "initiative_id", "recipient_path", "citation",
    "place", "signer_title", "signer_name", "serial", "created_by_id", "created_at",
    "revoked_at", "revoked_by_id", "revoke_reason",
]  # fmt: skip
CONSENT_COLUMNS = ["id", "initiative_id", "wording_version", "given_at", "withdrawn_at"]


def generate(
    *, program, plan: p.Plan, first_id: int, tree: Tree, seed: int, now: datetime
) -> Review:
    """Quotas, forwardings (each unit at most once per phase), nominations, scores, awards."""
    rng = random.Random(seed + 1)
    out = Review()
    ids = {
        m: load.next_id(m) for m in (Forwarding, Nomination, Quota, Score, Award, GalleryConsent)
    }
    criteria = list(Criterion.objects.filter(program=program))
    limit = (now - timedelta(days=1)).astimezone(VN_TZ).date()
    paths = {**tree.path, **{u.id: u.path for u in plan.unions}}
    candidates: dict[tuple[int, int], list[int]] = defaultdict(list)  # (phase, unit) → plan index
    for i in range(plan.n):
        if plan.status[i] == p.ELIGIBLE and not plan.copy_kind[i]:
            candidates[(plan.phase[i], plan.unions[plan.union[i]].id)].append(i)
    ready = {
        i: p.epoch_to_datetime(plan.decided[i]) for items in candidates.values() for i in items
    }
    quotas: dict[tuple[int, int], int] = {}

    def quota(window: p.PhaseWindow, parent: int, child_level: int) -> int:
        if (window.id, parent) not in quotas:
            quotas[(window.id, parent)] = QUOTA[child_level] + rng.choice([0, 0, 0, -1, 2])
            out.quotas.append(
                (ids[Quota] + len(out.quotas), program.pk, window.id, parent, None,
                 quotas[(window.id, parent)], tree.officer.get(parent), window.opens + timedelta(days=20))
            )  # fmt: skip
        return quotas[(window.id, parent)]

    for ph, window in enumerate(plan.phases):
        level_of = {u.id: 3 for u in plan.unions}
        parent_of = {u.id: u.superior_id for u in plan.unions}
        before = {unit: items for (phase, unit), items in candidates.items() if phase == ph}
        while before:  # one round per level, from the grassroots unions up
            received: dict[int, list[int]] = defaultdict(list)
            for unit, items in sorted(before.items()):
                level = level_of.get(unit, tree.level.get(unit))
                parent = parent_of.get(unit, tree.parent.get(unit))
                if parent is None or rng.random() >= SHARE_FORWARDING.get(level, 0):
                    continue
                chosen = rng.sample(
                    items, min(len(items), rng.randint(1, quota(window, parent, level)))
                )
                dated = max(ready[i] for i in chosen).astimezone(VN_TZ).date()
                dated = min(limit, dated + timedelta(days=rng.randint(1, 30)))
                at = _instant(dated, rng)
                # Unions without an account of their own: the superior's support team acts.
                reviewer = tree.officer.get(unit) or tree.officer[parent]
                title, signer = _signer(rng)
                forwarding_id = ids[Forwarding] + len(out.forwardings)
                out.forwardings.append(
                    (forwarding_id, program.pk, window.id, unit, parent,
                     f"{rng.randint(1, 99):02d}/{LETTER_SUFFIX.get(level, 'TTr')}", dated,
                     _place(paths[unit], tree), title, signer, reviewer, at)
                )  # fmt: skip
                for rank, i in enumerate(chosen, start=1):
                    back = level == 3 and rng.random() < SHARE_SENT_BACK
                    out.nominations.append(
                        (ids[Nomination] + len(out.nominations), forwarding_id, first_id + i,
                         window.id, unit, parent, rank,
                         NominationState.SENT_BACK.value if back else NominationState.ACTIVE.value,
                         at + timedelta(days=rng.randint(3, 20)) if back else None,
                         tree.officer.get(parent) if back else None,
                         rng.choice(v.SEND_BACK_REASONS) if back else "")
                    )  # fmt: skip
                    if criteria:
                        points = {
                            c.code: rng.randint(c.max_points // 2, c.max_points) for c in criteria
                        }
                        out.scores.append(
                            (ids[Score] + len(out.scores), first_id + i, unit, reviewer, points,
                             weighted_total(criteria, points), "",
                             at - timedelta(hours=rng.randint(2, 72)))
                        )  # fmt: skip
                    if not back and tree.level.get(parent, 0) > 0:
                        received[parent].append(i)
                        ready[i] = at + timedelta(days=1)
            before = dict(received)
    _awards(
        out, rng, program=program, plan=plan, first_id=first_id, tree=tree, ids=ids, limit=limit
    )
    return out


def _serial(rng: random.Random, taken: set[str]) -> str:
    while True:
        serial = "KT-" + "".join(rng.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH))
        if serial not in taken:
            taken.add(serial)
            return serial


def _awards(out: Review, rng: random.Random, *, program, plan, first_id, tree, ids, limit) -> None:
    """Each reviewing level rewards some of the initiatives nominated to it (the federation its
    final selection); provinces and sectors commend their most active direct-superior unions;
    the federation rewards the leading direct units of phase 1 (seed 003 §V.1)."""
    taken = set(Award.objects.values_list("serial", flat=True))
    consented: set[int] = set()
    phase_ids = [w.id for w in plan.phases]
    received: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    forwarded_at = {f[0]: f[11] for f in out.forwardings}
    for n in out.nominations:
        if n[7] == NominationState.ACTIVE:
            received[n[5]].append((n[2] - first_id, forwarded_at[n[1]]))

    def award(unit, kind, number, decided, *, phase=None, period="", initiative=None, child=None):
        title, signer = _signer(rng)
        created = _instant(min(limit, decided + timedelta(days=rng.randint(1, 5))), rng)
        if initiative is not None:
            recipient_path = plan.unions[plan.union[initiative]].path
            citation = f"Đã có sáng kiến tiêu biểu trong Chương trình “{program.short_name}”."
        else:
            recipient_path = tree.path[child]
            citation = f"Đã có thành tích xuất sắc trong Chương trình “{program.short_name}”."
        out.awards.append(
            (ids[Award] + len(out.awards), program.pk, phase, kind, unit, tree.path[unit], number,
             decided, period, child, None if initiative is None else first_id + initiative,
             recipient_path, citation, _place(tree.path[unit], tree), title, signer,
             _serial(rng, taken), tree.officer[unit], created, None, None, "")
        )  # fmt: skip
        if initiative is not None and initiative not in consented and rng.random() < 0.5:
            consented.add(initiative)
            given = created + timedelta(days=rng.randint(1, 30))
            out.consents.append(
                (ids[GalleryConsent] + len(out.consents), first_id + initiative,
                 GALLERY_CONSENT_VERSION, given, None)
            )  # fmt: skip

    kinds = {0: AwardKind.FINAL, 1: AwardKind.MERIT_CERTIFICATE, 2: AwardKind.COMMENDATION}
    for unit, items in sorted(received.items()):
        level = tree.level[unit]
        if rng.random() > (0.9 if level < 2 else 0.35):
            continue
        chosen = rng.sample(items, max(1, round(len(items) * (0.6 if level == 0 else 0.3))))
        decided = min(
            limit,
            max(at for _i, at in chosen).astimezone(VN_TZ).date()
            + timedelta(days=rng.randint(10, 60)),
        )
        number = f"{rng.randint(1, 999)}/{DECISION_SUFFIX[level]}"
        for i, _at in chosen:
            award(
                unit,
                kinds[level].value,
                number,
                decided,
                initiative=i,
                period="Tổng kết chương trình",
            )
    counted = {p.SUBMITTED, p.NEEDS_INFO, p.ELIGIBLE}
    by_unit: dict[tuple[int, int], int] = defaultdict(int)  # (phase index, unit) → counted
    for i in range(plan.n):
        if plan.status[i] in counted:
            parts = plan.unions[plan.union[i]].path.strip("/").split("/")
            for unit in map(int, parts[1:3]):
                by_unit[(plan.phase[i], unit)] += 1
    last_day = plan.phases[-1].closes.astimezone(VN_TZ).date()
    for unit in sorted(u for u, level in tree.level.items() if level == 1):
        children = [c for c, parent in tree.parent.items() if parent == unit and tree.level[c] == 2]
        best = sorted(
            children, key=lambda c: -sum(by_unit[(ph, c)] for ph in range(len(phase_ids)))
        )
        if not best or rng.random() > 0.8:
            continue
        decided = min(limit, last_day + timedelta(days=rng.randint(20, 60)))
        number = f"{rng.randint(1, 999)}/{DECISION_SUFFIX[1]}"
        for child in best[: rng.randint(1, 3)]:
            award(
                unit,
                AwardKind.MERIT_CERTIFICATE.value,
                number,
                decided,
                child=child,
                period="Tổng kết chương trình",
            )
    federation = next((u for u, level in tree.level.items() if level == 0), None)
    if federation is None or not plan.phases:
        return
    first = plan.phases[0]
    ranked = sorted(
        (u for u, level in tree.level.items() if level == 1), key=lambda u: -by_unit[(0, u)]
    )
    if len(ranked) > program.leaders_awarded:
        cut = by_unit[(0, ranked[program.leaders_awarded - 1])]
        ranked = [u for u in ranked if by_unit[(0, u)] >= cut and by_unit[(0, u)] > 0]
    decided = min(limit, first.closes.astimezone(VN_TZ).date() + timedelta(days=45))
    number = f"{rng.randint(1, 999)}/{DECISION_SUFFIX[0]}"
    period = f"Giai đoạn {first.number}"
    for unit in ranked:
        award(
            federation,
            AwardKind.PHASE.value,
            number,
            decided,
            phase=first.id,
            period=period,
            child=unit,
        )
