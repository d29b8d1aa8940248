//! What a resource provider schema says, in the terms the generated code needs.

use std::collections::{HashMap, HashSet};

use indexmap::{IndexMap, IndexSet};
use serde_json::Value as Json;

use crate::docs::first_paragraph;
use crate::names::{camel, snake};
use crate::Error;

/// Types for which cfn-lint accepts every property path as a `Fn::GetAtt` attribute, not only
/// the read-only ones. Copied from `_all_property_types` in `cfnlint/schema/_getatts.py` of the
/// pinned cfn-lint (only the types this crate generates); keep in sync when bumping cfn-lint.
const ALL_PROPERTY_TYPES: &[&str] = &[
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::Events::EventBus",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
];

/// Names a generated property-type struct must not take, because the generated module uses
/// them (imports, prelude) or because they are the resource's own name.
const RESERVED: &[&str] = &[
    "Arn",
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Err",
    "Expr",
    "From",
    "Handle",
    "Id",
    "IndexMap",
    "Into",
    "Json",
    "List",
    "Map",
    "Name",
    "None",
    "Ok",
    "Option",
    "PropertyType",
    "Resource",
    "Result",
    "Self",
    "Some",
    "String",
    "Tag",
    "Tagging",
    "Value",
    "Vec",
    "Cond",
    "ATTRIBUTES",
];

/// A generated resource type, by CloudFormation type name.
#[derive(Clone, Debug)]
pub struct TypeName {
    /// `AWS::EC2::VPC`.
    pub full: String,
    /// `EC2`.
    pub service: String,
    /// `ec2`.
    pub service_module: String,
    /// `Vpc`.
    pub struct_name: String,
    /// `vpc`.
    pub module: String,
}

impl TypeName {
    pub fn parse(full: &str) -> Result<Self, Error> {
        let parts: Vec<&str> = full.split("::").collect();
        if parts.len() != 3 || parts[0] != "AWS" {
            return Err(Error(format!("not an AWS resource type name: {full}")));
        }
        Ok(TypeName {
            full: full.to_owned(),
            service: parts[1].to_owned(),
            service_module: parts[1].to_ascii_lowercase(),
            struct_name: camel(parts[2]),
            module: snake(parts[2]),
        })
    }

    /// `crate::cfn::ec2::Vpc`.
    pub fn path(&self) -> String {
        format!("crate::cfn::{}::{}", self.service_module, self.struct_name)
    }
}

/// The kind parameter of a `Value<K>`.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Str,
    Int,
    Num,
    Bool,
    Json,
    List(Box<Kind>),
    Map(Box<Kind>),
    /// `Id`, `Arn` or `Name` of a generated resource type (by its Rust path).
    Res(&'static str, String),
    /// A property-type struct, by its key (the JSON pointer of its schema).
    Struct(String),
    /// The shared `crate::cfn::Tag`.
    Tag,
    /// Internal: an object, when computing the kind of an attribute.
    Opaque,
}

impl Kind {
    fn is_scalar(&self) -> bool {
        matches!(self, Kind::Str | Kind::Int | Kind::Num | Kind::Bool)
    }
}

/// A settable property of a resource or a property type.
#[derive(Debug)]
pub struct Prop {
    pub cfn_name: String,
    pub rust_name: String,
    pub kind: Kind,
    pub required: bool,
    pub doc: Option<String>,
}

/// A property-type struct.
#[derive(Debug)]
pub struct StructDef {
    pub name: String,
    pub doc: Option<String>,
    pub props: Vec<Prop>,
}

/// A `Fn::GetAtt` attribute.
#[derive(Debug)]
pub struct Attr {
    pub name: String,
    pub method: String,
    pub kind: Kind,
    pub doc: Option<String>,
}

#[derive(Debug)]
pub enum Tagging {
    None,
    List(String),
    Map(String),
}

/// Everything generated for one resource type.
#[derive(Debug)]
pub struct ResourceDef {
    pub type_name: TypeName,
    pub doc: Option<String>,
    pub props: Vec<Prop>,
    pub structs: Vec<StructDef>,
    pub attrs: Vec<Attr>,
    pub ref_kind: Kind,
    pub ref_doc: String,
    pub tagging: Tagging,
}

/// Resolves kinds against the generated types.
pub struct Known {
    pub types: HashMap<String, TypeName>,
}

impl Known {
    /// The kind a `format` such as `AWS::EC2::VPC.Id` names, when the type is generated.
    fn format_kind(&self, format: &str) -> Option<Kind> {
        let (type_name, suffix) = format.rsplit_once('.')?;
        let t = self.types.get(type_name)?;
        let wrapper = match suffix {
            "Id" | "Ids" => "Id",
            "Arn" | "Arns" => "Arn",
            "Name" | "AliasName" | "Names" => "Name",
            _ => return None,
        };
        let kind = Kind::Res(wrapper, t.path());
        Some(if suffix.ends_with('s') && suffix != "AliasName" {
            Kind::List(Box::new(kind))
        } else {
            kind
        })
    }
}

struct StructInfo<'a> {
    node: &'a Json,
    /// The definition name, for a struct that is a `definitions` entry.
    def_name: Option<String>,
    /// The property it was first reached through.
    prop_name: String,
    /// The key of the struct holding that property; `None` for the resource.
    parent: Option<String>,
    /// Fields reached through at least one path where they are not read-only, with kinds.
    fields: IndexMap<String, Kind>,
}

struct Walker<'a> {
    root: &'a Json,
    known: &'a Known,
    read_only: HashSet<String>,
    structs: IndexMap<String, StructInfo<'a>>,
    stack: Vec<String>,
}

fn type_list(node: &Json) -> Vec<&str> {
    match node.get("type") {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
        _ => vec![],
    }
}

fn description(node: &Json) -> Option<&str> {
    node.get("description").and_then(Json::as_str)
}

fn non_empty_properties(node: &Json) -> Option<&serde_json::Map<String, Json>> {
    node.get("properties")
        .and_then(Json::as_object)
        .filter(|p| !p.is_empty())
}

impl<'a> Walker<'a> {
    /// Follows `$ref`s; returns the pointer of the schema reached and the schema.
    fn resolve(&self, mut ptr: String, mut node: &'a Json) -> Result<(String, &'a Json), Error> {
        let mut hops = 0;
        while let Some(r) = node.get("$ref").and_then(Json::as_str) {
            let target = r
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
                .ok_or_else(|| Error(format!("unresolvable $ref {r}")))?;
            ptr = r.to_owned();
            node = target;
            hops += 1;
            if hops > 32 {
                return Err(Error(format!("$ref cycle at {r}")));
            }
        }
        Ok((ptr, node))
    }

    /// The kind of a schema. `path` is the instance path (`/properties/A/B`) when the schema is
    /// that of a settable property: property-type structs are then registered and walked.
    /// Without a path (attributes), objects are `Opaque`.
    fn kind(
        &mut self,
        ptr: String,
        node: &'a Json,
        path: Option<&str>,
        prop_name: &str,
        parent: Option<&str>,
    ) -> Result<Kind, Error> {
        let (ptr, node) = self.resolve(ptr, node)?;
        let format = node.get("format").and_then(Json::as_str);
        if format == Some("json") {
            return Ok(Kind::Json);
        }
        let types = type_list(node);
        if types.len() > 1 {
            return Ok(Kind::Json);
        }
        let ty = match types.first() {
            Some(t) => *t,
            None if node.get("properties").is_some() => "object",
            None if node.get("items").is_some() => "array",
            None => return self.combined_kind(&ptr, node),
        };
        let format_kind = format.and_then(|f| self.known.format_kind(f));
        Ok(match ty {
            "string" => match format_kind {
                Some(k @ Kind::Res(..)) => k,
                _ => Kind::Str,
            },
            "integer" => Kind::Int,
            "number" => Kind::Num,
            "boolean" => Kind::Bool,
            "array" => {
                if let Some(k @ Kind::List(_)) = format_kind {
                    return Ok(k);
                }
                let Some(items) = node.get("items") else {
                    return Ok(Kind::List(Box::new(Kind::Json)));
                };
                if !items.is_object() {
                    return Ok(Kind::Json);
                }
                let item_path = path.map(|p| format!("{p}/*"));
                let item = self.kind(
                    format!("{ptr}/items"),
                    items,
                    item_path.as_deref(),
                    prop_name,
                    parent,
                )?;
                match item {
                    Kind::List(_) | Kind::Opaque => Kind::Json,
                    item => Kind::List(Box::new(item)),
                }
            }
            "object" => {
                if non_empty_properties(node).is_some() {
                    match path {
                        Some(path) => self.struct_kind(ptr, node, path, prop_name, parent)?,
                        None => Kind::Opaque,
                    }
                } else {
                    self.map_kind(&ptr, node)?
                }
            }
            _ => Kind::Json,
        })
    }

    /// `oneOf`/`anyOf` without a type: a kind only when every branch agrees on a scalar one.
    fn combined_kind(&mut self, ptr: &str, node: &'a Json) -> Result<Kind, Error> {
        let branches = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))
            .and_then(Json::as_array);
        let Some(branches) = branches else {
            return Ok(Kind::Json);
        };
        let mut kinds = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            kinds.push(self.kind(format!("{ptr}/oneOf/{i}"), b, None, "", None)?);
        }
        Ok(match kinds.first() {
            Some(k) if k.is_scalar() && kinds.iter().all(|x| x == k) => k.clone(),
            _ => Kind::Json,
        })
    }

    /// An object without properties: a map when all values are of one scalar kind.
    fn map_kind(&mut self, ptr: &str, node: &'a Json) -> Result<Kind, Error> {
        let mut values: Vec<(String, &'a Json)> = Vec::new();
        if let Some(pp) = node.get("patternProperties").and_then(Json::as_object) {
            for (k, v) in pp {
                values.push((format!("{ptr}/patternProperties/{k}"), v));
            }
        }
        if let Some(ap) = node.get("additionalProperties").filter(|v| v.is_object()) {
            values.push((format!("{ptr}/additionalProperties"), ap));
        }
        let mut kinds = Vec::new();
        for (p, v) in values {
            kinds.push(self.kind(p, v, None, "", None)?);
        }
        Ok(match kinds.first() {
            Some(k) if k.is_scalar() && kinds.iter().all(|x| x == k) => {
                Kind::Map(Box::new(k.clone()))
            }
            _ => Kind::Json,
        })
    }

    fn struct_kind(
        &mut self,
        key: String,
        node: &'a Json,
        path: &str,
        prop_name: &str,
        parent: Option<&str>,
    ) -> Result<Kind, Error> {
        let def_name = key
            .strip_prefix("#/definitions/")
            .filter(|n| !n.contains('/'))
            .map(str::to_owned);
        let props = non_empty_properties(node).expect("struct_kind of an object with properties");
        if def_name.as_deref() == Some("Tag") {
            let kv = props.len() == 2
                && ["Key", "Value"].iter().all(|k| {
                    props
                        .get(*k)
                        .is_some_and(|p| type_list(p) == ["string"] && p.get("$ref").is_none())
                });
            if kv {
                return Ok(Kind::Tag);
            }
        }
        if !self.structs.contains_key(&key) {
            self.structs.insert(
                key.clone(),
                StructInfo {
                    node,
                    def_name,
                    prop_name: prop_name.to_owned(),
                    parent: parent.map(str::to_owned),
                    fields: IndexMap::new(),
                },
            );
        }
        if self.stack.contains(&key) {
            return Ok(Kind::Struct(key));
        }
        self.stack.push(key.clone());
        for (name, field) in props {
            let field_path = format!("{path}/{name}");
            if self.read_only.contains(&field_path) {
                continue;
            }
            let kind = self.kind(
                format!("{key}/properties/{name}"),
                field,
                Some(&field_path),
                name,
                Some(&key),
            )?;
            let info = self.structs.get_mut(&key).expect("registered above");
            info.fields.entry(name.clone()).or_insert(kind);
        }
        self.stack.pop();
        Ok(Kind::Struct(key))
    }

    /// The schema at a `/properties/A/B` pointer (`*` or an omitted index steps into items).
    fn at_pointer(&self, pointer: &str) -> Result<Option<&'a Json>, Error> {
        let mut segs = pointer.trim_start_matches('/').split('/');
        if segs.next() != Some("properties") {
            return Ok(None);
        }
        let mut node = self.root;
        let mut first = true;
        for seg in segs {
            let (_, mut n) = self.resolve(String::new(), node)?;
            if first {
                n = self.root;
                first = false;
            } else if seg == "*" {
                match n.get("items") {
                    Some(items) => {
                        node = items;
                        continue;
                    }
                    None => return Ok(None),
                }
            } else if n.get("properties").is_none() {
                if let Some(items) = n.get("items") {
                    n = self.resolve(String::new(), items)?.1;
                }
            }
            match n.get("properties").and_then(|p| p.get(seg)) {
                Some(x) => node = x,
                None => return Ok(None),
            }
        }
        Ok(if first { None } else { Some(node) })
    }

    /// cfn-lint's `GetAtts._process_schema`: every property path of the types in
    /// `ALL_PROPERTY_TYPES`.
    fn all_property_paths(
        &self,
        node: &'a Json,
        path: String,
        out: &mut IndexMap<String, &'a Json>,
    ) -> Result<(), Error> {
        let types = type_list(node);
        if types.contains(&"object") {
            if let Some(props) = node.get("properties").and_then(Json::as_object) {
                for (name, v) in props {
                    self.all_property_paths(v, format!("{path}/{name}"), out)?;
                }
            }
        } else if types.contains(&"array") {
            let item_type = node.get("items").and_then(|i| i.get("type"));
            if matches!(item_type.and_then(Json::as_str), Some("object" | "array")) {
                return Ok(());
            }
            out.insert(path, node);
        } else if node.get("$ref").is_some() {
            let (_, resolved) = self.resolve(String::new(), node)?;
            self.all_property_paths(resolved, path, out)?;
        } else {
            out.insert(path, node);
        }
        Ok(())
    }
}

fn pointer_to_attr(pointer: &str) -> String {
    pointer.split('/').skip(2).collect::<Vec<_>>().join(".")
}

/// The strings of the array at `key` of `node` (none when it is missing or not an array).
fn strings<'a>(node: &'a Json, key: &str) -> impl Iterator<Item = &'a str> {
    node.get(key)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
}

/// Analyses one schema.
pub fn resource(schema: &Json, known: &Known) -> Result<ResourceDef, Error> {
    let full = schema
        .get("typeName")
        .and_then(Json::as_str)
        .ok_or_else(|| Error("schema without typeName".into()))?;
    let type_name = known.types[full].clone();
    let err = |m: String| Error(format!("{full}: {m}"));
    let read_only: HashSet<String> = strings(schema, "readOnlyProperties")
        .map(str::to_owned)
        .collect();
    let required: HashSet<&str> = strings(schema, "required").collect();
    let empty = serde_json::Map::new();
    let properties = schema
        .get("properties")
        .and_then(Json::as_object)
        .unwrap_or(&empty);

    let mut w = Walker {
        root: schema,
        known,
        read_only: read_only.clone(),
        structs: IndexMap::new(),
        stack: Vec::new(),
    };

    // Settable properties, walking the property types they reach.
    let mut props = Vec::new();
    for (name, node) in properties {
        let path = format!("/properties/{name}");
        if read_only.contains(&path) {
            continue;
        }
        let kind = match w.kind(format!("#{path}"), node, Some(&path), name, None)? {
            // A property that names the resource itself (`LogGroupName`, `BucketName`) is
            // chosen, not referenced: any string will do.
            Kind::Res(_, p) if p == type_name.path() => Kind::Str,
            k => k,
        };
        let (_, resolved) = w.resolve(String::new(), node)?;
        props.push(Prop {
            cfn_name: name.clone(),
            rust_name: snake(name),
            kind,
            required: required.contains(name.as_str()),
            doc: first_paragraph(description(node).or_else(|| description(resolved))),
        });
    }

    // Struct names: definitions first, then inline objects (prefixed with their parent on a
    // clash), both in the order they are reached.
    let mut used: IndexSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    used.insert(type_name.struct_name.clone());
    let mut names: HashMap<String, String> = HashMap::new();
    for pass in [true, false] {
        for (key, info) in &w.structs {
            if info.def_name.is_some() != pass {
                continue;
            }
            let base = camel(info.def_name.as_deref().unwrap_or(&info.prop_name));
            let name = if used.contains(&base) {
                let parent = match &info.parent {
                    Some(p) => names
                        .get(p)
                        .cloned()
                        .ok_or_else(|| err(format!("parent of {key} not named")))?,
                    None => type_name.struct_name.clone(),
                };
                format!("{parent}{base}")
            } else {
                base
            };
            if !used.insert(name.clone()) {
                return Err(err(format!("two property types are named {name}")));
            }
            names.insert(key.clone(), name);
        }
    }
    let mut structs = Vec::new();
    for (key, info) in &w.structs {
        let req: HashSet<&str> = strings(info.node, "required").collect();
        let all = non_empty_properties(info.node).expect("structs have properties");
        let mut fields = Vec::new();
        for (name, node) in all {
            let Some(kind) = info.fields.get(name) else {
                continue;
            };
            let (_, resolved) = w.resolve(String::new(), node)?;
            fields.push(Prop {
                cfn_name: name.clone(),
                rust_name: snake(name),
                kind: kind.clone(),
                required: req.contains(name.as_str()),
                doc: first_paragraph(description(node).or_else(|| description(resolved))),
            });
        }
        check_unique(&fields).map_err(|m| err(format!("{}: {m}", names[key])))?;
        structs.push(StructDef {
            name: names[key].clone(),
            doc: first_paragraph(description(info.node)),
            props: fields,
        });
    }
    check_unique(&props).map_err(err)?;
    let props = rename_structs(props, &names);
    let structs = structs
        .into_iter()
        .map(|s| StructDef {
            props: rename_structs(s.props, &names),
            ..s
        })
        .collect();

    // Attributes, as cfn-lint computes them.
    let mut attr_nodes: IndexMap<String, Option<&Json>> = IndexMap::new();
    if ALL_PROPERTY_TYPES.contains(&full) {
        let mut out = IndexMap::new();
        for (name, node) in properties {
            w.all_property_paths(node, format!("/properties/{name}"), &mut out)?;
        }
        for (path, node) in out {
            attr_nodes.insert(pointer_to_attr(&path), Some(node));
        }
    } else {
        for ro in strings(schema, "readOnlyProperties") {
            let node = w.at_pointer(ro)?;
            attr_nodes.insert(pointer_to_attr(ro), node);
        }
    }
    let mut attrs = Vec::new();
    let mut methods = HashSet::new();
    for (name, node) in attr_nodes {
        let kind = match node {
            Some(node) => match w.kind(String::from("#"), node, None, "", None)? {
                Kind::Opaque => Kind::Json,
                k => k,
            },
            None => Kind::Json,
        };
        let method = format!(
            "att_{}",
            name.split('.').map(snake).collect::<Vec<_>>().join("_")
        );
        let method = method.trim_end_matches('_').to_owned();
        if !methods.insert(method.clone()) {
            return Err(err(format!("two attributes map to {method}")));
        }
        let doc = node.and_then(|n| {
            let resolved = w.resolve(String::new(), n).ok().map(|(_, r)| r);
            first_paragraph(description(n).or_else(|| resolved.and_then(description)))
        });
        attrs.push(Attr {
            name,
            method,
            kind,
            doc,
        });
    }

    // `Ref`: the primary identifier.
    let primary: Vec<&str> = strings(schema, "primaryIdentifier").collect();
    let (ref_kind, ref_doc) = if let [single] = primary.as_slice() {
        let node = w.at_pointer(single)?;
        let kind = match node {
            Some(n) => w.kind(String::from("#"), n, None, "", None)?,
            None => Kind::Str,
        };
        let kind = match kind {
            k @ Kind::Res(..) => k,
            _ => Kind::Str,
        };
        let mut doc = format!(
            "`Ref`: the resource's primary identifier, `{}`.",
            pointer_to_attr(single)
        );
        if let Some(d) = node.and_then(|n| first_paragraph(description(n))) {
            doc.push_str("\n\n");
            doc.push_str(&d);
        }
        (kind, doc)
    } else {
        let list = primary
            .iter()
            .map(|p| format!("`{}`", pointer_to_attr(p)))
            .collect::<Vec<_>>();
        let doc = match list.as_slice() {
            [] => "`Ref` of the resource.".to_owned(),
            [init @ .., last] => format!(
                "`Ref`: the resource's primary identifier, made of {} and {last}.",
                init.join(", ")
            ),
        };
        (Kind::Str, doc)
    };

    // Tagging.
    let tagging_node = schema.get("tagging");
    let taggable = tagging_node
        .and_then(|t| t.get("taggable"))
        .and_then(Json::as_bool)
        .unwrap_or(true);
    let tag_pointer = tagging_node
        .and_then(|t| t.get("tagProperty"))
        .and_then(Json::as_str)
        .unwrap_or("/properties/Tags");
    let tag_prop = tag_pointer
        .strip_prefix("/properties/")
        .unwrap_or(tag_pointer);
    let tagging = match props.iter().find(|p| p.cfn_name == tag_prop) {
        Some(p) if taggable => match &p.kind {
            Kind::List(_) => Tagging::List(tag_prop.to_owned()),
            Kind::Map(_) => Tagging::Map(tag_prop.to_owned()),
            Kind::Json => {
                let (_, n) = w.resolve(String::new(), &properties[tag_prop])?;
                match type_list(n).as_slice() {
                    ["array"] => Tagging::List(tag_prop.to_owned()),
                    ["object"] => Tagging::Map(tag_prop.to_owned()),
                    _ => Tagging::None,
                }
            }
            _ => Tagging::None,
        },
        _ => Tagging::None,
    };

    Ok(ResourceDef {
        type_name,
        doc: first_paragraph(description(schema)),
        props,
        structs,
        attrs,
        ref_kind,
        ref_doc,
        tagging,
    })
}

/// Replaces struct keys by struct names in `Kind::Struct`.
fn rename_structs(props: Vec<Prop>, names: &HashMap<String, String>) -> Vec<Prop> {
    fn rename(k: Kind, names: &HashMap<String, String>) -> Kind {
        match k {
            Kind::Struct(key) => Kind::Struct(names[&key].clone()),
            Kind::List(k) => Kind::List(Box::new(rename(*k, names))),
            Kind::Map(k) => Kind::Map(Box::new(rename(*k, names))),
            k => k,
        }
    }
    props
        .into_iter()
        .map(|p| Prop {
            kind: rename(p.kind, names),
            ..p
        })
        .collect()
}

fn check_unique(props: &[Prop]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for p in props {
        if matches!(
            p.rust_name.as_str(),
            "new" | "default" | "into_expr" | "into_properties"
        ) {
            return Err(format!("property {} would shadow a method", p.cfn_name));
        }
        if !seen.insert(&p.rust_name) {
            return Err(format!("two properties are named {}", p.rust_name));
        }
    }
    Ok(())
}
