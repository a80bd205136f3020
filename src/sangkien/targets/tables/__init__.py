"""Allocation tables (bảng phân bổ chỉ tiêu): what the portal uses of them, and the upload limit."""

from django.conf import settings

from sangkien.targets.tables.numbers import format_number, parse_number
from sangkien.targets.tables.page import applies_to, describe, overview
from sangkien.targets.tables.reading import parse_allocation_xlsx, too_big_message
from sangkien.targets.tables.report import Outcome
from sangkien.targets.tables.rules import (
    AllocationInput,
    AllocationRefused,
    Problem,
    inputs_from_data,
    inputs_of,
    inputs_to_data,
)
from sangkien.targets.tables.service import allocation_replace
from sangkien.targets.tables.writing import allocation_xlsx

# Defined here, not in `reading`, because the upload form and the reader both look it up on the
# package when they run: a setting or a test that lowers `tables.MAX_IMPORT_BYTES` moves both.
MAX_IMPORT_BYTES = getattr(settings, "ALLOCATION_IMPORT_MAX_BYTES", 2 * 1024 * 1024)

__all__ = [
    "MAX_IMPORT_BYTES",
    "AllocationInput",
    "AllocationRefused",
    "Outcome",
    "Problem",
    "allocation_replace",
    "allocation_xlsx",
    "applies_to",
    "describe",
    "format_number",
    "inputs_from_data",
    "inputs_of",
    "inputs_to_data",
    "overview",
    "parse_allocation_xlsx",
    "parse_number",
    "too_big_message",
]
