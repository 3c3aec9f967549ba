//! `hone due --count` answers from a memo while nothing it depends on changed. These tests
//! change each input in turn, the way a user or a sync tool would, and require the count to
//! equal what `due --json` computes from scratch every time.

mod common;

use common::{Hone, NOW, stderr};

const TOMORROW: &str = "2026-03-03T09:00:00+01:00";

fn count_at(hone: &Hone, now: &str, filter: &[&str]) -> u64 {
    let mut args = vec!["due", "--count"];
    args.extend_from_slice(filter);
    hone.ok_at(now, &args).trim().parse().expect("a number")
}

/// The count, asked twice (the second time from the memo when there is one), checked against
/// the full computation.
fn check_at(hone: &Hone, now: &str, filter: &[&str], step: &str) -> u64 {
    let mut args = vec!["due", "--json"];
    args.extend_from_slice(filter);
    let computed = hone.json_at(now, &args)["count"].as_u64().expect("count");
    assert_eq!(count_at(hone, now, filter), computed, "{step}: first ask");
    assert_eq!(count_at(hone, now, filter), computed, "{step}: second ask");
    computed
}

fn check(hone: &Hone, step: &str) -> u64 {
    check_at(hone, NOW, &[], step)
}

fn memo(hone: &Hone) -> std::path::PathBuf {
    hone.data_dir().join("local/due-count.json")
}

fn first_due_card(hone: &Hone) -> String {
    hone.json(&["next", "--json"])["card"]["card"]
        .as_str()
        .expect("a card")
        .to_owned()
}

#[test]
fn the_count_follows_every_change_to_what_it_depends_on() {
    let hone = Hone::new();
    check(&hone, "no data dir yet");
    assert!(!memo(&hone).exists(), "nothing is created by asking");

    let card = first_due_card(&hone);
    hone.ok(&["answer", &card, "4"]);
    let after_answer = check(&hone, "after an answer");
    assert!(memo(&hone).exists(), "the count was remembered");

    let deck = hone.write(
        "mine.tsv",
        "front\tback\ttags\none?\tfirst\taa\ntwo?\tsecond\taa\nthree?\tthird\taa\n",
    );
    hone.ok(&["import", deck.to_str().unwrap(), "--deck", "mine"]);
    check(&hone, "after an import");
    check_at(&hone, NOW, &["--deck", "mine"], "filtered by deck");
    assert_eq!(check_at(&hone, NOW, &["--tag", "aa"], "by tag"), 3);

    // A re-import that changes one card's tags.
    let deck = hone.write(
        "mine.tsv",
        "front\tback\ttags\none?\tfirst\taa\ntwo?\tsecond\taa\nthree?\tthird\tbb\n",
    );
    hone.ok(&["import", deck.to_str().unwrap(), "--deck", "mine"]);
    assert_eq!(check_at(&hone, NOW, &["--tag", "aa"], "re-tagged"), 2);

    // A curriculum log replaced by a sync tool with one of the same size: only its identity
    // tells.
    let log = std::fs::read_dir(hone.data_dir().join("curriculum"))
        .expect("curriculum logs")
        .next()
        .expect("one log")
        .expect("entry")
        .path();
    let text = std::fs::read_to_string(&log).expect("log");
    let swapped = text.replacen("\"bb\"", "\"aa\"", 1);
    assert_eq!(swapped.len(), text.len());
    std::fs::remove_file(&log).expect("remove");
    std::fs::write(&log, swapped).expect("replace");
    assert_eq!(check_at(&hone, NOW, &["--tag", "aa"], "replaced"), 3);

    hone.ok(&["deck", "disable", "mine"]);
    check(&hone, "after disabling a deck");
    hone.ok(&["deck", "enable", "mine"]);
    check(&hone, "after enabling it again");

    hone.ok(&["config", "new_per_day", "3"]);
    let fewer = check(&hone, "after lowering new_per_day");
    assert!(fewer < after_answer + 3, "the setting was applied");

    hone.ok(&["suspend", &first_due_card(&hone)]);
    check(&hone, "after a suspension");

    hone.ok(&["plan", "--interview", "2026-03-20"]);
    check(&hone, "with a plan");
    hone.ok(&["plan", "--clear"]);
    check(&hone, "without it");

    check_at(&hone, TOMORROW, &[], "the next day");
    hone.ok(&["undo"]);
    check(&hone, "after an undo");
}

#[test]
fn a_log_that_arrives_from_another_device_is_counted() {
    let hone = Hone::new();
    let other = Hone::new();
    let before = check(&hone, "before");
    hone.ok(&["answer", &first_due_card(&hone), "5"]);
    check(&hone, "after an answer here");

    // Another machine answers a different card; a sync tool drops its log beside ours.
    let mut cards = other.json(&["due", "--json"])["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .map(|c| c["card"].as_str().expect("id").to_owned())
        .collect::<Vec<_>>();
    let theirs = cards.remove(1);
    other.ok(&["answer", &theirs, "5"]);
    let their_log = std::fs::read_dir(other.data_dir().join("reviews"))
        .expect("their logs")
        .next()
        .expect("one log")
        .expect("entry")
        .path();
    std::fs::copy(
        &their_log,
        hone.data_dir()
            .join("reviews")
            .join(their_log.file_name().unwrap()),
    )
    .expect("copy");
    let after = check(&hone, "after the other device's log arrived");
    assert_eq!(after, before - 2, "both answers count");
}

#[test]
fn a_damaged_memo_is_ignored_and_replaced() {
    let hone = Hone::new();
    hone.ok(&["answer", &first_due_card(&hone), "4"]);
    let expected = check(&hone, "before");
    for junk in [
        "",
        "{",
        "{\"entries\":[{\"inputs\":\"x\",\"count\":\"many\"}]}",
        "\u{0}",
    ] {
        std::fs::write(memo(&hone), junk).expect("write memo");
        assert_eq!(count_at(&hone, NOW, &[]), expected, "memo {junk:?}");
        assert_eq!(count_at(&hone, NOW, &[]), expected, "memo {junk:?}, again");
    }
}

#[test]
fn a_memo_that_lies_about_other_inputs_is_not_believed() {
    let hone = Hone::new();
    hone.ok(&["answer", &first_due_card(&hone), "4"]);
    let expected = check(&hone, "before");
    let text = std::fs::read_to_string(memo(&hone)).expect("memo");
    // The entry as it would be after another answer: the log size is part of the inputs.
    hone.ok(&["answer", &first_due_card(&hone), "4"]);
    std::fs::write(memo(&hone), text).expect("put the old memo back");
    assert_eq!(count_at(&hone, NOW, &[]), expected - 1);
}

#[test]
fn warnings_are_repeated_rather_than_remembered_away() {
    let hone = Hone::new();
    hone.ok(&["answer", &first_due_card(&hone), "4"]);
    let log = std::fs::read_dir(hone.data_dir().join("reviews"))
        .expect("logs")
        .next()
        .expect("a log")
        .expect("entry")
        .path();
    // A write cut short by a crash: an incomplete last line.
    let mut bytes = std::fs::read(&log).expect("log");
    bytes.extend_from_slice(b"{\"v\":1,\"id\":\"cut");
    std::fs::write(&log, bytes).expect("tear the log");
    for ask in ["first", "second"] {
        let out = hone.run_at(NOW, &["due", "--count"]);
        assert!(out.status.success(), "{ask}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("incomplete last line"),
            "{ask} ask warns: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_memo_that_cannot_be_written_or_read_costs_only_time() {
    let hone = Hone::new();
    hone.ok(&["answer", &first_due_card(&hone), "4"]);
    let expected = check(&hone, "before");
    // A directory where the memo file goes: it can be neither read nor replaced, even by root.
    std::fs::remove_file(memo(&hone)).expect("remove memo");
    std::fs::create_dir(memo(&hone)).expect("block the memo");
    for ask in ["first", "second"] {
        let out = hone.run_at(NOW, &["due", "--count"]);
        assert!(out.status.success(), "{ask}: {}", stderr(&out));
        assert_eq!(common::stdout(&out).trim(), expected.to_string(), "{ask}");
        assert_eq!(stderr(&out), "", "{ask}: a cache says nothing");
    }
    hone.ok(&["answer", &first_due_card(&hone), "4"]);
    assert_eq!(
        count_at(&hone, NOW, &[]),
        expected - 1,
        "still follows changes"
    );
}
