"""Cells as text, and text reduced to what matters when matching words."""

import unicodedata
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def fold(text) -> str:
    """``text`` reduced to what matters when matching words: full-width characters as their
    ASCII forms, no case, no spaces, no punctuation ("Cold-call", "ＣＯＬＤ ＣＡＬＬ" -> "coldcall")."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(char for char in text if unicodedata.category(char)[0] in "LNS")


def clean_text(value) -> str:
    """A cell as text: trimmed, with Windows line ends made plain, numbers without ".0"."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows it, in every language
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        if value.time() == time.min:
            return value.date().isoformat()
        return value.isoformat(" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_text(value, *, max_length: int | None = None) -> str:
    text = clean_text(value)
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            _("The text is %(length)s characters long; at most %(limit)s fit.")
            % {"length": len(text), "limit": max_length}
        )
    return text
