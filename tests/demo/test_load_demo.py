"""`make run`'s demo data: the open programme, officers and initiatives, idempotent."""

import pytest

from sangkien.demo.initiatives import DEMO_PHONE
from sangkien.demo.services import load_demo
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.queries import lookup

pytestmark = pytest.mark.django_db


def test_load_demo_twice_makes_eighty_initiatives_once(national, programs):
    first = load_demo(scale=0.001)
    again = load_demo(scale=0.001)

    assert Initiative.objects.count() == 80
    assert [i.pk for i in first["initiatives"]] == [i.pk for i in again["initiatives"]]
    assert {i.program.code for i in first["initiatives"]} == {"demo-01-trieu-sang-kien"}
    assert Initiative.objects.filter(unit__is_demo=True).exists()
    receipt = first["initiatives"][0].receipt
    assert lookup(receipt, DEMO_PHONE).pk == first["initiatives"][0].pk


def test_load_demo_reviews_gia_lams_initiatives_once(national, programs):
    from sangkien.review.models import Complaint, Forwarding, Nomination

    first = load_demo(scale=0.001)
    again = load_demo(scale=0.001)

    assert first["nominations"] > 0 and again["nominations"] == 0
    statuses = set(
        Initiative.objects.filter(unit__code__startswith="T01-D018-C").values_list(
            "status", flat=True
        )
    )
    assert {"eligible", "needs_info"} <= statuses
    to_hanoi = Forwarding.objects.get(from_unit__code="T01-D018")
    assert to_hanoi.to_unit.code == "T01"
    assert Nomination.objects.filter(forwarding=to_hanoi).count() == 2
    assert Complaint.objects.filter(status="open").count() == 1
    from sangkien.awards.queries import gallery

    assert [i.pk for i in gallery()] == [to_hanoi.nominations.get(rank=1).initiative_id]


def test_load_demo_spreads_initiatives_over_days_and_sets_seed_004_targets(national, programs):
    from sangkien.orgs.models import Unit
    from sangkien.targets import services as numbers
    from sangkien.targets.allocation import targets_for
    from sangkien.targets.queries import figures

    made = load_demo(scale=0.001)
    numbers.fold()

    program = made["program"]
    days = {i.submitted_at.date() for i in made["initiatives"]}
    assert len(days) > 5
    gia_lam = Unit.objects.get(code="T01-D018")
    counted = Initiative.objects.filter(
        program=program, unit_path__startswith=f"{gia_lam.placements.get().path}"
    ).exclude(status__in=["withdrawn", "not_eligible"])
    assert figures(program, gia_lam).total == counted.count() > 0
    stanley, commune = (
        Unit.objects.get(code="T01-D018-C001"),
        Unit.objects.get(code="T01-D018-C009"),
    )
    phases = list(program.phases.all())
    found = targets_for(program, [stanley, commune, gia_lam], phases)
    assert found[stanley.pk].by_phase == {1: 400, 2: 300}
    assert found[commune.pk].by_phase == {1: 1, 2: 1}
    assert found[gia_lam.pk].by_phase == {1: 2771, 2: 2571}
    assert made["allocations"] == 13
