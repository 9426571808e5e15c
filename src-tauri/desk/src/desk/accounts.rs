//! Why: profiles and their secrets, in one place: which profile is active, the status the UI
//! shows (with each password's presence, never the password), saving and deleting profiles,
//! setting passwords in the keyring, the gateway client each profile gets and "Test
//! connection".

use assist::{ClientConfig, CustomerNumber, Password};
use zeroize::Zeroizing;

use super::*;

impl Desk {
    pub(super) fn record(&self, id: &str) -> Result<(ProfileRecord, bool), DeskError> {
        if let Some(s) = self.sandbox.as_ref().filter(|s| s.id == id) {
            return Ok((s.clone(), true));
        }
        lock(&self.profiles)
            .get(id)
            .cloned()
            .map(|r| (r, false))
            .ok_or_else(|| {
                DeskError::new(
                    ErrorCode::NotFound,
                    format!("profile {id}: no such profile"),
                )
                .ru(format!("профиль {id}: такого профиля нет"))
            })
    }

    pub(super) fn all_records(&self) -> Vec<(ProfileRecord, bool)> {
        let mut all: Vec<_> = self.sandbox.iter().map(|s| (s.clone(), true)).collect();
        all.extend(
            lock(&self.profiles)
                .list()
                .iter()
                .map(|r| (r.clone(), false)),
        );
        all
    }

    /// The active profile: the stored choice if it still exists, else the sandbox, else the
    /// first profile.
    pub fn active_id(&self) -> Result<String, DeskError> {
        let stored = lock(&self.profiles).active_id().map(str::to_owned);
        let all = self.all_records();
        if let Some(id) = stored.filter(|id| all.iter().any(|(r, _)| &r.id == id)) {
            return Ok(id);
        }
        all.first().map(|(r, _)| r.id.clone()).ok_or_else(|| {
            DeskError::new(ErrorCode::NotFound, "no profile yet: add one in Settings")
                .ru("профилей пока нет: добавьте профиль в настройках")
        })
    }

    pub(super) fn settings(&self) -> Settings {
        lock(&self.profiles).settings()
    }

    /// Whether a password is stored for profile `id`; `None` when the keyring could not be
    /// asked (not the same as "no password": the UI says the status is unknown).
    pub(super) async fn has_password(&self, id: &str) -> Option<bool> {
        let account = profile_account(id);
        secrets::blocking(self.secrets.clone(), move |s| s.get(&account))
            .await
            .map(|p| p.is_some())
            .ok()
    }

    pub async fn status(&self) -> Result<DeskStatus, DeskError> {
        let mut profiles = Vec::new();
        for (record, built_in) in self.all_records() {
            let has_password = if built_in {
                Some(true)
            } else {
                self.has_password(&record.id).await
            };
            profiles.push(ProfileView::new(&record, built_in, has_password));
        }
        Ok(DeskStatus {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            secret_store: self.secret_status.clone(),
            active_profile_id: self.active_id()?,
            profiles,
            settings: self.settings(),
            presets: PRESETS.iter().map(PresetView::from).collect(),
            audit_problem: self.audit_problem(),
            recovering: self.recovering.load(std::sync::atomic::Ordering::SeqCst),
            checking: self.checking(),
            notices: self.notices(),
        })
    }

    /// Creates (no `id`) or updates a profile, and sets its password when one is given. The
    /// password is checked first, so a bad one saves nothing.
    pub async fn save_profile(
        &self,
        id: Option<&str>,
        draft: &ProfileDraft,
        password: Option<String>,
    ) -> Result<ProfileView, DeskError> {
        let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
        if let Some(p) = &password {
            Password::new(p.as_str())?;
        }
        if id == Some(SANDBOX_PROFILE_ID) {
            return Err(DeskError::new(
                ErrorCode::Validation,
                "profile: the built-in sandbox profile cannot be changed",
            )
            .ru("профиль: встроенный профиль песочницы не изменяется"));
        }
        let record = {
            let mut profiles = lock(&self.profiles);
            match id {
                Some(id) => profiles.update(id, draft)?,
                None => profiles.create(draft)?,
            }
        };
        lock(&self.clients).remove(&record.id);
        if let Some(password) = password {
            self.put_password(&record.id, password).await?;
        }
        let has_password = self.has_password(&record.id).await;
        Ok(ProfileView::new(&record, false, has_password))
    }

    /// Stores an already validated password in the secret store (only ever written, never read
    /// back to the UI).
    pub(super) async fn put_password(
        &self,
        id: &str,
        password: Zeroizing<String>,
    ) -> Result<(), DeskError> {
        let account = profile_account(id);
        secrets::blocking(self.secrets.clone(), move |s| {
            s.put(&account, password.as_str())
        })
        .await?;
        lock(&self.clients).remove(id);
        Ok(())
    }

    pub async fn set_password(&self, id: &str, password: String) -> Result<(), DeskError> {
        let (_, built_in) = self.record(id)?;
        if built_in {
            return Err(DeskError::new(
                ErrorCode::Validation,
                "password: the sandbox profile uses the demo credentials",
            )
            .ru("пароль: у профиля песочницы демо-доступ, свой пароль ему не задаётся"));
        }
        let password = Zeroizing::new(password);
        Password::new(password.as_str())?;
        self.put_password(id, password).await
    }

    pub async fn clear_password(&self, id: &str) -> Result<(), DeskError> {
        let account = profile_account(id);
        secrets::blocking(self.secrets.clone(), move |s| s.remove(&account)).await?;
        lock(&self.clients).remove(id);
        Ok(())
    }

    pub async fn delete_profile(&self, id: &str) -> Result<(), DeskError> {
        if id == SANDBOX_PROFILE_ID {
            return Err(DeskError::new(
                ErrorCode::Validation,
                "profile: the built-in sandbox profile cannot be deleted",
            )
            .ru("профиль: встроенный профиль песочницы не удаляется"));
        }
        lock(&self.profiles).delete(id)?;
        self.clear_password(id).await
    }

    pub fn activate(&self, id: &str) -> Result<(), DeskError> {
        self.record(id)?;
        lock(&self.profiles).set_active(id)
    }

    pub fn save_settings(&self, settings: Settings) -> Result<Settings, DeskError> {
        let mut profiles = lock(&self.profiles);
        profiles.set_settings(settings)?;
        Ok(profiles.settings())
    }

    pub(super) async fn client(
        &self,
        record: &ProfileRecord,
        built_in: bool,
    ) -> Result<Client, DeskError> {
        if let Some(c) = lock(&self.clients).get(&record.id) {
            return Ok(c.clone());
        }
        let password = if built_in {
            Password::new(SANDBOX_PASSWORD)?
        } else {
            let account = profile_account(&record.id);
            let secret = secrets::blocking(self.secrets.clone(), move |s| s.get(&account)).await?;
            match secret {
                Some(p) => Password::new(p.as_str())?,
                None => {
                    return Err(DeskError::new(
                        ErrorCode::CredentialsMissing,
                        format!(
                            "profile {}: no password is set; add it in Settings",
                            record.name
                        ),
                    )
                    .ru(format!(
                        "профиль «{}»: пароль не задан; добавьте его в настройках",
                        record.name
                    )));
                }
            }
        };
        let mut config = ClientConfig::new(
            record.base_url.clone(),
            record.merchant_id.clone(),
            record.login.clone(),
            password,
        );
        config.language = Some(record.language);
        let client = Client::new(config)?;
        lock(&self.clients).insert(record.id.clone(), client.clone());
        Ok(client)
    }

    /// One lookup of a probe customer, explained.
    pub async fn test_connection(&self, id: &str) -> Result<ConnectionCheck, DeskError> {
        let (record, built_in) = self.record(id)?;
        let client = match self.client(&record, built_in).await {
            Ok(c) => c,
            Err(e) if e.code == ErrorCode::CredentialsMissing => {
                return Ok(ConnectionCheck {
                    verdict: Verdict::NoPassword,
                    message: e.message,
                    ru: e.ru,
                });
            }
            Err(e) => return Err(e),
        };
        let probe = CustomerNumber::new(PROBE_CUSTOMER)?;
        let (verdict, message, ru) = match client.list_cards(&probe).await {
            Ok(_) => (
                Verdict::Ok,
                "the gateway accepted the credentials".to_owned(),
                "шлюз принял учётные данные".to_owned(),
            ),
            Err(e) => {
                let verdict = match e.fault() {
                    Some(f) if f.is_bad_credentials() => Verdict::BadCredentials,
                    Some(f) if f.denies_access() => Verdict::NoAccess,
                    // "No such customer": the gateway took the credentials.
                    Some(f) if f.is_not_found() => Verdict::Ok,
                    Some(_) => Verdict::Failed,
                    None if e.is_untrusted_certificate() => Verdict::UntrustedCertificate,
                    None if matches!(e, assist::Error::Transport { .. }) => Verdict::Unreachable,
                    None => Verdict::Failed,
                };
                (verdict, e.to_string(), e.render(assist::Language::Ru))
            }
        };
        Ok(ConnectionCheck {
            verdict,
            message,
            ru: Some(ru),
        })
    }
}
