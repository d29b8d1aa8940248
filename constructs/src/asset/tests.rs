use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::*;
use crate::{App, Code, DomainError, Stack};

/// Writes `files` (relative path, contents) under `dir`, creating parent directories.
fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (name, body) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, body).unwrap();
    }
}

/// Every entry of a zip: name, Unix mode and contents, in archive order.
fn entries(zip: &[u8]) -> Vec<(String, u32, String)> {
    let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut body = String::new();
            file.read_to_string(&mut body).unwrap();
            (file.name().to_owned(), file.unix_mode().unwrap(), body)
        })
        .collect()
}

const HANDLER: &[(&str, &str)] = &[
    (
        "index.py",
        "import lib.util\n\ndef handler(event, context):\n    return lib.util.answer()\n",
    ),
    ("lib/util.py", "def answer():\n    return 42\n"),
    ("lib/__init__.py", ""),
    (".config", "dotfiles are packed too\n"),
];

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn packing_twice_gives_identical_bytes_and_the_hash_names_them() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), HANDLER);
    let first = pack(dir.path()).unwrap();
    let second = pack(dir.path()).unwrap();
    assert_eq!(first.bytes(), second.bytes());
    assert_eq!(first.hash().len(), 64);
    assert_eq!(first.key(), format!("assets/{}.zip", first.hash()));
}

#[test]
fn the_zip_opens_with_an_independent_reader_sorted_by_path() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), HANDLER);
    let packed = pack(dir.path()).unwrap();
    let names: Vec<String> = entries(packed.bytes()).into_iter().map(|e| e.0).collect();
    assert_eq!(
        names,
        [".config", "index.py", "lib/__init__.py", "lib/util.py"]
    );
    let util = entries(packed.bytes()).remove(3);
    assert_eq!(util.2, "def answer():\n    return 42\n");
}

#[cfg(unix)]
#[test]
fn a_copy_with_other_times_creation_order_and_modes_packs_to_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    write_tree(a.path(), HANDLER);
    write_tree(a.path(), &[("bootstrap", "#!/bin/sh\n")]);
    set_mode(&a.path().join("bootstrap"), 0o755);

    // The same files created in the opposite order, a day later, with another umask's modes
    // (and other group and other bits on the executable).
    let b = tempfile::tempdir().unwrap();
    write_tree(b.path(), &[("bootstrap", "#!/bin/sh\n")]);
    for (name, body) in HANDLER.iter().rev() {
        write_tree(b.path(), &[(name, body)]);
    }
    set_mode(&b.path().join("bootstrap"), 0o700);
    set_mode(&b.path().join("index.py"), 0o600);
    set_mode(&b.path().join("lib/util.py"), 0o666);
    set_mode(&b.path().join("lib"), 0o700);
    let later = SystemTime::now() + Duration::from_secs(86_400);
    for name in ["bootstrap", "index.py", "lib/util.py", ".config"] {
        let file = fs::File::options()
            .write(true)
            .open(b.path().join(name))
            .unwrap();
        file.set_modified(later).unwrap();
    }

    assert_eq!(
        pack(a.path()).unwrap().bytes(),
        pack(b.path()).unwrap().bytes()
    );
}

#[cfg(unix)]
#[test]
fn a_file_its_owner_may_execute_is_packed_0755_and_the_others_0644() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("bootstrap", "#!/bin/sh\n"), ("data.txt", "d\n")],
    );
    set_mode(&dir.path().join("bootstrap"), 0o744);
    set_mode(&dir.path().join("data.txt"), 0o677); // executable, but not by its owner
    let packed = pack(dir.path()).unwrap();
    let modes: Vec<(String, u32)> = entries(packed.bytes())
        .into_iter()
        .map(|(name, mode, _)| (name, mode))
        .collect();
    assert_eq!(
        modes,
        [
            ("bootstrap".to_owned(), 0o100_755),
            ("data.txt".to_owned(), 0o100_644)
        ]
    );

    // The bit is part of the content: changing it changes the hash.
    set_mode(&dir.path().join("bootstrap"), 0o644);
    assert_ne!(pack(dir.path()).unwrap().hash(), packed.hash());
}

#[test]
fn a_zip_file_is_taken_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("src/index.py", "x = 1\n")]);
    let packed = pack(dir.path().join("src")).unwrap();
    // Any zip: here one with a trailing comment no packer of ours would write.
    let mut bytes = packed.bytes().to_vec();
    let len = bytes.len();
    bytes[len - 2..].copy_from_slice(&3u16.to_le_bytes());
    bytes.extend_from_slice(b"hey");
    for name in ["code.zip", "CODE.ZIP"] {
        fs::write(dir.path().join(name), &bytes).unwrap();
        let taken = pack(dir.path().join(name)).unwrap();
        assert_eq!(taken.bytes(), bytes.as_slice(), "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_given_as_the_path_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("real/index.py", "x = 1\n")]);
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
    assert_eq!(
        pack(dir.path().join("link")).unwrap(),
        pack(dir.path().join("real")).unwrap()
    );
}

fn code_of(path: &Path) -> Code {
    pack(path).unwrap_err().code()
}

#[test]
fn a_missing_path_is_asset_not_found() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code_of(&dir.path().join("nope")), Code::AssetNotFound);
}

#[test]
fn a_plain_file_or_a_zip_that_is_not_one_is_invalid_asset() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("index.py", "x = 1\n"), ("fake.zip", "not a zip")],
    );
    let err = pack(dir.path().join("index.py")).unwrap_err();
    assert_eq!(err.code(), Code::InvalidAsset);
    assert!(err.message().contains("index.py"), "{err}");
    assert!(err.hint().unwrap().contains("directory"), "{err}");
    assert_eq!(code_of(&dir.path().join("fake.zip")), Code::InvalidAsset);
}

#[test]
fn a_directory_without_files_or_an_empty_zip_is_empty_asset() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("empty/only/dirs")).unwrap();
    assert_eq!(code_of(&dir.path().join("empty")), Code::EmptyAsset);
    let empty_zip = zip::ZipWriter::new().finish().unwrap();
    fs::write(dir.path().join("empty.zip"), empty_zip).unwrap();
    assert_eq!(code_of(&dir.path().join("empty.zip")), Code::EmptyAsset);
}

#[cfg(unix)]
#[test]
fn links_sockets_and_names_that_are_not_utf8_are_unsupported_entries() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let link = tempfile::tempdir().unwrap();
    write_tree(link.path(), &[("index.py", "x = 1\n")]);
    std::os::unix::fs::symlink("index.py", link.path().join("alias.py")).unwrap();
    let err = pack(link.path()).unwrap_err();
    assert_eq!(err.code(), Code::UnsupportedAssetEntry);
    assert!(err.message().contains("alias.py"), "{err}");

    let socket = tempfile::tempdir().unwrap();
    write_tree(socket.path(), &[("index.py", "x = 1\n")]);
    let _listener = std::os::unix::net::UnixListener::bind(socket.path().join("s")).unwrap();
    assert_eq!(code_of(socket.path()), Code::UnsupportedAssetEntry);

    let name = tempfile::tempdir().unwrap();
    let bad = name.path().join(OsStr::from_bytes(b"caf\xe9.py"));
    if fs::write(&bad, "x = 1\n").is_ok() {
        assert_eq!(code_of(name.path()), Code::UnsupportedAssetEntry);
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_asset_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("index.py", "x = 1\n"), ("secret.py", "y = 2\n")],
    );
    let secret = dir.path().join("secret.py");
    set_mode(&secret, 0o000);
    if fs::read(&secret).is_ok() {
        // Running as root, which reads anything: the mapping of a read error is tested in
        // `pack::tests::a_read_error_is_asset_unreadable`.
        return;
    }
    let err = pack(dir.path()).unwrap_err();
    assert_eq!(err.code(), Code::AssetUnreadable);
    assert!(err.message().contains("secret.py"), "{err}");
}

#[test]
fn what_does_not_fit_in_a_zip_is_asset_too_large() {
    // (Writing 65,535 files or 4 GiB to test this would take long: the writer's limits are
    // tested in `zip::tests`.)
    for e in [
        zip::TooLarge::Entries,
        zip::TooLarge::Archive,
        zip::TooLarge::File("big.bin".into()),
    ] {
        let err = pack::too_large(Path::new("dist"), e);
        assert_eq!(err.code(), Code::AssetTooLarge);
        assert!(err.message().contains("dist"), "{err}");
    }
}

// -- on a stack -------------------------------------------------------------------------------

#[test]
fn an_asset_adds_one_bucket_parameter_and_is_recorded_once_per_hash() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("a/index.py", "x = 1\n"), ("b/index.py", "x = 1\n")],
    );
    let mut stack = Stack::new("Fns");
    let first = stack.add_asset(dir.path().join("a"));
    // Same bytes from another directory: one asset, recorded under the first path.
    let again = stack.scope().child("Other").add_asset(dir.path().join("b"));
    assert_eq!(first, again);
    assert_eq!(stack.assets().len(), 1);
    assert_eq!(
        stack.assets()[0].source(),
        dir.path().join("a").display().to_string()
    );
    assert_eq!(stack.contents().parameters.len(), 1);
    assert_eq!(
        first.bucket().expr(),
        &Expr::Ref {
            stack: Some(stack.stack_ref()),
            name: "AssetsBucket".into()
        }
    );
    let code = serde_json::to_value(crate::PropertyType::into_expr(first.lambda_code())).unwrap();
    assert_eq!(
        code,
        serde_json::json!({"S3Bucket": {"Ref": "AssetsBucket"}, "S3Key": first.key()})
    );

    stack.add("Logs", crate::cfn::logs::LogGroup::new());
    let mut app = App::new();
    app.add_stack(stack);
    let assembly = app.assemble().unwrap();
    let template: serde_json::Value = serde_json::from_str(&assembly.stacks[0].json).unwrap();
    assert_eq!(template["Parameters"]["AssetsBucket"]["Type"], "String");
    assert!(template["Parameters"]["AssetsBucket"]["Description"]
        .as_str()
        .unwrap()
        .contains("assets"));
}

#[test]
fn a_failed_asset_is_reported_at_the_scope_and_gives_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = Stack::new("Fns");
    let location = stack
        .scope()
        .child("Api")
        .child("Handler")
        .add_asset(dir.path().join("missing"));
    assert_eq!(location.hash(), "");
    assert_eq!(location.key(), "assets/unavailable.zip");
    assert!(stack.assets().is_empty());
    let reported = &stack.contents().diagnostics[0];
    assert_eq!(
        (reported.code, reported.path.as_str()),
        (Code::AssetNotFound, "Fns/Api/Handler")
    );
    assert!(reported.hint.is_some());
}

#[test]
fn a_parameter_of_the_bucket_name_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("index.py", "x = 1\n")]);
    for parameter_first in [true, false] {
        let mut stack = Stack::new("Fns");
        if parameter_first {
            stack.add_parameter("AssetsBucket", crate::Parameter::string());
        }
        stack.add_asset(dir.path());
        if !parameter_first {
            stack.add_parameter("AssetsBucket", crate::Parameter::string());
        }
        // Both parameters have the path `Fns/AssetsBucket`: the message says whose the other
        // one is, rather than naming that path as its own first user.
        let d = &stack.contents().diagnostics[0];
        assert_eq!(d.code, Code::DuplicateLogicalId);
        assert_eq!(d.path, "Fns/AssetsBucket");
        assert!(d.message.contains("the stack's assets bucket"), "{d}");
    }
}
