//! Patterns over strings, and whether two of them can match a common string (not public).
//!
//! ARN formats from AWS's data (`arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`) and
//! ARNs from a policy (`arn:aws:sqs:*:123456789012:orders-*`, or a `Fn::Sub` whose `${…}` are
//! unknown) are both patterns. An ARN fits a resource type when the two patterns *intersect*:
//! some string matches both. The check runs on the product of the two token sequences, so it is
//! linear in the product of their lengths.

/// The characters a wildcard may stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Anything.
    Any,
    /// Anything but `:`.
    NoColon,
    /// Anything but `:` and `/`: one segment of a resource path.
    Segment,
}

impl Class {
    fn contains(self, c: char) -> bool {
        match self {
            Class::Any => true,
            Class::NoColon => c != ':',
            Class::Segment => c != ':' && c != '/',
        }
    }
}

/// One element of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Exactly this character.
    Lit(char),
    /// One character of the class.
    One(Class),
    /// Zero or more characters of the class.
    Star(Class),
}

/// A sequence of tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Glob(pub(crate) Vec<Tok>);

impl Glob {
    /// A pattern matching exactly `text`.
    pub(crate) fn literal(text: &str) -> Self {
        let mut g = Glob::default();
        g.push_literal(text);
        g
    }

    /// An IAM pattern: `*` is any run of characters, `?` any one character.
    pub(crate) fn iam(text: &str) -> Self {
        let mut g = Glob::default();
        g.push_iam(text);
        g
    }

    /// Appends `text` literally.
    pub(crate) fn push_literal(&mut self, text: &str) {
        self.0.extend(text.chars().map(Tok::Lit));
    }

    /// Appends `text` with IAM's `*` and `?` as wildcards.
    pub(crate) fn push_iam(&mut self, text: &str) {
        self.0.extend(text.chars().map(|c| match c {
            '*' => Tok::Star(Class::Any),
            '?' => Tok::One(Class::Any),
            c => Tok::Lit(c),
        }));
    }

    /// Appends a name: one or more characters of `class`.
    pub(crate) fn push_name(&mut self, class: Class) {
        self.0.push(Tok::One(class));
        self.0.push(Tok::Star(class));
    }

    /// Appends an unknown value: any run of characters.
    pub(crate) fn push_any(&mut self) {
        self.0.push(Tok::Star(Class::Any));
    }

    /// Appends another pattern.
    pub(crate) fn push_glob(&mut self, other: &Glob) {
        self.0.extend_from_slice(&other.0);
    }

    /// The same pattern with literal ASCII letters lowercased.
    pub(crate) fn to_lowercase(&self) -> Glob {
        Glob(
            self.0
                .iter()
                .map(|t| match t {
                    Tok::Lit(c) => Tok::Lit(c.to_ascii_lowercase()),
                    t => *t,
                })
                .collect(),
        )
    }

    /// The literal characters, with each wildcard as `\0`: for substring tests on what is
    /// certainly there.
    pub(crate) fn literal_text(&self) -> String {
        self.0
            .iter()
            .map(|t| match t {
                Tok::Lit(c) => *c,
                _ => '\0',
            })
            .collect()
    }

    /// Whether this pattern is a single `*` (or only wildcards of any character).
    pub(crate) fn is_unknown(&self) -> bool {
        !self.0.is_empty() && self.0.iter().all(|t| *t == Tok::Star(Class::Any))
    }

    /// Whether some string matches both patterns.
    pub(crate) fn intersects(&self, other: &Glob) -> bool {
        let (a, b) = (&self.0, &other.0);
        let (n, m) = (a.len(), b.len());
        let mut seen = vec![false; (n + 1) * (m + 1)];
        let mut todo = vec![(0usize, 0usize)];
        while let Some((i, j)) = todo.pop() {
            let slot = i * (m + 1) + j;
            if seen[slot] {
                continue;
            }
            seen[slot] = true;
            if i == n && j == m {
                return true;
            }
            // A star may match nothing.
            if let Some(Tok::Star(_)) = a.get(i) {
                todo.push((i + 1, j));
            }
            if let Some(Tok::Star(_)) = b.get(j) {
                todo.push((i, j + 1));
            }
            // Or both sides consume one common character.
            if let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
                if compatible(x, y) {
                    let ni = if matches!(x, Tok::Star(_)) { i } else { i + 1 };
                    let nj = if matches!(y, Tok::Star(_)) { j } else { j + 1 };
                    if (ni, nj) != (i, j) {
                        todo.push((ni, nj));
                    }
                }
            }
        }
        false
    }
}

/// Whether two tokens can consume a common character.
fn compatible(x: Tok, y: Tok) -> bool {
    match (x, y) {
        (Tok::Lit(c), Tok::Lit(d)) => c == d,
        (Tok::Lit(c), Tok::One(k) | Tok::Star(k)) | (Tok::One(k) | Tok::Star(k), Tok::Lit(c)) => {
            k.contains(c)
        }
        // Every class holds letters.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn_format(format: &str, class: Class) -> Glob {
        let mut g = Glob::default();
        let mut rest = format;
        while let Some(start) = rest.find("${") {
            g.push_literal(&rest[..start]);
            let end = rest[start..].find('}').unwrap() + start;
            g.push_name(class);
            rest = &rest[end + 1..];
        }
        g.push_literal(rest);
        g
    }

    #[test]
    fn literals_and_wildcards() {
        assert!(Glob::iam("a*c").intersects(&Glob::literal("abbbc")));
        assert!(Glob::iam("a*c").intersects(&Glob::literal("ac")));
        assert!(!Glob::iam("a?c").intersects(&Glob::literal("ac")));
        assert!(Glob::iam("a*").intersects(&Glob::iam("*b")));
        assert!(!Glob::iam("a*").intersects(&Glob::iam("b*")));
        assert!(Glob::iam("*").is_unknown());
        assert!(!Glob::iam("a*").is_unknown());
    }

    #[test]
    fn segment_names_do_not_cross_slashes() {
        let table = arn_format("arn:${P}:dynamodb:${R}:${A}:table/${T}", Class::Segment);
        let index = arn_format(
            "arn:${P}:dynamodb:${R}:${A}:table/${T}/index/${I}",
            Class::Segment,
        );
        let arn = Glob::iam("arn:aws:dynamodb:us-east-1:1:table/orders/index/*");
        assert!(!table.intersects(&arn));
        assert!(index.intersects(&arn));
        let lenient = arn_format("arn:${P}:dynamodb:${R}:${A}:table/${T}", Class::Any);
        assert!(lenient.intersects(&arn));
    }

    #[test]
    fn names_are_not_empty() {
        let queue = arn_format("arn:${P}:sqs:${R}:${A}:${Q}", Class::Segment);
        assert!(!queue.intersects(&Glob::literal("arn:aws:sqs:us-east-1:1:")));
        assert!(queue.intersects(&Glob::literal("arn:aws:sqs:us-east-1:1:q")));
    }

    #[test]
    fn lowercase_and_literal_text() {
        let g = Glob::iam("A*b");
        assert_eq!(g.to_lowercase(), Glob::iam("a*b"));
        assert_eq!(g.literal_text(), "A\0b");
    }
}
