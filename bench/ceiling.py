"""The ceiling of the submit benchmark: a bare view that validates a plain ModelForm of the form's
fields and inserts one row into the same table, behind the same server and middleware (without
CSRF, sessions, encryption, idempotency, eligibility, fingerprints or numbers). Its rows carry
the idempotency key prefix CEILING_KEY so the benchmark deletes them afterwards.
"""

import itertools
import os
import secrets

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sangkien.initiatives.models import Initiative
from sangkien.orgs.models import Unit

CEILING_KEY = "bench-ceiling:"
# Receipts no real one can equal (lower case) and no other worker draws: the process id above
# a counter, 40 bits in 8 base-32 symbols. Random ones collided about once a run.
_counters: dict[int, itertools.count] = {}  # by process id: counted after any fork
_BASE32 = "0123456789abcdefghijklmnopqrstuv"


def _receipt() -> str:
    pid = os.getpid()
    counter = _counters.get(pid)
    if counter is None:
        counter = _counters[pid] = itertools.count((pid & 0x3FFFFF) << 18)
    n = next(counter)
    return "".join(_BASE32[(n >> (5 * k)) & 31] for k in range(7, -1, -1))


class BareForm(forms.ModelForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), to_field_name="code")

    class Meta:
        model = Initiative
        fields = [
            "unit",
            "block",
            "target_group",
            "kind",
            "title",
            "description",
            "first_applied_on",
            "recognized_by",
            "recognition_number",
            "recognition_date",
            "benefit_vnd",
            "benefit_text",
            "drive_link",
            "not_ip_protected",
            "lawful",
            "notify_email",
        ]


def hello(request):
    return HttpResponse("hello")


@csrf_exempt
def bare_insert(request):
    form = BareForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=422, content_type="text/plain")
    row = form.save(commit=False)
    now = timezone.now()
    row.receipt = _receipt()
    row.program_id = int(request.POST["program"])
    row.unit_path = ""
    row.consent_at = now
    row.consent_version = "bench"
    row.channel = "web"
    row.submitted_at = now
    row.idempotency_key = CEILING_KEY + secrets.token_urlsafe(12)
    row.content_key = ""
    row.save()
    return HttpResponse(status=303, headers={"Location": "/"})
