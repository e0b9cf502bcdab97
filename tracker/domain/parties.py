"""One name per party, whatever name a report uses.

Reports say 'Russian Federation', 'Russia' or 'RUS'; folding them to one canonical name is
what lets a buyer's contracts be listed together. Countries come from pycountry (read once);
the table below fixes the names SIPRI and the press use where pycountry's differ. The Soviet
Union is a different party from Russia and stays one.
"""

from __future__ import annotations

from functools import cache

import pycountry

# Canonical names where pycountry's formal name is not the one people use.
_PREFERRED = {
    "RUS": "Russia",
    "TUR": "Turkey",
    "GBR": "United Kingdom",
    "USA": "United States",
}

# Aliases that pycountry does not know.
_EXTRA_ALIASES = {
    "us": "United States",
    "usa": "United States",
    "u s": "United States",
    "united states of america": "United States",
    "america": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "russia": "Russia",
    "türkiye": "Turkey",
    "turkiye": "Turkey",
    "soviet union": "Soviet Union",
    "ussr": "Soviet Union",
    "union of soviet socialist republics": "Soviet Union",
}


def _key(name: str) -> str:
    """Case, dots, commas and a leading 'the' do not make a different party."""
    text = name.replace(".", " ").replace(",", " ").casefold()
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@cache
def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        canonical = _PREFERRED.get(
            country.alpha_3, getattr(country, "common_name", None) or country.name
        )
        # No alpha-3 codes: 'BEL' is Bharat Electronics far more often than Belgium here.
        for alias in (
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
            canonical,
        ):
            if alias:
                table[_key(alias)] = canonical
    table.update({_key(k): v for k, v in _EXTRA_ALIASES.items()})
    return table


def canonical_party(name: str) -> str:
    """'Russian Federation' -> 'Russia', 'usa' -> 'United States'; unknown names are kept."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("a party name cannot be empty")
    return _aliases().get(_key(cleaned), cleaned)
