#!/usr/bin/env python3
"""Whole-process benchmarks of hone at 1,000, 10,000 and 100,000 cards, and of large imports.

    scripts/bench.py [--quick] [--sizes 1000,10000,100000] [--imports] [--hone PATH]
    scripts/bench.py --against OLD_HONE [--sizes 1000]


Builds hone in release mode, generates the collections (`examples/bench_collection.rs`, kept in
target/bench/collections between runs), then measures with hyperfine each command as a whole
process, peak memory with GNU time, the files each command reads with strace, and the data
dir's size. Then imports two large CSV decks (written once into target/bench/imports): 100,000
cards of about 220 bytes (22 MB), and 1,000,000 short lines (16 MB), each into an empty data
dir and again over the deck it made. Prints a Markdown report with every target of
docs/performance.md as a ratio from this run, and saves it with the raw hyperfine results in
target/bench/.

`--imports` measures only the imports (the collections' TSV decks and the large decks).
`--hone PATH` measures that hone binary instead of the one built here (another commit's build,
to compare), with `--imports` only.

`--against OLD_HONE` compares this build with another hone binary instead: the commands that draw
no card text (`due --count`, remembered and computed, and `next --json`) and `answer` (on a
fresh copy each run), each build on its own copy of the collection, timed side by side in one
hyperfine run each, with their instruction counts from callgrind when valgrind is there
(steady where wall times are not, on a busy machine), `hone show` of a code card, and both
binaries' sizes. It shows what a change that only the review screen uses (such as the code
highlighter) costs everything else.

Needs python3, hyperfine, strace and GNU time (Debian: `apt install hyperfine strace time`).
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench")
NOW = "2026-11-23T09:00:00+01:00"


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def build():
    sh("cargo", "build", "--release", "--quiet", "--bin", "hone", "--example", "bench_collection",
       "--example", "noop", cwd=ROOT)
    release = os.path.join(ROOT, "target", "release")
    return (os.path.join(release, "hone"), os.path.join(release, "examples", "bench_collection"),
            os.path.join(release, "examples", "noop"))


# The large decks imported: name, what it is, cards, header, one card's line.
IMPORT_DECKS = [
    ("cards-100k", "100,000 cards of about 220 bytes (22 MB)", 100_000, "front,back,tags\n",
     lambda i: f'"Question {i}: what does component {i} of the payment system do, and why?",'
               f'"It validates request {i}, records it in the ledger, and answers within the '
               f'latency budget of the service it is part of.",backend payments\n'),
    ("lines-1m", "1,000,000 short lines (16 MB)", 1_000_000, "front,back\n",
     lambda i: f"q{i},a{i}\n"),
]


def import_deck_files():
    """The large decks, written once into target/bench/imports."""
    folder = os.path.join(OUT, "imports")
    os.makedirs(folder, exist_ok=True)
    files = {}
    for name, _, cards, header, line in IMPORT_DECKS:
        path = os.path.join(folder, f"{name}.csv")
        if not os.path.exists(path):
            with open(path + ".tmp", "w") as f:
                f.write(header)
                f.writelines(line(i) for i in range(cards))
            os.rename(path + ".tmp", path)
        files[name] = path
    return files


def large_imports(bench, hone, quick):
    """Each large deck imported into an empty data dir, and again over the deck it made (every
    card compared, nothing written): mean seconds and peak KiB of each."""
    work = os.path.join(OUT, "work")
    results = []
    for name, label, *_ in IMPORT_DECKS:
        path = import_deck_files()[name]
        fresh, imported, again = (os.path.join(work, f"import-{name}-{w}") for w in ("fresh", "imported", "again"))
        command = [hone, "import", path, "--deck", "bench"]
        env = lambda data: dict(os.environ, HONE_DATA_DIR=data, HONE_CONFIG=os.path.join(OUT, "imports", "config.toml"), HONE_NOW=NOW)
        runs = (3 if quick else 10) if name == "cards-100k" else (2 if quick else 5)
        (fresh_s,) = bench.time(f"import-{name}", [shlex.join(command)], env(fresh),
                                prepare=f"rm -rf {shlex.quote(fresh)}", runs=runs)
        shutil.rmtree(fresh, ignore_errors=True)
        fresh_kib = bench.peak_kib(command, env(fresh))
        shutil.rmtree(imported, ignore_errors=True)
        sh(*command, env=env(imported), stdout=subprocess.DEVNULL)
        restore = f"rm -rf {shlex.quote(again)} && cp -a {shlex.quote(imported)} {shlex.quote(again)}"
        # With -N hyperfine runs --prepare without a shell too.
        (again_s,) = bench.time(f"import-{name}-again", [shlex.join(command)], env(again),
                                prepare=shlex.join(["sh", "-c", restore]), runs=runs)
        sh("sh", "-c", restore)
        again_kib = bench.peak_kib(command, env(again))
        for data in (fresh, imported, again):
            shutil.rmtree(data, ignore_errors=True)
        results.append((name, label, fresh_s, fresh_kib, again_s, again_kib))
    return results


def render_large_imports(results):
    out = ["## Large imports", "",
           "| deck | into an empty data dir | peak | again, over the deck it made | peak |",
           "| --- | ---: | ---: | ---: | ---: |"]
    for _, label, fresh_s, fresh_kib, again_s, again_kib in results:
        out.append(f"| {label} | {ms(fresh_s)} | {mib(fresh_kib):.1f} MiB | {ms(again_s)} | {mib(again_kib):.1f} MiB |")
    out += ["", "| target | measured | met |", "| --- | --- | --- |"]
    for name, _, fresh_s, _, again_s, _ in results:
        if name == "cards-100k":
            for what, seconds in [("into an empty data dir", fresh_s), ("again, over the deck it made", again_s)]:
                out.append(f"| import of 100,000 cards of 220 bytes under 1.5 s, {what} | {ms(seconds)} | "
                           f"{'yes' if seconds < 1.5 else 'NO'} |")
    return "\n".join(out) + "\n"


def collection(generator, cards):
    out = sh(generator, os.path.join(OUT, "collections"), str(cards), capture_output=True, text=True).stdout
    values = {}
    for line in out.splitlines():
        key, _, value = line.partition("=")
        values[key] = value.strip("'")
    return values


class Bench:
    def __init__(self, hone, noop, runs):
        self.hone, self.noop, self.runs = hone, noop, runs
        self.results = {}

    def env(self, c, data=None):
        return dict(os.environ, HONE_DATA_DIR=data or c["data"], HONE_CONFIG=c["config"], HONE_NOW=NOW)

    def time(self, name, commands, env, prepare=None, shell=False, runs=None):
        """Mean seconds of each command, measured together in one hyperfine run."""
        export = os.path.join(OUT, f"{name}.json")
        args = ["hyperfine", "--style", "none", "--warmup", "3", "--runs", str(runs or self.runs),
                "--export-json", export]
        if not shell:
            args.append("-N")
        if prepare:
            args += ["--prepare", prepare]
        sh(*args, *commands, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(export) as f:
            means = [r["mean"] for r in json.load(f)["results"]]
        for command, mean in zip(commands, means):
            self.results[(name, command)] = mean
        return means

    def peak_kib(self, command, env, stdin=None):
        with tempfile.NamedTemporaryFile("r") as report:
            with open(stdin or os.devnull) as given:
                sh("/usr/bin/time", "-f", "%M", "-o", report.name, *command, env=env, stdin=given,
                   stdout=subprocess.DEVNULL)
            return int(report.read().strip().splitlines()[-1])

    def files_read(self, command, env, data, config):
        """The regular files under the data dir or the config path that `command` opens to read."""
        with tempfile.NamedTemporaryFile("r") as trace:
            sh("strace", "-f", "-qq", "-e", "trace=openat", "-o", trace.name, *command, env=env,
               stdout=subprocess.DEVNULL)
            files = []
            for line in trace.read().splitlines():
                if "O_RDONLY" not in line or "O_DIRECTORY" in line or "= -1" in line:
                    continue
                path = line.split('"')[1]
                if (path.startswith(data) or path == config) and os.path.isfile(path) and path not in files:
                    files.append(path)
            return files


def mib(kib):
    return kib / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a first look")
    parser.add_argument("--sizes", default=None)
    parser.add_argument("--against", metavar="OLD_HONE", help="compare with another hone binary")
    parser.add_argument("--imports", action="store_true", help="only the imports")
    parser.add_argument("--hone", help="measure this hone binary (with --imports)")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("1000" if args.against else "1000,10000,100000")).split(",")]
    for tool in ["hyperfine", "strace", "/usr/bin/time"]:
        if not shutil.which(tool):
            sys.exit(f"bench.py: {tool} is missing (Debian: apt install hyperfine strace time)")
    os.makedirs(OUT, exist_ok=True)
    if args.hone and not args.imports:
        sys.exit("bench.py: --hone measures only the imports; add --imports")
    hone, generator, noop = build()
    if args.imports:
        hone = os.path.abspath(args.hone or hone)
        bench = Bench(hone, noop, 0)
        imports = tsv_imports(bench, hone, generator, sizes, args.quick)
        report = render_tsv_imports(imports) + "\n" + render_large_imports(large_imports(bench, hone, args.quick))
        with open(os.path.join(OUT, "report-imports.md"), "w") as f:
            f.write(report)
        print(report)
        return
    bench = Bench(hone, noop, 10 if args.quick else 40)
    if args.against:
        report = compare(bench, os.path.abspath(args.against), generator, sizes)
        with open(os.path.join(OUT, "against.md"), "w") as f:
            f.write(report)
        print(report)
        return
    work = os.path.join(OUT, "work")
    rows, checks, memory, sizes_on_disk = [], [], [], []

    for cards in sizes:
        c = collection(generator, cards)
        env = bench.env(c)
        memo = os.path.join(c["data"], "local", "due-count.json")
        due = [hone, "due", "--count"]
        sh(*due, env=env, stdout=subprocess.DEVNULL)
        remembered_reads = bench.files_read(due, env, c["data"], c["config"])
        os.remove(memo)
        computed_reads = bench.files_read(due, env, c["data"], c["config"])
        cat_remembered = "cat " + " ".join(map(shlex.quote, remembered_reads))
        cat_computed = "cat " + " ".join(map(shlex.quote, computed_reads))

        noop_s, remembered_s, cat_r = bench.time(
            f"{cards}-due-count", [noop, shlex.join(due), cat_remembered], env)
        computed_s, cat_c = bench.time(
            f"{cards}-due-count-computed", [shlex.join(due), cat_computed], env,
            prepare=f"rm -f {shlex.quote(memo)}")
        due_json_s, next_s, stats_s = bench.time(
            f"{cards}-reads",
            [f"{hone} due --json", f"{hone} next --json", f"{hone} stats --json"], env,
            runs=10 if cards >= 100_000 else None)

        # Writers work on a copy, so the collection stays as generated.
        copy = os.path.join(work, str(cards))
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(c["data"], copy)
        copy_env = bench.env(c, copy)
        answer = [hone, "answer", c["due_card"], "4"]
        answer_s, due_there_s = bench.time(
            f"{cards}-answer", [shlex.join(answer), shlex.join(due)], copy_env,
            prepare=f"rm -f {shlex.quote(os.path.join(copy, 'local', 'due-count.json'))}")

        rows.append((cards, c["reviews"], noop_s, remembered_s, cat_r, computed_s, cat_c,
                     due_json_s, next_s, stats_s, answer_s))
        checks.append((cards, noop_s, remembered_s, cat_r, computed_s, cat_c, answer_s, due_there_s))

        for label, command, stdin in [
            ("due --count (computed)", due, None),
            ("due --json", [hone, "due", "--json"], None),
            ("next --json", [hone, "next", "--json"], None),
            ("stats --json", [hone, "stats", "--json"], None),
            ("answer", answer, None),
        ]:
            if command is due and os.path.exists(memo):
                os.remove(memo)
            memory.append((cards, label, bench.peak_kib(command, copy_env if command is answer else env, stdin)))
        sizes_on_disk.append((cards, du(c["data"]), du(os.path.join(c["data"], "decks")),
                              du(os.path.join(c["data"], "reviews")),
                              du(os.path.join(c["data"], "local", "snapshot.json")),
                              du(c["data"]) - du(c["data"], skip=os.path.join(c["data"], "local", "backups"))))

    stdin_rows = []
    if 100_000 in sizes:
        c = collection(generator, 100_000)
        copy = os.path.join(work, "stdin")
        prepare = f"rm -rf {shlex.quote(copy)} && cp -a {shlex.quote(c['data'])} {shlex.quote(copy)}"
        env = bench.env(c, copy)
        lines = sum(1 for _ in open(c["stdin_answers"]))
        command = f"{hone} answer --stdin < {shlex.quote(c['stdin_answers'])}"
        (stdin_s,) = bench.time("100000-answer-stdin", [command], env, prepare=prepare, shell=True,
                                runs=3 if args.quick else 10)
        sh("sh", "-c", prepare)
        peak = bench.peak_kib([hone, "answer", "--stdin"], env, c["stdin_answers"])
        stdin_rows.append((lines, stdin_s, peak))

    imports = tsv_imports(bench, hone, generator, sizes, args.quick)
    report = render(rows, checks, memory, sizes_on_disk, stdin_rows, imports)
    report += "\n" + render_large_imports(large_imports(bench, hone, args.quick))
    with open(os.path.join(OUT, "report.md"), "w") as f:
        f.write(report)
    print(report)


def tsv_imports(bench, hone, generator, sizes, quick):
    """The collections' TSV decks (10,000 and 100,000 cards) imported into an empty data dir:
    mean seconds and peak KiB by cards."""
    work = os.path.join(OUT, "work")
    imports = {}
    for cards in [n for n in (10_000, 100_000) if n in sizes]:
        c = collection(generator, cards)
        target = os.path.join(work, f"import-{cards}")
        env = bench.env(c, target)
        command = [hone, "import", c["tsv"], "--deck", "bench"]
        (seconds,) = bench.time(f"{cards}-import", [shlex.join(command)], env,
                                prepare=f"rm -rf {shlex.quote(target)}", runs=3 if quick else 10)
        shutil.rmtree(target, ignore_errors=True)
        imports[cards] = (seconds, bench.peak_kib(command, env))
        shutil.rmtree(target, ignore_errors=True)
    return imports


def render_tsv_imports(imports):
    out = ["## Imports of the collections' decks", "", "| target | measured | met |", "| --- | --- | --- |"]
    out += import_checks(imports)
    out.append("")
    out += import_lines(imports)
    return "\n".join(out) + "\n"


def import_checks(imports):
    if 10_000 not in imports or 100_000 not in imports:
        return []
    small, large = imports[10_000][0], imports[100_000][0]
    return [f"| import of 100,000 cards within 12x of 10,000 | {large / small:.2f}x | {'yes' if large <= 12 * small else 'NO'} |",
            f"| import of 100,000 cards under a second | {ms(large)} | {'yes' if large < 1 else 'NO'} |"]


def import_lines(imports):
    return [f"Import of {cards:,} cards from TSV: {ms(seconds)}, peak {mib(kib):.1f} MiB."
            for cards, (seconds, kib) in sorted(imports.items())]


def instructions(command, env):
    """Instructions a whole process runs, counted by callgrind: steady on a busy machine."""
    with tempfile.NamedTemporaryFile("r") as log:
        sh("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", f"--log-file={log.name}",
           *command, env=env, stdout=subprocess.DEVNULL)
        for line in log.read().splitlines():
            if "Collected :" in line:
                return int(line.split(":")[-1].strip())
    return None


def compare(bench, old, generator, sizes):
    """This build against `old` on the commands that draw no card text, `answer`, and both sizes;
    with valgrind, each command's instruction count too, and what drawing a code card costs.
    Each build works on its own copy of a collection, with a snapshot it wrote itself: the two
    may keep their caches in different formats."""
    counting = shutil.which("valgrind") is not None
    out = ["| cards | command | before | after | change | instructions before | after |",
           "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for cards in sizes:
        c = collection(generator, cards)
        env = bench.env(c)
        dirs = {}
        for label, binary in (("before", old), ("after", bench.hone)):
            data = os.path.join(OUT, "against", f"{cards}-{label}")
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(c["data"], data)
            snapshot = os.path.join(data, "local", "snapshot.json")
            if os.path.exists(snapshot):
                os.remove(snapshot)
            with open(os.devnull) as nothing:  # an empty answer --stdin run writes the snapshot
                sh(binary, "--data-dir", data, "answer", "--stdin", env=env, stdin=nothing,
                   stdout=subprocess.DEVNULL)
            dirs[binary] = data

        def command(binary, args, data=None):
            return shlex.join([binary, "--data-dir", data or dirs[binary], *args])

        memos = " ".join(shlex.quote(os.path.join(d, "local", "due-count.json")) for d in dirs.values())
        work = {b: d + "-work" for b, d in dirs.items()}
        # hyperfine -N runs --prepare without a shell too.
        fresh = "sh -c " + shlex.quote(" && ".join(
            f"rm -rf {shlex.quote(work[b])} && cp -a {shlex.quote(dirs[b])} {shlex.quote(work[b])}"
            for b in dirs))
        for label, args, prepare, where in [
            ("due --count", ["due", "--count"], None, dirs),
            ("due --count, computed", ["due", "--count"], f"rm -f {memos}", dirs),
            ("next --json", ["next", "--json"], None, dirs),
            ("answer", ["answer", c["due_card"], "4"], fresh, work),
        ]:
            for binary in dirs:
                if prepare:
                    sh(*shlex.split(prepare))
                sh(*shlex.split(command(binary, args, where[binary])), env=env, stdout=subprocess.DEVNULL)
            slug = "-".join(a.replace("/", "_") for a in args[:2])
            before, after = bench.time(
                f"{cards}-against-{slug}{'-computed' if 'computed' in label else ''}",
                [command(old, args, where[old]), command(bench.hone, args, where[bench.hone])], env,
                prepare=prepare)
            counts = ["", ""]
            if counting:
                counts = []
                for binary in (old, bench.hone):
                    if prepare:
                        sh(*shlex.split(prepare))
                    else:
                        sh(*shlex.split(command(binary, args, where[binary])), env=env, stdout=subprocess.DEVNULL)
                    counted = instructions(shlex.split(command(binary, args, where[binary])), env)
                    counts.append(f"{counted / 1e6:.2f} M")
            out.append(f"| {cards:,} | {label} | {ms(before)} | {ms(after)} | "
                       f"{(after - before) * 1000:+.2f} ms ({(after / before - 1) * 100:+.1f}%) | {counts[0]} | {counts[1]} |")
    # What drawing code costs where it is drawn: a built-in card with an SQL block, in colour.
    c = collection(generator, sizes[0])
    env = bench.env(c)
    before_dir = os.path.join(OUT, "against", f"{sizes[0]}-before")
    after_dir = os.path.join(OUT, "against", f"{sizes[0]}-after")
    show = ["show", "sql/crud", "--color"]
    before, plain, coloured = bench.time(
        "against-show-code", [shlex.join([old, "--data-dir", before_dir, *show, "always"]),
                              shlex.join([bench.hone, "--data-dir", after_dir, *show, "never"]),
                              shlex.join([bench.hone, "--data-dir", after_dir, *show, "always"])], env)
    out += ["", f"`hone show sql/crud` (an SQL code block), {sizes[0]:,} cards: before {ms(before)}; "
            f"after, without colour {ms(plain)}, with colour (grammars loaded, code highlighted) "
            f"{ms(coloured)}."]
    old_size, new_size = os.path.getsize(old), os.path.getsize(bench.hone)
    out += ["", f"Binary size: {old_size / 2**20:.2f} MiB before, {new_size / 2**20:.2f} MiB after "
            f"({(new_size - old_size) / 2**20:+.2f} MiB)."]
    return "\n".join(out) + "\n"


def du(path, skip=None):
    """Bytes in the files under `path` (but not under `skip`), counting a hard-linked file once."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    seen, total = set(), 0
    for parent, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if os.path.join(parent, d) != skip]
        for name in names:
            stat = os.lstat(os.path.join(parent, name))
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def render(rows, checks, memory, sizes_on_disk, stdin_rows, imports):
    out = ["## Commands (mean wall time)", "",
           "| cards | reviews | noop binary | due --count | cat its files | due --count, computed | cat its files | due --json | next --json | stats --json | answer |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for cards, reviews, *times in rows:
        out.append(f"| {cards:,} | {int(reviews):,} | " + " | ".join(ms(t) for t in times) + " |")

    out += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]

    def check(text, measured, ok):
        out.append(f"| {text} | {measured} | {'yes' if ok else 'NO'} |")

    for cards, noop_s, remembered_s, cat_r, computed_s, cat_c, answer_s, due_there_s in checks:
        if cards == 1_000:
            check("due --count at 1,000 within 2 ms of a noop binary",
                  f"+{(remembered_s - noop_s) * 1000:.2f} ms", remembered_s - noop_s <= 0.002)
            check("due --count at 1,000, computed, within 2 ms of a noop binary",
                  f"+{(computed_s - noop_s) * 1000:.2f} ms", computed_s - noop_s <= 0.002)
        if cards == 100_000:
            check("due --count at 100,000 within 3x of cat of the files it reads",
                  f"{remembered_s / cat_r:.2f}x", remembered_s <= 3 * cat_r)
            check("due --count at 100,000, computed, within 3x of cat of the files it reads",
                  f"{computed_s / cat_c:.2f}x", computed_s <= 3 * cat_c)
            check("answer at 100,000 at most 1.5x due --count computed the same way (after a change)",
                  f"{answer_s / due_there_s:.2f}x", answer_s <= 1.5 * due_there_s)
            check("answer at 100,000 at most 1.5x a remembered due --count",
                  f"{answer_s / remembered_s:.2f}x", answer_s <= 1.5 * remembered_s)
    for cards, label, kib in memory:
        if cards == 100_000 and label != "stats --json":
            check(f"peak memory of {label} at 100,000 under 60 MiB", f"{mib(kib):.1f} MiB", mib(kib) < 60)
    out += import_checks(imports)

    out += ["", "## Peak memory (maximum resident set)", "", "| cards | command | peak |", "| ---: | --- | ---: |"]
    out += [f"| {cards:,} | {label} | {mib(kib):.1f} MiB |" for cards, label, kib in memory]
    for lines, seconds, kib in stdin_rows:
        out += ["", f"`answer --stdin` with {lines:,} lines at 100,000 cards: {ms(seconds)} "
                f"({seconds / lines * 1e6:.0f} µs per answer), peak {mib(kib):.1f} MiB."]
    out += import_lines(imports)
    out += ["", "## Data dir size (a hard-linked file counted once)", "",
            "| cards | total | decks/ | reviews/ | snapshot | added by backups |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for cards, *parts in sizes_on_disk:
        out.append(f"| {cards:,} | " + " | ".join(f"{p / 1e6:.1f} MB" for p in parts) + " |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
