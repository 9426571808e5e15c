//! Why: a fault arrives framed (`{"fault":{…}}`, docs/assist-api.md §4.4) or bare
//! (`{"faultcode":…}`, §12.3), with codes as numbers or strings and `detail` as a string or a
//! `{message, recomendation}` object. These readers fold every variant into one [`Fault`].

use serde::de::{IgnoredAny, MapAccess};

use super::shape::{FromMap, Shape};
use crate::fault::Fault;
use crate::lenient::{Key, Scalar, known_keys};

known_keys!(pub(super) FaultKey {
    Detail: "detail",
    First: "faultcode" | "firstcode",
    Second: "faultstring" | "secondcode",
});

/// The fault's own members. `firstcode`/`secondcode` are the XML spellings (§6).
#[derive(Default)]
pub(super) struct FaultFields {
    first: Scalar,
    second: Scalar,
    detail: Shape<DetailObject, IgnoredAny>,
}

impl FaultFields {
    /// Reads one member into its slot; the caller has already matched the key.
    pub(super) fn read<'de, A: MapAccess<'de>>(
        &mut self,
        key: FaultKey,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            FaultKey::Detail => self.detail = map.next_value()?,
            FaultKey::First => self.first = map.next_value()?,
            FaultKey::Second => self.second = map.next_value()?,
        }
        Ok(())
    }

    /// Whether a code is present, i.e. a bare object is a fault (§12.3).
    pub(super) fn has_code(&self) -> bool {
        self.first.is_present() || self.second.is_present()
    }

    pub(super) fn into_fault(self) -> Fault {
        let (message, recommendation) = match self.detail {
            Shape::Map(object) => (object.message, object.recommendation),
            Shape::Scalar(text) => (text.into_text(), None),
            Shape::Seq(_) => (None, None),
        };
        let second = self.second.code();
        let mut detail = message.unwrap_or_default();
        // `faultstring` carries a code (§13); if some variant sends text there, keep the text.
        if second.is_none() && detail.is_empty() {
            detail = self.second.into_text().unwrap_or_default();
        }
        Fault {
            first: self.first.code(),
            second,
            detail,
            recommendation,
        }
    }
}

impl<'de> FromMap<'de> for FaultFields {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut fields = Self::default();
        while let Some(Key(key)) = map.next_key::<Key<FaultKey>>()? {
            match key {
                Some(key) => fields.read(key, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// The value of `fault`: an object normally; a bare scalar is kept as the detail text.
pub(super) fn framed(value: Shape<FaultFields, IgnoredAny>) -> Option<Fault> {
    match value {
        Shape::Map(fields) => Some(fields.into_fault()),
        Shape::Scalar(Scalar::Null | Scalar::Missing) => None,
        Shape::Scalar(text) => Some(Fault::from_detail(text.into_text().unwrap_or_default())),
        Shape::Seq(_) => Some(Fault::from_detail(String::new())),
    }
}

impl Fault {
    fn from_detail(detail: String) -> Self {
        Self {
            first: None,
            second: None,
            detail,
            recommendation: None,
        }
    }
}

known_keys!(DetailKey {
    Message: "message",
    Recommendation: "recomendation" | "recommendation",
});

/// `detail` as an object: `{message, recomendation}` (sic), as the newer JSON API sends it.
#[derive(Default)]
pub(super) struct DetailObject {
    message: Option<String>,
    recommendation: Option<String>,
}

impl<'de> FromMap<'de> for DetailObject {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut out = Self::default();
        while let Some(Key(key)) = map.next_key::<Key<DetailKey>>()? {
            let value: Scalar = map.next_value()?;
            match key {
                Some(DetailKey::Message) => out.message = value.into_text(),
                Some(DetailKey::Recommendation) => out.recommendation = value.into_text(),
                None => {}
            }
        }
        Ok(out)
    }
}
