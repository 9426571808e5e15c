//! Why: auditors take the log away as CSV (spreadsheets) or JSON (tools). Both carry every
//! field of every readable entry in log order, so a row can be checked against its line; the
//! CSV's column names are the JSON paths (`operator.osUser`, `card.last4`, …).
//!
//! CSV cells are neutralised against formula injection ([`crate::csv_cell`]): one that begins
//! with `=`, `+`, `-`, `@`, a tab, a carriage return or `'` gets a `'` in front (a customer
//! number `+79161234567` is written `'+79161234567`). The JSON export keeps values exact.

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::entry::AuditEntry;
use crate::csv_cell::neutralise;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<ExportFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }
}

/// CSV columns, in order.
pub const CSV_COLUMNS: [&str; 30] = [
    "seq",
    "time",
    "operator.osUser",
    "operator.displayName",
    "action",
    "profileId",
    "profileName",
    "environment",
    "merchantId",
    "customer",
    "card.brand",
    "card.bin",
    "card.last4",
    "card.expiry",
    "tokenFingerprint",
    "reason",
    "note",
    "ticket",
    "outcome",
    "readBack",
    "gatewayMessage",
    "faultCodes",
    "detail",
    "intentSeq",
    "repair.offset",
    "repair.length",
    "repair.fragmentHash",
    "prev",
    "hash",
    "masked",
];

/// The CSV cells of one entry, in [`CSV_COLUMNS`] order (empty for `null`), as written:
/// neutralised by [`crate::csv_cell::neutralise`].
pub fn csv_row(e: &AuditEntry) -> Vec<String> {
    logged_values(e)
        .into_iter()
        .map(|cell| neutralise(&cell).into_owned())
        .collect()
}

/// The values of one entry, in [`CSV_COLUMNS`] order, as they are in the log.
fn logged_values(e: &AuditEntry) -> Vec<String> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let card = e.card.as_ref();
    let repair = e.repair.as_ref();
    vec![
        e.seq.to_string(),
        e.time.clone(),
        e.operator.os_user.clone(),
        e.operator.display_name.clone(),
        e.action.as_str().to_owned(),
        text(&e.profile_id),
        text(&e.profile_name),
        e.environment.as_ref().map(serde_name).unwrap_or_default(),
        text(&e.merchant_id),
        text(&e.customer),
        card.map(|c| c.brand.clone()).unwrap_or_default(),
        card.map(|c| c.bin.clone()).unwrap_or_default(),
        card.map(|c| c.last4.clone()).unwrap_or_default(),
        card.map(|c| c.expiry.clone()).unwrap_or_default(),
        text(&e.token_fingerprint),
        e.reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        text(&e.note),
        text(&e.ticket),
        e.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
        e.read_back.as_ref().map(serde_name).unwrap_or_default(),
        text(&e.gateway_message),
        text(&e.fault_codes),
        text(&e.detail),
        e.intent_seq.map(|s| s.to_string()).unwrap_or_default(),
        repair.map(|r| r.offset.to_string()).unwrap_or_default(),
        repair.map(|r| r.length.to_string()).unwrap_or_default(),
        repair.map(|r| r.fragment_hash.clone()).unwrap_or_default(),
        e.prev.clone(),
        e.hash.clone(),
        card.map(|c| c.masked()).unwrap_or_default(),
    ]
}

/// Writes `entries` as CSV with a header row; returns the number of rows.
pub fn write_csv(entries: &[AuditEntry], out: impl Write) -> std::io::Result<u64> {
    write_all(ExportFormat::Csv, entries, out)
}

/// Writes `entries` as one JSON array; returns the number of entries.
pub fn write_json(entries: &[AuditEntry], out: impl Write) -> std::io::Result<u64> {
    write_all(ExportFormat::Json, entries, out)
}

fn write_all(
    format: ExportFormat,
    entries: &[AuditEntry],
    out: impl Write,
) -> std::io::Result<u64> {
    let mut sink = ExportSink::new(format, out)?;
    for e in entries {
        sink.push(e)?;
    }
    sink.finish()
}

/// An export written one entry at a time, so that exporting a log of any length holds one
/// entry in memory. The bytes are those of [`write_csv`] and [`write_json`] (a pretty JSON
/// array, two spaces of indent).
pub struct ExportSink<W: Write> {
    inner: Sink<W>,
    count: u64,
}

impl<W: Write> std::fmt::Debug for ExportSink<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportSink")
            .field("count", &self.count)
            .finish()
    }
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json(W),
}

impl<W: Write> ExportSink<W> {
    /// Starts an export: the CSV header row, or nothing yet for JSON.
    pub fn new(format: ExportFormat, out: W) -> std::io::Result<ExportSink<W>> {
        let inner = match format {
            ExportFormat::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(CSV_COLUMNS).map_err(csv_io)?;
                Sink::Csv(Box::new(writer))
            }
            ExportFormat::Json => Sink::Json(out),
        };
        Ok(ExportSink { inner, count: 0 })
    }

    /// Writes one entry.
    pub fn push(&mut self, e: &AuditEntry) -> std::io::Result<()> {
        match &mut self.inner {
            Sink::Csv(writer) => writer.write_record(csv_row(e)).map_err(csv_io)?,
            Sink::Json(out) => {
                out.write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
                let pretty = serde_json::to_vec_pretty(e).map_err(std::io::Error::other)?;
                // JSON strings escape their newlines: every raw one is the pretty printer's,
                // and gets the array's indent.
                for (i, part) in pretty.split(|b| *b == b'\n').enumerate() {
                    if i > 0 {
                        out.write_all(b"\n  ")?;
                    }
                    out.write_all(part)?;
                }
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Ends the export and flushes it; returns the number of entries.
    pub fn finish(self) -> std::io::Result<u64> {
        match self.inner {
            Sink::Csv(mut writer) => writer.flush()?,
            Sink::Json(mut out) => {
                out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
        }
        Ok(self.count)
    }
}

fn csv_io(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// The serde spelling of a unit enum value (e.g. `production`), for CSV cells.
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::audit::entry::{AuditAction, EntryDraft, GENESIS, Operator, seal};

    #[test]
    fn the_streamed_json_export_is_the_pretty_array_byte_for_byte() {
        let mut entries = Vec::new();
        let mut prev = GENESIS.to_owned();
        for i in 1..=3u64 {
            let mut d = EntryDraft::new(
                Operator::from_env(Some("Ivan")),
                AuditAction::ViewedCustomer,
            );
            d.note = Some("two\nlines".into());
            let mut e = d.place(i, "2026-05-01T12:00:00.000Z".into(), prev.clone());
            seal(&mut e).unwrap();
            prev = e.hash.clone();
            entries.push(e);
        }
        for n in 0..=3 {
            let mut streamed = Vec::new();
            write_json(&entries[..n], &mut streamed).unwrap();
            let mut whole = serde_json::to_vec_pretty(&entries[..n]).unwrap();
            whole.push(b'\n');
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }
}
