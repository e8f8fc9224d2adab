//! 秘匿 — a count that a page may show, or that is withheld (SPEC §6).

/// A count that may be withheld.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tally {
    Count(u32),
    /// Withheld: too few people to show it (see `stats::person`).
    Suppressed,
    /// Not published: nobody has it recorded (or its declared figure is not shown yet).
    Unknown,
}

impl Tally {
    pub fn count(self) -> Option<u32> {
        match self {
            Tally::Count(n) => Some(n),
            Tally::Suppressed | Tally::Unknown => None,
        }
    }
}
