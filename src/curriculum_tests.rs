use super::*;

fn at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap()
}

fn card(id: &str, front: &str) -> Card {
    Card {
        id: id.parse().unwrap(),
        kind: CardKind::Question,
        front: front.into(),
        back: "answer".into(),
        points: vec![],
        tags: vec!["mine".into()],
        retired: false,
    }
}

fn deck(cards: &[(&str, &str)]) -> Deck {
    Deck {
        id: "mine".parse().unwrap(),
        title: "Mine".into(),
        description: None,
        source: DeckSource::Imported,
        cards: cards.iter().map(|(id, front)| card(id, front)).collect(),
    }
}

/// A device writing changes one after another, after everything it has seen (`seen`).
struct Device {
    name: &'static str,
    clock: Stamp,
    log: Vec<Located>,
}

impl Device {
    fn new(name: &'static str, millis: i64) -> Device {
        Device {
            name,
            clock: Stamp { millis, counter: 0 },
            log: Vec::new(),
        }
    }

    fn write(&mut self, whats: Vec<What>, seen: Option<Stamp>) {
        if let Some(seen) = seen {
            self.clock = self.clock.max(seen);
        }
        for what in whats {
            self.clock = self.clock.next(self.clock.millis);
            let id = format!("{}-{}", self.name, self.log.len());
            let stamp = Some(self.clock);
            self.log.push((
                Change {
                    id,
                    at: at(),
                    stamp,
                    what,
                },
                None,
            ));
        }
    }

    /// Imports `incoming` over the curriculum this device sees (`others` synced in).
    fn import(&mut self, incoming: &Deck, others: &[&Device]) {
        let now = folded(
            &[&*self]
                .into_iter()
                .chain(others.iter().copied())
                .collect::<Vec<_>>(),
        );
        let (whats, _) = import(now.decks.get(&incoming.id), incoming);
        self.write(whats, now.latest);
    }
}

fn folded(devices: &[&Device]) -> Curriculum {
    let logs: Vec<LogEntries<Located>> = devices
        .iter()
        .map(|d| LogEntries {
            name: d.name,
            clamp: None,
            events: d.log.clone(),
        })
        .collect();
    fold(logs).unwrap()
}

fn fronts(curriculum: &Curriculum) -> Vec<(String, String, bool)> {
    curriculum
        .imported_decks()
        .into_iter()
        .flat_map(|d| d.cards)
        .map(|c| (c.id.to_string(), c.front, c.retired))
        .collect()
}

#[test]
fn two_machines_editing_one_deck_end_with_the_union_and_each_cards_latest_text() {
    let mut laptop = Device::new("laptop", 1_000);
    let mut desktop = Device::new("desktop", 1_000);
    laptop.import(&deck(&[("mine/a", "A1"), ("mine/b", "B1")]), &[]);
    // The desktop syncs: it has the laptop's log as it is now.
    let synced = Device {
        name: "laptop",
        clock: laptop.clock,
        log: laptop.log.clone(),
    };
    desktop.import(&deck(&[("mine/a", "A1"), ("mine/b", "B1")]), &[&synced]);
    // Offline: the laptop adds c and edits a; the desktop, later, adds d and edits b.
    laptop.import(
        &deck(&[("mine/a", "A2"), ("mine/b", "B1"), ("mine/c", "C")]),
        &[],
    );
    desktop.clock.millis = 5_000;
    desktop.import(
        &deck(&[("mine/a", "A1"), ("mine/b", "B2"), ("mine/d", "D")]),
        &[&synced],
    );
    let both = folded(&[&laptop, &desktop]);
    let expected = [
        ("mine/a", "A2", false),
        ("mine/b", "B2", false),
        ("mine/c", "C", false),
        ("mine/d", "D", false),
    ];
    let mut got = fronts(&both);
    got.sort();
    assert_eq!(
        got,
        expected.map(|(i, f, r)| (i.to_owned(), f.to_owned(), r))
    );
    // The same on the other machine, whatever order the logs are read in.
    assert_eq!(folded(&[&desktop, &laptop]), both);
}

#[test]
fn a_removal_and_an_edit_of_one_deck_resolve_the_same_way_everywhere() {
    let mut a = Device::new("a", 1_000);
    let mut b = Device::new("b", 1_000);
    a.import(&deck(&[("mine/x", "X")]), &[]);
    b.import(&deck(&[("mine/x", "X")]), &[&a]);
    let seen = folded(&[&a, &b]).latest;
    // a removes the deck; b, later and not knowing, edits it: the edit brings the deck back.
    a.write(
        vec![What::Remove {
            deck: "mine".parse().unwrap(),
        }],
        seen,
    );
    b.clock.millis = 9_000;
    b.import(&deck(&[("mine/x", "X2")]), &[]);
    let one = folded(&[&a, &b]);
    assert_eq!(one, folded(&[&b, &a]));
    assert_eq!(
        fronts(&one),
        [("mine/x".to_owned(), "X2".to_owned(), false)]
    );
    // Removed after the edit, it stays removed, on both.
    a.clock.millis = 20_000;
    a.write(
        vec![What::Remove {
            deck: "mine".parse().unwrap(),
        }],
        None,
    );
    assert!(folded(&[&a, &b]).imported_decks().is_empty());
    assert!(folded(&[&b, &a]).imported_decks().is_empty());
}

#[test]
fn importing_the_same_file_again_changes_nothing_and_a_card_gone_is_retired() {
    let mut one = Device::new("one", 1_000);
    let file = deck(&[("mine/a", "A"), ("mine/b", "B")]);
    one.import(&file, &[]);
    let written = one.log.len();
    let now = folded(&[&one]);
    let (whats, counts) = import(now.decks.get(&file.id), &file);
    assert!(whats.is_empty(), "{whats:?}");
    assert_eq!((counts.unchanged, counts.added), (2, 0));
    one.import(&deck(&[("mine/b", "B")]), &[]);
    assert_eq!(one.log.len(), written + 2, "the card moved up, a retired");
    let now = folded(&[&one]);
    assert_eq!(
        fronts(&now),
        [
            ("mine/b".to_owned(), "B".to_owned(), false),
            ("mine/a".to_owned(), "A".to_owned(), true)
        ]
    );
    let (_, counts) = import(now.decks.get(&file.id), &file);
    assert_eq!(
        (counts.revived, counts.updated, counts.unchanged),
        (1, 1, 1)
    );
}

#[test]
fn a_removed_deck_imported_again_is_a_new_deck_without_its_old_cards() {
    let mut one = Device::new("one", 1_000);
    one.import(&deck(&[("mine/a", "A"), ("mine/b", "B")]), &[]);
    one.write(
        vec![What::Remove {
            deck: "mine".parse().unwrap(),
        }],
        None,
    );
    let now = folded(&[&one]);
    let (_, counts) = import(
        now.decks.get(&"mine".parse().unwrap()),
        &deck(&[("mine/b", "B")]),
    );
    assert_eq!((counts.added, counts.retired), (1, 0));
    one.import(&deck(&[("mine/b", "B")]), &[]);
    let live: Vec<_> = fronts(&folded(&[&one]))
        .into_iter()
        .filter(|c| !c.2)
        .collect();
    assert_eq!(live, [("mine/b".to_owned(), "B".to_owned(), false)]);
}

#[test]
fn settings_and_the_plan_follow_the_latest_change_and_retractions() {
    let mut one = Device::new("one", 1_000);
    let api: DeckId = "api".parse().unwrap();
    let day: StudyDay = "2026-12-26".parse().unwrap();
    one.write(
        vec![
            What::Enable {
                deck: api.clone(),
                enabled: false,
            },
            What::Plan {
                interview: Some(day),
            },
        ],
        None,
    );
    let now = folded(&[&one]);
    assert!(now.disabled.contains(&api));
    assert_eq!(now.plan.map(|p| p.interview), Some(day));
    let ids = vec![one.log[1].0.id.clone()];
    one.write(vec![What::Retract { ids }], None);
    assert_eq!(folded(&[&one]).plan, None, "the plan was retracted");
}

#[test]
fn a_change_read_without_its_text_is_the_same_change() {
    let content = |front: &str| Content {
        kind: CardKind::Question,
        tags: vec![],
        front: front.into(),
        back: String::new(),
        points: vec![],
    };
    let change = |front: &str| Change {
        id: "c".into(),
        at: at(),
        stamp: Some(Stamp::default()),
        what: What::Card {
            card: "mine/a".parse().unwrap(),
            pos: 0,
            content: content(front),
        },
    };
    let full: Located = (change("Q"), None);
    let lean: Located = (change(""), Some(TextAt { log: 1, offset: 0 }));
    assert!(full.same_as(&lean));
    assert!(!full.same_as(&(change("other"), None)));
}
