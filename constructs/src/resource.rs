//! What every resource type provides, and the typed handle a stack gives back for it.

use std::marker::PhantomData;

use indexmap::IndexMap;

use crate::model::expr::{Expr, StackRef};
use crate::model::template::{ConditionRef, DeletionPolicy};

/// A CloudFormation resource type with its properties.
///
/// Implemented by every generated L1 type in [`cfn`](crate::cfn) and by
/// [`RawResource`](crate::cfn::RawResource), the escape hatch for any other type. Constructs never
/// implement it; they add L1 resources to a stack.
pub trait Resource {
    /// The CloudFormation type name, such as `AWS::EC2::VPC`.
    fn type_name(&self) -> &str;

    /// The attributes `Fn::GetAtt` accepts, or `None` when unknown (raw resources).
    fn attributes(&self) -> Option<&'static [&'static str]>;

    /// How the type takes tags, so stack tags can be applied to it.
    fn tagging(&self) -> Tagging;

    /// The properties, in schema order, as template expressions.
    fn into_properties(self) -> IndexMap<String, Expr>;
}

/// How a resource type takes tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tagging {
    /// The type takes no tags.
    None,
    /// A list of `{Key, Value}` objects in the named property.
    List(&'static str),
    /// A map of key to value in the named property.
    Map(&'static str),
}

/// A nested property type of a resource (a CloudFormation "property type").
///
/// Generated for each object definition in a schema; converts into the expression the template
/// holds.
pub trait PropertyType {
    /// The object, as a template expression.
    fn into_expr(self) -> Expr;
}

/// A typed reference to a resource that was added to a stack.
///
/// Handles are cheap to clone and outlive the borrow of the stack, so a resource of one stack can
/// be referenced from another: synth turns such a reference into an export and an import.
/// The methods that read a resource's `Ref` and attributes are generated per type, so asking
/// for an attribute a type does not have does not compile:
///
/// ```
/// use constructs::{Stack, cfn::ec2::Vpc};
///
/// let mut stack = Stack::new("Network");
/// let vpc = stack.add("Vpc", Vpc::new().cidr_block("10.0.0.0/16"));
/// let id = vpc.reference();           // Value<Id<Vpc>>
/// let cidr = vpc.att_cidr_block();    // Value<String>
/// # let _ = (id, cidr);
/// ```
pub struct Handle<R> {
    stack: StackRef,
    logical_id: String,
    kind: PhantomData<fn() -> R>,
}

impl<R> Handle<R> {
    pub(crate) fn new(stack: StackRef, logical_id: String) -> Self {
        Self {
            stack,
            logical_id,
            kind: PhantomData,
        }
    }

    /// The resource's logical id.
    pub fn logical_id(&self) -> &str {
        &self.logical_id
    }

    /// The name of the stack that holds the resource.
    pub fn stack_name(&self) -> &str {
        &self.stack
    }

    /// `{"Ref": logical id}`, remembering the owning stack.
    pub(crate) fn ref_expr(&self) -> Expr {
        Expr::Ref {
            stack: Some(self.stack.clone()),
            name: self.logical_id.clone(),
        }
    }

    /// `{"Fn::GetAtt": [logical id, attribute]}`, remembering the owning stack.
    pub(crate) fn att_expr(&self, attribute: &str) -> Expr {
        Expr::GetAtt {
            stack: Some(self.stack.clone()),
            logical_id: self.logical_id.as_str().into(),
            attribute: attribute.into(),
        }
    }
}

impl<R> Clone for Handle<R> {
    fn clone(&self) -> Self {
        Self::new(self.stack.clone(), self.logical_id.clone())
    }
}

impl<R> std::fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Handle({}/{})", self.stack, self.logical_id)
    }
}

/// A reference to any resource, used where the type does not matter (`DependsOn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnyHandle {
    pub(crate) stack: StackRef,
    pub(crate) logical_id: String,
}

impl<R> From<&Handle<R>> for AnyHandle {
    fn from(h: &Handle<R>) -> Self {
        AnyHandle {
            stack: h.stack.clone(),
            logical_id: h.logical_id.clone(),
        }
    }
}

/// Resource attributes that are not properties: `DependsOn`, `Condition`, `DeletionPolicy`,
/// `UpdateReplacePolicy` and `Metadata`.
///
/// ```
/// use constructs::{ResourceOptions, DeletionPolicy, Stack, cfn::logs::LogGroup};
///
/// let mut stack = Stack::new("App");
/// let logs = stack.add_with(
///     "Logs",
///     LogGroup::new().retention_in_days(30),
///     ResourceOptions::new().deletion_policy(DeletionPolicy::Retain),
/// );
/// # let _ = logs;
/// ```
#[derive(Clone, Debug, Default)]
pub struct ResourceOptions {
    pub(crate) depends_on: Vec<AnyHandle>,
    pub(crate) condition: Option<ConditionRef>,
    pub(crate) deletion_policy: Option<DeletionPolicy>,
    pub(crate) update_replace_policy: Option<DeletionPolicy>,
    pub(crate) metadata: IndexMap<String, Expr>,
}

impl ResourceOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Create the resource only after `other` (which must be in the same stack).
    pub fn depends_on(mut self, other: impl Into<AnyHandle>) -> Self {
        self.depends_on.push(other.into());
        self
    }

    /// Create the resource only when `condition` holds.
    pub fn condition(mut self, condition: &ConditionRef) -> Self {
        self.condition = Some(condition.clone());
        self
    }

    /// What happens to the physical resource when it leaves the stack.
    pub fn deletion_policy(mut self, policy: DeletionPolicy) -> Self {
        self.deletion_policy = Some(policy);
        self
    }

    /// What happens to the old physical resource when an update replaces it.
    pub fn update_replace_policy(mut self, policy: DeletionPolicy) -> Self {
        self.update_replace_policy = Some(policy);
        self
    }

    /// Retain the physical resource both on deletion and on replacement: the usual choice for
    /// data (tables, buckets, log groups of record).
    pub fn retain(self) -> Self {
        self.deletion_policy(DeletionPolicy::Retain)
            .update_replace_policy(DeletionPolicy::Retain)
    }

    /// Delete the physical resource both on deletion and on replacement, said explicitly: for
    /// resources that hold only work in flight (queues), so a reader of the template (and
    /// cfn-lint's I3011) sees it was chosen, not forgotten.
    ///
    /// ```
    /// use constructs::{DeletionPolicy, ResourceOptions};
    ///
    /// let options = ResourceOptions::new().delete();
    /// # let _ = (options, DeletionPolicy::Delete);
    /// ```
    pub fn delete(self) -> Self {
        self.deletion_policy(DeletionPolicy::Delete)
            .update_replace_policy(DeletionPolicy::Delete)
    }

    /// One metadata entry.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<Expr>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// Accepts one finding of the IAM check for the statement `sid` of this resource's
    /// policies, for the rare case a wildcard or an unscoped service principal is what is
    /// meant. The exemption is written into the template (`Metadata.IamExemptions`), so a
    /// reviewer sees it and why; an empty reason exempts nothing
    /// ([`Code::InvalidIamExemption`](crate::Code::InvalidIamExemption)).
    ///
    /// ```
    /// use constructs::cfn::iam::{ManagedPolicy};
    /// use constructs::iam::{Action, PolicyDocument, Sid, Statement};
    /// use constructs::{App, Code, ResourceOptions, Stack};
    ///
    /// let sid = Sid::new("MigrationTool").unwrap();
    /// let document = PolicyDocument::new().statement(
    ///     Statement::allow(Action::new("dynamodb:*").unwrap())
    ///         .resource("arn:aws:dynamodb:us-east-1:123456789012:table/legacy")
    ///         .sid(sid.clone()),
    /// );
    /// let mut stack = Stack::new("App");
    /// stack.add_with(
    ///     "Migration",
    ///     ManagedPolicy::new(document),
    ///     ResourceOptions::new().iam_exemption(
    ///         &sid,
    ///         Code::ServiceWildcardIamAction,
    ///         "the vendor's migration tool calls actions it does not document; removed after the cut-over",
    ///     ),
    /// );
    /// let mut app = App::new();
    /// app.add_stack(stack);
    /// assert!(app.assemble().is_ok());
    /// ```
    pub fn iam_exemption(mut self, sid: &crate::iam::Sid, code: crate::Code, reason: &str) -> Self {
        let mut entry = IndexMap::new();
        entry.insert("Sid".to_owned(), Expr::String(sid.as_str().to_owned()));
        entry.insert("Code".to_owned(), Expr::String(code.as_str().to_owned()));
        entry.insert("Reason".to_owned(), Expr::String(reason.to_owned()));
        let key = crate::iam::EXEMPTIONS_METADATA_KEY;
        let list = self
            .metadata
            .entry(key.to_owned())
            .or_insert_with(|| Expr::List(Vec::new()));
        match list {
            Expr::List(items) => items.push(Expr::Map(Box::new(entry))),
            // Someone set the key by hand to something else: the exemptions replace it.
            other => *other = Expr::List(vec![Expr::Map(Box::new(entry))]),
        }
        self
    }
}
