use super::*;

#[test]
fn enter_reveals_and_records_the_time_used() {
    let mut asking = Asking::new(3, 240);
    assert_eq!(asking.key(&Key::Enter, 95_400), Did::Changed);
    assert_eq!(
        (asking.phase, asking.used_ms, asking.timed_out),
        (Phase::Answer, Some(95_400), false)
    );
    assert_eq!(
        asking.legend(),
        MockLegend::Checklist {
            covered: 0,
            total: 3
        }
    );
    assert_eq!(asking.key(&Key::Char(' '), 97_000), Did::Moved);
    assert_eq!(asking.key(&Key::Char(' '), 97_000), Did::Moved);
    assert_eq!(
        asking.legend(),
        MockLegend::Checklist {
            covered: 2,
            total: 3
        }
    );
    // 2 of 3 covered proposes 3; the clock no longer counts on the answer's screen.
    assert_eq!(
        asking.key(&Key::Enter, 900_000),
        Did::Done(Grade::new(3).unwrap())
    );
    let points = ["a", "b", "c"].map(String::from);
    let graded = asking.graded(&points, Grade::new(3).unwrap(), 99_000, mock());
    assert_eq!(graded.coverage.unwrap().covered, [1, 2]);
}

fn mock() -> MockAnswer {
    MockAnswer {
        id: "m".into(),
        started: DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap(),
        minutes: 45,
        question: 1,
        questions: 2,
        seconds: 240,
        used_ms: 0,
        timed_out: false,
    }
}

#[test]
fn the_end_of_the_time_reveals_the_answer() {
    let mut asking = Asking::new(2, 3);
    assert!(!asking.tick(2_999));
    assert_eq!(asking.left_seconds(2_001), 1);
    assert_eq!(asking.left_seconds(0), 3);
    assert!(asking.tick(3_000));
    assert!(!asking.tick(4_000), "once");
    assert_eq!(
        (asking.phase, asking.used_ms, asking.timed_out),
        (Phase::Answer, Some(3_000), true)
    );
    // Nothing marked: Enter records that nothing was covered.
    assert_eq!(
        asking.key(&Key::Enter, 5_000),
        Did::Done(Grade::new(1).unwrap())
    );
    let points = ["a", "b"].map(String::from);
    let graded = asking.graded(&points, Grade::new(1).unwrap(), 5_000, mock());
    assert_eq!(graded.coverage.unwrap().covered, Vec::<usize>::new());
}

#[test]
fn a_key_that_comes_as_the_time_runs_out_is_not_taken_for_the_answer_s_screen() {
    let mut asking = Asking::new(2, 3);
    assert_eq!(asking.key(&Key::Enter, 3_100), Did::Changed);
    assert!(asking.timed_out);
    assert_eq!(asking.phase, Phase::Answer);
}

#[test]
fn typing_takes_every_letter_and_esc_stops_it() {
    let mut asking = Asking::new(2, 240);
    assert_eq!(asking.key(&Key::Char('t'), 10), Did::Changed);
    for c in "qtj k".chars() {
        assert_eq!(asking.key(&Key::Char(c), 20), Did::Changed);
    }
    assert_eq!(asking.key(&Key::Backspace, 30), Did::Changed);
    assert_eq!(asking.typed, "qtj ");
    assert_eq!(asking.key(&Key::Escape, 40), Did::Changed);
    assert_eq!(asking.phase, Phase::Question);
    assert_eq!(asking.key(&Key::Char('t'), 50), Did::Changed);
    assert_eq!(asking.key(&Key::Enter, 60), Did::Changed);
    assert_eq!(asking.phase, Phase::Answer);
    let graded = asking.graded(
        &["a".into(), "b".into()],
        Grade::new(1).unwrap(),
        70,
        mock(),
    );
    assert_eq!(graded.response.as_deref(), Some("qtj"));
    let mut typing = Asking::new(2, 240);
    typing.key(&Key::Char('t'), 0);
    assert_eq!(typing.key(&Key::CtrlC, 0), Did::Quit);
}

#[test]
fn q_esc_and_ctrl_c_end_the_mock_outside_typing() {
    for key in [Key::Char('q'), Key::Escape, Key::CtrlC] {
        assert_eq!(Asking::new(2, 240).key(&key, 0), Did::Quit);
        let mut answer = Asking::new(2, 240);
        answer.key(&Key::Enter, 0);
        assert_eq!(answer.key(&key, 0), Did::Quit);
    }
}

#[test]
fn a_card_without_key_points_takes_a_grade() {
    let mut asking = Asking::new(0, 240);
    asking.key(&Key::Char(' '), 1_000);
    assert_eq!(asking.legend(), MockLegend::Grade);
    assert_eq!(asking.key(&Key::Enter, 2_000), Did::Nothing);
    assert_eq!(
        asking.key(&Key::Char('4'), 2_000),
        Did::Done(Grade::new(4).unwrap())
    );
    assert_eq!(
        asking
            .graded(&[], Grade::new(4).unwrap(), 2_000, mock())
            .coverage,
        None
    );
}

#[test]
fn the_countdown_is_redrawn_as_each_second_passes() {
    let asking = Asking::new(0, 10);
    assert_eq!(asking.until_next_second(0), Duration::from_millis(1_002));
    assert_eq!(asking.until_next_second(300), Duration::from_millis(702));
    assert_eq!(asking.until_next_second(9_999), Duration::from_millis(3));
}
