"""Whether a subscriber wants a case: /start asks `Subscriber.wants`, the offer sweep asks
`Reader.refusal`; both are one rule, so what a person is shown and what they are offered agree."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta

from bot.domain.allowance import Allowance, NotOffered, OpenCase, Reader, allocate
from bot.domain.cases import Channel, UrgentAction
from bot.domain.subscribers import ChatType, Subscriber, SubscriberStatus
from tests.reminders.test_plan import SEED

_SEED_DEADLINE = SEED.deadline_moment()
assert _SEED_DEADLINE is not None
DEADLINE: datetime = _SEED_DEADLINE
NOW = DEADLINE - timedelta(days=2)  # while the seed case is open


def subscriber(countries: tuple[str, ...] | None = None) -> Subscriber:
    return Subscriber(
        id=1,
        chat_id=100,
        chat_type=ChatType.PRIVATE,
        actor="a",
        language="en",
        countries=countries,
        timezone=None,
        signature=None,
        status=SubscriberStatus.ACTIVE,
        subscribed_at=NOW,
        updated_at=NOW,
    )


def by_post_only(case: UrgentAction) -> UrgentAction:
    targets = tuple(dataclasses.replace(t, emails=(), fax=None) for t in case.targets)
    return dataclasses.replace(case, targets=targets)


def test_themes_and_channels_count_not_only_countries() -> None:
    anna = subscriber()
    death = dataclasses.replace(SEED, themes=("death-penalty",))
    assert not anna.wants(death, themes=["torture"], channels=None)
    assert anna.refusal(death, themes=["torture"], channels=None) is NotOffered.THEME
    # A case with no themes reaches whoever follows some themes.
    assert anna.wants(dataclasses.replace(SEED, themes=()), themes=["torture"], channels=None)
    # No printer, no fax: a case answered only by post is not for her.
    post = by_post_only(SEED)
    assert post.channels() == (Channel.POST,)
    assert anna.refusal(post, themes=None, channels=[Channel.EMAIL]) is NotOffered.CHANNEL
    assert subscriber(("BY",)).refusal(SEED, themes=None, channels=None) is (NotOffered.COUNTRY)
    assert anna.wants(SEED, themes=None, channels=None)


def test_a_case_past_its_deadline_is_still_what_the_person_chose() -> None:
    # Whether a case is still open is the case's, decided by whoever lists the open cases; the
    # person's choices are about countries, themes and channels.
    assert subscriber().refusal(SEED, themes=None, channels=None) is None


def test_what_start_shows_is_what_the_sweep_offers_on_every_case() -> None:
    """Over every mix of countries, themes and channels, a person on "every case" is offered
    by the sweep exactly the cases `Subscriber.wants` accepts, and refused for the same reason."""
    cases = [
        dataclasses.replace(SEED, slug="kz-dp", themes=("death-penalty",)),
        dataclasses.replace(SEED, slug="kz-torture", themes=("torture", "unfair-trial")),
        dataclasses.replace(SEED, slug="kz-none", themes=()),
        dataclasses.replace(by_post_only(SEED), slug="kz-post", themes=("torture",)),
        dataclasses.replace(SEED, slug="by-case", country_code="BY", themes=()),
    ]
    countries_choices = [None, ("KZ",), ("BY",), ()]
    theme_choices = [None, ("torture",), ("death-penalty", "health")]
    channel_choices = [None, (Channel.EMAIL,), (Channel.POST,), (Channel.EMAIL, Channel.FAX)]
    open_cases = [
        OpenCase(
            slug=c.slug,
            country_code=c.country_code,
            published_at=NOW - timedelta(days=1),
            channels=frozenset(c.channels()),
            deadline=c.deadline_moment(),
            themes=frozenset(c.themes),
        )
        for c in cases
    ]
    now = NOW
    checked = 0
    for countries, themes, channels in itertools.product(
        countries_choices, theme_choices, channel_choices
    ):
        person = subscriber(countries)
        reader = Reader(
            id=person.id,
            allowance=Allowance.EVERY,
            countries=frozenset(countries) if countries is not None else None,
            themes=frozenset(themes) if themes is not None else None,
            channels=frozenset(channels) if channels is not None else frozenset(Channel),
        )
        swept = allocate([reader], open_cases, now)
        offered = {o.slug for o in swept.offers}
        for case in cases:
            wanted = person.wants(case, themes=themes, channels=channels)
            assert wanted == (case.slug in offered), (countries, themes, channels, case.slug)
            reason = person.refusal(case, themes=themes, channels=channels)
            if reason is not None:
                assert swept.not_offered[case.slug].get(reason) == 1
            checked += 1
    assert checked == len(countries_choices) * len(theme_choices) * len(channel_choices) * 5
