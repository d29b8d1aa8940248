//! Generates the L1 resource types of `constructs` (`constructs/src/cfn/`) from the CloudFormation
//! resource provider schemas vendored in `codegen/schemas/`.
//!
//! [`generate`] works in memory and returns every file with its content; [`write`] and [`check`]
//! compare that with the tree. See `codegen/README.md` for the naming rules.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value as Json;

mod constraints;
mod docs;
mod emit;
mod model;
mod names;

use model::{Known, TypeName};

/// A generation failure: a schema the generator cannot handle, a missing file, rustfmt failing.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Formats the generator adds to schema properties that lack them, so that these properties
/// are typed like their neighbours: `(type, JSON pointer in the schema, format)`. Generation
/// fails when a pointer no longer exists or already has a format, so stale entries are noticed
/// when the schemas are refreshed.
const FORMAT_OVERRIDES: &[(&str, &str, &str)] = &[
    // The execution role; every other role ARN property of these schemas has the format.
    (
        "AWS::Lambda::Function",
        "/properties/Role",
        "AWS::IAM::Role.Arn",
    ),
    // Next to `SecurityGroupIds`, which has `AWS::EC2::SecurityGroup.Ids`.
    (
        "AWS::Lambda::Function",
        "/definitions/VpcConfig/properties/SubnetIds",
        "AWS::EC2::Subnet.Ids",
    ),
    (
        "AWS::EC2::VPCEndpoint",
        "/properties/SubnetIds",
        "AWS::EC2::Subnet.Ids",
    ),
];

fn apply_overrides(type_name: &str, schema: &mut Json) -> Result<(), Error> {
    for (t, pointer, format) in FORMAT_OVERRIDES {
        if *t != type_name {
            continue;
        }
        let node = schema
            .pointer_mut(pointer)
            .and_then(Json::as_object_mut)
            .ok_or_else(|| Error(format!("FORMAT_OVERRIDES: {t} has no {pointer}")))?;
        if let Some(existing) = node.get("format") {
            return Err(Error(format!(
                "FORMAT_OVERRIDES: {t} {pointer} already has format {existing}; drop the override"
            )));
        }
        node.insert("format".into(), Json::String((*format).to_owned()));
    }
    Ok(())
}

/// Where the vendored schemas come from (`schemas/VERSION`).
#[derive(Clone, Debug)]
pub struct Source {
    /// The cfn-lint version the schemas were taken from.
    pub cfn_lint: String,
    /// cfn-lint's `schema_date`.
    pub schema_date: String,
}

/// The directory of the vendored schemas in this repository.
pub fn default_schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// The directory the generated modules go to in this repository.
pub fn default_out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../constructs/src/cfn");
    dir.canonicalize().unwrap_or(dir)
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| Error(format!("{}: {e}", path.display())))
}

/// The types listed in `schemas/TYPES`, in order.
pub fn types(schemas_dir: &Path) -> Result<Vec<String>, Error> {
    Ok(read(&schemas_dir.join("TYPES"))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

fn source(schemas_dir: &Path) -> Result<Source, Error> {
    let text = read(&schemas_dir.join("VERSION"))?;
    let values: HashMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.to_string())
            .ok_or_else(|| Error(format!("schemas/VERSION has no {k}")))
    };
    Ok(Source {
        cfn_lint: get("cfn-lint")?,
        schema_date: get("schema_date")?,
    })
}

/// The vendored file of a type: `AWS::EC2::VPC` is `aws-ec2-vpc.json`.
pub fn schema_file(type_name: &str) -> String {
    format!("{}.json", type_name.to_ascii_lowercase().replace("::", "-"))
}

/// Every generated file, with its path under `out_dir` and its rustfmt-formatted content:
/// `mod.rs` and one `<service>.rs` per service, in the order of `schemas/TYPES`.
pub fn generate(schemas_dir: &Path, out_dir: &Path) -> Result<Vec<(PathBuf, String)>, Error> {
    let source = source(schemas_dir)?;
    let types = types(schemas_dir)?;
    let mut known = Known {
        types: HashMap::new(),
    };
    let mut services: Vec<(String, Vec<TypeName>)> = Vec::new();
    let mut modules = BTreeMap::new();
    for t in &types {
        let name = TypeName::parse(t)?;
        if known.types.insert(t.clone(), name.clone()).is_some() {
            return Err(Error(format!("{t} is listed twice in schemas/TYPES")));
        }
        if let Some(other) = modules.insert(name.path(), t) {
            return Err(Error(format!(
                "{t} and {other} both map to {}",
                name.path()
            )));
        }
        match services.iter_mut().find(|(s, _)| *s == name.service) {
            Some((_, list)) => list.push(name),
            None => services.push((name.service.clone(), vec![name])),
        }
    }

    let mut files = vec![(out_dir.join("mod.rs"), emit::mod_rs(&source, &services))];
    let mut constraints = constraints::Table::default();
    for (service, names) in &services {
        let mut resources = Vec::new();
        for name in names {
            let path = schemas_dir.join(schema_file(&name.full));
            let mut schema: Json = serde_json::from_str(&read(&path)?)
                .map_err(|e| Error(format!("{}: {e}", path.display())))?;
            if schema.get("typeName").and_then(Json::as_str) != Some(name.full.as_str()) {
                return Err(Error(format!("{} is not {}", path.display(), name.full)));
            }
            apply_overrides(&name.full, &mut schema)?;
            resources.push(model::resource(&schema, &known)?);
            constraints.add(&name.full, &schema)?;
        }
        let file = out_dir.join(format!("{}.rs", service.to_ascii_lowercase()));
        files.push((file, emit::service_rs(&source, service, &resources)));
    }
    files.push((
        out_dir.join("constraints.rs"),
        constraints.emit(&emit::header(&source)),
    ));

    files
        .into_iter()
        .map(|(path, code)| {
            let formatted = rustfmt(&code, out_dir)
                .map_err(|e| Error(format!("{}: {}", path.display(), e.0)))?;
            Ok((path, formatted))
        })
        .collect()
}

/// Formats with `rustfmt --edition 2021` (or `$RUSTFMT`), run from `dir` so that a
/// `rustfmt.toml` of the tree applies as it does to `cargo fmt`.
pub fn rustfmt(code: &str, dir: &Path) -> Result<String, Error> {
    let bin = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let cwd = dir
        .ancestors()
        .find(|d| d.is_dir())
        .unwrap_or_else(|| Path::new("."));
    let mut child = Command::new(&bin)
        .args(["--edition", "2021"])
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error(format!("cannot run {}: {e}", bin.to_string_lossy())))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = code.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| Error(format!("rustfmt: {e}")))?;
    writer
        .join()
        .expect("rustfmt writer thread")
        .map_err(|e| Error(format!("rustfmt stdin: {e}")))?;
    if !output.status.success() {
        return Err(Error(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    String::from_utf8(output.stdout).map_err(|e| Error(format!("rustfmt output: {e}")))
}

/// Generated files in `out_dir` (recognised by their first line) that `files` no longer has.
pub fn stale(out_dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Error> {
    let mut stale = Vec::new();
    let entries = match fs::read_dir(out_dir) {
        Ok(e) => e,
        Err(_) => return Ok(stale),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    paths.sort();
    for path in paths {
        if files.iter().any(|(p, _)| *p == path) {
            continue;
        }
        if read(&path)?.starts_with(emit::GENERATED_MARKER) {
            stale.push(path);
        }
    }
    Ok(stale)
}

/// The files whose content on disk differs from `files`, plus stale generated files.
pub fn check(out_dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Error> {
    let mut differ: Vec<PathBuf> = files
        .iter()
        .filter(|(path, code)| fs::read_to_string(path).ok().as_deref() != Some(code.as_str()))
        .map(|(path, _)| path.clone())
        .collect();
    differ.extend(stale(out_dir, files)?);
    Ok(differ)
}

/// Writes the files that changed and removes stale generated files; returns what it touched.
pub fn write(out_dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Error> {
    fs::create_dir_all(out_dir).map_err(|e| Error(format!("{}: {e}", out_dir.display())))?;
    let mut touched = Vec::new();
    for path in stale(out_dir, files)? {
        fs::remove_file(&path).map_err(|e| Error(format!("{}: {e}", path.display())))?;
        touched.push(path);
    }
    for (path, code) in files {
        if fs::read_to_string(path).ok().as_deref() != Some(code.as_str()) {
            fs::write(path, code).map_err(|e| Error(format!("{}: {e}", path.display())))?;
            touched.push(path.clone());
        }
    }
    Ok(touched)
}
