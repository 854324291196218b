"""Letters a native speaker would sign: officials named in the letter's own language and
script, sign-offs that repeat the salutation, signatures joined by the letter's comma."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.appeals import (
    Appeal,
    Signer,
    available_languages,
    compose_appeal,
    fax_file,
    post_file,
)
from bot.catalogue import load_case
from bot.domain.cases import Channel, Target, TargetRole, UrgentAction
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"
LATIN = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def case() -> UrgentAction:
    return load_case(SEED)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def compose(
    case: UrgentAction,
    renderer: Renderer,
    channel: Channel,
    language: str,
    seed: str = "person-1",
    signer: Signer | None = None,
) -> Appeal:
    return compose_appeal(
        case,
        channel=channel,
        language=language,
        signer=signer or Signer(full_name="Anna Petrova"),
        personal_line=None,
        today=date(2026, 11, 25),
        variant_seed=seed,
        renderer=renderer,
        writer_country="CA",
    )


def letter_languages(case: UrgentAction, renderer: Renderer) -> list[str]:
    return [lang for lang in available_languages(case, renderer) if lang in case.texts]


def written_in_own_script(case: UrgentAction, language: str) -> bool:
    """Whether the case names every official and person in `language` without Latin letters."""
    names = [t.name_in(language) for t in case.targets] + [
        p.name_in(language) for p in case.people
    ]
    return not any(LATIN.search(name) for name in names)


def test_the_shipped_case_names_its_officials_in_every_language_it_ships(
    case: UrgentAction, renderer: Renderer
) -> None:
    for language in letter_languages(case, renderer):
        if language == case.original_language:
            continue
        for target in case.targets:
            assert language in target.names, (target.name, language)
            if target.organisation:
                assert language in target.organisations, (target.organisation, language)


@pytest.mark.parametrize("channel", list(Channel))
def test_no_official_keeps_the_original_name_where_the_case_gives_the_languages(
    case: UrgentAction, renderer: Renderer, channel: Channel
) -> None:
    for language in letter_languages(case, renderer):
        appeal = compose(case, renderer, channel, language)
        postal = {line for t in case.targets for line in t.address}
        for letter in appeal.letters:
            for target in case.targets:
                # A copy line names an official by name and title ("…, ambassadeur de la
                # République du Kazakhstan au Canada"); the organisation is on their address.
                for given, original, named in (
                    (target.names, target.name, True),
                    (target.organisations, target.organisation, letter.recipient == target),
                ):
                    local = given.get(language)
                    # Russian's address block names the official in the dative instead.
                    addressee = target.addressee_in(language) or local or ""
                    if original and local and local != original:
                        assert original not in letter.body, (language, channel, original)
                        assert (
                            local in letter.body
                            or (named and addressee in letter.body)
                            or channel is Channel.EMAIL
                            or not named
                        )
            if written_in_own_script(case, language):
                # Apart from the address as the post needs it and the signature, no Latin word.
                lines = [
                    line
                    for line in letter.body.splitlines()
                    if line not in postal and line != letter.signer.signature
                ]
                found = [w for line in lines for w in LATIN.findall(line)]
                assert not found, (language, channel, found)


def test_fax_covers_and_envelopes_name_the_official_in_the_letters_language(
    case: UrgentAction, renderer: Renderer
) -> None:
    appeal = compose(case, renderer, Channel.POST, "ru")
    page = post_file(appeal, renderer).decode("utf-8")
    labels = re.findall(r'<div class="label">(.*?)</div>', page, flags=re.S)
    # Russian: the addressee in the dative, title first, as the case gives it.
    assert "Президенту Республики Казахстан К.-Ж. К. Токаеву<br>" in labels[0]
    assert "Посольство Республики Казахстан в Канаде<br>" in labels[1]
    assert "Government House<br>" in labels[0]  # the address stays as the post needs it
    assert "Kassym" not in page and "Embassy of" not in page
    # "Кому" asks for the dative: the cover names him as the address block does.
    (president, _) = compose(case, renderer, Channel.FAX, "ru").letters
    cover = fax_file(president, renderer).decode("utf-8")
    to = re.findall(r"<tr><th>[^<]+</th><td>(.*?)</td></tr>", cover)[0]
    assert to == "Президенту Республики Казахстан К.-Ж. К. Токаеву"
    for letter in compose(case, renderer, Channel.FAX, "ar").letters:
        cover = fax_file(letter, renderer).decode("utf-8")
        to = re.findall(r"<tr><th>[^<]+</th><td>(.*?)</td></tr>", cover)[0]
        assert not LATIN.search(re.sub(r"<[^>]+>", " ", to)), to


def test_a_language_without_its_own_name_keeps_the_original(case: UrgentAction) -> None:
    president, embassy = case.targets
    assert president.name_in("kk") == "Kassym-Jomart Tokayev"
    assert embassy.organisation_in("kk") == "Embassy of the Republic of Kazakhstan"
    assert president.name_in("ru") == "Касым-Жомарт Токаев"


def test_the_french_sign_off_repeats_the_salutation(
    case: UrgentAction, renderer: Renderer
) -> None:
    sign_offs: set[str] = set()
    for n in range(24):
        to_president, to_embassy = compose(case, renderer, Channel.POST, "fr", f"p{n}").letters
        for letter, addressed in (
            (to_president, "Monsieur le Président"),
            (to_embassy, "Monsieur l’Ambassadeur"),  # his title: ambassadeur
        ):
            # The letter's own text, up to the room left to sign by hand.
            paragraphs = letter.body.split("\n\n\n")[0].split("\n\n")
            assert f"{addressed}," in paragraphs
            sign_off = paragraphs[-1]
            assert f", {addressed}, " in sign_off, sign_off
            assert sign_off.endswith("considération.")
            sign_offs.add(sign_off.replace(addressed, "…"))
    # Every variant was seen, and none is a casual closing fit only for a friend.
    assert len(sign_offs) >= 3
    assert not any("salutations" in s for s in sign_offs)


@pytest.mark.parametrize(
    ("language", "signed"), [("ar", "أ. ك.، ليون"), ("en", "A. K., Lyon"), ("ru", "A. K., Lyon")]
)
def test_initials_and_city_are_joined_by_the_letters_comma(
    case: UrgentAction, renderer: Renderer, language: str, signed: str
) -> None:
    signer = (
        Signer(initials="أ. ك.", city="ليون")
        if language == "ar"
        else Signer(initials="A. K.", city="Lyon")
    )
    (letter,) = compose(case, renderer, Channel.EMAIL, language, signer=signer).letters
    assert letter.body.endswith(signed)


def test_the_arabic_fax_cover_is_signed_as_the_letter_is(
    case: UrgentAction, renderer: Renderer
) -> None:
    signer = Signer(initials="أ. ك.", city="ليون")
    for letter in compose(case, renderer, Channel.FAX, "ar", signer=signer).letters:
        cover = fax_file(letter, renderer).decode("utf-8")
        rows = re.findall(r"<tr><th>[^<]+</th><td>(.*?)</td></tr>", cover)
        assert "أ. ك.، ليون" in rows  # the "From" row, with the Arabic comma
        assert "أ. ك., ليون" not in cover


# Each language's copy line, as its letter writers set a title after a name: French, Spanish
# and Russian in lower case (Russian keeps the head of state's capital, as its official texts
# do), German with its nouns capitalised, English as an address line, Arabic without case.
COPY_LINES = {
    "en": "Copy: His Excellency Akylbek Kamaldinov, Ambassador, Embassy of the Republic of "
    "Kazakhstan",
    "fr": "Copie\u00a0: Son Excellence M. Akylbek Kamaldinov, ambassadeur de la République du "
    "Kazakhstan au Canada",
    "es": "Copia: Excmo. Sr. Akylbek Kamaldinov, embajador de la República de Kazajistán en "
    "Canadá",
    "ru": "Копия: Его Превосходительство г-н Акылбек Камалдинов, посол Республики Казахстан в "
    "Канаде",
    "de": "Kopie an: S. E. Herrn Akylbek Kamaldinow, Botschafter der Republik Kasachstan in "
    "Kanada",
    "ar": "نسخة إلى: سعادة السيد أكيلبيك كمالدينوف، سفير جمهورية كازاخستان لدى كندا",
}
# The president after his name in the copy note of the embassy's letter.
COPY_NOTES = {
    "fr": "Kassym-Jomart Tokaïev, président de la République du Kazakhstan",
    "es": "Kasim-Yomart Tokáyev, presidente de la República de Kazajistán",
    "ru": "Касым-Жомарт Токаев, Президент Республики Казахстан",
    "de": "Kassym-Schomart Tokajew, Präsident der Republik Kasachstan",
}
# The ambassador's title at the head of its address line, on the letter and the envelope.
ADDRESS_LINES = {
    "fr": "Ambassadeur de la République du Kazakhstan au Canada",
    "es": "Embajador de la República de Kazajistán en Canadá",
    # Russian: the addressee's line the case gives, in the dative.
    "ru": "Его Превосходительству г-ну Акылбеку Камалдинову, послу Республики Казахстан в Канаде",
    "de": "Botschafter der Republik Kasachstan in Kanada",
}


@pytest.mark.parametrize("language", sorted(COPY_LINES))
def test_titles_are_written_as_each_language_writes_them_after_a_name(
    case: UrgentAction, renderer: Renderer, language: str
) -> None:
    appeal = compose(case, renderer, Channel.POST, language)
    president, ambassador = appeal.letters
    assert president.body.rstrip().endswith(COPY_LINES[language])
    if language in COPY_NOTES:
        note = ambassador.body.split("----------")[0]  # the note, not the copy below it
        assert COPY_NOTES[language] in note
    if language in ADDRESS_LINES:
        assert f"\n{ADDRESS_LINES[language]}\n" in ambassador.body
        envelope = post_file(appeal, renderer).decode("utf-8").rsplit('<div class="label">', 1)
        assert f"\n{ADDRESS_LINES[language]}<br>" in envelope[1]


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("fr", "Monsieur l’Ambassadeur,"),
        ("de", "Sehr geehrter Herr Botschafter,"),
        ("es", "Señor embajador:"),
        ("ru", "Ваше Превосходительство!"),
    ],
)
def test_the_embassys_copy_greets_the_ambassador_as_the_language_does(
    case: UrgentAction, renderer: Renderer, language: str, greeting: str
) -> None:
    for seed in ("person-1", "person-2", "person-3"):
        _, to_embassy = compose(case, renderer, Channel.POST, language, seed=seed).letters
        note = to_embassy.body.split("----------")[0]
        assert f"\n{greeting}\n" in note
        if language == "fr":
            # French protocol repeats the greeting, with the high regard an ambassador is owed,
            # not the very high one of a head of state.
            assert re.search(r"Monsieur l’Ambassadeur, [^.]* de ma haute considération\.", note)


@pytest.mark.parametrize(
    ("language", "name", "title", "greeting"),
    [
        ("fr", "Son Excellence Mme Jeanne Exemple", "ambassadrice de Norvège",
         "Madame l’Ambassadrice,"),
        ("fr", "Son Excellence Mme Jeanne Exemple", "ambassadeur de Norvège",
         "Madame l’Ambassadrice,"),
        ("de", "I. E. Frau Jeanne Exemple", "Botschafterin Norwegens",
         "Sehr geehrte Frau Botschafterin,"),
        ("es", "Excma. Sra. Jeanne Exemple", "embajadora de Noruega", "Señora embajadora:"),
    ],
)  # fmt: skip
def test_an_ambassador_without_a_salutation_is_greeted_by_her_office(
    case: UrgentAction, renderer: Renderer, language: str, name: str, title: str, greeting: str
) -> None:
    envoy = Target(
        TargetRole.TO,
        "Her Excellency Jeanne Example",
        names={"en": "Her Excellency Jeanne Example", language: name},
        title="Ambassador of Norway",
        titles={"en": "Ambassador of Norway", language: title},
        emails=("embassy@example.no",),
    )
    (letter,) = compose(replace(case, targets=(envoy,)), renderer, Channel.EMAIL, language).letters
    assert letter.body.startswith(greeting + "\n")
