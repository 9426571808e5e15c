//! Why: what the desk says to people must read in the window's language (EN or RU), and an
//! error is made long before anyone knows which language will show it — so each text the desk
//! writes for people is written twice, side by side, where it is made.

/// The same words in English and in Russian: a field's label or a broken rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words<'a> {
    pub en: &'a str,
    pub ru: &'a str,
}

impl<'a> Words<'a> {
    pub const fn new(en: &'a str, ru: &'a str) -> Words<'a> {
        Words { en, ru }
    }
}
