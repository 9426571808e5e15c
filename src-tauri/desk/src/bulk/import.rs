//! Why: deletion requests arrive as CRM exports — Excel's semicolons, a BOM, quoted fields,
//! Russian headers — and a row silently dropped or misread could remove the wrong card or
//! leave a customer's card in place. So the CSV is read row by row (never whole into
//! memory), every row is validated with the gateway client's own rules, and every bad row is
//! reported with its number, field and rule. A row longer than [`MAX_RECORD_BYTES`] (64 KiB)
//! is refused without being read whole.
//!
//! Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.

use std::io::{BufRead, BufReader, Read};

use assist::{CardToken, CustomerNumber, Expiry};
use serde::{Deserialize, Serialize};

use super::record_cap::{self, Capped, PARSER_BUFFER, is_too_long};
use crate::audit::Reason;
use crate::{DeskError, ErrorCode};

pub use super::record_cap::MAX_RECORD_BYTES;

const TICKET_MAX: usize = 64;
const NOTE_MAX: usize = 500;

/// Which header names each field, when the file's headers are not among the known aliases.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ColumnMap {
    pub customer: Option<String>,
    pub last4: Option<String>,
    pub expiry: Option<String>,
    pub token: Option<String>,
    pub ticket: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// One input row: validated, or (in a [`Rejected`] row) as read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowInput {
    pub customer: String,
    pub last4: Option<String>,
    /// `(month, year)`.
    pub expiry: Option<(u8, u16)>,
    /// The file's card token as [`token_digest`]: a token with the customer number allows
    /// payments (docs/design.md §4), so the journal never keeps one. (Journals written before
    /// held the token itself here; [`RowInput::names_card`] reads both.)
    pub token_digest: Option<String>,
    pub ticket: Option<String>,
    pub reason: Option<Reason>,
    pub note: Option<String>,
}

/// 128 bits of BLAKE3 over the upper-cased token, in hex: enough to tell a customer's
/// cards apart for certain, and no way back to the token.
pub fn token_digest(token: &str) -> String {
    let hash = blake3::hash(token.to_ascii_uppercase().as_bytes());
    let mut hex = hash.to_hex().to_string();
    hex.truncate(32);
    hex
}

impl RowInput {
    /// Whether the row names no card (an erasure row when the job is marked erasure).
    pub fn has_card_filter(&self) -> bool {
        self.token_digest.is_some() || self.last4.is_some()
    }

    /// Whether a listed card is the one the row's token names (every card when the row
    /// gives no token).
    pub fn names_card(&self, card_token: &str) -> bool {
        match self.token_digest.as_deref() {
            None => true,
            // A journal from before digests: the token itself.
            Some(old) if old.len() == 36 => old.eq_ignore_ascii_case(card_token),
            Some(digest) => digest == token_digest(card_token),
        }
    }

    /// A key identifying the request, for duplicate detection.
    pub fn dedup_key(&self) -> [u8; 16] {
        let text = format!(
            "{}\u{1f}{}\u{1f}{:?}\u{1f}{}",
            self.customer,
            self.last4.as_deref().unwrap_or_default(),
            self.expiry,
            self.token_digest.as_deref().unwrap_or_default()
        );
        // 128 bits of BLAKE3: a false duplicate among a million rows has odds near 1e-27.
        let mut key = [0u8; 16];
        key.copy_from_slice(&blake3::hash(text.as_bytes()).as_bytes()[..16]);
        key
    }
}

/// A bad row: `row 7, customer number: must be 1–32 characters`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowProblem {
    pub row: u64,
    pub field: String,
    pub rule: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field == "row" {
            // A rule about the whole row (unreadable, duplicate): no field to name.
            write!(f, "row {}: {}", self.row, self.rule)
        } else {
            write!(f, "row {}, {}: {}", self.row, self.field, self.rule)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Customer,
    Last4,
    Expiry,
    Token,
    Ticket,
    Reason,
    Note,
}

pub(super) const FIELDS: [Field; 7] = [
    Field::Customer,
    Field::Last4,
    Field::Expiry,
    Field::Token,
    Field::Ticket,
    Field::Reason,
    Field::Note,
];

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Customer => "customer number",
            Field::Last4 => "last4",
            Field::Expiry => "expiry",
            Field::Token => "card token",
            Field::Ticket => "ticket",
            Field::Reason => "reason",
            Field::Note => "note",
        }
    }

    /// [`Field::label`] in Russian (the words the window uses for the row's problems).
    fn label_ru(self) -> &'static str {
        match self {
            Field::Customer => "номер клиента",
            Field::Last4 => "последние 4 цифры",
            Field::Expiry => "срок действия",
            Field::Token => "токен карты",
            Field::Ticket => "номер обращения",
            Field::Reason => "причина",
            Field::Note => "примечание",
        }
    }

    /// Header aliases, normalised (lower case, no spaces, `_` or `-`).
    pub(super) fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Customer => &[
                "customer",
                "customernumber",
                "customerno",
                "customerid",
                "client",
                "clientnumber",
                "номерклиента",
                "клиент",
                "номер",
            ],
            Field::Last4 => &[
                "last4",
                "lastfour",
                "last4digits",
                "post",
                "pan4",
                "последние4",
                "последние4цифры",
            ],
            Field::Expiry => &[
                "expiry",
                "expire",
                "expires",
                "exp",
                "expdate",
                "expiration",
                "срокдействия",
                "срок",
            ],
            Field::Token => &["token", "cardtoken", "токен"],
            Field::Ticket => &["ticket", "case", "ticketid", "тикет", "заявка", "обращение"],
            Field::Reason => &["reason", "причина"],
            Field::Note => &["note", "comment", "notes", "комментарий", "примечание"],
        }
    }

    fn mapped(self, map: &ColumnMap) -> Option<&str> {
        match self {
            Field::Customer => map.customer.as_deref(),
            Field::Last4 => map.last4.as_deref(),
            Field::Expiry => map.expiry.as_deref(),
            Field::Token => map.token.as_deref(),
            Field::Ticket => map.ticket.as_deref(),
            Field::Reason => map.reason.as_deref(),
            Field::Note => map.note.as_deref(),
        }
    }
}

pub(super) fn normalise(header: &str) -> String {
    header
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header cannot be used: `en` and `ru` say why, each in its language.
fn header_error(en: String, ru: String) -> DeskError {
    DeskError::new(ErrorCode::Validation, format!("CSV header: {en}"))
        .ru(format!("заголовок CSV: {ru}"))
}

/// `,` or `;`, whichever occurs more often outside quotes in the header line.
fn sniff_delimiter(line: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// The rows of a CSV file, one at a time: `Ok` for a valid row, `Err` with every problem.
pub struct CsvRows<R: Read> {
    reader: HeadedReader<R>,
    columns: [Option<usize>; 7],
    record: csv::ByteRecord,
    index: u64,
    stopped: bool,
}

impl<R: Read> std::fmt::Debug for CsvRows<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRows")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

/// One row read: its spreadsheet row number and the row or why it was refused.
pub type ReadRow = (u64, Result<RowInput, Rejected>);

/// A row refused at import: its problems, and what it held as read, to show the lead which
/// row it was (`1234,44A7`: the customer is fine, the last 4 is not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub problems: Vec<RowProblem>,
    /// The row's values as read, unvalidated: texts cut to [`RAW_SHOWN`] characters, a card
    /// token kept as its digest only, an expiry or reason that does not parse left out (its
    /// problem names it). Empty for a row that could not be read at all.
    pub raw: Box<RowInput>,
}

/// Characters of a refused row's value kept to show.
pub const RAW_SHOWN: usize = 64;

fn shown(value: &Option<String>) -> Option<String> {
    value.as_deref().map(|v| {
        if v.chars().count() > RAW_SHOWN {
            let mut cut: String = v.chars().take(RAW_SHOWN - 1).collect();
            cut.push('…');
            cut
        } else {
            v.to_owned()
        }
    })
}

fn unreadable(problems: Vec<RowProblem>) -> Rejected {
    Rejected {
        problems,
        raw: Box::default(),
    }
}

/// The CSV reader over a stream, positioned after the header row, each record capped at
/// [`MAX_RECORD_BYTES`] (read records with [`read_capped`]).
pub(super) type HeadedReader<R> =
    csv::Reader<Capped<std::io::Chain<std::io::Cursor<Vec<u8>>, BufReader<R>>>>;

/// Reads the next record, refusing one over [`MAX_RECORD_BYTES`]: an error that
/// [`is_too_long`] before the parser holds more than the cap and its buffer, or `Ok(true)`
/// with `too_long` set for a record that fitted the parser's slack.
pub(super) fn read_capped<R: Read>(
    reader: &mut HeadedReader<R>,
    record: &mut csv::ByteRecord,
    too_long: &mut bool,
) -> csv::Result<bool> {
    let start = reader.position().byte();
    reader.get_mut().allow_record_from(start);
    let more = reader.read_byte_record(record)?;
    *too_long = reader.position().byte() - start > MAX_RECORD_BYTES;
    Ok(more)
}

/// Strips a UTF-8 BOM, sniffs the delimiter from the header line and reads the header names
/// (trimmed). Shared by the import and the mapping step's preview.
pub(super) fn read_header<R: Read>(
    input: R,
) -> Result<(HeadedReader<R>, u8, Vec<String>), DeskError> {
    let mut buffered = BufReader::new(input);
    let mut first = Vec::new();
    (&mut buffered)
        .take(MAX_RECORD_BYTES + 1)
        .read_until(b'\n', &mut first)
        .map_err(|e| {
            header_error(
                format!("the file cannot be read: {e}"),
                format!("файл не читается: {e}"),
            )
        })?;
    if first.len() as u64 > MAX_RECORD_BYTES {
        return Err(header_error(
            format!("row 1 is {}", record_cap::rule()),
            format!("строка 1 {}", record_cap::rule_ru()),
        ));
    }
    if first.starts_with(b"\xEF\xBB\xBF") {
        first.drain(..3);
    }
    let header_line = std::str::from_utf8(&first).map_err(|_| {
        header_error(
            "row 1 is not valid UTF-8 (save the file as UTF-8)".to_owned(),
            "строка 1 не в кодировке UTF-8 (сохраните файл в UTF-8)".to_owned(),
        )
    })?;
    if header_line.trim().is_empty() {
        return Err(header_error(
            "the file is empty; the first line must name the columns".to_owned(),
            "файл пуст; в первой строке должны быть названия столбцов".to_owned(),
        ));
    }
    let delimiter = sniff_delimiter(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(PARSER_BUFFER)
        .from_reader(Capped::new(std::io::Cursor::new(first).chain(buffered)));
    let names: Vec<String> = reader
        .byte_headers()
        .map_err(|e| header_error(format!("unreadable: {e}"), format!("не читается: {e}")))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_owned())
        .collect();
    Ok((reader, delimiter, names))
}

/// Opens a CSV stream: strips a UTF-8 BOM, sniffs the delimiter from the header line and
/// finds the columns (explicit `map` first, then aliases).
pub fn open_csv<R: Read>(input: R, map: &ColumnMap) -> Result<CsvRows<R>, DeskError> {
    let (reader, _, names) = read_header(input)?;
    let mut columns = [None; 7];
    for (slot, field) in columns.iter_mut().zip(FIELDS) {
        if let Some(wanted) = field.mapped(map) {
            let pos = names
                .iter()
                .position(|n| n == wanted.trim() || normalise(n) == normalise(wanted));
            match pos {
                Some(p) => *slot = Some(p),
                None => {
                    return Err(header_error(
                        format!(
                            "the column \"{wanted}\" mapped to {} is not in the header \
                             (found: {})",
                            field.label(),
                            names.join(" | ")
                        ),
                        format!(
                            "столбца «{wanted}», назначенного полю «{}», нет в заголовке \
                             (найдены: {})",
                            field.label_ru(),
                            names.join(" | ")
                        ),
                    ));
                }
            }
        } else {
            *slot = names
                .iter()
                .position(|n| field.aliases().contains(&normalise(n).as_str()));
        }
    }
    if columns[0].is_none() {
        return Err(header_error(
            format!(
                "no customer number column (expected a header such as customer, \
                 customer_number or \"номер клиента\", or a column mapping; found: {}); the \
                 delimiter must be a comma or a semicolon",
                names.join(" | ")
            ),
            format!(
                "нет столбца с номером клиента (нужен заголовок вроде customer, \
                 customer_number или «номер клиента» либо сопоставление столбцов; найдены: \
                 {}); разделитель — запятая или точка с запятой",
                names.join(" | ")
            ),
        ));
    }
    Ok(CsvRows {
        reader,
        columns,
        record: csv::ByteRecord::new(),
        index: 0,
        stopped: false,
    })
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = ReadRow;

    fn next(&mut self) -> Option<ReadRow> {
        if self.stopped {
            return None;
        }
        loop {
            let row = self.index + 2;
            let mut too_long = false;
            match read_capped(&mut self.reader, &mut self.record, &mut too_long) {
                Ok(false) => return None,
                Ok(true) if too_long => {
                    self.index += 1;
                    return Some((
                        row,
                        Err(unreadable(vec![row_problem(row, record_cap::rule())])),
                    ));
                }
                Ok(true) => {
                    self.index += 1;
                    if self
                        .record
                        .iter()
                        .all(|f| f.iter().all(u8::is_ascii_whitespace))
                    {
                        continue; // blank lines are not rows
                    }
                    return Some((row, self.parse(row)));
                }
                Err(e) if is_too_long(&e) => {
                    // The rest of the record was never read, so nothing after it can be
                    // told apart: report the row and stop.
                    self.index += 1;
                    self.stopped = true;
                    let rule = format!("{}; the rows after it were not read", record_cap::rule());
                    return Some((row, Err(unreadable(vec![row_problem(row, rule)]))));
                }
                Err(e) => {
                    self.index += 1;
                    let problem = row_problem(row, format!("unreadable CSV: {e}"));
                    // The stream itself failed: report once and stop.
                    self.stopped = matches!(e.kind(), csv::ErrorKind::Io(_));
                    return Some((row, Err(unreadable(vec![problem]))));
                }
            }
        }
    }
}

/// A problem with the whole row (no field to name).
fn row_problem(row: u64, rule: String) -> RowProblem {
    RowProblem {
        row,
        field: "row".to_owned(),
        rule,
    }
}

impl<R: Read> CsvRows<R> {
    fn parse(&self, row: u64) -> Result<RowInput, Rejected> {
        let mut problems = Vec::new();
        let mut values: [Option<String>; 7] = Default::default();
        for ((value, column), field) in values.iter_mut().zip(self.columns).zip(FIELDS) {
            let Some(column) = column else { continue };
            let raw = self.record.get(column).unwrap_or_default();
            match std::str::from_utf8(raw) {
                Ok(text) => {
                    let text = text.trim();
                    if !text.is_empty() {
                        *value = Some(text.to_owned());
                    }
                }
                Err(_) => problems.push(RowProblem {
                    row,
                    field: field.label().to_owned(),
                    rule: "not valid UTF-8 (save the file as UTF-8)".to_owned(),
                }),
            }
        }
        let mut bad = |field: Field, rule: String| {
            problems.push(RowProblem {
                row,
                field: field.label().to_owned(),
                rule,
            });
        };
        let [customer, last4, expiry, token, ticket, reason, note] = values;
        let raw_customer = shown(&customer);
        let customer = match customer {
            None => {
                bad(Field::Customer, "required".to_owned());
                None
            }
            Some(c) => match CustomerNumber::new(c.clone()) {
                Ok(c) => Some(c.as_str().to_owned()),
                Err(e) => {
                    bad(Field::Customer, e.rule().to_owned());
                    None
                }
            },
        };
        if let Some(l) = &last4
            && (l.len() != 4 || !l.bytes().all(|b| b.is_ascii_digit()))
        {
            bad(Field::Last4, "must be exactly 4 digits".to_owned());
        }
        let raw_last4 = shown(&last4);
        let expiry = match expiry {
            None => None,
            Some(e) => match Expiry::parse(e).month_year() {
                Some(ym) => Some((ym.month, ym.year)),
                None => {
                    bad(
                        Field::Expiry,
                        "must be a month and year such as 12/2027, 12/27 or 12.2027".to_owned(),
                    );
                    None
                }
            },
        };
        if let Some(t) = &token
            && let Err(e) = CardToken::new(t.clone())
        {
            bad(Field::Token, e.rule().to_owned());
        }
        let mut text = |field: Field, value: &Option<String>, max: usize| {
            if let Some(v) = value {
                if v.chars().count() > max {
                    bad(field, format!("must be at most {max} characters"));
                } else if v
                    .chars()
                    .any(|c| c.is_control() && !(field == Field::Note && c == '\n'))
                {
                    bad(field, "must not contain control characters".to_owned());
                }
            }
        };
        text(Field::Ticket, &ticket, TICKET_MAX);
        text(Field::Note, &note, NOTE_MAX);
        let reason = match reason {
            None => None,
            Some(r) => match Reason::parse(&r) {
                Some(r) => Some(r),
                None => {
                    bad(
                        Field::Reason,
                        "must be one of customer_request, lost_or_stolen, suspected_fraud, \
                         erasure_request, duplicate, expired, other"
                            .to_owned(),
                    );
                    None
                }
            },
        };
        if reason == Some(Reason::Other) && note.is_none() {
            bad(Field::Note, "required when the reason is other".to_owned());
        }
        let token_digest = token.as_deref().map(token_digest);
        match customer {
            Some(customer) if problems.is_empty() => Ok(RowInput {
                customer,
                last4,
                expiry,
                token_digest,
                ticket,
                reason,
                note,
            }),
            _ => Err(Rejected {
                problems,
                raw: Box::new(RowInput {
                    customer: raw_customer.unwrap_or_default(),
                    last4: raw_last4,
                    expiry,
                    token_digest,
                    ticket: shown(&ticket),
                    reason,
                    note: shown(&note),
                }),
            }),
        }
    }
}
