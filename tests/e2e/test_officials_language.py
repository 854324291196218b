"""The officials' own language: a writer whose language they do not read gets the letter in
theirs, with their own language's version beside it to read, and no extra tap."""

from __future__ import annotations

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from tests.conftest import Chatter


async def test_a_french_writer_sends_russian_and_reads_french(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Camille", language_code="fr")
    person = Chatter(emulator, someone, someone.id)
    _, card = await person.say("/start", replies=2)
    _, (channels,) = await person.press(card, "Écrire l’appel", replies=1)
    _, (signing,) = await person.press(channels, "E-mail", replies=1)
    _, _ = await person.press(signing, "Mon nom complet", replies=1)
    (personal,) = await person.say("Camille Martin")
    _, (reading, shown, draft) = await person.press(personal, "Passer", replies=3)
    # First the French version, to read: the same letter, expandable, named in French.
    assert "Votre lettre, pour que vous la lisiez" in reading.text
    assert "Monsieur le Président," in reading.text
    assert "Kassym-Jomart Tokaïev" not in reading.text  # a name on a copy line only by post
    assert "Camille Martin" in reading.text
    assert any(e["type"] == "expandable_blockquote" for e in reading.entities)
    # Then the letter that goes, in Russian, which the President's office reads.
    assert "Уважаемый господин Президент!" in shown.text
    assert "Votre e-mail, prêt à partir" in shown.text  # the screens stay in French
    assert draft.document is not None and draft.document.file_name.endswith(".eml")
    # The French letter stays one tap away for a writer who would rather send it.
    assert draft.button("Lettre en français")
    _, (french, _) = await person.press(draft, "Lettre en français", replies=2)
    assert "Monsieur le Président," in french.text
    assert "Уважаемый" not in french.text


async def test_a_writer_whose_language_the_officials_read_gets_no_second_copy(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("Айгуль", language_code="ru")
    person = Chatter(emulator, someone, someone.id)
    _, card = await person.say("/start", replies=2)
    _, (channels,) = await person.press(card, "Написать обращение", replies=1)
    _, (signing,) = await person.press(channels, "Эл. почта", replies=1)
    _, _ = await person.press(signing, "Полное имя", replies=1)
    (personal,) = await person.say("Айгуль Серикова")
    _, (shown, _) = await person.press(personal, "Пропустить", replies=2)
    assert "Уважаемый господин Президент!" in shown.text
