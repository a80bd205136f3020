"""Inline folding (the default): the figures move as soon as the change is committed, through the
real form and the real office pages, and a failing fold never breaks the request."""

from django.test import Client

from sangkien.accounts.enums import RoleKind
from sangkien.initiatives.models import Initiative
from sangkien.targets import services as numbers
from sangkien.targets.enums import Tree
from sangkien.targets.models import Dirty
from sangkien.targets.queries import figures


def test_a_submission_and_a_decision_are_counted_at_once(
    national, open_program, form_data, make_officer, client_for, django_capture_on_commit_callbacks
):
    url = f"/chuong-trinh/{open_program.code}/nop/"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url, form_data(open_program))
    assert response.status_code == 302
    gia_lam = national["T01-D018"]

    assert not Dirty.objects.exists()
    counted = figures(open_program, gia_lam)
    assert (counted.total, counted.participants, counted.benefit) == (1, 1, 150_000_000)
    assert counted.by_status == {"submitted": 1}

    officer = client_for(make_officer("stanley", "T01-D018-C001", RoleKind.REVIEWER))
    initiative = Initiative.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            f"/office/sang-kien/{initiative.receipt}/xac-minh/",
            {"decision": "not_eligible", "reason_code": "not_new"},
        )
    initiative.refresh_from_db()
    assert initiative.status == "not_eligible"
    after = figures(open_program, national["TLD"], Tree.TODAY)
    assert (after.total, after.participants, after.benefit) == (0, 0, 0)
    assert after.by_status == {"not_eligible": 1}


def test_a_failing_fold_keeps_the_mark_and_the_submission(
    national, open_program, form_data, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("database restarting")

    monkeypatch.setattr(numbers, "_fold_ids", broken)
    url = f"/chuong-trinh/{open_program.code}/nop/"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url, form_data(open_program))

    assert response.status_code == 302
    assert Initiative.objects.count() == 1
    assert Dirty.objects.count() == 1
    monkeypatch.undo()
    numbers.fold()
    assert figures(open_program, national["TLD"]).total == 1
