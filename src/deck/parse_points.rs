//! Key points in the deck format: what makes one acceptable, how many a card of each kind has,
//! when two say the same, and the `- point` lines after `Key points:`. Part of the parser that
//! build.rs compiles too: `std` only.

use super::{
    CardDraft, DEFINITION_POINTS, KEY_POINTS, LineError, MAX_POINT_CHARS, MAX_POINT_WORDS,
    ParsedKind, QUESTION_POINTS, split_lines,
};

/// Why a key point is not one short checkable idea, if it is not.
pub fn point_problem(point: &str) -> Option<String> {
    let words = point.split_whitespace().count();
    if point.trim().is_empty() {
        Some("a key point is empty".to_owned())
    } else if words > MAX_POINT_WORDS {
        Some(format!(
            "a key point has {words} words; keep it to {MAX_POINT_WORDS}, one checkable idea"
        ))
    } else if point.chars().count() > MAX_POINT_CHARS {
        Some(format!(
            "a key point is longer than {MAX_POINT_CHARS} characters; keep it to one checkable idea"
        ))
    } else if point.chars().any(char::is_control) {
        Some("a key point contains a control character".to_owned())
    } else {
        None
    }
}

/// The key points in a field of a table, a JSON string list or an Anki note: one a line, an
/// optional `- ` or `* ` bullet before each, blank lines ignored.
pub fn points_in(text: &str) -> Vec<String> {
    split_lines(text)
        .into_iter()
        .map(|line| {
            let line = line.trim();
            line.strip_prefix("- ")
                .or_else(|| line.strip_prefix("* "))
                .unwrap_or(line)
                .trim()
                .to_owned()
        })
        .filter(|point| !point.is_empty())
        .collect()
}

/// Why a card's list of key points is not acceptable for its kind, if it is not. An empty list
/// is fine: a card without points is graded as a whole.
pub fn points_problem(kind: ParsedKind, points: &[String]) -> Option<String> {
    if let Some(problem) = count_problem(kind, points.len()) {
        return Some(problem);
    }
    for (i, point) in points.iter().enumerate() {
        if let Some(problem) = point_problem(point) {
            return Some(format!("key point {}: {problem}", i + 1));
        }
    }
    repeated_point(points).map(|i| format!("key point {} repeats an earlier one", i + 1))
}

/// Why `count` key points are too few or too many for a card of `kind`, if they are.
pub(super) fn count_problem(kind: ParsedKind, count: usize) -> Option<String> {
    let (range, what) = match kind {
        ParsedKind::Question => (QUESTION_POINTS, "a question"),
        ParsedKind::Definition => (DEFINITION_POINTS, "a definition"),
    };
    (count > 0 && !range.contains(&count)).then(|| {
        format!(
            "{what} has {} to {} key points, this card has {count}",
            range.start(),
            range.end()
        )
    })
}

/// The index of the first point that says what an earlier one said.
fn repeated_point(points: &[String]) -> Option<usize> {
    let keys: Vec<String> = points.iter().map(|p| normalized_point(p)).collect();
    (1..keys.len()).find(|&i| keys[..i].contains(&keys[i]))
}

/// A key point's text as its identity: case, punctuation and spacing do not matter, words do.
pub fn normalized_point(point: &str) -> String {
    point
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line after `Key points:`: a `- point` item, or a blank line.
pub(super) fn parse_point(
    line: &str,
    number: usize,
    draft: &mut CardDraft,
    errors: &mut Vec<LineError>,
) {
    if line.trim().is_empty() {
        return;
    }
    let Some(point) = line.strip_prefix("- ").map(str::trim) else {
        errors.push(LineError::new(
            number,
            format!(
                "card '{}': after `{KEY_POINTS}` only `- point` lines may follow, up to the next card",
                draft.card.id
            ),
        ));
        return;
    };
    let key = normalized_point(point);
    let problem = point_problem(point).or_else(|| {
        let earlier = draft
            .card
            .points
            .iter()
            .position(|p| normalized_point(p) == key);
        earlier.map(|i| format!("this key point repeats key point {}", i + 1))
    });
    if let Some(problem) = problem {
        errors.push(LineError::new(number, problem));
    }
    // Kept even when wrong, so that the count reported is the count written.
    draft.card.points.push(point.to_owned());
}
