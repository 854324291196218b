"""What a native reader notices first: typography, one form of address, one name for a thing.

Each test reads a whole catalogue, so a string added or changed later is held to it too.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from bot.appeals import Signer, compose_appeal
from bot.catalogue import load_case
from bot.domain.cases import Channel
from bot.rendering import LOCALES_DIR, ROOT, Renderer


def translations(language: str) -> list[tuple[str, str]]:
    """Every (message id, translated form) of a catalogue, each plural form on its own."""
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    pairs: list[tuple[str, str]] = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((str(key), str(form)) for form in forms)
    return pairs


def offending(language: str, pattern: str, flags: int = 0) -> list[str]:
    return [text for _, text in translations(language) if re.search(pattern, text, flags)]


def test_french_keeps_a_no_break_space_before_double_punctuation_and_inside_guillemets() -> None:
    # A plain space lets Telegram start a line with ":" or "»"; French typography forbids both.
    assert offending("fr", r" [:;!?]|« | »") == []
    # And the space is there: "Langue : …", never "Langue: …".
    assert offending("fr", r"[^\s\d/<>][;!?]|[^\s\d/<>a-z]:(?!//)") == []
    assert "Annulé\u00a0:" in " ".join(text for _, text in translations("fr"))


def test_spanish_screens_say_usted_throughout() -> None:
    # Only forms that can be nothing but tú ("envía" is also "he sends", as in "le envía").
    informal = r"\b(tú|tu|tus|ti|contigo|puedes|quieres|elegiste|toca|añade|revísalos)\b"
    assert offending("es", informal, re.IGNORECASE) == []


def test_german_screens_say_sie_and_quote_the_german_way() -> None:
    assert offending("de", r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*)\b", re.IGNORECASE) == []
    # „…“ as German prints them: no English “…” and no guillemets.
    for text in (text for _, text in translations("de")):
        assert text.count("„") == text.count("“"), text
        assert "”" not in text and "«" not in text, text


def test_russian_names_urgent_action_one_way_and_never_says_acted_on_a_case() -> None:
    assert offending("ru", r"действовал|Срочн\w* действ|Urgent Action|\bадмин(а|ов|у|ом)?\b") == []
    assert offending("ru", r"просим от") == []


@pytest.mark.parametrize(
    "command",
    ["start", "help", "forget", "settings", "stop", "privacy", "mydata", "cases", "organizers"],
)
def test_arabic_puts_a_left_to_right_mark_before_every_command(command: str) -> None:
    # Without U+200E the slash of "/help" shows on the wrong side in a right-to-left line.
    for _, text in translations("ar"):
        for found in re.finditer(rf"(?<![\w<])/{command}\b", text):
            before = text[: found.start()].removesuffix("<code>")
            assert before.endswith("\u200e"), text


def test_french_letters_keep_the_same_typography_in_every_variant() -> None:
    case = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    renderer = Renderer()
    for n in range(20):
        appeal = compose_appeal(
            case,
            channel=Channel.POST,
            language="fr",
            signer=Signer(full_name="Camille Martin"),
            personal_line=None,
            today=date(2026, 11, 25),
            variant_seed=f"person-{n}:{case.slug}",
            renderer=renderer,
            writer_country="CA",
        )
        for letter in appeal.letters:
            assert not re.search(r" [:;!?]|« | »", letter.body + letter.subject), letter.body
            assert letter.body.startswith("Le 25 novembre 2026\n")
            assert "Copie\u00a0: " in letter.body or "Copie de mon appel" in letter.body


def test_a_case_file_keeps_its_no_break_spaces_when_it_reflows_a_text() -> None:
    case = load_case(ROOT / "actions" / "kz-zhanbolat-mamay.toml")
    facts = case.text("fr").facts or ""
    assert "25 février 2022\u00a0: il avait" in facts
    assert "2022 : il" not in facts
