//! Compiles the decks in `decks/` into the binary. A malformed deck, a duplicate id, an empty
//! field or a bad list of key points fails the build with `file:line: message`, the same checks
//! `hone import` applies; a built-in card without key points fails it too.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs, process};

#[allow(dead_code, unused_imports)] // the library uses parts of the parser this script does not
#[path = "src/deck/parse.rs"]
mod parse;

fn main() {
    println!("cargo::rerun-if-changed=decks");
    println!("cargo::rerun-if-changed=src/deck/parse.rs");

    let mut paths: Vec<_> = fs::read_dir("decks")
        .unwrap_or_else(|e| fail(&format!("decks: cannot list the deck directory: {e}")))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();

    let mut problems = Vec::new();
    let mut decks: Vec<(String, parse::ParsedDeck)> = Vec::new();
    for path in &paths {
        let shown = path.display().to_string();
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{shown}: cannot read: {e}"));
                continue;
            }
        };
        match parse::parse_deck(&text) {
            Err(errors) => problems.extend(errors.iter().map(|e| format!("{shown}:{e}"))),
            Ok(deck) => {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                if stem.as_deref() != Some(deck.id.as_str()) {
                    problems.push(format!(
                        "{shown}:2: the deck id '{}' must match the file name ({}.md)",
                        deck.id, deck.id
                    ));
                } else if let Some((other, _)) = decks.iter().find(|(_, d)| d.id == deck.id) {
                    problems.push(format!(
                        "{shown}:2: duplicate deck id '{}' (also in {other})",
                        deck.id
                    ));
                }
                for card in deck.cards.iter().filter(|c| c.points.is_empty()) {
                    problems.push(format!(
                        "{shown}:{}: card '{}' has no `Key points:` list; every built-in card needs one",
                        card.line, card.id
                    ));
                }
                decks.push((shown, deck));
            }
        }
    }
    if decks.is_empty() && problems.is_empty() {
        problems.push("decks: no deck files (*.md) found".to_owned());
    }
    if !problems.is_empty() {
        fail(&problems.join("\n"));
    }

    let out = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set")))
        .join("builtin_decks.rs");
    if let Err(e) = fs::write(&out, generate(&decks)) {
        fail(&format!("{}: cannot write: {e}", out.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    process::exit(1);
}

/// Rust source for a static table of the decks; `{:?}` of a `str` is a valid string literal.
fn generate(decks: &[(String, parse::ParsedDeck)]) -> String {
    let mut code = String::from("pub(crate) static BUILTIN_DECKS: &[StaticDeck] = &[\n");
    for (_, deck) in decks {
        let _ = writeln!(
            code,
            "StaticDeck {{ id: {:?}, title: {:?}, description: {:?}, tags: &{:?}, cards: &[",
            deck.id, deck.title, deck.description, deck.tags
        );
        for card in &deck.cards {
            let kind = match card.kind {
                parse::ParsedKind::Definition => "Definition",
                parse::ParsedKind::Question => "Question",
            };
            let _ = writeln!(
                code,
                "StaticCard {{ id: {:?}, kind: ParsedKind::{kind}, tags: &{:?}, front: {:?}, back: {:?}, points: &{:?} }},",
                card.id, card.tags, card.front, card.back, card.points
            );
        }
        code.push_str("]},\n");
    }
    code.push_str("];\n");
    let digest = fnv1a(code.as_bytes());
    let _ = writeln!(
        code,
        "/// Changes whenever the built-in decks do: part of what cached counts depend on.\n\
         pub(crate) const BUILTIN_DIGEST: u64 = {digest:#018x};"
    );
    code
}

/// FNV-1a, 64 bits: a fingerprint of the generated table, not a defence against anyone.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
