"""The card tells the subscriber what the authorities are asked ("in their power"), while the
letters ask the official ("in your power"): a case file's `card_asks` beside its `asks`."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.appeals.compose import Signer, compose_appeal
from bot.catalogue import CatalogueError, case_from_mapping, case_to_mapping, load_case
from bot.domain.cases import CaseStatus, Channel, UrgentAction
from bot.rendering import Renderer
from bot.views.cards import case_card
from bot.views.reminders import reminder_screen

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"
EXAMPLE = Path(__file__).parent / "fixtures" / "catalogue" / "no-example.toml"
NOW = datetime(2022, 6, 1, 9, tzinfo=UTC)  # before the shipped case's deadline
RENDERER = Renderer()
# Words by which an ask speaks to the official: on the card, the reader is not the official.
SPEAKS_TO_THE_OFFICIAL = {
    "en": r"\byour?\b",
    "fr": r"\b(?:votre|vos|vous)\b",
    "es": r"\busted(?:es)?\b",
    "ar": r"كم\b",
    "ru": r"\b(?:Ваш\w*|Вы|Вам\w*)\b",
    "de": r"\b(?:Ihnen|Sie|Ihre\w*)\b",
}
HEADING = {
    "en": "What we ask the authorities:",
    "fr": "Ce que nous demandons aux autorités\u00a0:",
    "es": "Lo que pedimos a las autoridades:",
    "ar": "ما نطلبه من السلطات:",
    "ru": "Мы призываем власти:",
    "de": "Wir fordern die Behörden auf:",
}


def shipped() -> UrgentAction:
    return load_case(SEED)


@pytest.mark.parametrize("language", sorted(SPEAKS_TO_THE_OFFICIAL))
def test_the_card_and_the_reminder_say_what_the_authorities_are_asked(language: str) -> None:
    case = shipped()
    text = case.texts[language]
    assert len(text.card_asks) == len(text.asks)
    assert text.card_asks[0] != text.asks[0]  # "in their power", not "in your power"
    assert text.card_asks[0] != text.asks[0]  # "in their power", not "in your power"
    for ask in text.card_asks:
        assert not re.search(SPEAKS_TO_THE_OFFICIAL[language], ask), ask
    card = case_card(
        case, language=language, renderer=RENDERER, now=NOW, acted=0, bot_username="bot"
    ).text
    reminder = reminder_screen(case, language, RENDERER, NOW).text
    heading = HEADING[language]
    for screen in (card, reminder):
        assert f"<b>{heading}</b>\n• {text.card_asks[0]}\n• {text.card_asks[1]}\n" in screen
        for told, written in zip(text.card_asks, text.asks, strict=True):
            assert f"• {told}" in screen
            if written != told:  # the ask that says "your" is shown in the reader's words
                assert f"• {written}\n" not in screen


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_the_letters_keep_the_asks_written_to_the_official(language: str) -> None:
    case = shipped()
    appeal = compose_appeal(
        case,
        channel=Channel.EMAIL,
        language=language,
        signer=Signer(full_name="Anna Example"),
        personal_line=None,
        today=NOW.date(),
        variant_seed="card-asks",
        renderer=RENDERER,
        writer_country=None,
    )
    body = appeal.letters[0].body
    assert case.texts[language].asks[0] in body
    assert case.texts[language].card_asks[0] not in body


def test_without_card_asks_the_card_shows_them_as_what_the_letters_ask() -> None:
    case = shipped()
    texts = {k: dataclasses.replace(t, card_asks=()) for k, t in case.texts.items()}
    bare = dataclasses.replace(case, texts=texts)
    card = case_card(bare, language="en", renderer=RENDERER, now=NOW, acted=0, bot_username="b")
    assert f"<b>What the letters ask:</b>\n• {case.texts['en'].asks[0]}\n" in card.text
    assert "What we ask the authorities" not in card.text
    assert f"• {case.texts['en'].asks[0]}" in card.text
    russian = case_card(bare, language="ru", renderer=RENDERER, now=NOW, acted=0, bot_username="b")
    assert "<b>В письмах мы просим:</b>" in russian.text


def test_card_asks_are_one_for_each_ask_and_survive_the_database(tmp_path: Path) -> None:
    good = EXAMPLE.read_text(encoding="utf-8")
    told = 'card_asks = ["release Kari Example", "protect her from ill-treatment by the police"]\n'
    with_card = good.replace('asks = ["release Kari Example", "protect her from ill-treatment"]\n',
                             'asks = ["release Kari Example", "protect her from ill-treatment"]\n'
                             + told, 1)  # fmt: skip
    assert with_card != good
    path = tmp_path / "no-example.toml"
    path.write_text(with_card, encoding="utf-8")
    case = load_case(path)
    assert case.texts["en"].card_asks[1] == "protect her from ill-treatment by the police"
    assert case.texts["ru"].card_asks == ()
    assert case_from_mapping(case_to_mapping(case)) == case

    path.write_text(with_card.replace(', "protect her from ill-treatment by the police"', ""))
    with pytest.raises(CatalogueError) as caught:
        load_case(path)
    [problem] = [p for p in caught.value.problems if p.field == "text.en.card_asks"]
    assert "has 1 asks, the letters' asks have 2" in problem.message


@pytest.mark.parametrize(
    ("language", "outcome", "said"),
    [
        ("en", "released", "This case is closed.</b> Released."),
        ("fr", "executed", "Ce dossier est clos.</b> Exécuté."),
        ("ru", "sentenced", "Осуждён."),
        ("de", "nfa", "abgeschlossen.</b> Keine weiteren Aktionen nötig."),
    ],
)
def test_a_closed_cases_card_says_its_outcome_in_the_readers_words(
    language: str, outcome: str, said: str
) -> None:
    """Not the case file's key ("released"): the word, agreeing with the person (he)."""
    case = dataclasses.replace(load_case(SEED), status=CaseStatus.CLOSED, outcome=outcome)
    card = case_card(
        case, language=language, renderer=RENDERER, now=NOW, acted=0, bot_username="bot"
    )
    assert said in card.text
    assert not card.text.endswith(f" {outcome}")  # as the card said before
