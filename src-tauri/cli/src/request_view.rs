//! What `carddesk request …` prints. `--json` prints the app's own types as they cross IPC
//! (`RequestView`, `RequestList`; docs/cli-json.md); the text is for an agent at a terminal:
//! deadlines first, marks for what is due today or overdue, and every line escaped
//! (`terminal.rs`) — notes, names and tickets are typed by people.

use desk::requests::model::{
    Channel, DocumentKind, EventKind, OpenItem, ProfileRef, Received, RemovalResult, Status,
    StatusKind,
};
use desk::requests::store::DueState;
use desk::requests::{DeadlineBasis, Request, RequestKind, iso};
use desk::{RequestAction, RequestList, RequestView};
use serde::Serialize;
use time::{OffsetDateTime, UtcOffset};

use crate::exit::Status as Exit;
use crate::output::print_json;

fn json<T: Serialize>(value: &T) -> Exit {
    match serde_json::to_value(value) {
        Ok(v) => {
            print_json(&v);
            Exit::Ok
        }
        Err(e) => crate::output::failure(Exit::Local, "internal", &e.to_string(), true),
    }
}

/// The kind as the command line spells it.
pub fn kind_arg(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::CardRefusal => "card-refusal",
        RequestKind::Access152 => "access-152",
        RequestKind::Erasure152 => "erasure-152",
        RequestKind::AccessGdpr => "access-gdpr",
        RequestKind::ErasureGdpr => "erasure-gdpr",
    }
}

fn kind_words(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::CardRefusal => "refusal of saved card details (376-FZ)",
        RequestKind::Access152 => "access to personal data (152-FZ art. 14)",
        RequestKind::Erasure152 => "consent withdrawn, erasure (152-FZ art. 21)",
        RequestKind::AccessGdpr => "access request (GDPR art. 15)",
        RequestKind::ErasureGdpr => "erasure request (GDPR art. 17)",
    }
}

fn status_arg(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::New => "new",
        StatusKind::InProgress => "in-progress",
        StatusKind::Answered => "answered",
        StatusKind::Closed => "closed",
        StatusKind::Refused => "refused",
    }
}

fn status_words(status: &Status) -> String {
    match status {
        Status::Refused { reason } => format!("refused ({reason})"),
        other => status_arg(other.kind()).to_owned(),
    }
}

fn channel_words(channel: Channel) -> &'static str {
    match channel {
        Channel::Ticket => "ticket",
        Channel::Email => "e-mail",
        Channel::Phone => "phone",
        Channel::Letter => "letter",
        Channel::WebForm => "web form",
    }
}

fn basis_words(basis: DeadlineBasis) -> &'static str {
    match basis {
        DeadlineBasis::Fz152Access10WorkingDays => {
            "10 working days from the day after receipt (152-FZ art. 14 part 3)"
        }
        DeadlineBasis::Fz152Access15WorkingDays => {
            "15 working days from the day after receipt, extended (152-FZ art. 14 part 3)"
        }
        DeadlineBasis::Fz152Erasure30Days => {
            "30 days from the day after receipt, a last day off work moved to the next working \
             day (152-FZ art. 21 part 5)"
        }
        DeadlineBasis::GdprOneMonth => "one month from receipt (GDPR art. 12(3))",
        DeadlineBasis::GdprThreeMonths => "three months from receipt, extended (GDPR art. 12(3))",
    }
}

/// What a 376-FZ refusal shows instead of a date.
const NO_DEADLINE: &str = "no statutory deadline: act before the next scheduled debit";

fn offset_of(minutes: Option<i32>) -> UtcOffset {
    minutes
        .and_then(|m| UtcOffset::from_whole_seconds(m.saturating_mul(60)).ok())
        .unwrap_or(UtcOffset::UTC)
}

/// `2026-12-07 10:15 +03:00`, in the agent's offset.
fn instant(at: OffsetDateTime, minutes: Option<i32>) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute] [offset_hour sign:mandatory]:[offset_minute]"
    );
    let local = at.to_offset(offset_of(minutes));
    local
        .format(&format)
        .unwrap_or_else(|_| iso::format_instant(at))
}

/// In the offset the agent had when it arrived.
fn received_words(received: &Received) -> String {
    match *received {
        Received::Instant { at, offset } => instant(at, Some(i32::from(offset))),
        Received::Day { date } => format!("{} (the day only)", iso::format_date(date)),
    }
}

fn subjects(request: &Request) -> String {
    request
        .subjects()
        .iter()
        .map(|s| match &s.profile {
            ProfileRef::AllProfiles => format!("{} (all profiles)", s.customer_number),
            ProfileRef::Profile(id) => format!("{} (profile {id})", s.customer_number),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn document_words(kind: DocumentKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_else(|| "document".to_owned())
}

fn open_item_words(item: &OpenItem) -> String {
    match item {
        OpenItem::MissingDocument { kind } => format!("no {} recorded", document_words(*kind)),
        OpenItem::UnsettledRemoval { seq } => {
            format!("the removal of audit entry {seq} has an unknown outcome")
        }
    }
}

fn open_items(items: &[OpenItem]) -> String {
    items
        .iter()
        .map(open_item_words)
        .collect::<Vec<_>>()
        .join("; ")
}

fn removal_words(result: RemovalResult) -> &'static str {
    match result {
        RemovalResult::Removed => "removed",
        RemovalResult::NotRemoved => "not removed",
        RemovalResult::Unknown => "unknown",
    }
}

/// Where the request stands today, as a mark: `OVERDUE`, `DUE TODAY`, or nothing to flag.
fn mark(due: DueState) -> &'static str {
    match due {
        DueState::Overdue => "OVERDUE",
        DueState::DueToday => "DUE TODAY",
        DueState::NoDeadline => "act now",
        DueState::Upcoming => "",
        DueState::Stopped => "stopped",
    }
}

/// The deadline line: the day and its basis, or why there is none; with its flags.
fn deadline_lines(view: &RequestView) -> Vec<String> {
    let request = &view.request;
    let Some(d) = request.deadline() else {
        return vec![format!("due: {NO_DEADLINE}")];
    };
    let mark = match view.due {
        DueState::Overdue => " — OVERDUE",
        DueState::DueToday => " — DUE TODAY",
        _ => "",
    };
    let mut lines = vec![format!(
        "due: {}{mark} — {}",
        iso::format_date(d.due),
        basis_words(d.basis)
    )];
    if let Some(from) = d.rolled_from {
        lines.push(format!(
            "  moved from {}, a day off work",
            iso::format_date(from)
        ));
    }
    if d.provisional {
        lines.push(
            "  provisional: a production-calendar year it counts on is provisional; the real \
             last day may differ"
                .to_owned(),
        );
    }
    if d.beyond_calendar {
        lines.push(
            "  estimate: the count runs past the calendar's years (counted on weekends alone)"
                .to_owned(),
        );
    }
    lines
}

/// After `new`, `act` or `close`: what was done and where the request stands now.
pub fn changed(view: &RequestView, what: &str, as_json: bool) -> Exit {
    if as_json {
        return json(view);
    }
    let r = &view.request;
    say!(
        "request {} {what}: version {}, status {}",
        r.id(),
        r.version(),
        status_words(r.status())
    );
    say!("  kind: {} — {}", kind_arg(r.kind()), kind_words(r.kind()));
    say!("  customers: {}", subjects(r));
    say!("  received: {}", received_words(r.received()));
    for line in deadline_lines(view) {
        say!("  {line}");
    }
    if !view.identity_confirmed {
        say!("  identity: no matched check yet (needed before work starts)");
    }
    if !view.open_items.is_empty() && r.status().kind() != StatusKind::Closed {
        say!("  open items: {}", open_items(&view.open_items));
    }
    Exit::Ok
}

/// The register, earliest deadline first, then the day's counts.
pub fn list(list: &RequestList, minutes: Option<i32>, as_json: bool) -> Exit {
    if as_json {
        return json(list);
    }
    if list.requests.is_empty() {
        say!("no requests");
    } else {
        say!(
            "{:<11}  {:<9}  {:<11}  {:<12}  {:>3}  {:<36}  {:<16}  CUSTOMERS",
            "DUE",
            "MARK",
            "STATUS",
            "KIND",
            "VER",
            "ID",
            "TICKET"
        );
        for v in &list.requests {
            let r = &v.request;
            let due = r
                .deadline()
                .map_or_else(|| "no deadline".to_owned(), |d| iso::format_date(d.due));
            say!(
                "{:<11}  {:<9}  {:<11}  {:<12}  {:>3}  {:<36}  {:<16}  {}",
                due,
                mark(v.due),
                status_arg(r.status().kind()),
                kind_arg(r.kind()),
                r.version(),
                r.id(),
                r.ticket().unwrap_or("—"),
                r.subjects()
                    .iter()
                    .map(|s| s.customer_number.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let c = &list.counts;
    say!(
        "{} open: {} due today, {} overdue, {} without a statutory deadline, {} provisional \
         (today is {}, UTC{})",
        c.open,
        c.due_today,
        c.overdue,
        c.no_deadline,
        c.provisional,
        list.today,
        offset_words(minutes)
    );
    Exit::Ok
}

fn offset_words(minutes: Option<i32>) -> String {
    let m = minutes.unwrap_or(0);
    let sign = if m < 0 { '−' } else { '+' };
    format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
}

fn event_words(what: &EventKind) -> String {
    match what {
        EventKind::Created => "opened".to_owned(),
        EventKind::StatusChanged {
            from,
            to,
            forced,
            open,
        } => {
            let mut s = format!("status {} → {}", status_arg(*from), status_arg(*to));
            if *forced {
                s.push_str(&format!(
                    " (closed with open items left open: {})",
                    open_items(open)
                ));
            }
            s
        }
        EventKind::IdentityChecked { matched } => format!(
            "identity check: {}",
            if *matched { "matched" } else { "did not match" }
        ),
        EventKind::Assigned { assignee } => match assignee {
            Some(a) => format!("assigned to {a}"),
            None => "unassigned".to_owned(),
        },
        EventKind::NoteAdded => "note added".to_owned(),
        EventKind::Extended { notice, due } => format!(
            "extended to {} (reasoned notice sent {})",
            iso::format_date(*due),
            iso::format_date(*notice)
        ),
        EventKind::DeadlineRecomputed {
            previous,
            due,
            calendar,
        } => format!(
            "deadline recomputed: {} → {}{}",
            previous.map_or_else(|| "none".to_owned(), iso::format_date),
            due.map_or_else(|| "none".to_owned(), iso::format_date),
            calendar
                .as_deref()
                .map(|c| format!(" (calendar {c})"))
                .unwrap_or_default()
        ),
        EventKind::RemovalLinked(link) => format!(
            "removal for customer {}: {} (audit #{} {})",
            link.customer,
            removal_words(link.result),
            link.audit.seq,
            link.audit.hash
        ),
        EventKind::AuditLinked { audit } => {
            format!("audit entry #{} linked ({})", audit.seq, audit.hash)
        }
        EventKind::DocumentProduced(d) => format!(
            "document: {} {} (sha256 {})",
            document_words(d.kind),
            d.name,
            d.sha256
        ),
    }
}

/// `show`: everything the register holds about one request.
pub fn full(view: &RequestView, minutes: Option<i32>, as_json: bool) -> Exit {
    if as_json {
        return json(view);
    }
    let r = &view.request;
    say!("request {}", r.id());
    say!("  version: {}", r.version());
    say!("  kind: {} — {}", kind_arg(r.kind()), kind_words(r.kind()));
    say!("  status: {}", status_words(r.status()));
    say!(
        "  received: {} by {}",
        received_words(r.received()),
        channel_words(r.channel())
    );
    say!("  ticket: {}", r.ticket().unwrap_or("—"));
    say!("  customers: {}", subjects(r));
    say!("  assignee: {}", r.assignee().unwrap_or("—"));
    for line in deadline_lines(view) {
        say!("  {line}");
    }
    if let Some(d) = r.deadline()
        && let Some(version) = &d.calendar_version
    {
        say!("  calendar: {version}");
    }
    if let Some(x) = r.extension() {
        say!(
            "  extension: reasoned notice sent {} ({}); the last day was {}; by {} at {}",
            iso::format_date(x.notice_sent_on),
            x.reason,
            iso::format_date(x.original_due),
            x.by,
            instant(x.at, minutes)
        );
    }
    if r.identity_checks().is_empty() {
        say!("  identity checks: none");
    } else {
        say!("  identity checks:");
        for c in r.identity_checks() {
            say!(
                "    {}  {}  {} — {}",
                instant(c.at, minutes),
                c.by,
                c.asked,
                if c.matched {
                    "matched"
                } else {
                    "did not match"
                }
            );
        }
    }
    if !r.notes().is_empty() {
        say!("  notes:");
        for n in r.notes() {
            say!("    {}  {}  {}", instant(n.at, minutes), n.by, n.text);
        }
    }
    if view.open_items.is_empty() {
        say!("  open items: none");
    } else {
        say!("  open items: {}", open_items(&view.open_items));
    }
    let removals: Vec<_> = r.removals().collect();
    if !removals.is_empty() {
        say!("  removals:");
        for l in removals {
            say!(
                "    customer {}: {} — audit #{} hash {}{}",
                l.customer,
                removal_words(l.result),
                l.audit.seq,
                l.audit.hash,
                l.settles
                    .map(|s| format!(" (settles #{s})"))
                    .unwrap_or_default()
            );
        }
    }
    say!("  history:");
    for e in r.events() {
        say!(
            "    {}  {}  {}",
            instant(e.at, minutes),
            e.by,
            event_words(&e.what)
        );
    }
    Exit::Ok
}

/// The change `act` made, in the words of the line it prints.
pub fn action_words(action: &RequestAction) -> String {
    match action {
        RequestAction::IdentityCheck { matched, .. } => format!(
            "identity check recorded ({})",
            if *matched { "matched" } else { "did not match" }
        ),
        RequestAction::Status { to, force } => format!(
            "moved to {}{}",
            status_arg(to.kind()),
            if *force { " (forced)" } else { "" }
        ),
        RequestAction::Extend { .. } => "extended".to_owned(),
        RequestAction::Note { .. } => "note added".to_owned(),
        RequestAction::Assign { assignee } => match assignee {
            Some(a) => format!("assigned to {a}"),
            None => "unassigned".to_owned(),
        },
    }
}
