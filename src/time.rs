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
    /// Reads the three forms of SPEC §1, and nothing else: a zone annotation (`…[UTC]`),
    /// fractional seconds or an offset beyond ±14:00 is refused rather than read in some way the
    /// author may not have meant (a release time read differently publishes early).
    pub fn parse(text: &str) -> Result<Instant, TimeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TimeError(format!("日時が空です。{TIME_FORMS}")));
        }
        let refuse = |why: &str| TimeError(format!("日時「{text}」を読めません。{why}{TIME_FORMS}"));
        if text.contains('[') || text.contains(']') {
            return Err(refuse(
                "[UTC] や [Asia/Tokyo] のようなタイムゾーン名は使えません（時差は +09:00 や Z で書きます）。",
            ));
        }
        if !text.is_ascii() {
            return Err(refuse("日時は半角の数字と記号で書いてください。"));
        }
        let (date, rest) = text.split_at(text.len().min(10));
        let date = civil_date(date).ok_or_else(|| refuse(""))?;
        if rest.is_empty() {
            return Ok(Instant::at_japan(date.to_datetime(jiff::civil::Time::midnight())));
        }
        let rest = rest
            .strip_prefix(['T', 't', ' '])
            .ok_or_else(|| refuse("日付のあとには T と時刻を続けてください。"))?;
        let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        if clock.contains(['.', ',']) {
            return Err(refuse("秒の小数は使えません（秒までで書いてください）。"));
        }
        let time = civil_time(clock).ok_or_else(|| refuse(""))?;
        let dt = date.to_datetime(time);
        match offset {
            None => Ok(Instant::at_japan(dt)),
            Some(o) => {
                let offset = parse_offset(o).map_err(refuse)?;
                offset.to_timestamp(dt).map(Instant).map_err(|_| refuse(""))
            }
        }
    }

    fn at_japan(dt: DateTime) -> Instant {
        Instant(
            JST.to_timestamp(dt)
                .expect("a civil date-time of years 0000-9999 at +09:00 is a valid instant"),
        )
    }

    /// The current instant, to the whole second (earlier, never later: a release at 10:00:00
    /// is published by a build at 10:00:00.3, and the as-of shown is the one used). Only the
    /// command layer calls this, once per run.
    pub fn now() -> Instant {
        let now = Timestamp::now();
        Instant(Timestamp::from_second(now.as_second()).unwrap_or(now))
    }

    fn civil(self) -> DateTime {
        JST.to_datetime(self.0)
    }

    /// `2026-03-27T10:00:00+09:00` (written field by field: a sitemap and a feed at 10,000
    /// reports ask for it tens of thousands of times, and `strftime` reads its pattern each time).
    pub fn rfc3339(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+09:00",
            c.year(),
            c.month(),
            c.day(),
            c.hour(),
            c.minute(),
            c.second()
        )
    }

    /// `2026年3月27日 10:00` (`10:00:30` when the seconds are not zero: a time shown is never
    /// earlier than the instant it stands for).
    pub fn display_ja(self) -> String {
        let c = self.civil();
        format!("{}年{}月{}日 {}", c.year(), c.month(), c.day(), self.clock())
    }

    /// `2026-03-27 10:00` (Japan time; seconds as in [`Instant::display_ja`]), for tables.
    pub fn display_short(self) -> String {
        format!("{} {}", self.civil().strftime("%Y-%m-%d"), self.clock())
    }

    /// `10:00`, or `10:00:30`.
    fn clock(self) -> String {
        let c = self.civil();
        match c.second() {
            0 => format!("{:02}:{:02}", c.hour(), c.minute()),
            s => format!("{:02}:{:02}:{s:02}", c.hour(), c.minute()),
        }
    }

    /// The calendar date in Japan time.
    pub fn date(self) -> Date {
        Date(self.civil().date())
    }

    pub fn as_second(self) -> i64 {
        self.0.as_second()
    }

    /// The instant `secs` seconds after 1970-01-01T00:00:00Z; `None` outside years 0000-9999.
    pub fn from_second(secs: i64) -> Option<Instant> {
        Timestamp::from_second(secs).ok().map(Instant)
    }
}

/// `2026-03-27`: four-digit year, two-digit month and day, a real calendar date.
fn civil_date(text: &str) -> Option<CivilDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text[r].parse::<i16>().ok();
    CivilDate::new(n(0..4)?, n(5..7)? as i8, n(8..10)? as i8).ok()
}

/// `10:00` or `10:00:00` (no leap second, no fraction).
fn civil_time(text: &str) -> Option<jiff::civil::Time> {
    let b = text.as_bytes();
    let two = |i: usize| -> Option<i8> {
        let d = b.get(i..i + 2)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| ((d[0] - b'0') * 10 + (d[1] - b'0')) as i8)
    };
    let (h, m) = (two(0)?, two(3)?);
    if b.get(2) != Some(&b':') {
        return None;
    }
    let s = match b.len() {
        5 => 0,
        8 if b[5] == b':' => two(6)?,
        _ => return None,
    };
    jiff::civil::Time::new(h, m, s, 0).ok()
}

/// `Z`, `+09:00`, `-07:00`; at most ±14:00 (no place on Earth is further from UTC).
fn parse_offset(text: &str) -> Result<Offset, &'static str> {
    const SHAPE: &str = "時差は +09:00 や Z のように書いてください。";
    if text.eq_ignore_ascii_case("z") {
        return Ok(Offset::UTC);
    }
    let b = text.as_bytes();
    let ok = b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && b[3] == b':'
        && [1, 2, 4, 5].iter().all(|i| b[*i].is_ascii_digit());
    if !ok {
        return Err(SHAPE);
    }
    let (h, m) = (
        i32::from((b[1] - b'0') * 10 + (b[2] - b'0')),
        i32::from((b[4] - b'0') * 10 + (b[5] - b'0')),
    );
    if text == "-00:00" {
        return Err("時差 -00:00（時差不明）は使えません。Z か +09:00 で書いてください。");
    }
    if m > 59 || h * 60 + m > 14 * 60 {
        return Err("時差は -14:00 から +14:00 の範囲で書いてください。");
    }
    let sign = if b[0] == b'-' { -1 } else { 1 };
    Offset::from_seconds(sign * (h * 3600 + m * 60)).map_err(|_| SHAPE)
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
        if let Some(d) = civil_date(text) {
            return Ok(Date(d));
        }
        Err(TimeError(format!(
            "日付「{text}」を読めません。2026-10-01 のように西暦の年-月-日で書いてください"
        )))
    }

    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        CivilDate::new(year, month, day).ok().map(Date)
    }

    /// The day after.
    pub fn next(self) -> Date {
        Date(self.0.tomorrow().unwrap_or(self.0))
    }

    /// `2026-10-01`
    pub fn iso(self) -> String {
        self.0.strftime("%Y-%m-%d").to_string()
    }

    /// `2026年10月1日` (messages of the command line).
    pub fn display_ja(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    /// `令和8年10月1日（2026年10月1日）`: a date as every page shows it, 和暦 with 西暦 in
    /// parentheses (SPEC §2); before 平成, 西暦 alone.
    pub fn wareki(self) -> String {
        let (y, m, d) = (i32::from(self.0.year()), self.0.month(), self.0.day());
        let era = [("令和", (2019, 5, 1)), ("平成", (1989, 1, 8))]
            .into_iter()
            .find(|(_, (ey, em, ed))| (y, i32::from(m), i32::from(d)) >= (*ey, *em, *ed));
        match era {
            Some((name, (first, ..))) => {
                let year = match y - first + 1 {
                    1 => "元".to_string(),
                    n => n.to_string(),
                };
                format!("{name}{year}年{m}月{d}日（{}）", self.display_ja())
            }
            None => self.display_ja(),
        }
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

    proptest::proptest! {
        /// Field by field, as `strftime` writes it, for any instant from year 1000 to 9999.
        #[test]
        fn rfc3339_is_what_strftime_writes(second in -30_610_224_000i64..253_402_300_799i64) {
            let t = Instant(Timestamp::from_second(second).unwrap());
            let by_pattern = format!("{}+09:00", t.civil().strftime("%Y-%m-%dT%H:%M:%S"));
            proptest::prop_assert_eq!(t.rfc3339(), by_pattern);
        }
    }

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
        for bad in [
            "2026-13-01",
            "27 March 2026",
            "2026/03/27",
            "2026-03/27",
            "2026/03-27",
            "",
            "2026-03-27T25:00",
            "2026-03-27T10:00x00",
            "2026-03-27T10x00",
        ] {
            let e = Instant::parse(bad).unwrap_err();
            assert!(e.0.contains("2026-03-27T10:00"), "{bad}: {e}");
            assert_eq!(e.to_string(), e.0, "the message is what is shown");
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        // Half a zone annotation is one too.
        for bad in ["2027-04-01T10:00]", "2027-04-01T10:00+09:00["] {
            assert!(Instant::parse(bad).unwrap_err().0.contains("タイムゾーン名"), "{bad}");
        }
    }

    #[test]
    fn zone_annotations_fractions_and_impossible_offsets_are_refused() {
        for (bad, why) in [
            ("2027-04-01T01:00[UTC]", "タイムゾーン名"),
            ("2027-04-01T01:00:00Z[UTC]", "タイムゾーン名"),
            ("2027-03-31T21:00-04:00[America/New_York]", "タイムゾーン名"),
            ("2027-04-01T10:00:00.5+09:00", "秒の小数"),
            ("2027-04-01T10:00:00,5", "秒の小数"),
            ("2027-04-01T10:00:00.000Z", "秒の小数"),
            ("2027-04-01T10:00+14:59", "-14:00 から +14:00"),
            ("2027-04-01T10:00:00-15:00", "-14:00 から +14:00"),
            ("2027-04-01T10:00:00+09:60", "-14:00 から +14:00"),
            ("2027-04-01T10:00:00-00:00", "時差不明"),
            ("2027-04-01T10:00:00+0900", "+09:00 や Z"),
            ("2027-04-01T10:00:00+9", "+09:00 や Z"),
        ] {
            let e = Instant::parse(bad).unwrap_err().0;
            assert!(e.contains(why), "{bad}: {e}");
            assert!(
                e.contains("2026-03-27T10:00"),
                "{bad}: the accepted forms are shown: {e}"
            );
        }
    }

    #[test]
    fn odd_but_valid_forms_and_shapes_that_are_not() {
        assert_eq!(p("2027-03-31T15:00:00-10:00"), "2027-04-01T10:00:00+09:00");
        assert_eq!(p("2027-03-31T20:00+14:00"), "2027-03-31T15:00:00+09:00");
        assert_eq!(p("2027-04-01 10:00"), "2027-04-01T10:00:00+09:00");
        assert_eq!(p("2027-04-01t01:00:00z"), "2027-04-01T10:00:00+09:00");
        for bad in [
            "2027-4-1",
            "2027-04-01T10",
            "2027-04-01T10:00:60",
            "2027-04-01T24:00",
            "+2027-04-01",
            "2027-04-01+09:00",
            "２０２７-04-01",
        ] {
            assert!(Instant::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn now_is_a_whole_second() {
        let now = Instant::now();
        assert_eq!(Instant::parse(&now.rfc3339()).unwrap(), now);
    }

    #[test]
    fn dates_and_their_display() {
        let d = Date::parse("2026-10-01").unwrap();
        assert_eq!(d.iso(), "2026-10-01");
        assert_eq!(d.display_ja(), "2026年10月1日");
        assert_eq!(d.wareki(), "令和8年10月1日（2026年10月1日）");
        let on = |s: &str| Date::parse(s).unwrap().wareki();
        assert_eq!(on("2019-05-01"), "令和元年5月1日（2019年5月1日）");
        assert_eq!(on("2019-04-30"), "平成31年4月30日（2019年4月30日）");
        assert_eq!(on("2020-01-01"), "令和2年1月1日（2020年1月1日）");
        assert_eq!(on("1989-01-08"), "平成元年1月8日（1989年1月8日）");
        assert_eq!(on("1989-01-07"), "1989年1月7日");
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

    #[test]
    fn offsets_with_minutes_are_read_exactly() {
        assert_eq!(p("2027-04-01T10:00+05:30"), "2027-04-01T13:30:00+09:00");
        assert_eq!(p("2027-04-01T10:00-09:30"), "2027-04-02T04:30:00+09:00");
        assert_eq!(p("2027-04-01T10:00+00:59"), "2027-04-01T18:01:00+09:00");
        assert_eq!(p("2027-04-01T10:00+14:00"), "2027-04-01T05:00:00+09:00");
    }

    #[test]
    fn instants_and_dates_display_as_they_are_written_in_content() {
        let t = Instant::parse("2027-04-01T01:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2027-04-01T10:00:00+09:00");
        assert_eq!(Date::parse("2026-10-01").unwrap().to_string(), "2026-10-01");
    }

    #[test]
    fn a_time_shown_keeps_its_seconds_unless_they_are_zero() {
        // A release at 10:00:30 listed as 10:00 would send someone to check at 10:00 and find
        // it still held.
        let t = Instant::parse("2027-04-01T10:00:30").unwrap();
        assert_eq!(t.display_ja(), "2027年4月1日 10:00:30");
        assert_eq!(t.display_short(), "2027-04-01 10:00:30");
        assert_eq!(
            Instant::parse("2027-04-01T10:00:00").unwrap().display_short(),
            "2027-04-01 10:00"
        );
        let back = Instant::from_second(t.as_second()).unwrap();
        assert_eq!(back, t);
    }
}
