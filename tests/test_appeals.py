"""Appeals: the letters a person sends, checked against the Urgent Action sheet for each channel
and language, and the files they travel in, opened the way a mail app or a printer would."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.appeals import (
    PERSONAL_LIMIT,
    Appeal,
    LanguageError,
    Letter,
    PersonalLineError,
    Signer,
    SignerError,
    UnreachableError,
    available_languages,
    clean_personal_line,
    compose_appeal,
    email_file,
    email_file_name,
    email_message_parts,
    fax_file,
    fax_file_name,
    officials_read,
    post_file,
    post_file_name,
)
from bot.casing import line_start
from bot.catalogue import load_case
from bot.domain.cases import CaseText, Channel, PersonAtRisk, Target, TargetRole, UrgentAction
from bot.rendering import Renderer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "actions" / "kz-zhanbolat-mamay.toml"
TODAY = date(2026, 11, 25)
# The languages letters are written in, each a whole text by its writer: every language with
# letter templates that the shipped case is written in.
LANGUAGES = tuple(
    lang
    for lang in load_case(SEED).languages
    if (ROOT / "templates" / lang / "letters" / "letter.txt").is_file()
)
ANNA = Signer(full_name="Anna Petrova")
INITIALS = Signer(initials="A. K.", city="Toronto")

# From the sheet: what the President is urged to do, whom to write to, and the copy.
ASK_RELEASE = (
    "take all necessary steps in your power to ensure that Zhanbolat Mamay is released from "
    "detention immediately"
)
ASK_STOP = (
    "put a stop to his unfounded prosecution related to the peaceful exercise of his right to "
    "free expression and freedom of assembly"
)
PRESIDENT_ADDRESS = (
    "Kassym-Jomart Tokayev",
    "President of Kazakhstan",
    "Government House",
    "Mangilik Yel St, 6",
    "Nur-Sultan",
    "Republic of Kazakhstan",
)
EMBASSY_ADDRESS = (
    "His Excellency Akylbek Kamaldinov",
    "Ambassador",
    "Embassy of the Republic of Kazakhstan",
    "150 Metcalfe Street, Suite 701",
    "Ottawa, ON K2P 1P1",
)


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
    language: str = "en",
    *,
    signer: Signer = ANNA,
    personal_line: str | None = None,
    seed: str = "person-1:kz-zhanbolat-mamay",
    country: str | None = "CA",
) -> Appeal:
    # A writer in Canada by default: the sheet was written for them, and copies the embassy.
    return compose_appeal(
        case,
        channel=channel,
        language=language,
        signer=signer,
        personal_line=personal_line,
        today=TODAY,
        variant_seed=seed,
        renderer=renderer,
        writer_country=country,
    )


def paragraphs(letter: Letter) -> list[str]:
    return [p.strip() for p in letter.body.split("\n\n") if p.strip()]


def opening_of(letter: Letter) -> str:
    """The paragraph after the salutation."""
    found = paragraphs(letter)
    salutation = next(i for i, p in enumerate(found) if p.endswith((",", "!")) and len(p) < 60)
    return found[salutation + 1]


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


# --- Email ---------------------------------------------------------------------------------


def test_email_goes_to_the_president_with_the_embassy_in_cc(
    case: UrgentAction, renderer: Renderer
) -> None:
    appeal = compose(case, renderer, Channel.EMAIL)
    (letter,) = appeal.letters
    assert letter.recipient.name == "Kassym-Jomart Tokayev"
    assert letter.to == ("udp@udp-rk.kz",)
    assert letter.cc_emails == ("ottawa@mfa.kz",)
    assert letter.body.startswith("Dear Mr President,\n")
    assert ASK_RELEASE in letter.body
    assert ASK_STOP in letter.body
    asks = next(p for p in paragraphs(letter) if ASK_RELEASE in p)
    assert asks.startswith("I ")  # a first-person appeal
    assert "Zhanbolat Mamay" in opening_of(letter)
    assert "Zhanbolat Mamay" in letter.subject
    assert letter.body.endswith("\nAnna Petrova")
    # A mail app dates an email when it is sent, and the address block belongs on paper.
    assert "2026" not in letter.body
    assert "Government House" not in letter.body


def test_email_in_russian_uses_the_russian_salutation_and_every_ask_whole(
    case: UrgentAction, renderer: Renderer
) -> None:
    (letter,) = compose(case, renderer, Channel.EMAIL, "ru").letters
    assert case.recipients[0].salutation_in("ru") == "Уважаемый господин Президент"
    assert letter.body.startswith("Уважаемый господин Президент!\n")
    assert "чтобы Жанболат Мамай был немедленно освобождён из-под стражи" in letter.body
    for ask in case.text("ru").asks:
        assert ask in letter.body
    assert "Жанболат Мамай" in opening_of(letter)
    assert "Жанболат Мамай" in letter.subject
    assert "Dear" not in letter.body
    assert letter.to == ("udp@udp-rk.kz",)
    assert letter.cc_emails == ("ottawa@mfa.kz",)


def test_the_eml_opens_as_a_utf8_draft_with_to_cc_and_subject(
    case: UrgentAction, renderer: Renderer
) -> None:
    (letter,) = compose(
        case, renderer, Channel.EMAIL, "ru", personal_line="Свободу! «Мамай»"
    ).letters
    raw = email_file(letter)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["To"] == "udp@udp-rk.kz"
    assert parsed["Cc"] == "ottawa@mfa.kz"
    assert parsed["Subject"] == letter.subject
    assert "Жанболат Мамай" in parsed["Subject"]
    assert parsed["X-Unsent"] == "1"
    assert parsed["From"] is None  # the person's own mail account fills it in
    assert parsed["Content-Language"] == "ru"
    assert parsed.get_content_charset() == "utf-8"
    body = parsed.get_content().replace("\r\n", "\n")
    assert body.rstrip("\n") == letter.body
    assert "Свободу! «Мамай»" in body
    assert b"\r\n" in raw  # RFC 5322 line endings
    assert email_file_name(letter) == "appeal-kz-zhanbolat-mamay-president.eml"


def test_email_parts_are_the_strings_the_chat_shows_to_copy(
    case: UrgentAction, renderer: Renderer
) -> None:
    (letter,) = compose(case, renderer, Channel.EMAIL).letters
    parts = email_message_parts(letter)
    assert parts.to == "udp@udp-rk.kz"
    assert parts.cc == "ottawa@mfa.kz"
    assert parts.subject == letter.subject
    assert parts.body == letter.body
    alone = replace(case, targets=case.recipients)
    (uncopied,) = compose(alone, renderer, Channel.EMAIL).letters
    assert email_message_parts(uncopied).cc is None
    assert "Cc" not in email.message_from_bytes(email_file(uncopied), policy=email.policy.default)


# --- Post ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "dated", "president", "excellency", "copy_line"),
    [
        ("en", "25 November 2026", "Dear Mr President,", "Your Excellency,", "Copy: "),
        ("ru", "25 ноября 2026\u202fг.", "Уважаемый господин Президент!",
         "Ваше Превосходительство!", "Копия: "),
    ],
)  # fmt: skip
def test_post_writes_to_the_president_and_sends_the_embassy_a_copy(
    case: UrgentAction,
    renderer: Renderer,
    language: str,
    dated: str,
    president: str,
    excellency: str,
    copy_line: str,
) -> None:
    appeal = compose(case, renderer, Channel.POST, language)
    to_president, to_embassy = appeal.letters
    # Officials' names, titles and embassy in the letter's language, as the case gives them;
    # the postal address as the post needs it.
    # Russian names the addressee in the dative, title first, as the case gives it.
    president_head, embassy_head = {
        "en": (PRESIDENT_ADDRESS[:2], EMBASSY_ADDRESS[:3]),
        "ru": (
            ["Президенту Республики Казахстан К.-Ж. К. Токаеву"],
            [
                "Его Превосходительству г-ну Акылбеку Камалдинову, послу Республики Казахстан"
                " в Канаде",
                "Посольство Республики Казахстан в Канаде",
            ],
        ),
    }[language]
    his_excellency, ambassador, embassy = {
        "en": EMBASSY_ADDRESS[:3],
        "ru": (
            "Его Превосходительство г-н Акылбек Камалдинов",
            "посол Республики Казахстан в Канаде",
            "Посольство Республики Казахстан в Канаде",
        ),
    }[language]
    president_address = [*president_head, *PRESIDENT_ADDRESS[2:]]
    embassy_address = [*embassy_head, *EMBASSY_ADDRESS[3:]]
    assert not to_president.is_copy
    assert to_embassy.is_copy
    assert to_embassy.copy_of == to_president.recipient
    # The appeal: dated, addressed, saluted as the sheet says, the embassy named on a copy line.
    assert to_president.body.startswith(dated + "\n\n" + "\n".join(president_address) + "\n\n")
    assert president in to_president.body
    # The copy line names him with his title, as the language writes it after a name: in
    # Russian in lower case, the organisation then left to the address ("посол … в Канаде").
    copied = {
        "en": f"{his_excellency}, {ambassador}, {embassy}",
        "ru": f"{his_excellency}, {ambassador}",
    }[language]
    assert f"{copy_line}{copied}" in to_president.body
    for ask in case.text(language).asks:
        assert ask in to_president.body
    # The copy: addressed to the embassy, with the appeal itself below, whole.
    assert to_embassy.body.startswith(dated + "\n\n" + "\n".join(embassy_address) + "\n\n")
    assert excellency in to_embassy.body
    assert to_embassy.body.endswith(to_president.body)
    # The note names whom the appeal went to as a copy line does, in the nominative.
    president_named = {
        "en": ", ".join(PRESIDENT_ADDRESS[:2]),
        "ru": "Касым-Жомарт Токаев, Президент Республики Казахстан",
    }[language]
    assert president_named in to_embassy.body.split(dated)[1]


def test_the_post_file_prints_each_letter_then_its_envelope_label(
    case: UrgentAction, renderer: Renderer
) -> None:
    appeal = compose(case, renderer, Channel.POST, personal_line="Free him & <b>now</b>.")
    page = post_file(appeal, renderer).decode("utf-8")
    assert page.startswith("<!doctype html>")
    assert "size: A4" in page
    labels = re.findall(r'<div class="label">(.*?)</div>', page, flags=re.S)
    assert len(labels) == 2
    assert [line.strip() for line in labels[0].split("<br>") if line.strip()] == list(
        PRESIDENT_ADDRESS
    )
    assert [line.strip() for line in labels[1].split("<br>") if line.strip()] == list(
        EMBASSY_ADDRESS
    )
    assert page.count("Envelope label") == 2
    assert "Envelope label (copy)" in page
    # In print order: the appeal, its label, the copy, its label.
    order = [
        page.index("Dear Mr President,"),
        page.index(labels[0]),
        page.index("Your Excellency,"),
        page.index(labels[1]),
    ]
    assert order == sorted(order)
    assert post_file_name(appeal) == "appeal-kz-zhanbolat-mamay-post.html"


def test_the_russian_post_file_is_in_russian(case: UrgentAction, renderer: Renderer) -> None:
    page = post_file(compose(case, renderer, Channel.POST, "ru"), renderer).decode("utf-8")
    assert '<html lang="ru">' in page
    assert page.count("Адрес для конверта") == 2
    assert "Уважаемый господин Президент!" in page
    assert "Envelope" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_envelope_label_names_the_official_as_the_letters_address_block_does(
    case: UrgentAction, renderer: Renderer, language: str
) -> None:
    appeal = compose(case, renderer, Channel.POST, language)
    page = post_file(appeal, renderer).decode("utf-8")
    labels = re.findall(r'<div class="label">(.*?)</div>', page, flags=re.S)
    for letter, label in zip(appeal.letters, labels, strict=True):
        lines = [line.strip() for line in label.split("<br>") if line.strip()]
        # The letter opens with the date, then the address block: the label repeats it.
        address = letter.body.split("\n\n")[1].splitlines()
        assert lines == address
        # The title heads its line, capitalised: "président …" after a name, "Président …" on
        # an address; where the case gives the language's own first line (Russian's dative),
        # that line instead.
        addressee = letter.recipient.addressee_in(language)
        if addressee is not None:
            assert lines[0] == addressee
        else:
            assert line_start(letter.recipient.title_in(language) or "") in lines


# --- Fax -----------------------------------------------------------------------------------


def test_fax_gives_each_official_a_page_with_the_number_in_international_form(
    case: UrgentAction, renderer: Renderer
) -> None:
    to_president, to_embassy = compose(case, renderer, Channel.FAX, signer=INITIALS).letters
    assert to_president.fax == "+7 7172 74 56 31"
    assert to_embassy.fax is not None
    assert to_embassy.fax.startswith("+1 613")
    assert digits(to_embassy.fax) == "16136958755"
    page = fax_file(to_president, renderer).decode("utf-8")
    assert "<h1>FAX</h1>" in page
    assert '<td class="number" dir="ltr">+7 7172 74 56 31</td>' in page
    assert "<tr><th>From</th><td>A. K., Toronto</td></tr>" in page
    assert "<tr><th>Date</th><td>25 November 2026</td></tr>" in page
    assert re.search(r"<tr><th>Pages</th><td>\d+ \(including this one\)</td></tr>", page)
    for line in PRESIDENT_ADDRESS:
        assert line in page
    copy_page = fax_file(to_embassy, renderer).decode("utf-8")
    assert to_embassy.fax in copy_page
    assert "Your Excellency," in copy_page
    assert fax_file_name(to_president) == "appeal-kz-zhanbolat-mamay-president-fax.html"
    assert fax_file_name(to_embassy) == "appeal-kz-zhanbolat-mamay-ambassador-fax.html"


def test_the_russian_fax_cover_is_in_russian(case: UrgentAction, renderer: Renderer) -> None:
    to_president, _ = compose(case, renderer, Channel.FAX, "ru").letters
    page = fax_file(to_president, renderer, "Анна П.").decode("utf-8")
    assert "<h1>ФАКС</h1>" in page
    assert "<tr><th>От кого</th><td>Анна П.</td></tr>" in page
    assert "<tr><th>Дата</th><td>25 ноября 2026\u202fг.</td></tr>" in page
    assert "Уважаемый господин Президент!" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fax_cover_names_the_official_in_the_letters_language(
    case: UrgentAction, renderer: Renderer, language: str
) -> None:
    for letter in compose(case, renderer, Channel.FAX, language).letters:
        page = fax_file(letter, renderer).decode("utf-8")
        to = re.findall(r"<tr><th>[^<]+</th><td>(.*?)</td></tr>", page)[0]
        comma = "، " if language == "ar" else ", "  # Arabic's own comma
        title = letter.recipient.title_in(language)
        named = f"{letter.recipient.name_in(language)}{comma}{title}"
        # Where the case gives the language's own addressee line (Russian), the cover has it.
        assert to.startswith(letter.recipient.addressee_in(language) or named)
        assert f'<td class="number" dir="ltr">{letter.fax}</td>' in page


def _layout(page: str) -> list[str]:
    """A printed page's markup without its words: the tags, in order, and their attributes.
    The line breaks of an envelope label count as one: how many lines an address takes is
    the language's (Russian puts title and name on one)."""
    tags = re.findall(r"<[^>]*>", re.sub(r"<title>.*?</title>", "", page, flags=re.S))
    kept = [tag for tag in tags if not tag.startswith("<html")]
    return [tag for i, tag in enumerate(kept) if tag != "<br>" or kept[i - 1] != "<br>"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_prints_its_letters_on_the_same_page_layout(
    case: UrgentAction, renderer: Renderer, language: str
) -> None:
    """The page (print styles, sheets, cover, envelope labels) is one for all languages: a
    layout fix reaches every language's letters, and only their words differ."""
    english = compose(case, renderer, Channel.POST, "en")
    post = compose(case, renderer, Channel.POST, language)
    # The guide differs by reader, not by letter: each page here is read by an English reader.
    assert _layout(post_file(post, renderer, reader="en").decode("utf-8")) == _layout(
        post_file(english, renderer, reader="en").decode("utf-8")
    )
    ours = compose(case, renderer, Channel.FAX, language).letters
    theirs = compose(case, renderer, Channel.FAX, "en").letters
    for mine, other in zip(ours, theirs, strict=True):
        assert _layout(fax_file(mine, renderer, reader="en").decode("utf-8")) == _layout(
            fax_file(other, renderer, reader="en").decode("utf-8")
        )
    html = post_file(post, renderer).decode("utf-8").split(">", 2)[1]
    assert html == (f'\n<html lang="{language}"' + (' dir="rtl"' if language == "ar" else ""))


def test_a_letter_without_a_fax_number_has_no_fax_file(
    case: UrgentAction, renderer: Renderer
) -> None:
    (letter,) = compose(case, renderer, Channel.EMAIL).letters
    no_fax = replace(letter, recipient=replace(letter.recipient, fax=None))
    with pytest.raises(ValueError, match="no fax number"):
        fax_file(no_fax, renderer)


# --- Signature and the personal line -------------------------------------------------------


def test_initials_and_city_replace_the_name_everywhere(
    case: UrgentAction, renderer: Renderer
) -> None:
    for channel in Channel:
        for letter in compose(case, renderer, channel, signer=INITIALS).letters:
            assert "\nA. K., Toronto" in letter.body
            assert "Anna" not in letter.body
    (signed,) = compose(case, renderer, Channel.EMAIL).letters
    assert signed.body.endswith("\nAnna Petrova")


def test_a_signer_is_a_full_name_or_initials_with_a_city() -> None:
    assert Signer(**INITIALS.to_mapping()) == INITIALS
    assert Signer(**ANNA.to_mapping()) == ANNA
    assert INITIALS.signature == "A. K., Toronto"
    for broken in (
        {},
        {"initials": "A. K."},
        {"city": "Toronto"},
        {"full_name": "Anna Petrova", "city": "Toronto"},
        {"full_name": "Anna\nPetrova"},
        {"full_name": " Anna"},
    ):
        with pytest.raises(SignerError):
            Signer(**broken)


def test_the_personal_line_is_verbatim_in_text_and_escaped_in_html(
    case: UrgentAction, renderer: Renderer
) -> None:
    line = "I stand with Zhanbolat & his family <b>always</b>."
    email_letter = compose(case, renderer, Channel.EMAIL, personal_line=line).letters[0]
    assert f"\n\n{line}\n\n" in email_letter.body
    post = compose(case, renderer, Channel.POST, personal_line=line)
    assert all(line in letter.body for letter in post.letters)
    page = post_file(post, renderer).decode("utf-8")
    assert "I stand with Zhanbolat &amp; his family &lt;b&gt;always&lt;/b&gt;." in page
    assert "<b>always</b>" not in page
    fax = compose(case, renderer, Channel.FAX, personal_line=line).letters[0]
    fax_page = fax_file(fax, renderer).decode("utf-8")
    assert "&lt;b&gt;always&lt;/b&gt;" in fax_page
    assert "<b>always</b>" not in fax_page


def test_the_personal_line_loses_control_characters_only() -> None:
    assert clean_personal_line("Free\x00 him\nnow,\tplease\x1b ") == "Free him now, please"
    assert clean_personal_line("  ") is None
    assert clean_personal_line(None) is None
    assert clean_personal_line("«Свобода»  — now!") == "«Свобода»  — now!"


def test_a_personal_line_over_the_limit_is_refused_not_cut(
    case: UrgentAction, renderer: Renderer
) -> None:
    longest = "x" * (PERSONAL_LIMIT - 1) + "."
    (letter,) = compose(case, renderer, Channel.EMAIL, personal_line=longest).letters
    assert longest in letter.body
    with pytest.raises(PersonalLineError) as refused:
        compose(case, renderer, Channel.EMAIL, personal_line=longest + "!")
    assert refused.value.length == PERSONAL_LIMIT + 1
    assert refused.value.limit == PERSONAL_LIMIT
    assert "nothing was cut" in str(refused.value)


def test_without_a_personal_line_the_letter_goes_from_asks_to_closing(
    case: UrgentAction, renderer: Renderer
) -> None:
    (letter,) = compose(case, renderer, Channel.EMAIL).letters
    found = paragraphs(letter)
    asks = next(i for i, p in enumerate(found) if ASK_RELEASE in p)
    assert found[asks].endswith(ASK_STOP + ".")
    assert len(found) == asks + 3  # the closing, then the sign-off with the signature


# --- Variation -----------------------------------------------------------------------------


def test_the_same_person_gets_the_same_letter_and_people_get_different_ones(
    case: UrgentAction, renderer: Renderer
) -> None:
    first = compose(case, renderer, Channel.POST, seed="person-1")
    assert compose(case, renderer, Channel.POST, seed="person-1") == first
    bodies = {
        compose(case, renderer, Channel.EMAIL, seed=f"person-{n}").letters[0].body
        for n in range(50)
    }
    assert len(bodies) >= 25


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Zhanbolat Mamay"), ("ru", "Жанболат Мамай")]
)
def test_openings_and_closings_vary_across_people_and_always_name_the_person(
    case: UrgentAction, renderer: Renderer, language: str, name: str
) -> None:
    letters = [
        compose(case, renderer, Channel.EMAIL, language, seed=f"person-{n}").letters[0]
        for n in range(50)
    ]
    openings = {opening_of(letter) for letter in letters}
    closings = {paragraphs(letter)[-2] for letter in letters}
    subjects = {letter.subject for letter in letters}
    assert len(openings) >= 3
    assert len(closings) >= 3
    assert len(subjects) >= 2
    assert all(name in opening for opening in openings)
    for letter in letters:
        for ask in case.text(language).asks:
            assert ask in letter.body


# --- Languages and salutations -------------------------------------------------------------


def test_available_languages_put_the_officials_language_first(
    case: UrgentAction, renderer: Renderer
) -> None:
    # The President's office reads Russian, Kazakh and English (no Kazakh letters yet): a
    # writer whose language it reads writes in theirs, any other in Russian, their own second.
    assert officials_read(case) == ("ru", "kk", "en")
    assert available_languages(case, renderer) == ("ru", "en", "fr", "es", "ar", "de")
    assert available_languages(case, renderer, "en") == ("en", "ru", "fr", "es", "ar", "de")
    assert available_languages(case, renderer, "ru") == ("ru", "en", "fr", "es", "ar", "de")
    assert available_languages(case, renderer, "fr") == ("ru", "fr", "en", "es", "ar", "de")
    assert available_languages(case, renderer, "ar") == ("ru", "ar", "en", "fr", "es", "de")
    president, embassy = case.targets
    unknown = replace(case, targets=(replace(president, language=None, languages=()), embassy))
    assert available_languages(unknown, renderer, "fr") == ("fr", "en", "ru", "es", "ar", "de")
    others = ("fr", "es", "ar", "de")
    # Kazakh texts, but no Kazakh letter templates: no letter in Kazakh.
    kazakh = CaseText("Белсендінің қамауы ұзартылды", "Қысқаша.", "Толығырақ.", ("босату",))
    with_kazakh = replace(case, texts={**case.texts, "kk": kazakh})
    assert available_languages(with_kazakh, renderer, "kk") == ("ru", "en", *others)
    with pytest.raises(LanguageError):
        compose(with_kazakh, renderer, Channel.EMAIL, "kk")


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("Minister Example", "en", "Dear Sir or Madam,"),
        ("Minister Example", "ru", "Уважаемые господа!"),
        ("Her Excellency Jane Example", "en", "Your Excellency,"),
        ("Her Excellency Jane Example", "ru", "Ваше Превосходительство!"),
        ("Minister Example", "de", "Sehr geehrte Damen und Herren,"),
        ("Her Excellency Jane Example", "de", "Exzellenz,"),
    ],
)
def test_an_official_without_a_salutation_is_addressed_respectfully(
    case: UrgentAction, renderer: Renderer, name: str, language: str, expected: str
) -> None:
    official = Target(TargetRole.TO, name, title="Minister", emails=("minister@example.gov",))
    (letter,) = compose(
        replace(case, targets=(official,)), renderer, Channel.EMAIL, language
    ).letters
    assert letter.body.startswith(expected + "\n")


def test_a_salutation_given_only_in_english_is_not_used_in_a_russian_letter(
    case: UrgentAction, renderer: Renderer
) -> None:
    president, embassy = case.targets
    english_only = replace(president, salutations={"en": "Dear Mr President"})
    plain = replace(president, salutations={}, salutation="Dear Mr President:")
    for target, language, expected in (
        (english_only, "ru", "Уважаемые господа!"),
        (plain, "en", "Dear Mr President,"),  # the sheet's colon becomes the letter's comma
        (plain, "ru", "Уважаемые господа!"),
    ):
        changed = replace(case, targets=(target, embassy))
        (letter,) = compose(changed, renderer, Channel.EMAIL, language).letters
        assert letter.body.startswith(expected + "\n")


# --- Several people, several asks, unreachable channels ------------------------------------


def test_several_people_and_asks_are_all_named_and_all_asked(
    case: UrgentAction, renderer: Renderer
) -> None:
    people = (
        PersonAtRisk("Zhanbolat Mamay", "he", {"en": "journalist"}, {"ru": "Жанболат Мамай"}),
        PersonAtRisk("Inga Imanbay", "she", {}, {"ru": "Инга Иманбай"}),
    )
    asks_en = ("Release them.", "drop the charges", "protect their families")
    asks_ru = ("освободить их", "снять обвинения", "защитить их семьи")
    texts = {
        "en": replace(case.texts["en"], asks=asks_en, facts=None),
        "ru": replace(case.texts["ru"], asks=asks_ru, facts=None),
    }
    several = replace(case, people=people, texts=texts)
    for n in range(12):
        (english,) = compose(several, renderer, Channel.EMAIL, seed=str(n)).letters
        assert "Zhanbolat Mamay, journalist" in opening_of(english)
        assert "Inga Imanbay" in opening_of(english)
        assert " to release them; to drop the charges; and to protect their families." in (
            english.body
        )
        (russian,) = compose(several, renderer, Channel.EMAIL, "ru", seed=str(n)).letters
        assert "Жанболат Мамай" in opening_of(russian)
        assert "Инга Иманбай" in opening_of(russian)
        assert " освободить их; снять обвинения; а также защитить их семьи." in russian.body
        # One verb for two people: plural.
        assert "находится" not in russian.body
        assert "нуждается" not in russian.body


def test_a_channel_no_official_can_receive_is_refused(
    case: UrgentAction, renderer: Renderer
) -> None:
    president, embassy = case.targets
    no_fax = replace(case, targets=(replace(president, fax=None), embassy))
    with pytest.raises(UnreachableError):
        compose(no_fax, renderer, Channel.FAX)
    # The embassy still gets its copy by email when the President has no fax.
    (letter,) = compose(no_fax, renderer, Channel.EMAIL).letters
    assert letter.cc_emails == ("ottawa@mfa.kz",)


# --- Letters in every language ----------------------------------------------------------------

FRENCH = CaseText(
    "Détention d’un militant prolongée",
    "Zhanbolat Mamay reste détenu jusqu’au 12 juin.",
    "Il est poursuivi pour avoir exprimé pacifiquement ses opinions.",
    (
        "libérer immédiatement Zhanbolat Mamay",
        "abandonner les poursuites infondées engagées contre lui",
    ),
)
SPANISH = CaseText(
    "Prolongan la detención de un activista",
    "Zhanbolat Mamay seguirá detenido hasta el 12 de junio.",
    "Se le procesa por expresar pacíficamente sus opiniones.",
    (
        "poner en libertad de inmediato a Zhanbolat Mamay",
        "poner fin a su procesamiento infundado",
    ),
)


@pytest.fixture(scope="module")
def multilingual(case: UrgentAction) -> UrgentAction:
    """The shipped case, its French and Spanish asks shortened to tell them apart here."""
    return replace(case, texts={**case.texts, "fr": FRENCH, "es": SPANISH})


@pytest.mark.parametrize(
    ("language", "salutation", "asks", "title", "dated", "courtesy"),
    [
        ("fr", "Monsieur le Président,",
         "de libérer immédiatement Zhanbolat Mamay et d’abandonner",
         "Président de la République du Kazakhstan", "Le 25 novembre 2026", "Monsieur "),
        ("es", "Señor Presidente:", "a poner en libertad de inmediato a Zhanbolat Mamay y a poner",
         "Presidente de la República de Kazajistán", "25 de noviembre de 2026", ""),
        ("ar", "فخامة الرئيس،", "الإفراج عن جانبولات ماماي فورًا، ووضع حد",
         "رئيس جمهورية كازاخستان", "25 نوفمبر 2026", ""),
    ],
)  # fmt: skip
def test_letters_in_french_spanish_and_arabic_are_whole_texts_in_that_language(
    multilingual: UrgentAction,
    renderer: Renderer,
    language: str,
    salutation: str,
    asks: str,
    title: str,
    dated: str,
    courtesy: str,
) -> None:
    to_president, to_embassy = compose(multilingual, renderer, Channel.POST, language).letters
    body = to_president.body
    president = multilingual.recipients[0].name_in(language)
    # French puts "Monsieur" before the name of a man it greets "Monsieur le Président".
    assert body.startswith(f"{dated}\n\n{courtesy}{president}\n{title}\n")
    assert salutation in body
    assert asks in body
    assert ANNA.signature in body
    assert not re.search(r"\b(Dear|Yours|appeal|urge)\b", body)
    # The embassy's copy asks it to convey the concern, in the same language, above the appeal.
    assert to_embassy.body.endswith(to_president.body)
    page = post_file(compose(multilingual, renderer, Channel.POST, language), renderer)
    html = page.decode("utf-8")
    assert f'<html lang="{language}"' in html
    assert ('dir="rtl"' in html.split(">", 2)[1]) == (language == "ar")


def test_a_letter_in_another_language_keeps_the_guide_in_the_readers(
    case: UrgentAction, renderer: Renderer
) -> None:
    to_president, _ = compose(case, renderer, Channel.FAX, "en").letters
    page = fax_file(to_president, renderer, reader="ru").decode("utf-8")
    assert "Как отправить этот факс" in page  # the guide, for the Russian reader
    assert "<h1>FAX</h1>" in page and "Dear Mr President," in page  # the fax, in English
    assert 'class="guide" lang="ru" dir="ltr"' in page
    arabic = fax_file(to_president, renderer, reader="ar").decode("utf-8")
    assert 'class="guide" lang="ar" dir="rtl"' in arabic
    assert "كيف ترسل هذا الفاكس" in arabic


def test_a_german_letter_keeps_the_capitals_of_its_nouns(
    case: UrgentAction, renderer: Renderer
) -> None:
    """German writes every noun with a capital: the asks, the title and the salutation keep
    theirs in the letter ("Sehr geehrter Herr Generalstaatsanwalt"), where an English ask's
    first word ("Release ...") is lower-cased to continue "I urge you to"."""
    asks = (
        "Haftbedingungen von Zhanbolat Mamay unverzüglich zu verbessern.",
        "Herrn Mamay freizulassen",
    )
    german = CaseText(title="Aktivist in Haft", summary="...", background="...", asks=asks)
    prosecutor = replace(
        case.targets[0],
        title="Generalstaatsanwalt",
        titles={},
        salutation="Sehr geehrter Herr Generalstaatsanwalt",
        salutations={"de": "Sehr geehrter Herr Generalstaatsanwalt"},
    )
    german_case = replace(
        case, texts={**case.texts, "de": german}, targets=(prosecutor, *case.targets[1:])
    )
    (letter,) = compose(german_case, renderer, Channel.POST, "de", country=None).letters
    assert "Sehr geehrter Herr Generalstaatsanwalt," in letter.body
    assert "\nGeneralstaatsanwalt\n" in letter.body
    assert "Haftbedingungen von Zhanbolat Mamay unverzüglich zu verbessern" in letter.body
    assert "Herrn Mamay freizulassen" in letter.body
    # In English the first word of an ask still continues the sentence in lower case.
    english = replace(german_case, texts={**case.texts, "en": replace(case.texts["en"], asks=(
        "Release Zhanbolat Mamay immediately",
    ))})  # fmt: skip
    (letter,) = compose(english, renderer, Channel.EMAIL, "en", country=None).letters
    assert "to release Zhanbolat Mamay immediately" in letter.body


# Every phrase of every list: a seed picks one of each, so enough seeds reach them all.
SEEDS = tuple(f"person-{n}:kz-zhanbolat-mamay" for n in range(60))


def test_german_letters_are_written_as_german_business_letters(
    case: UrgentAction, renderer: Renderer
) -> None:
    """DIN 5008 and German usage: the date as DD.MM.YYYY, a subject line before the salutation,
    a lower-case word after "Sehr geehrter Herr Präsident,", a closing without a comma, and no
    English phrase left in any variant."""
    openings, sign_offs = set(), set()
    for seed in SEEDS:
        appeal = compose(case, renderer, Channel.POST, "de", seed=seed)
        letter = appeal.letters[0]
        paragraphs = letter.body.split("\n\n")
        assert paragraphs[0] == "25.11.2026"
        # "Herrn" before the name of a man greeted "Sehr geehrter Herr ...".
        assert paragraphs[1].splitlines()[:2] == [
            "Herrn Kassym-Schomart Tokajew",
            "Präsident der Republik Kasachstan",
        ]
        assert paragraphs[2] == letter.subject
        assert paragraphs[3] == "Sehr geehrter Herr Präsident,"
        assert paragraphs[4][0].islower(), paragraphs[4]
        openings.add(paragraphs[4])
        sign_off = letter.body.split("\n\n\n")[0].rsplit("\n\n", 1)[1]
        assert not sign_off.endswith(","), sign_off
        sign_offs.add(sign_off)
        for english in ("I am", "I urge", "Dear", "Yours", "Copy:", "Respectfully", " to "):
            assert english not in letter.body, (english, seed)
        copy = appeal.letters[1]
        # An ambassador is greeted by his office, as German letters do.
        assert "\nSehr geehrter Herr Botschafter,\n\nnachstehend erhalten Sie" in copy.body
        assert "---------- Kopie meines Appells ----------" in copy.body
        assert re.search(r"\nKopie an: [^\n]*, Botschafter", letter.body)
    assert len(openings) == 5
    assert sign_offs == {
        "Mit freundlichen Grüßen",
        "Hochachtungsvoll",
        "Mit vorzüglicher Hochachtung",
    }
    # By email there is no date line: the mail app dates it.
    (email_letter,) = compose(case, renderer, Channel.EMAIL, "de", country=None).letters
    assert email_letter.body.startswith("Sehr geehrter Herr Präsident,\n\n")


@pytest.mark.parametrize(
    ("language", "name", "salutation", "first_line"),
    [
        ("de", "Aigerim Sultanova", "Sehr geehrte Frau Generalstaatsanwältin",
         "Frau Aigerim Sultanova"),
        ("de", "Aigerim Sultanova", "Sehr geehrte Damen und Herren", "Aigerim Sultanova"),
        ("de", "Dr. Frank Herrmann", "Sehr geehrter Herr Dr. Herrmann",
         "Herrn Dr. Frank Herrmann"),
        ("de", "Herrmann Schulz", "Sehr geehrter Herr Minister", "Herrn Herrmann Schulz"),
        ("de", "S. E. Herrn Erlan Abdrakhmanov", "Exzellenz", "S. E. Herrn Erlan Abdrakhmanov"),
        ("fr", "Aigerim Sultanova", "Madame la Procureure générale", "Madame Aigerim Sultanova"),
        ("fr", "Aigerim Sultanova", "Madame, Monsieur", "Aigerim Sultanova"),
        ("fr", "Erlan Abdrakhmanov", "Monsieur le Ministre", "Monsieur Erlan Abdrakhmanov"),
        ("fr", "Son Excellence M. Erlan Abdrakhmanov", "Monsieur l’Ambassadeur",
         "Son Excellence M. Erlan Abdrakhmanov"),
        ("en", "Aigerim Sultanova", "Dear Prosecutor General", "Aigerim Sultanova"),
    ],
)  # fmt: skip
def test_the_address_block_puts_the_courtesy_title_its_language_uses_before_the_name(
    case: UrgentAction,
    renderer: Renderer,
    language: str,
    name: str,
    salutation: str,
    first_line: str,
) -> None:
    """German (DIN 5008: "Herrn", "Frau") and French ("Monsieur", "Madame") name the official
    so on the address block and the envelope when the salutation says which; a name that
    already carries a title, or a salutation that does not say, gets none."""
    official = replace(case.recipients[0], name=name, names={}, salutations={language: salutation})
    alone = replace(case, targets=(official,))
    (letter,) = compose(alone, renderer, Channel.POST, language).letters
    block = letter.body.split("\n\n")[1].splitlines()
    assert block[0] == first_line
    assert f"\n\n{salutation}," in letter.body
    assert letter.address == tuple(block)
    label = re.findall(
        r'<div class="label">(.*?)</div>',
        post_file(compose(alone, renderer, Channel.POST, language), renderer).decode("utf-8"),
        flags=re.S,
    )[0]
    assert label.split("<br>")[0].strip() == first_line


# --- The facts -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("channel", list(Channel))
def test_every_letter_states_the_facts_between_the_opening_and_the_asks(
    case: UrgentAction, renderer: Renderer, channel: Channel, language: str
) -> None:
    facts = case.texts[language].facts
    assert facts is not None
    assert "12" in facts  # the custody's end, as the sheet gives it
    for n in range(5):
        appeal = compose(case, renderer, channel, language, seed=f"person-{n}")
        for letter in appeal.letters:
            appeal_part = letter.body.rsplit("----------\n\n", 1)[-1]
            found = [p.strip() for p in appeal_part.split("\n\n") if p.strip()]
            assert facts in found, letter.body
            opening = found.index(opening_of(replace(letter, body=appeal_part)))
            asks = next(i for i, p in enumerate(found) if case.text(language).asks[0] in p)
            assert opening + 1 == found.index(facts) == asks - 1


def test_a_letter_in_a_language_without_facts_states_none_from_another(
    case: UrgentAction, renderer: Renderer
) -> None:
    english_facts = case.texts["en"].facts
    assert english_facts is not None
    texts = {"en": case.texts["en"], "ru": replace(case.texts["ru"], facts=None)}
    unstated = replace(case, texts=texts)
    (russian,) = compose(unstated, renderer, Channel.EMAIL, "ru").letters
    assert english_facts not in russian.body
    assert "Custody" not in russian.body and "custody" not in russian.body
    found = paragraphs(russian)
    opening = found.index(opening_of(russian))
    assert case.text("ru").asks[0] in found[opening + 1]  # straight from opening to asks
    (english,) = compose(unstated, renderer, Channel.EMAIL, "en").letters
    assert english_facts in english.body


# --- The writer's country ------------------------------------------------------------------

PARIS = Target(
    role=TargetRole.COPY,
    name="Ambassador of Kazakhstan to France",
    address=("59 rue Pierre Charron", "75008 Paris"),
    emails=("paris@example.kz",),
    fax="+33 1 45 61 52 01",
    for_countries=("FR", "MC"),
)
RAPPORTEUR = Target(
    role=TargetRole.COPY,
    name="UN Special Rapporteur",
    emails=("rapporteur@example.org",),
    address=("Palais des Nations", "Geneva"),
)


def test_the_copy_goes_to_the_embassy_accredited_to_the_writers_country(
    case: UrgentAction, renderer: Renderer
) -> None:
    several = replace(case, targets=(*case.targets, PARIS, RAPPORTEUR))
    in_france = compose(several, renderer, Channel.EMAIL, country="FR")
    (letter,) = in_france.letters
    assert letter.cc_emails == ("paris@example.kz", "rapporteur@example.org")
    assert not in_france.embassy_missing
    in_canada = compose(several, renderer, Channel.EMAIL, country="CA")
    assert in_canada.letters[0].cc_emails == ("ottawa@mfa.kz", "rapporteur@example.org")
    # By post each copy is a letter of its own: the president's, then France's and the UN's.
    by_post = compose(several, renderer, Channel.POST, country="MC").letters
    assert [letter.recipient.name for letter in by_post] == [
        "Kassym-Jomart Tokayev",
        "Ambassador of Kazakhstan to France",
        "UN Special Rapporteur",
    ]
    assert "Copy: Ambassador of Kazakhstan to France; UN Special Rapporteur" in by_post[0].body
    assert "Ottawa" not in post_file(compose(several, renderer, Channel.POST, country="FR"),
                                     renderer).decode()  # fmt: skip


@pytest.mark.parametrize("country", ["KE", "JP", None])
def test_without_an_embassy_for_the_writers_country_none_is_copied_and_the_appeal_says_so(
    case: UrgentAction, renderer: Renderer, country: str | None
) -> None:
    appeal = compose(case, renderer, Channel.EMAIL, country=country)
    (letter,) = appeal.letters
    assert letter.cc_emails == ()
    assert appeal.embassy_missing
    by_fax = compose(case, renderer, Channel.FAX, country=country).letters
    assert [letter.recipient.title for letter in by_fax] == ["President of Kazakhstan"]
    assert "Copy:" not in by_fax[0].body
    assert "Ottawa" not in by_fax[0].body
    # A copy for everyone is still copied, with the hint beside it for the embassy.
    everyone = replace(case, targets=(*case.targets, RAPPORTEUR))
    shared = compose(everyone, renderer, Channel.EMAIL, country=country)
    assert shared.letters[0].cc_emails == ("rapporteur@example.org",)
    assert shared.embassy_missing
    # A case that names no embassy per country asks nothing of the writer's country.
    unbound = replace(case, targets=(case.targets[0], RAPPORTEUR))
    assert not compose(unbound, renderer, Channel.EMAIL, country=country).embassy_missing
    in_canada = compose(case, renderer, Channel.EMAIL, country="CA")
    assert not in_canada.embassy_missing


@pytest.mark.parametrize(
    ("country", "president", "ottawa"),
    [
        ("FR", "00 7 7172 74 56 31", "00 1 613 695 8755"),
        ("KE", "000 7 7172 74 56 31", "000 1 613 695 8755"),
        ("JP", "010 7 7172 74 56 31", "010 1 613 695 8755"),
        ("CA", "011 7 7172 74 56 31", "1 613 695 8755"),
        ("KZ", "8 7172 74 56 31", "8 10 1 613 695 8755"),
    ],
)
def test_fax_numbers_read_as_dialled_from_the_writers_country_beside_the_international_form(
    case: UrgentAction, renderer: Renderer, country: str, president: str, ottawa: str
) -> None:
    ottawa_case = replace(
        case, targets=(case.targets[0], replace(case.targets[1], for_countries=(country,)))
    )
    to_president, to_embassy = compose(ottawa_case, renderer, Channel.FAX, country=country).letters
    assert to_president.fax == "+7 7172 74 56 31"
    assert to_president.fax_dialled == president
    assert to_embassy.fax_dialled == ottawa
    page = fax_file(to_president, renderer).decode("utf-8")
    assert f"<b>{president}</b> (international form: +7 7172 74 56 31)" in page
    # The official reads the cover: there the number is in international form.
    assert '<td class="number" dir="ltr">+7 7172 74 56 31</td>' in page


def test_without_a_country_the_fax_number_is_in_international_form_only(
    case: UrgentAction, renderer: Renderer
) -> None:
    (to_president,) = compose(case, renderer, Channel.FAX, country=None).letters
    assert to_president.fax_dialled is None
    page = fax_file(to_president, renderer).decode("utf-8")
    assert "Fax number: <b>+7 7172 74 56 31</b>." in page
    assert "dialled from" not in page


def test_the_russian_fax_guide_names_the_writers_country_in_russian(
    case: UrgentAction, renderer: Renderer
) -> None:
    to_president, _ = compose(case, renderer, Channel.FAX, "ru", country="CA").letters
    page = fax_file(to_president, renderer).decode("utf-8")
    assert "из вашей страны (Канада): <b>011 7 7172 74 56 31</b>" in page
