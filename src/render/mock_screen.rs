//! The screens of a running mock, laid out for a terminal of a given size: the status line, the
//! clock (a countdown while the question stands, the time used once the answer shows) and the
//! legends. The page itself (question, typed answer, model answer, key points) is laid out as
//! a review's (`review::page`). Pure: `ui::mock` draws what these return.

use console::Style;

use super::review::{Group, dim, lay_out};
use crate::mock::clock;

/// Which keys a mock's screen takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockLegend {
    /// The question, the clock running.
    Question,
    /// An answer being typed, the clock running.
    Typing,
    /// The model answer and its key points: `covered` of `total` marked.
    Checklist { covered: usize, total: usize },
    /// The model answer of a card without key points, to grade as a whole.
    Grade,
}

/// Where the mock is, and the card.
pub fn status(question: usize, questions: usize, card: &str, tags: &[String]) -> String {
    let mut status = format!("Mock · question {question} of {questions} · {card}");
    if !tags.is_empty() {
        status.push_str(" · ");
        status.push_str(&tags.join(", "));
    }
    status
}

/// The widest the countdown's bar grows.
const BAR: usize = 40;
/// From this many seconds left, the countdown stands out.
const HURRY: u32 = 30;

/// The countdown: the time left of the budget, and a bar of it as wide as fits.
pub fn countdown(left: u32, budget: u32, width: usize, color: bool) -> String {
    let text = format!("{} left of {}", clock(left), clock(budget));
    let room = width.saturating_sub(text.chars().count() + 2).min(BAR);
    let full =
        (room as u64 * u64::from(left.min(budget))).div_ceil(u64::from(budget.max(1))) as usize;
    let bar = if room >= 10 {
        format!("  {}{}", "━".repeat(full), "─".repeat(room - full))
    } else {
        String::new()
    };
    let line = format!("{text}{bar}");
    match color {
        true if left <= HURRY => Style::new()
            .force_styling(true)
            .bold()
            .red()
            .apply_to(line)
            .to_string(),
        true => Style::new()
            .force_styling(true)
            .bold()
            .apply_to(line)
            .to_string(),
        false => line,
    }
}

/// The clock once the answer shows.
pub fn time_used(used_ms: u64, budget: u32, timed_out: bool, color: bool) -> String {
    let used = clock(u32::try_from(used_ms / 1000).unwrap_or(u32::MAX));
    let text = if timed_out {
        format!("The time is up: {used} of {} used.", clock(budget))
    } else {
        format!("Time used: {used} of {}.", clock(budget))
    };
    dim(&text, color)
}

/// The legend of a mock's screen, for a terminal `width` columns wide.
pub fn legend(which: MockLegend, width: usize) -> Vec<String> {
    match which {
        MockLegend::Question => lay_out(
            &[Group {
                label: "",
                long: &[
                    "Enter show the answer",
                    "t type your answer",
                    "q end the mock",
                ],
                compact: &["Enter reveal", "t type", "q end"],
            }],
            width,
        ),
        MockLegend::Typing => lay_out(
            &[Group {
                label: "",
                long: &[
                    "Type your answer; Enter shows the model answer",
                    "Esc stop typing",
                ],
                compact: &["Enter reveal", "Esc stop typing"],
            }],
            width,
        ),
        MockLegend::Checklist { covered, total } => {
            let done = format!("Enter done ({covered} of {total} covered)");
            let short = format!("Enter done ({covered}/{total})");
            lay_out(
                &[
                    Group {
                        label: "",
                        long: &["↑↓ choose", "Space covered or not", &done],
                        compact: &["↑↓", "Space mark", &short],
                    },
                    Group::same("", &["q end the mock"]),
                ],
                width,
            )
        }
        MockLegend::Grade => lay_out(
            &[
                Group {
                    label: "Wrong: ",
                    long: &["0 blackout", "1 familiar once seen", "2 easy once seen"],
                    compact: &["0 blackout", "1 familiar", "2 easy"],
                },
                Group::same("Right: ", &["3 hard", "4 good", "5 perfect"]),
                Group::same("", &["3 or more counts as covered", "q end the mock"]),
            ],
            width,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::review::{self, Card, Checklist, Typed};

    /// A screen as `ui::mock` draws it, without colour.
    fn screen(
        card: &Card,
        clock: String,
        which: MockLegend,
        (columns, rows): (usize, usize),
    ) -> String {
        let width = columns.min(100);
        let page = review::page(card, width, false);
        let mut legend = vec![clock];
        legend.extend(legend_lines(which, width));
        review::view(&page, &legend, (columns, rows), 0, 0, false).text
    }

    fn legend_lines(which: MockLegend, width: usize) -> Vec<String> {
        legend(which, width)
    }

    const FRONT: &str = "How would you design a URL shortener?";
    const BACK: &str =
        "Generate short keys, store the mapping, redirect with 301 or 302, and cache hot keys.";

    fn points() -> Vec<String> {
        [
            "key generation without collisions",
            "a read-heavy cache in front",
            "301 or 302, and why",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn the_question_with_its_countdown() {
        let status = status(
            2,
            9,
            "system-design/url-shortener",
            &["system-design".into()],
        );
        let card = Card {
            notice: Some("Question 1 saved: 3 of 5 key points."),
            status: &status,
            front: FRONT,
            typed: None,
            back: None,
            checklist: None,
        };
        insta::assert_snapshot!(screen(
            &card,
            countdown(157, 600, 80, false),
            MockLegend::Question,
            (80, 24)
        ));
    }

    #[test]
    fn typing_with_the_clock_running_at_forty_columns() {
        let status = status(2, 9, "system-design/url-shortener", &[]);
        let card = Card {
            notice: None,
            status: &status,
            front: FRONT,
            typed: Some(Typed::Given("base62 of a counter_")),
            back: None,
            checklist: None,
        };
        insta::assert_snapshot!(screen(
            &card,
            countdown(9, 240, 40, false),
            MockLegend::Typing,
            (40, 24)
        ));
    }

    #[test]
    fn the_answer_after_the_time_ran_out() {
        let status = status(2, 9, "system-design/url-shortener", &[]);
        let points = points();
        let covered = [true, false, false];
        let card = Card {
            notice: None,
            status: &status,
            front: FRONT,
            typed: None,
            back: Some(BACK),
            checklist: Some(Checklist {
                points: &points,
                covered: &covered,
                cursor: 1,
            }),
        };
        let clock = time_used(600_000, 600, true, false);
        insta::assert_snapshot!(screen(
            &card,
            clock,
            MockLegend::Checklist {
                covered: 1,
                total: 3
            },
            (80, 30)
        ));
    }

    #[test]
    fn the_countdown_bar_shrinks_and_disappears_when_narrow() {
        assert_eq!(
            countdown(240, 240, 60, false),
            format!("4:00 left of 4:00  {}", "━".repeat(40))
        );
        assert_eq!(
            countdown(60, 240, 38, false),
            format!("1:00 left of 4:00  {}{}", "━".repeat(5), "─".repeat(14))
        );
        assert_eq!(
            countdown(0, 240, 38, false),
            format!("0:00 left of 4:00  {}", "─".repeat(19))
        );
        assert_eq!(countdown(5, 240, 20, false), "0:05 left of 4:00");
        assert_eq!(
            time_used(95_400, 240, false, false),
            "Time used: 1:35 of 4:00."
        );
    }

    #[test]
    fn a_card_without_key_points_is_graded_whole() {
        let lines = legend(MockLegend::Grade, 80);
        assert_eq!(
            lines[0],
            "Wrong: 0 blackout · 1 familiar once seen · 2 easy once seen"
        );
        assert_eq!(lines[2], "3 or more counts as covered · q end the mock");
    }
}
