"""rebuild_numbers, check_numbers and numbers_worker from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sangkien.targets.enums import Dim, Tree
from sangkien.targets.models import Dirty, Tally
from sangkien.targets.queries import figures


def test_check_numbers_finds_a_wrong_tally_and_rebuild_mends_it(
    national, open_program, submit_many
):
    submit_many(national["T01-D018-C001"], 3)
    submit_many(national["T01-D004"], 0)
    call_command("check_numbers", "--all", stdout=StringIO())
    Tally.objects.filter(
        program=open_program, tree=Tree.HISTORICAL, unit=national["T01"], dim=Dim.STATUS
    ).update(n=7)

    with pytest.raises(CommandError, match="differ"):
        call_command("check_numbers", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_numbers", stdout=out)

    assert "initiatives counted: 3" in out.getvalue()
    call_command("check_numbers", "--all", stdout=StringIO())
    assert figures(open_program, national["T01"]).total == 3


def test_numbers_worker_once_folds_what_is_marked(national, open_program, submit_many, settings):
    settings.STATS_FOLD = "worker"
    made = submit_many(national["T01-D018-C001"], 2)  # the fixture folds: mark them again
    Dirty.objects.bulk_create([Dirty(initiative_id=made[0].pk)])
    Tally.objects.all().delete()

    call_command("numbers_worker", "--once", stdout=StringIO())

    assert not Dirty.objects.exists()
    # The contribution of the re-marked one was unchanged, so nothing was re-added: only a
    # rebuild restores tallies deleted behind the fold's back.
    assert figures(open_program, national["TLD"]).total == 0
    call_command("rebuild_numbers", "--today-tree", stdout=StringIO())
    assert figures(open_program, national["TLD"], Tree.TODAY).total == 2
