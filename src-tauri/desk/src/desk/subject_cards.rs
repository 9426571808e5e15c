//! Why: a request names each customer on one profile or on "all profiles", and what a document
//! says about the cards held must cover exactly that. For "all profiles" every profile the desk
//! knows is read now, and one that cannot be read is named, never skipped: a confirmation or an
//! act of destruction that missed a profile would claim more than is true, and an access answer
//! that missed one would be incomplete.

use assist::Card;
use desk_requests::model::{ProfileRef, Subject};

use super::*;
use crate::words::Words;

const DOCUMENT: Words<'static> = Words::new("document", "документ");

/// One profile a subject covers and its card list for the subject's customer, read now.
pub(super) struct ProfileCards {
    pub record: ProfileRecord,
    pub cards: Result<Vec<Card>, DeskError>,
}

/// Whether a subject covers every profile.
pub(super) fn all_profiles(subject: &Subject) -> bool {
    matches!(subject.profile, ProfileRef::AllProfiles)
}

impl Desk {
    /// The profiles `subject` covers (its own, or every one for "all profiles"), each with the
    /// customer's card list read from the gateway now. A profile named by the subject that no
    /// longer exists is an error; a read that failed is kept per profile.
    pub(super) async fn subject_cards(
        &self,
        subject: &Subject,
    ) -> Result<Vec<ProfileCards>, DeskError> {
        let records = match &subject.profile {
            ProfileRef::Profile(p) => vec![self.record(p)?],
            ProfileRef::AllProfiles => self.all_records(),
        };
        let customer = &subject.customer_number;
        let reads = records.iter().map(|(record, built_in)| async move {
            let client = self.client(record, *built_in).await?;
            client.list_cards(customer).await.map_err(DeskError::from)
        });
        let results = futures_util::future::join_all(reads).await;
        Ok(records
            .into_iter()
            .zip(results)
            .map(|((record, _), cards)| ProfileCards { record, cards })
            .collect())
    }

    /// Every profile `subject` covers, each read now and holding no saved card for its
    /// customer; else refused, naming the profile that still holds cards or could not be read.
    /// For a subject on one profile the errors are that profile's own and `held` is the
    /// refusal when it still holds cards.
    pub(super) async fn none_held(
        &self,
        subject: &Subject,
        held: impl FnOnce() -> DeskError,
    ) -> Result<Vec<ProfileRecord>, DeskError> {
        let read = self.subject_cards(subject).await?;
        let every = all_profiles(subject);
        let customer = subject.customer_number.as_str();
        let mut records = Vec::with_capacity(read.len());
        for ProfileCards { record, cards } in read {
            match cards {
                Err(e) if every => return Err(unreadable(&record, customer, e)),
                Err(e) => return Err(e),
                Ok(cards) if cards.is_empty() => records.push(record),
                Ok(cards) if every => {
                    return Err(still_held(&record, customer, cards.len()));
                }
                Ok(_) => return Err(held()),
            }
        }
        Ok(records)
    }
}

/// A profile of an "all profiles" subject that still holds cards: named, with the count.
fn still_held(record: &ProfileRecord, customer: &str, n: usize) -> DeskError {
    let en = format!(
        "the request covers all profiles and profile «{}» still holds {n} saved card{} for \
         customer {customer} at the gateway: remove them for this request first",
        record.name,
        if n == 1 { "" } else { "s" },
    );
    let ru = format!(
        "обращение касается всех профилей, а в профиле «{}» у клиента {customer} ещё есть \
         сохранённые карты в шлюзе ({n}): сначала удалите их по этому обращению",
        record.name,
    );
    DeskError::invalid("document", DOCUMENT, Words::new(&en, &ru))
}

/// A profile of an "all profiles" subject whose card list could not be read: named, with the
/// reason; the error keeps its code (a missing password, an unreachable gateway) so the window
/// can say what to do.
pub(super) fn unreadable(record: &ProfileRecord, customer: &str, e: DeskError) -> DeskError {
    DeskError::new(
        e.code,
        format!(
            "document: the request covers all profiles and the card list of customer \
             {customer} in profile «{}» could not be read ({}): every profile must be read \
             before the document can say what is held",
            record.name, e.message
        ),
    )
    .ru(format!(
        "документ: обращение касается всех профилей, а список карт клиента {customer} в \
         профиле «{}» прочитать не удалось ({}): документ составляется только после чтения \
         всех профилей",
        record.name,
        e.ru.as_deref().unwrap_or(&e.message)
    ))
    .with_field("document")
}
