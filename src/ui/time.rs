//! Dates as French people read them, in French time (Europe/Paris), the same on the server
//! and in the browser so that hydration agrees. Reading an instant in Paris time is done by
//! hand (the civil calendar and the European summer-time rule): jiff and its time zone
//! database stay out of the browser's build, where they cost the members' app more than all
//! of this page's texts. The server keeps jiff for reading typed dates and for calendars, and
//! a test checks the hand reading against jiff's database, hour after hour, for a century.

#[cfg(feature = "ssr")]
use jiff::{
    civil::Date,
    tz::{self, TimeZone},
};

#[cfg(feature = "ssr")]
static PARIS: TimeZone = tz::get!("Europe/Paris");

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

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

/// The Paris time zone, embedded in the server's binary.
#[cfg(feature = "ssr")]
pub fn paris() -> TimeZone {
    PARIS.clone()
}

/// A day of the civil (proleptic Gregorian) calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Day {
    year: i64,
    month: u8,
    day: u8,
}

impl Day {
    /// The day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    fn from_unix_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day {
            year,
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days from 1970-01-01 to this day (`days_from_civil`).
    fn unix_days(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = self.year - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// "2027-07-03", if it is a day of the calendar.
    fn parse(text: &str) -> Option<Day> {
        let mut parts = text.splitn(3, '-');
        let year: i64 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        let parsed = Day { year, month, day };
        ((1..=12).contains(&month) && (1..=9999).contains(&year) && day >= 1)
            .then_some(parsed)
            .filter(|parsed| Day::from_unix_days(parsed.unix_days()) == *parsed)
    }

    /// 0 for Monday to 6 for Sunday (1970-01-01 was a Thursday).
    fn weekday(self) -> usize {
        usize::try_from((self.unix_days() + 3).rem_euclid(7)).unwrap_or(0)
    }

    fn yesterday(self) -> Day {
        Day::from_unix_days(self.unix_days() - 1)
    }

    /// "2027-07-03".
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An instant as a clock in Paris shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ParisTime {
    day: Day,
    hour: i64,
    minute: i64,
    second: i64,
    /// Hours ahead of UTC: 1 in winter, 2 in summer.
    offset: i64,
}

/// The start of summer time (`month` 3) or its end (`month` 10) in `year`, as the European
/// Union has set them since 1996: the last Sunday of the month, at 01:00 UTC.
fn summer_time_change(year: i64, month: u8) -> i64 {
    let last = Day {
        year,
        month,
        day: 31,
    }
    .unix_days();
    let weekday = i64::try_from(Day::from_unix_days(last).weekday()).unwrap_or(0);
    let sunday = last - (weekday + 1) % 7;
    sunday * DAY_MS + HOUR_MS
}

fn in_paris(ms: i64) -> ParisTime {
    let utc_year = Day::from_unix_days(ms.div_euclid(DAY_MS)).year;
    let summer = (summer_time_change(utc_year, 3)..summer_time_change(utc_year, 10)).contains(&ms);
    let offset = if summer { 2 } else { 1 };
    let local = ms + offset * HOUR_MS;
    let of_day = local.rem_euclid(DAY_MS);
    ParisTime {
        day: Day::from_unix_days(local.div_euclid(DAY_MS)),
        hour: of_day / HOUR_MS,
        minute: of_day % HOUR_MS / MINUTE_MS,
        second: of_day % MINUTE_MS / 1000,
        offset,
    }
}

/// Milliseconds since the Unix epoch, now.
fn now_ms() -> i64 {
    #[cfg(feature = "ssr")]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
            })
    }
    #[cfg(not(feature = "ssr"))]
    {
        // Whole milliseconds, far inside an f64's exact integers.
        web_sys::js_sys::Date::now() as i64
    }
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
    let at = in_paris(ms);
    format!(
        "{}T{:02}:{:02}:{:02}+{:02}:00",
        at.day.iso(),
        at.hour,
        at.minute,
        at.second,
        at.offset
    )
}

/// When something happened, said relative to `now_ms`: "aujourd'hui à 14 h 05",
/// "hier à 9 h 30", "3 novembre à 18 h 00", "3 novembre 2025 à 18 h 00".
pub fn when(ms: i64, now_ms: i64) -> String {
    let (at, now) = (in_paris(ms), in_paris(now_ms));
    let (day, today) = (at.day, now.day);
    let hour = format!("{} h {:02}", at.hour, at.minute);
    if day == today {
        format!("aujourd'hui à {hour}")
    } else if today.yesterday() == day {
        format!("hier à {hour}")
    } else if day.year == today.year {
        format!("{} à {hour}", day_and_month(day))
    } else {
        format!("{} {} à {hour}", day_and_month(day), day.year)
    }
}

/// `when`, relative to this instant.
pub fn when_from_now(ms: i64) -> String {
    when(ms, now_ms())
}

/// The instant a concert starts, from its day and its time in Paris; `None` for a time that
/// does not exist.
#[cfg(feature = "ssr")]
pub fn paris_start(day: Date, hour: i8, minute: i8) -> Option<i64> {
    let zoned = day.at(hour, minute, 0, 0).to_zoned(PARIS.clone()).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

/// The day and the time in Paris: ("2027-07-03", "20:30").
pub fn paris_date_and_time(ms: i64) -> (String, String) {
    let at = in_paris(ms);
    (at.day.iso(), format!("{:02}:{:02}", at.hour, at.minute))
}

/// A concert's day and time, in full: "samedi 3 juillet 2027 à 20 h 30".
pub fn full_date_and_time(ms: i64) -> String {
    let at = in_paris(ms);
    format!("{} à {} h {:02}", date_in_words(at.day), at.hour, at.minute)
}

/// A day as a sentence says it: "2027-07-03" → "samedi 3 juillet 2027" (as given when it is
/// no date).
pub fn full_date(day: &str) -> String {
    Day::parse(day).map_or_else(|| day.to_owned(), date_in_words)
}

/// "samedi 3 juillet 2027".
fn date_in_words(day: Day) -> String {
    format!(
        "{} {} {}",
        WEEKDAYS[day.weekday()],
        day_and_month(day),
        day.year
    )
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// "3 juillet", "1er mai".
fn day_and_month(day: Day) -> String {
    let month = MONTHS[usize::from(day.month.clamp(1, 12) - 1)];
    if day.day == 1 {
        format!("1er {month}")
    } else {
        format!("{} {month}", day.day)
    }
}

// The tests compare with jiff, which only the server's build has.
#[cfg(all(test, feature = "ssr"))]
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
            .parse::<jiff::Timestamp>()
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

    #[test]
    fn a_day_is_read_only_when_it_exists() {
        assert_eq!(full_date("2028-02-29"), "mardi 29 février 2028");
        assert_eq!(full_date("2027-02-29"), "2027-02-29");
        assert_eq!(full_date("2027-13-01"), "2027-13-01");
        assert_eq!(full_date("demain"), "demain");
    }

    /// The hand reading agrees with jiff's time zone database: at every change of summer
    /// time (the minute before and the minute it happens) and at instants spread over every
    /// hour of the day, from 1996 (the current European rule) to 2100.
    #[test]
    fn paris_time_read_by_hand_agrees_with_the_time_zone_database() {
        let agree = |ms: i64| {
            let zoned = jiff::Timestamp::from_millisecond(ms)
                .expect("an instant")
                .to_zoned(paris());
            let by_hand = in_paris(ms);
            let expected = (
                i64::from(zoned.year()),
                i64::from(zoned.month()),
                i64::from(zoned.day()),
                i64::from(zoned.hour()),
                i64::from(zoned.minute()),
                i64::from(zoned.second()),
                i64::from(zoned.offset().seconds()) / 3600,
            );
            let found = (
                by_hand.day.year,
                i64::from(by_hand.day.month),
                i64::from(by_hand.day.day),
                by_hand.hour,
                by_hand.minute,
                by_hand.second,
                by_hand.offset,
            );
            assert_eq!(found, expected, "at {ms}");
            let weekday = usize::try_from(zoned.weekday().to_monday_zero_offset()).unwrap_or(9);
            assert_eq!(by_hand.day.weekday(), weekday, "at {ms}");
        };
        for year in 1996..=2100 {
            for month in [3, 10] {
                let change = summer_time_change(year, month);
                for instant in [change - MINUTE_MS, change, change + HOUR_MS - 1000] {
                    agree(instant);
                }
            }
        }
        let (start, end) = (ms("1996-01-01T00:00:00Z"), ms("2100-12-31T23:00:00Z"));
        let step = 7 * HOUR_MS + 13 * MINUTE_MS + 17_000;
        let mut instant = start;
        while instant < end {
            agree(instant);
            instant += step;
        }
    }
}
