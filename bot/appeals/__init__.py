"""Appeals: personal letters to the officials of a case, and the files they travel in.

No Telegram and no SQL here: `compose_appeal` turns a case, a channel and a signer into
letters; `files` packs them as an .eml draft, a printable letter or a printable fax.
"""

from __future__ import annotations

from bot.appeals.compose import (
    PERSONAL_LIMIT,
    Appeal,
    AppealError,
    LanguageError,
    Letter,
    PersonalLineError,
    Signer,
    SignerError,
    UnreachableError,
    available_languages,
    clean_personal_line,
    compose_appeal,
    officials_read,
)
from bot.appeals.files import (
    EmailParts,
    email_file,
    email_file_name,
    email_message_parts,
    fax_file,
    fax_file_name,
    fax_pages,
    post_file,
    post_file_name,
)

__all__ = [
    "PERSONAL_LIMIT",
    "Appeal",
    "AppealError",
    "EmailParts",
    "LanguageError",
    "Letter",
    "PersonalLineError",
    "Signer",
    "SignerError",
    "UnreachableError",
    "available_languages",
    "clean_personal_line",
    "compose_appeal",
    "email_file",
    "email_file_name",
    "email_message_parts",
    "fax_file",
    "fax_file_name",
    "fax_pages",
    "officials_read",
    "post_file",
    "post_file_name",
]
