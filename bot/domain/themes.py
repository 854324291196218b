"""The themes a case can be about, as Amnesty tags its Urgent Actions.

A fixed list, so that a person's choice and a case file's tags meet: a case file names its
themes with these keys (`themes = ["death-penalty", "torture"]`), `python -m bot check` refuses
any other, and a person who follows some themes is offered only cases tagged with one of them
(a case without themes reaches everyone whose other filters accept it). The words a person reads
for each key live in the templates (`themes.toml`).
"""

from __future__ import annotations

THEMES: tuple[str, ...] = (
    "death-penalty",
    "prisoners-of-conscience",
    "human-rights-defenders",
    "torture",
    "enforced-disappearance",
    "refugees-and-migrants",
    "freedom-of-expression",
    "womens-rights",
    "lgbti-rights",
    "indigenous-peoples",
    "unfair-trial",
    "health",
)


def is_theme(key: str) -> bool:
    """Whether `key` is one of the themes a case can be tagged with."""
    return key in THEMES
