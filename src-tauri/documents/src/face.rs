//! Why: a document must look the same on every machine and print Cyrillic, `№`, `—` and the
//! `•` of a masked card number, so the font is part of the crate (DejaVu Sans, see
//! fonts/LICENSE-DejaVu.txt), never the system's. Text is shaped here once, so the width used
//! to wrap a line is the width that is drawn.

use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::DocumentError;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// One typeface: the font krilla embeds and the face that shapes text for it.
pub(crate) struct Face {
    pub(crate) font: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Face")
    }
}

/// The two weights the documents use.
#[derive(Debug)]
pub(crate) struct Faces {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
}

impl Faces {
    pub(crate) fn load() -> Result<Self, DocumentError> {
        Ok(Self {
            regular: Face::load(REGULAR)?,
            bold: Face::load(BOLD)?,
        })
    }

    pub(crate) fn get(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Self, DocumentError> {
        let unreadable = || DocumentError::Pdf("the embedded font cannot be read".to_owned());
        let font = Font::new(data.into(), 0).ok_or_else(unreadable)?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or_else(unreadable)?;
        let units_per_em = shaper.units_per_em() as f32;
        Ok(Self {
            font,
            shaper,
            units_per_em,
        })
    }

    /// The glyphs of one line of left-to-right text, advances in em.
    pub(crate) fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let em = self.units_per_em;
        (0..infos.len())
            .map(|i| {
                let start = infos[i].cluster as usize;
                // A cluster ends where the next different cluster starts.
                let end = infos[i + 1..]
                    .iter()
                    .map(|info| info.cluster as usize)
                    .find(|&c| c != start)
                    .unwrap_or(text.len());
                let pos = positions[i];
                KrillaGlyph::new(
                    GlyphId::new(infos[i].glyph_id),
                    pos.x_advance as f32 / em,
                    pos.x_offset as f32 / em,
                    pos.y_offset as f32 / em,
                    pos.y_advance as f32 / em,
                    start..end,
                    None,
                )
            })
            .collect()
    }

    /// The width of one line of text at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// `text` broken into lines no wider than `width` points: at spaces where it can, inside a
    /// word only when the word alone is wider (a 64-digit hash). Explicit newlines are kept.
    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(word, size) <= width {
                    line = word.to_owned();
                } else {
                    let mut pieces = self.split_word(word, size, width);
                    line = pieces.pop().unwrap_or_default();
                    lines.extend(pieces);
                }
            }
            lines.push(line);
        }
        lines
    }

    fn split_word(&self, word: &str, size: f32, width: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if self.width(&piece, size) > width && piece.chars().count() > 1 {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        pieces.push(piece);
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let faces = Faces::load().expect("fonts");
        let face = &faces.regular;
        let text = "Персональные данные уничтожены путём удаления токена сохранённой карты \
                    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let lines = face.wrap(text, 10.0, 120.0);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(face.width(line, 10.0) <= 120.0, "{line}");
        }
        assert_eq!(lines.join(" ").replace(' ', ""), text.replace(' ', ""));
        assert_eq!(face.wrap("a\n\nb", 10.0, 100.0), ["a", "", "b"]);
    }
}
