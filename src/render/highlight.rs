//! Code blocks coloured by language, with the Sublime Text grammars that `bat` ships (syntect,
//! through two-face). Only code drawn with colour asks for them: the grammars are read the first
//! time a fenced code block with a known language is drawn in colour, never by a command that
//! draws no code (`due --count`, `next --json`). Colours are the terminal's own 16, so they
//! follow its theme, light or dark.

use std::sync::OnceLock;

use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// What a piece of code is, as far as colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Plain,
    Comment,
    String,
    /// Numbers and language constants (`true`, `NULL`).
    Constant,
    /// Keywords and storage words (`SELECT`, `func`, `let`).
    Keyword,
    /// Functions, methods, keys (JSON, YAML) and tags.
    Name,
    /// Types and classes.
    Type,
}

/// A piece of one line of code and its class.
pub type Span = (Class, String);

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
static RULES: OnceLock<Vec<(Scope, Class)>> = OnceLock::new();

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// Which class a scope gives, most specific first; scopes that match none (punctuation, meta
/// scopes) leave the decision to the scopes around them.
fn rules() -> &'static [(Scope, Class)] {
    RULES.get_or_init(|| {
        [
            ("comment", Class::Comment),
            ("support.type.property-name", Class::Name),
            ("string", Class::String),
            ("constant.other.symbol", Class::String),
            ("constant.numeric", Class::Constant),
            ("constant.language", Class::Constant),
            ("constant.character.escape", Class::Constant),
            // Operators are symbols (`+`, `=`), except those spelt as words (HTTP's `GET`).
            ("keyword.operator.word", Class::Keyword),
            ("keyword.operator", Class::Plain),
            ("keyword", Class::Keyword),
            ("storage", Class::Keyword),
            ("variable.language", Class::Keyword),
            ("entity.name.function", Class::Name),
            ("support.function", Class::Name),
            ("variable.function", Class::Name),
            ("entity.name.tag", Class::Name),
            ("entity.name.type", Class::Type),
            ("entity.name.class", Class::Type),
            ("entity.other.inherited-class", Class::Type),
            ("support.type", Class::Type),
            ("support.class", Class::Type),
        ]
        .into_iter()
        .filter_map(|(scope, class)| Some((Scope::new(scope).ok()?, class)))
        .collect()
    })
}

/// The class of text under `stack`: the innermost scope that decides.
fn class_of(stack: &ScopeStack) -> Class {
    let rules = rules();
    for scope in stack.as_slice().iter().rev() {
        if let Some((_, class)) = rules.iter().find(|(rule, _)| rule.is_prefix_of(*scope)) {
            return *class;
        }
    }
    Class::Plain
}

/// The grammar for a fence's language word (`sql`, `golang`, `ts`, `c#`, `shell`, ...).
fn syntax_for(language: &str, code: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let language = language.trim().to_ascii_lowercase();
    let token = match language.as_str() {
        "" => return None,
        "golang" => "go",
        "javascript" | "node" | "nodejs" => "js",
        "typescript" => "ts",
        "python3" | "py3" => "py",
        "csharp" | "c#" | "cs" => "cs",
        "rust" => "rs",
        "shell" | "console" | "shell-session" | "zsh" | "sh" => "bash",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "postgres" | "postgresql" | "psql" | "mysql" | "sqlite" | "plsql" | "tsql" => "sql",
        "php" if !code.trim_start().starts_with("<?") => {
            return set
                .find_syntax_by_name("PHP Source")
                .or_else(|| set.find_syntax_by_token("php"));
        }
        other => other,
    };
    set.find_syntax_by_token(token)
}

/// `code` split into lines of classed spans, or `None` for a language without a grammar (the
/// caller draws it plain). The spans of a line hold its text exactly, without the newline.
pub fn highlight(language: &str, code: &str) -> Option<Vec<Vec<Span>>> {
    let syntax = syntax_for(language, code)?;
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in code.split('\n') {
        // The grammars expect each line with its newline.
        let with_newline = format!("{line}\n");
        let ops = state.parse_line(&with_newline, set).ok()?;
        let mut spans: Vec<Span> = Vec::new();
        for (range, op) in ScopeRangeIterator::new(&ops, &with_newline) {
            stack.apply(op).ok()?;
            let text = &with_newline[range.start.min(line.len())..range.end.min(line.len())];
            if text.is_empty() {
                continue;
            }
            let class = class_of(&stack);
            match spans.last_mut() {
                Some((last, joined)) if *last == class => joined.push_str(text),
                _ => spans.push((class, text.to_owned())),
            }
        }
        lines.push(spans);
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes_of(language: &str, code: &str) -> Vec<(Class, String)> {
        highlight(language, code)
            .unwrap_or_else(|| panic!("no grammar for {language}"))
            .into_iter()
            .flatten()
            .collect()
    }

    fn has(spans: &[(Class, String)], class: Class, text: &str) -> bool {
        spans.iter().any(|(c, t)| *c == class && t.trim() == text)
    }

    #[test]
    fn every_interview_language_has_a_grammar() {
        let samples = [
            ("sql", "SELECT id FROM users WHERE name = 'x';", "SELECT"),
            ("go", "func main() { return }", "func"),
            ("js", "const x = 1;", "const"),
            ("javascript", "let y = 2;", "let"),
            ("ts", "const x: number = 1;", "const"),
            ("typescript", "interface User { id: number }", "interface"),
            ("python", "def f(x):\n    return x", "def"),
            ("py", "import os", "import"),
            ("csharp", "public class A { }", "class"),
            ("c#", "public void Run() { }", "void"),
            ("php", "function f($x) { return $x; }", "function"),
            ("php", "<?php\nfunction f() {}\n", "function"),
            ("rust", "fn main() { let x = 1; }", "fn"),
            ("bash", "if [ -f x ]; then echo hi; fi", "if"),
            ("shell", "for f in *; do echo \"$f\"; done", "for"),
            ("sh", "while true; do sleep 1; done", "while"),
        ];
        for (language, code, keyword) in samples {
            let spans = classes_of(language, code);
            assert!(
                has(&spans, Class::Keyword, keyword),
                "{language}: {keyword} is a keyword in {spans:?}"
            );
        }
        for (language, code, text, class) in [
            ("yaml", "name: hone\nport: 8080\n", "name", Class::Name),
            ("yml", "jobs:\n  build: x\n", "build", Class::Name),
            ("json", r#"{"id": 7, "ok": true}"#, "true", Class::Constant),
            ("json", r#"{"id": "x"}"#, "\"x\"", Class::String),
            ("json", r#"{"id": 7}"#, "7", Class::Constant),
            (
                "http",
                "GET /users/7 HTTP/1.1\nHost: example.com\n",
                "GET",
                Class::Keyword,
            ),
        ] {
            let spans = classes_of(language, code);
            let found = spans
                .iter()
                .any(|(c, t)| *c == class && t.contains(text.trim_matches('"')));
            assert!(found, "{language}: {text} is {class:?} in {spans:?}");
        }
    }

    #[test]
    fn strings_and_comments_are_told_apart_from_code() {
        let spans = classes_of("sql", "SELECT 'a b' -- why\nFROM t;");
        assert!(has(&spans, Class::String, "'a b'"), "{spans:?}");
        assert!(has(&spans, Class::Comment, "-- why"), "{spans:?}");
    }

    #[test]
    fn the_spans_hold_the_text_exactly() {
        let code = "fn main() {\n\tlet s = \"a\\tb\"; // note\n}\n";
        let lines = highlight("rust", code).unwrap();
        let back: Vec<String> = lines
            .iter()
            .map(|spans| spans.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(back.join("\n"), code);
    }

    #[test]
    fn an_unknown_language_has_no_grammar() {
        assert!(highlight("no-such-language", "x").is_none());
        assert!(highlight("", "x").is_none());
    }
}
