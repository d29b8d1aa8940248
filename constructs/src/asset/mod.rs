//! Local assets: a directory (or a `.zip`) shipped to S3 next to the templates, such as the code
//! of a Lambda function with its dependencies, or a compiled `bootstrap` for a custom runtime.
//!
//! [`Scope::add_asset`](crate::Scope::add_asset) packs the path when the construct is built and
//! returns an [`AssetLocation`]: the bucket (a `Ref` to the stack's `AssetsBucket` parameter)
//! and the object key (`assets/<sha256>.zip`). Synth writes the zip to
//! `<out>/assets/<sha256>.zip` with the templates and lists it in `manifest.json`;
//! `--print-deploy` prints the `aws s3 cp` that uploads it before the deploy commands, which
//! pass the bucket as `"AssetsBucket=$ASSETS_BUCKET"`.
//!
//! A Lambda function takes an asset as its code with
//! [`FunctionCode::asset`](crate::blocks::lambda::FunctionCode::asset); other resources take
//! the location directly.
//!
//! ```
//! use constructs::blocks::lambda::{Function, FunctionCode, FunctionProps, Runtime};
//! use constructs::{App, Stack};
//!
//! # let dir = std::env::temp_dir().join(format!("asset-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! # std::fs::write(dir.join("index.py"), "def handler(event, context):\n    return 1\n").unwrap();
//! let mut stack = Stack::new("Functions");
//! // The directory, e.g. "lambda/hello", relative to where synth runs.
//! Function::new(
//!     &mut stack,
//!     "Hello",
//!     FunctionProps::new(Runtime::Python313, "index.handler", FunctionCode::asset(&dir)),
//! );
//! // The same directory packs to the same zip: one asset, recorded once.
//! let code = stack.add_asset(&dir);
//! assert_eq!(code.key(), format!("assets/{}.zip", code.hash()));
//!
//! let mut app = App::new();
//! app.add_stack(stack);
//! let assembly = app.assemble().unwrap();
//! let json = &assembly.stack("Functions").unwrap().json;
//! assert!(json.contains(r#""S3Bucket": {
//!             "Ref": "AssetsBucket"
//!           }"#));
//! assert_eq!(assembly.stack("Functions").unwrap().assets.len(), 1);
//! assert_eq!(assembly.stack("Functions").unwrap().assets[0].hash(), code.hash());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! ## How a directory is packed
//!
//! The zip depends only on the names, contents and owner-executable bits of the files, so the
//! same directory gives the same bytes (and the same hash, so no upload and no function update)
//! on every machine and every run:
//!
//! - every regular file under the directory, dotfiles included, named by its path relative to
//!   the directory with `/` separators, sorted by name (byte order);
//! - no directory entries (unzip creates them from the paths; empty directories are not kept);
//! - every date 1980-01-01 00:00; no owner, no extra fields, no comment;
//! - permissions `0755` for a file its owner may execute (a custom runtime's `bootstrap` must be
//!   executable), `0644` for any other: umask, group and other bits are not kept;
//! - every file deflated at level 6.
//!
//! The bytes follow the `miniz_oxide` version in your `Cargo.lock`: a new version may compress
//! differently, which gives the asset a new hash (one more upload), never a broken zip.
//!
//! A path ending in `.zip` (any case) that is a file is taken as it is, byte for byte.
//!
//! **Symbolic links.** The path given may be a link; it is followed. Links *inside* the
//! directory are refused ([`Code::UnsupportedAssetEntry`](crate::Code::UnsupportedAssetEntry)),
//! as are sockets, pipes, devices and names that are not UTF-8: following a link would pack
//! something outside the directory, or loop. Copy the target in (`cp -L`), or build the zip
//! yourself.
//!
//! **Errors.** Packing never panics; [`Scope::add_asset`](crate::Scope::add_asset) reports a
//! problem with its code and the construct path, returns a placeholder location so the
//! construct can carry on, and synth then refuses to write:
//! [`AssetNotFound`](crate::Code::AssetNotFound), [`InvalidAsset`](crate::Code::InvalidAsset)
//! (a plain file, or a `.zip` that is not one), [`EmptyAsset`](crate::Code::EmptyAsset),
//! [`AssetUnreadable`](crate::Code::AssetUnreadable),
//! [`UnsupportedAssetEntry`](crate::Code::UnsupportedAssetEntry) and
//! [`AssetTooLarge`](crate::Code::AssetTooLarge) (over the 65,534 files or 4 GiB of a zip
//! without zip64).
//!
//! **Speed.** Packing runs every synth. In a debug build, deflate is slow on large binaries:
//! `[profile.dev.package.miniz_oxide] opt-level = 3` in your workspace makes it fast.

mod pack;
#[cfg(test)]
mod tests;
mod zip;

use std::fmt;
use std::path::Path;

use crate::app::{Entry, Stack};
use crate::cfn::lambda::function;
use crate::cfn::s3::Bucket;
use crate::model::expr::Expr;
use crate::model::value::kinds::Name;
use crate::model::value::Value;
use crate::{DomainError, Parameter};

pub use pack::{pack, AssetError, PackedAsset};

/// The logical id of the parameter that names the assets bucket, in every stack with an asset.
pub const BUCKET_PARAMETER: &str = "AssetsBucket";

/// The directory, under the output directory and in the bucket, that holds the zips.
pub const ASSETS_DIR: &str = "assets";

/// Where an asset is once uploaded: what a resource needs to point at it.
///
/// Returned by [`Scope::add_asset`](crate::Scope::add_asset); see the
/// [module documentation](self) for an example.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetLocation {
    bucket: Value<Name<Bucket>>,
    key: String,
    hash: String,
}

impl AssetLocation {
    /// The bucket: `{"Ref": "AssetsBucket"}`, the stack's parameter.
    pub fn bucket(&self) -> Value<Name<Bucket>> {
        self.bucket.clone()
    }

    /// The object key, `assets/<sha256>.zip`, a literal.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The SHA-256 of the zip (64 hex digits); empty when packing failed, an error synth
    /// reports.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// A Lambda function's `Code` pointing at the asset (`S3Bucket` and `S3Key`).
    pub fn lambda_code(&self) -> function::Code {
        function::Code::new()
            .s3_bucket(self.bucket())
            .s3_key(self.key.as_str())
    }
}

/// An asset of a stack: the path it was packed from and the zip.
#[derive(Clone, PartialEq, Eq)]
pub struct Asset {
    source: String,
    packed: PackedAsset,
}

impl Asset {
    /// The path the asset was packed from, as it was given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The SHA-256 of the zip, 64 lowercase hex digits.
    pub fn hash(&self) -> &str {
        self.packed.hash()
    }

    /// The zip's file name relative to the output directory, which is also its S3 key:
    /// `assets/<sha256>.zip`.
    pub fn key(&self) -> String {
        self.packed.key()
    }

    /// The zip.
    pub fn packed(&self) -> &PackedAsset {
        &self.packed
    }
}

impl fmt::Debug for Asset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Asset")
            .field("source", &self.source)
            .field("packed", &self.packed)
            .finish()
    }
}

/// Packs `path` for `stack`, reporting a failure at construct path `construct`; see
/// [`Scope::add_asset`](crate::Scope::add_asset).
pub(crate) fn add(stack: &mut Stack, construct: &str, path: &Path) -> AssetLocation {
    let bucket = bucket_parameter(stack);
    match pack(path) {
        Ok(packed) => {
            let location = AssetLocation {
                bucket,
                key: packed.key(),
                hash: packed.hash().to_owned(),
            };
            if !stack.assets.iter().any(|a| a.hash() == packed.hash()) {
                stack.assets.push(Asset {
                    source: path.display().to_string(),
                    packed,
                });
            }
            location
        }
        Err(error) => {
            stack.diagnostics.push(error.to_diagnostic(construct));
            AssetLocation {
                bucket,
                key: format!("{ASSETS_DIR}/unavailable.zip"),
                hash: String::new(),
            }
        }
    }
}

/// `Ref` of the stack's assets bucket parameter, added with the first asset.
fn bucket_parameter(stack: &mut Stack) -> Value<Name<Bucket>> {
    if !stack.assets_bucket {
        stack.assets_bucket = true;
        let path = format!("{}/{BUCKET_PARAMETER}", stack.name());
        if let Some(first) = stack.parameters.get(BUCKET_PARAMETER) {
            let first = first.path.clone();
            stack.duplicate("parameter", BUCKET_PARAMETER, &first, &path);
        } else {
            let item = Parameter::string()
                .description(
                    "S3 bucket holding this stack's assets (assets/<sha256>.zip), uploaded before deploying",
                )
                .allowed_pattern("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
                .constraint_description("an S3 bucket name")
                .into_template();
            stack
                .parameters
                .insert(BUCKET_PARAMETER.to_owned(), Entry { path, item });
        }
    }
    Value::unchecked(Expr::Ref {
        stack: Some(stack.stack_ref()),
        name: BUCKET_PARAMETER.to_owned(),
    })
}
