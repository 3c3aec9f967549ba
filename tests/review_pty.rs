//! The interactive session, driven through a real pseudo-terminal: reveal, grade, repeats, undo,
//! suspend, quitting, Ctrl-C, SIGTERM and a narrow terminal. Each test runs `hone review` under
//! `sh`, which sets the terminal size first and prints the exit code and the terminal modes
//! after, so the tests can see that the terminal was left as it was found.

#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::{BIN, Hone};
use expectrl::{Expect, Regex, Session};
use serde_json::Value;

const NOW: &str = common::NOW;

/// A session without colour over the api deck, whose first cards (api/rest, api/graphql, ...)
/// the tests below know.
const PLAIN: &str = "--color never --deck api";

fn spawn(hone: &Hone, args: &str, cols: u16) -> expectrl::session::OsSession {
    spawn_with(hone, args, cols, &[])
}

fn spawn_with(
    hone: &Hone,
    args: &str,
    cols: u16,
    env: &[(&str, &str)],
) -> expectrl::session::OsSession {
    // The trap keeps sh alive through a SIGINT meant for hone, so it can report what hone did.
    // `read` waits until the pty library has finished setting its own default size (80x24),
    // which it may do after the child has started; only then is our size set.
    let script = format!(
        "trap : INT; read go; stty cols {cols} rows 30; \"$0\" review {args}; echo \"exit=$?\"; stty -a; echo END",
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(BIN)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("HONE_DATA_DIR", hone.data_dir())
        .env("HONE_CONFIG", hone.config_file())
        .env("HONE_NOW", NOW)
        .envs(env.iter().copied());
    let mut session = Session::spawn(cmd).expect("spawn a pty");
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session.send_line("go").expect("start the script");
    session
}

fn new_per_day(hone: &Hone, n: u32) {
    hone.ok(&["config", "new_per_day", &n.to_string()]);
}

/// Waits for the end of the script and returns the exit code and `stty -a`'s output.
fn finish(session: &mut expectrl::session::OsSession) -> (i32, String) {
    let found = session.expect(Regex("exit=([0-9]+)")).expect("hone exits");
    let code: i32 = String::from_utf8_lossy(found.get(1).unwrap())
        .parse()
        .unwrap();
    let modes = session.expect("END").expect("stty runs");
    (code, String::from_utf8_lossy(modes.before()).into_owned())
}

/// Reveals the answer on screen and grades it with `key`.
fn reveal_and_grade(s: &mut expectrl::session::OsSession, key: &str) {
    s.send("\r").unwrap();
    s.expect("Grade:").unwrap();
    s.send(key).unwrap();
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

/// Raw mode turns these off; a restored terminal has them on.
fn assert_terminal_restored(modes: &str) {
    for flag in ["icanon", "isig", "icrnl"] {
        assert!(
            modes.split_whitespace().any(|w| w == flag),
            "terminal left without {flag}: {modes}"
        );
    }
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
    s.expect("Grade: 0 blackout").unwrap();
    s.send("5").unwrap();
    s.expect("Card 2 of 2").unwrap();
    s.send(" ").unwrap();
    s.expect("Grade:").unwrap();
    s.send("e").unwrap(); // easy = 5
    s.expect("2 answers in").unwrap();
    s.expect("100% recalled at the first try").unwrap();
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
    s.expect("the rest waits for next time").unwrap();
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
    s.expect("Grade:").unwrap();
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
    s.expect("Grade:").unwrap(); // waiting for a key, in raw mode
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

#[test]
fn a_narrow_terminal_gets_everything_wrapped_to_its_width() {
    let hone = Hone::new();
    new_per_day(&hone, 1);
    let mut s = spawn(&hone, PLAIN, 40);
    s.expect("Card 1 of 1").unwrap();
    s.send("\r").unwrap();
    let screen = s.expect("a/h/g/e").unwrap();
    let text = console::strip_ansi_codes(&String::from_utf8_lossy(screen.before())).into_owned();
    let longest = text
        .lines()
        .map(|l| l.trim_end().chars().count())
        .max()
        .unwrap();
    assert!(longest <= 40, "a line of {longest} columns in:\n{text}");
    assert!(text.contains("REST"), "{text}");
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
