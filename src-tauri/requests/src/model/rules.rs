//! Why: the register is only evidence if its rules hold for every writer — the app, the CLI
//! and, later, a team database: identity is checked before anything is done for a request,
//! statuses move one way, an extension needs a timely reasoned notice, and a request is not
//! closed with work left open unless someone says so on the record
//! (docs/customer-requests.md §4, §6). Every change here appends an event.

use serde::Deserialize;
use time::{Date, OffsetDateTime, UtcOffset};

use super::fields::{self, NOTE_MAX, TEXT_MAX};
use super::{
    AuditRef, Channel, Document, DocumentKind, EventKind, Extension, IdentityCheck, Note, OpenItem,
    ProfileRef, Received, RemovalLink, RemovalResult, Request, RequestEvent, RequestId, Status,
    StatusKind, Subject,
};
use crate::RequestError;
use crate::calendar::Calendar;
use crate::deadline::{self, RequestKind};

/// Most customers one request may name.
const SUBJECTS_MAX: usize = 50;

/// A new request as the agent enters it: raw text, checked by [`Request::open`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDraft {
    pub kind: RequestKind,
    pub received: Received,
    pub channel: Channel,
    #[serde(default)]
    pub ticket: Option<String>,
    pub subjects: Vec<SubjectDraft>,
    #[serde(default)]
    pub assignee: Option<String>,
}

/// A customer as entered: the number is checked by the gateway's rule.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SubjectDraft {
    pub customer_number: String,
    pub profile: ProfileRef,
}

fn utc(now: OffsetDateTime) -> OffsetDateTime {
    now.to_offset(UtcOffset::UTC)
}

impl Request {
    /// A new request in status `new`, its deadline computed on `calendar`. `now` carries the
    /// agent's offset (its date is the agent's today).
    pub fn open(
        draft: RequestDraft,
        by: &str,
        now: OffsetDateTime,
        calendar: &Calendar,
    ) -> Result<Request, RequestError> {
        let by = fields::name("by", by)?;
        fields::received(&draft.received, now)?;
        let ticket = fields::ticket(draft.ticket.as_deref())?;
        if draft.subjects.is_empty() {
            return Err(RequestError::invalid(
                "subjects",
                "must name at least one customer",
            ));
        }
        if draft.subjects.len() > SUBJECTS_MAX {
            return Err(RequestError::invalid(
                "subjects",
                "must name at most 50 customers",
            ));
        }
        let mut subjects: Vec<Subject> = Vec::with_capacity(draft.subjects.len());
        for (i, s) in draft.subjects.iter().enumerate() {
            let subject = Subject {
                customer_number: fields::customer_number(
                    format!("subjects[{i}].customer_number").into(),
                    &s.customer_number,
                )?,
                profile: fields::profile(format!("subjects[{i}].profile").into(), &s.profile)?,
            };
            if subjects.contains(&subject) {
                return Err(RequestError::invalid(
                    format!("subjects[{i}]"),
                    "names the same customer and profile twice",
                ));
            }
            subjects.push(subject);
        }
        let assignee = draft
            .assignee
            .as_deref()
            .map(|a| fields::name("assignee", a))
            .transpose()?;
        let deadline = deadline::compute(draft.kind, draft.received.local_date(), false, calendar)
            .map_err(|e| RequestError::invalid("received_at", e.to_string()))?;
        let now = utc(now);
        Ok(Request {
            id: RequestId::random(),
            version: 0,
            kind: draft.kind,
            received: draft.received,
            channel: draft.channel,
            ticket,
            subjects,
            identity_checks: Vec::new(),
            assignee,
            status: Status::New,
            notes: Vec::new(),
            extension: None,
            deadline,
            events: vec![RequestEvent {
                at: now,
                by,
                what: EventKind::Created,
            }],
            created_at: now,
            updated_at: now,
        })
    }

    fn record(&mut self, by: String, now: OffsetDateTime, what: EventKind) {
        let now = utc(now);
        self.events.push(RequestEvent { at: now, by, what });
        self.updated_at = now;
    }

    /// Whether at least one identity check matched.
    pub fn identity_confirmed(&self) -> bool {
        self.identity_checks.iter().any(|c| c.matched)
    }

    fn require_identity(&self, doing: &str) -> Result<(), RequestError> {
        if self.identity_confirmed() {
            Ok(())
        } else {
            Err(RequestError::invalid(
                "identity_checks",
                format!("{doing} needs at least one identity check that matched"),
            ))
        }
    }

    fn require_not_final(&self, field: &'static str) -> Result<(), RequestError> {
        match self.status.kind() {
            StatusKind::Closed | StatusKind::Refused => Err(RequestError::invalid(
                field,
                format!(
                    "cannot change a request that is {}",
                    self.status.kind().as_str()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Records an attempt to identify the person asking; a failed one is kept too.
    pub fn record_identity_check(
        &mut self,
        asked: &str,
        matched: bool,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        self.require_not_final("identity_checks")?;
        let asked = fields::text("asked", asked, TEXT_MAX)?;
        let by = fields::name("by", by)?;
        self.identity_checks.push(IdentityCheck {
            asked,
            matched,
            by: by.clone(),
            at: utc(now),
        });
        self.record(by, now, EventKind::IdentityChecked { matched });
        Ok(())
    }

    /// Moves the request on: new → in_progress → answered → closed, or refused (with a
    /// reason) from new or in_progress. Starting needs a matched identity check; closing with
    /// open items needs `force`, and the event keeps what was left open.
    pub fn change_status(
        &mut self,
        to: Status,
        force: bool,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        let by = fields::name("by", by)?;
        let from = self.status.kind();
        let allowed: &[StatusKind] = match from {
            StatusKind::New => &[StatusKind::InProgress, StatusKind::Refused],
            StatusKind::InProgress => &[StatusKind::Answered, StatusKind::Refused],
            StatusKind::Answered => &[StatusKind::Closed],
            StatusKind::Closed | StatusKind::Refused => &[],
        };
        if !allowed.contains(&to.kind()) {
            let next = if allowed.is_empty() {
                "none, it is final".to_owned()
            } else {
                allowed
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            };
            return Err(RequestError::invalid(
                "status",
                format!(
                    "cannot go from {} to {} (next: {next})",
                    from.as_str(),
                    to.kind().as_str()
                ),
            ));
        }
        let to = match to {
            Status::InProgress => {
                self.require_identity("starting work on a request")?;
                Status::InProgress
            }
            Status::Refused { reason } => Status::Refused {
                reason: fields::text("reason", &reason, TEXT_MAX)?,
            },
            other => other,
        };
        let mut open = Vec::new();
        if to == Status::Closed {
            open = self.open_items();
            if !open.is_empty() && !force {
                return Err(RequestError::OpenItems { items: open });
            }
        }
        let kind = to.kind();
        self.status = to;
        self.record(
            by,
            now,
            EventKind::StatusChanged {
                from,
                to: kind,
                forced: !open.is_empty(),
                open,
            },
        );
        Ok(())
    }

    /// What must be done before closing (docs/customer-requests.md §6): the documents the kind
    /// needs, and removals whose outcome is unknown and not settled by a later link.
    pub fn open_items(&self) -> Vec<OpenItem> {
        let mut needed: Vec<DocumentKind> = match self.kind {
            RequestKind::CardRefusal => vec![DocumentKind::Confirmation],
            RequestKind::Access152 | RequestKind::AccessGdpr | RequestKind::ErasureGdpr => {
                vec![DocumentKind::Answer]
            }
            RequestKind::Erasure152 => vec![DocumentKind::DestructionAct, DocumentKind::LogExport],
        };
        if self.extension.is_some() {
            needed.push(DocumentKind::ExtensionNotice);
        }
        let produced: Vec<DocumentKind> = self
            .events
            .iter()
            .filter_map(|e| match &e.what {
                EventKind::DocumentProduced(d) => Some(d.kind),
                _ => None,
            })
            .collect();
        let mut items: Vec<OpenItem> = needed
            .into_iter()
            .filter(|k| !produced.contains(k))
            .map(|kind| OpenItem::MissingDocument { kind })
            .collect();
        let links: Vec<&RemovalLink> = self.removals().collect();
        for link in &links {
            let settled = links.iter().any(|l| l.settles == Some(link.audit.seq));
            if link.result == RemovalResult::Unknown && !settled {
                items.push(OpenItem::UnsettledRemoval {
                    seq: link.audit.seq,
                });
            }
        }
        items
    }

    /// The removals linked to the request, in order.
    pub fn removals(&self) -> impl Iterator<Item = &RemovalLink> {
        self.events.iter().filter_map(|e| match &e.what {
            EventKind::RemovalLinked(l) => Some(l),
            _ => None,
        })
    }

    /// The documents produced for the request, in order.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.events.iter().filter_map(|e| match &e.what {
            EventKind::DocumentProduced(d) => Some(d),
            _ => None,
        })
    }

    /// Sets or clears who works on the request.
    pub fn assign(
        &mut self,
        assignee: Option<&str>,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        self.require_not_final("assignee")?;
        let by = fields::name("by", by)?;
        let assignee = assignee.map(|a| fields::name("assignee", a)).transpose()?;
        self.assignee.clone_from(&assignee);
        self.record(by, now, EventKind::Assigned { assignee });
        Ok(())
    }

    /// Adds a note (allowed in every status: a closed request may still be annotated).
    pub fn add_note(
        &mut self,
        text: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        let text = fields::text("note", text, NOTE_MAX)?;
        let by = fields::name("by", by)?;
        self.notes.push(Note {
            text,
            by: by.clone(),
            at: utc(now),
        });
        self.record(by, now, EventKind::NoteAdded);
        Ok(())
    }

    /// Extends the term after a reasoned notice sent on `notice_sent_on`
    /// (docs/customer-requests.md §4): only kinds that allow it, once, while the clock runs,
    /// with the notice sent by the original last day and not in the future.
    pub fn extend(
        &mut self,
        notice_sent_on: Date,
        reason: &str,
        by: &str,
        now: OffsetDateTime,
        calendar: &Calendar,
    ) -> Result<(), RequestError> {
        const FIELD: &str = "extension";
        if !self.kind.can_extend() {
            return Err(RequestError::invalid(
                FIELD,
                format!("a {} request has no extension in law", self.kind.as_str()),
            ));
        }
        if self.extension.is_some() {
            return Err(RequestError::invalid(
                FIELD,
                "the term was already extended",
            ));
        }
        if !self.status.kind().is_open() {
            return Err(RequestError::invalid(
                FIELD,
                "only a request that is new or in progress can be extended",
            ));
        }
        let reason = fields::text("reason", reason, TEXT_MAX)?;
        let by = fields::name("by", by)?;
        let received_on = self.received.local_date();
        let original = deadline::compute(self.kind, received_on, false, calendar)
            .map_err(|e| RequestError::invalid(FIELD, e.to_string()))?;
        let extended = deadline::compute(self.kind, received_on, true, calendar)
            .map_err(|e| RequestError::invalid(FIELD, e.to_string()))?;
        let (Some(original), Some(extended)) = (original, extended) else {
            return Err(RequestError::invalid(FIELD, "the request has no deadline"));
        };
        if notice_sent_on < received_on {
            return Err(RequestError::invalid(
                "notice_sent_on",
                "must not be before the request was received",
            ));
        }
        if notice_sent_on > now.date() {
            return Err(RequestError::invalid(
                "notice_sent_on",
                "must not be in the future",
            ));
        }
        if notice_sent_on > original.due {
            return Err(RequestError::invalid(
                "notice_sent_on",
                format!(
                    "the reasoned notice must be sent by the original last day, {}",
                    crate::iso::format_date(original.due)
                ),
            ));
        }
        self.extension = Some(Extension {
            notice_sent_on,
            reason,
            original_due: original.due,
            by: by.clone(),
            at: utc(now),
        });
        let due = extended.due;
        self.deadline = Some(extended);
        self.record(
            by,
            now,
            EventKind::Extended {
                notice: notice_sent_on,
                due,
            },
        );
        Ok(())
    }

    /// Computes the deadline again on `calendar` (after a calendar update), recording the old
    /// and new last day. Returns whether it changed.
    pub fn recompute_deadline(
        &mut self,
        by: &str,
        now: OffsetDateTime,
        calendar: &Calendar,
    ) -> Result<bool, RequestError> {
        let by = fields::name("by", by)?;
        let fresh = deadline::compute(
            self.kind,
            self.received.local_date(),
            self.extension.is_some(),
            calendar,
        )
        .map_err(|e| RequestError::invalid("deadline", e.to_string()))?;
        if fresh == self.deadline {
            return Ok(false);
        }
        let previous = self.deadline.as_ref().map(|d| d.due);
        let due = fresh.as_ref().map(|d| d.due);
        let version = fresh.as_ref().and_then(|d| d.calendar_version.clone());
        self.deadline = fresh;
        self.record(
            by,
            now,
            EventKind::DeadlineRecomputed {
                previous,
                due,
                calendar: version,
            },
        );
        Ok(true)
    }

    /// Links a removal the desk made for this request (its audit entry). Needs a matched
    /// identity check, a customer the request names, and a request not closed or refused.
    pub fn link_removal(
        &mut self,
        link: RemovalLink,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        self.require_not_final("removal")?;
        self.require_identity("a removal for a request")?;
        let by = fields::name("by", by)?;
        let hash = fields::hex64("hash", &link.audit.hash)?;
        if !self
            .subjects
            .iter()
            .any(|s| s.customer_number == link.customer)
        {
            return Err(RequestError::invalid(
                "customer_number",
                "must be one of the customers the request names",
            ));
        }
        if let Some(seq) = link.settles {
            let unknown = self
                .removals()
                .any(|l| l.audit.seq == seq && l.result == RemovalResult::Unknown);
            if !unknown {
                return Err(RequestError::invalid(
                    "settles",
                    "must name a linked removal whose outcome is unknown",
                ));
            }
        }
        if self.removals().any(|l| l.audit.seq == link.audit.seq) {
            return Err(RequestError::invalid(
                "audit",
                "this audit entry is already linked",
            ));
        }
        let link = RemovalLink {
            audit: AuditRef {
                seq: link.audit.seq,
                hash,
            },
            ..link
        };
        self.record(by, now, EventKind::RemovalLinked(link));
        Ok(())
    }

    /// Links another audit entry (e.g. the customer's cards were viewed for the request).
    pub fn link_audit(
        &mut self,
        audit: AuditRef,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        let by = fields::name("by", by)?;
        let audit = AuditRef {
            seq: audit.seq,
            hash: fields::hex64("hash", &audit.hash)?,
        };
        self.record(by, now, EventKind::AuditLinked { audit });
        Ok(())
    }

    /// Records a document produced for the request by its file name and SHA-256.
    pub fn add_document(
        &mut self,
        kind: DocumentKind,
        name: &str,
        sha256: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), RequestError> {
        self.require_not_final("document")?;
        let document = Document {
            kind,
            name: fields::file_name(name)?,
            sha256: fields::hex64("sha256", sha256)?,
        };
        let by = fields::name("by", by)?;
        self.record(by, now, EventKind::DocumentProduced(document));
        Ok(())
    }
}
