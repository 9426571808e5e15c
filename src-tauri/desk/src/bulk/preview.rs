//! Why: CRM exports name their columns in many ways, so before a job is created the lead sees
//! the file's headers, a few rows and the columns Card Desk recognised, and can map the rest
//! (issue: "a column-mapping step when the headers differ"). Only the first rows are read.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use super::import::{ColumnMap, FIELDS, Field, normalise, read_capped, read_header};
use crate::{DeskError, ErrorCode};

/// Rows shown under the headers.
pub const SAMPLE_ROWS: usize = 5;

/// The head of a CSV file, for the column-mapping step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvPreview {
    /// An opaque handle to the file the user chose in the native dialog: the import step sends
    /// it back, so the webview never holds or names a path (docs/security.md).
    pub source: String,
    pub file_name: String,
    pub headers: Vec<String>,
    /// `,` or `;`.
    pub delimiter: String,
    /// Columns recognised by their header (aliases in English and Russian).
    pub suggested: ColumnMap,
    pub sample: Vec<Vec<String>>,
}

fn set(map: &mut ColumnMap, field: Field, header: String) {
    let slot = match field {
        Field::Customer => &mut map.customer,
        Field::Last4 => &mut map.last4,
        Field::Expiry => &mut map.expiry,
        Field::Token => &mut map.token,
        Field::Ticket => &mut map.ticket,
        Field::Reason => &mut map.reason,
        Field::Note => &mut map.note,
    };
    if slot.is_none() {
        *slot = Some(header);
    }
}

/// A file's header names, its delimiter and its first rows.
#[derive(Debug)]
pub struct Head {
    pub headers: Vec<String>,
    pub delimiter: u8,
    pub sample: Vec<Vec<String>>,
}

/// Reads the header line and the first [`SAMPLE_ROWS`] rows.
pub fn preview(input: impl Read) -> Result<Head, DeskError> {
    let (mut reader, delimiter, headers) = read_header(input)?;
    let mut sample = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut too_long = false;
    while let Ok(true) = read_capped(&mut reader, &mut record, &mut too_long) {
        if too_long {
            break;
        }
        sample.push(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect(),
        );
        if sample.len() == SAMPLE_ROWS {
            break;
        }
    }
    Ok(Head {
        headers,
        delimiter,
        sample,
    })
}

/// The preview of the file at `path`, under the handle `source`.
pub fn preview_file(path: &Path, source: String) -> Result<CsvPreview, DeskError> {
    let file = std::fs::File::open(path).map_err(|e| {
        DeskError::new(
            ErrorCode::Validation,
            format!("file: {} cannot be opened: {e}", path.display()),
        )
        .ru(format!("файл: {} не открывается: {e}", path.display()))
    })?;
    let Head {
        headers,
        delimiter,
        sample,
    } = preview(file)?;
    let mut suggested = ColumnMap::default();
    for field in FIELDS {
        if let Some(h) = headers
            .iter()
            .find(|h| field.aliases().contains(&normalise(h).as_str()))
        {
            set(&mut suggested, field, h.clone());
        }
    }
    Ok(CsvPreview {
        source,
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        headers,
        delimiter: char::from(delimiter).to_string(),
        suggested,
        sample,
    })
}
