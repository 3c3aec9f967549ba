//! `hone mock` for people: the questions a mock would ask, the mocks so far, and a mock's
//! scorecard. The screens of a running mock are `mock_screen`'s.

use std::fmt::Write as _;

use super::missed::Missed;
use super::safe::visible;
use super::{Look, percent, plural, table};
use crate::mock::clock;
use crate::views::mock::{MockHistoryView, MockPlanView, ScorecardView};

/// `2026-03-02 09:00` of a timestamp as views write it.
fn minute(timestamp: &str) -> String {
    match (timestamp.get(..10), timestamp.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => timestamp.to_owned(),
    }
}

/// Milliseconds as `m:ss`, whole seconds rounded down.
fn clock_ms(ms: u64) -> String {
    clock(u32::try_from(ms / 1000).unwrap_or(u32::MAX))
}

pub fn plan(view: &MockPlanView, look: Look) -> String {
    let planned: u32 = view.questions.iter().map(|q| q.seconds).sum();
    let mut out = String::new();
    let head = format!(
        "A {}-minute mock of {} (seed {}):",
        view.minutes,
        plural(view.questions.len(), "question", "questions"),
        view.seed
    );
    super::paragraph(&mut out, &head, look.width);
    out.push('\n');
    let rows: Vec<Vec<String>> = view
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            vec![
                (i + 1).to_string(),
                q.card.clone(),
                q.kind.to_owned(),
                clock(q.seconds),
            ]
        })
        .collect();
    out.push_str(&table(&["#", "CARD", "KIND", "TIME"], &rows));
    let note = format!(
        "Planned: {} of {}:00. `hone mock --seed {}` asks these questions while no answer is recorded in between.",
        clock(planned),
        view.minutes,
        view.seed
    );
    out.push('\n');
    super::paragraph(&mut out, &note, look.width);
    out
}

pub fn history(view: &MockHistoryView, _: Look) -> String {
    if view.mocks.is_empty() {
        return "No mock interview yet. `hone mock` runs one; `hone mock --dry-run` shows its questions first.\n".to_owned();
    }
    let rows: Vec<Vec<String>> = view
        .mocks
        .iter()
        .map(|m| {
            vec![
                minute(&m.started),
                m.minutes.to_string(),
                format!("{} of {}", m.answered, m.questions),
                format!("{}/{}", m.covered, m.points),
                format!("{}%", percent(m.covered, m.points)),
                if m.complete { "" } else { "incomplete" }.to_owned(),
            ]
        })
        .collect();
    let mut out = table(
        &["STARTED", "MINUTES", "ANSWERED", "POINTS", "SCORE", ""],
        &rows,
    );
    if let [.., before, last] = &view.mocks[..] {
        let _ = writeln!(
            out,
            "\nThe last mock scored {}%, the one before {}%.",
            percent(last.covered, last.points),
            percent(before.covered, before.points)
        );
    }
    out
}

pub fn scorecard(view: &ScorecardView, look: Look) -> String {
    let mock = &view.mock;
    let mut out = String::new();
    if mock.answered == 0 {
        return "The mock ended before its first answer; nothing was recorded.\n".to_owned();
    }
    let head = format!(
        "Mock interview of {}: {} of {} answered in {}{}.",
        minute(&mock.started),
        mock.answered,
        plural(mock.questions as usize, "question", "questions"),
        clock(u32::try_from(mock.seconds_used).unwrap_or(u32::MAX)),
        if mock.complete {
            ""
        } else {
            "; it ended early and is kept as incomplete"
        }
    );
    super::paragraph(&mut out, &head, look.width);
    out.push('\n');
    let rows: Vec<Vec<String>> = view
        .answers
        .iter()
        .map(|a| {
            vec![
                a.question.to_string(),
                a.card.clone(),
                format!("{}/{}", a.covered, a.points),
                format!(
                    "{} of {}{}",
                    clock_ms(a.used_ms),
                    clock(a.seconds),
                    if a.timed_out { ", time out" } else { "" }
                ),
            ]
        })
        .collect();
    out.push_str(&table(&["#", "CARD", "POINTS", "TIME"], &rows));
    out.push_str("\nBy topic, weakest first:\n");
    let rows: Vec<Vec<String>> = view
        .topics
        .iter()
        .map(|t| {
            vec![
                format!("  {}", visible(&t.topic)),
                format!("{}/{}", t.covered, t.points),
                format!("{}%", percent(t.covered, t.points)),
            ]
        })
        .collect();
    for line in table(&["", "", ""], &rows).lines().skip(1) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "\nScore: {} of {} key points covered, {}%.",
        mock.covered,
        mock.points,
        percent(mock.covered, mock.points)
    );
    if !view.missed.is_empty() {
        out.push_str("\nPoints missed most often (in how many answers that checked them):\n");
        let missed: Vec<Missed> = view
            .missed
            .iter()
            .map(|m| Missed {
                card: &m.card,
                position: m.position,
                point: &m.point,
                missed: m.missed,
                checked: m.checked,
            })
            .collect();
        out.push_str(&super::missed::missed_by_card(&missed, 2, look.width));
    }
    out.push('\n');
    if view.drill.is_empty() {
        out.push_str("Every key point covered.\n");
    } else {
        let drill = format!("Drill next: {}.", view.drill.join(", "));
        super::paragraph(&mut out, &drill, look.width);
    }
    super::paragraph(
        &mut out,
        "`hone show CARD-ID` shows each model answer, `hone mock --history` every mock.",
        look.width,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::mock::{
        MissedPointView, MockQuestionView, MockSummaryView, ScoredAnswerView, TopicScoreView,
    };

    const LOOK: Look = Look {
        width: 80,
        color: false,
    };

    fn summary(
        id: &str,
        started: &str,
        answered: usize,
        covered: usize,
        points: usize,
    ) -> MockSummaryView {
        MockSummaryView {
            id: id.into(),
            started: started.into(),
            minutes: 45,
            questions: 9,
            answered,
            covered,
            points,
            score: covered as f64 / points as f64,
            complete: answered == 9,
            seconds_used: 1_934,
        }
    }

    #[test]
    fn the_questions_of_a_dry_run() {
        let view = MockPlanView {
            minutes: 45,
            seed: 123_456,
            questions: vec![
                MockQuestionView {
                    card: "sql/joins".into(),
                    deck: "sql".into(),
                    kind: "question",
                    seconds: 240,
                },
                MockQuestionView {
                    card: "system-design/url-shortener".into(),
                    deck: "system-design".into(),
                    kind: "design",
                    seconds: 600,
                },
            ],
        };
        insta::assert_snapshot!(plan(&view, LOOK));
    }

    #[test]
    fn the_history_of_mocks_and_its_trend() {
        let view = MockHistoryView {
            mocks: vec![
                summary("a", "2026-03-02T09:00:00+01:00", 9, 31, 44),
                summary("b", "2026-03-09T18:30:00+01:00", 6, 20, 27),
            ],
        };
        insta::assert_snapshot!(history(&view, LOOK));
        assert!(
            history(&MockHistoryView { mocks: vec![] }, LOOK).starts_with("No mock interview yet")
        );
    }

    #[test]
    fn a_scorecard() {
        let view = ScorecardView {
            mock: MockSummaryView {
                seconds_used: 335,
                ..summary("a", "2026-03-02T09:00:00+01:00", 2, 3, 6)
            },
            answers: vec![
                ScoredAnswerView {
                    question: 1,
                    card: "api/rest".into(),
                    covered: 1,
                    points: 4,
                    seconds: 240,
                    used_ms: 240_000,
                    timed_out: true,
                },
                ScoredAnswerView {
                    question: 2,
                    card: "sql/joins".into(),
                    covered: 2,
                    points: 2,
                    seconds: 240,
                    used_ms: 95_400,
                    timed_out: false,
                },
            ],
            topics: vec![
                TopicScoreView {
                    topic: "api".into(),
                    questions: 1,
                    covered: 1,
                    points: 4,
                },
                TopicScoreView {
                    topic: "sql".into(),
                    questions: 1,
                    covered: 2,
                    points: 2,
                },
            ],
            missed: vec![MissedPointView {
                card: "api/rest".into(),
                position: 3,
                point: "the uniform interface: resources named by URLs, manipulated with the HTTP methods, with hypermedia".into(),
                missed: 3,
                checked: 4,
            }],
            drill: vec!["api/rest".into()],
        };
        insta::assert_snapshot!(scorecard(&view, LOOK));
    }
}
