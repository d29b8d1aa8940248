//! The one checker of the numbers and names the building blocks and patterns write into a
//! template: [`Bounds`], the inclusive range AWS accepts for a number, and [`NameRule`], the
//! length and characters it accepts for a name.
//!
//! Each block keeps its own error enum (what is wrong, with its code and hint) and states its
//! limits as constants of these two types; the comparison itself is written once, here, so a
//! limit cannot be checked at one end and forgotten at the other, and a `NaN` is never "in
//! range".
//!
//! ```
//! use constructs::blocks::limits::{Bounds, NameRule, NameProblem};
//!
//! const PORT: Bounds<u32> = Bounds::new(1, 65_535);
//! assert!(PORT.contains(443) && !PORT.contains(0) && !PORT.contains(70_000));
//!
//! const INDEX_NAME: NameRule = NameRule::new(3, 255, "letters, digits, `_`, `-` and `.`", |c| {
//!     c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
//! });
//! assert_eq!(INDEX_NAME.problems("by user"), [
//!     NameProblem::Character { ch: ' ', allowed: "letters, digits, `_`, `-` and `.`" },
//! ]);
//! ```

use std::fmt;

/// The inclusive range of values AWS accepts for one numeric setting.
///
/// ```
/// use constructs::blocks::limits::Bounds;
///
/// let rate = Bounds::new(0.0, f64::MAX);
/// assert!(rate.contains(0.0) && rate.contains(1e9));
/// // Not a number and infinity are never in range: written into a template they would be
/// // `null` (or nothing CloudFormation reads).
/// assert!(!rate.contains(f64::NAN) && !rate.contains(f64::INFINITY) && !rate.contains(-1.0));
/// assert_eq!(Bounds::new(1, 1_000).to_string(), "1–1000");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds<T> {
    /// The smallest value accepted.
    pub min: T,
    /// The largest value accepted.
    pub max: T,
}

impl<T> Bounds<T> {
    /// The values from `min` to `max`, both included.
    ///
    /// ```
    /// use constructs::blocks::limits::Bounds;
    ///
    /// const MEMORY_MB: Bounds<u32> = Bounds::new(128, 10_240);
    /// assert_eq!(MEMORY_MB.max, 10_240);
    /// ```
    pub const fn new(min: T, max: T) -> Self {
        Self { min, max }
    }
}

impl<T: PartialOrd> Bounds<T> {
    /// Whether `value` lies within the bounds. Written as two comparisons, so a float that is
    /// not a number is outside any bounds.
    ///
    /// ```
    /// use constructs::blocks::limits::Bounds;
    ///
    /// assert!(Bounds::new(1.0, 100.0).contains(50.0));
    /// assert!(!Bounds::new(1.0, 100.0).contains(f64::NAN));
    /// ```
    pub fn contains(&self, value: T) -> bool {
        self.min <= value && value <= self.max
    }
}

impl<T: fmt::Display> fmt::Display for Bounds<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.min, self.max)
    }
}

/// The names AWS accepts for one kind of thing: a length in characters and the characters
/// allowed.
///
/// ```
/// use constructs::blocks::limits::{NameProblem, NameRule};
///
/// let rule = NameRule::new(1, 5, "letters", |c| c.is_ascii_alphabetic());
/// assert!(rule.problems("abc").is_empty());
/// assert_eq!(rule.problems(""), [NameProblem::Length { chars: 0, min: 1, max: 5 }]);
/// assert_eq!(rule.problems("abcdef1").len(), 2);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct NameRule {
    /// The fewest characters.
    pub min_chars: usize,
    /// The most characters.
    pub max_chars: usize,
    /// The characters allowed, in words, for messages.
    pub allowed: &'static str,
    /// Whether a character is allowed.
    pub is_allowed: fn(char) -> bool,
}

impl NameRule {
    /// Names of `min_chars` to `max_chars` characters, each of which `is_allowed` (described as
    /// `allowed` in messages).
    ///
    /// ```
    /// use constructs::blocks::limits::NameRule;
    ///
    /// const DIGITS: NameRule = NameRule::new(1, 3, "digits", |c| c.is_ascii_digit());
    /// assert!(DIGITS.problems("42").is_empty());
    /// ```
    pub const fn new(
        min_chars: usize,
        max_chars: usize,
        allowed: &'static str,
        is_allowed: fn(char) -> bool,
    ) -> Self {
        Self {
            min_chars,
            max_chars,
            allowed,
            is_allowed,
        }
    }

    /// Everything wrong with `name`: its length, then the first character not allowed.
    ///
    /// ```
    /// use constructs::blocks::limits::{NameProblem, NameRule};
    ///
    /// let rule = NameRule::new(3, 255, "letters", |c| c.is_ascii_alphabetic());
    /// assert_eq!(
    ///     rule.problems("a-"),
    ///     [
    ///         NameProblem::Length { chars: 2, min: 3, max: 255 },
    ///         NameProblem::Character { ch: '-', allowed: "letters" },
    ///     ]
    /// );
    /// ```
    pub fn problems(&self, name: &str) -> Vec<NameProblem> {
        let mut problems = Vec::new();
        let chars = name.chars().count();
        if !(self.min_chars..=self.max_chars).contains(&chars) {
            problems.push(NameProblem::Length {
                chars,
                min: self.min_chars,
                max: self.max_chars,
            });
        }
        if let Some(ch) = name.chars().find(|&c| !(self.is_allowed)(c)) {
            problems.push(NameProblem::Character {
                ch,
                allowed: self.allowed,
            });
        }
        problems
    }
}

/// What is wrong with a name, as [`NameRule::problems`] finds it.
///
/// ```
/// use constructs::blocks::limits::NameProblem;
///
/// let problem = NameProblem::Length { chars: 2, min: 3, max: 255 };
/// assert_eq!(problem.to_string(), "is 2 characters long, not 3–255");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// The name is shorter or longer than allowed.
    Length {
        /// Its length in characters.
        chars: usize,
        /// The fewest allowed.
        min: usize,
        /// The most allowed.
        max: usize,
    },
    /// The name holds a character not allowed.
    Character {
        /// The first such character.
        ch: char,
        /// The characters allowed, in words.
        allowed: &'static str,
    },
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Length { chars, min, max } if min == max => {
                write!(f, "is {chars} characters long, not {min}")
            }
            NameProblem::Length { chars, min, max } => {
                write!(f, "is {chars} characters long, not {min}–{max}")
            }
            NameProblem::Character { ch, allowed } => {
                write!(f, "holds `{ch}`; only {allowed} are allowed")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_include_both_ends_and_nothing_past_them() {
        let b = Bounds::new(60_u32, 86_400);
        assert!(b.contains(60) && b.contains(86_400));
        assert!(!b.contains(59) && !b.contains(86_401));
        let f = Bounds::new(0.0, f64::MAX);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.1] {
            assert!(!f.contains(bad), "{bad}");
        }
    }

    #[test]
    fn a_name_counts_characters_not_bytes() {
        let rule = NameRule::new(1, 2, "anything", |_| true);
        assert!(rule.problems("éé").is_empty());
        assert_eq!(rule.problems("ééé").len(), 1);
    }
}
