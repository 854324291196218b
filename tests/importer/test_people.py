"""Who a story names as at risk: in every way sheets name them, and nobody else."""

from __future__ import annotations

from bot.importer.people import (
    FoundPerson,
    joined,
    names_in_line,
    people_asked_for,
    people_in,
    people_listed,
)


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


def test_two_people_named_together_as_relatives_are_both_at_risk() -> None:
    assert named("Nadia Karam et son mari Youssef Karam ont été condamnés en 2018.") == [
        ("Nadia Karam", None),
        ("Youssef Karam", None),
    ]
    assert named("He was sentenced. Ana Ruiz and her brother Luis Ortega face trial.") == [
        ("Ana Ruiz", None),
        ("Luis Ortega", None),
    ]
    # Someone's relative named in passing is not a person at risk.
    assert named("The lawyer of her brother Luis Ortega spoke.") == []


def test_a_model_letter_names_the_person_it_is_about() -> None:
    letter = "I am writing to you about the arrest of human rights researcher Sami Haddad."
    assert [name for name, _ in named(letter)] == ["Sami Haddad"]
    assert named("Je vous écris au sujet de la détention de Nadia Karam, arrêtée le 3 mai.") == [
        ("Nadia Karam", None)
    ]


def test_a_person_named_after_what_happened_to_them_keeps_the_description_that_follows() -> None:
    story = "You will know the case of Omar Haddad, the jailed trade unionist who went on strike."
    assert named(story) == [("Omar Haddad", "jailed trade unionist")]
    # What follows is an official's office: not what the person at risk is.
    assert named("We wrote about the case of Omar Haddad, the prosecutor who ...") == [
        ("Omar Haddad", None)
    ]


def test_people_named_only_in_a_list_are_each_found_with_what_the_list_calls_them() -> None:
    story = (
        "Police raided the association's office on 4 June. The Honorary Members Dara Okoye,"
        " Femi Lawal, Ngozi Eze and Tunde Bakare were taken to the station."
    )
    assert [(p.name, p.description) for p in people_listed([story])] == [
        ("Dara Okoye", "Honorary Members"),
        ("Femi Lawal", "Honorary Members"),
        ("Ngozi Eze", "Honorary Members"),
        ("Tunde Bakare", "Honorary Members"),
    ]
    # Arabic names with an unhyphenated article are names too.
    listed = people_listed(["They include Omar Saleh, Anwar el Haddad and Rami al Nasser."])
    assert [p.name for p in listed] == ["Omar Saleh", "Anwar el Haddad", "Rami al Nasser"]
    # A list of places is not a list of people, even where most of it looks like names.
    assert (
        people_listed(["They were moved to Buenos Aires, Santa Fe, San Luis and La Rioja."]) == []
    )
    # Two names together are not enough for a list alone.
    assert people_listed(["Ana Ruiz and Pablo Soto met in Lima."]) == []


def test_people_the_asks_name_and_the_story_names_too_are_the_people_at_risk() -> None:
    story = [
        "Lucía Cárcamo, integrante de un consejo lenca de Intibucá, recibió el 2 de marzo una"
        " amenaza.",
        "La fiscalía no ha respondido.",
    ]
    asks = ["que investigue las amenazas contra Lucía Cárcamo"]
    assert [(p.name, p.description) for p in people_asked_for(asks, story)] == [
        ("Lucía Cárcamo", "integrante de un consejo lenca de Intibucá")
    ]
    both = people_asked_for(
        ["Release Ana Ruiz and Pablo Soto immediately and unconditionally"],
        ["Police arrested Ana Ruiz and Pablo Soto in Lima on 3 May."],
    )
    assert [p.name for p in both] == ["Ana Ruiz", "Pablo Soto"]
    # An ask's name the story never writes, a German noun pair, a body and an official are not.
    assert people_asked_for(["Release Ana Ruiz"], ["Police arrested a student."]) == []
    assert (
        people_asked_for(
            ["dafür zu sorgen, dass sie bis zu ihrer Freilassung Zugang zu ihrer Familie hat"],
            ["Sie hat bis zu ihrer Freilassung Zugang zu niemandem."],
        )
        == []
    )
    assert (
        people_asked_for(
            ["ask the Public Prosecutor to drop the charges against Ana Ruiz"],
            ["The Public Prosecutor charged Ana Ruiz."],
            not_people=["Ana Ruiz"],
        )
        == []
    )


def test_people_found_in_several_ways_are_each_one_person() -> None:
    first = [FoundPerson("Ana Ruiz", None)]
    again = [FoundPerson("Ana María Ruiz", "student"), FoundPerson("Pablo Soto", None)]
    assert joined(first, again) == [FoundPerson("Ana Ruiz", "student"), FoundPerson("Pablo Soto")]
