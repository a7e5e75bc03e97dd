//! An accepted concert's calendar file (RFC 5545), for its two participants only: one event
//! whose UID stays the same, SEQUENCE moves on with each change, and STATUS says when it was
//! called off, so that a calendar that imported it updates rather than duplicates it.

use crate::{
    auth::session::CurrentUser,
    concerts::{
        model::RequestStatus,
        store::{self, CalendarRow},
    },
    error::AppError,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::header,
    response::IntoResponse,
};
use icalendar::{Calendar, CalendarComponent, Component, EventLike, EventStatus, Property};
use jiff::{Timestamp, tz::TimeZone};

/// The Paris zone as calendars read it: central European time, summer time from the last
/// Sunday of March to the last Sunday of October (the rule since 1996).
const PARIS_TIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Paris\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

const PARIS: &str = "Europe/Paris";

/// The calendar file's MIME type.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// `GET /concerts/{id}/calendrier.ics`: the file, for the concert's two participants once it
/// was accepted; 404 for anyone else, and for a request that never was.
pub async fn calendar_file(
    State(state): State<AppState>,
    current: Option<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    let reader = current.ok_or(AppError::NotFound)?.viewer.id;
    let row = store::calendar_row(&state.db, reader, id)
        .await?
        .filter(CalendarRow::was_accepted)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(id)),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        calendar(&row, &state.config.public_url),
    ))
}

impl CalendarRow {
    /// Whether the concert was on at some point: accepted, or cancelled once accepted (its
    /// sequence moved on then). Only those have a calendar file.
    pub fn was_accepted(&self) -> bool {
        match self.request.status() {
            RequestStatus::Accepted => true,
            RequestStatus::Cancelled => self.request.sequence > 0,
            _ => false,
        }
    }
}

/// "concert-12.ics".
pub fn file_name(request_id: i64) -> String {
    format!("concert-{request_id}.ics")
}

/// The calendar file of a concert, its links on the site at `public_url`.
pub fn calendar(row: &CalendarRow, public_url: &str) -> String {
    let request = &row.request;
    let artist = row.artist_name.as_deref().unwrap_or("l'artiste");
    let host = row.host_name.as_deref().unwrap_or("l'hôte");
    // The site's host name, without scheme, port or path: "concertsdansmonsalon.fr".
    let domain = public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or(public_url);
    let status = if request.status() == RequestStatus::Cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    };
    let mut description = format!("{} invités", request.guests);
    if let Some(offer) = &request.offer {
        description = format!("{offer}, {description}");
    }
    if let Some(fee) = request.fee_eur {
        description.push_str(&format!(", cachet {fee} €"));
    }
    description.push_str(&format!(
        ".\nLa conversation : {}{}",
        public_url.trim_end_matches('/'),
        crate::paths::thread_path(request.conversation_id)
    ));
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("concert-{}@{domain}", request.id))
        .append_property(Property::new("DTSTAMP", utc_stamp(request.updated_at)))
        .append_property(
            Property::new("DTSTART", paris_local(request.starts_at))
                .add_parameter("TZID", PARIS)
                .done(),
        )
        .summary(&format!("Concert de {artist} chez {host}"))
        .description(&description)
        .status(status)
        .sequence(u32::try_from(request.sequence).unwrap_or(0));
    if let Some(commune) = &row.commune {
        event.location(commune);
    }
    let mut calendar = Calendar::new();
    if let Ok(timezone) = PARIS_TIMEZONE.parse::<CalendarComponent>() {
        calendar.push(timezone);
    }
    calendar.push(event.done()).done().to_string()
}

/// "20270703T203000": local time in Paris, for a `TZID=Europe/Paris` property.
fn paris_local(ms: i64) -> String {
    let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    at.to_zoned(crate::ui::time::paris())
        .strftime("%Y%m%dT%H%M%S")
        .to_string()
}

/// "20261204T101500Z".
fn utc_stamp(ms: i64) -> String {
    let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    at.to_zoned(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}
