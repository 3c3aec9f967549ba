//! What people read in a narrow terminal (40 columns, through a real pseudo-terminal): every
//! line of the texts that have no table fits, sentences wrapped between words and charts cut
//! to what fits, instead of the terminal breaking words wherever the edge falls.

mod common;

use common::Hone;
use expectrl::Expect;

const COLUMNS: usize = 40;

/// What `hone ARGS` prints on a terminal `COLUMNS` wide, without styles.
fn on_narrow_terminal(hone: &Hone, args: &str) -> String {
    // `read` waits until the pty library has set its own default size; only then is ours set.
    let script = format!("read go; stty cols {COLUMNS} rows 60; \"$0\" {args}; echo END");
    let mut session = common::pty(hone, &script, &[]);
    let found = session.expect("END").expect("the command ends");
    console::strip_ansi_codes(&String::from_utf8_lossy(found.before())).into_owned()
}

#[test]
fn texts_without_tables_fit_forty_columns() {
    let hone = Hone::new();
    for (day, card, grade) in [
        ("2026-02-20", "api/rest", "5"),
        ("2026-02-21", "api/graphql", "2"),
        ("2026-02-25", "api/rest", "3"),
        ("2026-03-01", "sql/joins", "4"),
    ] {
        hone.ok_at(&format!("{day}T09:00:00+01:00"), &["answer", card, grade]);
    }
    hone.ok(&["answer", "api/rest", "--covered", "1"]);
    let deck = hone.write("mine.csv", "front,back\nWhat is a mutex?,A lock.\n");
    let import = format!("import {} --deck mine", deck.display());
    for args in [
        "",
        "stats",
        "doctor",
        "points",
        "why api/rest",
        "show api/rest",
        import.as_str(),
        "deck first mine",
        "deck remove mine",
    ] {
        let text = on_narrow_terminal(&hone, args);
        // A card's history is a table, which is as wide as its columns.
        let text = text.split("REVIEWED AT").next().unwrap_or_default();
        assert!(text.lines().count() >= 2, "hone {args}: {text}");
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            assert!(
                line.chars().count() <= COLUMNS,
                "hone {args}: {line:?} is wider than {COLUMNS} columns:\n{text}"
            );
        }
    }
}
