//! Intrinsic functions and pseudo parameters, typed.
//!
//! ```
//! use constructs::{fns, Value, kinds::List};
//!
//! let azs: Value<List<String>> = fns::get_azs();
//! let first_az: Value<String> = fns::select(0, azs);
//! let bucket = fns::sub("${AWS::StackName}-logs");
//! # let _ = (first_az, bucket);
//! ```

use super::expr::Expr;
use super::value::kinds::{Cond, List};
use super::value::Value;

fn boxed<T: ?Sized>(v: Value<T>) -> Box<Expr> {
    Box::new(v.into_expr())
}

fn pseudo<T>(name: &str) -> Value<T> {
    Value::unchecked(Expr::Ref {
        stack: None,
        name: name.to_owned(),
    })
}

/// `AWS::Region`: the region the stack is deployed in.
pub fn region() -> Value<String> {
    pseudo("AWS::Region")
}

/// `AWS::AccountId`: the account the stack is deployed in.
pub fn account_id() -> Value<String> {
    pseudo("AWS::AccountId")
}

/// `AWS::Partition`: `aws`, `aws-cn` or `aws-us-gov`.
pub fn partition() -> Value<String> {
    pseudo("AWS::Partition")
}

/// `AWS::StackName`: the name of the stack.
pub fn stack_name() -> Value<String> {
    pseudo("AWS::StackName")
}

/// `AWS::StackId`: the ARN of the stack.
pub fn stack_id() -> Value<String> {
    pseudo("AWS::StackId")
}

/// `AWS::URLSuffix`: `amazonaws.com` in most partitions.
pub fn url_suffix() -> Value<String> {
    pseudo("AWS::URLSuffix")
}

/// `AWS::NoValue`: removes the property it is assigned to, typically inside [`if_`].
pub fn no_value<T>() -> Value<T> {
    pseudo("AWS::NoValue")
}

/// `Fn::Sub` with no variables: `${Name}` refers to parameters, resources (`${Res.Attr}` to
/// attributes) and pseudo parameters of the same stack. Synth checks that each one resolves.
pub fn sub(template: impl Into<String>) -> Value<String> {
    Value::unchecked(Expr::sub(template))
}

/// `Fn::Sub` with variables. Prefer this form for references: variables are typed values, so
/// they can cross stacks.
///
/// ```
/// use constructs::{fns, Value};
///
/// let table: Value<String> = "orders".into();
/// let arn = fns::sub_with(
///     "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}",
///     [("Table", table)],
/// );
/// # let _ = arn;
/// ```
pub fn sub_with<K: Into<String>>(
    template: impl Into<String>,
    vars: impl IntoIterator<Item = (K, Value<String>)>,
) -> Value<String> {
    Value::unchecked(Expr::Sub {
        template: template.into(),
        vars: Box::new(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into_expr()))
                .collect(),
        ),
    })
}

/// `Fn::Join` of a list of strings.
pub fn join(delimiter: impl Into<String>, items: impl Into<Value<List<String>>>) -> Value<String> {
    Value::unchecked(Expr::Join {
        delimiter: delimiter.into(),
        items: boxed(items.into()),
    })
}

/// `Fn::Select`: the item at `index` of a list.
pub fn select<T>(index: u32, list: impl Into<Value<List<T>>>) -> Value<T> {
    Value::unchecked(Expr::Select {
        index: Box::new(Expr::Int(index.into())),
        list: boxed(list.into()),
    })
}

/// `Fn::Split`: a string split on a delimiter.
pub fn split(
    delimiter: impl Into<String>,
    source: impl Into<Value<String>>,
) -> Value<List<String>> {
    Value::unchecked(Expr::Split {
        delimiter: delimiter.into(),
        source: boxed(source.into()),
    })
}

/// `Fn::GetAZs ""`: the availability zones of the stack's region.
pub fn get_azs() -> Value<List<String>> {
    Value::unchecked(Expr::GetAzs(Box::new(Expr::string(""))))
}

/// `Fn::GetAZs` of a named region.
pub fn get_azs_in(region: impl Into<Value<String>>) -> Value<List<String>> {
    Value::unchecked(Expr::GetAzs(boxed(region.into())))
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved from `block`.
///
/// CloudFormation accepts a count from 1 to 256; synth rejects any other literal count.
pub fn cidr(block: impl Into<Value<String>>, count: u32, cidr_bits: u32) -> Value<List<String>> {
    Value::unchecked(Expr::Cidr {
        block: boxed(block.into()),
        count: Box::new(Expr::Int(count.into())),
        cidr_bits: Box::new(Expr::Int(cidr_bits.into())),
    })
}

/// `Fn::ImportValue` of an export of another stack, outside this app.
///
/// References between stacks of the same app need no explicit import: synth adds the export and
/// the import itself.
pub fn import_value<T>(export_name: impl Into<Value<String>>) -> Value<T> {
    Value::unchecked(Expr::ImportValue(boxed(export_name.into())))
}

/// `Fn::Base64`.
pub fn base64(value: impl Into<Value<String>>) -> Value<String> {
    Value::unchecked(Expr::Base64(boxed(value.into())))
}

/// `Fn::FindInMap`.
pub fn find_in_map<T>(
    map: &super::template::MappingRef,
    top_key: impl Into<Value<String>>,
    second_key: impl Into<Value<String>>,
) -> Value<T> {
    Value::unchecked(Expr::FindInMap {
        map: map.name().to_owned(),
        top_key: boxed(top_key.into()),
        second_key: boxed(second_key.into()),
    })
}

/// `Fn::If`: `then` when the condition holds, `otherwise` when not.
pub fn if_<T>(
    condition: &super::template::ConditionRef,
    then: impl Into<Value<T>>,
    otherwise: impl Into<Value<T>>,
) -> Value<T> {
    Value::unchecked(Expr::If {
        condition: condition.name().to_owned(),
        then: boxed(then.into()),
        otherwise: boxed(otherwise.into()),
    })
}

/// `Fn::Equals`.
pub fn equals<T>(a: impl Into<Value<T>>, b: impl Into<Value<T>>) -> Value<Cond> {
    Value::unchecked(Expr::Equals(boxed(a.into()), boxed(b.into())))
}

/// `Fn::Not`.
pub fn not(c: Value<Cond>) -> Value<Cond> {
    Value::unchecked(Expr::Not(boxed(c)))
}

/// `Fn::And` of 2 to 10 conditions (synth checks the count).
pub fn and(conditions: impl IntoIterator<Item = Value<Cond>>) -> Value<Cond> {
    Value::unchecked(Expr::And(
        conditions.into_iter().map(Value::into_expr).collect(),
    ))
}

/// `Fn::Or` of 2 to 10 conditions (synth checks the count).
pub fn or(conditions: impl IntoIterator<Item = Value<Cond>>) -> Value<Cond> {
    Value::unchecked(Expr::Or(
        conditions.into_iter().map(Value::into_expr).collect(),
    ))
}

/// A named condition, for use inside [`and`], [`or`] and [`not`].
pub fn condition(c: &super::template::ConditionRef) -> Value<Cond> {
    Value::unchecked(Expr::Condition(c.name().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn j<T>(v: Value<T>) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }

    #[test]
    fn functions_build_the_documented_shapes() {
        assert_eq!(j(region()), json!({"Ref": "AWS::Region"}));
        assert_eq!(
            j(select(1, get_azs())),
            json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(
            j(join(",", ["a", "b"])),
            json!({"Fn::Join": [",", ["a", "b"]]})
        );
        assert_eq!(
            j(cidr("10.0.0.0/16", 4, 8)),
            json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]})
        );
        assert_eq!(
            j(sub_with("${A}-x", [("A", region())])),
            json!({"Fn::Sub": ["${A}-x", {"A": {"Ref": "AWS::Region"}}]})
        );
        assert_eq!(
            j(base64(sub("#!/bin/sh"))),
            json!({"Fn::Base64": {"Fn::Sub": "#!/bin/sh"}})
        );
        assert_eq!(j(split(",", "a,b")), json!({"Fn::Split": [",", "a,b"]}));
        assert_eq!(
            j(import_value::<String>("Net:VpcId")),
            json!({"Fn::ImportValue": "Net:VpcId"})
        );
        assert_eq!(
            j(equals(region(), "us-east-1")),
            json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]})
        );
    }
}
