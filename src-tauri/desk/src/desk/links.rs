//! Why: a link from a helpdesk ticket is read here against this desk's profiles: the profile it
//! names must exist, and a production one is flagged so the window opens it read-only until the
//! agent confirms — and so is a link naming no profile while the active one is production, since
//! that is where it opens (crate::deep_link has the link's own rules).

use super::*;
use crate::deep_link::{self, LinkIntent, OpenedLink};
use crate::words::Words;

impl Desk {
    /// Reads a `carddesk://` link; sends nothing anywhere. A profile the link names that this
    /// desk does not have is refused (field `profile`).
    pub fn open_link(&self, link: &str) -> Result<OpenedLink, DeskError> {
        let intent = deep_link::parse(link, OffsetDateTime::now_utc())?;
        let profile = match &intent {
            LinkIntent::Lookup { profile, .. } | LinkIntent::NewRequest { profile, .. } => {
                profile.clone()
            }
        };
        let Some(id) = profile else {
            // The link opens in the active profile: read-only when that is production.
            let active = self.active_id().ok().and_then(|id| self.record(&id).ok());
            return Ok(OpenedLink {
                intent,
                profile_name: None,
                environment: None,
                read_only: active
                    .is_some_and(|(record, _)| record.environment == Environment::Production),
            });
        };
        let (record, _) = self.record(&id).map_err(|_| unknown_profile(&id))?;
        Ok(OpenedLink {
            intent,
            profile_name: Some(record.name.clone()),
            environment: Some(record.environment),
            read_only: record.environment == Environment::Production,
        })
    }
}

/// A link naming a profile this desk does not have: the field and the id, in both languages.
fn unknown_profile(id: &str) -> DeskError {
    let en = format!("names «{id}», which is not a profile of this desk: check the link");
    let ru = format!("указан «{id}», такого профиля в этом приложении нет: проверьте ссылку");
    DeskError::invalid(
        "profile",
        Words::new("profile", "профиль"),
        Words::new(&en, &ru),
    )
}
