//! Why: the gateway is a ColdFusion service whose JSON typing is loose: codes arrive as numbers
//! or strings, `bin` as a number, booleans as `"YES"`, empty values as `""` (docs/assist-api.md
//! §12.3, §12.7, §12.9). [`Scalar`] accepts any JSON value without failing, and the helpers
//! here turn it into what we mean.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Any JSON value, seen as a scalar. Arrays and objects are skipped and kept as `Compound`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Scalar {
    #[default]
    Missing,
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Compound,
}

impl Scalar {
    /// Text as sent: strings verbatim, numbers and booleans in their JSON spelling.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Self::Str(s) => Some(s.clone()),
            Self::Int(n) => Some(n.to_string()),
            Self::UInt(n) => Some(n.to_string()),
            Self::Float(x) => Some(float_text(*x)),
            Self::Bool(b) => Some(b.to_string()),
            Self::Missing | Self::Null | Self::Compound => None,
        }
    }

    pub(crate) fn into_text(self) -> Option<String> {
        match self {
            Self::Str(s) => Some(s),
            other => other.text(),
        }
    }

    /// A non-negative integer code: `7`, `"7"`, `" 7 "`, `7.0`, `"7.0"`.
    pub(crate) fn code(&self) -> Option<u32> {
        match self {
            Self::Int(n) => u32::try_from(*n).ok(),
            Self::UInt(n) => u32::try_from(*n).ok(),
            Self::Float(x) if x.fract() == 0.0 && *x >= 0.0 && *x <= f64::from(u32::MAX) => {
                // Exact: an integral value within u32 range.
                format!("{x:.0}").parse().ok()
            }
            Self::Str(s) => {
                let t = s.trim();
                let t = t.strip_suffix(".0").unwrap_or(t);
                t.parse().ok()
            }
            _ => None,
        }
    }

    /// A ColdFusion boolean: `true/false`, `1/0`, `"true"/"false"`, `"1"/"0"`, `"YES"/"NO"`,
    /// `"Y"/"N"`, in any case (docs/assist-api.md §12.9). Anything else is `None`.
    pub(crate) fn flag(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            Self::Int(n) => zero_one(i128::from(*n)),
            Self::UInt(n) => zero_one(i128::from(*n)),
            Self::Float(x) if *x == 0.0 => Some(false),
            Self::Float(x) if *x == 1.0 => Some(true),
            Self::Str(s) => {
                let t = s.trim();
                let yes = ["true", "1", "yes", "y"];
                let no = ["false", "0", "no", "n"];
                if yes.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                    Some(true)
                } else if no.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                    Some(false)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// A digit string left-padded with zeros to at least `width` (§12.7): `bin` 412362 or
    /// "412362" → "412362", `post` 28 → "0028". Text that is not digits is kept trimmed, as sent.
    pub(crate) fn digits(&self, width: usize) -> String {
        let raw = match self {
            Self::Float(x) if x.fract() == 0.0 && *x >= 0.0 => format!("{x:.0}"),
            other => other.text().unwrap_or_default(),
        };
        let t = raw.trim();
        let t = match t.strip_suffix(".0") {
            Some(head) if !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit()) => head,
            _ => t,
        };
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            format!("{t:0>width$}")
        } else {
            t.to_owned()
        }
    }

    /// A pixel size: a non-negative integer, as number or string; `null` and junk are `None`.
    pub(crate) fn size(&self) -> Option<u32> {
        self.code()
    }

    /// Sent, and not `null`.
    pub(crate) fn is_present(&self) -> bool {
        !matches!(self, Self::Missing | Self::Null)
    }

    /// The JSON type, for messages: "a string", "null", …
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Missing => "nothing",
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Int(_) | Self::UInt(_) | Self::Float(_) => "a number",
            Self::Str(_) => "a string",
            Self::Compound => "an array or object",
        }
    }
}

fn zero_one(n: i128) -> Option<bool> {
    match n {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

fn float_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::UInt(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Compound)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Compound)
    }
}

/// An object key matched without regard to ASCII case (ColdFusion structs are
/// case-insensitive, docs/assist-api.md §3.1), without allocating.
pub(crate) struct Key<K>(pub(crate) Option<K>);

/// The keys one object kind knows, matched case-insensitively.
pub(crate) trait KnownKeys: Sized {
    fn lookup(key: &str) -> Option<Self>;
}

impl<'de, K: KnownKeys> Deserialize<'de> for Key<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<K>(std::marker::PhantomData<K>);
        impl<K: KnownKeys> Visitor<'_> for KeyVisitor<K> {
            type Value = Key<K>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<K>, E> {
                Ok(Key(K::lookup(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}

/// Declares the keys one object kind knows, each with its accepted spellings, matched without
/// regard to ASCII case. Unknown keys map to `None` and are skipped by the readers.
macro_rules! known_keys {
    ($vis:vis $keys:ident { $($variant:ident: $($spelling:literal)|+),+ $(,)? }) => {
        $vis enum $keys { $($variant),+ }
        impl $crate::lenient::KnownKeys for $keys {
            fn lookup(key: &str) -> Option<Self> {
                $(if [$($spelling),+].iter().any(|s| key.eq_ignore_ascii_case(s)) {
                    return Some(Self::$variant);
                })+
                None
            }
        }
    };
}
pub(crate) use known_keys;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn s(json: &str) -> Scalar {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn codes_from_numbers_and_strings() {
        for (json, want) in [
            ("7", Some(7)),
            ("\"141\"", Some(141)),
            ("\" 10 \"", Some(10)),
            ("7.0", Some(7)),
            ("\"7.0\"", Some(7)),
            ("-1", None),
            ("7.5", None),
            ("\"seven\"", None),
            ("null", None),
            ("[7]", None),
            ("99999999999", None),
        ] {
            assert_eq!(s(json).code(), want, "{json}");
        }
    }

    #[test]
    fn coldfusion_booleans() {
        for (json, want) in [
            ("true", Some(true)),
            ("false", Some(false)),
            ("1", Some(true)),
            ("0", Some(false)),
            ("\"true\"", Some(true)),
            ("\"FALSE\"", Some(false)),
            ("\"1\"", Some(true)),
            ("\"0\"", Some(false)),
            ("\"YES\"", Some(true)),
            ("\"no\"", Some(false)),
            ("\"Yes\"", Some(true)),
            ("2", None),
            ("\"maybe\"", None),
            ("null", None),
            ("{}", None),
        ] {
            assert_eq!(s(json).flag(), want, "{json}");
        }
    }

    #[test]
    fn digit_strings_are_padded() {
        assert_eq!(s("412362").digits(6), "412362");
        assert_eq!(s("\"412362\"").digits(6), "412362");
        assert_eq!(s("12362").digits(6), "012362");
        assert_eq!(s("41236201").digits(6), "41236201");
        assert_eq!(s("412362.0").digits(6), "412362");
        assert_eq!(s("28").digits(4), "0028");
        assert_eq!(s("\"0028\"").digits(4), "0028");
        assert_eq!(s("\"28\"").digits(4), "0028");
        assert_eq!(s("\"4123**\"").digits(6), "4123**");
        assert_eq!(s("null").digits(6), "");
        assert_eq!(s("[1]").digits(6), "");
    }
}
