//! The interactive session, driven through a real pseudo-terminal: reveal, grade, repeats, undo,
//! suspend, quitting, Ctrl-C, SIGTERM, narrow and short terminals, scrolling a long answer. Each test runs `hone review` under
//! `sh`, which sets the terminal size first and prints the exit code and the terminal modes
//! after, so the tests can see that the terminal was left as it was found.

#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::assert_cooked as assert_terminal_restored;
use common::pty_finish as finish;
use common::{BIN, Hone};
use expectrl::{Expect, Regex, Session};
use serde_json::Value;

const NOW: &str = common::NOW;

/// A session without colour over the api deck, whose first cards (api/rest, api/graphql, ...)
/// the tests below know.
const PLAIN: &str = "--color never --deck api";

/// `phrase` as the session summary may print it: filled to the terminal's width, so a line
/// break (with the terminal's carriage return) may stand where a space was.
fn wrapped(phrase: &str) -> Regex<String> {
    let words: Vec<String> = phrase.split(' ').map(regex_escape).collect();
    Regex(words.join(r"\s+"))
}

fn regex_escape(word: &str) -> String {
    word.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

fn spawn(hone: &Hone, args: &str, cols: u16) -> expectrl::session::OsSession {
    spawn_with(hone, args, cols, &[])
}

fn spawn_with(
    hone: &Hone,
    args: &str,
    cols: u16,
    env: &[(&str, &str)],
) -> expectrl::session::OsSession {
    spawn_sized(hone, args, (cols, 30), env)
}

fn spawn_sized(
    hone: &Hone,
    args: &str,
    (cols, rows): (u16, u16),
    env: &[(&str, &str)],
) -> expectrl::session::OsSession {
    // The trap keeps sh alive through a SIGINT meant for hone, so it can report what hone did.
    // `read` waits until the pty library has finished setting its own default size (80x24),
    // which it may do after the child has started; only then is our size set.
    let script = format!(
        "trap : INT; read go; stty cols {cols} rows {rows}; \"$0\" review {args}; echo \"exit=$?\"; stty -a; echo END",
    );
    common::pty(hone, &script, env)
}

fn new_per_day(hone: &Hone, n: u32) {
    hone.ok(&["config", "new_per_day", &n.to_string()]);
}

/// What the answer's screen shows last, at any width.
const GRADE_LEGEND: &str = "Right: 3 hard";

/// Reveals the answer on screen and grades it with `key`.
fn reveal_and_grade(s: &mut expectrl::session::OsSession, key: &str) {
    s.send("\r").unwrap();
    s.expect(GRADE_LEGEND).unwrap();
    s.send(key).unwrap();
}

/// The terminal's clear-screen sequence: every screen of the session starts with it.
const CLEAR: &str = "\u{1b}[2J";

/// What is on screen: the output since the last clear, without styles.
fn last_screen(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    let since = text.rsplit(CLEAR).next().unwrap_or_default();
    console::strip_ansi_codes(since).into_owned()
}

/// Waits for `marker`, then returns the screen it ends (the output since the last clear).
fn screen_until(s: &mut expectrl::session::OsSession, marker: &str) -> String {
    let found = s.expect(marker).unwrap();
    let mut bytes = found.before().to_vec();
    bytes.extend_from_slice(found.get(0).unwrap());
    last_screen(&bytes)
}

/// A session of `cards` new cards with the first answered (grade 5): it waits on card 2.
fn after_one_answer(hone: &Hone, cards: u32) -> expectrl::session::OsSession {
    new_per_day(hone, cards);
    let mut s = spawn(hone, PLAIN, 80);
    s.expect(format!("Card 1 of {cards}").as_str()).unwrap();
    reveal_and_grade(&mut s, "5");
    s.expect(format!("Card 2 of {cards}").as_str()).unwrap();
    s
}

/// Waits until hone has the terminal in raw mode, i.e. is waiting for a single key.
fn wait_for_raw_mode(session: &expectrl::session::OsSession) {
    let master = session.get_process().get_raw_handle().expect("pty master");
    for _ in 0..500 {
        let modes = rustix::termios::tcgetattr(&master).expect("terminal modes");
        if !modes
            .local_modes
            .contains(rustix::termios::LocalModes::ICANON)
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("hone never put the terminal in raw mode");
}

fn kinds(hone: &Hone) -> Vec<String> {
    hone.log_lines()
        .iter()
        .map(|l| l["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_whole_session_reveals_grades_and_saves_every_answer() {
    let hone = Hone::new();
    new_per_day(&hone, 2);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 2").unwrap();
    s.expect("Enter show the answer").unwrap();
    s.send("\r").unwrap();
    s.expect("Wrong: 0 blackout").unwrap();
    s.send("5").unwrap();
    s.expect("Card 2 of 2").unwrap();
    s.send(" ").unwrap();
    s.expect(GRADE_LEGEND).unwrap();
    s.send("e").unwrap(); // easy = 5
    s.expect("2 answers in").unwrap();
    s.expect(wrapped("100% recalled at the first try")).unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 0);
    assert_terminal_restored(&modes);
    assert_eq!(kinds(&hone), ["review", "review"]);
    assert!(
        hone.log_lines()
            .iter()
            .all(|l| l["grade"] == 5 && l["elapsed_ms"].is_u64())
    );
}

#[test]
fn a_failed_card_comes_back_until_it_is_graded_four() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 1").unwrap();
    reveal_and_grade(&mut s, "a"); // again = 1
    s.expect("It comes back later").unwrap();
    s.expect("Card 2 of 2").unwrap();
    s.expect("(again)").unwrap();
    reveal_and_grade(&mut s, "3"); // still below 4: once more
    s.expect("Card 3 of 3").unwrap();
    reveal_and_grade(&mut s, "4");
    s.expect("3 answers in").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    assert_eq!(kinds(&hone), ["review", "practice", "practice"]);
    let card = hone.log_lines()[0]["card"].as_str().unwrap().to_owned();
    let show = hone.json(&["show", &card, "--json"]);
    assert_eq!(
        show["state"]["repetitions"], 0,
        "practice did not change the schedule"
    );
    assert_eq!(show["state"]["due"], "2026-03-03");
}

#[test]
fn undo_restores_the_card_exactly_and_logs_the_undo() {
    let hone = Hone::new();
    let mut s = after_one_answer(&hone, 2);
    s.send("u").unwrap();
    s.expect("Undid the answer to").unwrap();
    s.expect("Card 1 of 2").unwrap();
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);

    assert_eq!(kinds(&hone), ["review", "undo"]);
    let log = hone.log_lines();
    assert_eq!(log[1]["undoes"], log[0]["id"]);
    let card = log[0]["card"].as_str().unwrap().to_owned();
    let show = hone.json(&["show", &card, "--json"]);
    assert_eq!(show["state"], Value::Null, "the card is new again");
    assert_eq!(show["history"][0]["undone"], true);
    assert_eq!(hone.ok(&["due", "--count"]), "2\n");
}

#[test]
fn suspend_takes_a_card_out_until_unsuspended() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let next =
        |hone: &Hone| hone.json(&["next", "--json", "--deck", "api"])["card"]["card"].clone();
    let first = next(&hone).as_str().unwrap().to_owned();
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 1").unwrap();
    s.send("s").unwrap();
    s.expect("Suspended").unwrap();
    assert_eq!(finish(&mut s).0, 0);

    assert_eq!(hone.json(&["show", &first, "--json"])["suspended"], true);
    assert_ne!(next(&hone), first.as_str());
    hone.ok(&["unsuspend", &first]);
    assert_eq!(next(&hone), first.as_str());
    assert_eq!(kinds(&hone), ["suspend", "unsuspend"]);
}

#[test]
fn quitting_midway_keeps_every_answer_given() {
    let hone = Hone::new();
    let mut s = after_one_answer(&hone, 3);
    s.send("q").unwrap();
    s.expect(wrapped("the rest waits for next time")).unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 0);
    assert_terminal_restored(&modes);
    assert_eq!(kinds(&hone), ["review"]);
}

#[test]
fn ctrl_c_ends_the_session_and_restores_the_terminal() {
    let hone = Hone::new();
    let mut s = after_one_answer(&hone, 3);
    wait_for_raw_mode(&s);
    s.send("\x03").unwrap(); // Ctrl-C while a key is awaited: a key, like q
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 0);
    assert_terminal_restored(&modes);
    assert_eq!(kinds(&hone), ["review"]);
}

#[test]
fn ctrl_c_while_typing_an_answer_restores_the_terminal() {
    let hone = Hone::new();
    let mut s = after_one_answer(&hone, 2);
    s.send("t").unwrap();
    s.expect("Your answer").unwrap();
    s.send("half a thought").unwrap();
    s.send("\x03").unwrap();
    s.expect("interrupted; every answer given so far is saved")
        .unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 130);
    assert_terminal_restored(&modes);
    assert_eq!(kinds(&hone), ["review"]);
}

#[test]
fn a_typed_answer_is_kept_beside_the_review() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 1").unwrap();
    s.send("t").unwrap();
    s.expect("Your answer").unwrap();
    s.send("resources over HTTP\r").unwrap();
    s.expect(GRADE_LEGEND).unwrap();
    s.send("g").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    assert_eq!(hone.log_lines()[0]["response"], "resources over HTTP");
}

/// The pid of `sh`'s child, from /proc: the hone process under test.
fn child_of(parent: u32) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the command name, which is in parentheses: state, then the parent pid.
        let after = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        if after
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
            == Some(parent)
        {
            return Some(pid);
        }
    }
    None
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_answers() {
    let hone = Hone::new();
    let mut s = after_one_answer(&hone, 3);
    s.send("\r").unwrap();
    s.expect(GRADE_LEGEND).unwrap(); // waiting for a key, in raw mode
    let shell = s.get_process().pid().as_raw() as u32;
    let hone_pid = child_of(shell).expect("hone runs under sh");
    let status = Command::new("kill")
        .args(["-TERM", &hone_pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    s.expect("interrupted").unwrap();
    let (code, modes) = finish(&mut s);
    assert_eq!(code, 143);
    assert_terminal_restored(&modes);
    assert_eq!(kinds(&hone), ["review"]);
}

/// Every line of `screen` fits in `cols` columns.
fn assert_fits(screen: &str, cols: usize) {
    for line in screen.lines() {
        let line = line.trim_matches(['\r', ' ']);
        assert!(
            line.chars().count() <= cols,
            "a line of {} columns in:\n{screen}",
            line.chars().count()
        );
    }
}

#[test]
fn a_narrow_terminal_gets_everything_laid_out_to_its_width() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 40);
    let question = screen_until(&mut s, "q quit");
    assert_fits(&question, 40);
    assert!(
        question.contains("Enter reveal · t type first · u undo"),
        "{question}"
    );
    s.send("\r").unwrap();
    let answer = screen_until(&mut s, "q quit");
    assert_fits(&answer, 40);
    assert!(answer.contains("REST"), "{answer}");
    for line in [
        "Wrong: 0 blackout · 1 familiar · 2 easy",
        "Right: 3 hard · 4 good · 5 perfect",
        "a/h/g/e = 1/3/4/5 · u undo · s suspend",
    ] {
        assert!(answer.contains(line), "{line:?} in:\n{answer}");
    }
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn regression_the_question_legend_stayed_above_the_revealed_answer() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 100);
    let question = screen_until(&mut s, "q quit");
    assert!(question.contains("Enter show the answer"), "{question}");
    s.send("\r").unwrap();
    let answer = screen_until(&mut s, "q quit");
    assert!(!answer.contains("Enter show the answer"), "{answer}");
    assert!(!answer.contains("t type an answer first"), "{answer}");
    // The grade legend at 100 columns: each group on a line of its own, no item cut.
    for line in [
        "Wrong: 0 blackout · 1 familiar once seen · 2 easy once seen",
        "Right: 3 hard · 4 good · 5 perfect",
        "a/h/g/e = again/hard/good/easy · u undo · s suspend · q quit",
    ] {
        assert!(
            answer.lines().any(|l| l.trim_end() == line),
            "{line:?} in:\n{answer}"
        );
    }
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

/// A deck `long` of one card whose answer has 40 numbered lines.
fn long_answer_deck(hone: &Hone) {
    let back: Vec<String> = (1..=40).map(|n| format!("- answer line {n:02}")).collect();
    let deck = serde_json::json!([{
        "id": "card",
        "front": "What comes in forty lines?",
        "back": back.join("\n"),
    }]);
    let path = hone.write("long.json", &deck.to_string());
    hone.ok(&["import", path.to_str().unwrap()]);
}

#[test]
fn regression_a_long_answer_scrolled_the_question_off_a_40x10_terminal() {
    let hone = Hone::new();
    long_answer_deck(&hone);
    let mut s = spawn_sized(&hone, "--color never --deck long", (40, 10), &[]);
    s.expect("What comes in forty lines?").unwrap();
    s.send("t").unwrap();
    s.expect("Your answer").unwrap();
    s.send("many lines\r").unwrap();
    // It opens on the typed answer and the start of the model answer, and says how to scroll.
    let first = screen_until(&mut s, "q quit");
    assert_fits(&first, 40);
    assert!(first.lines().count() <= 10, "{first}");
    assert!(first.contains("Your answer: many lines"), "{first}");
    assert!(first.contains("answer line 01"), "{first}");
    assert!(first.contains("↑↓ j k PgUp PgDn"), "{first}");
    // Home brings the question back, End the last line, and PgDn walks through every line.
    s.send("\u{1b}[H").unwrap();
    let top = screen_until(&mut s, "q quit");
    assert!(top.contains("What comes in forty lines?"), "{top}");
    assert!(top.contains("Card 1 of 1"), "{top}");
    let mut seen = top.clone();
    for _ in 0..40 {
        s.send("\u{1b}[6~").unwrap();
        seen.push_str(&screen_until(&mut s, "q quit"));
    }
    for n in 1..=40 {
        assert!(
            seen.contains(&format!("answer line {n:02}")),
            "line {n} never shown"
        );
    }
    s.send("\u{1b}[F").unwrap();
    let bottom = screen_until(&mut s, "q quit");
    assert!(bottom.contains("answer line 40"), "{bottom}");
    assert!(bottom.contains("of 4"), "the place in the page: {bottom}");
    s.send("4").unwrap();
    s.expect("1 answer in").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    assert_eq!(hone.log_lines()[0]["response"], "many lines");
}

#[test]
fn a_word_on_a_key_stays_in_view_when_the_page_is_scrolled() {
    let hone = Hone::new();
    long_answer_deck(&hone);
    let mut s = spawn_sized(&hone, "--color never --deck long", (40, 10), &[]);
    s.expect("q quit").unwrap();
    s.send("\r").unwrap();
    s.expect("q quit").unwrap();
    s.send("u").unwrap();
    let screen = screen_until(&mut s, "q quit");
    assert!(screen.contains("Nothing to undo yet."), "{screen}");
    assert!(screen.lines().count() <= 10, "{screen}");
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn regression_an_undone_answers_typed_text_went_to_the_re_answer() {
    let hone = Hone::new();
    new_per_day(&hone, 2);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 2").unwrap();
    s.send("t").unwrap();
    s.expect("Your answer").unwrap();
    s.send("resources over HTTP\r").unwrap();
    s.expect(GRADE_LEGEND).unwrap();
    s.send("2").unwrap();
    s.expect("Card 2 of 3").unwrap();
    s.send("u").unwrap();
    s.expect("Undid the answer to").unwrap();
    let again = screen_until(&mut s, "q quit");
    assert!(
        again.contains("Your answer (typed before the undo): resources over HTTP"),
        "{again}"
    );
    assert!(again.contains("t change your answer"), "{again}");
    reveal_and_grade(&mut s, "5");
    s.expect("Card 2 of 2").unwrap();
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    let log = hone.log_lines();
    assert_eq!(kinds(&hone), ["review", "undo", "review"]);
    assert_eq!(log[0]["response"], "resources over HTTP");
    assert_eq!(log[2]["response"], "resources over HTTP", "{}", log[2]);
    assert_eq!(log[2]["grade"], 5);
    let card = log[0]["card"].as_str().unwrap();
    let show = hone.ok(&["show", card]);
    assert!(show.contains("Typed answers:"), "{show}");
    assert_eq!(show.matches("resources over HTTP").count(), 2, "{show}");
    assert!(show.contains("(undone)"), "{show}");
}

#[test]
fn regression_quitting_early_named_only_the_next_due_day() {
    let hone = Hone::new();
    let mut s = after_one_answer(&hone, 3);
    s.send("q").unwrap();
    s.expect(wrapped("still to do today: 0 cards due and 2 new cards"))
        .unwrap();
    s.expect(wrapped("`hone review` goes on with them"))
        .unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn the_summary_fits_a_narrow_terminal() {
    let hone = Hone::new();
    new_per_day(&hone, 3);
    let mut s = spawn(&hone, PLAIN, 40);
    s.expect("Card 1 of 3").unwrap();
    reveal_and_grade(&mut s, "5");
    s.expect("Card 2 of 3").unwrap();
    s.send("q").unwrap();
    let found = s.expect(Regex("exit=([0-9]+)")).unwrap();
    assert_eq!(found.get(1).unwrap(), b"0");
    let summary = last_screen(found.before());
    assert!(summary.contains("waits"), "{summary:?}");
    for line in summary.lines() {
        let line = line.trim_end_matches('\r');
        assert!(line.chars().count() <= 40, "{line:?} in {summary:?}");
    }
}

#[test]
fn finishing_the_day_names_the_next_due_day() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 1").unwrap();
    reveal_and_grade(&mut s, "5");
    s.expect(wrapped("the next card is due on 2026-03-03"))
        .unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn code_in_a_card_is_coloured_by_its_language() {
    let hone = Hone::new();
    let deck = serde_json::json!([{
        "id": "insert",
        "front": "How do you get the id of a new row?",
        "back": "```sql\nINSERT INTO users (email) VALUES ('a@example.com') RETURNING id;\n```",
    }]);
    let path = hone.write("code.json", &deck.to_string());
    hone.ok(&["import", path.to_str().unwrap()]);
    let mut s = spawn_with(&hone, "--color always --deck code", 60, &[]);
    s.expect("new row?").unwrap();
    s.expect("q quit").unwrap();
    s.send("\r").unwrap();
    let found = s.expect("q quit").unwrap();
    let raw = String::from_utf8_lossy(found.before()).into_owned();
    assert!(raw.contains("\u{1b}[35mINSERT"), "{raw:?}");
    assert!(raw.contains("\u{1b}[32m'a@example.com'"), "{raw:?}");
    let screen = last_screen(found.before());
    assert!(
        screen.contains("  ↪ RETURNING id;"),
        "cut between tokens at 60:\n{screen}"
    );
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn cramming_drills_cards_without_touching_the_schedule() {
    let hone = Hone::new();
    hone.ok(&["answer", "sql/joins", "5"]);
    let before = hone.json(&["show", "sql/joins", "--json"])["state"].clone();
    let mut s = spawn(&hone, "--color never --cram --deck sql --limit 2", 80);
    s.expect("Card 1 of 2").unwrap();
    s.expect("sql/joins (cram)").unwrap();
    reveal_and_grade(&mut s, "0");
    s.expect("practice (the schedule is unchanged)").unwrap();
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    assert_eq!(kinds(&hone), ["review", "practice"]);
    assert_eq!(hone.json(&["show", "sql/joins", "--json"])["state"], before);
}

#[test]
fn deck_and_new_card_options_choose_the_session() {
    let hone = Hone::new();
    let mut s = spawn(&hone, "--color never --deck git --new 3 --limit 2", 80);
    s.expect("Card 1 of 2").unwrap();
    s.expect("git/").unwrap();
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn nothing_due_says_so_and_points_at_cram() {
    let hone = Hone::new();
    new_per_day(&hone, 0);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Nothing due today").unwrap();
    s.expect("hone review --cram").unwrap();
    assert_eq!(finish(&mut s).0, 0);
}

#[test]
fn colours_follow_no_color_and_the_color_flag() {
    let bold = "\u{1b}[1m";
    let screen = |args: &str, env: &[(&str, &str)]| {
        let hone = Hone::new();
        let mut s = spawn_with(&hone, args, 80, env);
        let shown = s.expect("Enter show the answer").unwrap();
        let text = String::from_utf8_lossy(shown.before()).into_owned();
        s.send("q").unwrap();
        finish(&mut s);
        text
    };
    assert!(
        screen("", &[]).contains(bold),
        "a terminal gets colour by default"
    );
    assert!(
        !screen("", &[("NO_COLOR", "1")]).contains(bold),
        "NO_COLOR turns it off"
    );
    assert!(
        screen("--color always", &[("NO_COLOR", "1")]).contains(bold),
        "--color always wins"
    );
    assert!(!screen("--color never", &[]).contains(bold));
}

#[test]
fn an_answer_another_process_recorded_meanwhile_makes_the_sessions_answer_practice() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 80);
    s.expect("Card 1 of 1").unwrap();
    // The same card, graded from a second terminal while the session shows it.
    hone.ok(&["answer", "api/rest", "5"]);
    reveal_and_grade(&mut s, "4");
    s.expect("1 answer in").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    assert_eq!(
        kinds(&hone),
        ["review", "practice"],
        "one review that study day"
    );
    let show = hone.json(&["show", "api/rest", "--json"]);
    assert_eq!(
        show["state"]["ease"], 2.6,
        "the first answer's grade 5 stands: {show}"
    );
}

#[test]
fn an_export_to_a_terminal_shows_control_characters_instead_of_obeying_them() {
    let hone = Hone::new();
    let deck = hone.write(
        "x.json",
        r#"[{"id": "c", "front": "clip \u001b]52;c;Zm9v\u0007 and \u009b2J", "back": "b \u202e"}]"#,
    );
    hone.ok(&["import", deck.to_str().unwrap()]);
    // A file or a pipe gets the exact text.
    let piped = hone.ok(&["export", "--deck", "x", "--format", "hone"]);
    assert!(piped.contains('\u{1b}') && piped.contains('\u{9b}'));
    let script = "\"$0\" export --deck x --format hone; echo END";
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(BIN)
        .env_clear()
        .env("TERM", "xterm")
        .env("HONE_DATA_DIR", hone.data_dir())
        .env("HONE_CONFIG", hone.config_file())
        .env("HONE_NOW", NOW);
    let mut session = Session::spawn(cmd).expect("spawn a pty");
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    let shown = session.expect("END").unwrap();
    let text = String::from_utf8_lossy(shown.before()).into_owned();
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(raw),
            "{raw:?} reached the terminal: {text:?}"
        );
    }
    assert!(text.contains("\\u{1b}]52;c;Zm9v\\u{7}"), "{text:?}");
}

/// The key points of the session's first card, api/rest.
fn first_card_points(hone: &Hone) -> Vec<String> {
    let show = hone.json(&["show", "api/rest", "--json"]);
    show["card"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_checklist_marks_points_proposes_a_grade_and_shows_what_was_missed() {
    let hone = Hone::new();
    let points = first_card_points(&hone);
    assert_eq!(points.len(), 5, "api/rest's points: {points:?}");
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 100);
    s.expect("Card 1 of 1").unwrap();
    s.send("\r").unwrap();
    s.expect("Key points: which did your answer cover?")
        .unwrap();
    s.expect("Enter grade 1 (0 of 5 covered)").unwrap();
    s.send(" ").unwrap(); // point 1 covered; the cursor moves on to 2
    s.expect("Enter grade 2 (1 of 5 covered)").unwrap();
    s.send("\u{1b}[B").unwrap(); // down to 3
    s.send(" ").unwrap(); // 3 covered, on to 4
    s.expect("Enter grade 2 (2 of 5 covered)").unwrap();
    s.send(" ").unwrap(); // 4 covered
    let screen = screen_until(&mut s, "Enter grade 3 (3 of 5 covered)");
    assert!(
        screen.contains("[x] 1.") && screen.contains("[ ] 2."),
        "{screen}"
    );
    assert!(
        screen.contains("[x] 3.") && screen.contains("[x] 4."),
        "{screen}"
    );
    s.send("\r").unwrap(); // accept the proposal
    s.expect("Saved api/rest: grade 3").unwrap();
    s.expect("Missed:").unwrap();
    s.expect(points[1].as_str()).unwrap();
    s.expect(points[4].as_str()).unwrap();
    s.expect("Card 2 of 2").unwrap(); // graded 3: it comes back once more
    s.send("q").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    let line = &hone.log_lines()[0];
    assert_eq!(line["grade"], 3);
    assert_eq!(line["covered"], serde_json::json!([1, 3, 4]));
    assert_eq!(line["points"].as_array().unwrap().len(), 5);
}

#[test]
fn a_digit_overrides_the_proposed_grade_and_keeps_the_marks() {
    let hone = Hone::new();
    let points = first_card_points(&hone);
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 100);
    s.expect("Card 1 of 1").unwrap();
    s.send("\r").unwrap();
    s.expect("Enter grade 1 (0 of 5 covered)").unwrap();
    s.send(" ").unwrap();
    s.expect("Enter grade 2 (1 of 5 covered)").unwrap();
    s.send("4").unwrap();
    s.expect("Saved api/rest: grade 4").unwrap();
    s.expect(points[4].as_str()).unwrap();
    assert_eq!(finish(&mut s).0, 0);
    let line = &hone.log_lines()[0];
    assert_eq!(line["grade"], 4);
    assert_eq!(line["covered"], serde_json::json!([1]));
}

#[test]
fn a_grade_given_without_checking_the_points_records_no_coverage() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 100);
    s.expect("Card 1 of 1").unwrap();
    reveal_and_grade(&mut s, "5");
    s.expect("1 answer in").unwrap();
    assert_eq!(finish(&mut s).0, 0);
    let line = &hone.log_lines()[0];
    assert_eq!(line["grade"], 5);
    assert!(line.get("covered").is_none(), "{line}");
    assert!(line.get("points").is_none(), "{line}");
}
