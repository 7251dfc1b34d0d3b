"""Serving a task's attachment once someone has been allowed to see it: the task page, the
approval request page and an approver's signed link all answer the same way."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from headway.planning.filetypes import GIF, JPEG, PDF, PNG, WEBP
from headway.planning.models import Attachment


def attachment_response(attachment: Attachment) -> HttpResponseBase:
    """Only images and PDFs open in the browser; everything else downloads; a link
    redirects to where the file is kept."""
    if attachment.is_link:
        return redirect(attachment.url)
    kind = next(
        (k for k in (PNG, JPEG, GIF, WEBP, PDF) if k.content_type == attachment.content_type),
        None,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=kind is None,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    if kind is PDF:
        # PDFs are previewed in a frame on Headway's pages: only those pages may frame them,
        # and the document itself may run nothing of its own.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = (
            "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
        )
    return response
