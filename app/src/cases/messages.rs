//! Contacting the judge (联系法官) as rules: what a message may say, and when a party's message
//! counts as answered (the court's next message in the thread answers every party message
//! before it). Pure: the pages and the server share it.
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;
/// The largest attachment: evidence-sized, smaller than a served document.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// A message's text: trimmed, not empty, at most 2,000 characters (line breaks kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(raw: &str) -> Result<MessageBody, &'static str> {
        let text = raw.replace("\r\n", "\n");
        let text = text.trim();
        match text.chars().count() {
            0 => Err("error_required"),
            n if n > MAX_MESSAGE_CHARS => Err("error_message_too_long"),
            _ => Ok(MessageBody(text.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One message as the thread's rules need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    pub from_court: bool,
    pub at: UnixTime,
}

/// For each message in time order, when it was answered: a party's message by the court's next
/// message; the court's own messages are not "answered".
pub fn answered_at(thread: &[Sent]) -> Vec<Option<UnixTime>> {
    let mut out = vec![None; thread.len()];
    let mut next_court: Option<UnixTime> = None;
    for (i, m) in thread.iter().enumerate().rev() {
        if m.from_court {
            next_court = Some(m.at);
        } else {
            out[i] = next_court;
        }
    }
    out
}

/// The oldest party message still waiting for the court, and how many wait: what the court's
/// queue of unanswered messages shows for a thread.
pub fn waiting(thread: &[Sent]) -> Option<(UnixTime, usize)> {
    let after_last_court = thread.iter().rposition(|m| m.from_court).map_or(0, |i| i + 1);
    let waiting = &thread[after_last_court..];
    waiting.first().map(|m| (m.at, waiting.len()))
}

/// How long a message has waited, in whole hours (the queue shows days past 48 hours).
pub fn hours_waiting(since: UnixTime, now: UnixTime) -> i64 {
    (now.0 - since.0).max(0) / 3600
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(at: i64) -> Sent {
        Sent { from_court: false, at: UnixTime(at) }
    }
    fn court(at: i64) -> Sent {
        Sent { from_court: true, at: UnixTime(at) }
    }

    #[test]
    fn a_message_is_trimmed_must_say_something_and_is_at_most_two_thousand_characters() {
        assert_eq!(MessageBody::parse("  请问开庭时间？\r\n谢谢 ").map(|b| b.as_str().to_string()), Ok("请问开庭时间？\n谢谢".to_string()));
        assert_eq!(MessageBody::parse(" \n "), Err("error_required"));
        assert!(MessageBody::parse(&"字".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert_eq!(MessageBody::parse(&"字".repeat(MAX_MESSAGE_CHARS + 1)), Err("error_message_too_long"));
    }

    #[test]
    fn the_courts_next_message_answers_every_party_message_before_it() {
        let thread = [party(10), party(20), court(30), party(40), court(50), party(60)];
        assert_eq!(answered_at(&thread), [Some(UnixTime(30)), Some(UnixTime(30)), None, Some(UnixTime(50)), None, None]);
    }

    #[test]
    fn the_queue_counts_the_party_messages_after_the_courts_last_and_dates_the_oldest() {
        assert_eq!(waiting(&[party(10), court(30), party(40), party(45)]), Some((UnixTime(40), 2)));
        assert_eq!(waiting(&[party(10), party(20)]), Some((UnixTime(10), 2)));
        assert_eq!(waiting(&[party(10), court(30)]), None, "answered");
        assert_eq!(waiting(&[court(5)]), None, "the court wrote first; nobody waits");
        assert_eq!(waiting(&[]), None);
        assert_eq!(hours_waiting(UnixTime(0), UnixTime(7_199)), 1);
        assert_eq!(hours_waiting(UnixTime(100), UnixTime(0)), 0);
    }
}
