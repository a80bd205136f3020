"""The rows of generated initiatives, their authors and their status history, built in worker
processes (the CPU-heavy part: texts, fingerprints, Fernet encryption and keyed hashes).

Every value of initiative i is drawn from `random.Random` seeded with (seed, i), so the rows do
not depend on which process builds them or in which chunk, and a copy can rebuild the text of
its original. Rows come out as tuples of Python values in the column order below; on
PostgreSQL a worker also encodes them for COPY (text format) so the parent only passes bytes on.
"""

import base64
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sangkien.common.personal import encrypt, keyed_hash
from sangkien.demo.country import plan as p
from sangkien.demo.country import vocabulary as v
from sangkien.demo.country.fingerprints import Fingerprinter
from sangkien.demo.country.people import PER_INITIATIVE, person
from sangkien.demo.country.texts import Bank, Text, fill, retyped
from sangkien.initiatives.eligibility import credited_position
from sangkien.initiatives.enums import Channel, Exclusion, RecognizedBy
from sangkien.initiatives.receipts import ALPHABET
from sangkien.initiatives.similarity import normalize
from sangkien.programs.models import Program

BANDS = [f"sim_band{band}" for band in range(20)]
INITIATIVE_COLUMNS = [
    "id", "receipt", "program_id", "phase_id", "unit_id", "unit_path", "status", "block",
    "target_group", "kind", "title", "description", "first_applied_on", "recognized_by",
    "recognition_number", "recognition_date", "benefit_vnd", "benefit_text", "drive_link",
    "not_ip_protected", "lawful", "consent_at", "consent_version", "notify_email", "channel",
    "submitted_by_id", "submitted_at", "updated_at", "idempotency_key", "request_hash",
    "content_key", "duplicate_of_id", "search_text", "sim_hash", *BANDS,
]  # fmt: skip
AUTHOR_COLUMNS = [
    "initiative_id", "position", "full_name", "phone_cipher", "phone_hash", "phone_tail",
    "id_kind", "id_cipher", "id_hash", "id_tail", "share", "is_credited",
]  # fmt: skip
HISTORY_COLUMNS = [
    "initiative_id", "from_status", "to_status", "at", "actor_id", "reason_code", "message",
]  # fmt: skip

KIND_WEIGHTS = {
    "giai-phap-ky-thuat": 30,
    "giai-phap-quan-ly": 20,
    "giai-phap-tac-nghiep": 18,
    "ung-dung-tien-bo-ky-thuat": 10,
    "hoat-dong-cong-doan": 8,
    "phong-chong-covid-19": 8,
    "de-tai-nghien-cuu-khoa-hoc": 2,
}
GROUP_WEIGHTS = {  # target groups by the union's block
    "enterprise": {"cong-nhan-doanh-nghiep": 78, "can-bo-cong-doan": 12, "nong-nghiep-nong-thon": 6},
    "administrative": {"can-bo-cong-chuc-co-quan": 45, "vien-chuc-su-nghiep": 40, "can-bo-cong-doan": 12},
    "school": {"vien-chuc-su-nghiep": 85, "can-bo-cong-doan": 12},
    "commune": {"can-bo-cong-chuc-co-quan": 55, "nong-nghiep-nong-thon": 30, "can-bo-cong-doan": 10},
}  # fmt: skip
REASON_WEIGHTS = {
    Exclusion.NOT_NEW: 30,
    Exclusion.NOT_APPLIED: 22,
    Exclusion.NOT_RECOGNISED: 15,
    Exclusion.OTHER: 10,
    Exclusion.DUPLICATE: 6,
    Exclusion.OUTSIDE_WINDOW: 6,
    Exclusion.IP_PROTECTED: 3,
    Exclusion.PUBLIC_ORDER: 1,
}
AUTHOR_COUNTS = [(1, 68), (2, 20), (3, 8), (4, 3), (5, 1)]
SHARE_OFFICE = 0.12  # submitted on the member's behalf by the support team
CHECK_EVERY = 1000  # every N-th text is also fingerprinted the slow way and compared


@dataclass
class Context:
    """What a worker needs, set in the parent before the fork (never pickled)."""

    seed: int
    program: Program
    plan: p.Plan
    phases: list  # programs.Phase rows, in the order of plan.phases
    first_id: int
    bank: Bank
    kinds: list[str]
    groups: list[str]
    blocks: list[str]  # the programme's block options: [enterprise's, the others']
    officers: dict[int, int]  # direct-superior union id → its officer's id
    taken_receipts: set[str]
    consent_version: str
    encode: bool  # True: COPY text (PostgreSQL); False: tuples (SQLite)


_ctx: Context | None = None
_fp: Fingerprinter | None = None


def install(context: Context, fingerprinter: Fingerprinter | None = None) -> None:
    global _ctx, _fp
    _ctx, _fp = context, fingerprinter or Fingerprinter()
    _choices.clear()


_choices: dict[tuple, tuple[list[str], list[float]]] = {}


def _weighted(rng: random.Random, name: tuple, weights: dict, allowed: list[str]) -> str:
    """One of `allowed` by `weights` (2 for a code without one); the lists are made once."""
    found = _choices.get(name)
    if found is None:
        running, cumulative = 0.0, []
        for code in allowed:
            running += weights.get(code, 2)
            cumulative.append(running)
        found = _choices[name] = (allowed, cumulative)
    return rng.choices(found[0], cum_weights=found[1])[0]


def _attributes(i: int) -> tuple[random.Random, str, str, str, Text]:
    """(rng, kind, target group, topic, text) of initiative i, the same wherever it is asked."""
    ctx = _ctx
    rng = random.Random(ctx.seed * 10_000_019 + i)
    union = ctx.plan.unions[ctx.plan.union[i]]
    number = ctx.plan.phases[ctx.plan.phase[i]].number
    weights = KIND_WEIGHTS if number != 1 else {**KIND_WEIGHTS, "phong-chong-covid-19": 20}
    kind = _weighted(rng, ("kind", number == 1), weights, ctx.kinds)
    group = _weighted(rng, ("group", union.block), GROUP_WEIGHTS.get(union.block, {}), ctx.groups)
    if kind == "hoat-dong-cong-doan" and "can-bo-cong-doan" in ctx.groups and rng.random() < 0.7:
        group = "can-bo-cong-doan"
    topics = v.KIND_TOPICS.get(kind) or v.BLOCK_TOPICS.get(
        union.block, v.BLOCK_TOPICS["enterprise"]
    )
    topic = rng.choice(topics)
    text = ctx.bank.compose(rng, topic, research=kind in ctx.program.research_kinds)
    return rng, kind, group, topic, text


def receipt_for(number: int, seed: int) -> str:
    """8 symbols of the receipts' alphabet from a 40-bit Feistel permutation of `number`:
    unique for distinct numbers, random-looking like the receipts the portal draws."""
    left, right = number >> 20, number & 0xFFFFF
    for key in (seed * 7 + 1, seed * 13 + 5, seed * 29 + 11, seed * 31 + 17):
        mixed = ((right * 0x9E3779B1 + key) ^ (right >> 7)) * 0x85EBCA6B
        left, right = right, left ^ ((mixed >> 11) & 0xFFFFF)
    value = (left << 20) | right
    return "".join(ALPHABET[(value >> (35 - 5 * k)) & 31] for k in range(8))


def _shares(rng: random.Random, n: int) -> list[Decimal]:
    if n == 1:
        return [Decimal(100)]
    if n == 3 and rng.random() < 0.1:
        return [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    if rng.random() < 0.25:
        equal = [100 // n] * n
        equal[0] += 100 - sum(equal)
        return [Decimal(s) for s in equal]
    lead = rng.randint(100 // n + 1, min(80, 100 - 5 * (n - 1)))
    rest = [5] * (n - 1)
    for _ in range(100 - lead - 5 * (n - 1)):
        rest[rng.randrange(n - 1)] += 1
    shares = [lead, *rest]
    if rng.random() < 0.12:  # a co-author did more than the one who submits
        j = rng.randrange(1, n)
        shares[0], shares[j] = shares[j], shares[0]
    return [Decimal(s) for s in shares]


def _authors(rng: random.Random, i: int, initiative_id: int, kind: str) -> list[tuple]:
    ctx = _ctx
    u = ctx.plan.union[i]
    j, count, base = ctx.plan.ordinal[i], ctx.plan.counts[u], ctx.plan.person_base[u]
    lead = j if j == 0 or rng.random() < 0.82 else rng.randrange(j)  # repeat submitters
    numbers = [base + lead]
    n = rng.choices([c for c, _w in AUTHOR_COUNTS], weights=[w for _c, w in AUTHOR_COUNTS])[0]
    for c in range(1, n):
        number = base + count + (PER_INITIATIVE - 1) * j + c - 1
        if j and rng.random() < 0.15:  # a colleague who also submits their own
            number = base + rng.randrange(j)
        numbers.append(number if number not in numbers else base + count + 4 * j + c - 1)
    shares = _shares(rng, n)
    credited = credited_position(ctx.program, kind, shares)
    rows = []
    for position, (number, share) in enumerate(zip(numbers, shares, strict=True)):
        who = person(number, ctx.seed)
        phone = who.phone if position == 0 or rng.random() < 0.55 else ""
        id_number = who.id_number if position == 0 or rng.random() < 0.4 else ""
        rows.append(
            (
                initiative_id, position, who.full_name,
                encrypt(phone), keyed_hash(phone), phone[-3:],
                who.id_kind if id_number else "", encrypt(id_number), keyed_hash(id_number),
                id_number[-3:], share, position == credited,
            )
        )  # fmt: skip
    return rows


def _history(rng, i, initiative_id, kind, copy_kind, on_behalf, officer) -> list[tuple]:
    plan = _ctx.plan
    submitted = p.epoch_to_datetime(plan.ts[i], plan.usec[i])
    status = plan.status[i]
    rows = [(initiative_id, "", "submitted", submitted, on_behalf, "", "")]
    asked, answered, decided = plan.asked[i], plan.answered[i], plan.decided[i]
    when = p.epoch_to_datetime
    if status == p.WITHDRAWN:
        rows.append(
            (
                initiative_id,
                "submitted",
                "withdrawn",
                when(decided),
                on_behalf,
                "",
                v.WITHDRAWN_MESSAGE,
            )
        )
        return rows
    if asked:
        message = rng.choice(v.NEEDS_INFO_MESSAGES)
        rows.append((initiative_id, "submitted", "needs_info", when(asked), officer, "", message))
    if answered:
        rows.append(
            (
                initiative_id,
                "needs_info",
                "submitted",
                when(answered),
                on_behalf,
                "",
                v.RESUBMITTED_MESSAGE,
            )
        )
    before = "needs_info" if asked and not answered else "submitted"
    if status == p.ELIGIBLE:
        rows.append((initiative_id, before, "eligible", when(decided), officer, "", ""))
    elif status == p.NOT_ELIGIBLE:
        reasons = dict(REASON_WEIGHTS)
        if kind in _ctx.program.research_kinds:
            reasons[Exclusion.RESEARCH_UNCONFIRMED] = 30
        reason = rng.choices(list(reasons), weights=list(reasons.values()))[0]
        if copy_kind and rng.random() < 0.6:
            reason = Exclusion.DUPLICATE
        message = rng.choice(v.OTHER_REASONS) if reason == Exclusion.OTHER else ""
        rows.append(
            (initiative_id, before, "not_eligible", when(decided), officer, str(reason), message)
        )
    return rows  # fmt: skip


def _dates(rng: random.Random, i: int, submitted_on: date) -> tuple[date, date]:
    plan = _ctx.plan
    phase = _ctx.phases[plan.phase[i]]
    earliest = max(phase.eligible_from, submitted_on - timedelta(days=240))
    latest = min(submitted_on, phase.eligible_to)
    applied = earliest + timedelta(days=int((latest - earliest).days * rng.random() ** 0.7))
    recognised = applied + timedelta(days=rng.randint(0, max(0, (latest - applied).days)))
    return applied, recognised


def build(i: int) -> tuple[tuple, list[tuple], list[tuple]]:
    """The initiative row, its author rows and its history rows."""
    ctx, plan = _ctx, _ctx.plan
    rng, kind, group, topic, text = _attributes(i)
    copy_kind, original = plan.copy_kind[i], plan.copy_of[i]
    if copy_kind:
        _r, kind, group, topic, first = _attributes(original)
        text = retyped(first, rng) if copy_kind == p.RETYPED else ctx.bank.edit(rng, first, topic)
    union = plan.unions[plan.union[i]]
    initiative_id = ctx.first_id + i
    receipt = receipt_for(initiative_id, ctx.seed)
    if receipt in ctx.taken_receipts:  # only rows that were there before can collide
        receipt = receipt_for(initiative_id | 1 << 39, ctx.seed)
    submitted = p.epoch_to_datetime(plan.ts[i], plan.usec[i])
    submitted_on = submitted.astimezone(p.VN_TZ).date()
    officer = ctx.officers.get(union.superior_id)
    on_behalf = officer if rng.random() < SHARE_OFFICE else None
    description = text.description
    key, print_ = _fp.fields(text.title, text.segments)
    if i % CHECK_EVERY == 0:
        _fp.check(text.title, description, text.segments)
    block = ctx.blocks[0] if union.block == "enterprise" else ctx.blocks[-1]
    if rng.random() < 0.03:
        block = rng.choice(ctx.blocks)
    applied, recognised = _dates(rng, i, submitted_on)
    research = kind in ctx.program.research_kinds
    recognized_by = RecognizedBy.HEAD if research or rng.random() < 0.45 else RecognizedBy.COUNCIL
    suffix = rng.choice(
        v.RECOGNITION_SUFFIXES.get(union.block, v.RECOGNITION_SUFFIXES["enterprise"])
    )
    money = rng.random()
    benefit_vnd = None
    if money < 0.7:
        benefit_vnd = max(500_000, int(round(rng.lognormvariate(17.0, 1.3), -5)))
    benefit_text = fill(rng, rng.choice(v.BENEFIT_TEXTS), topic) if money >= 0.55 else ""
    drive = ""
    if rng.random() < 0.07:
        folder = base64.urlsafe_b64encode(rng.getrandbits(200).to_bytes(25, "big")).decode()
        drive = f"https://drive.google.com/drive/folders/{folder[:33]}"
    token = base64.urlsafe_b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()
    authors = _authors(rng, i, initiative_id, kind)
    email = ""
    if rng.random() < 0.06:  # "lan.nguyen85@gmail.com"
        names = normalize(authors[0][2]).split()
        email = f"{names[-1]}.{names[0]}{rng.randint(1, 99)}@gmail.com"
    history = _history(rng, i, initiative_id, kind, copy_kind, on_behalf, officer)
    row = (
        initiative_id, receipt, ctx.program.pk, plan.phases[plan.phase[i]].id, union.id,
        union.path, p.STATUS_NAMES[plan.status[i]], block, group, kind, text.title, description,
        applied, recognized_by.value, f"{rng.randint(1, 350):02d}/{suffix}", recognised,
        benefit_vnd, benefit_text, drive, True, True, submitted, ctx.consent_version, email,
        Channel.OFFICE.value if on_behalf else Channel.WEB.value, on_behalf, submitted,
        history[-1][3], f"web:{token}", "", key,
        ctx.first_id + original if copy_kind == p.RETYPED else None,
        # = similarity.search_text(receipt, title, names), the title's words already folded
        " | ".join([receipt.lower(), _fp.piece(text.title).words, *(normalize(a[2]) for a in authors)]),
        print_["sim_hash"], *(print_[band] for band in BANDS),
    )  # fmt: skip
    return row, authors, history


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


# COPY's text format, by the type of the value.
_COPY = {
    str: _text,
    int: str,
    type(None): lambda _value: "\\N",
    bool: lambda value: "t" if value else "f",
    datetime: datetime.isoformat,
    date: date.isoformat,
    Decimal: str,
}


def copy_lines(rows: list[tuple]) -> bytes:
    encoders = _COPY
    return "".join(
        "\t".join([encoders[type(value)](value) for value in row]) + "\n" for row in rows
    ).encode()


def build_chunk(bounds: tuple[int, int]):
    """Rows of initiatives [start, end): COPY bytes per table, or tuples, and the row counts."""
    initiatives, authors, history = [], [], []
    for i in range(*bounds):
        row, people, steps = build(i)
        initiatives.append(row)
        authors.extend(people)
        history.extend(steps)
    counts = (len(initiatives), len(authors), len(history))
    if _ctx.encode:
        return copy_lines(initiatives), copy_lines(authors), copy_lines(history), counts
    return initiatives, authors, history, counts
