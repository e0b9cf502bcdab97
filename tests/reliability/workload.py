"""Realistic inputs for the campaigns: a generated file of valid events, and logs built from it.

The events are those of many contracts: each signed, scheduled in milestones, delivered in
parts, with notes and figures along the way, each citing a source, as `tracker log --file`
reads them. Generation is seeded, so a campaign's input is the same on every run.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

SYSTEMS = [
    ("Su-30MKI", "fighter aircraft", "aircraft"),
    ("T-90S", "main battle tank", "tank"),
    ("Igla-S", "portable SAM", "launcher"),
    ("Ka-226T", "light helicopter", "helicopter"),
    ("BrahMos", "anti-ship missile", "missile"),
    ("Talwar class", "frigate", "frigate"),
]
SELLERS = ["Russia", "France", "Israel", "United States", "Germany"]


def source(rng: random.Random, n: int) -> dict[str, Any]:
    outlet = rng.choice(["PTI", "ANI", "The Hindu", "TASS", "Janes"])
    return {
        "url": f"https://example.org/{outlet.lower().replace(' ', '-')}/{n}",
        "title": f"Report {n} by {outlet}",
        "publisher": outlet,
    }


def contract_records(rng: random.Random, i: int) -> list[dict[str, Any]]:
    """One contract's life: signed, scheduled, delivered in parts, noted, figured."""
    system, description, unit = rng.choice(SYSTEMS)
    ref = f"gen-{i:05d}-{system.lower().replace(' ', '-').replace('/', '-')}"
    year = rng.randint(2005, 2018)
    milestones = rng.randint(2, 5)
    per = rng.randint(1, 40)
    records: list[dict[str, Any]] = [
        {
            "kind": "contract",
            "reference": ref,
            "system": system,
            "description": description,
            "buyer": "India",
            "seller": rng.choice(SELLERS),
            "quantity": milestones * per,
            "unit": unit,
            "value": f"USD {rng.randint(10, 5000)}m",
            "occurred": f"{year}-{rng.randint(1, 12):02d}",
        },
        {
            "kind": "schedule",
            "contract": ref,
            "milestones": [
                {"label": f"lot {m + 1}", "quantity": per, "due": f"by {year + m + 2}"}
                for m in range(milestones)
            ],
            "occurred": f"{year + 1}",
            "confidence": "planned",
        },
        {
            "kind": "figure",
            "contract": ref,
            "value": f"INR {rng.randint(100, 40000)} crore",
            "occurred": f"{year + 1}",
        },
    ]
    for m in range(rng.randint(1, milestones)):
        records.append(
            {
                "kind": "delivery",
                "contract": ref,
                "quantity": per,
                "label": f"lot {m + 1}",
                "occurred": f"{year + m + 2}-{rng.randint(1, 12):02d}",
            }
        )
        if rng.random() < 0.5:
            records.append(
                {
                    "kind": "note",
                    "subject": f"contract:{ref}",
                    "text": f"Lot {m + 1} of {system} arrived; crews trained ({rng.random():.3f}).",
                    "tags": ["delivery"],
                    "occurred": f"{year + m + 2}",
                }
            )
    for n, record in enumerate(records):
        record["sources"] = [source(rng, i * 100 + n)]
    return records


def event_records(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """At least ``count`` records of valid events (whole contracts), in an order that loads."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    i = 0
    while len(records) < count:
        records.extend(contract_records(rng, i))
        i += 1
    return records


def write_event_file(path: Path, count: int, seed: int = 0) -> int:
    """A `tracker log --file` JSON Lines file of about ``count`` events; how many it holds."""
    records = event_records(count, seed)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)
