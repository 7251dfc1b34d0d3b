"""What an uploaded file really is, read from its first bytes rather than its name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]
    inline: bool  # safe to show in the browser (images, PDF); others download


PNG = FileKind("image/png", ("png",), True)
JPEG = FileKind("image/jpeg", ("jpg", "jpeg"), True)
GIF = FileKind("image/gif", ("gif",), True)
WEBP = FileKind("image/webp", ("webp",), True)
PDF = FileKind("application/pdf", ("pdf",), True)
OFFICE = {
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), False
    ),
    "xlsx": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), False
    ),
    "pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
        False,
    ),
}
TEXT = FileKind("text/plain", ("txt", "csv", "md"), False)

ALLOWED = "PNG, JPEG, GIF, WebP, PDF, Word, Excel, PowerPoint (docx, xlsx, pptx), TXT, CSV, MD"


def sniff(head: bytes, filename: str) -> FileKind | None:
    """The kind of file `head` (its first bytes) starts, when its name's extension agrees;
    None for anything else (scripts, HTML, SVG, executables, renamed files)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind: FileKind | None = None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = WEBP
    elif head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"PK\x03\x04"):
        kind = OFFICE.get(ext)
    elif _is_text(head):
        kind = TEXT
    if kind is None or ext not in kind.extensions:
        return None
    return kind


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The head may end inside a character; a short tail is allowed to be cut.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    lowered = text.lstrip().lower()
    return not lowered.startswith(("<!doctype html", "<html", "<script", "<svg", "<?xml"))
