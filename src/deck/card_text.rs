//! Card text (hone's Markdown) built from text that is not Markdown: the lines of a plain or
//! HTML field, with bold, italic, inline code, lists and code blocks. Every character of the text
//! that Markdown would read as markup is escaped with a backslash, and lines are joined by hard
//! line breaks (a `\` at the end of a line), so the card renders the text as it was written.
//!
//! A `Builder` is fed text and structure and gives the card text, or key points one a line.
//! Escaping follows CommonMark with the extensions hone renders (`render::markdown::OPTIONS`);
//! a line whose bold or italic would not come out as written (CommonMark cannot place emphasis
//! everywhere) is checked with the same parser and written without it. Pure: no I/O.

use pulldown_cmark::{Event, Parser};

use crate::render::markdown::OPTIONS;

mod escape;
pub use escape::escape;

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
}

impl Style {
    fn and(self, other: Style) -> Style {
        Style {
            bold: self.bold && other.bold,
            italic: self.italic && other.italic,
            code: self.code && other.code,
        }
    }
}

/// Text of one style; whitespace goes in runs of its own, so that styles can leave it out.
#[derive(Debug, Clone)]
struct Run {
    text: String,
    style: Style,
    space: bool,
}

#[derive(Debug)]
enum Line {
    Blank,
    Text {
        /// The list marker with its indentation, or the indentation of a continuation line.
        prefix: String,
        /// Whether the line starts a list item.
        item: bool,
        runs: Vec<Run>,
    },
    Code {
        /// The list marker or indentation before the opening fence.
        first: String,
        /// The indentation of every other line.
        indent: String,
        text: String,
    },
}

#[derive(Debug)]
struct List {
    ordered: bool,
    next: u64,
    /// The width of the current item's marker: its continuation lines are indented by it.
    width: usize,
    /// Whether an item is open: text outside one gets an item of its own.
    in_item: bool,
    /// Marked `1)` or `*` rather than `1.` or `-`: CommonMark would join it to a list of the
    /// same kind just before it, and a different delimiter keeps them apart.
    alt: bool,
    /// Whether any item of it has written a line.
    written: bool,
}

/// Builds card text line by line.
#[derive(Debug, Default)]
pub struct Builder {
    lines: Vec<Line>,
    /// The line being built.
    runs: Vec<Run>,
    style: Style,
    lists: Vec<List>,
    /// The markers (with their indentation) of list items whose first text has not come yet:
    /// an item may start with an item of a nested list, on the same line (`1. - x`).
    marker: String,
    /// For each marker in `marker`: the depth of its list and where in `marker` it starts.
    pending: Vec<(usize, usize)>,
    /// A blank line goes before the next text: a new paragraph or a list.
    gap: bool,
    /// A list just ended: a blank line goes before text after it, which would otherwise
    /// continue its last item, but not before a new item of an outer list.
    after_list: bool,
    /// Whitespace was seen since the last text (collapsed to one space, as HTML shows it).
    space: bool,
    /// The depth, kind and delimiter of the list that ended last.
    last_list: Option<(usize, bool, bool)>,
    /// Lines are key points: no list markers, no code fences.
    points: bool,
}

impl Builder {
    /// A builder of card text.
    pub fn card() -> Self {
        Builder::default()
    }

    /// A builder of key points, one a line.
    pub fn points() -> Self {
        Builder {
            points: true,
            ..Builder::default()
        }
    }

    pub fn set_style(&mut self, style: Style) {
        self.style = style;
    }

    /// Adds text. With `collapse` (HTML), every run of ASCII whitespace, newlines included,
    /// is one space; without it whitespace is kept as written, except at the ends of a line.
    pub fn text(&mut self, text: &str, collapse: bool) {
        for c in text.chars() {
            if collapse && c.is_ascii_whitespace() {
                self.space = true;
            } else if c.is_whitespace() {
                self.flush_space();
                self.push(c, true);
            } else {
                self.flush_space();
                self.push(c, false);
            }
        }
    }

    fn flush_space(&mut self) {
        if std::mem::take(&mut self.space) {
            self.push(' ', true);
        }
    }

    fn has_text(&self) -> bool {
        self.runs.iter().any(|r| !r.space)
    }

    fn push(&mut self, c: char, space: bool) {
        if !space && !self.has_text() {
            self.start_text();
        }
        match self.runs.last_mut() {
            Some(run) if run.style == self.style && run.space == space => run.text.push(c),
            _ => self.runs.push(Run {
                text: c.to_string(),
                style: self.style,
                space,
            }),
        }
    }

    /// The first text of a line: a blank line first if one is due, an item if the text is
    /// inside a list but outside its items.
    fn start_text(&mut self) {
        if self.lists.last().is_some_and(|l| !l.in_item) && self.marker.is_empty() {
            self.item_start();
        }
        let gap = std::mem::take(&mut self.gap) | std::mem::take(&mut self.after_list);
        if gap && !self.points && self.lines.last().is_some_and(|l| !matches!(l, Line::Blank)) {
            self.lines.push(Line::Blank);
        }
    }

    /// Ends the current line if it has text; tells whether it had.
    fn end_line(&mut self) -> bool {
        self.space = false;
        if !self.has_text() {
            self.runs.clear();
            return false;
        }
        let runs = std::mem::take(&mut self.runs);
        let (prefix, item) = self.take_prefix();
        self.lines.push(Line::Text { prefix, item, runs });
        true
    }

    /// What goes before the line starting now, and whether it starts a list item.
    fn take_prefix(&mut self) -> (String, bool) {
        for (depth, _) in self.pending.drain(..) {
            if let Some(list) = self.lists.get_mut(depth - 1) {
                list.written = true;
            }
        }
        if self.marker.is_empty() {
            (self.indent(), false)
        } else {
            (std::mem::take(&mut self.marker), true)
        }
    }

    /// Drops the waiting markers of the lists `depth` deep and deeper: their items had no text.
    fn drop_markers(&mut self, depth: usize) {
        while let Some(&(d, start)) = self.pending.last()
            && d >= depth
        {
            self.marker.truncate(start);
            self.pending.pop();
            // Markdown numbers items in order: the next item takes the dropped one's number.
            if let Some(list) = self.lists.get_mut(d - 1) {
                list.next -= 1;
            }
        }
    }

    fn indent(&self) -> String {
        " ".repeat(self.lists.iter().map(|l| l.width).sum())
    }

    fn parent_indent(&self) -> String {
        let all: usize = self.lists.iter().map(|l| l.width).sum();
        " ".repeat(all - self.lists.last().map_or(0, |l| l.width))
    }

    /// A line break (`<br>`, or a newline in plain text): a line without text stays blank.
    pub fn line_break(&mut self) {
        if !self.end_line() && !self.points && self.pending.is_empty() && !self.lines.is_empty() {
            self.lines.push(Line::Blank);
        }
    }

    /// The edge of a block (`<div>`): the text after it starts a new line.
    pub fn block(&mut self) {
        self.end_line();
    }

    /// The edge of a paragraph (`<p>`): a blank line before the text after it (inside a list
    /// item, a new line).
    pub fn paragraph(&mut self) {
        self.end_line();
        if self.lists.is_empty() {
            self.gap = true;
        }
    }

    pub fn list_start(&mut self, ordered: bool) {
        self.end_line();
        if self.lists.is_empty() {
            self.gap = true;
        }
        if !self.points {
            // A list directly inside a list, outside its items, goes in an item of its own.
            if self.lists.last().is_some_and(|l| !l.in_item) {
                self.item_start();
            }
            let depth = self.lists.len() + 1;
            let alt = match self.last_list {
                Some((d, o, alt)) if self.after_list && d == depth && o == ordered => !alt,
                _ => false,
            };
            self.lists.push(List {
                ordered,
                next: 1,
                width: 0,
                in_item: false,
                alt,
                written: false,
            });
        }
    }

    /// The end of a list: text after it is a new paragraph, or it would continue the last item.
    pub fn list_end(&mut self) {
        self.end_line();
        self.drop_markers(self.lists.len());
        if let Some(list) = self.lists.pop().filter(|l| l.written) {
            self.last_list = Some((self.lists.len() + 1, list.ordered, list.alt));
        }
        self.after_list = true;
    }

    pub fn item_start(&mut self) {
        self.end_line();
        if self.points {
            return;
        }
        if self.lists.is_empty() {
            self.list_start(false);
        }
        // A new item ends any list nested in the previous one: no blank line needed.
        self.after_list = false;
        let depth = self.lists.len();
        self.drop_markers(depth);
        if let Some(list) = self.lists.last_mut() {
            let marker = match (list.ordered, list.alt) {
                (true, false) => format!("{}. ", list.next),
                (true, true) => format!("{}) ", list.next),
                (false, false) => "- ".to_owned(),
                (false, true) => "* ".to_owned(),
            };
            list.next += 1;
            list.width = marker.len();
            list.in_item = true;
            let start = self.marker.len();
            if self.marker.is_empty() {
                self.marker = self.parent_indent();
            }
            self.marker.push_str(&marker);
            self.pending.push((depth, start));
        }
    }

    pub fn item_end(&mut self) {
        self.end_line();
        if let Some(list) = self.lists.last_mut() {
            list.in_item = false;
        }
        // An item without text is left out: a lone marker could read as a heading underline.
        self.drop_markers(self.lists.len());
    }

    /// Preformatted text (`<pre>`): a fenced code block, or for key points one point a line.
    pub fn code_block(&mut self, text: &str) {
        self.end_line();
        let text = text.strip_prefix('\n').unwrap_or(text).trim_end();
        if text.trim().is_empty() {
            return;
        }
        if self.points {
            for line in text.lines() {
                self.text(line, false);
                self.end_line();
            }
            return;
        }
        if self.marker.is_empty() {
            self.gap = true;
            self.start_text();
        }
        let (first, _) = self.take_prefix();
        self.lines.push(Line::Code {
            first,
            indent: self.indent(),
            text: text.to_owned(),
        });
        self.gap = true;
    }

    /// The card text and its visible text (what a reader sees, without markup).
    pub fn finish(mut self) -> (String, String) {
        self.end_line();
        let mut markdown = Vec::new();
        let mut visible = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            match line {
                Line::Blank => {
                    markdown.push(String::new());
                    visible.push(String::new());
                }
                Line::Text { prefix, runs, .. } => {
                    // A hard line break, where the next line continues the same paragraph.
                    let continued =
                        matches!(self.lines.get(i + 1), Some(Line::Text { item: false, .. }));
                    let (md, seen) = inline(runs, continued);
                    markdown.push(format!("{prefix}{md}"));
                    visible.push(format!("{}{seen}", shown_prefix(prefix)));
                }
                Line::Code {
                    first,
                    indent,
                    text,
                } => {
                    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
                    markdown.push(format!("{first}{fence}"));
                    if first.trim() != "" {
                        visible.push(shown_prefix(first).trim_end().to_owned());
                    }
                    for line in text.split('\n') {
                        markdown.push(format!("{indent}{line}"));
                        visible.push(format!("{indent}{line}"));
                    }
                    markdown.push(format!("{indent}{fence}"));
                }
            }
        }
        (markdown.join("\n"), visible.join("\n"))
    }

    /// The key points, one a line, each without a leading `- ` or `* ` bullet.
    pub fn into_points(mut self) -> Vec<String> {
        self.end_line();
        self.lines
            .into_iter()
            .filter_map(|line| match line {
                Line::Text { mut runs, .. } => {
                    strip_bullet(&mut runs);
                    let (md, _) = inline(&runs, false);
                    Some(md).filter(|p| !p.is_empty())
                }
                _ => None,
            })
            .collect()
    }
}

/// A line's indentation and list markers as hone draws them: `1.` and `-` for `1)` and `*`.
fn shown_prefix(prefix: &str) -> String {
    prefix.replace(") ", ". ").replace("* ", "- ")
}

/// Drops a leading `- ` or `* ` written before a key point.
fn strip_bullet(runs: &mut Vec<Run>) {
    let Some(first) = runs.iter().position(|r| !r.space) else {
        return;
    };
    let bullet = matches!(runs[first].text.as_str(), "-" | "*") && !runs[first].style.code;
    if bullet && runs.get(first + 1).is_some_and(|r| r.space) {
        runs.drain(..first + 2);
    }
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for x in text.chars() {
        current = if x == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// One line's runs as Markdown, and the text it shows; with `continued`, the Markdown ends in
/// a hard line break (`\`), which escaping must see. Whitespace at the ends of the line is
/// dropped; whitespace between two runs keeps only the styles both have, so that bold never
/// starts or ends with a space (CommonMark would not read it as bold).
fn inline(runs: &[Run], continued: bool) -> (String, String) {
    let start = runs.iter().position(|r| !r.space).unwrap_or(runs.len());
    let end = runs.iter().rposition(|r| !r.space).map_or(start, |i| i + 1);
    let runs = &runs[start..end];
    let mut segments: Vec<(String, Style)> = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let style = if run.space {
            let before = runs[..i].iter().rev().find(|r| !r.space);
            let after = runs[i + 1..].iter().find(|r| !r.space);
            match (before, after) {
                (Some(b), Some(a)) => b.style.and(a.style),
                _ => Style::default(),
            }
        } else {
            run.style
        };
        match segments.last_mut() {
            Some((text, s)) if *s == style => text.push_str(&run.text),
            _ => segments.push((run.text.clone(), style)),
        }
    }
    let seen: String = segments.iter().map(|(t, _)| t.as_str()).collect();
    let styled = segments.iter().any(|(_, s)| *s != Style::default());
    // The hard break reads as a literal backslash at the end of a paragraph of its own.
    let end = if continued { "\\" } else { "" };
    if styled {
        for (emphasis, code) in [(true, true), (false, true)] {
            let md = write_inline(&segments, emphasis, code, continued) + end;
            if shows(&md, &format!("{seen}{end}")) {
                return (md, seen);
            }
        }
    }
    (write_inline(&segments, false, false, continued) + end, seen)
}

enum Atom {
    Text(String),
    Markup(String),
}

/// Segments as Markdown, with or without their emphasis and code; `continued` says a hard
/// break's backslash follows.
fn write_inline(
    segments: &[(String, Style)],
    emphasis: bool,
    code: bool,
    continued: bool,
) -> String {
    let mut atoms: Vec<Atom> = Vec::new();
    // Open emphasis, innermost last: `**` for bold, `*` for italic.
    let mut open: Vec<&'static str> = Vec::new();
    for (text, style) in segments {
        let want = |d: &str| emphasis && if d == "**" { style.bold } else { style.italic };
        while open.iter().any(|d| !want(d)) {
            if let Some(d) = open.pop() {
                atoms.push(Atom::Markup(d.to_owned()));
            }
        }
        for d in ["**", "*"] {
            if want(d) && !open.contains(&d) {
                open.push(d);
                atoms.push(Atom::Markup(d.to_owned()));
            }
        }
        if code && style.code {
            atoms.push(Atom::Markup(code_span(text)));
        } else if let Some(Atom::Text(last)) = atoms.last_mut() {
            last.push_str(text);
        } else {
            atoms.push(Atom::Text(text.clone()));
        }
    }
    while let Some(d) = open.pop() {
        atoms.push(Atom::Markup(d.to_owned()));
    }
    let mut out = String::new();
    for (i, atom) in atoms.iter().enumerate() {
        match atom {
            Atom::Markup(m) => out.push_str(m),
            Atom::Text(text) => {
                let before = i.checked_sub(1).and_then(|j| edge(&atoms[j], false));
                let after = match atoms.get(i + 1) {
                    Some(next) => edge(next, true),
                    None => continued.then_some('\\'),
                };
                out.push_str(&escape(text, before, after, i == 0));
            }
        }
    }
    out
}

/// The first (or last) character of an atom.
fn edge(atom: &Atom, first: bool) -> Option<char> {
    let text = match atom {
        Atom::Text(t) | Atom::Markup(t) => t,
    };
    if first {
        text.chars().next()
    } else {
        text.chars().next_back()
    }
}

/// `text` as a code span: a fence of backticks longer than any run of them inside, and a space
/// inside each fence where CommonMark would otherwise take one away or join the backticks.
pub fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.chars().all(|c| c == ' '));
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Whether the Markdown `md` (one line) shows exactly `text`: nothing in it read as markup
/// that was meant as text.
fn shows(md: &str, text: &str) -> bool {
    let mut seen = String::new();
    for event in Parser::new_ext(md, OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                seen.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => seen.push('\n'),
            Event::TaskListMarker(_) | Event::Rule => return false,
            _ => {}
        }
    }
    seen == text
}

#[cfg(test)]
#[path = "card_text_tests.rs"]
mod tests;
