//! CloudFormation YAML: a template written with the short-form tags people write by hand.
//!
//! The template is serialized to JSON first (the form CloudFormation reads, in its key order),
//! then written by a small YAML emitter that recognises intrinsic functions and writes them as
//! tags: `!Ref Vpc`, `!GetAtt Vpc.CidrBlock`, `!Sub '${AWS::StackName}-logs'`, `!Select` over a
//! block sequence, and so on.
//!
//! YAML allows one tag per node, so an intrinsic whose argument is itself an intrinsic is written
//! in long form around the short inner one (`Fn::Base64: !Sub ...`). A string is written plain
//! only when neither a YAML 1.1 nor a YAML 1.2 loader could read it as anything else; otherwise it
//! is single-quoted, double-quoted with escapes, or, when it spans lines, a literal block scalar.

use serde::Serialize;
use serde_json::{Map, Number, Value};

use super::limit::{Counter, OverLimit};

/// Renders `template` (a [`Template`](crate::Template) or a view of one) as a CloudFormation
/// YAML document.
pub(crate) fn to_yaml(template: &impl Serialize) -> String {
    let value = serde_json::to_value(template).expect("a template always serializes to JSON");
    let mut emitter = Emitter::default();
    emitter.document(&value);
    emitter.out
}

/// Like [`to_yaml`], but stops with [`OverLimit`] once the YAML passes `limit` bytes, keeping
/// memory bounded whatever the template's size.
///
/// The emitter reads the template as a `serde_json::Value`, which takes memory in proportion
/// to the template's compact JSON; that is measured first, without being kept. Compact JSON is
/// never more than twice this YAML: per character, JSON's longest escapes are at most twice
/// what YAML writes (`\"` and `\\` for one character that YAML single quotes keep as it is,
/// `\n` for a literal block's line break, six bytes `\u001f` where YAML writes at most four),
/// and per value JSON's quotes, commas, colons and brackets are matched by YAML's separator
/// spaces, line breaks, dashes and tags. So JSON past twice the limit (and a little, for
/// the document) means YAML past the limit.
pub(crate) fn to_yaml_within(template: &impl Serialize, limit: usize) -> Result<String, OverLimit> {
    let json_limit = limit.saturating_mul(2).saturating_add(64);
    serde_json::to_writer(Counter::new(json_limit), template).map_err(|_| OverLimit)?;
    let value = serde_json::to_value(template).expect("a template always serializes to JSON");
    let mut emitter = Emitter {
        out: String::new(),
        limit,
    };
    emitter.document(&value);
    match emitter.out.len() > limit {
        true => Err(OverLimit),
        false => Ok(emitter.out),
    }
}

/// The functions written as `!Name` tags, besides `Ref` and `Condition`.
const TAGGED_FUNCTIONS: &[&str] = &[
    "Fn::And",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Equals",
    "Fn::FindInMap",
    "Fn::GetAZs",
    "Fn::GetAtt",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Not",
    "Fn::Or",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
];

/// The functions whose argument list may hold `{"Condition": name}`, written `!Condition name`.
const CONDITION_FUNCTIONS: &[&str] = &["Fn::And", "Fn::If", "Fn::Not", "Fn::Or"];

/// The longest key written as an implicit key (YAML caps them at 1024 characters); longer keys
/// are written as explicit `? key` entries.
const MAX_IMPLICIT_KEY_LEN: usize = 1000;

/// Words that some YAML version reads as a boolean or null, compared ignoring ASCII case.
const RESERVED_WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

/// Characters that may not start a plain scalar, or that start one some loader reads as a
/// number, an infinity, a null, a merge key or a value key.
const LEADING_INDICATORS: &str = "-?:,[]{}#&*!|>'\"%@`+.~=<";

/// A single-key map written as a tag.
struct Call<'a> {
    /// The function's key: `Ref`, `Condition` or `Fn::…`.
    key: &'a str,
    /// The tag, without the `!`.
    tag: &'a str,
    /// The function's argument.
    arg: &'a Value,
}

/// How `map` is written as a tag, or `None` when it is written as a map (a plain map, an unknown
/// function, or a function whose argument cannot sit under a tag).
///
/// `condition_item` says whether the map is an item of a condition function's argument list,
/// the only place where `{"Condition": name}` is a function rather than a resource attribute.
fn call(map: &Map<String, Value>, condition_item: bool) -> Option<Call<'_>> {
    if map.len() != 1 {
        return None;
    }
    let (key, arg) = map.iter().next()?;
    let tag = match key.as_str() {
        "Ref" => "Ref",
        "Condition" if condition_item && arg.is_string() => "Condition",
        "Fn::GetAtt" if !arg.is_array() => return None,
        other if TAGGED_FUNCTIONS.contains(&other) => other.strip_prefix("Fn::")?,
        _ => return None,
    };
    match arg {
        // A tagged scalar is always read back as a string.
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
        // One tag per node: a function of a function is written in long form.
        Value::Object(inner) if call(inner, false).is_some() => None,
        _ => Some(Call {
            key: key.as_str(),
            tag,
            arg,
        }),
    }
}

/// The dotted short form of a `Fn::GetAtt` argument, `Resource.Attribute`, when it has one.
fn dotted(arg: &Value) -> Option<String> {
    match arg.as_array()?.as_slice() {
        [Value::String(id), Value::String(attribute)] if !id.contains('.') => {
            Some(format!("{id}.{attribute}"))
        }
        _ => None,
    }
}

/// What the current line holds before the value being written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// A key's `:` or a tag: a collection starts on the next line.
    Key,
    /// A sequence item's `-`: a collection starts on the same line, in compact form.
    Dash,
}

/// Writes JSON-shaped data as block-style YAML with CloudFormation tags.
///
/// Every `write_*` method starts on a line that already holds its prefix (a key, a dash or a
/// tag, with no trailing space) and ends after a line break. `indent` is the column of that
/// prefix's key or dash; nested entries go two columns further in.
struct Emitter {
    out: String,
    /// Past this many bytes, nothing more is written (see [`to_yaml_within`]).
    limit: usize,
}

impl Default for Emitter {
    fn default() -> Self {
        Self {
            out: String::new(),
            limit: usize::MAX,
        }
    }
}

impl Emitter {
    /// Whether the output passed the limit: every loop stops, and no value is started.
    fn full(&self) -> bool {
        self.out.len() > self.limit
    }

    fn document(&mut self, value: &Value) {
        match value {
            Value::Object(map) if !map.is_empty() && call(map, false).is_none() => {
                self.write_entries(map, 0, false);
            }
            other => {
                self.out.push_str("---");
                self.write_value(other, 0, After::Key, false);
            }
        }
    }

    fn write_value(&mut self, value: &Value, indent: usize, after: After, condition_item: bool) {
        if self.full() {
            return;
        }
        match value {
            Value::Object(map) => match call(map, condition_item) {
                Some(call) => self.write_call(&call, indent),
                None if map.is_empty() => self.write_scalar("{}"),
                None => {
                    self.out.push(if after == After::Dash { ' ' } else { '\n' });
                    self.write_entries(map, indent + 2, after == After::Dash);
                }
            },
            Value::Array(items) => self.write_items(items, indent, after, false),
            Value::String(s) => match literal(s) {
                Some(block) => self.write_literal(&block, indent),
                None => self.write_scalar(&quote(s)),
            },
            Value::Null => self.write_scalar("null"),
            Value::Bool(b) => self.write_scalar(if *b { "true" } else { "false" }),
            Value::Number(n) => self.write_scalar(&number(n)),
        }
    }

    fn write_call(&mut self, call: &Call<'_>, indent: usize) {
        self.out.push_str(" !");
        self.out.push_str(call.tag);
        if let Some(dotted) = dotted(call.arg).filter(|_| call.tag == "GetAtt") {
            return self.write_scalar(&quote(&dotted));
        }
        match call.arg {
            Value::Array(items) => {
                let conditions = CONDITION_FUNCTIONS.contains(&call.key);
                self.write_items(items, indent, After::Key, conditions);
            }
            arg => self.write_value(arg, indent, After::Key, false),
        }
    }

    /// Writes the entries of `map` at column `indent`, the first on the current line if `inline`.
    fn write_entries(&mut self, map: &Map<String, Value>, indent: usize, inline: bool) {
        for (i, (key, value)) in map.iter().enumerate() {
            if self.full() {
                return;
            }
            if i > 0 || !inline {
                self.write_indent(indent);
            }
            let key_repr = quote(key);
            if key_repr.len() <= MAX_IMPLICIT_KEY_LEN {
                self.out.push_str(&key_repr);
            } else {
                self.out.push_str("? ");
                self.out.push_str(&key_repr);
                self.out.push('\n');
                self.write_indent(indent);
            }
            self.out.push(':');
            self.write_value(value, indent, After::Key, false);
        }
    }

    /// Writes a sequence; `conditions` says whether it is a condition function's argument list.
    fn write_items(&mut self, items: &[Value], indent: usize, after: After, conditions: bool) {
        if items.is_empty() {
            return self.write_scalar("[]");
        }
        self.out.push(if after == After::Dash { ' ' } else { '\n' });
        for (i, item) in items.iter().enumerate() {
            if self.full() {
                return;
            }
            if i > 0 || after != After::Dash {
                self.write_indent(indent + 2);
            }
            self.out.push('-');
            self.write_value(item, indent + 2, After::Dash, conditions);
        }
    }

    fn write_literal(&mut self, block: &Literal<'_>, indent: usize) {
        self.out.push_str(" |");
        self.out.push_str(block.chomping);
        self.out.push('\n');
        for line in block.body.split('\n') {
            if self.full() {
                return;
            }
            if !line.is_empty() {
                self.write_indent(indent + 2);
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
        for _ in 1..block.trailing_newlines {
            self.out.push('\n');
        }
    }

    fn write_scalar(&mut self, repr: &str) {
        self.out.push(' ');
        self.out.push_str(repr);
        self.out.push('\n');
    }

    fn write_indent(&mut self, indent: usize) {
        self.out.push_str(&" ".repeat(indent));
    }
}

/// A multi-line string as a literal block scalar: `|` keeps one final line break, `|-` none,
/// `|+` all of them.
struct Literal<'a> {
    chomping: &'static str,
    /// The string without its final line breaks.
    body: &'a str,
    trailing_newlines: usize,
}

/// The literal block form of `s`, when it spans lines and reads back exactly: every character
/// printable, no line ending in a space or tab, and a first non-empty line that does not start
/// with one (it sets the block's indentation).
fn literal(s: &str) -> Option<Literal<'_>> {
    if !s.contains('\n') {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let first = body.split('\n').find(|line| !line.is_empty())?;
    if first.starts_with([' ', '\t'])
        || !body
            .chars()
            .all(|c| c == '\n' || c == '\t' || is_printable(c))
        || body.split('\n').any(|line| line.ends_with([' ', '\t']))
    {
        return None;
    }
    let trailing_newlines = s.len() - body.len();
    let chomping = match trailing_newlines {
        0 => "-",
        1 => "",
        _ => "+",
    };
    Some(Literal {
        chomping,
        body,
        trailing_newlines,
    })
}

/// A string as a one-line scalar: plain when unambiguous, else single- or double-quoted.
fn quote(s: &str) -> String {
    if is_plain(s) {
        s.to_owned()
    } else if s.chars().all(is_printable) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        double_quote(s)
    }
}

/// Whether `c` may appear unescaped in a scalar: printable in YAML, and no line break, tab or
/// byte order mark (which some loaders treat specially).
fn is_printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `s` can be written as a plain scalar and be read back as this string by YAML 1.1
/// and 1.2 loaders alike.
fn is_plain(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    if LEADING_INDICATORS.contains(first)
        || first.is_whitespace()
        || last.is_whitespace()
        || last == ':'
        || !s.chars().all(is_printable)
        || s.contains(": ")
        || s.contains(" #")
        || RESERVED_WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
    {
        return false;
    }
    // Numbers, dates, times and sexagesimals of every YAML version start with a digit and are
    // made of these characters (YAML 1.1 even reads `10.0.0.0` as a float).
    let numeric = |c: char| c.is_ascii_alphanumeric() || "_.:+-, ".contains(c);
    !(first.is_ascii_digit() && s.chars().all(numeric))
}

/// A double-quoted scalar, escaping everything that is not printable.
fn double_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if is_printable(c) => out.push(c),
            c if u32::from(c) <= 0xff => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// A JSON number as YAML. Floats always get a `.` and a signed exponent, the only float form
/// YAML 1.1 loaders accept (`1e20` would be read back as a string).
fn number(n: &Number) -> String {
    let s = n.to_string();
    if !n.is_f64() {
        return s;
    }
    match s.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => {
            let point = if mantissa.contains('.') { "" } else { ".0" };
            let sign = if exponent.starts_with(['+', '-']) {
                ""
            } else {
                "+"
            };
            format!("{mantissa}{point}e{sign}{exponent}")
        }
        None if s.contains('.') => s,
        None => s + ".0",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::expr::Expr;
    use crate::model::logical_id::LogicalId;
    use crate::model::template::{
        DeletionPolicy, Export, Output, Parameter, ResourceEntry, Template, FORMAT_VERSION,
    };

    fn id(s: &str) -> LogicalId {
        LogicalId::new(s).unwrap()
    }

    #[test]
    fn compact_json_is_never_more_than_twice_the_yaml() {
        // The worst cases: characters JSON escapes and YAML does not, short and empty strings,
        // short keys, nested lists and maps written compactly.
        let strings = [
            "\"".repeat(500),
            "\\".repeat(500),
            "\n".repeat(500),
            "\u{1}".repeat(500),
            "a\"\n\\\u{1f}".repeat(100),
            String::new(),
            "x".into(),
        ];
        let mut values: Vec<Value> = strings.iter().map(|s| json!(s)).collect();
        values.push(json!(strings
            .iter()
            .map(|s| json!([s, s]))
            .collect::<Vec<_>>()));
        values.push(json!((0..300)
            .map(|i| (format!("{}", i % 10), json!(i % 10)))
            .collect::<Map<_, _>>()));
        values.push(json!([[[[[["x"]]]]], [[[[[]]]]], {"a": {"b": {"c": ""}}}]));
        values
            .push(json!([{"Ref": "A"}, {"Fn::GetAtt": ["A", "B"]}, {"Fn::Join": ["", ["a", ""]]}]));
        for value in values {
            let yaml = to_yaml(&value);
            let json = serde_json::to_vec(&value).unwrap();
            assert!(
                json.len() <= 2 * yaml.len() + 64,
                "{} > 2 x {}: {yaml}",
                json.len(),
                yaml.len()
            );
        }
    }

    #[test]
    fn yaml_over_the_limit_is_refused_and_not_finished() {
        // Small as JSON, large as YAML: every line indented 120 columns.
        let mut leaves = Map::new();
        for i in 0..20_000 {
            leaves.insert(format!("k{i}"), json!(1));
        }
        let mut value = Value::Object(leaves);
        for _ in 0..60 {
            value = json!({ "n": value });
        }
        let whole = to_yaml(&value);
        assert!(whole.len() > 2_000_000 && serde_json::to_vec(&value).unwrap().len() < 300_000);
        assert_eq!(to_yaml_within(&value, 1_000_000), Err(OverLimit));
        assert_eq!(to_yaml_within(&value, whole.len()), Ok(whole));
        let mut emitter = Emitter {
            out: String::new(),
            limit: 1_000_000,
        };
        emitter.document(&value);
        assert!(emitter.out.len() < 1_001_000, "{}", emitter.out.len());
    }

    fn s(x: &str) -> Expr {
        Expr::string(x)
    }

    fn r(name: &str) -> Expr {
        Expr::ref_to(name)
    }

    fn att(logical_id: &str, attribute: &str) -> Expr {
        Expr::get_att(logical_id, attribute)
    }

    fn sub(template: &str) -> Expr {
        Expr::sub(template)
    }

    fn map(entries: Vec<(&str, Expr)>) -> Expr {
        Expr::map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    fn resource(type_name: &str, properties: Vec<(&str, Expr)>) -> ResourceEntry {
        ResourceEntry {
            properties: properties
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            ..ResourceEntry::new(type_name)
        }
    }

    fn template(resources: Vec<(&str, ResourceEntry)>) -> Template {
        Template {
            format_version: FORMAT_VERSION,
            resources: resources.into_iter().map(|(k, v)| (id(k), v)).collect(),
            ..Template::default()
        }
    }

    fn topic(properties: Vec<(&str, Expr)>) -> Template {
        template(vec![("Topic", resource("AWS::SNS::Topic", properties))])
    }

    /// Reads YAML back as CloudFormation JSON, turning tags into intrinsic functions.
    fn parse(yaml: &str) -> serde_json::Value {
        let value: serde_yaml::Value =
            serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("invalid YAML ({e}):\n{yaml}"));
        to_json(value)
    }

    fn to_json(value: serde_yaml::Value) -> serde_json::Value {
        use serde_yaml::Value as Y;
        match value {
            Y::Null => serde_json::Value::Null,
            Y::Bool(b) => b.into(),
            Y::Number(n) => {
                if let Some(u) = n.as_u64() {
                    u.into()
                } else if let Some(i) = n.as_i64() {
                    i.into()
                } else {
                    serde_json::Number::from_f64(n.as_f64().unwrap())
                        .unwrap()
                        .into()
                }
            }
            Y::String(s) => s.into(),
            Y::Sequence(items) => items.into_iter().map(to_json).collect(),
            Y::Mapping(m) => m
                .into_iter()
                .map(|(k, v)| match k {
                    Y::String(k) => (k, to_json(v)),
                    k => panic!("non-string key {k:?}"),
                })
                .collect(),
            Y::Tagged(tagged) => {
                let tag = tagged.tag.to_string();
                let name = tag.trim_start_matches('!');
                let value = to_json(tagged.value);
                let (key, value) = match (name, value) {
                    ("Ref" | "Condition", v) => (name.to_owned(), v),
                    ("GetAtt", serde_json::Value::String(dotted)) => {
                        let (id, attribute) = dotted.split_once('.').unwrap();
                        ("Fn::GetAtt".to_owned(), json!([id, attribute]))
                    }
                    (_, v) => (format!("Fn::{name}"), v),
                };
                json!({ key: value })
            }
        }
    }

    /// Renders `t`, checks the YAML reads back as the template's JSON, and returns it.
    fn round_trip(t: &Template) -> String {
        let yaml = to_yaml(t);
        assert_eq!(parse(&yaml), serde_json::to_value(t).unwrap(), "\n{yaml}");
        assert!(yaml.ends_with('\n') && !yaml.ends_with("\n\n\n"), "{yaml}");
        let trailing = yaml.lines().find(|l| l.ends_with([' ', '\t']));
        assert_eq!(trailing, None, "a line ends in whitespace:\n{yaml}");
        yaml
    }

    #[test]
    fn writes_each_intrinsic_as_a_short_form_tag() {
        let t = topic(vec![
            ("Ref", r("AWS::Region")),
            ("GetAtt", att("Db", "Endpoint.Address")),
            ("Sub", sub("${AWS::StackName}-logs")),
            (
                "SubVars",
                Expr::Sub {
                    template: "${A}-x".into(),
                    vars: Box::new([("A".to_owned(), r("Name"))].into_iter().collect()),
                },
            ),
            (
                "Join",
                Expr::Join {
                    delimiter: ",".into(),
                    items: Box::new(Expr::List(vec![s("a"), r("B")])),
                },
            ),
            (
                "Select",
                Expr::Select {
                    index: Box::new(Expr::Int(0)),
                    list: Box::new(Expr::GetAzs(Box::new(s("")))),
                },
            ),
            (
                "Split",
                Expr::Split {
                    delimiter: "|".into(),
                    source: Box::new(s("a|b")),
                },
            ),
            (
                "Cidr",
                Expr::Cidr {
                    block: Box::new(att("Vpc", "CidrBlock")),
                    count: Box::new(Expr::Int(6)),
                    cidr_bits: Box::new(Expr::Int(8)),
                },
            ),
            (
                "If",
                Expr::If {
                    condition: "IsProd".into(),
                    then: Box::new(s("big")),
                    otherwise: Box::new(r("AWS::NoValue")),
                },
            ),
            ("Import", Expr::ImportValue(Box::new(s("shared-vpc")))),
            ("Base64", Expr::Base64(Box::new(s("echo hi")))),
            (
                "FindInMap",
                Expr::FindInMap {
                    map: "Amis".into(),
                    top_key: Box::new(r("AWS::Region")),
                    second_key: Box::new(s("Arm")),
                },
            ),
        ]);
        let expected = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Ref: !Ref AWS::Region
      GetAtt: !GetAtt Db.Endpoint.Address
      Sub: !Sub ${AWS::StackName}-logs
      SubVars: !Sub
        - ${A}-x
        - A: !Ref Name
      Join: !Join
        - ','
        - - a
          - !Ref B
      Select: !Select
        - 0
        - !GetAZs ''
      Split: !Split
        - '|'
        - a|b
      Cidr: !Cidr
        - !GetAtt Vpc.CidrBlock
        - 6
        - 8
      If: !If
        - IsProd
        - big
        - !Ref AWS::NoValue
      Import: !ImportValue shared-vpc
      Base64: !Base64 echo hi
      FindInMap: !FindInMap
        - Amis
        - !Ref AWS::Region
        - Arm
";
        assert_eq!(round_trip(&t), expected);
    }

    #[test]
    fn conditions_use_condition_tags_only_inside_condition_functions() {
        let mut t = topic(vec![]);
        let mut entry = t.resources[0].clone();
        entry.condition = Some("IsProd".into());
        entry.depends_on = vec!["Other".into()];
        entry.deletion_policy = Some(DeletionPolicy::Retain);
        t.resources[0] = entry;
        let is_prod = Expr::Equals(Box::new(r("Env")), Box::new(s("prod")));
        t.conditions.insert(id("IsProd"), is_prod);
        let not_prod = Expr::Not(Box::new(Expr::Condition("IsProd".into())));
        t.conditions.insert(id("NotProd"), not_prod);
        let both = Expr::And(vec![
            Expr::Condition("IsProd".into()),
            Expr::Or(vec![
                Expr::Condition("NotProd".into()),
                Expr::Equals(Box::new(r("AWS::Region")), Box::new(s("us-east-1"))),
            ]),
        ]);
        t.conditions.insert(id("Both"), both);
        t.outputs.insert(
            id("TopicArn"),
            Output {
                description: None,
                condition: Some("IsProd".into()),
                value: r("Topic"),
                export: Some(Export {
                    name: sub("${AWS::StackName}-TopicArn"),
                }),
            },
        );
        let expected = "\
AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  IsProd: !Equals
    - !Ref Env
    - prod
  NotProd: !Not
    - !Condition IsProd
  Both: !And
    - !Condition IsProd
    - !Or
      - !Condition NotProd
      - !Equals
        - !Ref AWS::Region
        - us-east-1
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Condition: IsProd
    DependsOn:
      - Other
    DeletionPolicy: Retain
Outputs:
  TopicArn:
    Condition: IsProd
    Value: !Ref Topic
    Export:
      Name: !Sub ${AWS::StackName}-TopicArn
";
        assert_eq!(round_trip(&t), expected);
    }

    #[test]
    fn a_function_of_a_function_is_written_in_long_form() {
        let t = topic(vec![
            (
                "UserData",
                Expr::Base64(Box::new(sub("#!/bin/bash\necho ${AWS::Region}\n"))),
            ),
            ("Import", Expr::ImportValue(Box::new(sub("${Env}-VpcId")))),
            ("Azs", Expr::GetAzs(Box::new(r("AWS::Region")))),
            (
                "Listed",
                Expr::List(vec![
                    Expr::Base64(Box::new(r("Text"))),
                    Expr::Select {
                        index: Box::new(Expr::Int(1)),
                        list: Box::new(Expr::GetAzs(Box::new(r("AWS::Region")))),
                    },
                ]),
            ),
            // Not a function: a condition reference outside a condition function is a map.
            ("Plain", Expr::Condition("IsProd".into())),
        ]);
        let expected = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          echo ${AWS::Region}
      Import:
        Fn::ImportValue: !Sub ${Env}-VpcId
      Azs:
        Fn::GetAZs: !Ref AWS::Region
      Listed:
        - Fn::Base64: !Ref Text
        - !Select
          - 1
          - Fn::GetAZs: !Ref AWS::Region
      Plain:
        Condition: IsProd
";
        assert_eq!(round_trip(&t), expected);
    }

    #[test]
    fn quotes_strings_only_when_yaml_could_misread_them() {
        let cases = [
            ("plain text", "plain text"),
            ("us-east-1a", "us-east-1a"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/*"),
            ("it's", "it's"),
            ("a#b", "a#b"),
            ("日本語", "日本語"),
            ("", "''"),
            ("yes", "'yes'"),
            ("No", "'No'"),
            ("ON", "'ON'"),
            ("y", "'y'"),
            ("null", "'null'"),
            ("~", "'~'"),
            ("true", "'true'"),
            ("2010-09-09", "'2010-09-09'"),
            ("10.0.0.0", "'10.0.0.0'"),
            ("1e3", "'1e3'"),
            ("0x1F", "'0x1F'"),
            ("0777", "'0777'"),
            ("1_000", "'1_000'"),
            ("12:30", "'12:30'"),
            ("1.0", "'1.0'"),
            (".5", "'.5'"),
            ("+1", "'+1'"),
            (".inf", "'.inf'"),
            (".nan", "'.nan'"),
            ("<<", "'<<'"),
            (" x", "' x'"),
            ("x ", "'x '"),
            ("a: b", "'a: b'"),
            ("a:", "'a:'"),
            ("x #y", "'x #y'"),
            ("#x", "'#x'"),
            ("- x", "'- x'"),
            ("*", "'*'"),
            ("!Ref", "'!Ref'"),
            ("'q'", "'''q'''"),
            ("tab\there", "\"tab\\there\""),
            (
                "a\u{7}\u{85}\u{2028}\u{feff}\u{10ffff}",
                "\"a\\a\\N\\L\\uFEFF\u{10ffff}\"",
            ),
            ("back\\slash\"", "back\\slash\""),
            ("line\r\n", "\"line\\r\\n\""),
        ];
        for (input, expected) in cases {
            assert_eq!(quote(input), expected, "{input:?}");
        }
        let values = cases.iter().map(|(input, _)| s(input)).collect();
        let keys = cases.iter().map(|(input, _)| (*input, s(input))).collect();
        round_trip(&topic(vec![
            ("Values", Expr::List(values)),
            ("Keys", map(keys)),
        ]));
    }

    #[test]
    fn writes_multi_line_strings_as_literal_blocks() {
        let code = "def handler(event, context):\n    return 'ok'\n";
        let t = topic(vec![
            ("Clip", s(code)),
            ("Strip", s("line one\n\nline three")),
            ("Keep", s("a\n\n")),
            ("Indented", s("  starts indented\nx")),
            ("TrailingSpace", s("a \nb")),
            ("Tabbed", s("a\n\tb")),
            ("Crlf", s("a\r\nb")),
            ("Newlines", s("\n\n")),
            ("Nested", Expr::List(vec![s("x\ny\n")])),
        ]);
        let expected = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Clip: |
        def handler(event, context):
            return 'ok'
      Strip: |-
        line one

        line three
      Keep: |+
        a

      Indented: \"  starts indented\\nx\"
      TrailingSpace: \"a \\nb\"
      Tabbed: |-
        a
        \tb
      Crlf: \"a\\r\\nb\"
      Newlines: \"\\n\\n\"
      Nested:
        - |
          x
          y
";
        assert_eq!(round_trip(&t), expected);
    }

    #[test]
    fn writes_numbers_booleans_nulls_and_empty_collections() {
        let mut t = topic(vec![
            ("Int", Expr::Int(-42)),
            ("Float", Expr::Float(0.5)),
            ("Whole", Expr::Float(3.0)),
            ("Huge", Expr::Float(1e20)),
            ("Tiny", Expr::Float(-1.5e-7)),
            ("Flag", Expr::Bool(true)),
            ("Nothing", Expr::Null),
            ("EmptyList", Expr::List(vec![])),
            ("EmptyMap", map(vec![])),
            (
                "Lists",
                Expr::List(vec![Expr::List(vec![Expr::Int(1), Expr::Int(2)])]),
            ),
            (
                "Maps",
                Expr::List(vec![map(vec![
                    ("A", Expr::Int(1)),
                    ("B", map(vec![("C", s("d"))])),
                ])]),
            ),
        ]);
        t.parameters.insert(
            id("Env"),
            Parameter {
                type_name: "String".into(),
                description: None,
                default: Some(s("dev")),
                allowed_values: vec![s("dev"), s("prod")],
                allowed_pattern: None,
                min_length: Some(1),
                max_length: None,
                min_value: None,
                max_value: Some(10.0),
                no_echo: true,
                constraint_description: None,
            },
        );
        let expected = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues:
      - dev
      - prod
    MinLength: 1
    MaxValue: 10.0
    NoEcho: true
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Int: -42
      Float: 0.5
      Whole: 3.0
      Huge: 1.0e+20
      Tiny: -1.5e-7
      Flag: true
      Nothing: null
      EmptyList: []
      EmptyMap: {}
      Lists:
        - - 1
          - 2
      Maps:
        - A: 1
          B:
            C: d
";
        assert_eq!(round_trip(&t), expected);
    }

    #[test]
    fn keys_are_quoted_like_values_and_long_keys_are_explicit() {
        let long = "k".repeat(MAX_IMPLICIT_KEY_LEN + 1);
        let t = topic(vec![(
            "Tags",
            map(vec![
                ("yes", s("a")),
                ("a: b", s("b")),
                ("Fn::Base64", s("c")),
                ("multi\nline", s("d")),
                (&long, map(vec![("x", Expr::Int(1))])),
                (
                    "after",
                    Expr::List(vec![map(vec![(&long, s("e")), ("z", s("f"))])]),
                ),
            ]),
        )]);
        let yaml = round_trip(&t);
        let expected = format!(
            "
      Tags:
        'yes': a
        'a: b': b
        Fn::Base64: c
        \"multi\\nline\": d
        ? {long}
        :
          x: 1
        after:
          - ? {long}
            : e
            z: f
"
        );
        assert!(yaml.ends_with(&expected), "{yaml}");
    }

    #[test]
    fn the_deepest_template_synth_writes_reads_back() {
        use crate::model::template::MAX_TEMPLATE_DEPTH;
        // A property sits inside four objects; each shape nests the rest of the way.
        let levels = MAX_TEMPLATE_DEPTH - 4;
        let wrap = |levels: usize, per_level: usize, f: &dyn Fn(Expr) -> Expr| {
            assert_eq!(levels % per_level, 0);
            (0..levels / per_level).fold(s("x"), |e, _| f(e))
        };
        let b = Box::new;
        let shapes = [
            wrap(levels, 1, &|e| Expr::Base64(b(e))),
            wrap(levels, 1, &|e| Expr::List(vec![e])),
            wrap(levels, 1, &|e| map(vec![("K", e)])),
            wrap(levels, 3, &|e| Expr::Join {
                delimiter: ",".into(),
                items: b(Expr::List(vec![e])),
            }),
            Expr::Base64(b(wrap(levels - 1, 2, &|e| Expr::Not(b(e))))),
            wrap(levels, 3, &|e| Expr::Sub {
                template: "${V}".into(),
                vars: Box::new([("V".to_owned(), e)].into_iter().collect()),
            }),
        ];
        for shape in shapes {
            let t = topic(vec![("Deep", shape)]);
            let json = serde_json::to_string(&t).unwrap();
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(back, serde_json::to_value(&t).unwrap());
            round_trip(&t);
        }
    }

    #[test]
    fn raw_json_that_cannot_be_tagged_stays_long_form() {
        let raw = json!({
            // The dotted string form parses as a GetAtt, so it gets the short tag.
            "GetAttString": {"Fn::GetAtt": "A.B"},
            "GetAttDotted": {"Fn::GetAtt": ["A.B", "C"]},
            "GetAttRef": {"Fn::GetAtt": ["A", {"Ref": "Attr"}]},
            "RefNumber": {"Ref": 5},
            "Unknown": {"Fn::Length": [1, 2]},
            "TwoKeys": {"Ref": "A", "Fn::Sub": "b"},
            "Empty": {"Fn::Join": ["", []]},
        });
        let t = topic(vec![("Raw", Expr::from(raw))]);
        let expected = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Raw:
        GetAttString: !GetAtt A.B
        GetAttDotted: !GetAtt
          - A.B
          - C
        GetAttRef: !GetAtt
          - A
          - !Ref Attr
        RefNumber:
          Ref: 5
        Unknown:
          Fn::Length:
            - 1
            - 2
        TwoKeys:
          Ref: A
          Fn::Sub: b
        Empty: !Join
          - ''
          - []
";
        assert_eq!(round_trip(&t), expected);
    }

    /// Nasty strings, and deterministic combinations of their fragments.
    fn tricky_strings() -> Vec<String> {
        let fragments = [
            "",
            " ",
            "  ",
            "a",
            "Z9",
            "yes",
            "No",
            "on",
            "~",
            "null",
            "true",
            "0",
            "1",
            "0777",
            "1.0",
            ".5",
            "1e3",
            "0x1F",
            "1_000",
            "12:30",
            "2010-09-09",
            ".inf",
            "-",
            "- ",
            ":",
            ": ",
            "::",
            "#",
            " #",
            "'",
            "\"",
            "\\",
            "\n",
            "\t",
            "\r",
            "é",
            "日本",
            "\u{1F600}",
            "\u{0}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{feff}",
            "{",
            "}",
            "[",
            "]",
            ",",
            "?",
            "!",
            "&",
            "*",
            "|",
            ">",
            "%",
            "@",
            "`",
            ".",
            "+",
            "=",
            "<<",
            "${AWS::Region}",
            "it's",
            "0.0.0.0/0",
            "---",
            "...",
            "\n\n",
        ];
        let mut out: Vec<String> = Vec::new();
        for a in fragments {
            for b in fragments {
                out.push(format!("{a}{b}"));
            }
        }
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let len = 3 + next(4);
            out.push((0..len).map(|_| fragments[next(fragments.len())]).collect());
        }
        out.extend([
            "def handler(event, context):\n    return {'ok': True}\n".to_owned(),
            "#!/bin/bash\nset -eu\necho \"${AWS::Region}\"".to_owned(),
            "line\n\n\n".to_owned(),
            "x".repeat(1500),
        ]);
        out
    }

    #[test]
    fn generated_strings_round_trip_in_every_position() {
        let strings = tricky_strings();
        for chunk in strings.chunks(200) {
            let mut properties = Vec::new();
            for (i, text) in chunk.iter().enumerate() {
                let id_part = text.replace('.', "");
                let entry = map(vec![
                    ("Value", s(text)),
                    ("List", Expr::List(vec![s(text), Expr::Int(i as i64)])),
                    ("Ref", r(text)),
                    ("GetAtt", att(&id_part, text)),
                    ("Sub", sub(text)),
                    (
                        "Join",
                        Expr::Join {
                            delimiter: text.clone(),
                            items: Box::new(Expr::List(vec![s(text)])),
                        },
                    ),
                    ("Keyed", map(vec![(text.as_str(), s(text))])),
                    ("Cond", Expr::Not(Box::new(Expr::Condition(text.clone())))),
                    ("B64", Expr::Base64(Box::new(sub(text)))),
                ]);
                properties.push((text.as_str(), entry));
            }
            let mut t = topic(properties);
            t.description = chunk.first().cloned();
            round_trip(&t);
        }
    }
}
