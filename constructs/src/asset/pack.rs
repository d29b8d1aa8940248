//! Packing a directory into a byte-deterministic zip, or taking a `.zip` as it is.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::diagnostics::{Code, DomainError};

use super::zip::{TooLarge, ZipWriter, MAX_ENTRIES};

/// A packed asset: the zip's bytes and their SHA-256.
///
/// Cloning is cheap: the bytes are shared.
#[derive(Clone, PartialEq, Eq)]
pub struct PackedAsset {
    hash: String,
    zip: Arc<[u8]>,
}

impl PackedAsset {
    fn new(zip: Vec<u8>) -> Self {
        let digest = Sha256::digest(&zip);
        let mut hash = String::with_capacity(64);
        for byte in digest {
            hash.push(char::from(HEX[usize::from(byte >> 4)]));
            hash.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
        Self {
            hash,
            zip: zip.into(),
        }
    }

    /// The SHA-256 of the zip, 64 lowercase hex digits: the asset's id.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The zip's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.zip
    }

    /// The S3 object key, and the file under the output directory: `assets/<sha256>.zip`.
    pub fn key(&self) -> String {
        format!("{}/{}.zip", super::ASSETS_DIR, self.hash)
    }

    pub(crate) fn shared_bytes(&self) -> Arc<[u8]> {
        Arc::clone(&self.zip)
    }
}

impl fmt::Debug for PackedAsset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackedAsset")
            .field("hash", &self.hash)
            .field("len", &self.zip.len())
            .finish()
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Why a path could not be packed. [`Scope::add_asset`](crate::Scope::add_asset) reports it as a
/// [`Diagnostic`](crate::Diagnostic) with this code, message and hint
/// ([`DomainError::to_diagnostic`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetError {
    /// [`Code::AssetNotFound`], [`Code::InvalidAsset`], [`Code::EmptyAsset`],
    /// [`Code::AssetUnreadable`], [`Code::UnsupportedAssetEntry`] or [`Code::AssetTooLarge`].
    pub code: Code,
    /// What is wrong, naming the file.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl AssetError {
    fn new(code: Code, message: String, hint: &str) -> Self {
        Self {
            code,
            message,
            hint: Some(hint.to_owned()),
        }
    }
}

impl DomainError for AssetError {
    fn code(&self) -> Code {
        self.code
    }

    fn message(&self) -> String {
        self.message.clone()
    }

    fn hint(&self) -> Option<String> {
        self.hint.clone()
    }
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AssetError {}

/// Packs `path` into a zip: a directory is packed deterministically, a `.zip` file is taken as
/// it is (its bytes unchanged). See the [module documentation](crate::asset) for the exact
/// rules.
///
/// ```
/// use constructs::asset::pack;
/// use constructs::Code;
///
/// let dir = std::env::temp_dir().join(format!("pack-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("index.py"), "def handler(event, context):\n    return 1\n").unwrap();
/// let packed = pack(&dir).unwrap();
/// assert_eq!(packed.key(), format!("assets/{}.zip", packed.hash()));
/// assert_eq!(pack(&dir).unwrap(), packed); // the same bytes every time
///
/// assert_eq!(pack(dir.join("missing")).unwrap_err().code, Code::AssetNotFound);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn pack(path: impl AsRef<Path>) -> Result<PackedAsset, AssetError> {
    let path = path.as_ref();
    // The path itself may be a symbolic link: it is followed.
    let meta = fs::metadata(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            AssetError::new(
                Code::AssetNotFound,
                format!("`{}` does not exist", path.display()),
                "a relative asset path is relative to the directory synth runs in, not to the source file",
            )
        } else {
            unreadable(path, &e)
        }
    })?;
    if meta.is_dir() {
        pack_dir(path)
    } else if meta.is_file() && is_zip_name(path) {
        take_zip(path)
    } else if meta.is_file() {
        Err(AssetError::new(
            Code::InvalidAsset,
            format!(
                "`{}` is a file, not a directory or a `.zip` archive",
                path.display()
            ),
            "give the directory that holds it (the whole directory is packed), or a .zip",
        ))
    } else {
        Err(AssetError::new(
            Code::InvalidAsset,
            format!(
                "`{}` is neither a directory nor a `.zip` file",
                path.display()
            ),
            "give a directory to pack, or a .zip archive",
        ))
    }
}

fn is_zip_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("zip"))
}

/// A `.zip` archive, byte for byte.
fn take_zip(path: &Path) -> Result<PackedAsset, AssetError> {
    let bytes = read(path)?;
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(PackedAsset::new(bytes));
    }
    if bytes.starts_with(b"PK\x05\x06") {
        return Err(AssetError::new(
            Code::EmptyAsset,
            format!("`{}` is an empty zip archive", path.display()),
            "an asset needs at least one file",
        ));
    }
    Err(AssetError::new(
        Code::InvalidAsset,
        format!(
            "`{}` is not a zip archive (it does not start with a zip file header)",
            path.display()
        ),
        "give a directory to pack, or a zip archive made by a zip tool",
    ))
}

/// A file found in the directory: its name in the archive, where it is, whether it is
/// executable.
struct Found {
    name: String,
    path: PathBuf,
    executable: bool,
}

fn pack_dir(root: &Path) -> Result<PackedAsset, AssetError> {
    let mut files = Vec::new();
    walk(root, "", &mut files)?;
    if files.is_empty() {
        return Err(AssetError::new(
            Code::EmptyAsset,
            format!("`{}` holds no files", root.display()),
            "an asset needs at least one file; empty directories are not packed",
        ));
    }
    if files.len() > MAX_ENTRIES {
        return Err(too_large(root, TooLarge::Entries));
    }
    // By name, byte-wise: the same order whatever order the file system lists them in.
    files.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    let mut zip = ZipWriter::new();
    for file in &files {
        let data = read(&file.path)?;
        zip.add(&file.name, &data, file.executable)
            .map_err(|e| too_large(root, e))?;
    }
    let bytes = zip.finish().map_err(|e| too_large(root, e))?;
    Ok(PackedAsset::new(bytes))
}

/// Collects the files under `dir`, whose name in the archive starts with `prefix`.
fn walk(dir: &Path, prefix: &str, files: &mut Vec<Found>) -> Result<(), AssetError> {
    let entries = fs::read_dir(dir).map_err(|e| unreadable(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| unreadable(dir, &e))?;
        let path = entry.path();
        let Ok(file_name) = entry.file_name().into_string() else {
            return Err(unsupported(
                &path,
                "has a name that is not valid UTF-8",
                "rename it: zip names are UTF-8",
            ));
        };
        let name = format!("{prefix}{file_name}");
        // Not followed: the type of the entry itself.
        let file_type = entry.file_type().map_err(|e| unreadable(&path, &e))?;
        if file_type.is_dir() {
            walk(&path, &format!("{name}/"), files)?;
        } else if file_type.is_file() {
            let meta = entry.metadata().map_err(|e| unreadable(&path, &e))?;
            files.push(Found {
                name,
                path,
                executable: owner_executable(&meta),
            });
        } else if file_type.is_symlink() {
            return Err(unsupported(
                &path,
                "is a symbolic link; links inside an asset are not followed",
                "replace it with a copy of what it points to (`cp -L`), or pack a .zip yourself",
            ));
        } else {
            return Err(unsupported(
                &path,
                "is not a regular file or directory (a socket, pipe or device)",
                "remove it from the asset directory",
            ));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn owner_executable(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o100 != 0
}

/// Without Unix permissions, no file is marked executable.
#[cfg(not(unix))]
fn owner_executable(_: &fs::Metadata) -> bool {
    false
}

fn read(path: &Path) -> Result<Vec<u8>, AssetError> {
    fs::read(path).map_err(|e| unreadable(path, &e))
}

fn unreadable(path: &Path, e: &io::Error) -> AssetError {
    AssetError::new(
        Code::AssetUnreadable,
        format!("cannot read `{}`: {e}", path.display()),
        "make it readable by the user running synth",
    )
}

fn unsupported(path: &Path, what: &str, hint: &str) -> AssetError {
    AssetError::new(
        Code::UnsupportedAssetEntry,
        format!("`{}` {what}", path.display()),
        hint,
    )
}

pub(super) fn too_large(root: &Path, e: TooLarge) -> AssetError {
    let what = match e {
        TooLarge::Entries => format!("more than {MAX_ENTRIES} files"),
        TooLarge::File(name) => format!("`{name}` is 4 GiB or more"),
        TooLarge::Archive => "the zip would be 4 GiB or more".to_owned(),
        TooLarge::Name(name) => format!("a file name of {} bytes", name.len()),
    };
    AssetError::new(
        Code::AssetTooLarge,
        format!(
            "`{}` cannot be packed: {what} (zip without zip64)",
            root.display()
        ),
        "Lambda takes at most 250 MB unzipped: ship less, or a container image",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_error_is_asset_unreadable() {
        // Reading a directory as a file fails even for root, unlike a permission change.
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap_err().code, Code::AssetUnreadable);
    }

    #[test]
    fn the_hash_is_sha256_in_lowercase_hex() {
        assert_eq!(
            PackedAsset::new(b"abc".to_vec()).hash(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
