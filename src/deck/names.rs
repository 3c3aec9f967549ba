//! What every import format shares and none of them owns: the name a deck takes when its file
//! gives none, and other tools' tags made into hone's. Below `import`, `anki`, `json` and
//! `table`, which all use it; it uses none of them.

use super::parse::tag_problem;

/// What a deck is called when the file does not say: from `--deck`, else from the file name.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub id: String,
    pub title: String,
}

/// Tags from another tool made into hone tags: lowercase letters, digits and `-` (Anki's
/// `Go::Concurrency` becomes `go-concurrency`); empty ones dropped, repeats once.
pub fn normal_tags<'a>(raw: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim();
        let mut normal = String::with_capacity(tag.len());
        let mut push = |c: char| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                normal.push(c);
            } else if !normal.ends_with('-') {
                normal.push('-');
            }
        };
        if tag.is_ascii() {
            tag.bytes()
                .for_each(|b| push(char::from(b.to_ascii_lowercase())));
        } else {
            tag.to_lowercase().chars().for_each(push);
        }
        // Runs of other characters became one `-`: at most one to drop at each end.
        if normal.ends_with('-') {
            normal.pop();
        }
        if normal.starts_with('-') {
            normal.remove(0);
        }
        if tag_problem(&normal).is_none() && !tags.contains(&normal) {
            tags.push(normal);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_tags_become_hone_tags() {
        assert_eq!(
            normal_tags(["Go::Concurrency", "go::concurrency", "C#", "", "  Web  "]),
            ["go-concurrency", "c", "web"]
        );
    }
}
