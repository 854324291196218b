"""Callback data: what a button says when tapped, encoded in at most 64 bytes, checked on return.

A callback is `verb:arg:arg...`. Every verb has a fixed shape; anything else (an old format, a
forged payload) decodes to None, and the handler answers politely without changing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
SLUG = r"[a-z0-9][a-z0-9-]{0,31}"
CHANNEL = r"email|fax|post"
LANGUAGE = r"[a-z]{2}(?:_[A-Z]{2})?"  # a language, or one with its region ("pt_BR")
OUTCOME = r"choose|released|sentenced|executed|nfa"
# An IANA zone name as it is ("America/Argentina/ComodRivadavia", the longest, is 32 bytes).
ZONE = r"[A-Za-z][A-Za-z0-9_+/-]{0,59}"
APPEAL_KEY = r"[A-Za-z0-9_-]{8}"  # one appeal in progress (bot.handlers.appeal)

# verb -> the patterns of its arguments, in order.
SHAPES: dict[str, tuple[str, ...]] = {
    "c": (SLUG,),  # show a case's card
    "bg": (SLUG, r"\d{1,2}"),  # a page of the background
    "ap": (SLUG,),  # start the appeal: choose a channel
    "ch": (SLUG, CHANNEL),  # channel chosen: choose how to sign
    "sg": (SLUG, CHANNEL, r"full|initials|saved"),  # how to sign
    "rem": (SLUG, CHANNEL),  # remember the signature just typed
    "pl": (SLUG, CHANNEL),  # no personal sentence: show the letter
    "lt": (SLUG, CHANNEL, LANGUAGE),  # the letter in another language
    # The same three for one appeal in progress, named by its key: a button left from an
    # earlier letter never acts on a later one's signature. (The three above are the buttons
    # sent before appeals had keys; they say the message is old and offer the appeal afresh.)
    "rk": (SLUG, CHANNEL, APPEAL_KEY),
    "pk": (SLUG, CHANNEL, APPEAL_KEY),
    "lk": (SLUG, CHANNEL, LANGUAGE, APPEAL_KEY),
    "ck": (SLUG, CHANNEL, APPEAL_KEY),  # the same letter by another channel
    "ac": (SLUG,),  # "I've acted": the checklist
    "rec": (SLUG, CHANNEL, r"\d{1,2}"),  # record an appeal to target n by channel
    "snt": (SLUG, CHANNEL, r"[A-Z]{2}|-"),  # record the appeal just written, to its officials
    # (the writer's country when it was written, "-" for none: which embassy it copied)
    "sent": (SLUG, CHANNEL),  # the same, from before letters named the country
    "nn": (SLUG,),  # not now (cards sent before "When will you write?")
    "wp": (SLUG, r"tn|tm|we|no"),  # when will you write: tonight, tomorrow, weekend, can't
    "rpy": (SLUG, r"\d{1,2}"),  # "Did anyone reply?": yes, official n did
    "rpa": (SLUG, r"no|later"),  # "Did anyone reply?": no, or not yet
    "sub": (),  # subscribe again (undo /stop)
    "lang": (LANGUAGE,),  # preferred language
    "ctry": (r"[A-Z]{2}|all",),  # which countries' cases
    "fg": (r"yes|no",),  # /forget confirmation
    "tz": (r"pick|default|[+-]?\d{1,2}",),  # the time zone reminders keep to: hours from UTC
    "tzn": (ZONE,),  # the time zone reminders keep to: one of the places a typed name matched
    "hc": (r"pick|none|[A-Z]{2}|p\d{1,2}",),  # where the person lives: a country, or a page
    "sz": (SLUG, r"1d|3d|off"),  # snooze reminders
    "alw": (r"show|every|3-week|1-week|2-month|default|digest",),  # how many cases, the digest
    "alt": (r"[a-z-]{1,32}",),  # a theme followed or not, or "all"
    "alc": (CHANNEL,),  # a channel the person can use or not
    # Organizers only; the role is checked again at every tap.
    "op": (SLUG,),  # preview a case before publishing it
    "opc": (SLUG,),  # publish it: alert every matching subscriber
    "ocl": (SLUG, OUTCOME, r"ask|notify|quiet"),  # close with an outcome, telling people or not
    "ors": (SLUG,),  # the case's results
    "oed": (SLUG,),  # the case as its file, to edit and send back
    "ocsv": (SLUG,),  # the case's results as CSV
    "ochart": (SLUG,),  # the case's results as a chart
    "orp": (SLUG,),  # the reminder plans: the case's and the network's default
    "orc": (SLUG, r"net|\d"),  # the case's plan: a preset, or the network's default
    "orn": (SLUG, r"\d"),  # the network's default plan: a preset (shown from this case)
    "oir": (),  # read the sheet received in parts since /import
    "oim": (SLUG, r"publish|now|draft|close|drop"),  # what to do with the sheet just imported
    "oba": (r"all|lang|case|acted|notacted|news", r"[a-z0-9-]{0,32}"),  # a broadcast's audience
    "obs": (r"now|1h|tomorrow|drop",),  # send the broadcast draft (or drop it)
    "obx": (r"\d{1,12}",),  # cancel broadcast n
    "unsub": (),  # a broadcast's unsubscribe button
    "ory": (r"\d{1,12}",),  # open reply n from the authorities
    "oal": (r"every|3-week|1-week|2-month",),  # the network's default allowance
}


@dataclass(frozen=True)
class Callback:
    """A decoded, well-formed callback."""

    verb: str
    args: tuple[str, ...]

    def arg(self, index: int) -> str:
        """The argument at `index`."""
        return self.args[index]


def encode(verb: str, *args: str) -> str:
    """Encode a callback; refuse (ValueError) one that would not decode or exceeds 64 bytes."""
    data = ":".join((verb, *args))
    if decode(data) is None:
        raise ValueError(f"callback {data!r} does not fit its shape")
    return data


def decode(data: str | None) -> Callback | None:
    """Decode callback data, or None when it is malformed, unknown or too long."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    verb, *args = data.split(":")
    shape = SHAPES.get(verb)
    if shape is None or len(args) != len(shape):
        return None
    if not all(re.fullmatch(pattern, arg) for pattern, arg in zip(shape, args, strict=True)):
        return None
    return Callback(verb, tuple(args))


def pattern(verb: str) -> str:
    """The regular expression a CallbackQueryHandler uses to route `verb`."""
    return f"^{re.escape(verb)}(:|$)"
