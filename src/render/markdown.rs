//! Card text (Markdown) drawn for a terminal: paragraphs wrapped to the width, emphasis as
//! bold/italic, lists with hanging indents, quotes with a bar, and code blocks verbatim
//! (indentation and tabs kept), coloured by language when colour is on. Every piece of text
//! passes through `safe::visible` before it is styled.
//!
//! A code line wider than the terminal is cut only at whitespace, never inside a token: the rest
//! goes on the next row, under the line's own indentation, marked `↪` in the gutter so it cannot
//! be taken for a line of its own. A single token wider than a whole row is left whole (the
//! terminal folds it; nothing else could show it entire).

use std::ops::Range;

use console::Style;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::highlight::{self, Class, Span};
use super::safe::visible;

/// No line is wrapped narrower than this, however deep the nesting or narrow the terminal.
const MIN_TEXT_WIDTH: usize = 20;
/// Indentation of code blocks, relative to the text around them.
const CODE_INDENT: &str = "    ";
/// What stands in place of `CODE_INDENT` on the rows that continue a cut code line.
const CODE_CONTINUED: &str = "  ↪ ";
/// A code row never has room for fewer columns than this, however deep its indentation.
const MIN_CODE_WIDTH: usize = 16;
/// Where a terminal's tab stops are.
const TAB: usize = 8;

/// The Markdown extensions card text may use. Importers that escape text rely on this set.
pub const OPTIONS: Options = Options::ENABLE_STRIKETHROUGH.union(Options::ENABLE_TASKLISTS);

/// Renders `text` for a terminal `width` columns wide; `color` allows styles.
pub fn render(text: &str, width: usize, color: bool) -> String {
    let mut r = Renderer::new(width, color);
    for event in Parser::new_ext(text, OPTIONS) {
        r.event(event);
    }
    r.finish()
}

#[derive(Clone, Copy, Default)]
struct Inline {
    bold: bool,
    italic: bool,
    strike: bool,
}

/// One level of indentation: what goes before the first line inside it, and before the rest.
struct Indent {
    first: String,
    rest: String,
    used: bool,
}

struct Renderer {
    width: usize,
    color: bool,
    lines: Vec<String>,
    /// Words of the paragraph being built, each already styled.
    words: Vec<String>,
    /// The word being built (styles may change inside a word).
    word: String,
    inline: Inline,
    inline_stack: Vec<Inline>,
    indents: Vec<Indent>,
    /// Per open list: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    code: Option<String>,
    /// The language word of the code block being read, from its fence.
    code_language: Option<String>,
    heading: Option<HeadingLevel>,
    links: Vec<String>,
}

impl Renderer {
    fn new(width: usize, color: bool) -> Self {
        Renderer {
            width: width.max(MIN_TEXT_WIDTH),
            color,
            lines: Vec::new(),
            words: Vec::new(),
            word: String::new(),
            inline: Inline::default(),
            inline_stack: Vec::new(),
            indents: Vec::new(),
            lists: Vec::new(),
            code: None,
            code_language: None,
            heading: None,
            links: Vec::new(),
        }
    }

    fn style(&self, text: &str, code: bool) -> String {
        if !self.color {
            return text.to_owned();
        }
        let mut style = Style::new().force_styling(true);
        if code {
            style = style.cyan();
        }
        if self.inline.bold || self.heading.is_some() {
            style = style.bold();
        }
        if self.inline.italic {
            style = style.italic();
        }
        if self.inline.strike {
            style = style.strikethrough();
        }
        style.apply_to(text).to_string()
    }

    /// Adds text to the paragraph, splitting it into words so that wrapping never cuts a style.
    fn text(&mut self, text: &str, code: bool) {
        // Without colour, inline code keeps its backticks, around the whole span.
        let text = if code && !self.color {
            format!("`{}`", visible(text))
        } else {
            visible(text).into_owned()
        };
        let mut pieces = text.split(char::is_whitespace).peekable();
        while let Some(piece) = pieces.next() {
            if !piece.is_empty() {
                let styled = self.style(piece, code);
                self.word.push_str(&styled);
            }
            if pieces.peek().is_some() {
                self.end_word();
            }
        }
    }

    fn end_word(&mut self) {
        if !self.word.is_empty() {
            self.words.push(std::mem::take(&mut self.word));
        }
    }

    /// The prefix for the next line, marking first-line markers as used.
    fn prefix(&mut self) -> String {
        let mut prefix = String::new();
        for indent in &mut self.indents {
            prefix.push_str(if indent.used {
                &indent.rest
            } else {
                &indent.first
            });
            indent.used = true;
        }
        prefix
    }

    fn blank_line(&mut self) {
        if self.lines.last().is_some_and(|l| !l.trim().is_empty()) {
            let prefix: String = self.indents.iter().map(|i| i.rest.as_str()).collect();
            self.lines.push(prefix.trim_end().to_owned());
        }
    }

    /// Wraps the words gathered so far into lines.
    fn flush_paragraph(&mut self) {
        self.end_word();
        if self.words.is_empty() {
            return;
        }
        let first = self.prefix();
        let rest: String = self.indents.iter().map(|i| i.rest.as_str()).collect();
        let text = std::mem::take(&mut self.words).join(" ");
        let width = self
            .width
            .max(textwrap::core::display_width(&first) + MIN_TEXT_WIDTH);
        let options = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .break_words(false);
        self.lines.extend(
            textwrap::wrap(&text, options)
                .into_iter()
                .map(|l| l.into_owned()),
        );
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = self.code.as_mut() {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text, false),
            Event::Code(text) => self.text(&text, true),
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html, false),
            Event::SoftBreak => self.end_word(),
            Event::HardBreak => self.flush_paragraph(),
            Event::Rule => {
                self.flush_paragraph();
                self.blank_line();
                let rule = "─".repeat(self.width.min(40));
                let prefix = self.prefix();
                self.lines.push(format!("{prefix}{rule}"));
            }
            Event::TaskListMarker(done) => self.text(if done { "[x]" } else { "[ ]" }, false),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]"), false),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush_paragraph();
                if !self.at_item_start() {
                    self.blank_line();
                }
            }
            Tag::Heading { level, .. } => {
                self.flush_paragraph();
                self.blank_line();
                self.heading = Some(level);
                if !self.color {
                    self.text(&"#".repeat(level as usize), false);
                    self.end_word();
                }
            }
            Tag::BlockQuote(_) => {
                self.flush_paragraph();
                self.blank_line();
                let bar = if self.color {
                    Style::new()
                        .force_styling(true)
                        .dim()
                        .apply_to("│ ")
                        .to_string()
                } else {
                    "│ ".to_owned()
                };
                self.indents.push(Indent {
                    first: bar.clone(),
                    rest: bar,
                    used: false,
                });
            }
            Tag::CodeBlock(kind) => {
                self.flush_paragraph();
                if !self.at_item_start() {
                    self.blank_line();
                }
                self.code = Some(String::new());
                self.code_language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|word| !word.is_empty())
                        .map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
            }
            Tag::List(start) => {
                self.flush_paragraph();
                if self.lists.is_empty() {
                    self.blank_line();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush_paragraph();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n += 1;
                        marker
                    }
                    _ => "- ".to_owned(),
                };
                let rest = " ".repeat(marker.chars().count());
                self.indents.push(Indent {
                    first: marker,
                    rest,
                    used: false,
                });
            }
            Tag::Emphasis => self.push_inline(|i| i.italic = true),
            Tag::Strong => self.push_inline(|i| i.bold = true),
            Tag::Strikethrough => self.push_inline(|i| i.strike = true),
            Tag::Link { dest_url, .. } => self.links.push(dest_url.into_string()),
            Tag::Image { dest_url, .. } => {
                self.text("[image:", false);
                self.links.push(dest_url.into_string());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush_paragraph(),
            TagEnd::Heading(_) => {
                self.flush_paragraph();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_paragraph();
                self.indents.pop();
            }
            TagEnd::List(_) => {
                self.flush_paragraph();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush_paragraph();
                self.indents.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.inline = self.inline_stack.pop().unwrap_or_default();
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(url) = self.links.pop()
                    && !url.is_empty()
                {
                    self.end_word();
                    self.text(&format!("<{url}>"), false);
                }
                if tag == TagEnd::Image {
                    self.text("]", false);
                }
            }
            _ => {}
        }
    }

    fn push_inline(&mut self, change: impl FnOnce(&mut Inline)) {
        self.inline_stack.push(self.inline);
        change(&mut self.inline);
    }

    /// Whether nothing has been written yet inside the innermost list item.
    fn at_item_start(&self) -> bool {
        self.indents
            .last()
            .is_some_and(|i| !i.used && !i.first.contains('│'))
    }

    fn end_code_block(&mut self) {
        let code = self.code.take().unwrap_or_default();
        let language = self.code_language.take();
        let code = code.strip_suffix('\n').unwrap_or(&code);
        let highlighted = match (&language, self.color) {
            (Some(language), true) => highlight::highlight(language, code),
            _ => None,
        };
        // Without a grammar, colour marks the whole block as code, as inline code is marked.
        let whole_block =
            (self.color && highlighted.is_none()).then(|| Style::new().force_styling(true).cyan());
        let lines: Vec<Vec<Span>> = highlighted.unwrap_or_else(|| {
            code.split('\n')
                .map(|line| vec![(Class::Plain, line.to_owned())])
                .collect()
        });
        for spans in lines {
            let text: String = spans.iter().map(|(_, t)| t.as_str()).collect();
            let first = self.prefix();
            let rest: String = self.indents.iter().map(|i| i.rest.as_str()).collect();
            let indent_len = text.len() - text.trim_start().len();
            let indent = &text[..indent_len];
            let first_col = display_width(&first) + CODE_INDENT.len();
            let mut cont_col = advance(
                indent,
                display_width(&rest) + CODE_CONTINUED.chars().count(),
            );
            let mut cont_indent = indent;
            if cont_col + MIN_CODE_WIDTH > self.width {
                cont_col = display_width(&rest) + CODE_CONTINUED.chars().count();
                cont_indent = "";
            }
            for (n, row) in code_rows(&text, first_col, cont_col, self.width)
                .into_iter()
                .enumerate()
            {
                let body = self.styled_code(&spans, row, whole_block.as_ref());
                let line = if n == 0 {
                    format!("{first}{CODE_INDENT}{body}")
                } else {
                    let mark = if self.color {
                        Style::new()
                            .force_styling(true)
                            .dim()
                            .apply_to(CODE_CONTINUED)
                            .to_string()
                    } else {
                        CODE_CONTINUED.to_owned()
                    };
                    format!("{rest}{mark}{cont_indent}{body}")
                };
                self.lines.push(line.trim_end().to_owned());
            }
        }
    }

    /// The text of `spans` within the byte range `row`, escaped and styled by class, or all in
    /// `whole_block`'s style if given.
    fn styled_code(
        &self,
        spans: &[Span],
        row: Range<usize>,
        whole_block: Option<&Style>,
    ) -> String {
        let mut out = String::new();
        let mut at = 0;
        for (class, text) in spans {
            let span = at..at + text.len();
            at = span.end;
            let (start, end) = (span.start.max(row.start), span.end.min(row.end));
            if start >= end {
                continue;
            }
            let piece = visible(&text[start - span.start..end - span.start]);
            let style = if !self.color {
                None
            } else if let Some(style) = whole_block {
                Some(style.clone())
            } else {
                class_style(*class)
            };
            match style {
                Some(style) if !piece.trim().is_empty() => {
                    out.push_str(&style.apply_to(piece).to_string());
                }
                _ => out.push_str(&piece),
            }
        }
        out
    }

    fn finish(mut self) -> String {
        self.flush_paragraph();
        while self.lines.last().is_some_and(|l| l.trim().is_empty()) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }
}

/// The style of a class of code, in the terminal's own colours.
fn class_style(class: Class) -> Option<Style> {
    let style = Style::new().force_styling(true);
    Some(match class {
        Class::Plain => return None,
        Class::Comment => style.dim(),
        Class::String => style.green(),
        Class::Constant => style.yellow(),
        Class::Keyword => style.magenta(),
        Class::Name => style.blue(),
        Class::Type => style.cyan(),
    })
}

/// Columns `text` takes on a terminal; escape sequences take none.
pub(crate) fn display_width(text: &str) -> usize {
    advance(&console::strip_ansi_codes(text), 0)
}

/// The column after writing `text` from column `col`, tabs going to the next tab stop.
fn advance(text: &str, col: usize) -> usize {
    let mut col = col;
    for piece in text.split_inclusive('\t') {
        match piece.strip_suffix('\t') {
            Some(before) => {
                col += textwrap::core::display_width(before);
                col = (col / TAB + 1) * TAB;
            }
            None => col += textwrap::core::display_width(piece),
        }
    }
    col
}

/// Byte ranges of the rows a code line is cut into to fit `width` columns: the first row starts
/// at column `first_col`, the rest at `cont_col`. Cuts fall only at whitespace, which is dropped
/// there; a token wider than a row keeps a row of its own, whole.
fn code_rows(line: &str, first_col: usize, cont_col: usize, width: usize) -> Vec<Range<usize>> {
    let mut rows = Vec::new();
    let (mut start, mut col) = (0, first_col);
    // The end of the last token on this row, if any: a row never ends before one.
    let mut last_end: Option<usize> = None;
    for (i, c) in line.char_indices() {
        let space = c.is_whitespace();
        let begins_token = !space && (i == 0 || line[..i].ends_with(char::is_whitespace));
        if begins_token {
            let end = line[i..]
                .find(char::is_whitespace)
                .map_or(line.len(), |n| i + n);
            if let Some(row_end) = last_end
                && advance(&line[i..end], col) > width
            {
                rows.push(start..row_end);
                start = i;
                col = cont_col;
            }
        }
        col = advance(&line[i..i + c.len_utf8()], col);
        if !space {
            last_end = Some(i + c.len_utf8());
        }
    }
    rows.push(start..line.len());
    rows
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
