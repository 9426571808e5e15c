//! Why: a link from a helpdesk ticket is read here against this desk's profiles: the profile it
//! names must exist, and a production one is flagged so the window opens it read-only until the
//! agent confirms (crate::deep_link has the link's own rules).

use super::*;
use crate::deep_link::{self, LinkIntent, OpenedLink};

impl Desk {
    /// Reads a `carddesk://` link; sends nothing anywhere.
    pub fn open_link(&self, link: &str) -> Result<OpenedLink, DeskError> {
        let intent = deep_link::parse(link, OffsetDateTime::now_utc())?;
        let profile = match &intent {
            LinkIntent::Lookup { profile, .. } | LinkIntent::NewRequest { profile, .. } => {
                profile.clone()
            }
        };
        let Some(id) = profile else {
            return Ok(OpenedLink {
                intent,
                profile_name: None,
                environment: None,
                read_only: false,
            });
        };
        let (record, _) = self.record(&id)?;
        Ok(OpenedLink {
            intent,
            profile_name: Some(record.name.clone()),
            environment: Some(record.environment),
            read_only: record.environment == Environment::Production,
        })
    }
}
