//! In-process benchmarks at 1,000, 10,000 and 100,000 cards: each command's own work, without
//! starting a process, and the library call under a review session's answers. The collections
//! are generated once into the target dir (see `support/collection.rs`). Run with
//! `cargo bench --bench hone`; `scripts/bench.py` measures whole processes, memory and size.

#[path = "support/collection.rs"]
mod collection;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use collection::{Collection, NOW};
use divan::Bencher;
use hone::answer::{self, Moment};
use hone::model::{CardId, Grade, Graded, ReviewKind};
use hone::store::Store;

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn main() {
    divan::main();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-collections")
}

/// The generated collection of `cards` cards, built on first use.
fn collection(cards: usize) -> &'static Collection {
    static BUILT: OnceLock<Mutex<BTreeMap<usize, &'static Collection>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .expect("not poisoned");
    built.entry(cards).or_insert_with(|| {
        let made = Collection::at(&root(), cards).expect("generate the collection");
        Box::leak(Box::new(made))
    })
}

/// An empty scratch directory for benchmarks that change what they run on.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("scratch").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn memo(c: &Collection) -> PathBuf {
    c.data.join("local/due-count.json")
}

/// `due --count` after something changed: the full computation.
#[divan::bench(args = SIZES)]
fn due_count_computed(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    bencher
        .with_inputs(|| {
            let _ = fs::remove_file(memo(c));
        })
        .bench_local_values(|()| c.run(&["due", "--count"], b"").expect("due --count"));
}

/// `due --count` when nothing changed since the last one: what a shell prompt pays.
#[divan::bench(args = SIZES)]
fn due_count_remembered(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    c.run(&["due", "--count"], b"").expect("due --count");
    bencher.bench_local(|| c.run(&["due", "--count"], b"").expect("due --count"));
}

#[divan::bench(args = SIZES)]
fn due_json(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    bencher.bench_local(|| c.run(&["due", "--json"], b"").expect("due --json"));
}

#[divan::bench(args = SIZES)]
fn next_json(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    bencher.bench_local(|| c.run(&["next", "--json"], b"").expect("next --json"));
}

#[divan::bench(args = SIZES)]
fn stats_json(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    bencher.bench_local(|| c.run(&["stats", "--json"], b"").expect("stats --json"));
}

/// `hone answer CARD 4`: load, record one answer durably, print it.
#[divan::bench(args = SIZES)]
fn answer_one(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    bencher.bench_local(|| c.run(&["answer", &c.due_card, "4"], b"").expect("answer"));
}

/// One answer recorded by a process that has the state loaded, as in a review session: this
/// must not grow with the collection.
#[divan::bench(args = SIZES)]
fn record_in_session(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    let mut store = Store::new(c.data.clone(), Duration::from_secs(10), 7);
    store.state().expect("load");
    let card: CardId = c.due_card.parse().expect("card id");
    let at = chrono::DateTime::parse_from_rfc3339(NOW).expect("time");
    let when = Moment {
        at,
        day_start_hour: 4,
        max_interval: hone::sm2::MAX_INTERVAL,
    };
    bencher.bench_local(|| {
        store
            .record(|state, store| {
                let graded = Graded {
                    grade: Grade::new(4).expect("grade"),
                    elapsed_ms: None,
                    response: None,
                    coverage: None,
                    mock: None,
                };
                let before = state.cards.get(&card);
                let id = store.new_review_id();
                let event = answer::answer(
                    &card,
                    graded,
                    ReviewKind::Scheduled,
                    before,
                    when,
                    id,
                    &hone::memory::Model::default(),
                );
                Ok((vec![event], ()))
            })
            .expect("record")
    });
}

/// `hone answer --stdin` with 10,000 lines, on a fresh copy of the 100,000-card collection.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn answer_stdin_10k_lines(bencher: Bencher) {
    let c = collection(100_000);
    let input = fs::read(&c.stdin_answers).expect("answers");
    let copy = scratch("answer-stdin");
    bencher
        .with_inputs(|| copy_collection(c, &copy))
        .bench_local_values(|copied| copied.run(&["answer", "--stdin"], &input).expect("answer"));
}

/// Importing a TSV file into an empty data dir.
#[divan::bench(args = [10_000, 100_000], sample_count = 5, sample_size = 1)]
fn import_tsv(bencher: Bencher, cards: usize) {
    let c = collection(cards);
    let tsv = c.tsv.display().to_string();
    let dir = scratch(&format!("import-{cards}"));
    bencher
        .with_inputs(|| {
            let _ = fs::remove_dir_all(dir.join("data"));
            Collection {
                data: dir.join("data"),
                config: dir.join("config.toml"),
                tsv: c.tsv.clone(),
                stdin_answers: c.stdin_answers.clone(),
                due_card: c.due_card.clone(),
                ..*c
            }
        })
        .bench_local_values(|empty| {
            empty
                .run(&["import", &tsv, "--deck", "bench"], b"")
                .expect("import")
        });
}

fn copy_collection(c: &Collection, dir: &Path) -> Collection {
    let data = dir.join("data");
    let _ = fs::remove_dir_all(&data);
    copy_dir(&c.data, &data);
    Collection {
        data,
        config: c.config.clone(),
        tsv: c.tsv.clone(),
        stdin_answers: c.stdin_answers.clone(),
        due_card: c.due_card.clone(),
        ..*c
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create");
    for entry in fs::read_dir(from).expect("list") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}
