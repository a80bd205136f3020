"""What an uploaded file really is, decided by its content (magic bytes), never by its name."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangkien.programs.enums import AttachmentType

EXTENSIONS = {
    AttachmentType.JPEG: "jpg",
    AttachmentType.PNG: "png",
    AttachmentType.PDF: "pdf",
    AttachmentType.DOCX: "docx",
}


@dataclass(frozen=True)
class Sniffed:
    kind: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[AttachmentType(self.kind)]


def _kind_of(head: bytes, fileobj) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return AttachmentType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentType.PNG
    if head.startswith(b"%PDF-"):
        return AttachmentType.PDF
    if head.startswith(b"PK\x03\x04"):
        # A DOCX is a ZIP holding word/document.xml; any other ZIP (or an .xlsx) is not one.
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return AttachmentType.DOCX
    return None


def sniff(fileobj, *, allowed: list[str], max_bytes: int) -> Sniffed | str:
    """The file's kind, size and SHA-256, or a Vietnamese message saying why it is refused."""
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    if size == 0:
        return _("Tệp rỗng.")
    if size > max_bytes:
        return _("Tệp lớn %(size)s MB, vượt quá giới hạn %(limit)s MB.") % {
            "size": f"{size / 1048576:.1f}".replace(".", ","),
            "limit": max_bytes // 1048576,
        }
    fileobj.seek(0)
    head = fileobj.read(16)
    kind = _kind_of(head, fileobj)
    names = ", ".join(AttachmentType(kind_name).label for kind_name in allowed)
    if kind is None or kind not in allowed:
        return _("Chỉ nhận tệp %(kinds)s; nội dung tệp này không phải loại được nhận.") % {
            "kinds": names
        }
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 16), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return Sniffed(kind=kind, size=size, sha256=digest.hexdigest())
