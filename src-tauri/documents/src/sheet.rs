//! Why: the documents are forms a compliance officer signs, so their layout has to hold for
//! any input: long names and addresses wrap inside their cell, a table that runs past the page
//! continues on the next one under its header again, and every page carries the merchant, the
//! document's title, its id and "page i of n". A [`Sheet`] places text into pages as marks;
//! [`crate::pdf`] writes the marks. Nothing here knows what a document says.

use crate::face::{Face, Faces};

/// A colour, as RGB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ink(pub(crate) u8, pub(crate) u8, pub(crate) u8);

const TEXT: Ink = Ink(0x1a, 0x1d, 0x21);
const MUTED: Ink = Ink(0x55, 0x5c, 0x66);
const ACCENT: Ink = Ink(0x1f, 0x3a, 0x5f);
const RULE: Ink = Ink(0xc4, 0xc9, 0xd1);
const SHADE: Ink = Ink(0xec, 0xf0, 0xf5);

const MARGIN: f32 = 50.0;
const CONTENT_TOP: f32 = 70.0;
const CONTENT_BOTTOM_GAP: f32 = 64.0;
const PAD: f32 = 4.0;
const FIELD_LINE: f32 = 13.5;
/// What a heading takes, with its space above and its rule.
pub(crate) const HEADING_HEIGHT: f32 = 37.0;
/// What one signature line takes.
pub(crate) const SIGNATURE_HEIGHT: f32 = 58.0;

/// One thing drawn on a page; `y` grows downwards from the top edge, text `y` is its baseline.
#[derive(Clone, Debug)]
pub(crate) enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        ink: Ink,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        ink: Ink,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        ink: Ink,
    },
}

/// A4, upright or on its side (a wide table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

/// A table column: its heading and its share of the width.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column<'a> {
    pub(crate) title: &'a str,
    pub(crate) share: f32,
}

/// What every page repeats: the merchant, the title, the id, and the page-number words.
#[derive(Clone, Debug)]
pub(crate) struct Running {
    pub(crate) merchant: String,
    pub(crate) title: String,
    pub(crate) footer: String,
    /// `("Page", "of")` or `("Стр.", "из")`.
    pub(crate) page_words: (&'static str, &'static str),
}

/// One line of a signature block.
#[derive(Clone, Debug)]
pub(crate) struct SignatureLine {
    pub(crate) name: String,
    pub(crate) position: String,
    pub(crate) signature_caption: String,
    pub(crate) date_caption: String,
    /// Nobody is named yet: `name` and `position` are the captions of blank lines to fill in
    /// by hand, beside those to sign and date.
    pub(crate) blank: bool,
}

/// A table's header row: each column's left edge, width and title, at one size.
struct Header<'a> {
    columns: Vec<(f32, f32, &'a str)>,
    size: f32,
}

struct Cell<'a> {
    x: f32,
    width: f32,
    lines: Vec<String>,
    size: f32,
    bold: bool,
    ink: Ink,
    face: &'a Face,
}

/// Pages being filled from the top.
#[derive(Debug)]
pub(crate) struct Sheet<'f> {
    faces: &'f Faces,
    width: f32,
    height: f32,
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl<'f> Sheet<'f> {
    pub(crate) fn new(faces: &'f Faces, orientation: Orientation) -> Self {
        let (width, height) = match orientation {
            Orientation::Portrait => (595.28, 841.89),
            Orientation::Landscape => (841.89, 595.28),
        };
        Self {
            faces,
            width,
            height,
            pages: vec![Vec::new()],
            y: CONTENT_TOP,
        }
    }

    pub(crate) fn size(&self) -> (f32, f32) {
        (self.width, self.height)
    }

    fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.height - CONTENT_BOTTOM_GAP
    }

    fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = CONTENT_TOP;
    }

    fn ensure(&mut self, height: f32) {
        if self.room() < height {
            self.new_page();
        }
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    /// Vertical space.
    pub(crate) fn space(&mut self, height: f32) {
        self.y += height;
    }

    /// Wrapped lines of one style, across pages if need be.
    fn lines(&mut self, text: &str, size: f32, bold: bool, ink: Ink, line_height: f32) {
        let face = self.faces.get(bold);
        for line in face.wrap(text, size, self.content_width()) {
            self.ensure(line_height);
            self.y += line_height;
            let y = self.y - line_height * 0.25;
            self.mark(Mark::Text {
                x: MARGIN,
                y,
                size,
                bold,
                ink,
                text: line,
            });
        }
    }

    /// The document's title.
    pub(crate) fn title(&mut self, text: &str) {
        self.lines(text, 16.0, true, ACCENT, 21.0);
        self.space(3.0);
    }

    /// A line under the title: the law it answers to, the number and date.
    pub(crate) fn subtitle(&mut self, text: &str) {
        self.lines(text, 9.5, false, MUTED, 13.0);
    }

    /// A section heading, kept on the page with what follows it.
    pub(crate) fn heading(&mut self, text: &str) {
        self.ensure(70.0);
        self.space(14.0);
        self.lines(text, 11.0, true, ACCENT, 15.0);
        self.space(3.0);
        let y = self.y;
        self.mark(Mark::Line {
            x1: MARGIN,
            y1: y,
            x2: self.width - MARGIN,
            y2: y,
            width: 0.8,
            ink: ACCENT,
        });
        self.space(5.0);
    }

    /// Body text.
    pub(crate) fn paragraph(&mut self, text: &str) {
        self.space(3.0);
        self.lines(text, 10.0, false, TEXT, 14.0);
        self.space(3.0);
    }

    /// Body text in bold, for the one sentence the document exists to state.
    pub(crate) fn statement(&mut self, text: &str) {
        self.space(3.0);
        self.lines(text, 10.0, true, TEXT, 14.0);
        self.space(3.0);
    }

    /// Small print.
    pub(crate) fn note(&mut self, text: &str) {
        self.space(2.0);
        self.lines(text, 8.0, false, MUTED, 11.0);
    }

    /// Starts a new page unless `height` more fits on this one: for a block that reads badly
    /// split (a short table under its heading, the signatures). A block taller than a page
    /// is left to split.
    pub(crate) fn keep(&mut self, height: f32) {
        if height <= self.bottom() - CONTENT_TOP {
            self.ensure(height);
        }
    }

    fn field_cells(&self, label: &str, value: &str) -> Vec<Cell<'f>> {
        let label_width = self.content_width() * 0.36;
        let value_width = self.content_width() - label_width;
        vec![
            self.cell(MARGIN, label_width, label, 9.0, false, MUTED),
            self.cell(MARGIN + label_width, value_width, value, 10.0, false, TEXT),
        ]
    }

    /// The height [`Sheet::fields`] will take for `rows`.
    pub(crate) fn fields_height(&self, rows: &[(String, String)]) -> f32 {
        rows.iter()
            .map(|(label, value)| {
                let lines = self
                    .field_cells(label, value)
                    .iter()
                    .map(|c| c.lines.len())
                    .max()
                    .unwrap_or(1);
                2.0 * PAD + lines as f32 * FIELD_LINE
            })
            .sum()
    }

    /// Label–value rows: the label on the left in grey, the value wrapped on the right.
    pub(crate) fn fields(&mut self, rows: &[(String, String)]) {
        self.rule(self.y);
        for (label, value) in rows {
            let cells = self.field_cells(label, value);
            self.row(cells, FIELD_LINE, None);
        }
    }

    /// A table with a shaded header row that repeats on every page it runs onto.
    pub(crate) fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>], size: f32) {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let mut x = MARGIN;
        let mut places = Vec::new();
        for column in columns {
            let width = self.content_width() * column.share / total;
            places.push((x, width));
            x += width;
        }
        let header = Header {
            columns: places
                .iter()
                .zip(columns)
                .map(|(&(x, w), c)| (x, w, c.title))
                .collect(),
            size,
        };
        let line_height = size * 1.4;
        self.ensure(3.0 * line_height + 4.0 * PAD + 20.0);
        self.header_row(&header);
        for row in rows {
            let cells = places
                .iter()
                .zip(row)
                .map(|(&(x, w), text)| self.cell(x, w, text, size, false, TEXT))
                .collect();
            self.row(cells, line_height, Some(&header));
        }
    }

    /// Name, position, and blank lines to sign and date by hand.
    pub(crate) fn signatures(&mut self, lines: &[SignatureLine]) {
        let width = self.content_width();
        for line in lines {
            self.ensure(SIGNATURE_HEIGHT);
            let top = self.y + 8.0;
            if line.blank {
                let base = top + 26.0;
                for ((from, to), caption) in [
                    ((0.0, 0.36), line.name.as_str()),
                    ((0.40, 0.62), line.position.as_str()),
                    ((0.66, 0.84), line.signature_caption.as_str()),
                    ((0.88, 1.0), line.date_caption.as_str()),
                ] {
                    let (x1, x2) = (MARGIN + width * from, MARGIN + width * to);
                    self.mark(Mark::Line {
                        x1,
                        y1: base,
                        x2,
                        y2: base,
                        width: 0.7,
                        ink: TEXT,
                    });
                    self.text(x1, base + 10.0, 7.5, false, MUTED, caption.to_owned());
                }
                self.y = base + 20.0;
                continue;
            }
            let name_width = width * 0.42;
            let name = self.faces.bold.wrap(&line.name, 10.0, name_width);
            let position = self.faces.regular.wrap(&line.position, 9.0, name_width);
            let mut y = top + 10.0;
            for text in name {
                self.text(MARGIN, y, 10.0, true, TEXT, text);
                y += 13.0;
            }
            for text in position {
                self.text(MARGIN, y, 9.0, false, MUTED, text);
                y += 12.0;
            }
            let sign = (MARGIN + width * 0.46, MARGIN + width * 0.76);
            let date = (MARGIN + width * 0.80, MARGIN + width);
            let base = top + 26.0;
            for ((x1, x2), caption) in [
                (sign, line.signature_caption.as_str()),
                (date, line.date_caption.as_str()),
            ] {
                self.mark(Mark::Line {
                    x1,
                    y1: base,
                    x2,
                    y2: base,
                    width: 0.7,
                    ink: TEXT,
                });
                self.text(x1, base + 10.0, 7.5, false, MUTED, caption.to_owned());
            }
            self.y = y.max(base + 14.0) + 6.0;
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, ink: Ink, text: String) {
        self.mark(Mark::Text {
            x,
            y,
            size,
            bold,
            ink,
            text,
        });
    }

    fn rule(&mut self, y: f32) {
        self.mark(Mark::Line {
            x1: MARGIN,
            y1: y,
            x2: self.width - MARGIN,
            y2: y,
            width: 0.5,
            ink: RULE,
        });
    }

    fn cell(&self, x: f32, width: f32, text: &str, size: f32, bold: bool, ink: Ink) -> Cell<'f> {
        let face = self.faces.get(bold);
        Cell {
            x,
            width,
            lines: face.wrap(text, size, width - 2.0 * PAD),
            size,
            bold,
            ink,
            face,
        }
    }

    fn header_row(&mut self, header: &Header<'_>) {
        let size = header.size;
        let cells: Vec<Cell<'f>> = header
            .columns
            .iter()
            .map(|&(x, w, title)| self.cell(x, w, title, size, true, MUTED))
            .collect();
        let line_height = size * 1.35;
        let lines = cells.iter().map(|c| c.lines.len()).max().unwrap_or(1);
        let height = 2.0 * PAD + lines as f32 * line_height;
        let top = self.y;
        self.mark(Mark::Fill {
            x: MARGIN,
            y: top,
            w: self.content_width(),
            h: height,
            ink: SHADE,
        });
        self.place(&cells, 0, lines, line_height);
        self.rule(top);
        self.y = top + height;
        self.rule(self.y);
    }

    /// One row; when it does not fit, it moves to the next page whole if it fits there, else
    /// it is split between lines. A table's header is repeated above its continuation.
    fn row(&mut self, cells: Vec<Cell<'f>>, line_height: f32, header: Option<&Header<'_>>) {
        let total = cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let header_height = header.map_or(0.0, |h| 2.0 * PAD + h.size * 1.35 * 2.0);
        let fresh = ((self.bottom() - CONTENT_TOP - header_height - 2.0 * PAD) / line_height)
            .floor()
            .max(1.0) as usize;
        let mut from = 0;
        loop {
            let need = total - from;
            let fits = ((self.room() - 2.0 * PAD) / line_height).floor().max(0.0) as usize;
            if need <= fits {
                self.row_part(&cells, from, need, line_height);
                return;
            }
            if (from == 0 && need <= fresh) || fits < 2 {
                self.continue_on_next_page(header);
                continue;
            }
            self.row_part(&cells, from, fits, line_height);
            from += fits;
            self.continue_on_next_page(header);
        }
    }

    fn continue_on_next_page(&mut self, header: Option<&Header<'_>>) {
        self.new_page();
        match header {
            Some(header) => self.header_row(header),
            None => self.rule(self.y),
        }
    }

    fn row_part(&mut self, cells: &[Cell<'f>], from: usize, count: usize, line_height: f32) {
        self.place(cells, from, count, line_height);
        self.y += 2.0 * PAD + count as f32 * line_height;
        self.rule(self.y);
    }

    fn place(&mut self, cells: &[Cell<'f>], from: usize, count: usize, line_height: f32) {
        let top = self.y;
        for cell in cells {
            for (i, line) in cell.lines.iter().skip(from).take(count).enumerate() {
                let y = top + PAD + i as f32 * line_height + line_height * 0.74;
                debug_assert!(cell.face.width(line, cell.size) <= cell.width);
                self.text(
                    cell.x + PAD,
                    y,
                    cell.size,
                    cell.bold,
                    cell.ink,
                    line.clone(),
                );
            }
        }
    }

    /// The pages with their running header and footer.
    pub(crate) fn finish(self, running: &Running) -> Vec<Vec<Mark>> {
        let count = self.pages.len();
        let right = self.width - MARGIN;
        let width = self.content_width();
        let faces = self.faces;
        let footer_y = self.height - 40.0;
        let mut pages = self.pages;
        for (i, page) in pages.iter_mut().enumerate() {
            let number = format!(
                "{} {} {} {}",
                running.page_words.0,
                i + 1,
                running.page_words.1,
                count
            );
            let number_width = faces.regular.width(&number, 8.0);
            // The merchant takes what it needs up to 56 % of the line; the title the rest.
            let merchant = fit(&faces.bold, &running.merchant, 8.5, width * 0.56);
            let title_room = width - faces.bold.width(&merchant, 8.5) - 24.0;
            let title = fit(
                &faces.regular,
                &running.title,
                8.0,
                title_room.max(width * 0.4),
            );
            let title_width = faces.regular.width(&title, 8.0);
            let footer = fit(
                &faces.regular,
                &running.footer,
                7.5,
                width - number_width - 20.0,
            );
            page.extend([
                Mark::Text {
                    x: MARGIN,
                    y: 36.0,
                    size: 8.5,
                    bold: true,
                    ink: ACCENT,
                    text: merchant,
                },
                Mark::Text {
                    x: right - title_width,
                    y: 36.0,
                    size: 8.0,
                    bold: false,
                    ink: MUTED,
                    text: title,
                },
                Mark::Line {
                    x1: MARGIN,
                    y1: 44.0,
                    x2: right,
                    y2: 44.0,
                    width: 0.6,
                    ink: RULE,
                },
                Mark::Line {
                    x1: MARGIN,
                    y1: footer_y - 12.0,
                    x2: right,
                    y2: footer_y - 12.0,
                    width: 0.6,
                    ink: RULE,
                },
                Mark::Text {
                    x: MARGIN,
                    y: footer_y,
                    size: 7.5,
                    bold: false,
                    ink: MUTED,
                    text: footer,
                },
                Mark::Text {
                    x: right - number_width,
                    y: footer_y,
                    size: 8.0,
                    bold: false,
                    ink: MUTED,
                    text: number,
                },
            ]);
        }
        pages
    }
}

/// `text` cut to `width` with an ellipsis, for the one-line running header and footer.
fn fit(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_owned();
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && face.width(&format!("{cut}…"), size) > width {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}
