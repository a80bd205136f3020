"""What goes into a forwarding's dossier: the database read once, handed to review.dossier."""

from django.db.models import Avg

from sangkien.programs.models import ProgramOption
from sangkien.review.dossier import Dossier, DossierItem
from sangkien.review.models import Forwarding, Score

# Who a letter to a unit is addressed to: the federation's presidium, the standing committee of a
# province, sector or district federation (Điều lệ Công đoàn Việt Nam).
LEADERSHIP = {0: "Đoàn Chủ tịch"}


def _authors(initiative) -> str:
    return ", ".join(
        f"{author.full_name} ({author.share.normalize():f}%)" for author in initiative.authors.all()
    )


def dossier_of(forwarding: Forwarding) -> Dossier:
    """The dossier of a forwarding read with `queries.forwarding_with_items` (3 more queries:
    option labels and the average scores at the forwarding level)."""
    labels = {
        (o.list, o.code): o.name for o in ProgramOption.objects.filter(program=forwarding.program)
    }
    nominations = list(forwarding.nominations.all())
    averages = dict(
        Score.objects.filter(
            unit=forwarding.from_unit, initiative__in=[n.initiative_id for n in nominations]
        )
        .values("initiative")
        .annotate(avg=Avg("total"))
        .values_list("initiative", "avg")
    )
    items = [
        DossierItem(
            rank=n.rank,
            receipt=n.initiative.receipt_display,
            title=n.initiative.title,
            authors=_authors(n.initiative),
            unit_name=n.initiative.unit.name,
            kind=labels.get(("kind", n.initiative.kind), n.initiative.kind),
            target_group=labels.get(
                ("target_group", n.initiative.target_group), n.initiative.target_group
            ),
            first_applied_on=n.initiative.first_applied_on,
            benefit_vnd=n.initiative.benefit_vnd,
            benefit_text=n.initiative.benefit_text,
            summary=n.initiative.description,
            score=averages.get(n.initiative_id),
        )
        for n in nominations
    ]
    return Dossier(
        superior_name=forwarding.to_unit.name,
        issuer_name=forwarding.from_unit.name,
        number=forwarding.number,
        place=forwarding.place,
        dated_on=forwarding.dated_on,
        recipient=f"{LEADERSHIP.get(forwarding.to_unit.level, 'Ban Thường vụ')} {forwarding.to_unit.name}",
        program_name=forwarding.program.name,
        phase_name=forwarding.phase.name,
        signer_title=forwarding.signer_title,
        signer_name=forwarding.signer_name,
        items=items,
    )
