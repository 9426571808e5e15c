//! Why: an admin keeps several merchant profiles (test and production hosts, docs/design.md §4),
//! and the app and the CLI must agree on them. They live in one JSON file in the app config dir,
//! written atomically (temp file, fsync, rename) with mode 0600, validated field by field with
//! messages that name the field and the rule. The file never holds a password: those are in the
//! OS keyring under [`crate::secrets::profile_account`], and the draft type has no field for one.
//!
//! The built-in Sandbox profile is not stored here; the app adds it at run time under
//! [`SANDBOX_PROFILE_ID`], which [`Profiles::set_active`] accepts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use assist::{BaseUrl, Language, Login, MerchantId};
use serde::{Deserialize, Serialize};

use crate::{DeskError, Environment, ErrorCode, Words};

/// The file's name inside the app config dir.
pub const PROFILES_FILE: &str = "profiles.json";

/// The id under which the app shows its built-in Sandbox profile.
pub const SANDBOX_PROFILE_ID: &str = "sandbox";

const FILE_VERSION: u32 = 1;
/// Longest profile name, in characters.
pub const NAME_MAX: usize = 60;
const FRESHNESS_MAX: u32 = 7 * 24 * 60;
/// The longest a typed search trusts the cache: a day.
const TYPED_SEARCH_MAX: u32 = 86_400;

/// A known gateway host to pick from when adding a profile (docs/design.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostPreset {
    pub base_url: &'static str,
    pub label: &'static str,
    /// The environment a profile on this host most likely is.
    pub environment: Environment,
}

/// Assist's public hosts. Merchants may also get their own `paymentsNNN` host from support.
pub const PRESETS: &[HostPreset] = &[
    HostPreset {
        base_url: "https://test.paysecure.ru",
        label: "Assist test (RU)",
        environment: Environment::Test,
    },
    HostPreset {
        base_url: "https://payments.demo.paysecure.ru",
        label: "Assist demo (RU)",
        environment: Environment::Test,
    },
    HostPreset {
        base_url: "https://payments.paysecure.ru",
        label: "Assist production (RU)",
        environment: Environment::Production,
    },
    HostPreset {
        base_url: "https://test.paysec.by",
        label: "Assist test (BY)",
        environment: Environment::Test,
    },
    HostPreset {
        base_url: "https://payments.paysec.by",
        label: "Assist production (BY)",
        environment: Environment::Production,
    },
];

/// What the settings form sends: raw text, validated by [`Profiles::create`] and
/// [`Profiles::update`]. Unknown fields (a `password`, say) are refused, not ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileDraft {
    pub name: String,
    /// `sandbox`, `test` or `production` (any case).
    pub environment: String,
    pub base_url: String,
    pub merchant_id: String,
    pub login: String,
    /// `RU` or `EN` (any case).
    pub language: String,
    /// `#rrggbb`.
    pub colour: String,
}

/// A stored profile. No password: see the module note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileRecord {
    pub id: String,
    pub name: String,
    #[serde(with = "environment_text")]
    pub environment: Environment,
    pub base_url: BaseUrl,
    pub merchant_id: MerchantId,
    pub login: Login,
    pub language: Language,
    /// `#rrggbb`, lowercase.
    pub colour: String,
}

/// App-wide preferences kept beside the profiles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Cached card lists younger than this are shown without a refetch; 0 always refetches.
    pub freshness_minutes: u32,
    /// A search the agent types (rather than a view reopened) refetches a cached list older
    /// than this many seconds, however fresh `freshness_minutes` calls it: typing a customer
    /// again means "what is there now". 0 always refetches.
    pub typed_search_seconds: u32,
    /// Whether looked-up customers are remembered in the recent list.
    pub record_lookups: bool,
    /// Whether a revocation needs a ticket reference.
    pub require_ticket: bool,
    /// Whether every view of a customer's cards (live or cached) is written to the audit log
    /// as `viewed_customer`.
    pub record_views: bool,
    /// The operator's name in audit entries; blank means the OS user name.
    pub operator_name: String,
    /// Where the ticket write-back's signed events go (docs/webhooks.md); blank turns it off.
    pub webhook_url: String,
    /// Who the request documents name as the operator (and any processor), and the
    /// information system: Settings → Documents. A file from before these existed loads blank.
    #[serde(default)]
    pub documents: DocumentSettings,
}

/// The merchant's details the request documents print (docs/documents.md): the operator of
/// personal data (the merchant) and its address, a processor acting for it (the gateway, if it
/// is one), and the information system the data are in. Each may be blank; a document that
/// needs one the form (or `--details`) does not give refuses, naming the field. A form may still
/// give its own for one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DocumentSettings {
    pub operator_name: String,
    pub operator_address: String,
    pub processor_name: String,
    pub processor_address: String,
    pub information_system: String,
}

/// Longest text of one of [`DocumentSettings`]' fields, in characters (as a document's own).
pub const DOCUMENT_TEXT_MAX: usize = 300;

impl DocumentSettings {
    /// Trimmed, each field 0–300 characters without control characters; an address needs its
    /// name and a named processor its address. Errors name the field as
    /// `documents.<field>`.
    fn checked(&self) -> Result<DocumentSettings, DeskError> {
        let text = |field: &str, label: Words<'_>, raw: &str| -> Result<String, DeskError> {
            let t = raw.trim();
            if t.chars().count() > DOCUMENT_TEXT_MAX || t.chars().any(char::is_control) {
                return Err(DeskError::invalid(
                    &format!("documents.{field}"),
                    label,
                    Words::new(
                        "must be at most 300 characters without control characters",
                        "не длиннее 300 символов, без управляющих символов",
                    ),
                ));
            }
            Ok(t.to_owned())
        };
        let d = DocumentSettings {
            operator_name: text("operator_name", OPERATOR, &self.operator_name)?,
            operator_address: text("operator_address", OPERATOR_ADDRESS, &self.operator_address)?,
            processor_name: text("processor_name", PROCESSOR, &self.processor_name)?,
            processor_address: text(
                "processor_address",
                PROCESSOR_ADDRESS,
                &self.processor_address,
            )?,
            information_system: text(
                "information_system",
                Words::new("information system", "информационная система"),
                &self.information_system,
            )?,
        };
        if d.operator_name.is_empty() && !d.operator_address.is_empty() {
            return Err(DeskError::invalid(
                "documents.operator_name",
                OPERATOR,
                Words::new(
                    "is needed when the operator's address is given",
                    "нужно, если указан адрес оператора",
                ),
            ));
        }
        if d.processor_name.is_empty() && !d.processor_address.is_empty() {
            return Err(DeskError::invalid(
                "documents.processor_name",
                PROCESSOR,
                Words::new(
                    "is needed when the processor's address is given",
                    "нужно, если указан адрес обработчика",
                ),
            ));
        }
        if !d.processor_name.is_empty() && d.processor_address.is_empty() {
            return Err(DeskError::invalid(
                "documents.processor_address",
                PROCESSOR_ADDRESS,
                Words::new(
                    "is needed when a processor is named",
                    "нужен, если указан обработчик",
                ),
            ));
        }
        Ok(d)
    }
}

const OPERATOR: Words<'static> = Words::new("operator's name", "наименование оператора");
const OPERATOR_ADDRESS: Words<'static> = Words::new("operator's address", "адрес оператора");
const PROCESSOR: Words<'static> = Words::new("processor's name", "наименование обработчика");
const PROCESSOR_ADDRESS: Words<'static> = Words::new("processor's address", "адрес обработчика");

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            freshness_minutes: 15,
            typed_search_seconds: 60,
            record_lookups: true,
            require_ticket: true,
            record_views: true,
            operator_name: String::new(),
            webhook_url: String::new(),
            documents: DocumentSettings::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfilesFile {
    version: u32,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    profiles: Vec<ProfileRecord>,
    #[serde(default)]
    settings: Settings,
}

impl Default for ProfilesFile {
    fn default() -> ProfilesFile {
        ProfilesFile {
            version: FILE_VERSION,
            active: None,
            profiles: Vec::new(),
            settings: Settings::default(),
        }
    }
}

/// The profiles file, loaded; every change is saved before it returns.
#[derive(Debug)]
pub struct Profiles {
    path: PathBuf,
    file: ProfilesFile,
    /// Profiles still legible in a damaged file that was set aside: a profile re-added with
    /// the same host, merchant and login gets its old id back, and so finds its password in
    /// the keyring (stored under the id).
    salvaged: Vec<Salvaged>,
}

/// What identifies a profile in a damaged file, read line by line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Salvaged {
    id: String,
    base_url: String,
    merchant_id: String,
    login: String,
}

impl Profiles {
    /// Loads `<config_dir>/`[`PROFILES_FILE`]; a missing file is an empty list.
    pub fn open(config_dir: &Path) -> Result<Profiles, DeskError> {
        let path = config_dir.join(PROFILES_FILE);
        let file = match fs::read(&path) {
            Ok(bytes) => parse(&path, &bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ProfilesFile::default(),
            Err(e) => {
                return Err(DeskError::internal(format!(
                    "could not read {}: {e}",
                    path.display()
                )));
            }
        };
        Ok(Profiles {
            path,
            file,
            salvaged: Vec::new(),
        })
    }

    /// [`Profiles::open`], but a file that is not valid profiles (garbage, a cut-short write,
    /// an unknown version) does not stop the app: it is renamed to
    /// `profiles.json.broken-<UTC time>` (kept for the user, never deleted) and an empty list
    /// is used. Returns the saved copy's path when that happened. A file that cannot be read
    /// at all (permissions, I/O) is still an error.
    pub fn open_or_set_aside(config_dir: &Path) -> Result<(Profiles, Option<PathBuf>), DeskError> {
        let path = config_dir.join(PROFILES_FILE);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Profiles::open(config_dir)?, None));
            }
            Err(e) => {
                return Err(DeskError::internal(format!(
                    "could not read {}: {e}",
                    path.display()
                )));
            }
        };
        match parse(&path, &bytes) {
            Ok(file) => Ok((
                Profiles {
                    path,
                    file,
                    salvaged: Vec::new(),
                },
                None,
            )),
            Err(_) => {
                let saved = set_aside(&path)?;
                Ok((
                    Profiles {
                        path,
                        file: ProfilesFile::default(),
                        salvaged: salvage(&bytes),
                    },
                    Some(saved),
                ))
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn list(&self) -> &[ProfileRecord] {
        &self.file.profiles
    }

    pub fn get(&self, id: &str) -> Option<&ProfileRecord> {
        self.file.profiles.iter().find(|p| p.id == id)
    }

    /// The active profile's id: a stored id, [`SANDBOX_PROFILE_ID`], or `None` (first run).
    pub fn active_id(&self) -> Option<&str> {
        self.file.active.as_deref()
    }

    pub fn settings(&self) -> Settings {
        self.file.settings.clone()
    }

    /// Validates `draft` and stores it as a new profile with a fresh id.
    pub fn create(&mut self, draft: &ProfileDraft) -> Result<ProfileRecord, DeskError> {
        let mut record = validate(
            &uuid::Uuid::new_v4().to_string(),
            draft,
            &self.file.profiles,
        )?;
        if let Some(old) = self.salvaged.iter().find(|s| {
            s.base_url == record.base_url.to_string()
                && s.merchant_id == record.merchant_id.to_string()
                && s.login == record.login.to_string()
                && self.get(&s.id).is_none()
        }) {
            record.id = old.id.clone();
        }
        let mut next = self.file.clone();
        next.profiles.push(record.clone());
        self.commit(next)?;
        Ok(record)
    }

    /// Validates `draft` and replaces profile `id` with it (the id stays).
    pub fn update(&mut self, id: &str, draft: &ProfileDraft) -> Result<ProfileRecord, DeskError> {
        let i = self.position(id)?;
        let record = validate(id, draft, &self.file.profiles)?;
        let mut next = self.file.clone();
        next.profiles[i] = record.clone();
        self.commit(next)?;
        Ok(record)
    }

    /// Removes profile `id`; if it was active, no profile is active afterwards. The caller
    /// also removes its password from the keyring.
    pub fn delete(&mut self, id: &str) -> Result<ProfileRecord, DeskError> {
        let i = self.position(id)?;
        let mut next = self.file.clone();
        let removed = next.profiles.remove(i);
        if next.active.as_deref() == Some(id) {
            next.active = None;
        }
        self.commit(next)?;
        Ok(removed)
    }

    /// Makes `id` (a stored profile or [`SANDBOX_PROFILE_ID`]) the active profile.
    pub fn set_active(&mut self, id: &str) -> Result<(), DeskError> {
        if id != SANDBOX_PROFILE_ID {
            self.position(id)?;
        }
        let mut next = self.file.clone();
        next.active = Some(id.to_owned());
        self.commit(next)
    }

    pub fn set_settings(&mut self, settings: Settings) -> Result<(), DeskError> {
        if settings.freshness_minutes > FRESHNESS_MAX {
            return Err(invalid(
                Words::new("freshness minutes", "срок свежести"),
                "must be 0–10080 (at most a week)",
                "от 0 до 10080 минут (не больше недели)",
            ));
        }
        if settings.typed_search_seconds > TYPED_SEARCH_MAX {
            return Err(invalid(
                Words::new("typed search seconds", "повторный поиск"),
                "must be 0–86400 (at most a day)",
                "от 0 до 86400 секунд (не больше суток)",
            ));
        }
        let name = settings.operator_name.trim();
        if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            return Err(invalid(
                Words::new("operator name", "имя оператора"),
                "must be at most 60 characters without control characters",
                "не длиннее 60 символов, без управляющих символов",
            ));
        }
        crate::desk::check_webhook_url(&settings.webhook_url)?;
        let documents = settings.documents.checked()?;
        let mut next = self.file.clone();
        next.settings = Settings {
            operator_name: name.to_owned(),
            webhook_url: settings.webhook_url.trim().to_owned(),
            documents,
            ..settings
        };
        self.commit(next)
    }

    fn position(&self, id: &str) -> Result<usize, DeskError> {
        self.file
            .profiles
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| {
                DeskError::new(ErrorCode::NotFound, format!("no profile with id {id}"))
                    .ru(format!("профиля с номером {id} нет"))
            })
    }

    fn commit(&mut self, next: ProfilesFile) -> Result<(), DeskError> {
        let mut bytes = serde_json::to_vec_pretty(&next)
            .map_err(|e| DeskError::internal(format!("could not encode profiles: {e}")))?;
        bytes.push(b'\n');
        write_atomically(&self.path, &bytes).map_err(|e| {
            DeskError::internal(format!("could not save {}: {e}", self.path.display()))
        })?;
        self.file = next;
        Ok(())
    }
}

/// The fields of a profile as people say them (the window's labels); the machine name is the
/// English label.
const NAME: Words<'static> = Words::new("name", "название");
const COLOUR: Words<'static> = Words::new("colour", "цвет");
const ENVIRONMENT: Words<'static> = Words::new("environment", "среда");

fn invalid(label: Words<'_>, en: &str, ru: &str) -> DeskError {
    DeskError::invalid(&label.en.replace(' ', "_"), label, Words::new(en, ru))
}

fn validate(
    id: &str,
    draft: &ProfileDraft,
    existing: &[ProfileRecord],
) -> Result<ProfileRecord, DeskError> {
    let name = validate_name(&draft.name)?;
    if existing
        .iter()
        .any(|p| p.id != id && p.name.to_lowercase() == name.to_lowercase())
    {
        return Err(invalid(
            NAME,
            "must be unique (another profile has this name)",
            "должно быть своим (такое название уже у другого профиля)",
        ));
    }
    Ok(ProfileRecord {
        id: id.to_owned(),
        name,
        environment: parse_environment(&draft.environment)?,
        base_url: BaseUrl::new(draft.base_url.trim())?,
        merchant_id: MerchantId::new(draft.merchant_id.trim())?,
        login: Login::new(draft.login.as_str())?,
        language: Language::new(draft.language.trim())?,
        colour: validate_colour(&draft.colour)?,
    })
}

fn validate_name(raw: &str) -> Result<String, DeskError> {
    let name = raw.trim();
    if !(1..=NAME_MAX).contains(&name.chars().count()) {
        return Err(invalid(
            NAME,
            "must be 1–60 characters",
            "от 1 до 60 символов",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            NAME,
            "must not contain control characters",
            "без управляющих символов",
        ));
    }
    Ok(name.to_owned())
}

fn validate_colour(raw: &str) -> Result<String, DeskError> {
    let colour = raw.trim();
    let ok = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(colour.to_ascii_lowercase())
    } else {
        Err(invalid(
            COLOUR,
            "must be #rrggbb (a # and six hex digits)",
            "в виде #rrggbb (# и шесть шестнадцатеричных цифр)",
        ))
    }
}

fn parse_environment(raw: &str) -> Result<Environment, DeskError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "sandbox" => Ok(Environment::Sandbox),
        "test" => Ok(Environment::Test),
        "production" => Ok(Environment::Production),
        _ => Err(invalid(
            ENVIRONMENT,
            "must be sandbox, test or production",
            "sandbox, test или production",
        )),
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<ProfilesFile, DeskError> {
    let bad = |detail: String| {
        DeskError::internal(format!(
            "the profiles file {} is not valid: {detail}",
            path.display()
        ))
    };
    let file: ProfilesFile = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    if file.version != FILE_VERSION {
        return Err(bad(format!("unknown version {}", file.version)));
    }
    for (i, p) in file.profiles.iter().enumerate() {
        let clash = file.profiles[..i].iter().any(|q| q.id == p.id);
        if p.id.is_empty() || clash {
            return Err(bad(format!(
                "profile {} has an empty or repeated id",
                i + 1
            )));
        }
        validate_name(&p.name).map_err(|e| bad(e.message))?;
        validate_colour(&p.colour).map_err(|e| bad(e.message))?;
    }
    Ok(file)
}

/// Reads what it can of a damaged profiles file, the way the desk writes it (pretty JSON, one
/// member a line): each `"id"` line starts a profile, and its `"baseUrl"`, `"merchantId"`
/// and `"login"` lines complete it. Garbage yields nothing.
fn salvage(bytes: &[u8]) -> Vec<Salvaged> {
    let text = String::from_utf8_lossy(bytes);
    let mut out: Vec<Salvaged> = Vec::new();
    for line in text.lines() {
        let Some((name, value)) = line.trim().trim_end_matches(',').split_once(':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            serde_json::from_str::<String>(name.trim()),
            serde_json::from_str::<String>(value.trim()),
        ) else {
            continue;
        };
        match name.as_str() {
            "id" => out.push(Salvaged {
                id: value,
                ..Salvaged::default()
            }),
            "baseUrl" | "merchantId" | "login" => {
                if let Some(last) = out.last_mut() {
                    let slot = match name.as_str() {
                        "baseUrl" => &mut last.base_url,
                        "merchantId" => &mut last.merchant_id,
                        _ => &mut last.login,
                    };
                    *slot = value;
                }
            }
            _ => {}
        }
    }
    out.retain(|s| !s.id.is_empty() && !s.merchant_id.is_empty() && !s.login.is_empty());
    out
}

/// Renames a damaged profiles file to `<name>.broken-<UTC time>` beside it (a number is added
/// if that name is taken) and returns the new path.
fn set_aside(path: &Path) -> Result<PathBuf, DeskError> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_else(|_| "unknown-time".to_owned());
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(PROFILES_FILE);
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut saved = dir.join(format!("{name}.broken-{stamp}"));
    let mut n = 1;
    while saved.exists() {
        n += 1;
        saved = dir.join(format!("{name}.broken-{stamp}-{n}"));
    }
    fs::rename(path, &saved).map_err(|e| {
        DeskError::internal(format!(
            "the profiles file {} is damaged and could not be set aside as {}: {e}",
            path.display(),
            saved.display()
        ))
    })?;
    Ok(saved)
}

/// Writes a sibling temp file (mode 0600 on unix), syncs it, renames it over `path`, then syncs
/// the directory: a crash leaves either the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    desk_store::private_fs::create_private_dir(dir)?;
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| std::io::Error::other(e.to_string()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(PROFILES_FILE);
    let tmp = dir.join(format!(".{name}.{}.tmp", hex::encode(nonce)));
    let written = (|| {
        let mut f =
            desk_store::private_fs::owner_only(fs::OpenOptions::new().write(true).create_new(true))
                .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        // Best effort: some filesystems refuse to fsync a directory.
        let _ = d.sync_all();
    }
    Ok(())
}

/// `Environment` as the text the UI uses (`sandbox`, `test`, `production`).
mod environment_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::Environment;

    pub fn serialize<S: Serializer>(env: &Environment, s: S) -> Result<S::Ok, S::Error> {
        env.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Environment, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_environment(&text).map_err(|e| serde::de::Error::custom(e.message))
    }
}
