"""Two officers forwarding at the same instant cannot exceed a quota: the count and the insert run
under a lock on the forwarding unit's row (on PostgreSQL a real row lock; SQLite serialises
writers itself)."""

import threading

import pytest
from django.db import connection

from sangkien.initiatives.enums import Status
from sangkien.review.models import Nomination
from sangkien.review.services import ReviewRefused, forward, quota_set
from tests.review.conftest import letter

ROUNDS = 5


def _race(officers, from_unit, phase, initiatives) -> list[str]:
    barrier = threading.Barrier(len(initiatives))
    outcomes: list[str] = []

    def run(initiative):
        try:
            barrier.wait()
            forward(
                actor=officers["stanley"],
                from_unit=from_unit,
                phase=phase,
                initiatives=[initiative],
                letter=letter(f"{initiative.pk}/TTr"),
            )
            outcomes.append("forwarded")
        except ReviewRefused as refused:
            outcomes.append(refused.message.split(":")[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in initiatives]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_forwardings_at_the_same_instant_cannot_exceed_a_quota_of_one(
    officers, make_initiative, national, phase1
):
    stanley = national["T01-D018-C001"]
    quota_set(actor=officers["gialam"], phase=phase1, parent=national["T01-D018"], max_count=1)

    for round_number in range(ROUNDS):
        pair = [make_initiative(), make_initiative()]
        for initiative in pair:
            initiative.status = Status.ELIGIBLE
            initiative.save(update_fields=["status"])

        outcomes = _race(officers, stanley, phase1, pair)

        assert outcomes == ["Vượt số lượng đề cử", "forwarded"], round_number
        assert Nomination.objects.filter(from_unit=stanley, state="active").count() == 1
        # Free the quota for the next round, the way a parent does: send the nomination back.
        Nomination.objects.filter(from_unit=stanley, state="active").update(state="sent_back")
