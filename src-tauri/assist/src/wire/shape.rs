//! Why: every JSON value in a reply may arrive in a type other than documented (docs/assist-api.md
//! §12.3, §12.6). [`Shape`] reads any value — object, array or scalar — without failing, so
//! each caller decides what an unexpected type means instead of the parse aborting.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::lenient::Scalar;

/// An object kind read key by key from a JSON object.
pub(crate) trait FromMap<'de>: Sized {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Any JSON value: an object read as `M`, an array of `S`, or a scalar.
pub(crate) enum Shape<M, S> {
    Map(M),
    Seq(Vec<S>),
    Scalar(Scalar),
}

/// An array element that should be an object: anything else is kept as a scalar or skipped.
pub(crate) type Element<M> = Shape<M, IgnoredAny>;

/// A list that may arrive as an array, a single object, `""`, `null` or not at all.
pub(crate) type Many<M> = Shape<M, Element<M>>;

impl<M, S> Default for Shape<M, S> {
    fn default() -> Self {
        Self::Scalar(Scalar::Missing)
    }
}

impl<M> Many<M> {
    /// The objects of the list; elements that are not objects are skipped (§12.6).
    pub(crate) fn objects(self) -> Vec<M> {
        match self {
            Shape::Map(item) => vec![item],
            Shape::Seq(items) => items
                .into_iter()
                .filter_map(|element| match element {
                    Shape::Map(item) => Some(item),
                    _ => None,
                })
                .collect(),
            Shape::Scalar(_) => Vec::new(),
        }
    }
}

impl<'de, M: FromMap<'de>, S: Deserialize<'de>> Deserialize<'de> for Shape<M, S> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor(PhantomData))
    }
}

struct ShapeVisitor<M, S>(PhantomData<(M, S)>);

impl<'de, M: FromMap<'de>, S: Deserialize<'de>> Visitor<'de> for ShapeVisitor<M, S> {
    type Value = Shape<M, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        M::from_map(map).map(Shape::Map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::Seq(items))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::UInt(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Str(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Str(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Shape::Scalar(Scalar::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}
