//! Concert requests as clients receive them: the stable JSON shapes of the concert server
//! functions, separate from the database rows.

use serde::{Deserialize, Serialize};

pub mod limits {
    /// Characters of a request's note.
    pub const NOTE: usize = 1000;
    /// Characters of the reason given for declining or cancelling.
    pub const REASON: usize = 500;
    /// Guests a house concert may expect.
    pub const GUESTS: i64 = 500;
    /// The largest fee, in euros.
    pub const FEE_EUR: i64 = 100_000;
    /// How far ahead a concert may be proposed, in days.
    pub const DAYS_AHEAD: i64 = 2 * 366;
    /// Requests of one conversation sent with it, newest kept.
    pub const PER_CONVERSATION: usize = 100;
    /// Upcoming days shown "complet" on an artist's page.
    pub const BOOKED_DAYS: usize = 12;
    /// Characters of a review, and of the answer to one.
    pub const REVIEW: usize = 2000;
    pub const ANSWER: usize = 1000;
    /// Days during which a review may still be changed.
    pub const REVIEW_EDIT_DAYS: i64 = 14;
    /// Reviews shown on a page, newest first.
    pub const REVIEWS_SHOWN: usize = 50;
    /// Concerts listed in "Mes concerts", on each side of today.
    pub const MY_CONCERTS: usize = 100;
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for the other side's answer.
    Proposed,
    /// The concert is on.
    Accepted,
    Declined,
    /// Replaced by a counter-proposal (the request whose `replaces` is this one).
    Countered,
    /// Withdrawn before an answer, or an accepted concert called off before its date.
    Cancelled,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Proposed => "proposed",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Declined => "declined",
            RequestStatus::Countered => "countered",
            RequestStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            RequestStatus::Proposed,
            RequestStatus::Accepted,
            RequestStatus::Declined,
            RequestStatus::Countered,
            RequestStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// "En attente de réponse", "Concert confirmé", …
    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Proposed => "En attente de réponse",
            RequestStatus::Accepted => "Concert confirmé",
            RequestStatus::Declined => "Demande déclinée",
            RequestStatus::Countered => "Remplacée par une contre-proposition",
            RequestStatus::Cancelled => "Annulé",
        }
    }
}

/// What the reader of a request may do with it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestAction {
    Accept,
    Decline,
    /// Answer with another date, time, fee or number of guests.
    Counter,
    /// Withdraw a proposal, or call off an accepted concert, with a reason.
    Cancel,
}

/// A concert request as one participant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcertRequest {
    pub id: i64,
    pub conversation_id: i64,
    /// Whether the reader made this proposal (the host, or the artist for a counter-proposal).
    pub proposed_by_me: bool,
    /// The request this counter-proposal replaces.
    pub replaces: Option<i64>,
    /// The start, in milliseconds since the Unix epoch.
    pub starts_at: i64,
    /// The start's day and time in Paris: "2027-07-03", "20:30".
    pub date: String,
    pub time: String,
    /// The artist's formule, as titled when proposed; `None` for "autre".
    pub offer: Option<String>,
    pub guests: i64,
    /// The fee offered, in euros, if any.
    pub fee_eur: Option<i64>,
    pub note: String,
    pub status: RequestStatus,
    /// Why it was declined or cancelled, when a reason was given.
    pub reason: Option<String>,
    /// Incremented each time an accepted concert changes (its calendar file's `SEQUENCE`).
    pub sequence: i64,
    /// What the reader may do with it now.
    pub actions: Vec<RequestAction>,
    /// Whether the artist has another accepted concert that day (shown before accepting).
    pub same_day_concert: bool,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

/// What an artist's public page says of their concerts through the site: how many were given,
/// the upcoming days already taken (the day only: never whose home, nor where), and the
/// hosts' reviews.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConcertRecord {
    /// Accepted concerts whose start has passed.
    pub given: i64,
    /// Days ("2027-07-03", Paris) of upcoming accepted concerts, soonest first, at most
    /// `limits::BOOKED_DAYS`.
    pub booked_days: Vec<String>,
    pub reviews: Reviews,
}

/// The reviews someone received: their number and average over all of them, and the newest
/// (at most `limits::REVIEWS_SHOWN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reviews {
    pub count: i64,
    /// Stars, rounded to a tenth; `None` without reviews.
    pub average: Option<f64>,
    pub newest: Vec<Review>,
}

/// A review of one side of a concert by the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    pub concert_id: i64,
    /// The reviewing artist's stage name; `None` when a host wrote it (a host's name is not
    /// public).
    pub author: Option<String>,
    /// 1 to 5 stars.
    pub rating: i64,
    pub text: String,
    /// The concert's day in Paris, "2027-07-03".
    pub concert_day: String,
    /// The reviewed person's public answer.
    pub answer: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

/// A review as typed in its form, kept when refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewForm {
    /// "1" to "5".
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub text: String,
}

/// One of the reader's concerts in "Mes concerts", with its reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberConcert {
    pub request: ConcertRequest,
    /// The other side: the artist's stage name, or the host's name.
    pub with_name: String,
    /// The reader's review of the other side, and the other side's of the reader.
    pub my_review: Option<Review>,
    pub their_review: Option<Review>,
    /// Whether the reader may write their review now, or still change it.
    pub may_review: bool,
    /// Whether the reader may answer the review they received (once).
    pub may_answer: bool,
}

/// The reader's concerts: those to come (soonest first) and those past (latest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberConcerts {
    pub upcoming: Vec<MemberConcert>,
    pub past: Vec<MemberConcert>,
}

/// A proposal as typed in its form: text, so that a refused one comes back as it was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalForm {
    /// "2027-07-03" (or "03/07/2027").
    pub date: String,
    /// "20:30" (or "20h30", "20 h").
    pub time: String,
    /// The title of one of the artist's formules, or "autre" (also when empty).
    #[serde(default)]
    pub offer: String,
    pub guests: String,
    /// Euros, optional.
    #[serde(default)]
    pub fee: String,
    #[serde(default)]
    pub note: String,
}

/// The form inputs' names, as server functions read them and errors name them.
pub mod fields {
    pub const DATE: &str = "proposal[date]";
    pub const TIME: &str = "proposal[time]";
    pub const OFFER: &str = "proposal[offer]";
    pub const GUESTS: &str = "proposal[guests]";
    pub const FEE: &str = "proposal[fee]";
    pub const NOTE: &str = "proposal[note]";
    pub const REASON: &str = "reason";
    pub const RATING: &str = "review[rating]";
    pub const REVIEW: &str = "review[text]";
    pub const ANSWER: &str = "answer";
}
