//! Why: the desk's CSV files (audit export, bulk results) hold CRM-supplied tickets and notes
//! and gateway texts, and a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a
//! formula: a note `=cmd|'/c calc'!A1` or a ticket `=HYPERLINK(…)` would act when an auditor
//! opens the file. Every cell the desk writes to a CSV goes through [`neutralise`] (the OWASP
//! rule: a leading `'`); the JSON export keeps values exact.
//!
//! The rule is reversible: a cell that begins with `=`, `+`, `-`, `@`, a tab, a carriage
//! return or `'` itself gets one `'` in front, so to read a value back drop the first
//! character of any cell that begins with `'` ([`restore`]).

use std::borrow::Cow;
use std::io::Write;

/// What a spreadsheet may read as the start of a formula (plus `'`, to keep the rule
/// reversible).
const TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// The cell as written to a CSV file: `'` in front when it begins with a trigger.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The value a neutralised cell was written from.
pub fn restore(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Writes one record with every cell neutralised.
pub(crate) fn write_record<W: Write, S: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    writer.write_record(
        cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_other_cells_stay() {
        for (cell, written) in [
            ("=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+79161234567", "'+79161234567"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("CRM-0001", "CRM-0001"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
    }
}
