#!/usr/bin/env python3
"""Writes tests/data/fsrs_reference.json: FSRS-6 review steps computed by py-fsrs, the reference
implementation, for `tests/fsrs_reference.rs` to compare hone's memory states and intervals with.

    python3 -m venv /tmp/pyfsrs && /tmp/pyfsrs/bin/pip install 'fsrs>=6,<7'
    /tmp/pyfsrs/bin/python scripts/fsrs_reference.py

Run once; the JSON is committed and the test needs no Python. py-fsrs runs with the default
parameters, no learning or relearning steps and no fuzz, as hone schedules whole days: every
review is a long-term one. Each card is a seeded random history of ratings and delays: reviews on
the day the interval says, early, late, and far too late, so that retrievability at review
ranges from near 1 to near 0.
"""
import json
import os
import random
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

from fsrs import Card, Rating, Scheduler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "fsrs_reference.json")
CARDS = 160
SEED = 17


def main():
    rng = random.Random(SEED)
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    start = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
    cards, steps = [], 0
    for index in range(CARDS):
        card = Card(card_id=index + 1)
        at = start
        reviews = []
        interval = 0
        for n in range(rng.randint(3, 14)):
            if n > 0:
                kind = rng.random()
                if kind < 0.45:
                    delay = interval  # on the day it is due
                elif kind < 0.65:
                    delay = max(1, round(interval * rng.uniform(0.2, 0.95)))  # early
                elif kind < 0.9:
                    delay = max(1, round(interval * rng.uniform(1.05, 4.0)))  # late
                else:
                    delay = rng.randint(1, 900)  # anything at all
                at = at + timedelta(days=delay)
            else:
                delay = 0
            retrievability = scheduler.get_card_retrievability(card, at) if n > 0 else None
            rating = rng.choices([1, 2, 3, 4], weights=[18, 12, 55, 15])[0]
            card, _ = scheduler.review_card(card, Rating(rating), at)
            interval = (card.due - at).days
            raw = card.stability / scheduler._FACTOR * (
                scheduler.desired_retention ** (1 / scheduler._DECAY) - 1)
            reviews.append({
                "delay": delay,
                "rating": rating,
                "retrievability": retrievability,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "interval": interval,
                "interval_unrounded": raw,
            })
            steps += 1
        cards.append(reviews)
    document = {
        "generator": "scripts/fsrs_reference.py",
        "py_fsrs": version("fsrs"),
        "scheduler": {"learning_steps": [], "relearning_steps": [], "enable_fuzzing": False,
                      "desired_retention": scheduler.desired_retention,
                      "maximum_interval": scheduler.maximum_interval},
        "parameters": list(scheduler.parameters),
        "steps": steps,
        "cards": cards,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(document, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{OUT}: {len(cards)} cards, {steps} review steps")


if __name__ == "__main__":
    main()
