//! The built-in curriculum: every roadmap topic and question is covered by an existing card, and
//! every card meets the length, tagging and key-point rules its readers rely on.

use std::collections::{BTreeMap, BTreeSet};

use hone::deck::builtin_decks;
use hone::model::{Card, CardKind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Roadmap {
    topic: Vec<Entry>,
    question: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    section: String,
    #[serde(alias = "text")]
    name: String,
    cards: Vec<String>,
}

/// The section of entries that go beyond the roadmap: what interviewers ask in 2026 besides.
const BEYOND: &str = "Beyond the roadmap: 2026";

fn roadmap() -> Roadmap {
    toml::from_str(include_str!("../decks/roadmap.toml")).expect("decks/roadmap.toml parses")
}

fn cards() -> BTreeMap<String, Card> {
    builtin_decks()
        .into_iter()
        .flat_map(|d| d.cards)
        .map(|c| (c.id.to_string(), c))
        .collect()
}

/// Words outside fenced code blocks.
fn prose_words(text: &str) -> usize {
    let mut in_code = false;
    let mut words = 0;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        } else if !in_code {
            words += line.split_whitespace().count();
        }
    }
    words
}

#[test]
fn every_roadmap_entry_maps_to_existing_cards_of_the_right_kind() {
    let cards = cards();
    let roadmap = roadmap();
    let mut missing = Vec::new();
    for (entries, kind) in [
        (&roadmap.topic, None),
        (&roadmap.question, Some(CardKind::Question)),
    ] {
        for entry in entries {
            if entry.cards.is_empty() {
                missing.push(format!(
                    "{} / {}: no cards listed",
                    entry.section, entry.name
                ));
            }
            for id in &entry.cards {
                if !cards.contains_key(id) {
                    missing.push(format!(
                        "{} / {}: no card '{id}'",
                        entry.section, entry.name
                    ));
                }
            }
            let first = entry.cards.first().and_then(|id| cards.get(id));
            if let (Some(kind), Some(card)) = (kind, first)
                && card.kind != kind
            {
                missing.push(format!(
                    "{} / {}: '{}' is not a {}",
                    entry.section,
                    entry.name,
                    card.id,
                    kind.as_str()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "roadmap entries without cards:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_roadmap_list_is_complete() {
    let roadmap = roadmap();
    assert_eq!(
        roadmap
            .question
            .iter()
            .filter(|q| q.section != BEYOND)
            .count(),
        12,
        "the roadmap asks twelve interview questions"
    );
    let topics: BTreeSet<&str> = roadmap.topic.iter().map(|t| t.name.as_str()).collect();
    for name in [
        "C#",
        "Gin",
        "GORM",
        "Database In-Memory",
        "Github/Gitlab",
        "Normalization",
        "gRPC",
        "OWASP Top 10",
        "Adaptability",
    ] {
        assert!(topics.contains(name), "roadmap.toml lacks {name}");
    }
    assert!(roadmap.topic.len() >= 70, "{} topics", roadmap.topic.len());
}

#[test]
fn topic_definitions_are_definition_cards() {
    let cards = cards();
    for topic in roadmap()
        .topic
        .iter()
        .filter(|t| t.section != "Essential Soft Skills" && t.section != BEYOND)
    {
        let card = &cards[&topic.cards[0]];
        assert_eq!(
            card.kind,
            CardKind::Definition,
            "{} ({}) should open with a definition",
            topic.name,
            card.id
        );
    }
}

#[test]
fn there_are_at_least_400_cards_and_three_extra_questions_per_area() {
    let cards = cards();
    assert!(cards.len() >= 400, "{} cards", cards.len());
    let roadmap = roadmap();
    let roadmap_questions: BTreeSet<&str> = roadmap
        .question
        .iter()
        .flat_map(|q| q.cards.iter().map(String::as_str))
        .collect();
    for deck in builtin_decks() {
        let extra = deck
            .cards
            .iter()
            .filter(|c| c.kind == CardKind::Question && !roadmap_questions.contains(c.id.as_str()))
            .count();
        assert!(
            extra >= 3,
            "deck {} has {extra} questions beyond the roadmap's",
            deck.id
        );
    }
}

#[test]
fn every_card_is_tagged_with_its_area_first() {
    for deck in builtin_decks() {
        for card in &deck.cards {
            assert_eq!(
                card.tags.first().map(String::as_str),
                Some(deck.id.as_str()),
                "{}",
                card.id
            );
        }
    }
}

#[test]
fn answers_are_concise() {
    let mut problems = Vec::new();
    for card in cards().values() {
        let words = prose_words(&card.back);
        let (min, max) = match card.kind {
            CardKind::Definition => (40, 150),
            CardKind::Question => (100, 300),
        };
        if !(min..=max).contains(&words) {
            problems.push(format!(
                "{} ({}): {words} words, want {min}-{max}",
                card.id,
                card.kind.as_str()
            ));
        }
        if let Some(line) = card
            .front
            .lines()
            .chain(card.back.lines())
            .find(|l| l.chars().count() > 100)
        {
            problems.push(format!("{}: a line over 100 columns: {line}", card.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_card_has_key_points_and_every_new_area_is_listed() {
    let cards = cards();
    let without: Vec<&str> = cards
        .values()
        .filter(|c| c.points.is_empty())
        .map(|c| c.id.as_str())
        .collect();
    assert!(without.is_empty(), "cards without key points: {without:?}");
    // The areas interviewers ask about in 2026 beyond the roadmap are mapped too.
    let roadmap = roadmap();
    let listed: BTreeSet<&str> = roadmap
        .topic
        .iter()
        .chain(&roadmap.question)
        .filter(|t| t.section == BEYOND)
        .map(|t| t.name.as_str())
        .collect();
    for area in [
        "Storage engines",
        "Search",
        "Time and order in distributed systems",
        "Multi-tenancy",
        "Stream processing",
        "Object storage and file uploads",
        "Retrieval-augmented generation (RAG)",
        "Testing strategy and test levels",
        "Containers: namespaces, cgroups and OOM kills",
    ] {
        assert!(listed.contains(area), "roadmap.toml lacks {area}");
    }
}
