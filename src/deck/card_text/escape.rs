//! Backslash escapes that make Markdown show plain text as written: which characters
//! CommonMark would read as markup where they stand (emphasis runs by what flanks them, block
//! starts, link references), and nothing more, so that the card text stays readable.

/// How CommonMark may class a character next to a `*`, `_` or `~` run: the start or end of
/// the line counts as whitespace. Outside ASCII hone does not know Unicode's categories, so a
/// character may count as more than one kind, and every one is tried.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    Punct,
    Other,
}

fn kinds(c: Option<char>) -> &'static [Kind] {
    match c {
        None => &[Kind::Space],
        Some(c) if c.is_ascii_whitespace() => &[Kind::Space],
        Some(c) if c.is_ascii_punctuation() => &[Kind::Punct],
        Some(c) if c.is_ascii() => &[Kind::Other],
        Some(c) if c.is_whitespace() => &[Kind::Space, Kind::Other],
        Some(_) => &[Kind::Punct, Kind::Other],
    }
}

/// Whether a run of `c` between `prev` and `next` could open or close emphasis or strikethrough.
fn delimits(c: char, prev: Option<char>, next: Option<char>) -> bool {
    kinds(prev).iter().any(|&p| {
        kinds(next).iter().any(|&n| {
            let left = n != Kind::Space && (n != Kind::Punct || p != Kind::Other);
            let right = p != Kind::Space && (p != Kind::Punct || n != Kind::Other);
            if c == '_' {
                (left && (!right || p == Kind::Punct)) || (right && (!left || n == Kind::Punct))
            } else {
                left || right
            }
        })
    })
}

/// Plain `text` as Markdown that shows it as written. `before` and `after` are the characters
/// next to it in the line (`None` at its ends); `line_start` says it begins a line, where `#`,
/// `>`, `-`, `1.` and the like would start a block.
pub fn escape(text: &str, before: Option<char>, after: Option<char>, line_start: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut esc = vec![false; n];
    if line_start && n > 0 {
        escape_block_start(&chars, &mut esc);
    }
    let at = |i: usize| -> Option<char> { if i < n { Some(chars[i]) } else { after } };
    let mut i = 0;
    while i < n {
        let c = chars[i];
        match c {
            '\\' => esc[i] = at(i + 1).is_none_or(|next| next.is_ascii_punctuation()),
            '`' | '[' => esc[i] = true,
            '<' => esc[i] = at(i + 1).is_some_and(|next| !next.is_whitespace()),
            '&' => esc[i] = starts_reference(&chars[i + 1..]),
            '*' | '_' | '~' => {
                let end = (i..n).find(|&j| chars[j] != c).unwrap_or(n);
                let prev = if i == 0 { before } else { Some(chars[i - 1]) };
                let whole = delimits(c, prev, at(end)) || esc[i..end].contains(&true);
                esc[i..end].fill(whole);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (c, e) in chars.iter().zip(esc) {
        if e {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

/// Marks the character that would make a line start a block: a heading, quote, list item,
/// thematic break, setext underline or fence.
fn escape_block_start(chars: &[char], esc: &mut [bool]) {
    let n = chars.len();
    let blank_at = |i: usize| i >= n || chars[i] == ' ' || chars[i] == '\t';
    let hashes = chars.iter().take_while(|&&c| c == '#').count();
    if (1..=6).contains(&hashes) && blank_at(hashes) {
        esc[0] = true;
    }
    if matches!(chars[0], '>') || (matches!(chars[0], '-' | '+' | '*') && blank_at(1)) {
        esc[0] = true;
    }
    // `---`, `* * *`, `===`: a thematic break or a heading's underline.
    let mut marks = chars.iter().filter(|c| !matches!(c, ' ' | '\t'));
    if let Some(&first) = marks.clone().next()
        && matches!(first, '-' | '*' | '_' | '=')
        && marks.all(|&c| c == first)
    {
        esc[0] = true;
    }
    // `1.` or `1)` starts an ordered list item.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=9).contains(&digits)
        && matches!(chars.get(digits), Some('.' | ')'))
        && blank_at(digits + 1)
    {
        esc[digits] = true;
    }
    // `~~~` opens a fence (backticks are always escaped).
    if chars.iter().take_while(|&&c| c == '~').count() >= 3 {
        esc[0] = true;
    }
}

/// Whether the characters after an `&` make a character reference: `name;`, `#123;`, `#x1F;`.
fn starts_reference(rest: &[char]) -> bool {
    let rest = rest.strip_prefix(&['#']).unwrap_or(rest);
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&';')
}
