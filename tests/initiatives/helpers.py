"""Building submissions in tests the way the form does."""

from django.http import QueryDict

from sangkien.initiatives.forms import Submission
from sangkien.initiatives.services import initiative_submit


def as_query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def submission(program, data: dict, **kwargs) -> Submission:
    return Submission(program, as_query(data), None, **kwargs)


def submit(program, data: dict, **kwargs):
    """Validate `data` like the form and store it; answers the initiative."""
    found = submission(program, data)
    assert found.is_valid(), found.errors_by_path()
    initiative, _created = initiative_submit(program=program, data=found.to_input(), **kwargs)
    return initiative
