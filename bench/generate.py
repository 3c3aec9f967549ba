#!/usr/bin/env python3
"""Builds a hone collection of N cards with a realistic history, through hone itself.

    bench/generate.py HONE_BINARY DATA_DIR CARDS [SEED]

One imported deck of CARDS cards (a TSV file), and answers for about 30% of them: each reviewed
card gets a first review on a day in the past year and then a review whenever it fell due,
graded mostly well, until yesterday; about 1.4 reviews per card on average. The answers go through
`hone answer --stdin` with their timestamps, so the scheduler computes every due day, which
spread from weeks overdue to a year ahead. Also writes DATA_DIR/../cards-CARDS.tsv and
DATA_DIR/../answers-CARDS.jsonl for other benchmarks.
"""
import datetime
import json
import os
import random
import subprocess
import sys

hone, data, cards = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
root = os.path.dirname(os.path.abspath(data))
env = dict(os.environ, HONE_DATA_DIR=data, HONE_CONFIG=os.path.join(root, "config.toml"), HONE_NOW="2026-11-23T09:00:00+01:00")
today = datetime.date(2026, 11, 23)

tsv = os.path.join(root, f"cards-{cards}.tsv")
with open(tsv, "w") as f:
    for i in range(cards):
        f.write(f"Question {i}: what does component {i} of the system do?\tIt does thing {i}, in about two sentences of answer text.\n")
subprocess.run([hone, "import", tsv, "--deck", "bench"], env=env, check=True, stdout=subprocess.DEVNULL)
ids = [c["id"] for c in json.loads(subprocess.run([hone, "cards", "--deck", "bench", "--json"], env=env, check=True, capture_output=True).stdout)["cards"]]

# Replay SM-2 roughly to pick review days; hone itself computes the real schedule.
answers = []
target = int(cards * 1.4)
reviewed = rng.sample(ids, int(len(ids) * 0.3))
per_card = max(1, round(target / max(1, len(reviewed))))
for card in reviewed:
    day = today - datetime.timedelta(days=rng.randint(30, 365))
    interval, n = 0, 0
    for _ in range(per_card):
        if day >= today:
            break
        grade = rng.choices([5, 4, 3, 2, 1], weights=[30, 40, 15, 10, 5])[0]
        answers.append((day, card, grade))
        n = n + 1 if grade >= 3 else 0
        interval = 1 if n <= 1 else (6 if n == 2 else int(interval * 2.3) + 1)
        day += datetime.timedelta(days=interval + rng.randint(0, 20))
answers.sort()
lines = [json.dumps({"card": c, "grade": g, "at": f"{d.isoformat()}T08:{rng.randint(10, 59)}:00+01:00"}) for d, c, g in answers]
with open(os.path.join(root, f"answers-{cards}.jsonl"), "w") as f:
    f.write("\n".join(lines) + "\n")
subprocess.run([hone, "answer", "--stdin"], env=env, check=True, input="\n".join(lines) + "\n", text=True, stdout=subprocess.DEVNULL)
print(f"{cards} cards, {len(reviewed)} reviewed, {len(lines)} answers ({len(lines) / cards:.2f} per card)")
