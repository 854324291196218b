"""Appeals: personal letters to the officials of a case, and the files they travel in."""

from __future__ import annotations

from bot.appeals.compose import (
    PERSONAL_LIMIT,
    Appeal,
    Letter,
    PersonalLineError,
    Signer,
    available_languages,
    clean_personal_line,
    compose_appeal,
    salutation,
)
from bot.appeals.files import email_file, fax_file, post_file

__all__ = [
    "PERSONAL_LIMIT",
    "Appeal",
    "Letter",
    "PersonalLineError",
    "Signer",
    "available_languages",
    "clean_personal_line",
    "compose_appeal",
    "email_file",
    "fax_file",
    "post_file",
    "salutation",
]
