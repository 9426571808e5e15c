//! Why: every document ends the same way — its id, when it was generated, the audit entries
//! it rests on and their SHA-256 — and carries the same running header and footer, so a page
//! separated from the rest still says what it belongs to.

use crate::face::Faces;
use crate::pdf::{self, Meta};
use crate::sheet::{HEADING_HEIGHT, Running, Sheet};
use crate::{DocumentError, Issue, Language, audit_digest};

impl Issue {
    pub(crate) fn check(&self) -> Result<(), DocumentError> {
        if self.audit_entries.is_empty() {
            return Err(DocumentError::NoAuditEntries);
        }
        if self.document_id.trim().is_empty() {
            return Err(DocumentError::Invalid {
                field: "issue.document_id",
                reason: "must not be empty",
            });
        }
        Ok(())
    }

    /// The closing block: id, time, audit entries, digest.
    pub(crate) fn block(&self, sheet: &mut Sheet<'_>, lang: Language) {
        let seqs = self
            .audit_entries
            .iter()
            .map(|e| e.seq.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let rows = [
            (
                lang.pick("Document id", "Идентификатор документа")
                    .to_owned(),
                self.document_id.clone(),
            ),
            (
                lang.pick("Generated at", "Сформирован").to_owned(),
                lang.date_time(self.generated_at),
            ),
            (
                lang.pick("Audit log entries (seq)", "Записи журнала аудита (seq)")
                    .to_owned(),
                seqs,
            ),
            (
                lang.pick(
                    "SHA-256 of the audit entries",
                    "SHA-256 записей журнала аудита",
                )
                .to_owned(),
                // Two halves of 32 digits: the whole never fits the cell at a readable size.
                {
                    let digest = audit_digest(&self.audit_entries);
                    format!("{}\n{}", &digest[..32], &digest[32..])
                },
            ),
        ];
        sheet.keep(HEADING_HEIGHT + sheet.fields_height(&rows) + 40.0);
        sheet.heading(lang.pick("Document record", "Сведения о документе"));
        sheet.fields(&rows);
        sheet.note(lang.pick(
            "The SHA-256 is computed over the listed lines of the audit log exactly as stored, \
             each with its line break, in the order listed; recompute it with sha256sum to check \
             that this document rests on the same records.",
            "SHA-256 вычислен по перечисленным строкам журнала аудита в том виде, как они \
             хранятся, каждая с переводом строки, в указанном порядке; его можно пересчитать \
             командой sha256sum и убедиться, что документ основан на тех же записях.",
        ));
    }

    /// The running header and footer.
    pub(crate) fn running(&self, merchant: &str, title: &str, lang: Language) -> Running {
        Running {
            merchant: merchant.to_owned(),
            title: title.to_owned(),
            footer: format!(
                "{} {} · {} {}",
                lang.pick("Document", "Документ"),
                self.document_id,
                lang.pick("generated", "сформирован"),
                lang.date_time(self.generated_at)
            ),
            page_words: match lang {
                Language::En => ("Page", "of"),
                Language::Ru => ("Стр.", "из"),
            },
        }
    }

    /// Lays out the running parts and writes the PDF. `running_title` heads every page beside
    /// the merchant: the title itself, or a shorter form of it where the title is too long to
    /// be read whole there (the PDF's metadata keeps the full `title`).
    pub(crate) fn write(
        &self,
        sheet: Sheet<'_>,
        faces: &Faces,
        merchant: &str,
        (title, running_title): (&str, &str),
        lang: Language,
    ) -> Result<Vec<u8>, DocumentError> {
        let size = sheet.size();
        let pages = sheet.finish(&self.running(merchant, running_title, lang));
        pdf::write(
            &pages,
            size,
            faces,
            &Meta {
                title,
                language: lang.tag(),
                document_id: &self.document_id,
                created: self.generated_at,
            },
        )
    }
}
