"""Template tags of awards: the wording of the gallery consent, written once (awards.forms)."""

from django import template

from sangkien.awards.forms import GALLERY_CONSENT_TEXT

register = template.Library()


@register.simple_tag
def gallery_consent_text() -> str:
    return str(GALLERY_CONSENT_TEXT)
