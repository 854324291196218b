"""Who a story names as at risk: in every way sheets name them, and nobody else."""

from __future__ import annotations

from bot.importer.people import names_in_line, people_in


def named(*story: str, officials: tuple[str, ...] = ()) -> list[tuple[str, str | None]]:
    return [(p.name, p.description) for p in people_in(story, not_people=officials)]


def test_people_are_named_after_what_they_are_in_four_languages() -> None:
    assert named("Prisoner of conscience Omar Haddad, one of nine jailed activists, is ill.") == [
        ("Omar Haddad", "Prisoner of conscience")
    ]
    assert named("les journalistes Claire Dubois et Marc Lefèvre ont été arrêtés.") == [
        ("Claire Dubois", "journalistes"),
        ("Marc Lefèvre", "journalistes"),
    ]
    assert named("las defensoras Rosa Paz, Inés Soto y Luz Marín fueron vigiladas.") == [
        ("Rosa Paz", "defensoras"),
        ("Inés Soto", "defensoras"),
        ("Luz Marín", "defensoras"),
    ]
    assert named("Die Journalistin Anna Weber ist inhaftiert.") == [("Anna Weber", "Journalistin")]


def test_people_followed_by_what_they_are_and_doctors_by_their_title() -> None:
    story = (
        "Karim al-Hassan, an opposition activist, was arrested on 2 May. "
        "The whereabouts of Dr. Samir Nasser, Dr. Layla Nasser and Dr. 'Ali al-'Ubaidi are not"
        " known."
    )
    assert [name for name, _ in named(story)] == [
        "Karim al-Hassan",
        "Samir Nasser",
        "Layla Nasser",
        "'Ali al-'Ubaidi",
    ]


def test_nobody_beside_the_people_at_risk_is_taken_for_one() -> None:
    story = (
        "Journalist Ali Reza was arrested on 3 May. His lawyer Ahmed Saleh said he was beaten. "
        "Hamada Farouk, the Public Prosecutor, ordered his detention. Amnesty International "
        "believes he is a prisoner of conscience. On 4 May President Tarek Aziz spoke."
    )
    assert named(story) == [("Ali Reza", "Journalist")]
    # An official the sheet writes to is never a person at risk, however the story names them.
    assert named(
        "Activist Sara Kamel and activist Omar Bakr were held.", officials=("Omar Bakr",)
    ) == [("Sara Kamel", "Activist")]
    # One person named twice, spelt two ways, is one person.
    assert named(
        "Activist Alaa Abdel Fattah is held.", "Activist Alaa Abdel Fatah went on strike."
    ) == [("Alaa Abdel Fattah", "Activist")]


def test_a_labelled_names_line_gives_the_names_and_nothing_else() -> None:
    assert names_in_line("Names: Ebrahim Saleh (m), Yusuf Amin (m) and 11 others") == [
        "Ebrahim Saleh",
        "Yusuf Amin",
    ]
    assert names_in_line("Name: Abdulhadi Al-Khawaja Gender m/f: m") == ["Abdulhadi Al-Khawaja"]
    assert names_in_line("Nombre: Julián Ortiz Caicedo") == ["Julián Ortiz Caicedo"]
