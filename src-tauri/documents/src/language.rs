//! Why: every document is issued in Russian or English, and a date in a proof document must
//! read the way a lawyer writes it ("7 December 2026", "7 декабря 2026 г.") while a time keeps
//! its UTC offset, so nobody has to guess which clock it was read on. All label text passes
//! through [`Language::pick`], which takes both languages at once: a label cannot exist in one
//! only.

use time::{Date, OffsetDateTime, UtcOffset};

/// The language a document is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// English.
    En,
    /// Russian.
    Ru,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Month names in the genitive, as a Russian date writes them.
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

impl Language {
    /// The BCP 47 tag written into the PDF's metadata.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
        }
    }

    /// The text in this language, given in both.
    pub(crate) fn pick<'a>(self, en: &'a str, ru: &'a str) -> &'a str {
        match self {
            Language::En => en,
            Language::Ru => ru,
        }
    }

    /// A calendar date: `7 December 2026` or `7 декабря 2026 г.`. The day stays on the line
    /// of its month, and `г.` on the line of its year (no-break spaces).
    pub(crate) fn date(self, date: Date) -> String {
        let month = usize::from(u8::from(date.month())) - 1;
        match self {
            Language::En => format!("{}\u{a0}{} {}", date.day(), MONTHS_EN[month], date.year()),
            Language::Ru => format!(
                "{}\u{a0}{} {}\u{a0}г.",
                date.day(),
                MONTHS_RU[month],
                date.year()
            ),
        }
    }

    /// A moment in its own offset: `7 December 2026, 14:05:09 UTC+03:00`.
    pub(crate) fn date_time(self, at: OffsetDateTime) -> String {
        format!("{}, {}", self.date(at.date()), time_of_day(at))
    }
}

/// The time of day with its offset: `14:05:09 UTC+03:00`.
pub(crate) fn time_of_day(at: OffsetDateTime) -> String {
    format!(
        "{:02}:{:02}:{:02} {}",
        at.hour(),
        at.minute(),
        at.second(),
        offset(at.offset())
    )
}

/// `UTC+03:00`, `UTC-05:30`, `UTC+00:00`.
fn offset(offset: UtcOffset) -> String {
    let (h, m, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_read_as_written_by_hand() {
        let at = datetime!(2026-12-07 14:05:09 +03:00);
        let plain = |s: String| s.replace('\u{a0}', " ");
        assert_eq!(plain(Language::En.date(at.date())), "7 December 2026");
        assert_eq!(plain(Language::Ru.date(at.date())), "7 декабря 2026 г.");
        assert_eq!(
            plain(Language::En.date_time(at)),
            "7 December 2026, 14:05:09 UTC+03:00"
        );
        assert_eq!(
            plain(Language::Ru.date_time(datetime!(2026-03-01 00:00:00 -05:30))),
            "1 марта 2026 г., 00:00:00 UTC-05:30"
        );
        assert_eq!(
            time_of_day(datetime!(2026-03-01 09:00:00 UTC)),
            "09:00:00 UTC+00:00"
        );
    }
}
