"""The sheet's words: kinds and blocks as written; children, groups and kinds read back."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from sangkien.common.text import clean_line, fold
from sangkien.orgs.enums import Block
from sangkien.orgs.models import Unit
from sangkien.targets.enums import TargetKind

# What the spreadsheet says, in Vietnamese (the document's language), and what the parser also
# accepts in the interface language.
KIND_WORDS = {
    TargetKind.ABSOLUTE: "Số sáng kiến của đơn vị",
    TargetKind.PER_UNIT: "Số sáng kiến mỗi đơn vị",
    TargetKind.PER_MEMBER: "Số sáng kiến mỗi đoàn viên",
}
BLOCK_WORDS = {
    Block.ENTERPRISE: "Khối doanh nghiệp",
    Block.ADMINISTRATIVE: "Khối hành chính sự nghiệp",
    Block.SCHOOL: "Khối trường học",
    Block.COMMUNE: "Khối xã, phường, thị trấn",
    "": "Các đơn vị còn lại",
}
# How the documents name a block inside a group's label ("Khối HCSN", "152 CĐCS khối doanh
# nghiệp", "Khối xã, thị trấn"), on the folded text with punctuation as spaces.
BLOCK_SYNONYMS: list[tuple[str, re.Pattern[str]]] = [
    (Block.ENTERPRISE, re.compile(r"\b(doanh nghiep|dn)\b")),
    (
        Block.ADMINISTRATIVE,
        re.compile(r"\b(hcsn|hanh chinh|su nghiep|co quan|cq|cqhcsn|ccvc|vien chuc)\b"),
    ),
    (Block.SCHOOL, re.compile(r"\b(truong hoc|giao duc|khoi truong|cac truong)\b")),
    (Block.COMMUNE, re.compile(r"\b(xa|phuong|thi tran)\b")),
]
OTHERS_RE = re.compile(r"\b(con lai|khac|tat ca)\b")
# Abbreviations of union names: "CĐ" = Công đoàn, "CĐCS" = Công đoàn cơ sở.
ABBREVIATIONS = {
    "cd": "cong doan",
    "cdcs": "cong doan co so",
    "cty": "cong ty",
    "ldld": "lien doan lao dong",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_line(str(value))


def _spaced(folded: str) -> str:
    """Folded text with punctuation as single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


def _words(text: str) -> str:
    """Folded, punctuation as spaces: "Khối xã, thị trấn" → "khoi xa thi tran"."""
    return _spaced(fold(text))


def _name_keys(name: str) -> tuple[str, str]:
    """The full key and the key without the leading "công đoàn (cơ sở)" of a union's name."""
    words = " ".join(ABBREVIATIONS.get(word, word) for word in _words(name).split())
    for prefix in ("cong doan co so ", "cong doan "):
        if words.startswith(prefix):
            return words, words[len(prefix) :]
    return words, words


class _Names:
    """The parent's children by name, accents, case and "CĐ"/"CĐCS" ignored."""

    def __init__(self, children: list[Unit]):
        self.full: dict[str, list[Unit]] = {}
        self.short: dict[str, list[Unit]] = {}
        self.codes = {child.code.upper(): child for child in children}
        for child in children:
            full, short = _name_keys(child.name)
            self.full.setdefault(full, []).append(child)
            self.short.setdefault(short, []).append(child)

    def find(self, label: str) -> tuple[Unit | None, bool]:
        """(the child, whether the name is ambiguous)."""
        full, short = _name_keys(label)
        for found in (self.full.get(full), self.short.get(short)):
            if found:
                return (found[0], False) if len(found) == 1 else (None, True)
        return None, False


def _blocks_in(words: str) -> set[str]:
    return {block for block, pattern in BLOCK_SYNONYMS if pattern.search(words)}


def _group_of(label: str, section: str | None) -> tuple[bool, str | None, int | None, str]:
    """Whether a label names a group of children ("Khối HCSN", "152 CĐCS khối doanh nghiệp",
    "Các đơn vị còn lại"), its block, the number of units it declares, or why not."""
    words = _words(label)
    count = None
    match = re.match(r"^(\d+) (.+)$", words)
    if match:
        count, words = int(match.group(1)), match.group(2)
    if count is None and not re.match(r"^(khoi|cac|nhom|con lai)\b", words):
        return False, None, None, ""
    blocks = _blocks_in(words)
    if len(blocks) > 1:
        return True, None, count, _("Tên nhóm nhắc tới nhiều khối; mỗi dòng nhóm chỉ một khối.")
    if blocks:
        return True, blocks.pop(), count, ""
    if section is not None:
        return True, section, count, ""
    if OTHERS_RE.search(words):
        return True, "", count, ""
    return (
        True,
        None,
        count,
        _(
            "Không xác định được khối của nhóm: ghi rõ «khối doanh nghiệp», «khối HCSN», «khối trường học», «khối xã, thị trấn» hoặc «các đơn vị còn lại»."
        ),
    )


def _kind_from(text: str) -> str | None:
    words = _words(text)
    for kind in TargetKind:
        if words in {
            _words(KIND_WORDS[kind]),
            _words(str(kind.label)),
            kind.value.replace("_", " "),
        }:
            return kind.value
    return None


def _applies_from(text: str, names: _Names) -> tuple[Unit | None, str | None]:
    """The "Áp dụng cho" column: a child's code, or a block ("" = the others)."""
    unit = names.codes.get(text.strip().upper())
    if unit is not None:
        return unit, None
    words = _words(text)
    for block, written in BLOCK_WORDS.items():
        label = str(Block(block).label) if block else _("Các đơn vị còn lại")
        if words in {_words(written), _words(label), block or "con lai"}:
            return None, block
    blocks = _blocks_in(words)
    if len(blocks) == 1:
        return None, blocks.pop()
    return None, None
