//! Schedules: `rate()` and `cron()` expressions for rules that run on a timer, checked as
//! EventBridge checks them.

use super::error::PipelineError;

/// The unit of a `rate()` schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateUnit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
}

impl RateUnit {
    /// The unit as written: singular for 1 (`rate(1 hour)`), plural otherwise, as EventBridge
    /// requires.
    fn word(self, value: u32) -> &'static str {
        match (self, value == 1) {
            (RateUnit::Minutes, true) => "minute",
            (RateUnit::Minutes, false) => "minutes",
            (RateUnit::Hours, true) => "hour",
            (RateUnit::Hours, false) => "hours",
            (RateUnit::Days, true) => "day",
            (RateUnit::Days, false) => "days",
        }
    }
}

/// When a scheduled rule runs: every N minutes, hours or days, or on a six-field cron
/// expression (minutes, hours, day of month, month, day of week, year; UTC).
///
/// ```
/// use constructs::pipeline::{RateUnit, Schedule};
/// use constructs::{Code, DomainError};
///
/// assert_eq!(Schedule::rate(1, RateUnit::Hours).expression().unwrap(), "rate(1 hour)");
/// assert_eq!(Schedule::cron("0 12 ? * MON-FRI *").expression().unwrap(), "cron(0 12 ? * MON-FRI *)");
/// assert_eq!(Schedule::parse("rate(5 minutes)").expression().unwrap(), "rate(5 minutes)");
/// // Day of month and day of week cannot both be given.
/// assert_eq!(Schedule::cron("0 12 1 * MON *").expression().unwrap_err()[0].code(), Code::InvalidSchedule);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule(Kind);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Rate(u32, RateUnit),
    Cron(String),
    Text(String),
}

impl Schedule {
    /// Every `value` `unit`s; `value` must be at least 1.
    pub fn rate(value: u32, unit: RateUnit) -> Self {
        Self(Kind::Rate(value, unit))
    }

    /// A cron schedule from its six fields, such as `0 12 * * ? *`.
    pub fn cron(fields: impl Into<String>) -> Self {
        Self(Kind::Cron(fields.into()))
    }

    /// A whole expression as EventBridge writes it: `rate(5 minutes)` or `cron(0 12 * * ? *)`.
    pub fn parse(expression: impl Into<String>) -> Self {
        Self(Kind::Text(expression.into()))
    }

    /// The `ScheduleExpression`, or every reason EventBridge would reject it.
    ///
    /// A cron expression with six fields has each field checked, and each bad value reported;
    /// one without six fields, or a text that is not `rate(…)` or `cron(…)`, is one error, as
    /// nothing after that can be read.
    ///
    /// ```
    /// use constructs::pipeline::Schedule;
    ///
    /// // Minute 60 and hour 24 are both out of range.
    /// assert_eq!(Schedule::cron("60 24 * * ? *").expression().unwrap_err().len(), 2);
    /// ```
    pub fn expression(&self) -> Result<String, Vec<PipelineError>> {
        match &self.0 {
            Kind::Rate(value, unit) => rate(*value, *unit).map_err(|e| vec![e]),
            Kind::Cron(fields) => cron(fields),
            Kind::Text(text) => parse(text),
        }
    }
}

fn rate(value: u32, unit: RateUnit) -> Result<String, PipelineError> {
    if value == 0 {
        return Err(PipelineError::ZeroRate);
    }
    Ok(format!("rate({value} {})", unit.word(value)))
}

/// Reads a whole expression. A `rate(…)` stops at its first problem: each part is read only
/// once the one before it is known (no number without the space before it, no unit check
/// without a number).
fn parse(text: &str) -> Result<String, Vec<PipelineError>> {
    if let Some(inner) = text.strip_prefix("rate(").and_then(|t| t.strip_suffix(')')) {
        return parse_rate(text, inner).map_err(|e| vec![e]);
    }
    if let Some(fields) = text.strip_prefix("cron(").and_then(|t| t.strip_suffix(')')) {
        return cron(fields);
    }
    Err(vec![PipelineError::NotASchedule {
        text: text.to_owned(),
    }])
}

/// Reads `rate(inner)`, written as `text`.
fn parse_rate(text: &str, inner: &str) -> Result<String, PipelineError> {
    let (number, word) = inner
        .split_once(' ')
        .ok_or_else(|| PipelineError::MalformedRate {
            text: text.to_owned(),
        })?;
    let value: u32 = number.parse().map_err(|_| PipelineError::RateNotANumber {
        text: text.to_owned(),
        number: number.to_owned(),
    })?;
    let unit = match word {
        "minute" | "minutes" => RateUnit::Minutes,
        "hour" | "hours" => RateUnit::Hours,
        "day" | "days" => RateUnit::Days,
        _ => {
            return Err(PipelineError::UnknownRateUnit {
                text: text.to_owned(),
            })
        }
    };
    let expression = rate(value, unit)?;
    if expression != text {
        return Err(PipelineError::RateUnitNumber {
            text: text.to_owned(),
            expected: expression,
        });
    }
    Ok(expression)
}

/// One cron field: its name, its range, and the names its values may have.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const FIELDS: [Field; 6] = [
    Field {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
    },
    Field {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    },
    Field {
        name: "year",
        min: 1970,
        max: 2199,
        names: &[],
    },
];

const DAY_OF_MONTH: usize = 2;
const DAY_OF_WEEK: usize = 4;

fn cron(fields: &str) -> Result<String, Vec<PipelineError>> {
    let parts: Vec<&str> = fields.split_whitespace().collect();
    // Without six fields no value can be told apart from the others: this is the one error.
    if parts.len() != 6 {
        return Err(vec![PipelineError::CronFieldCount {
            fields: fields.to_owned(),
            count: parts.len(),
        }]);
    }
    let mut problems = Vec::new();
    for (i, (part, field)) in parts.iter().zip(FIELDS.iter()).enumerate() {
        for reason in check_field(part, field, i) {
            problems.push(PipelineError::InvalidCronField {
                fields: fields.to_owned(),
                field: field.name,
                value: (*part).to_owned(),
                reason,
            });
        }
    }
    let dom_any = parts[DAY_OF_MONTH] == "?";
    let dow_any = parts[DAY_OF_WEEK] == "?";
    if dom_any == dow_any {
        problems.push(PipelineError::CronDayFields {
            fields: fields.to_owned(),
        });
    }
    if problems.is_empty() {
        Ok(format!("cron({})", parts.join(" ")))
    } else {
        Err(problems)
    }
}

/// Why each item of a field's comma-separated list is not a value of `field` (none when all
/// are). An item stops at its first problem: its parts (`base/step`, `from-to`, `day#week`)
/// are read in turn.
fn check_field(text: &str, field: &Field, index: usize) -> Vec<String> {
    if text == "?" {
        return if index == DAY_OF_MONTH || index == DAY_OF_WEEK {
            Vec::new()
        } else {
            vec!["`?` is allowed only in day-of-month and day-of-week".into()]
        };
    }
    text.split(',')
        .filter_map(|item| check_item(item, field, index).err())
        .collect()
}

fn check_item(item: &str, field: &Field, index: usize) -> Result<(), String> {
    if item.is_empty() {
        return Err("an empty list item".into());
    }
    if index == DAY_OF_MONTH {
        if item == "L" || item == "LW" {
            return Ok(());
        }
        if let Some(day) = item.strip_suffix('W') {
            return value(day, field).map(drop);
        }
    }
    if index == DAY_OF_WEEK {
        if item == "L" {
            return Ok(());
        }
        if let Some(day) = item.strip_suffix('L') {
            return value(day, field).map(drop);
        }
        if let Some((day, nth)) = item.split_once('#') {
            value(day, field)?;
            return match nth.parse::<u32>() {
                Ok(1..=5) => Ok(()),
                _ => Err(format!("`#{nth}`: the week of the month must be 1 to 5")),
            };
        }
    }
    let (base, step) = match item.split_once('/') {
        Some((base, step)) => (base, Some(step)),
        None => (item, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(n) if n >= 1 && n <= field.max => {}
            _ => return Err(format!("`/{step}`: the step must be 1 to {}", field.max)),
        }
    }
    if base == "*" {
        return Ok(());
    }
    match base.split_once('-') {
        Some((from, to)) => {
            let (from, to) = (value(from, field)?, value(to, field)?);
            // Named days and months may wrap (FRI-MON); numbers must ascend.
            if from > to && field.names.is_empty() {
                return Err(format!("the range {from}-{to} runs backwards"));
            }
            Ok(())
        }
        None => value(base, field).map(drop),
    }
}

fn value(text: &str, field: &Field) -> Result<u32, String> {
    if let Some(i) = field
        .names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(text))
    {
        return Ok(field.min + i as u32);
    }
    match text.parse::<u32>() {
        Ok(n) if (field.min..=field.max).contains(&n) => Ok(n),
        Ok(n) => Err(format!("{n} is outside {} to {}", field.min, field.max)),
        Err(_) => Err(format!("`{text}` is not a value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, DomainError};

    #[test]
    fn valid_expressions() {
        for (schedule, expected) in [
            (Schedule::rate(5, RateUnit::Minutes), "rate(5 minutes)"),
            (Schedule::rate(1, RateUnit::Minutes), "rate(1 minute)"),
            (Schedule::rate(1, RateUnit::Days), "rate(1 day)"),
            (Schedule::rate(2, RateUnit::Days), "rate(2 days)"),
            (Schedule::cron("0 12 * * ? *"), "cron(0 12 * * ? *)"),
            (
                Schedule::cron("0/15 8-17 ? * MON-FRI *"),
                "cron(0/15 8-17 ? * MON-FRI *)",
            ),
            (Schedule::cron("0 0 L * ? *"), "cron(0 0 L * ? *)"),
            (Schedule::cron("0 0 15W * ? *"), "cron(0 0 15W * ? *)"),
            (Schedule::cron("0 0 ? * 6L 2030"), "cron(0 0 ? * 6L 2030)"),
            (Schedule::cron("0 0 ? * 2#1 *"), "cron(0 0 ? * 2#1 *)"),
            (
                Schedule::cron("5,35 * ? JAN-MAR,DEC FRI-MON *"),
                "cron(5,35 * ? JAN-MAR,DEC FRI-MON *)",
            ),
            (Schedule::parse("cron(0 12 * * ? *)"), "cron(0 12 * * ? *)"),
            (Schedule::parse("rate(1 hour)"), "rate(1 hour)"),
        ] {
            assert_eq!(schedule.expression().unwrap(), expected, "{schedule:?}");
        }
    }

    #[test]
    fn invalid_expressions_are_errors() {
        for schedule in [
            Schedule::rate(0, RateUnit::Hours),
            Schedule::parse("rate(1 hours)"),
            Schedule::parse("rate(5 minute)"),
            Schedule::parse("rate(5 weeks)"),
            Schedule::parse("rate(-5 minutes)"),
            Schedule::parse("rate(5minutes)"),
            Schedule::parse("every 5 minutes"),
            Schedule::cron("0 12 * * ?"),
            Schedule::cron("0 12 * * ? * *"),
            Schedule::cron("60 12 * * ? *"),
            Schedule::cron("0 24 * * ? *"),
            Schedule::cron("0 12 0 * ? *"),
            Schedule::cron("0 12 32 * ? *"),
            Schedule::cron("0 12 ? 13 * *"),
            Schedule::cron("0 12 ? * 8 *"),
            Schedule::cron("0 12 ? * * 1969"),
            Schedule::cron("0 12 ? * * 2200"),
            Schedule::cron("0 12 1 * MON *"),
            Schedule::cron("0 12 ? * ? *"),
            Schedule::cron("? 12 * * ? *"),
            Schedule::cron("0/0 12 * * ? *"),
            Schedule::cron("0 17-8 * * ? *"),
            Schedule::cron("0 12 ? * 2#6 *"),
            Schedule::cron("0 12 ? FOO * *"),
            Schedule::cron("0 12 1,,2 * ? *"),
        ] {
            let errors = schedule.expression().unwrap_err();
            assert_eq!(errors.len(), 1, "{schedule:?}: {errors:?}");
            assert_eq!(errors[0].code(), Code::InvalidSchedule, "{schedule:?}");
        }
    }

    #[test]
    fn every_bad_cron_field_is_reported() {
        let errors = Schedule::cron("60 24 ? 13,14 MON 1969")
            .expression()
            .unwrap_err();
        let messages: Vec<String> = errors.iter().map(DomainError::message).collect();
        let prefix = "`cron(60 24 ? 13,14 MON 1969)`:";
        assert_eq!(
            messages,
            [
                format!("{prefix} minutes field `60`: 60 is outside 0 to 59"),
                format!("{prefix} hours field `24`: 24 is outside 0 to 23"),
                format!("{prefix} month field `13,14`: 13 is outside 1 to 12"),
                format!("{prefix} month field `13,14`: 14 is outside 1 to 12"),
                format!("{prefix} year field `1969`: 1969 is outside 1970 to 2199"),
            ]
        );
        // Both day fields given is a problem of its own, beside a bad value.
        let errors = Schedule::cron("0 25 1 * MON *").expression().unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
    }
}
