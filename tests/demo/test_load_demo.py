"""`make run`'s demo data: the open programme, officers and initiatives, idempotent."""

import pytest

from sangkien.demo.initiatives import DEMO_PHONE
from sangkien.demo.services import load_demo
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.queries import lookup

pytestmark = pytest.mark.django_db


def test_load_demo_twice_makes_forty_initiatives_once(national, programs):
    first = load_demo(scale=0.001)
    again = load_demo(scale=0.001)

    assert Initiative.objects.count() == 40
    assert [i.pk for i in first["initiatives"]] == [i.pk for i in again["initiatives"]]
    assert {i.program.code for i in first["initiatives"]} == {"demo-01-trieu-sang-kien"}
    assert Initiative.objects.filter(unit__is_demo=True).exists()
    receipt = first["initiatives"][0].receipt
    assert lookup(receipt, DEMO_PHONE).pk == first["initiatives"][0].pk
