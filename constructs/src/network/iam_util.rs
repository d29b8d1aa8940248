//! Small helpers for the policies the network constructs write.
//!
//! Action names and service principals here are constants of this crate, never user input:
//! each is checked against AWS's action data by the IAM dataset test over every example
//! template, so the `expect`s below cannot fire for a released build.

use crate::iam::{Action, Principal, Statement};

/// An `Allow` statement for the named actions (at least one).
pub(crate) fn allow(names: &[&'static str]) -> Statement {
    let mut actions = names
        .iter()
        .map(|name| Action::new(name).expect("the crate's own action names are valid"));
    let first = actions
        .next()
        .expect("a statement names at least one action");
    Statement::allow(first).actions(actions)
}

/// A service principal such as `lambda.amazonaws.com`.
pub(crate) fn service(name: &'static str) -> Principal {
    Principal::service(name).expect("the crate's own service principals are valid")
}
