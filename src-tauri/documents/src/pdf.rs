//! Why: the marks of a [`Sheet`](crate::sheet::Sheet) become a PDF/A-2b file here, the archival
//! form an act kept for three years should have. Everything krilla would otherwise take from
//! the moment or the machine (creation date, document id) comes from the input, so the same
//! document renders to the same bytes and its SHA-256 can be recomputed.

use krilla::color::rgb;
use krilla::configure::{Configuration, Validator};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::{Document, SerializeSettings};
use time::OffsetDateTime;

use crate::DocumentError;
use crate::face::Faces;
use crate::sheet::{Ink, Mark};

/// What the PDF says about itself.
#[derive(Debug)]
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) language: &'a str,
    pub(crate) document_id: &'a str,
    pub(crate) created: OffsetDateTime,
}

pub(crate) fn write(
    pages: &[Vec<Mark>],
    size: (f32, f32),
    faces: &Faces,
    meta: &Meta<'_>,
) -> Result<Vec<u8>, DocumentError> {
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(Validator::A2_B),
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let created = meta.created;
    let (offset_h, offset_m, _) = created.offset().as_hms();
    let date = DateTime::new(u16::try_from(created.year()).unwrap_or(0))
        .month(created.month().into())
        .day(created.day())
        .hour(created.hour())
        .minute(created.minute())
        .second(created.second())
        .utc_offset_hour(offset_h)
        .utc_offset_minute(offset_m.unsigned_abs());
    document.set_metadata(
        Metadata::new()
            .title(meta.title.to_owned())
            .language(meta.language.to_owned())
            .creator("Card Desk".to_owned())
            .creation_date(date)
            .document_id(meta.document_id.to_owned()),
    );
    let bad_size = || DocumentError::Pdf("bad page size".to_owned());
    for marks in pages {
        let settings = PageSettings::from_wh(size.0, size.1).ok_or_else(bad_size)?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text {
                    x,
                    y,
                    size,
                    bold,
                    ink,
                    text,
                } => {
                    let face = faces.get(*bold);
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*ink)));
                    let glyphs = face.shape(text);
                    surface.draw_glyphs(
                        Point::from_xy(*x, *y),
                        &glyphs,
                        face.font.clone(),
                        text,
                        *size,
                        false,
                    );
                }
                Mark::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    ink,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: color(*ink).into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Mark::Fill { x, y, w, h, ink } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*ink)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}

fn color(ink: Ink) -> rgb::Color {
    rgb::Color::new(ink.0, ink.1, ink.2)
}

fn fill(ink: Ink) -> Fill {
    Fill {
        paint: color(ink).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}
