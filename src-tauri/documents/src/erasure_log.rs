//! Why: for automated processing Order 179 wants, beside the act, an export from the
//! information system's event log (п. 5): for each destruction the subject (а), the categories
//! (б), the system (в), the reason (г) and the date (д). We add the time and the audit entry's
//! own hash, so each row can be found in the desk's hash-chained log. The export is a PDF to
//! file with the act and a CSV for whoever checks it in a spreadsheet; both refuse while a
//! removal is unsettled, like the act.

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::erasure_act::settled;
use crate::face::Faces;
use crate::language::time_of_day;
use crate::sheet::{Column, Orientation, Sheet};
use crate::{
    CardRemoval, DataCategory, DocumentError, ErasureReason, Issue, Language, MaskedCard, Party,
    RemovalOutcome, Rendered,
};

/// The export from the event log (Order 179 п. 5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasureLog {
    /// The operator (the merchant), named in the header.
    pub operator: Party,
    /// (в) The information system, the same for every row.
    pub information_system: String,
    /// One entry per card whose removal the log recorded.
    pub entries: Vec<ErasureLogEntry>,
    /// Id, time and audit basis.
    pub issue: Issue,
}

/// One removal as the log recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasureLogEntry {
    /// (а) The data subject.
    pub subject: String,
    /// The card removed.
    pub card: MaskedCard,
    /// (б) The categories destroyed.
    pub categories: Vec<DataCategory>,
    /// (г) Why.
    pub reason: ErasureReason,
    /// What became of the card; only `Removed` rows are destructions.
    pub outcome: RemovalOutcome,
    /// The `hash` of the audit entry that recorded the outcome (docs/audit-log.md).
    pub audit_entry_hash: String,
}

/// The columns, English and Russian. The English ones letter the items of п. 5 in Latin,
/// (a)–(e) for «а»–«д» in the same order (the subtitle says so).
const COLUMNS: [(&str, &str); 7] = [
    ("(a) Data subject", "(а) Субъект персональных данных"),
    (
        "(b) Categories of personal data destroyed",
        "(б) Категории уничтоженных персональных данных",
    ),
    (
        "(c) Information system",
        "(в) Информационная система персональных данных",
    ),
    ("(d) Reason for destruction", "(г) Причина уничтожения"),
    ("(e) Date of destruction", "(д) Дата уничтожения"),
    ("Time", "Время"),
    ("Audit entry hash", "Хеш записи журнала аудита"),
];

/// A destruction as one row: its time and its entry.
struct Row {
    at: OffsetDateTime,
    entry: ErasureLogEntry,
}

impl ErasureLog {
    /// The rows that are destructions, in time order; fails like the act does.
    fn rows(&self) -> Result<Vec<Row>, DocumentError> {
        self.issue.check()?;
        for entry in &self.entries {
            entry.card.check()?;
        }
        let removals: Vec<CardRemoval> = self
            .entries
            .iter()
            .map(|e| CardRemoval {
                card: e.card.clone(),
                outcome: e.outcome.clone(),
            })
            .collect();
        settled(&removals)?;
        let mut rows: Vec<Row> = self
            .entries
            .iter()
            .filter_map(|entry| match entry.outcome {
                RemovalOutcome::Removed { removed_at, .. } => Some(Row {
                    at: removed_at,
                    entry: entry.clone(),
                }),
                _ => None,
            })
            .collect();
        rows.sort_by_key(|r| r.at);
        Ok(rows)
    }

    pub(crate) fn render(&self, faces: &Faces, lang: Language) -> Result<Vec<u8>, DocumentError> {
        let rows = self.rows()?;
        let title = lang.pick(
            "Export from the event log of the personal data information system",
            "Выгрузка из журнала регистрации событий в информационной системе персональных данных",
        );
        let mut sheet = Sheet::new(faces, Orientation::Landscape);
        sheet.title(title);
        sheet.subtitle(&format!(
            "{} · {}: {} · {}: {}",
            lang.pick(
                "Order of Roskomnadzor No. 179 of 28 October 2022, paragraph 5 (columns \
                 (a)–(e) are its items «а»–«д», in order)",
                "Приказ Роскомнадзора от 28.10.2022 № 179, пункт 5"
            ),
            lang.pick("Operator", "Оператор"),
            self.operator.name,
            lang.pick("Document", "Документ"),
            self.issue.document_id
        ));
        sheet.space(8.0);
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    format!("{}\n{}", r.entry.subject, r.entry.card.masked()),
                    DataCategory::list(&r.entry.categories, lang),
                    self.information_system.clone(),
                    r.entry.reason.describe(lang),
                    lang.date(r.at.date()),
                    time_of_day(r.at),
                    r.entry.audit_entry_hash.clone(),
                ]
            })
            .collect();
        let shares = [1.5, 1.9, 1.45, 1.9, 1.0, 0.95, 1.4];
        let columns: Vec<Column<'_>> = COLUMNS
            .iter()
            .zip(shares)
            .map(|(&(en, ru), share)| Column {
                title: lang.pick(en, ru),
                share,
            })
            .collect();
        sheet.table(&columns, &cells, 8.0);
        self.issue.block(&mut sheet, lang);
        self.issue
            .write(sheet, faces, &self.operator.name, (title, title), lang)
    }
}

/// The export as CSV (UTF-8 with a byte-order mark, so a spreadsheet reads the Cyrillic):
/// the columns of the PDF, the card in a column of its own, the date as `YYYY-MM-DD` and the
/// time as `HH:MM:SS±HH:MM`. A cell that a spreadsheet would run as a formula (leading `=`,
/// `+`, `-`, `@`, tab, carriage return, or `'`) gets a `'` in front, as the desk's own CSV
/// files do.
pub fn erasure_log_csv(log: &ErasureLog, lang: Language) -> Result<Rendered, DocumentError> {
    let rows = log.rows()?;
    let csv_error = |e: csv::Error| DocumentError::Csv(e.to_string());
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<&str> = COLUMNS.iter().map(|&(en, ru)| lang.pick(en, ru)).collect();
    header.insert(1, lang.pick("Card number", "Номер карты"));
    writer
        .write_record(header.iter().map(|h| neutralise(h).into_owned()))
        .map_err(csv_error)?;
    for row in &rows {
        let at = row.at;
        let cells = [
            row.entry.subject.clone(),
            row.entry.card.masked(),
            DataCategory::list(&row.entry.categories, lang),
            log.information_system.clone(),
            row.entry.reason.describe(lang),
            format!(
                "{:04}-{:02}-{:02}",
                at.year(),
                u8::from(at.month()),
                at.day()
            ),
            {
                let (h, m, _) = at.offset().as_hms();
                let sign = if at.offset().is_negative() { '-' } else { '+' };
                format!(
                    "{:02}:{:02}:{:02}{sign}{:02}:{:02}",
                    at.hour(),
                    at.minute(),
                    at.second(),
                    h.unsigned_abs(),
                    m.unsigned_abs()
                )
            },
            row.entry.audit_entry_hash.clone(),
        ];
        writer
            .write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| DocumentError::Csv(e.to_string()))?;
    Ok(Rendered::new(bytes))
}

/// The desk's rule for CSV cells (desk/src/csv_cell.rs): a leading `=`, `+`, `-`, `@`, tab,
/// carriage return or `'` gets a `'` in front; reversible by dropping one leading `'`.
fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_leading_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+7916"), "'+7916");
        assert_eq!(neutralise("'q"), "''q");
        assert_eq!(neutralise("CRM-1"), "CRM-1");
    }
}
