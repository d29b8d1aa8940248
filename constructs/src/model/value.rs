//! Typed template values.
//!
//! A [`Value<T>`] is an [`Expr`] with a Rust type that says what the value is: a string, a
//! number, a list, or the identifier of one particular kind of resource. The type parameter is
//! a *kind*, never stored: it only lets the compiler refuse a value where it does not belong.
//!
//! ```
//! use constructs::{Value, kinds::List};
//!
//! let name: Value<String> = "orders".into();
//! let sizes: Value<List<String>> = vec!["a", "b"].into();
//! let port: Value<i64> = 443.into();
//! # let _ = (name, sizes, port);
//! ```
//!
//! Identifiers are typed by the resource they name. The id of a VPC is a `Value<Id<Vpc>>`, so it
//! cannot be passed where a subnet id is expected; it still widens to a `Value<String>` wherever
//! any string will do.

use std::fmt;
use std::marker::PhantomData;

use serde::{Serialize, Serializer};

use super::expr::Expr;

/// Value kinds: zero-sized markers used only as the type parameter of [`Value`].
pub mod kinds {
    use std::marker::PhantomData;

    /// Any JSON shape: a free-form object such as a policy document or a map of strings.
    #[derive(Debug)]
    pub enum Json {}

    /// A list whose items are of kind `T`.
    #[derive(Debug)]
    pub struct List<T>(PhantomData<fn() -> T>);

    /// The identifier of a resource of type `R`, such as a VPC id (`vpc-…`).
    #[derive(Debug)]
    pub struct Id<R>(PhantomData<fn() -> R>);

    /// The ARN of a resource of type `R`.
    #[derive(Debug)]
    pub struct Arn<R>(PhantomData<fn() -> R>);

    /// The name of a resource of type `R`, such as a log group's name.
    #[derive(Debug)]
    pub struct Name<R>(PhantomData<fn() -> R>);

    /// A map from string keys to values of kind `T`, such as environment variables.
    #[derive(Debug)]
    pub struct Map<T>(PhantomData<fn() -> T>);

    /// A condition: the result of `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` or a named condition.
    #[derive(Debug)]
    pub enum Cond {}
}

use indexmap::IndexMap;
use kinds::{Arn, Id, Json, List, Map, Name};

/// A template value of kind `T`.
///
/// Construct values from literals with `.into()`, from resources through their
/// [`Handle`](crate::Handle) (`vpc.reference()`, `role.att_arn()`), and from intrinsic functions
/// in [`fns`](crate::fns).
pub struct Value<T: ?Sized> {
    expr: Expr,
    kind: PhantomData<fn() -> T>,
}

impl<T: ?Sized> Value<T> {
    /// Wraps an expression as a value of kind `T`, trusting the caller that it is one.
    ///
    /// This is the escape hatch for values the type system cannot follow, such as the id of a
    /// resource created outside the app:
    ///
    /// ```
    /// use constructs::{Value, kinds::Id, cfn::ec2::Vpc};
    ///
    /// let existing: Value<Id<Vpc>> = Value::unchecked("vpc-0123456789abcdef0");
    /// # let _ = existing;
    /// ```
    pub fn unchecked(expr: impl Into<Expr>) -> Self {
        Self {
            expr: expr.into(),
            kind: PhantomData,
        }
    }

    /// The expression behind this value.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Unwraps the expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// Forgets the kind: any value may stand where free-form JSON is accepted.
    pub fn into_json(self) -> Value<Json> {
        Value::unchecked(self.expr)
    }
}

impl<T: ?Sized> Clone for Value<T> {
    fn clone(&self) -> Self {
        Value::unchecked(self.expr.clone())
    }
}

impl<T: ?Sized> PartialEq for Value<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl<T: ?Sized> fmt::Debug for Value<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl<T: ?Sized> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.expr.serialize(s)
    }
}

impl From<&str> for Expr {
    fn from(s: &str) -> Self {
        Expr::String(s.to_owned())
    }
}

impl From<String> for Expr {
    fn from(s: String) -> Self {
        Expr::String(s)
    }
}

impl From<i64> for Expr {
    fn from(n: i64) -> Self {
        Expr::Int(n)
    }
}

impl From<i32> for Expr {
    fn from(n: i32) -> Self {
        Expr::Int(n.into())
    }
}

impl From<f64> for Expr {
    fn from(n: f64) -> Self {
        Expr::Float(n)
    }
}

impl From<bool> for Expr {
    fn from(b: bool) -> Self {
        Expr::Bool(b)
    }
}

impl From<&str> for Value<String> {
    fn from(s: &str) -> Self {
        Value::unchecked(s)
    }
}

impl From<String> for Value<String> {
    fn from(s: String) -> Self {
        Value::unchecked(s)
    }
}

impl From<&String> for Value<String> {
    fn from(s: &String) -> Self {
        Value::unchecked(s.as_str())
    }
}

macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<i64> {
            fn from(n: $t) -> Self {
                Value::unchecked(Expr::Int(n as i64))
            }
        }
    )*};
}
int_values!(i8, i16, i32, i64, u8, u16, u32);

impl From<f64> for Value<f64> {
    fn from(n: f64) -> Self {
        Value::unchecked(Expr::Float(n))
    }
}

impl From<i32> for Value<f64> {
    fn from(n: i32) -> Self {
        Value::unchecked(Expr::Int(n.into()))
    }
}

impl From<bool> for Value<bool> {
    fn from(b: bool) -> Self {
        Value::unchecked(Expr::Bool(b))
    }
}

impl From<serde_json::Value> for Value<Json> {
    fn from(v: serde_json::Value) -> Self {
        Value::unchecked(Expr::from(v))
    }
}

impl<T, X: Into<Value<T>>> From<Vec<X>> for Value<List<T>> {
    fn from(items: Vec<X>) -> Self {
        Value::unchecked(Expr::List(
            items.into_iter().map(|x| x.into().into_expr()).collect(),
        ))
    }
}

impl<T, X: Into<Value<T>>, const N: usize> From<[X; N]> for Value<List<T>> {
    fn from(items: [X; N]) -> Self {
        Value::unchecked(Expr::List(
            items.into_iter().map(|x| x.into().into_expr()).collect(),
        ))
    }
}

impl<T, K: Into<String>, X: Into<Value<T>>> From<Vec<(K, X)>> for Value<Map<T>> {
    fn from(entries: Vec<(K, X)>) -> Self {
        Value::unchecked(Expr::map(
            entries
                .into_iter()
                .map(|(k, x)| (k.into(), x.into().into_expr()))
                .collect(),
        ))
    }
}

impl<T, K: Into<String>, X: Into<Value<T>>, const N: usize> From<[(K, X); N]> for Value<Map<T>> {
    fn from(entries: [(K, X); N]) -> Self {
        Value::unchecked(Expr::map(
            entries
                .into_iter()
                .map(|(k, x)| (k.into(), x.into().into_expr()))
                .collect(),
        ))
    }
}

impl<T, K: Into<String>, X: Into<Value<T>>> From<IndexMap<K, X>> for Value<Map<T>> {
    fn from(entries: IndexMap<K, X>) -> Self {
        Value::unchecked(Expr::map(
            entries
                .into_iter()
                .map(|(k, x)| (k.into(), x.into().into_expr()))
                .collect(),
        ))
    }
}

macro_rules! widen_to_string {
    ($($kind:ident),*) => {$(
        impl<R> From<Value<$kind<R>>> for Value<String> {
            fn from(v: Value<$kind<R>>) -> Self {
                Value::unchecked(v.expr)
            }
        }
        impl<R> From<&Value<$kind<R>>> for Value<String> {
            fn from(v: &Value<$kind<R>>) -> Self {
                Value::unchecked(v.expr.clone())
            }
        }
        impl<R> From<Value<List<$kind<R>>>> for Value<List<String>> {
            fn from(v: Value<List<$kind<R>>>) -> Self {
                Value::unchecked(v.expr)
            }
        }
    )*};
}
widen_to_string!(Id, Arn, Name);

impl<T> From<&Value<T>> for Value<T> {
    fn from(v: &Value<T>) -> Self {
        v.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Vpc;

    #[test]
    fn literals_convert_to_their_kinds() {
        let s: Value<String> = "x".into();
        assert_eq!(serde_json::to_value(&s).unwrap(), json!("x"));
        let n: Value<i64> = 443.into();
        assert_eq!(serde_json::to_value(&n).unwrap(), json!(443));
        let l: Value<List<String>> = ["a", "b"].into();
        assert_eq!(serde_json::to_value(&l).unwrap(), json!(["a", "b"]));
    }

    #[test]
    fn typed_ids_widen_to_strings() {
        let id: Value<Id<Vpc>> = Value::unchecked("vpc-1");
        let s: Value<String> = id.into();
        assert_eq!(s.expr(), &Expr::String("vpc-1".into()));
    }
}
