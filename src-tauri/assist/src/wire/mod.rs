//! Why: the gateway's reply must be classified before it is mapped (docs/assist-api.md §12.1): a
//! card array, a `fault` object, a `message` object, or a non-framed `{faultcode,…}` object.
//! Parsing goes straight from bytes into our types with readers that accept any value, so no
//! reply can make it panic; keys match without regard to case (§3.1).

mod card;
mod fault;
mod shape;

use serde::de::{IgnoredAny, MapAccess};

use self::card::WireCard;
use self::fault::{FaultFields, FaultKey, framed};
use self::shape::{Element, FromMap, Shape};
use crate::card::Card;
use crate::fault::Fault;
use crate::lenient::{Key, KnownKeys, Scalar, known_keys};

/// What a well-formed JSON reply says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A JSON array: token.cfm's success (§4.1).
    Cards(Vec<Card>),
    /// `{"message": …}`: rem_token.cfm's success (§5). The text is not parsed (§12.15).
    Message(String),
    /// `{"fault":{…}}` or a non-framed `{"faultcode":…}` (§4.4, §12.3).
    Fault(Fault),
}

/// Why a body could not be read as a [`Reply`]. Details never quote the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    /// Empty, not JSON, or truncated JSON — e.g. an HTML error page (§12.2).
    NotJson(String),
    /// Valid JSON of a shape the gateway does not send, or a card without a token.
    Unexpected(String),
}

/// Classifies and parses a reply body; never panics.
pub fn parse_reply(body: &[u8]) -> Result<Reply, WireError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(WireError::NotJson("empty response body".to_owned()));
    }
    let reply: Shape<TopObject, Element<WireCard>> = serde_json::from_slice(body)
        .map_err(|e| WireError::NotJson(format!("response body is not JSON ({e})")))?;
    match reply {
        Shape::Seq(elements) => cards(elements).map(Reply::Cards),
        Shape::Map(object) => object.into_reply(),
        Shape::Scalar(scalar) => Err(WireError::Unexpected(format!(
            "expected a JSON array or object, got {}",
            scalar.kind()
        ))),
    }
}

/// The array's cards. A `null` element is skipped; an element that is not an object, or a
/// card without a token, makes the reply not understood rather than silently shorter.
fn cards(elements: Vec<Element<WireCard>>) -> Result<Vec<Card>, WireError> {
    let mut cards = Vec::with_capacity(elements.len());
    for (i, element) in elements.into_iter().enumerate() {
        match element {
            Shape::Map(WireCard(card)) if !card.token.trim().is_empty() => cards.push(card),
            Shape::Map(_) => {
                return Err(WireError::Unexpected(format!(
                    "card #{} has no token",
                    i + 1
                )));
            }
            Shape::Scalar(Scalar::Null) => {}
            _ => {
                return Err(WireError::Unexpected(format!(
                    "card #{} is not a JSON object",
                    i + 1
                )));
            }
        }
    }
    Ok(cards)
}

known_keys!(TopKey {
    Fault: "fault",
    Message: "message",
});

/// A top-level object: a framed fault, a message, or a non-framed fault.
#[derive(Default)]
struct TopObject {
    fault: Option<Fault>,
    message: Scalar,
    bare: FaultFields,
}

impl TopObject {
    fn into_reply(self) -> Result<Reply, WireError> {
        if let Some(fault) = self.fault {
            return Ok(Reply::Fault(fault));
        }
        if self.bare.has_code() {
            return Ok(Reply::Fault(self.bare.into_fault()));
        }
        match self.message.into_text() {
            Some(message) => Ok(Reply::Message(message)),
            None => Err(WireError::Unexpected(
                "JSON object with neither `fault` nor `message`".to_owned(),
            )),
        }
    }
}

impl<'de> FromMap<'de> for TopObject {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut out = Self::default();
        while let Some(Key(key)) = map.next_key::<Key<TopOrFaultKey>>()? {
            match key {
                Some(TopOrFaultKey::Top(TopKey::Fault)) => {
                    out.fault = framed(map.next_value::<Shape<FaultFields, IgnoredAny>>()?);
                }
                Some(TopOrFaultKey::Top(TopKey::Message)) => out.message = map.next_value()?,
                Some(TopOrFaultKey::Fault(key)) => out.bare.read(key, &mut map)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Top-level keys: the two envelopes, or a bare fault's own members.
enum TopOrFaultKey {
    Top(TopKey),
    Fault(FaultKey),
}

impl KnownKeys for TopOrFaultKey {
    fn lookup(key: &str) -> Option<Self> {
        TopKey::lookup(key)
            .map(Self::Top)
            .or_else(|| FaultKey::lookup(key).map(Self::Fault))
    }
}
