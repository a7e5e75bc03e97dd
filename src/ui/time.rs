//! Dates as French people read them, in French time (Europe/Paris), the same on the server
//! and in the browser so that hydration agrees.

use jiff::{
    Timestamp, Zoned,
    civil::Date,
    tz::{self, TimeZone},
};

static PARIS: TimeZone = tz::get!("Europe/Paris");

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The Paris time zone, embedded in the binary.
pub fn paris() -> TimeZone {
    PARIS.clone()
}

fn in_paris(ms: i64) -> Zoned {
    Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(PARIS.clone())
}

/// A duration as a sentence says it: "une heure", "un jour", "7 jours", "90 minutes". Texts
/// that tell how long something lasts derive it from the constant that decides it.
pub fn in_words(duration: std::time::Duration) -> String {
    let minutes = duration.as_secs() / 60;
    let (count, one, many) = if minutes > 0 && minutes.is_multiple_of(24 * 60) {
        (minutes / (24 * 60), "un jour", "jours")
    } else if minutes > 0 && minutes.is_multiple_of(60) {
        (minutes / 60, "une heure", "heures")
    } else {
        (minutes, "une minute", "minutes")
    };
    match count {
        1 => one.to_owned(),
        n => format!("{n} {many}"),
    }
}

/// The machine-readable form, for `<time datetime>`: "2026-11-25T14:05:00+01:00".
pub fn iso(ms: i64) -> String {
    in_paris(ms).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// When something happened, said relative to `now_ms`: "aujourd'hui à 14 h 05",
/// "hier à 9 h 30", "3 novembre à 18 h 00", "3 novembre 2025 à 18 h 00".
pub fn when(ms: i64, now_ms: i64) -> String {
    let (at, now) = (in_paris(ms), in_paris(now_ms));
    let day = at.date();
    let today = now.date();
    let hour = format!("{} h {:02}", at.hour(), at.minute());
    if day == today {
        format!("aujourd'hui à {hour}")
    } else if today.yesterday().ok() == Some(day) {
        format!("hier à {hour}")
    } else if day.year() == today.year() {
        format!("{} à {hour}", day_and_month(day))
    } else {
        format!("{} {} à {hour}", day_and_month(day), day.year())
    }
}

/// `when`, relative to this instant.
pub fn when_from_now(ms: i64) -> String {
    when(ms, Timestamp::now().as_millisecond())
}

/// The instant a concert starts, from its day and its time in Paris; `None` for a time that
/// does not exist.
pub fn paris_start(day: Date, hour: i8, minute: i8) -> Option<i64> {
    let zoned = day.at(hour, minute, 0, 0).to_zoned(PARIS.clone()).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

/// The day and the time in Paris: ("2027-07-03", "20:30").
pub fn paris_date_and_time(ms: i64) -> (String, String) {
    let at = in_paris(ms);
    (
        at.date().to_string(),
        format!("{:02}:{:02}", at.hour(), at.minute()),
    )
}

/// A concert's day and time, in full: "samedi 3 juillet 2027 à 20 h 30".
pub fn full_date_and_time(ms: i64) -> String {
    let at = in_paris(ms);
    format!(
        "{} à {} h {:02}",
        date_in_words(at.date()),
        at.hour(),
        at.minute()
    )
}

/// A day as a sentence says it: "2027-07-03" → "samedi 3 juillet 2027" (as given when it is
/// no date). Read by hand rather than by jiff's parser, which the browser's build would
/// otherwise carry for this alone.
pub fn full_date(day: &str) -> String {
    let mut parts = day.splitn(3, '-').map(str::parse::<i16>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(year)), Some(Ok(month)), Some(Ok(day_of_month))) => {
            match (i8::try_from(month), i8::try_from(day_of_month)) {
                (Ok(month), Ok(day_of_month)) => Date::new(year, month, day_of_month)
                    .map_or_else(|_| day.to_owned(), date_in_words),
                _ => day.to_owned(),
            }
        }
        _ => day.to_owned(),
    }
}

/// "samedi 3 juillet 2027".
fn date_in_words(date: Date) -> String {
    let weekday = WEEKDAYS[usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0)];
    format!("{weekday} {} {}", day_and_month(date), date.year())
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

fn day_and_month(day: Date) -> String {
    let month = usize::try_from(day.month() - 1).unwrap_or(0);
    let number = if day.day() == 1 {
        "1er".to_owned()
    } else {
        day.day().to_string()
    };
    format!("{number} {}", MONTHS[month])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_words() {
        use std::time::Duration;
        let hours = |n: u64| Duration::from_secs(n * 60 * 60);
        assert_eq!(in_words(hours(1)), "une heure");
        assert_eq!(in_words(hours(24)), "un jour");
        assert_eq!(in_words(hours(7 * 24)), "7 jours");
        assert_eq!(in_words(hours(3)), "3 heures");
        assert_eq!(in_words(Duration::from_secs(90 * 60)), "90 minutes");
        assert_eq!(in_words(Duration::from_secs(60)), "une minute");
    }

    fn ms(instant: &str) -> i64 {
        instant
            .parse::<Timestamp>()
            .expect("a valid instant")
            .as_millisecond()
    }

    #[test]
    fn times_are_french_time_in_summer_and_in_winter() {
        let now = ms("2026-11-25T18:00:00Z");
        assert_eq!(
            when(ms("2026-11-25T13:05:00Z"), now),
            "aujourd'hui à 14 h 05"
        );
        assert_eq!(when(ms("2026-11-24T08:30:00Z"), now), "hier à 9 h 30");
        assert_eq!(
            when(ms("2026-07-01T12:00:00Z"), now),
            "1er juillet à 14 h 00"
        );
        assert_eq!(
            when(ms("2025-08-15T21:45:00Z"), now),
            "15 août 2025 à 23 h 45"
        );
        assert_eq!(iso(ms("2026-07-01T12:00:00Z")), "2026-07-01T14:00:00+02:00");
    }

    #[test]
    fn a_concert_starts_in_paris_time() {
        let day: Date = "2027-07-03".parse().expect("a date");
        let start = paris_start(day, 20, 30).expect("a time that exists");
        assert_eq!(start, ms("2027-07-03T18:30:00Z"), "summer time, UTC+2");
        assert_eq!(full_date_and_time(start), "samedi 3 juillet 2027 à 20 h 30");
        assert_eq!(
            paris_date_and_time(start),
            ("2027-07-03".to_owned(), "20:30".to_owned())
        );
        let winter = paris_start("2027-01-01".parse().expect("a date"), 9, 5).expect("a time");
        assert_eq!(
            full_date_and_time(winter),
            "vendredi 1er janvier 2027 à 9 h 05"
        );
    }

    #[test]
    fn days_change_at_midnight_in_paris_not_in_utc() {
        // 23:30 UTC on the 24th is already the 25th in Paris.
        let now = ms("2026-11-25T08:00:00Z");
        assert_eq!(
            when(ms("2026-11-24T23:30:00Z"), now),
            "aujourd'hui à 0 h 30"
        );
    }
}
