//! The person's private calendar feed (`/calendar/<token>.ics`, RFC 5545): their hearings as
//! timed events and the last day of every running deadline as an all-day event, so a phone's
//! own calendar reminds them. Calendar apps fetch it without cookies; the address is the key.
use crate::i18n::*;
use crate::identity::model::UnixTime;
use crate::ssr::AppState;
use crate::ssr::cx::{Cx, internal};
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, Event, EventLike, Property};

/// `20261201T013000Z`: a moment in UTC as iCalendar writes it.
fn utc_stamp(t: UnixTime) -> String {
    // `beijing_ymd` of a moment 8 hours earlier is the UTC date.
    let (y, m, d) = UnixTime(t.0 - 8 * 3600).beijing_ymd();
    let secs = t.0.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `20261208`: a Beijing calendar day.
fn day_stamp(day: i64) -> String {
    let (y, m, d) = UnixTime::beijing_midnight(day).beijing_ymd();
    format!("{y:04}{m:02}{d:02}")
}

pub async fn feed(state: AppState, parts: http::request::Parts, token: String) -> Response {
    let cx = Cx { state, parts };
    match feed_in(&cx, &token).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn feed_in(cx: &Cx, token: &str) -> Result<Response, crate::error::AppError> {
    let token = token.strip_suffix(".ics").unwrap_or(token);
    if !crate::ssr::session::well_formed(token) {
        return Err(crate::error::AppError::NotFound);
    }
    let person = super::store::calendar_owner(cx.db(), &crate::ssr::session::token_hash(token))
        .await
        .map_err(|e| internal("calendar", e))?
        .ok_or(crate::error::AppError::NotFound)?;
    let locale = cx.locale();
    let now = cx.now();
    let base = cx.state.site.public_url.clone();
    let mut cal = Calendar::new();
    cal.name(&td_string!(locale, calendar_name).to_string());
    cal.append_property(Property::new("X-PUBLISHED-TTL", "PT1H"));
    for row in super::store::cases_of(cx.db(), person).await.map_err(|e| internal("calendar", e))? {
        let detail = super::api::case_detail(cx, person, row.id).await?;
        let number = detail.summary.case_number.clone();
        let link = format!("{base}/cases/{}", row.id);
        for h in &detail.hearings {
            let place = match (&h.mode, &h.courtroom) {
                (super::schedule::HearingMode::Online, _) => td_string!(locale, hearing_online).to_string(),
                (_, room) => format!("{} {}", detail.summary.court_name, room.clone().unwrap_or_default()),
            };
            let event = Event::new()
                .uid(&format!("hearing-{}@tianping", h.id))
                .add_property("DTSTAMP", utc_stamp(h.scheduled_at))
                .add_property("DTSTART", utc_stamp(h.starts_at))
                .add_property("DTEND", utc_stamp(UnixTime(h.starts_at.0 + i64::from(h.minutes) * 60)))
                .summary(&td_string!(locale, calendar_hearing, case_number = number.clone()).to_string())
                .location(&place)
                .url(&link)
                .done();
            cal.push(event);
        }
        for d in &detail.deadlines {
            // A period ends at 24:00 of its last day: the event is that whole day.
            let last_day = UnixTime(d.ends_at.0 - 1).beijing_day();
            let what = match d.kind {
                super::model::DeadlineKind::PayFee => td_string!(locale, case_deadline_pay_fee).to_string(),
                super::model::DeadlineKind::RefundDue => td_string!(locale, case_deadline_refund).to_string(),
                super::model::DeadlineKind::FromService(p) => period_name(locale, p),
            };
            let kind = format!("{:?}", d.kind).to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
            let event = Event::new()
                .uid(&format!("deadline-{}-{kind}-{}@tianping", row.id, d.ends_at.0))
                .add_property("DTSTAMP", utc_stamp(now))
                .append_property(Property::new("DTSTART", day_stamp(last_day)).add_parameter("VALUE", "DATE").done())
                .append_property(Property::new("DTEND", day_stamp(last_day + 1)).add_parameter("VALUE", "DATE").done())
                .summary(&td_string!(locale, calendar_deadline, what = what, case_number = number.clone()).to_string())
                .url(&link)
                .done();
            cal.push(event);
        }
    }
    let body = cal.done().to_string();
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (http::header::CACHE_CONTROL, "private, no-store"),
            (http::header::HeaderName::from_static("x-robots-tag"), "noindex"),
        ],
        body,
    )
        .into_response())
}

fn period_name(locale: Locale, p: super::service::PeriodKind) -> String {
    use super::service::PeriodKind;
    match p {
        PeriodKind::AppealJudgment => td_string!(locale, period_appeal_judgment).to_string(),
        PeriodKind::AppealRuling => td_string!(locale, period_appeal_ruling).to_string(),
        PeriodKind::PayFee => td_string!(locale, case_deadline_pay_fee).to_string(),
        PeriodKind::Evidence => td_string!(locale, period_evidence).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_written_in_utc_and_days_as_beijing_dates() {
        // 2026-12-01 09:30 Beijing is 01:30 UTC.
        let t = UnixTime(UnixTime::beijing_midnight(crate::courts::calendar::day_number(2026, 12, 1)).0 + 9 * 3600 + 30 * 60);
        assert_eq!(utc_stamp(t), "20261201T013000Z");
        // Just after Beijing midnight it is still the previous day in UTC.
        let early = UnixTime(UnixTime::beijing_midnight(crate::courts::calendar::day_number(2027, 1, 1)).0 + 60);
        assert_eq!(utc_stamp(early), "20261231T160100Z");
        assert_eq!(day_stamp(crate::courts::calendar::day_number(2028, 2, 29)), "20280229");
    }
}
