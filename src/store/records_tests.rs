use proptest::prelude::*;

use super::*;
use crate::answer::{self, Moment};
use crate::model::ReviewKind;

fn state(ease: f64) -> CardState {
    let day = StudyDay::from_date(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    CardState {
        repetitions: 3,
        ease,
        interval_days: 17,
        due: day.plus(17),
        reviews: 4,
        lapses: 1,
        first_reviewed: day,
        last_reviewed: day,
        memory: None,
    }
}

proptest! {
    // The ease decides future intervals through ceil(I * EF): one ulp lost in a round trip
    // through the log could move a due day.
    #[test]
    fn a_log_line_round_trips_exactly(ease in crate::floats::f64_in(MIN_EASE, 10.0), grade in 0u8..=5, secs in 0i64..4_000_000_000, counter in 0u32..5, cap in 1u32..=36_500) {
        let at = DateTime::from_timestamp(secs, 0).unwrap().fixed_offset();
        let review = Event {
            id: "abc".into(),
            card: "api/rest".parse().unwrap(),
            at,
            day: StudyDay::of(at, 4),
            day_start_hour: Some(4),
            stamp: Some(Stamp { millis: secs * 1000, counter }),
            action: Action::Review {
                answer: Graded { grade: Grade::new(grade).unwrap(), elapsed_ms: Some(1234), response: Some("a \"guess\"\n".into()), coverage: None, mock: None },
                before: Some(state(ease)),
                after: state(ease),
                max_interval: cap,
            },
        };
        let text = serde_json::to_string(&LogLine::from(&review)).unwrap();
        let back = serde_json::from_str::<LogLine>(&text).unwrap().into_event().unwrap();
        prop_assert_eq!(back, review);
    }
}

#[test]
fn every_kind_of_entry_round_trips() {
    let when = Moment {
        at: DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap(),
        day_start_hour: 4,
        max_interval: crate::sm2::MAX_INTERVAL,
    };
    let card: CardId = "api/rest".parse().unwrap();
    let graded = Graded {
        grade: Grade::new(2).unwrap(),
        elapsed_ms: None,
        response: None,
        coverage: None,
        mock: None,
    };
    let review = answer::answer(
        &card,
        graded.clone(),
        ReviewKind::Scheduled,
        None,
        when,
        "r".into(),
        &crate::memory::Model::default(),
    );
    let practice = answer::answer(
        &card,
        graded,
        ReviewKind::Practice,
        None,
        when,
        "p".into(),
        &crate::memory::Model::default(),
    );
    let events = [
        answer::undo(&review, when, "u1".into()).unwrap(),
        answer::undo(&practice, when, "u2".into()).unwrap(),
        answer::suspension(&card, true, when, "s".into()),
        answer::suspension(&card, false, when, "x".into()),
        answer::leech_suspension(&review, when, "l".into()),
        answer::retraction(&card, vec!["r".into(), "p".into()], when, "t".into()),
        review,
        practice,
    ];
    for (i, mut event) in events.into_iter().enumerate() {
        event.stamp = Some(Stamp {
            millis: when.at.timestamp_millis(),
            counter: i as u32,
        });
        let text = serde_json::to_string(&LogLine::from(&event)).unwrap();
        assert_eq!(
            serde_json::from_str::<LogLine>(&text)
                .unwrap()
                .into_event()
                .unwrap(),
            event,
            "{text}"
        );
    }
}

#[test]
fn a_mock_answer_round_trips_and_reads_as_practice_without_its_mock() {
    let at = DateTime::parse_from_rfc3339("2026-03-02T09:10:00+01:00").unwrap();
    let when = Moment {
        at,
        day_start_hour: 4,
        max_interval: crate::sm2::MAX_INTERVAL,
    };
    let mock = MockAnswer {
        id: "3f9c0a1b2c3d4e5f".into(),
        started: DateTime::parse_from_rfc3339("2026-03-02T09:00:00+01:00").unwrap(),
        minutes: 45,
        question: 2,
        questions: 9,
        seconds: 240,
        used_ms: 187_250,
        timed_out: false,
    };
    let graded = Graded {
        grade: Grade::new(3).unwrap(),
        elapsed_ms: Some(201_000),
        response: None,
        coverage: Some(Coverage::new(&["a".into(), "b".into()], &[1]).unwrap()),
        mock: Some(mock.clone()),
    };
    let card: CardId = "api/rest".parse().unwrap();
    let mut event = answer::answer(
        &card,
        graded,
        ReviewKind::Practice,
        None,
        when,
        "m".into(),
        &crate::memory::Model::default(),
    );
    event.stamp = Some(Stamp {
        millis: at.timestamp_millis(),
        counter: 0,
    });
    let text = serde_json::to_string(&LogLine::from(&event)).unwrap();
    assert!(
        text.contains(r#""kind":"practice""#)
            && text.contains(r#""mock":{"id":"3f9c0a1b2c3d4e5f","started":"2026-03-02T09:00:00+01:00","minutes":45,"question":2,"questions":9,"seconds":240,"used_ms":187250}"#),
        "{text}"
    );
    let back = serde_json::from_str::<LogLine>(&text)
        .unwrap()
        .into_event()
        .unwrap();
    assert_eq!(back, event);
    // A hone from before mocks reads the line without the field: a plain practice answer.
    let mut older: serde_json::Value = serde_json::from_str(&text).unwrap();
    older.as_object_mut().unwrap().remove("mock");
    let plain = serde_json::from_value::<LogLine>(older)
        .unwrap()
        .into_event()
        .unwrap();
    assert!(matches!(&plain.action, Action::Practice { answer } if answer.mock.is_none()));

    let timed_out = text.replace(
        r#""used_ms":187250"#,
        r#""used_ms":240000,"timed_out":true"#,
    );
    let back = serde_json::from_str::<LogLine>(&timed_out)
        .unwrap()
        .into_event()
        .unwrap();
    assert!(back.graded().unwrap().mock.as_ref().unwrap().timed_out);
}

#[test]
fn a_mock_part_that_makes_no_sense_is_damage() {
    let line = r#"{"v":2,"id":"a","kind":"practice","card":"api/rest","at":"2026-03-02T09:00:00+01:00","hlc":[1,0],"day":"2026-03-02","grade":3,"mock":{"id":"m","started":"2026-03-02T09:00:00+01:00","minutes":45,"question":QUESTION,"questions":2,"seconds":240,"used_ms":1}}"#;
    let read = |question: &str| {
        serde_json::from_str::<LogLine>(&line.replace("QUESTION", question))
            .unwrap()
            .into_event()
    };
    assert!(read("2").is_ok());
    assert!(read("3").unwrap_err().contains("question 3 of a mock of 2"));
    assert!(read("0").is_err());
    let suspend = line
        .replace(r#""kind":"practice""#, r#""kind":"suspend""#)
        .replace("QUESTION", "1");
    let err = serde_json::from_str::<LogLine>(&suspend)
        .unwrap()
        .into_event()
        .unwrap_err();
    assert!(err.contains("not an answer"), "{err}");
}

#[test]
fn version_1_lines_read_without_a_stamp_and_version_2_lines_need_one() {
    let v1 = r#"{"v":1,"id":"a","kind":"suspend","card":"api/rest","at":"2026-03-02T09:00:00+01:00","day":"2026-03-02"}"#;
    let event = serde_json::from_str::<LogLine>(v1)
        .unwrap()
        .into_event()
        .unwrap();
    assert_eq!(event.stamp, None);
    assert_eq!(event.action, Action::Suspend { cause: None });
    let v2 = v1.replace("\"v\":1", "\"v\":2");
    let line = serde_json::from_str::<LogLine>(&v2).unwrap();
    assert!(line.into_event().unwrap_err().contains("stamp"));
}

#[test]
fn dates_parse_by_hand_as_chrono_would() {
    use chrono::Datelike;
    let mut date = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    while date.year() <= 2100 {
        let text = date.format("%Y-%m-%d").to_string();
        assert_eq!(day::parse(&text), Some(date), "{text}");
        date = date.succ_opt().unwrap();
    }
    for text in [
        "0001-01-01",
        "9999-12-31",
        "+12345-01-01",
        "-026-03-02",
        "2026-3-02",
    ] {
        assert_eq!(day::parse(text), text.parse().ok(), "{text}");
    }
    for bad in [
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2025-02-29",
        "20260302",
        "2026-03-0x",
        "",
    ] {
        assert_eq!(day::parse(bad), None, "{bad}");
        assert_eq!(bad.parse::<chrono::NaiveDate>().ok(), None, "{bad}");
    }
}

#[test]
fn timestamps_parse_by_hand_as_chrono_would() {
    let agree = [
        "2026-11-23T09:00:00+01:00",
        "2026-11-23T09:00:00Z",
        "2026-11-23T09:00:00.5-07:30",
        "2026-11-23T09:00:00.123456789+14:00",
        "2026-11-23T23:59:59-12:00",
        "2016-12-31T23:59:60Z",
        "2026-11-23t09:00:00z",
        "2026-11-23 09:00:00+01:00",
        "2026-11-23T09:00:00.1234567891+01:00",
        "2026-11-23T09:00:00+0100",
        "2026-11-23T09:00:00+24:00",
        "2026-02-29T09:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T09:00Z",
        "2026-11-23T09:00:00+01:60",
        "2026-11-23T09:00:00+23:59",
        "2026-11-23T09:00:00-00:00",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999-23:59",
        "2026-11-23T09:00:00.+01:00",
        "2026-11-23T09:00:00+01:00 ",
        "",
    ];
    for text in agree {
        assert_eq!(
            moment::parse(text),
            text.parse::<DateTime<FixedOffset>>().ok(),
            "{text}"
        );
    }
}

proptest! {
    #[test]
    fn every_timestamp_hone_writes_reads_back_exactly(
        seconds in -2_000_000_000i64..8_000_000_000,
        nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|n| n * 1_000_000)],
        offset_minutes in -(14 * 60)..=(14 * 60),
    ) {
        let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
        let at = DateTime::from_timestamp(seconds, nanos).unwrap().with_timezone(&offset);
        let written = serde_json::to_string(&at).unwrap();
        let text: String = serde_json::from_str(&written).unwrap();
        prop_assert_eq!(moment::parse(&text), Some(at));
        prop_assert_eq!(moment::parse(&text), text.parse().ok());
    }
}

#[test]
fn an_ease_below_the_minimum_is_damage() {
    assert!(StateRecord::from(&state(1.2)).to_state().is_err());
    assert!(StateRecord::from(&state(f64::NAN)).to_state().is_err());
}
