"""Signing with initials and city as the Arabic screen shows it: with the Arabic comma «،»."""

from __future__ import annotations

import re

from bot.context import UrgentActionApp
from bot.emulator import TelegramEmulator
from bot.rendering import Renderer
from tests.conftest import Chatter


async def test_the_arabic_example_signature_is_accepted_and_signs_the_letter(
    bot: UrgentActionApp, emulator: TelegramEmulator
) -> None:
    someone = emulator.create_person("ليلى", language_code="ar")
    person = Chatter(emulator, someone, someone.id)
    _, card = await person.say("/start", replies=2)
    _, (channels,) = await person.press(card, "اكتب المناشدة", replies=1)
    _, (signing,) = await person.press(channels, "البريد الإلكتروني", replies=1)
    _, (prompt,) = await person.press(signing, "الأحرف الأولى والمدينة", replies=1)
    # The person types exactly the example the screen shows, as an Arabic keyboard writes it.
    screen = Renderer().render("ar", "appeal_type_initials.html")
    (example,) = re.findall(r"<code>(.*?)</code>", screen)
    assert "\u060c" in example and example in prompt.text
    (personal,) = await person.say(example)
    assert "أ. ك." in personal.text  # the next step, not the prompt again
    _, (shown, _) = await person.press(personal, "تخطَّ", replies=2)
    # Signed with the Arabic comma, as typed: never "أ. ك., ليون".
    assert "أ. ك.، ليون" in shown.text
    assert "أ. ك., ليون" not in shown.text
