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

/// Why a path could not be packed: one variant per case, each saying when it happens and which
/// [`Code`] it carries. [`Scope::add_asset`](crate::Scope::add_asset) reports it as a
/// [`Diagnostic`](crate::Diagnostic) with its code, message and hint
/// ([`DomainError::to_diagnostic`]). `Display` prints the code, the message and the hint.
///
/// ```
/// use constructs::asset::{pack, AssetError};
/// use constructs::{Code, DomainError};
///
/// let err = pack("no/such/dir").unwrap_err();
/// assert!(matches!(err, AssetError::NotFound { .. }));
/// assert_eq!(err.code(), Code::AssetNotFound);
/// assert!(err.hint().unwrap().contains("relative"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssetError {
    /// The path does not exist. [`Code::AssetNotFound`].
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// The path is a file whose name does not end in `.zip`. [`Code::InvalidAsset`].
    PlainFile {
        /// The path as given.
        path: PathBuf,
    },
    /// The path is neither a directory nor a file (a socket, pipe or device).
    /// [`Code::InvalidAsset`].
    NotDirectoryOrZip {
        /// The path as given.
        path: PathBuf,
    },
    /// A `.zip` file that does not start with a zip header. [`Code::InvalidAsset`].
    NotAZip {
        /// The path as given.
        path: PathBuf,
    },
    /// A `.zip` archive with no entries. [`Code::EmptyAsset`].
    EmptyZip {
        /// The path as given.
        path: PathBuf,
    },
    /// A directory that holds no files (empty directories are not packed).
    /// [`Code::EmptyAsset`].
    EmptyDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// A file or directory of the asset cannot be read. [`Code::AssetUnreadable`].
    Unreadable {
        /// What could not be read.
        path: PathBuf,
        /// The operating system's error, as text.
        reason: String,
    },
    /// An entry of the directory whose name is not UTF-8 (zip names are).
    /// [`Code::UnsupportedAssetEntry`].
    NonUtf8Name {
        /// The entry.
        path: PathBuf,
    },
    /// A symbolic link inside the directory: links are not followed.
    /// [`Code::UnsupportedAssetEntry`].
    SymbolicLink {
        /// The link.
        path: PathBuf,
    },
    /// A socket, pipe or device inside the directory. [`Code::UnsupportedAssetEntry`].
    SpecialFile {
        /// The entry.
        path: PathBuf,
    },
    /// The asset does not fit in a zip without zip64: 65,535 files or more, a file or the
    /// archive of 4 GiB or more, or a name over 65,535 bytes. [`Code::AssetTooLarge`].
    TooLarge {
        /// The directory packed.
        path: PathBuf,
        /// What does not fit.
        what: String,
    },
}

impl DomainError for AssetError {
    fn code(&self) -> Code {
        match self {
            AssetError::NotFound { .. } => Code::AssetNotFound,
            AssetError::PlainFile { .. }
            | AssetError::NotDirectoryOrZip { .. }
            | AssetError::NotAZip { .. } => Code::InvalidAsset,
            AssetError::EmptyZip { .. } | AssetError::EmptyDirectory { .. } => Code::EmptyAsset,
            AssetError::Unreadable { .. } => Code::AssetUnreadable,
            AssetError::NonUtf8Name { .. }
            | AssetError::SymbolicLink { .. }
            | AssetError::SpecialFile { .. } => Code::UnsupportedAssetEntry,
            AssetError::TooLarge { .. } => Code::AssetTooLarge,
        }
    }

    /// What is wrong, naming the file.
    fn message(&self) -> String {
        match self {
            AssetError::NotFound { path } => format!("`{}` does not exist", path.display()),
            AssetError::PlainFile { path } => format!(
                "`{}` is a file, not a directory or a `.zip` archive",
                path.display()
            ),
            AssetError::NotDirectoryOrZip { path } => format!(
                "`{}` is neither a directory nor a `.zip` file",
                path.display()
            ),
            AssetError::NotAZip { path } => format!(
                "`{}` is not a zip archive (it does not start with a zip file header)",
                path.display()
            ),
            AssetError::EmptyZip { path } => {
                format!("`{}` is an empty zip archive", path.display())
            }
            AssetError::EmptyDirectory { path } => format!("`{}` holds no files", path.display()),
            AssetError::Unreadable { path, reason } => {
                format!("cannot read `{}`: {reason}", path.display())
            }
            AssetError::NonUtf8Name { path } => {
                format!("`{}` has a name that is not valid UTF-8", path.display())
            }
            AssetError::SymbolicLink { path } => format!(
                "`{}` is a symbolic link; links inside an asset are not followed",
                path.display()
            ),
            AssetError::SpecialFile { path } => format!(
                "`{}` is not a regular file or directory (a socket, pipe or device)",
                path.display()
            ),
            AssetError::TooLarge { path, what } => format!(
                "`{}` cannot be packed: {what} (zip without zip64)",
                path.display()
            ),
        }
    }

    /// What to do about it.
    fn hint(&self) -> Option<String> {
        let hint = match self {
            AssetError::NotFound { .. } => {
                "a relative asset path is relative to the directory synth runs in, not to the \
                 source file"
            }
            AssetError::PlainFile { .. } => {
                "give the directory that holds it (the whole directory is packed), or a .zip"
            }
            AssetError::NotDirectoryOrZip { .. } => "give a directory to pack, or a .zip archive",
            AssetError::NotAZip { .. } => {
                "give a directory to pack, or a zip archive made by a zip tool"
            }
            AssetError::EmptyZip { .. } => "an asset needs at least one file",
            AssetError::EmptyDirectory { .. } => {
                "an asset needs at least one file; empty directories are not packed"
            }
            AssetError::Unreadable { .. } => "make it readable by the user running synth",
            AssetError::NonUtf8Name { .. } => "rename it: zip names are UTF-8",
            AssetError::SymbolicLink { .. } => {
                "replace it with a copy of what it points to (`cp -L`), or pack a .zip yourself"
            }
            AssetError::SpecialFile { .. } => "remove it from the asset directory",
            AssetError::TooLarge { .. } => {
                "Lambda takes at most 250 MB unzipped: ship less, or a container image"
            }
        };
        Some(hint.to_owned())
    }
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code(), self.message())?;
        if let Some(hint) = self.hint() {
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
/// use constructs::{Code, DomainError};
///
/// let dir = std::env::temp_dir().join(format!("pack-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("index.py"), "def handler(event, context):\n    return 1\n").unwrap();
/// let packed = pack(&dir).unwrap();
/// assert_eq!(packed.key(), format!("assets/{}.zip", packed.hash()));
/// assert_eq!(pack(&dir).unwrap(), packed); // the same bytes every time
///
/// assert_eq!(pack(dir.join("missing")).unwrap_err().code(), Code::AssetNotFound);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn pack(path: impl AsRef<Path>) -> Result<PackedAsset, AssetError> {
    let path = path.as_ref();
    // The path itself may be a symbolic link: it is followed.
    let meta = fs::metadata(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            AssetError::NotFound {
                path: path.to_owned(),
            }
        } else {
            unreadable(path, &e)
        }
    })?;
    if meta.is_dir() {
        pack_dir(path)
    } else if meta.is_file() && is_zip_name(path) {
        take_zip(path)
    } else if meta.is_file() {
        Err(AssetError::PlainFile {
            path: path.to_owned(),
        })
    } else {
        Err(AssetError::NotDirectoryOrZip {
            path: path.to_owned(),
        })
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
        return Err(AssetError::EmptyZip {
            path: path.to_owned(),
        });
    }
    Err(AssetError::NotAZip {
        path: path.to_owned(),
    })
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
        return Err(AssetError::EmptyDirectory {
            path: root.to_owned(),
        });
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
            return Err(AssetError::NonUtf8Name { path });
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
            return Err(AssetError::SymbolicLink { path });
        } else {
            return Err(AssetError::SpecialFile { path });
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
    AssetError::Unreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

pub(super) fn too_large(root: &Path, e: TooLarge) -> AssetError {
    let what = match e {
        TooLarge::Entries => format!("more than {MAX_ENTRIES} files"),
        TooLarge::File(name) => format!("`{name}` is 4 GiB or more"),
        TooLarge::Archive => "the zip would be 4 GiB or more".to_owned(),
        TooLarge::Name(name) => format!("a file name of {} bytes", name.len()),
    };
    AssetError::TooLarge {
        path: root.to_owned(),
        what,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_error_is_asset_unreadable() {
        // Reading a directory as a file fails even for root, unlike a permission change.
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap_err().code(), Code::AssetUnreadable);
    }

    #[test]
    fn the_hash_is_sha256_in_lowercase_hex() {
        assert_eq!(
            PackedAsset::new(b"abc".to_vec()).hash(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
