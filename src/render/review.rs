//! The screens of a review session, laid out for a terminal of a given size: the card's page
//! (status, question, typed answer, model answer), the legends of the keys, and the part of a
//! page that fits above its legend when the page is taller than the terminal. Pure: `ui::review`
//! draws what these return and reads the keys.
//!
//! Every screen is drawn whole, from a cleared terminal, so nothing of the screen before it
//! stays (the question's legend is gone once the answer shows). A legend is laid out in one of
//! two forms: the long one when each of its groups fits on a line of its own, else a compact
//! one; either way a line is only ever cut between two items, never inside one.

use console::Style;

use super::markdown::{self, display_width};
use super::safe::visible;

/// Between two items of a legend.
const SEPARATOR: &str = " · ";

/// The answer the learner typed, shown above the model answer.
#[derive(Debug, Clone, Copy)]
pub enum Typed<'a> {
    /// Typed for this showing.
    Given(&'a str),
    /// Typed before an undo took this card's grade back; it goes with the new grade.
    Kept(&'a str),
}

/// What a card's page holds.
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    /// hone's word on what just happened (the last answer saved, an undo), shown first.
    pub notice: Option<&'a str>,
    /// Card k of n, what is left, the card's id and tags.
    pub status: &'a str,
    /// The question, Markdown.
    pub front: &'a str,
    pub typed: Option<Typed<'a>>,
    /// The model answer, Markdown; `None` until it is revealed.
    pub back: Option<&'a str>,
    /// The key points, as a checklist under the model answer.
    pub checklist: Option<Checklist<'a>>,
}

/// A card's key points, each marked covered or not, one of them under the cursor.
#[derive(Debug, Clone, Copy)]
pub struct Checklist<'a> {
    pub points: &'a [String],
    pub covered: &'a [bool],
    pub cursor: usize,
}

/// A card's page: lines to show, top to bottom, styled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub lines: Vec<String>,
    /// The first line of what the reveal added (the typed answer or the rule above the model
    /// answer); the page's length for a question.
    pub revealed: usize,
    /// With a checklist: the lines of the point under the cursor (first, one past the last).
    /// The arrow keys then move the cursor, and only `j`/`k` scroll line by line.
    pub focus: Option<(usize, usize)>,
}

pub(super) fn dim(text: &str, color: bool) -> String {
    if color {
        Style::new()
            .force_styling(true)
            .dim()
            .apply_to(text)
            .to_string()
    } else {
        text.to_owned()
    }
}

/// hone's own text wrapped to the width, dimmed with colour.
fn said(text: &str, width: usize, color: bool) -> Vec<String> {
    textwrap::wrap(&visible(text), width)
        .into_iter()
        .map(|line| dim(&line, color))
        .collect()
}

/// Lays out a card's page for a terminal `width` columns wide.
pub fn page(card: &Card, width: usize, color: bool) -> Page {
    let mut lines = Vec::new();
    if let Some(notice) = card.notice {
        lines.extend(said(notice, width, color));
    }
    let status = visible(card.status);
    // An item wider than the terminal (a long card id, many tags) is cut where it can be: after
    // a comma or a hyphen, else anywhere, rather than wherever the terminal's edge falls.
    let items: Vec<String> = status
        .split(SEPARATOR)
        .flat_map(|item| {
            textwrap::wrap(item, width.max(1))
                .into_iter()
                .map(|piece| piece.into_owned())
        })
        .collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    lines.extend(flow("", &items, width).iter().map(|l| dim(l, color)));
    lines.push(String::new());
    let bold = Style::new().force_styling(true).bold();
    for line in markdown::render(card.front, width, color).lines() {
        lines.push(if color && !line.is_empty() {
            bold.apply_to(line).to_string()
        } else {
            line.to_owned()
        });
    }
    let mut revealed = lines.len();
    if let Some(typed) = card.typed {
        lines.push(String::new());
        revealed = lines.len();
        let (label, text) = match typed {
            Typed::Given(text) => ("Your answer: ", text),
            Typed::Kept(text) => ("Your answer (typed before the undo): ", text),
        };
        let label = dim(label, color);
        let options = textwrap::Options::new(width)
            .initial_indent(&label)
            .subsequent_indent("  ")
            .break_words(false);
        lines.extend(
            textwrap::wrap(&visible(text), options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }
    if let Some(back) = card.back {
        lines.push(String::new());
        if card.typed.is_none() {
            revealed = lines.len();
        }
        lines.push(dim(&"─".repeat(width.min(40)), color));
        lines.extend(
            markdown::render(back, width, color)
                .lines()
                .map(str::to_owned),
        );
    }
    let focus = card
        .checklist
        .map(|checklist| key_points(&mut lines, &checklist, width, color));
    Page {
        lines,
        revealed,
        focus,
    }
}

/// Appends the checklist of key points; returns the lines of the point under the cursor.
fn key_points(
    lines: &mut Vec<String>,
    checklist: &Checklist,
    width: usize,
    color: bool,
) -> (usize, usize) {
    lines.push(String::new());
    lines.push(dim("Key points: which did your answer cover?", color));
    let mut focus = (lines.len(), lines.len());
    for (i, point) in checklist.points.iter().enumerate() {
        let here = i == checklist.cursor;
        let mark = if checklist.covered.get(i).copied().unwrap_or(false) {
            "[x]"
        } else {
            "[ ]"
        };
        let head = format!("{} {mark} {}. ", if here { "›" } else { " " }, i + 1);
        let hang = " ".repeat(head.chars().count());
        let options = textwrap::Options::new(width)
            .initial_indent(&head)
            .subsequent_indent(&hang)
            .break_words(false);
        let start = lines.len();
        for line in textwrap::wrap(&visible(point), options) {
            lines.push(if here && color {
                Style::new()
                    .force_styling(true)
                    .bold()
                    .apply_to(&line)
                    .to_string()
            } else {
                line.into_owned()
            });
        }
        if here {
            focus = (start, lines.len());
        }
    }
    focus
}

/// Which keys a screen takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// The question; `kept`: an answer typed before an undo goes with it.
    Question { kept: bool },
    /// A rough answer being typed, on the line below.
    Typing,
    /// The model answer, waiting for a grade.
    Answer,
    /// The model answer and its key points: `covered` of `total` marked propose `proposed`.
    Checklist {
        proposed: u8,
        covered: usize,
        total: usize,
    },
}

/// A group of items, on lines that start with `label` (and are indented as deep after it).
pub(super) struct Group<'a> {
    pub label: &'a str,
    pub long: &'a [&'a str],
    pub compact: &'a [&'a str],
}

impl<'a> Group<'a> {
    pub(super) fn same(label: &'a str, items: &'a [&'a str]) -> Group<'a> {
        Group {
            label,
            long: items,
            compact: items,
        }
    }
}

/// The items after `label`, on as many lines of at most `width` columns as they need; a line
/// breaks only between two items (an item wider than a line has a line of its own).
fn flow(label: &str, items: &[&str], width: usize) -> Vec<String> {
    let hang = " ".repeat(label.chars().count());
    let mut lines = Vec::new();
    let mut line = label.to_owned();
    let mut empty = true;
    for item in items {
        let wanted = display_width(&line) + SEPARATOR.len() - 1 + display_width(item);
        if !empty && wanted > width {
            lines.push(std::mem::replace(&mut line, hang.clone()));
            empty = true;
        }
        if !empty {
            line.push_str(SEPARATOR);
        }
        line.push_str(item);
        empty = false;
    }
    lines.push(line);
    lines
}

/// Each group on one line if every one fits, else the compact items, flowed.
pub(super) fn lay_out(groups: &[Group], width: usize) -> Vec<String> {
    let long: Vec<Vec<String>> = groups
        .iter()
        .map(|g| flow(g.label, g.long, width))
        .collect();
    if long
        .iter()
        .all(|lines| lines.len() == 1 && display_width(&lines[0]) <= width)
    {
        return long.into_iter().flatten().collect();
    }
    groups
        .iter()
        .flat_map(|g| flow(g.label, g.compact, width))
        .collect()
}

/// The legend of a screen, for a terminal `width` columns wide.
pub fn legend(which: Legend, width: usize) -> Vec<String> {
    match which {
        Legend::Question { kept } => {
            let (show, typing) = if kept {
                (
                    ["Enter show the answer", "t change your answer"],
                    ["Enter reveal", "t change it"],
                )
            } else {
                (
                    ["Enter show the answer", "t type an answer first"],
                    ["Enter reveal", "t type first"],
                )
            };
            let long = [show[0], show[1], "u undo", "s suspend", "q quit"];
            let compact = [typing[0], typing[1], "u undo", "s suspend", "q quit"];
            lay_out(
                &[Group {
                    label: "",
                    long: &long,
                    compact: &compact,
                }],
                width,
            )
        }
        Legend::Typing => lay_out(
            &[Group {
                label: "",
                long: &["Type a rough answer; Enter shows the model answer"],
                compact: &["Enter shows the answer"],
            }],
            width,
        ),
        Legend::Checklist {
            proposed,
            covered,
            total,
        } => {
            let accept = format!("Enter grade {proposed} ({covered} of {total} covered)");
            let short = format!("Enter grade {proposed}");
            let long = ["↑↓ choose", "Space covered or not", &accept];
            let compact = ["↑↓", "Space mark", &short];
            let mut lines = lay_out(
                &[Group {
                    label: "",
                    long: &long,
                    compact: &compact,
                }],
                width,
            );
            lines.extend(legend(Legend::Answer, width));
            lines
        }
        Legend::Answer => lay_out(
            &[
                Group {
                    label: "Wrong: ",
                    long: &["0 blackout", "1 familiar once seen", "2 easy once seen"],
                    compact: &["0 blackout", "1 familiar", "2 easy"],
                },
                Group::same("Right: ", &["3 hard", "4 good", "5 perfect"]),
                Group {
                    label: "",
                    long: &[
                        "a/h/g/e = again/hard/good/easy",
                        "u undo",
                        "s suspend",
                        "q quit",
                    ],
                    compact: &["a/h/g/e = 1/3/4/5", "u undo", "s suspend", "q quit"],
                },
            ],
            width,
        ),
    }
}

/// The line under a page taller than the screen: where the view is, and the keys that move it
/// (`arrows`: the arrow keys scroll, rather than move a checklist's cursor).
fn scroll_legend(first: usize, last: usize, of: usize, width: usize, arrows: bool) -> Vec<String> {
    let place = format!("lines {first}–{last} of {of}");
    let (long, compact) = if arrows {
        ("↑↓ or j k scroll", "↑↓ j k PgUp PgDn")
    } else {
        ("j k scroll", "j k PgUp PgDn")
    };
    lay_out(
        &[Group {
            label: "",
            long: &[&place, long, "PgUp PgDn page", "Home End"],
            compact: &[&place, compact],
        }],
        width,
    )
}

/// What fits on the screen of a page, and where it can scroll to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The whole screen, to write after clearing the terminal.
    pub text: String,
    /// The page's first line on screen.
    pub top: usize,
    /// The lowest `top` that still fills the screen; 0 when the page fits.
    pub max_top: usize,
    /// How many lines of the page are on screen.
    pub shown: usize,
}

/// Terminal rows a line takes on a terminal `columns` wide.
fn rows(line: &str, columns: usize) -> usize {
    display_width(line).div_ceil(columns.max(1)).max(1)
}

/// The screen for `page` with `legend` below it, on a terminal of `columns` by `height`, the
/// page shown from line `top` (brought back into range). `reserve` rows stay free under the
/// legend, for a prompt; without them the last line is not ended, so the terminal never
/// scrolls.
pub fn view(
    page: &Page,
    legend: &[String],
    (columns, height): (usize, usize),
    top: usize,
    reserve: usize,
    color: bool,
) -> View {
    let n = page.lines.len();
    let width = columns.min(100);
    let fits = |from: usize, room: usize| {
        let mut used = 0;
        let mut count = 0;
        for line in &page.lines[from..] {
            used += rows(line, columns);
            if used > room && count > 0 {
                break;
            }
            count += 1;
        }
        count
    };
    let legend_rows: usize = legend.iter().map(|l| rows(l, columns)).sum();
    let room = height.saturating_sub(legend_rows + 1 + reserve).max(1);
    let mut out: Vec<String>;
    let (max_top, shown);
    let mut top = top;
    if page.lines.iter().map(|l| rows(l, columns)).sum::<usize>() <= room {
        (top, max_top, shown) = (0, 0, n);
        out = page.lines.clone();
        out.push(String::new());
    } else {
        // The scroll line at its widest, with the largest numbers it can show.
        let arrows = page.focus.is_none();
        let scroll_rows = scroll_legend(n, n, n, width, arrows).len();
        let room = height
            .saturating_sub(legend_rows + scroll_rows + reserve)
            .max(1);
        // The lowest top that still fills the screen: the last lines that fit in the room.
        let (mut lowest, mut used) = (n, 0);
        while lowest > 0 && used + rows(&page.lines[lowest - 1], columns) <= room {
            lowest -= 1;
            used += rows(&page.lines[lowest], columns);
        }
        max_top = lowest.min(n - 1);
        top = top.min(max_top);
        shown = fits(top, room);
        out = page.lines[top..top + shown].to_vec();
        out.extend(
            scroll_legend(top + 1, top + shown, n, width, arrows)
                .iter()
                .map(|l| dim(l, color)),
        );
    }
    out.extend(legend.iter().map(|l| dim(l, color)));
    let mut text = out.join("\n");
    if reserve > 0 {
        text.push('\n');
    }
    View {
        text,
        top,
        max_top,
        shown,
    }
}

/// A key that moves the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// The top that brings lines `first..end` on screen, moving the view as little as it can.
pub fn reveal(view: &View, (first, end): (usize, usize)) -> usize {
    if first < view.top {
        first
    } else if end > view.top + view.shown {
        (end.saturating_sub(view.shown))
            .min(first)
            .min(view.max_top)
    } else {
        view.top
    }
}

/// Where the view's top goes for `key`; a page keeps one line of the one before on screen.
pub fn scroll(view: &View, key: Scroll) -> usize {
    let page = view.shown.saturating_sub(1).max(1);
    match key {
        Scroll::Up => view.top.saturating_sub(1),
        Scroll::Down => (view.top + 1).min(view.max_top),
        Scroll::PageUp => view.top.saturating_sub(page),
        Scroll::PageDown => (view.top + page).min(view.max_top),
        Scroll::Top => 0,
        Scroll::Bottom => view.max_top,
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
