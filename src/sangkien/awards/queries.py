"""Reads of awards: the office's list, the public gallery and what a certificate prints."""

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from sangkien.accounts import rules as account_rules
from sangkien.awards import rules
from sangkien.awards.certificate import CertificateData
from sangkien.awards.enums import CERTIFICATE_TITLES, DEFAULT_CERTIFICATE_TITLE
from sangkien.awards.models import Award
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Author, Initiative
from sangkien.orgs.enums import Level
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import placement_on
from sangkien.programs.models import Program

AWARDS_PER_PAGE = 50
GALLERY_PER_PAGE = 20


def visible_awards(officer, *, program: Program | None = None, kind: str = "") -> QuerySet[Award]:
    """Awards decided in, or received in, one of the officer's subtrees; newest decision first,
    with everything the list shows joined in (one query a page)."""
    roots = account_rules.visible_roots(officer)
    if not roots:
        return Award.objects.none()
    seen = Q()
    for root in roots:
        seen |= Q(granting_path__startswith=root) | Q(recipient_path__startswith=root)
    awards = Award.objects.filter(seen)
    if program is not None:
        awards = awards.filter(program=program)
    if kind:
        awards = awards.filter(kind=kind)
    return awards.select_related(
        "program", "phase", "granting_unit", "recipient_unit", "initiative", "initiative__unit"
    ).order_by("-decision_date", "-pk")


def award_page(
    officer, *, program: Program | None = None, kind: str = "", page: str | int | None = None
) -> Page:
    """A page of `visible_awards`: a count and one query, whatever the page holds."""
    awards = visible_awards(officer, program=program, kind=kind)
    return Paginator(awards, AWARDS_PER_PAGE).get_page(page)


def visible_award(officer, pk: int) -> Award | None:
    """The award with `pk` if the officer may see it; None answers the same for unknown ones."""
    award = (
        Award.objects.select_related(
            "program",
            "phase",
            "granting_unit",
            "recipient_unit",
            "initiative",
            "initiative__unit",
            "created_by",
            "revoked_by",
        )
        .filter(pk=pk)
        .first()
    )
    if award is None or not rules.may_see_award(officer, award):
        return None
    return award


def gallery(program: Program | None = None) -> QuerySet[Initiative]:
    """Thư viện sáng kiến: awarded initiatives whose authors agreed to be shown, newest award
    first. Each carries `live_awards` and its authors with their names only: the prefetch never
    reads a phone or an ID number, not even encrypted. A page costs three queries and a count."""
    live = (
        Award.objects.filter(revoked_at__isnull=True)
        .select_related("granting_unit")
        .order_by("-decision_date", "-pk")
    )
    newest = live.filter(initiative=OuterRef("pk"))
    names = Author.objects.only("id", "initiative_id", "position", "full_name", "is_credited")
    shown = (
        Initiative.objects.filter(
            Exists(newest),
            gallery_consent__isnull=False,
            gallery_consent__withdrawn_at__isnull=True,
            program__is_published=True,
        )
        .exclude(status=Status.WITHDRAWN)
        .annotate(
            last_award_on=Subquery(newest.values("decision_date")[:1]),
            last_award_id=Subquery(newest.values("pk")[:1]),
        )
    )
    if program is not None:
        shown = shown.filter(program=program)
    return (
        shown.select_related("unit", "program")
        .only(
            "id",
            "title",
            "description",
            "program__code",
            "program__short_name",
            "unit__name",
        )
        .prefetch_related(
            Prefetch("authors", queryset=names.order_by("position")),
            Prefetch("awards", queryset=live, to_attr="live_awards"),
        )
        .order_by("-last_award_on", "-last_award_id")
    )


def gallery_page(program: Program | None = None, page: str | int | None = None) -> Page:
    return Paginator(gallery(program), GALLERY_PER_PAGE).get_page(page)


# --- certificates ---------------------------------------------------------------------------


def issuing_body(unit: Unit) -> str:
    """The body that signs for a level, upper-case as certificates print it.

    The federation and a grassroots union decide through their executive committee (Ban Chấp
    hành); the levels between through their standing committee (Ban Thường vụ).
    """
    if unit.level in (Level.FEDERATION, Level.GRASSROOTS):
        body = _("Ban Chấp hành %(unit)s")
    else:
        body = _("Ban Thường vụ %(unit)s")
    return (body % {"unit": unit.name}).upper()


def certificate_title(kind: str) -> str:
    return str(CERTIFICATE_TITLES.get(kind, DEFAULT_CERTIFICATE_TITLE)).upper()


def _recipients(award: Award) -> list[tuple[str, str]]:
    if award.recipient_unit is not None:
        placement = placement_on(award.recipient_unit)
        parent = placement.parent.name if placement and placement.parent else ""
        return [(award.recipient_unit.name, parent)]
    assert award.initiative is not None
    initiative = award.initiative
    authors = initiative.authors.only("full_name", "position").order_by("position")
    return [(author.full_name, initiative.unit.name) for author in authors]


def certificate_data(award: Award) -> CertificateData:
    """What the certificate of `award` prints: one page for a unit, one per author of an
    initiative. Always in Vietnamese, whatever language the officer reads the office in: it is
    an official document."""
    with translation.override("vi"):
        return CertificateData(
            granting_unit=issuing_body(award.granting_unit),
            kind=certificate_title(award.kind),
            recipients=_recipients(award),
            initiative_title=award.initiative.title if award.initiative else "",
            citation=award.citation,
            decision_number=award.decision_number,
            decision_date=award.decision_date,
            place=award.place,
            signer_title=award.signer_title,
            signer_name=award.signer_name,
            serial=award.serial,
        )
