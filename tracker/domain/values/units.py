"""Unit words: the singular a unit is stored as, and the plural it is printed with.

Standard library only, so that the bare-driver read path (tracker/cli/quick/) prints units
exactly as the domain does without importing pydantic.
"""

from __future__ import annotations

# Plurals a person types for the units this tracker meets; anything else is kept as typed.
_SINGULAR = {
    "squadrons": "squadron",
    "systems": "system",
    "rifles": "rifle",
    "batteries": "battery",
    "regiments": "regiment",
    "units": "unit",
    "missiles": "missile",
    "launchers": "launcher",
    "ships": "ship",
    "submarines": "submarine",
    "tanks": "tank",
    "helicopters": "helicopter",
    "engines": "engine",
    "radars": "radar",
    "guns": "gun",
    "vehicles": "vehicle",
    "frigates": "frigate",
}

# Units with no plural: '5,000 ammunition' reads as it is.
_UNCOUNTABLE = frozenset(
    {"ammunition", "equipment", "materiel", "artillery", "ordnance", "aircraft", "personnel"}
)
# The plural of each unit above (the inverse of _SINGULAR); others follow English rules.
_PLURAL = {singular: plural for plural, singular in _SINGULAR.items()}


def plural(unit: str) -> str:
    """'squadron' -> 'squadrons', 'battery' -> 'batteries', 'ammunition' stays; in a unit of
    several words the head noun changes ('round of ammunition' -> 'rounds of ammunition',
    's-400 system' -> 's-400 systems')."""
    words = unit.split(" ")
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    words[head] = _plural_word(words[head])
    return " ".join(words)


def _plural_word(word: str) -> str:
    lower = word.lower()
    if not word or lower in _UNCOUNTABLE or lower.endswith("craft") or not word[-1].isalpha():
        return word
    if lower in _PLURAL:
        return _PLURAL[lower]
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def units(n: int, unit: str) -> str:
    """The unit for ``n`` of it: singular for 1 only ('1 squadron', '0 squadrons')."""
    return unit if n == 1 else plural(unit)
