"""What a native reader of the newer screens would notice: an Arabic label that reads as an
order, a German "their" that reads as the formal "your", English words where German has its
own, a German sheet called two names."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from bot.rendering import LOCALES_DIR

# The screens whose labels name what people did (charts, results, reminder costs).
COUNTS = tuple(
    f"templates/{name}"
    for name in ("charts.txt", "org_results.html", "org_reminder_costs.html", "console/")
)


def entries(language: str) -> list[tuple[str, tuple[str, ...], list[str]]]:
    """(message id, translated forms, the files that use it) for a catalogue."""
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    found = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append((str(key), tuple(str(f) for f in forms), [p for p, _ in message.locations]))
    return found


def test_arabic_labels_of_what_people_did_cannot_read_as_orders() -> None:
    # «تحركوا» alone is both "they acted" and "act!" (so are «أوقفوا», «خططوا», «غادروا» and
    # «انضموا»): a label says «من تحركوا» ("those who acted") or «عدد من تحركوا».
    ambiguous = re.compile(r"^(?:تحر[ّ]?كوا|أوقفوا|خط[ّ]?طوا|غادروا|انضم[ّ]?وا)")
    for key, forms, files in entries("ar"):
        if not any(f.startswith(COUNTS) for f in files):
            continue
        for form in forms:
            plain = re.sub(r"<[^>]+>", "", form)
            segments = re.split(r"[·:،]\s*", plain)
            assert not any(ambiguous.match(s.strip()) for s in segments), (key, form)


def test_german_they_never_reads_as_the_formal_you() -> None:
    # "they follow other themes" as "Sie verfolgen …" at the head of a line reads "you follow";
    # "their allowance" as "Ihr Kontingent", "your allowance".
    for key, forms, _ in entries("de"):
        if re.match(r"(?:they|their|them)\b", key):
            for form in forms:
                assert not re.match(r"(?:Sie|Ihr\w*|Ihnen)\b", form), (key, form)


def test_german_uses_its_own_words_and_one_name_for_a_sheet() -> None:
    # A German section writes "Administrator*innen", "Grenzen", and calls the UA sheet an
    # "Informationsblatt" (locales/de/GLOSSARY.md), never a "Dokument".
    anglicisms = re.compile(r"\bAdmins?\b|\bLimits?\b|\bDokument\w*")
    for key, forms, _ in entries("de"):
        for form in forms:
            assert not anglicisms.search(form), (key, form)
