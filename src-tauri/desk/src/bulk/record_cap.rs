//! Why: the csv crate grows a record's buffer for as long as the record goes on, so one
//! unterminated quoted field made the import hold a whole 300 MB file (840 MB resident)
//! before refusing it. The import reads through [`Capped`], which hands the parser no more
//! than [`MAX_RECORD_BYTES`] (plus the parser's own buffer) past the start of the record
//! being read: a longer record is refused while memory stays at a few hundred KiB.

use std::io::{self, Read};

/// The longest row the import reads: 64 KiB, line breaks inside quotes included. A real
/// row (customer, last4, expiry, token, ticket, a 500-character note) is under 3 KiB.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// The CSV parser's read buffer, set explicitly: the cap allows for what it reads ahead.
pub(super) const PARSER_BUFFER: usize = 8 * 1024;

/// The rule a refused row breaks, as shown to the user.
pub(super) fn rule() -> String {
    format!(
        "longer than {} KiB ({MAX_RECORD_BYTES} bytes), the limit for one row",
        MAX_RECORD_BYTES / 1024
    )
}

/// [`rule`] in Russian, for the header's error in the window.
pub(super) fn rule_ru() -> String {
    format!(
        "длиннее {} КиБ ({MAX_RECORD_BYTES} байт): это предел для одной строки",
        MAX_RECORD_BYTES / 1024
    )
}

/// A reader that refuses to deliver bytes past a limit the import moves forward record by
/// record ([`Capped::allow_record_from`]).
#[derive(Debug)]
pub(super) struct Capped<R> {
    inner: R,
    delivered: u64,
    limit: u64,
}

/// The error [`Capped`] reads fail with: a record longer than the cap.
#[derive(Debug)]
pub(super) struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&rule())
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> Capped<R> {
    pub(super) fn new(inner: R) -> Self {
        let mut capped = Capped {
            inner,
            delivered: 0,
            limit: 0,
        };
        capped.allow_record_from(0);
        capped
    }

    /// A record starts at byte `start` of the stream (as the parser counts): allow reading
    /// up to the cap past it, plus what the parser may hold in its buffer.
    pub(super) fn allow_record_from(&mut self, start: u64) {
        self.limit = start + MAX_RECORD_BYTES + PARSER_BUFFER as u64;
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.limit.saturating_sub(self.delivered);
        if room == 0 {
            return Err(io::Error::other(RecordTooLong));
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..want])?;
        self.delivered += got as u64;
        Ok(got)
    }
}

/// Whether a CSV error is [`Capped`] refusing a record.
pub(super) fn is_too_long(error: &csv::Error) -> bool {
    match error.kind() {
        csv::ErrorKind::Io(e) => e.get_ref().is_some_and(|inner| inner.is::<RecordTooLong>()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_stop_at_the_limit_and_move_with_it() {
        let data = vec![b'x'; 200 * 1024];
        let mut capped = Capped::new(&data[..]);
        let mut sink = Vec::new();
        let err = capped.by_ref().read_to_end(&mut sink).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<RecordTooLong>()));
        assert_eq!(sink.len() as u64, MAX_RECORD_BYTES + PARSER_BUFFER as u64);
        capped.allow_record_from(sink.len() as u64);
        let mut more = [0u8; 16];
        assert_eq!(capped.read(&mut more).unwrap(), 16);
    }
}
