"""What a follow-up sheet would change in where people's letters go: the officials' emails,
faxes, phones and postal addresses, and who is written to at all.

A sheet can come from anyone by email; one that claims to continue a live case and quietly
swaps an official's address would send every signed letter elsewhere. So the organizer is
shown every such change, in full, before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.cases import Target, UrgentAction


@dataclass(frozen=True)
class ContactChange:
    """One official's contact as it is, and as the sheet would have it (None: no such
    official before, or none after)."""

    official: str
    field: str  # "emails", "fax", "phone", "address", or "official" (added or removed)
    before: str | None
    after: str | None


def _contacts(target: Target) -> dict[str, str | None]:
    return {
        "emails": ", ".join(target.emails) or None,
        "fax": target.fax,
        "phone": target.phone,
        "address": ", ".join(target.address) or None,
    }


def contact_changes(before: UrgentAction, after: UrgentAction) -> list[ContactChange]:
    """Every change to where letters go, official by official (matched by name)."""
    old = {target.name: target for target in before.targets}
    new = {target.name: target for target in after.targets}
    found: list[ContactChange] = []
    for name, target in old.items():
        if name not in new:
            found.append(ContactChange(name, "official", _summary(target), None))
            continue
        was, now = _contacts(target), _contacts(new[name])
        found += [
            ContactChange(name, key, was[key], now[key]) for key in was if was[key] != now[key]
        ]
    found += [
        ContactChange(name, "official", None, _summary(target))
        for name, target in new.items()
        if name not in old
    ]
    return found


def _summary(target: Target) -> str:
    return "; ".join(value for value in _contacts(target).values() if value) or target.name
