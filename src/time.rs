//! 日本時間 — instants and dates as the programme writes them.
//!
//! Every time in content files and on the command line follows one rule (SPEC §1): RFC 3339
//! with an offset, a local date-time without offset (read as Japan time), or a date (00:00 Japan
//! time). Japan time is the fixed offset +09:00, whatever the machine's zone; nothing here reads
//! the clock except [`Instant::now`], which only `cmd/` calls.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date as CivilDate, DateTime};
use jiff::tz::Offset;

/// UTC+09:00.
pub const JST: Offset = Offset::constant(9);

/// 時刻 — one instant on the time line, shown in Japan time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(Timestamp);

/// 日付 — a calendar date (西暦), e.g. a report's date or a population reference date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(CivilDate);

/// Why a time or date could not be read; the text is shown to the secretariat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeError(pub String);

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const TIME_FORMS: &str = "2026-03-27T10:00:00+09:00（時差つき）、2026-03-27T10:00（日本時間）、2026-03-27（日本時間の0時）のいずれかで書いてください";

impl Instant {
    /// Reads the three forms of SPEC §1.
    pub fn parse(text: &str) -> Result<Instant, TimeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TimeError(format!("日時が空です。{TIME_FORMS}")));
        }
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Ok(Instant(ts));
        }
        let has_offset = {
            let tail = text.get(10..).unwrap_or("");
            tail.contains(['Z', 'z', '+']) || tail.rfind('-').is_some()
        };
        if !has_offset {
            if let Ok(dt) = text.parse::<DateTime>() {
                if let Ok(ts) = JST.to_timestamp(dt) {
                    return Ok(Instant(ts));
                }
            }
            if let Ok(d) = text.parse::<CivilDate>() {
                if let Ok(ts) = JST.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())) {
                    return Ok(Instant(ts));
                }
            }
        }
        Err(TimeError(format!("日時「{text}」を読めません。{TIME_FORMS}")))
    }

    /// The current instant. Only the command layer calls this, once per run.
    pub fn now() -> Instant {
        Instant(Timestamp::now())
    }

    fn civil(self) -> DateTime {
        JST.to_datetime(self.0)
    }

    /// `2026-03-27T10:00:00+09:00`
    pub fn rfc3339(self) -> String {
        format!("{}+09:00", self.civil().strftime("%Y-%m-%dT%H:%M:%S"))
    }

    /// `2026年3月27日 10:00`
    pub fn display_ja(self) -> String {
        let c = self.civil();
        format!(
            "{}年{}月{}日 {:02}:{:02}",
            c.year(),
            c.month(),
            c.day(),
            c.hour(),
            c.minute()
        )
    }

    /// `2026-03-27 10:00` (Japan time), for tables.
    pub fn display_short(self) -> String {
        self.civil().strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// The calendar date in Japan time.
    pub fn date(self) -> Date {
        Date(self.civil().date())
    }

    pub fn as_second(self) -> i64 {
        self.0.as_second()
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Date {
    /// `2026-10-01`; a date-time is refused (use [`Instant::parse`] for release times).
    pub fn parse(text: &str) -> Result<Date, TimeError> {
        let text = text.trim();
        if text.len() == 10 {
            if let Ok(d) = text.parse::<CivilDate>() {
                return Ok(Date(d));
            }
        }
        Err(TimeError(format!(
            "日付「{text}」を読めません。2026-10-01 のように西暦の年-月-日で書いてください"
        )))
    }

    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        CivilDate::new(year, month, day).ok().map(Date)
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    /// `2026-10-01`
    pub fn iso(self) -> String {
        self.0.strftime("%Y-%m-%d").to_string()
    }

    /// `2026年10月1日`
    pub fn display_ja(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    /// The start of this day in Japan time.
    pub fn start(self) -> Instant {
        let dt = self.0.to_datetime(jiff::civil::Time::midnight());
        Instant(
            JST.to_timestamp(dt)
                .expect("a civil date at +09:00 is always a valid instant"),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// For `#[serde(serialize_with = "crate::time::rfc3339")]`: the instant as RFC 3339 at +09:00.
pub fn rfc3339<S: serde::Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.rfc3339())
}

/// [`rfc3339`] for an optional instant (`null` when absent).
pub fn rfc3339_opt<S: serde::Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        Instant::parse(s)
            .map(|i| i.rfc3339())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn three_forms_of_spec_section_1() {
        assert_eq!(p("2026-03-27T10:00:00+09:00"), "2026-03-27T10:00:00+09:00");
        assert_eq!(p("2026-03-27T10:00"), "2026-03-27T10:00:00+09:00");
        assert_eq!(p("2026-03-27"), "2026-03-27T00:00:00+09:00");
    }

    #[test]
    fn other_offsets_are_converted_to_japan_time() {
        assert_eq!(p("2027-04-01T01:00:00Z"), "2027-04-01T10:00:00+09:00");
        assert_eq!(p("2027-03-31T18:00:00-07:00"), "2027-04-01T10:00:00+09:00");
    }

    #[test]
    fn local_time_is_japan_time_not_utc() {
        let local = Instant::parse("2027-04-01T10:00").unwrap();
        let utc = Instant::parse("2027-04-01T01:00:00Z").unwrap();
        assert_eq!(local, utc);
        let before = Instant::parse("2027-04-01T09:59:59+09:00").unwrap();
        assert!(before < local);
    }

    #[test]
    fn nonsense_is_refused_with_the_accepted_forms() {
        for bad in ["2026-13-01", "27 March 2026", "2026/03/27", "", "2026-03-27T25:00"] {
            let e = Instant::parse(bad).unwrap_err();
            assert!(e.0.contains("2026-03-27T10:00"), "{bad}: {e}");
        }
    }

    #[test]
    fn dates_and_their_display() {
        let d = Date::parse("2026-10-01").unwrap();
        assert_eq!(d.iso(), "2026-10-01");
        assert_eq!(d.display_ja(), "2026年10月1日");
        assert!(Date::parse("2026-10-01T10:00").is_err());
        assert!(Date::parse("2026-02-30").is_err());
        assert_eq!(
            Instant::parse("2026-03-27T23:30:00Z").unwrap().date().iso(),
            "2026-03-28"
        );
        assert_eq!(
            Instant::parse("2026-03-27T10:05").unwrap().display_ja(),
            "2026年3月27日 10:05"
        );
    }
}
