use super::super::curriculum_line::CardLine;
use super::*;
use crate::model::{Card, CardKind};

fn at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap()
}

#[test]
fn every_kind_of_change_round_trips_with_or_without_its_text() {
    let card: CardId = "mine/a".parse().unwrap();
    let deck: DeckId = "mine".parse().unwrap();
    let content = Content {
        kind: CardKind::Definition,
        tags: vec!["mine".into(), "x".into()],
        front: "Q \"quoted\"\nline".into(),
        back: "A".into(),
        points: vec!["one".into(), "two".into()],
    };
    let whats = [
        What::Deck {
            deck: deck.clone(),
            title: "Mine".into(),
            description: Some("d".into()),
        },
        What::Card {
            card: card.clone(),
            pos: 3,
            content: content.clone(),
        },
        What::Retire { card: card.clone() },
        What::Remove { deck: deck.clone() },
        What::Enable {
            deck: deck.clone(),
            enabled: false,
        },
        What::Enable {
            deck,
            enabled: true,
        },
        What::Plan {
            interview: Some("2026-12-26".parse().unwrap()),
        },
        What::Plan { interview: None },
        What::Retract {
            ids: vec!["a".into()],
        },
    ];
    for (i, what) in whats.into_iter().enumerate() {
        let change = Change {
            id: format!("c{i}"),
            at: at(),
            stamp: Some(Stamp {
                millis: 5,
                counter: i as u32,
            }),
            what,
        };
        let text = serde_json::to_vec(&ChangeLine::from(&change)).unwrap();
        let path = Path::new("c.jsonl");
        let (full, _) = parse_line(path, 1, 0, 1, &text, Load::Full)
            .unwrap()
            .unwrap();
        assert_eq!(full, change, "{}", String::from_utf8_lossy(&text));
        let (lean, place) = parse_line(path, 1, 7, 1, &text, Load::Index)
            .unwrap()
            .unwrap();
        if let What::Card { content: c, .. } = &lean.what {
            assert!(c.front.is_empty() && c.back.is_empty());
            assert_eq!(c.points, content.points);
            assert_eq!(place, Some(TextAt { log: 1, offset: 7 }));
        } else {
            assert_eq!(lean, change);
        }
    }
}

#[test]
fn an_imported_card_is_written_as_its_change_would_be() {
    let mut card = Card {
        id: "mine/a-1".parse().unwrap(),
        kind: CardKind::Definition,
        front: "Q \"quoted\"\nline \u{e9}".into(),
        back: "A\ttab".into(),
        points: vec!["one".into(), "two".into()],
        tags: vec!["mine".into()],
        retired: false,
    };
    for points in [true, false] {
        if !points {
            card.points.clear();
            card.tags.clear();
        }
        let stamp = Stamp {
            millis: 5,
            counter: 2,
        };
        let change = Change {
            id: "c1".into(),
            at: at(),
            stamp: Some(stamp),
            what: What::Card {
                card: card.id.clone(),
                pos: 7,
                content: Content {
                    kind: card.kind,
                    tags: card.tags.clone(),
                    front: card.front.clone(),
                    back: card.back.clone(),
                    points: card.points.clone(),
                },
            },
        };
        let at = serde_json::value::to_raw_value(&at()).unwrap();
        assert_eq!(
            serde_json::to_string(&CardLine::new("c1", stamp, &at, &card, 7)).unwrap(),
            serde_json::to_string(&ChangeLine::from(&change)).unwrap()
        );
    }
}

#[test]
fn a_line_of_a_newer_version_is_refused_as_such() {
    let err = parse_line(
        Path::new("c.jsonl"),
        4,
        0,
        1,
        br#"{"v":2,"x":1}"#,
        Load::Index,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 2,
                line: Some(4),
                ..
            }
        ),
        "{err}"
    );
}
