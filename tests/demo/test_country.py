"""The generated country (manage.py generate_country) at a tiny scale: counts, every row valid
and consistent with the services' rules, and the maintained numbers equal to a direct count."""

import random
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sangkien.awards.models import Award
from sangkien.awards.rules import initiative_inside, unit_inside
from sangkien.awards.services import NOT_AWARDABLE
from sangkien.common.personal import decrypt, keyed_hash
from sangkien.common.setaside import SetAside
from sangkien.common.timewindows import vn_date
from sangkien.common.vnid import normalize_id_number, normalize_phone
from sangkien.demo.country import SQLITE_LIMIT, CountryError, generate_country, load
from sangkien.demo.country.fingerprints import Fingerprinter
from sangkien.demo.country.texts import Bank, retyped
from sangkien.initiatives.eligibility import Claim, check_claim, check_shares, credited_position
from sangkien.initiatives.enums import Exclusion, Status
from sangkien.initiatives.models import Initiative, StatusChange
from sangkien.initiatives.receipts import parse_receipt
from sangkien.initiatives.services import TRANSITIONS, content_key
from sangkien.initiatives.similarity import (
    fingerprint,
    jaccard,
    original_of,
    search_text,
    shingles,
)
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import placement_on
from sangkien.programs import windows
from sangkien.review import queries as review_queries
from sangkien.review.enums import NominationState
from sangkien.review.models import Forwarding, Nomination
from sangkien.targets import direct
from sangkien.targets.enums import Tree

PROGRAM = "01-trieu-sang-kien"
N = 400


def _generate(**options):
    out, err = StringIO(), StringIO()
    call_command(
        "generate_country",
        "--scale",
        "0.001",
        "--initiatives",
        str(options.pop("n", N)),
        "--seed",
        str(options.pop("seed", 7)),
        *options.pop("flags", []),
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@pytest.fixture
def country(national, programs):
    out, err = _generate()
    return programs[PROGRAM], out, err


def test_generate_country_counts_units_initiatives_and_prints_progress(country):
    program, out, err = country
    demo = Unit.objects.filter(is_demo=True)
    assert demo.filter(level=2).count() == 83  # max(83 direct units, 1,226 × 0.001)
    assert demo.filter(level=3).count() == 127
    assert Initiative.objects.filter(program=program).count() == N
    federation = Unit.objects.get(level=0)
    grassroots = Unit.objects.filter(level=3)
    assert federation.member_count == sum(u.member_count for u in grassroots) > 0
    assert "initiatives  400/400 [" in err
    assert "numbers      400/400 [" in err
    assert "  initiatives            400" in out
    statuses = Counter(Initiative.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert statuses[Status.SUBMITTED] > statuses[Status.ELIGIBLE] > statuses[Status.WITHDRAWN]


def test_generated_initiatives_pass_constraints_and_checks(country):
    program = country[0]
    limit = program.description_max_chars
    receipts = set()
    for initiative in Initiative.objects.filter(program=program).prefetch_related("authors"):
        initiative.full_clean()
        at = initiative.submitted_at
        assert windows.phase_open_at(program, at) == initiative.phase
        assert placement_on(initiative.unit, vn_date(at)).path == initiative.unit_path
        assert initiative.unit.level == 3
        assert parse_receipt(initiative.receipt) == initiative.receipt
        receipts.add(initiative.receipt)
        assert initiative.idempotency_key.startswith("web:")
        assert initiative.consent_at == at
        assert (initiative.channel == "office") == (initiative.submitted_by_id is not None)
        claim = Claim(
            kind=initiative.kind,
            description=initiative.description,
            first_applied_on=initiative.first_applied_on,
            recognized_by=initiative.recognized_by,
            recognition_date=initiative.recognition_date,
            benefit_vnd=initiative.benefit_vnd,
            benefit_text=initiative.benefit_text,
            not_ip_protected=initiative.not_ip_protected,
            lawful=initiative.lawful,
        )
        assert check_claim(program, claim, today=vn_date(at)) == []
        assert 300 < len(initiative.description) <= limit
        assert initiative.content_key == content_key(initiative.title, initiative.description)
        printed = fingerprint(initiative.title, initiative.description).as_fields()
        assert {name: getattr(initiative, name) for name in printed} == printed
        authors = sorted(initiative.authors.all(), key=lambda a: a.position)
        names = [a.full_name for a in authors]
        assert initiative.search_text == search_text(initiative.receipt, initiative.title, names)
        expected = original_of(
            program_id=program.pk, key=initiative.content_key, submitted_at=at, pk=initiative.pk
        )
        assert initiative.duplicate_of_id == expected
        shares = [a.share for a in authors]
        assert check_shares(shares) == []
        credited = credited_position(program, initiative.kind, shares)
        assert [a.is_credited for a in authors] == [p == credited for p in range(len(authors))]
        assert authors[0].phone_cipher and authors[0].id_cipher  # the form requires both
        for author in authors:
            author.full_clean()
            phone, number = decrypt(author.phone_cipher), decrypt(author.id_cipher)
            assert phone == "" or normalize_phone(phone) == phone
            assert author.phone_hash == keyed_hash(phone)
            assert author.phone_tail == phone[-3:]
            if number:
                assert normalize_id_number(number) == (author.id_kind, number)
            assert author.id_hash == keyed_hash(number)
            assert author.id_tail == number[-3:]
    assert len(receipts) == N


def test_generated_people_repeat_with_the_same_identity(country):
    program = country[0]
    rows = Initiative.objects.filter(program=program, authors__position=0).values_list(
        "pk", "unit_id", "authors__id_hash", "authors__full_name"
    )
    seen: dict[str, set] = defaultdict(set)
    initiatives: Counter = Counter()
    for _pk, unit_id, id_hash, name in rows:
        seen[id_hash].add((unit_id, name))
        initiatives[id_hash] += 1
    assert max(initiatives.values()) > 1  # some members submitted more than one
    assert len(initiatives) > N * 0.7  # but most once
    # One ID number is always one person: the same name, in the same union.
    assert all(len(who) == 1 for who in seen.values())


def test_generated_history_follows_the_transitions(country):
    program = country[0]
    steps = defaultdict(list)
    for change in StatusChange.objects.filter(initiative__program=program).order_by("at", "pk"):
        steps[change.initiative_id].append(change)
    for initiative in Initiative.objects.filter(program=program):
        history = steps[initiative.pk]
        assert history[0].from_status == "" and history[0].to_status == Status.SUBMITTED
        assert history[0].at == initiative.submitted_at
        assert history[-1].to_status == initiative.status
        assert initiative.updated_at == history[-1].at
        for before, after in pairwise(history):
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[before.to_status]
            assert after.at > before.at
        for change in history[1:]:
            if change.to_status in (Status.NEEDS_INFO, Status.WITHDRAWN) or (
                change.from_status == Status.NEEDS_INFO and change.to_status == Status.SUBMITTED
            ):
                assert windows.is_open(program, change.at)  # the submitter could still act
            if change.to_status == Status.NOT_ELIGIBLE:
                assert change.reason_code in Exclusion.values
                assert change.message or change.reason_code != Exclusion.OTHER
            if change.to_status == Status.NEEDS_INFO:
                assert change.message


def test_generated_forwardings_respect_quotas_and_what_is_before_each_unit(country):
    program = country[0]
    nominations = list(
        Nomination.objects.filter(forwarding__program=program).select_related(
            "initiative", "forwarding", "from_unit", "to_unit", "phase"
        )
    )
    assert nominations and Forwarding.objects.filter(program=program).exists()
    active = Counter(
        (n.phase_id, n.from_unit_id) for n in nominations if n.state == NominationState.ACTIVE
    )
    for nomination in nominations:
        initiative, unit = nomination.initiative, nomination.from_unit
        assert initiative.status == Status.ELIGIBLE
        assert initiative.phase_id == nomination.phase_id == nomination.forwarding.phase_id
        assert placement_on(unit).parent_id == nomination.to_unit_id
        limit = review_queries.quota_for(
            phase=nomination.phase, unit=unit, parent=nomination.to_unit
        )
        assert limit is not None and active[(nomination.phase_id, unit.pk)] <= limit
        if unit.level == 3:
            assert initiative.unit_id == unit.pk
        else:  # forwarded to it, still active, before it forwarded further
            below = [
                n
                for n in nominations
                if n.initiative_id == initiative.pk
                and n.to_unit_id == unit.pk
                and n.state == NominationState.ACTIVE
            ]
            assert below and below[0].forwarding.created_at < nomination.forwarding.created_at
        decided = initiative.history.get(to_status=Status.ELIGIBLE).at
        assert decided < nomination.forwarding.created_at


def test_generated_awards_go_inside_the_deciding_subtree(country):
    program = country[0]
    awards = list(Award.objects.filter(program=program).select_related("initiative"))
    assert any(a.initiative_id for a in awards) and any(a.recipient_unit_id for a in awards)
    for award in awards:
        award.full_clean()
        assert award.granting_path == placement_on(award.granting_unit).path
        if award.initiative is not None:
            assert award.initiative.status not in NOT_AWARDABLE
            assert initiative_inside(award.initiative, award.granting_path)
            assert award.recipient_path == award.initiative.unit_path
        else:
            assert unit_inside(award.recipient_unit, award.granting_path)


def test_generated_numbers_equal_the_direct_count(country):
    program = country[0]
    held = set(Initiative.objects.filter(program=program).values_list("unit_id", flat=True))
    sample = random.Random(1).sample(sorted(held), 10)
    units = list(Unit.objects.filter(level__lte=1)) + list(Unit.objects.filter(pk__in=sample))
    superiors = {placement_on(unit).parent_id for unit in units if unit.level == 3}
    units += list(Unit.objects.filter(pk__in=superiors))
    for unit in units:
        for which in Tree.values:
            assert direct.maintained_rows(program, which, unit) == direct.direct_rows(
                program, which, unit
            ), (unit.code, which)


def test_generate_country_refuses_a_second_run_without_reset(country):
    program = country[0]
    titles = list(Initiative.objects.order_by("pk").values_list("title", "status"))
    with pytest.raises(CommandError, match=r"đã có 400 sáng kiến\. Chạy lại với --reset"):
        _generate()
    assert Initiative.objects.filter(program=program).count() == N
    _generate(flags=["--reset"])
    again = list(Initiative.objects.order_by("pk").values_list("title", "status"))
    assert again == titles  # the same seed gives the same country
    assert Initiative.objects.filter(program=program).count() == N


def test_near_duplicates_share_content_key_or_most_shingles():
    bank, rng, printer = Bank(3), random.Random(5), Fingerprinter()
    original = bank.compose(rng, "dien")
    typed = retyped(original, rng)
    edited = bank.edit(rng, original, "dien")
    assert typed.title != original.title
    assert printer.fields(typed.title, typed.segments)[0] == content_key(
        original.title, original.description
    )
    same = shingles(f"{original.title}\n{original.description}")
    near = shingles(f"{edited.title}\n{edited.description}")
    assert jaccard(same, near) > 0.5
    other = bank.compose(rng, "dien")
    assert jaccard(same, shingles(f"{other.title}\n{other.description}")) < 0.2
    for text in (original, typed, edited, other):
        printer.check(text.title, text.description, text.segments)


def test_generate_country_refuses_national_size_on_sqlite(national, programs):
    if connection.vendor != "sqlite":
        pytest.skip("the limit is SQLite's")
    with pytest.raises(CountryError, match="PostgreSQL"):
        generate_country(initiatives=SQLITE_LIMIT + 1, stream=StringIO())
    assert not Unit.objects.filter(is_demo=True).exists()


@pytest.mark.postgres
def test_generate_country_recreates_indexes_and_constraints_exactly(national, programs):
    if connection.vendor != "postgresql":
        pytest.skip("COPY and the indexes set aside are PostgreSQL's")
    before = SetAside(load.BIG)
    _generate(n=50)
    after = SetAside(load.BIG)
    assert after.statements() == before.statements()
    assert len(before.indexes) > 30 and before.foreign and before.uniques
    assert Initiative.objects.count() == 50
    assert Decimal(Initiative.objects.first().authors.first().share) > 0
