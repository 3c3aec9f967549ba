use super::*;

const HEADER: &str = "+++\nid = \"mine\"\ntitle = \"Mine\"\ntags = [\"area\"]\n+++\n";

fn deck(body: &str) -> Result<ParsedDeck, Vec<LineError>> {
    parse_deck(&format!("{HEADER}{body}"))
}

fn messages(body: &str) -> Vec<(usize, String)> {
    deck(body)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.line, e.message))
        .collect()
}

#[test]
fn a_card_has_id_kind_tags_front_and_back() {
    let d = deck("\n# Intro\n\nPreamble text.\n\n## first\n- kind: definition\n- tags: a, b-c\n\nWhat?\n\n---\n\nThat.\n\n  indented\n").unwrap();
    assert_eq!(
        (d.id.as_str(), d.title.as_str(), d.tags.as_slice()),
        ("mine", "Mine", &["area".to_owned()][..])
    );
    let card = &d.cards[0];
    assert_eq!(card.id, "first");
    assert_eq!(card.line, 11);
    assert_eq!(card.kind, ParsedKind::Definition);
    assert_eq!(card.tags, ["a", "b-c"]);
    assert_eq!(card.front, "What?");
    assert_eq!(card.back, "That.\n\n  indented");
}

#[test]
fn kind_defaults_to_question_and_the_next_heading_ends_a_card() {
    let d = deck("## one\nQ1\n---\nA1\n## two\nQ2\n---\nA2\n").unwrap();
    assert_eq!(d.cards.len(), 2);
    assert_eq!(d.cards[0].kind, ParsedKind::Question);
    assert_eq!(d.cards[0].back, "A1");
    assert_eq!(d.cards[1].line, 10);
}

#[test]
fn code_fences_hide_headings_and_separators() {
    let d = deck(
        "## code\nQ\n```md\n## not a card\n---\n```\n---\n~~~~\n```\n## still code\n~~~~\nafter\n",
    )
    .unwrap();
    assert_eq!(d.cards.len(), 1);
    assert_eq!(d.cards[0].front, "Q\n```md\n## not a card\n---\n```");
    assert!(d.cards[0].back.ends_with("~~~~\nafter"));
}

#[test]
fn a_second_rule_in_the_answer_is_text() {
    let d = deck("## r\nQ\n---\nA\n---\nB\n").unwrap();
    assert_eq!(d.cards[0].back, "A\n---\nB");
}

#[test]
fn crlf_cr_and_a_bom_are_accepted_with_true_line_numbers() {
    let text = format!(
        "\u{feff}{}",
        "+++\r\nid = \"m\"\r\ntitle = \"M\"\r\n+++\r\n## a\rQ\r---\rA\r\n## b\r\nQ\r\n"
    );
    let errors = parse_deck(&text).unwrap_err();
    assert_eq!(
        errors,
        [LineError::new(
            9,
            "card 'b' has no `---` line between its question and its answer"
        )]
    );
}

#[test]
fn front_matter_must_open_close_and_name_the_deck() {
    assert_eq!(parse_deck("## a\n").unwrap_err()[0].line, 1);
    assert!(
        parse_deck("+++\nid = \"a\"\n").unwrap_err()[0]
            .message
            .contains("never closed")
    );
    let errors = parse_deck("+++\nid = \"a\"\ntitel = \"x\"\n+++\n## c\nQ\n---\nA\n").unwrap_err();
    assert_eq!(errors[0].line, 3, "{errors:?}");
    assert!(errors[0].message.contains("titel"), "{errors:?}");
    let errors =
        parse_deck("+++\nid = \"Bad Id\"\ntitle = \"x\"\n+++\n## c\nQ\n---\nA\n").unwrap_err();
    assert_eq!(
        (errors[0].line, errors[0].message.starts_with("bad deck id")),
        (2, true)
    );
}

#[test]
fn every_problem_is_reported_at_its_line() {
    let got = messages(
        "## ok\nQ\n---\nA\n## ok\nQ\n---\nA\n## Bad_ID\nQ\n---\nA\n## empty\n\n---\n\n## noback\nQ\n## none\n---\nA\n",
    );
    let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [10, 14, 18, 18, 22, 24], "{got:?}");
    assert_eq!(got[0].1, "duplicate card id 'ok' (first defined on line 6)");
    assert!(
        got[1]
            .1
            .starts_with("bad card id: 'Bad_ID' is not a valid id")
    );
    assert_eq!(got[2].1, "card 'empty' has an empty question");
    assert_eq!(got[3].1, "card 'empty' has an empty answer");
    assert_eq!(
        got[4].1,
        "card 'noback' has no `---` line between its question and its answer"
    );
    assert_eq!(got[5].1, "card 'none' has an empty question");
}

#[test]
fn empty_parts_are_errors() {
    let got = messages("## a\n\n---\n\nA\n## b\nQ\n---\n\n");
    assert_eq!(
        got,
        [
            (6, "card 'a' has an empty question".into()),
            (11, "card 'b' has an empty answer".into())
        ]
    );
}

#[test]
fn unknown_or_repeated_attributes_are_errors() {
    let got = messages("## a\n- kind: trivia\n- colour: red\n- tags: x\n- tags: y\nQ\n---\nA\n");
    assert_eq!(got.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [7, 8, 10]);
    assert!(got[0].1.contains("unknown card kind 'trivia'"));
    assert!(got[1].1.contains("unknown card attribute 'colour'"));
    assert!(got[2].1.contains("given twice"));
}

#[test]
fn a_list_after_a_blank_line_is_question_text() {
    let d = deck("## a\n\n- kind: of a list\nQ\n---\nA\n").unwrap();
    assert_eq!(d.cards[0].front, "- kind: of a list\nQ");
}

#[test]
fn an_unclosed_fence_points_at_its_opening_line() {
    let got = messages("## a\nQ\n---\n```rust\nfn main() {}\n");
    assert_eq!(
        got,
        [(
            9,
            "this code fence is never closed: add a line of 3 ``` characters".into()
        )]
    );
}

#[test]
fn a_deck_without_cards_is_an_error() {
    assert!(messages("\nJust prose.\n")[0].1.contains("no cards"));
}

#[test]
fn ids_and_tags_are_checked() {
    assert!(id_problem("rest-vs-graphql").is_none());
    assert!(id_problem("a.b_c-1").is_none());
    assert!(id_problem("-a").is_some());
    assert!(id_problem("A").is_some());
    assert!(id_problem("a b").is_some());
    assert!(id_problem(&"a".repeat(65)).is_some());
    assert!(tag_problem("system-design").is_none());
    assert!(tag_problem("System").is_some());
    assert!(tag_problem("").is_some());
}

#[test]
fn an_escaped_line_is_text_without_its_first_backslash() {
    let d = deck("## a\n\\## not a card\n\\---\n\\```\n---\n\\\\## two backslashes\n").unwrap();
    assert_eq!(d.cards.len(), 1);
    assert_eq!(d.cards[0].front, "## not a card\n---\n```");
    assert_eq!(d.cards[0].back, "\\## two backslashes");
}

#[test]
fn ids_allow_lowercase_letters_digits_dashes_underscores_and_dots_only() {
    for c in (0u32..0x250).filter_map(char::from_u32) {
        let expected = c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
        assert_eq!(id_problem(&format!("a{c}b")).is_none(), expected, "{c:?}");
        let starts = c.is_ascii_lowercase() || c.is_ascii_digit();
        assert_eq!(
            id_problem(&format!("{c}b")).is_none(),
            starts,
            "{c:?} first"
        );
    }
    assert!(id_problem("").is_some());
    assert!(id_problem(&"a".repeat(MAX_ID_LEN)).is_none());
    assert!(id_problem(&"a".repeat(MAX_ID_LEN + 1)).is_some());
}

#[test]
fn key_points_end_the_answer_as_a_list() {
    let d = deck(
        "## p\n- kind: definition\nQ\n---\nThe answer.\n\nKey points:\n- first idea\n\n- second `idea`\n## next\nQ\n---\nA\n",
    )
    .unwrap();
    assert_eq!(d.cards[0].back, "The answer.");
    assert_eq!(d.cards[0].points, ["first idea", "second `idea`"]);
    assert!(d.cards[1].points.is_empty());
}

#[test]
fn key_points_inside_code_or_escaped_are_answer_text() {
    let d = deck("## p\nQ\n---\n```\nKey points:\n- x\n```\n\\Key points:\n- y\n").unwrap();
    assert_eq!(
        d.cards[0].back,
        "```\nKey points:\n- x\n```\nKey points:\n- y"
    );
    assert!(d.cards[0].points.is_empty());
}

#[test]
fn key_point_counts_and_lengths_are_checked_where_they_are_written() {
    let long = "one two three four five six seven eight nine ten eleven twelve thirteen";
    assert_eq!(
        messages(&format!(
            "## q\nQ\n---\nA\nKey points:\n- a\n- {long}\n- c\n- A!\n```\n## d\n- kind: definition\nQ\n---\nA\nKey points:\n"
        )),
        [
            (
                12,
                "a key point has 13 words; keep it to 12, one checkable idea".to_owned()
            ),
            (14, "this key point repeats key point 1".to_owned()),
            (
                15,
                "card 'q': after `Key points:` only `- point` lines may follow, up to the next card"
                    .to_owned()
            ),
            (
                21,
                "card 'd': a `Key points:` line with no points under it".to_owned()
            ),
        ]
    );
    assert_eq!(
        messages("## q\nQ\n---\nA\nKey points:\n- a\n- b\n"),
        [(
            10,
            "card 'q': a question has 3 to 7 key points, this card has 2".to_owned()
        )]
    );
    assert_eq!(
        messages(
            "## d\n- kind: definition\nQ\n---\nA\nKey points:\n- a\n- b\n- c\n- d\n- e\n- f\n"
        ),
        [(
            11,
            "card 'd': a definition has 2 to 5 key points, this card has 6".to_owned()
        )]
    );
}

#[test]
fn a_point_is_known_by_its_words_not_its_case_or_punctuation() {
    assert_eq!(
        normalized_point("Retries need an *idempotency* key!"),
        normalized_point("retries need an idempotency-key")
    );
    assert_ne!(
        normalized_point("reads lag"),
        normalized_point("writes lag")
    );
}

#[test]
fn a_byte_order_mark_before_a_card_heading_is_an_error_at_its_line() {
    assert_eq!(
        messages("## a\nQ\n---\nA\n\u{feff}## b\nQ\n---\nA\n"),
        [(
            10,
            "a byte-order mark (U+FEFF) starts this line, as where two files were joined; remove it"
                .to_owned()
        )]
    );
}

#[test]
fn text_already_canonical_is_kept_without_the_line_by_line_pass() {
    let texts = [
        "",
        "one line",
        "  leading kept",
        "trailing  ",
        "a\nb",
        "a\n\nb",
        "a\n  \nb",
        "\na",
        "a\n",
        "a\r\nb",
        "a\rb",
        "  \n\n  ",
        "tab\t\nnext",
        "nbsp\u{a0}",
    ];
    for text in texts {
        let slow = trimmed_block(&split_lines(text));
        assert_eq!(canonical(text), slow, "{text:?}");
        assert_eq!(canonical_owned(text.to_owned()), slow, "{text:?}");
        assert_eq!(is_canonical(text), text == slow, "{text:?}");
    }
}
