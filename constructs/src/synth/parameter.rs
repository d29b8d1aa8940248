//! The rules of one template parameter CloudFormation applies when a stack is created, checked
//! at synth: a default is a literal and keeps every constraint the parameter states (its type,
//! allowed values, pattern, length and value bounds), the allowed values keep the type, and the
//! bounds themselves make sense.
//!
//! CloudFormation checks a default like any value given at deploy, so a default that breaks a
//! constraint makes every deploy that does not override it fail. Which constraint applies to
//! which type follows the parameters section reference
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html>):
//! lengths and the pattern to `String`, value bounds to `Number`, and list types item by item.

use std::borrow::Cow;
use std::fmt;

use regex::Regex;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::expr::Expr;
use crate::model::template::Parameter;

/// Every problem of parameter `id` (at construct path `path`), in the order of its attributes.
pub(super) fn check(path: &str, id: &str, param: &Parameter) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut report = |message: String, hint: Option<String>| {
        let d = Diagnostic::error(Code::InvalidParameter, path, message);
        found.push(match hint {
            Some(hint) => d.with_hint(hint),
            None => d,
        });
    };
    let kind = Kind::of(&param.type_name);

    if let Some(default) = &param.default {
        if !default.is_literal() {
            report(
                format!("the default of parameter `{id}` is not a literal value"),
                Some("CloudFormation does not evaluate functions in parameter defaults".into()),
            );
        } else if let Some(default) = scalar_text(default) {
            for item in kind.items(&default) {
                for (message, hint) in value_problems(id, param, kind, item) {
                    report(
                        format!("the default `{item}` of parameter `{id}` {message}"),
                        hint,
                    );
                }
            }
        }
    }
    // An allowed value of the wrong type can never be given.
    if kind.number {
        for value in param.allowed_values.iter().filter_map(scalar_text) {
            if !is_number(&value) {
                report(
                    format!("the allowed value `{value}` of parameter `{id}` is not a number"),
                    Some("a Number parameter only accepts numbers".into()),
                );
            }
        }
    }
    for (name, bound) in [
        ("min_value", param.min_value),
        ("max_value", param.max_value),
    ] {
        if let Some(x) = bound.filter(|x| !x.is_finite()) {
            report(
                format!("parameter `{id}` has {name} {x}, which a template cannot hold"),
                Some("give a finite number".into()),
            );
        }
    }
    let lengths = inverted("length", param.min_length, param.max_length);
    for message in lengths
        .into_iter()
        .chain(inverted("value", param.min_value, param.max_value))
    {
        report(format!("parameter `{id}` has {message}"), None);
    }
    found
}

/// `min_{what} {min} greater than max_{what} {max}`, when it is.
fn inverted<T: PartialOrd + fmt::Display>(
    what: &str,
    min: Option<T>,
    max: Option<T>,
) -> Option<String> {
    let (min, max) = (min?, max?);
    (min > max).then(|| format!("min_{what} {min} greater than max_{what} {max}"))
}

/// How a parameter type reads its value.
#[derive(Clone, Copy)]
struct Kind {
    /// A list type: the value is comma-separated items, each checked on its own.
    list: bool,
    /// `Number` or `List<Number>`: each item is a number, held to the value bounds.
    number: bool,
    /// `String`: the value is held to the lengths and the pattern.
    string: bool,
}

impl Kind {
    fn of(type_name: &str) -> Self {
        Self {
            list: type_name == "CommaDelimitedList" || type_name.starts_with("List<"),
            number: matches!(type_name, "Number" | "List<Number>"),
            string: type_name == "String",
        }
    }

    /// The items of `value`: its comma-separated items for a list type (CloudFormation checks
    /// them one by one), else the value itself.
    fn items(self, value: &str) -> Vec<&str> {
        if self.list {
            value.split(',').map(str::trim).collect()
        } else {
            vec![value]
        }
    }
}

/// What is wrong with one item of a value of parameter `id`, as a message following the
/// value, with a hint.
fn value_problems(
    id: &str,
    param: &Parameter,
    kind: Kind,
    item: &str,
) -> Vec<(String, Option<String>)> {
    let mut problems = Vec::new();
    if !param.allowed_values.is_empty()
        && !param
            .allowed_values
            .iter()
            .any(|a| scalar_text(a).as_deref() == Some(item))
    {
        let list: Vec<String> = param
            .allowed_values
            .iter()
            .filter_map(|a| scalar_text(a).map(Cow::into_owned))
            .collect();
        problems.push((
            "is not among its allowed values".to_owned(),
            Some(format!("allowed values: {}", list.join(", "))),
        ));
    }
    if kind.number {
        match item.parse::<f64>() {
            Ok(x) if is_number(item) => {
                if let Some(min) = param.min_value.filter(|min| x < *min) {
                    problems.push((format!("is less than its min_value {min}"), None));
                }
                if let Some(max) = param.max_value.filter(|max| x > *max) {
                    problems.push((format!("is more than its max_value {max}"), None));
                }
            }
            _ => problems.push((
                format!("is not a number, as its type `{}` wants", param.type_name),
                Some("write an integer or a decimal, such as `3` or `0.5`".into()),
            )),
        }
    }
    if kind.string {
        let chars = item.chars().count();
        if let Some(min) = param.min_length.filter(|min| chars < *min as usize) {
            problems.push((
                format!("is {chars} characters long, shorter than its min_length {min}"),
                None,
            ));
        }
        if let Some(max) = param.max_length.filter(|max| chars > *max as usize) {
            problems.push((
                format!("is {chars} characters long, longer than its max_length {max}"),
                None,
            ));
        }
        if let Some(pattern) = &param.allowed_pattern {
            // CloudFormation's patterns are Java's; one Rust's regex cannot read (look-around,
            // back-references) is not judged here.
            let whole = Regex::new(&format!("^(?:{pattern})$"));
            if whole.is_ok_and(|re| !re.is_match(item)) {
                problems.push((
                    format!("does not match its allowed_pattern `{pattern}`"),
                    Some(format!(
                        "the pattern must match the whole value of parameter `{id}`"
                    )),
                ));
            }
        }
    }
    problems
}

/// Whether `text` is a number as a `Number` parameter takes it: an integer or a decimal,
/// perhaps signed, perhaps with an exponent; never `NaN` or `Infinity`.
fn is_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A literal string or number as CloudFormation compares parameter values: as text.
fn scalar_text(e: &Expr) -> Option<Cow<'_, str>> {
    match e {
        Expr::String(s) => Some(Cow::Borrowed(s)),
        Expr::Int(i) => Some(Cow::Owned(i.to_string())),
        Expr::Float(x) => Some(Cow::Owned(x.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_what_a_number_parameter_takes() {
        for ok in ["0", "-3", "+3", "0.5", ".5", "1e3", "2.5E-2"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", "abc", "NaN", "inf", "Infinity", "1,5", "1 ", "e", "-"] {
            assert!(!is_number(bad), "{bad}");
        }
    }
}
