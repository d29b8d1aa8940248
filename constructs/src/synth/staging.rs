//! Writing a synth's files so that a failed synth changes none of them.
//!
//! [`Staging`] writes each file under a temporary name in the output directory, on a
//! background thread, so that the disk works while synth validates and serializes the next
//! stack. [`Staging::commit`] then renames every file into place; dropping a `Staging` instead
//! (an error, a panic) removes what it wrote. A file whose content is already on disk is left
//! alone: its modification time stays, and an unchanged synth writes nothing. A name may have
//! one directory part (`assets/<sha256>.zip`): that directory is created when missing, and
//! removed again when a failed synth leaves it empty.
//!
//! Every error synth can foresee (an invalid stack, a file that cannot be written, a target
//! that is not a file) is found before the first rename. Each rename replaces one file
//! atomically; only a rename failing on its own (the directory changed under synth) can leave
//! some files new and others old.
//!
//! Files are not fsynced: the rename already makes a failed synth leave the old files, and
//! templates can be regenerated at will, so surviving a power cut is not worth the cost (a
//! per-file fsync was most of the time of a 400-stack synth; see BENCHMARKS.md).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::diagnostics::{Code, Diagnostic};

/// How many files may wait for the writing thread: enough to keep it busy, few enough that a
/// synth holds only a handful of stacks' output at a time.
const QUEUE: usize = 16;

/// Files being written to temporary names in one directory.
pub(crate) struct Staging {
    queue: Option<SyncSender<(String, Body)>>,
    worker: Option<JoinHandle<Staged>>,
}

/// A file's contents: rendered for this synth, or shared with the app (an asset's zip).
pub(crate) enum Body {
    Owned(Vec<u8>),
    Shared(Arc<[u8]>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Owned(bytes) => bytes,
            Body::Shared(bytes) => bytes,
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::Owned(bytes)
    }
}

impl From<Arc<[u8]>> for Body {
    fn from(bytes: Arc<[u8]>) -> Self {
        Body::Shared(bytes)
    }
}

/// What the writing thread did.
#[derive(Default)]
struct Staged {
    dir: PathBuf,
    /// Whether it created `dir`.
    created_dir: bool,
    /// The subdirectories of `dir` it created, in order.
    created_subdirs: Vec<PathBuf>,
    /// Each file, in the order given: its final path, and its temporary path when it was
    /// written (`None`: the same bytes are already there).
    files: Vec<(PathBuf, Option<PathBuf>)>,
    /// The first error; nothing more is written after it.
    error: Option<Diagnostic>,
}

/// The files a committed [`Staging`] put in place.
#[derive(Debug, Default)]
pub(crate) struct Committed {
    /// Files written (moved into place), in the order given.
    pub written: Vec<PathBuf>,
    /// Files left alone because they already held those bytes.
    pub unchanged: Vec<PathBuf>,
}

impl Staging {
    /// Stages files for `dir`, which is created when the first file is written.
    pub fn new(dir: &Path) -> Self {
        let (queue, files) = sync_channel(QUEUE);
        let dir = dir.to_path_buf();
        let worker = std::thread::Builder::new()
            .name("synth-writer".into())
            .spawn(move || write_all(dir, files));
        match worker {
            Ok(worker) => Self {
                queue: Some(queue),
                worker: Some(worker),
            },
            // No thread to be had: `write` and `commit` report it.
            Err(_) => Self {
                queue: None,
                worker: None,
            },
        }
    }

    /// Queues file `name` with `body` for writing. An error shows at [`Staging::commit`].
    pub fn write(&mut self, name: String, body: impl Into<Body>) {
        if let Some(queue) = &self.queue {
            // A closed queue means the thread is gone; `commit` reports it.
            let _ = queue.send((name, body.into()));
        }
    }

    /// Waits for every file to be written, then renames them all into place.
    pub fn commit(mut self) -> Result<Committed, Diagnostic> {
        let mut staged = self.finish_writing()?;
        if let Some(error) = staged.error.take() {
            staged.remove();
            return Err(error);
        }
        let mut committed = Committed::default();
        for i in 0..staged.files.len() {
            let (target, tmp) = &staged.files[i];
            let Some(tmp) = tmp else {
                committed.unchanged.push(target.clone());
                continue;
            };
            if let Err(e) = fs::rename(tmp, target) {
                let error = io_error("cannot move into place", target, e);
                // Only the files not yet renamed are removed.
                staged.files.drain(..i);
                staged.created_dir = false;
                staged.created_subdirs.clear();
                staged.remove();
                return Err(error);
            }
            committed.written.push(target.clone());
        }
        Ok(committed)
    }

    /// Closes the queue and waits for the writing thread.
    fn finish_writing(&mut self) -> Result<Staged, Diagnostic> {
        self.queue = None;
        let lost = || {
            Diagnostic::error(
                Code::Io,
                "synth",
                "the thread writing the output files stopped unexpectedly",
            )
        };
        let worker = self.worker.take().ok_or_else(lost)?;
        worker.join().map_err(|_| lost())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Ok(staged) = self.finish_writing() {
            staged.remove();
        }
    }
}

impl Staged {
    /// Removes the temporary files, and the directories this synth created if they are empty.
    fn remove(self) {
        for (_, tmp) in &self.files {
            if let Some(tmp) = tmp {
                let _ = fs::remove_file(tmp);
            }
        }
        for dir in self.created_subdirs.iter().rev() {
            // Only succeeds when empty.
            let _ = fs::remove_dir(dir);
        }
        if self.created_dir {
            // Only succeeds when empty.
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// The writing thread: writes each queued file to a temporary name until the queue closes.
fn write_all(dir: PathBuf, files: Receiver<(String, Body)>) -> Staged {
    let mut staged = Staged {
        dir,
        ..Staged::default()
    };
    for (name, body) in files {
        if staged.error.is_none() {
            if let Err(e) = staged.write(&name, body.as_ref()) {
                staged.error = Some(e);
            }
        }
    }
    staged
}

impl Staged {
    fn write(&mut self, name: &str, body: &[u8]) -> Result<(), Diagnostic> {
        if self.files.is_empty() && !self.dir.is_dir() {
            fs::create_dir_all(&self.dir)
                .map_err(|e| io_error("cannot create the output directory", &self.dir, e))?;
            self.created_dir = true;
        }
        let target = self.dir.join(name);
        let parent = target
            .parent()
            .map_or_else(|| self.dir.clone(), Path::to_path_buf);
        if parent != self.dir && !parent.is_dir() {
            fs::create_dir(&parent).map_err(|e| io_error("cannot create", &parent, e))?;
            self.created_subdirs.push(parent.clone());
        }
        // Found now, it changes nothing; found at the rename, files renamed before would stay.
        if fs::symlink_metadata(&target).is_ok_and(|meta| !meta.is_file()) {
            return Err(Diagnostic::error(
                Code::Io,
                target.display().to_string(),
                "cannot replace: something other than a file has this name",
            )
            .with_hint("move it away, or synth into another directory"));
        }
        if holds(&target, body) {
            self.files.push((target, None));
            return Ok(());
        }
        let file_name = target.file_name().unwrap_or_default().to_string_lossy();
        let tmp = parent.join(format!(".{file_name}.tmp{}", std::process::id()));
        let result = fs::File::create(&tmp).and_then(|mut f| f.write_all(body));
        // Recorded before the result is looked at, so that a partial file is removed too.
        self.files.push((target, Some(tmp.clone())));
        result.map_err(|e| io_error("cannot write", &tmp, e))
    }
}

/// Whether the file at `path` holds exactly `body` (reading it only when the sizes match).
fn holds(path: &Path, body: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == body.len() as u64 => {
            fs::read(path).is_ok_and(|on_disk| on_disk == body)
        }
        _ => false,
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, path.display().to_string(), format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    #[test]
    fn commit_moves_every_file_into_place_and_skips_unchanged_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut first = Staging::new(&out);
        first.write("a.json".into(), b"a1".to_vec());
        first.write("b.json".into(), b"b1".to_vec());
        let done = first.commit().unwrap();
        assert_eq!(done.written, vec![out.join("a.json"), out.join("b.json")]);
        assert!(done.unchanged.is_empty());

        let mut second = Staging::new(&out);
        second.write("a.json".into(), b"a1".to_vec());
        second.write("b.json".into(), b"b2".to_vec());
        let done = second.commit().unwrap();
        assert_eq!(done.written, vec![out.join("b.json")]);
        assert_eq!(done.unchanged, vec![out.join("a.json")]);
        assert_eq!(
            (read(&out.join("a.json")), read(&out.join("b.json"))),
            ("a1".into(), "b2".into())
        );
        assert_eq!(
            fs::read_dir(&out).unwrap().count(),
            2,
            "temporary files left"
        );
    }

    #[test]
    fn dropping_without_commit_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut fresh = Staging::new(&out);
        fresh.write("a.json".into(), b"a".to_vec());
        drop(fresh);
        assert!(!out.exists(), "the directory it created is left behind");

        fs::create_dir(&out).unwrap();
        fs::write(out.join("a.json"), "old").unwrap();
        let mut staging = Staging::new(&out);
        staging.write("a.json".into(), b"new".to_vec());
        staging.write("b.json".into(), b"b".to_vec());
        drop(staging);
        assert_eq!(read(&out.join("a.json")), "old");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
    }

    #[test]
    fn a_file_in_a_subdirectory_gets_it_created_and_removed_again_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let mut staging = Staging::new(out);
        staging.write("a.json".into(), b"a".to_vec());
        staging.write("assets/x.zip".into(), std::sync::Arc::from(&b"zip"[..]));
        let done = staging.commit().unwrap();
        assert_eq!(
            done.written,
            vec![out.join("a.json"), out.join("assets/x.zip")]
        );
        assert_eq!(read(&out.join("assets/x.zip")), "zip");
        assert_eq!(fs::read_dir(out.join("assets")).unwrap().count(), 1);

        fs::remove_dir_all(out.join("assets")).unwrap();
        let mut failed = Staging::new(out);
        failed.write("assets/x.zip".into(), b"zip".to_vec());
        drop(failed);
        assert!(
            !out.join("assets").exists(),
            "the directory it created is left behind"
        );
    }

    #[test]
    fn a_target_that_is_not_a_file_fails_before_any_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::write(out.join("a.json"), "old").unwrap();
        fs::create_dir(out.join("b.json")).unwrap();
        let mut staging = Staging::new(out);
        staging.write("a.json".into(), b"new".to_vec());
        staging.write("b.json".into(), b"b".to_vec());
        let err = staging.commit().unwrap_err();
        assert_eq!(err.code, Code::Io);
        assert_eq!(read(&out.join("a.json")), "old");
        assert_eq!(
            fs::read_dir(out).unwrap().count(),
            2,
            "temporary files left"
        );
    }

    #[test]
    fn a_write_error_is_reported_at_commit_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, "not a directory").unwrap();
        let mut staging = Staging::new(&blocker.join("out"));
        staging.write("a.json".into(), b"a".to_vec());
        let err = staging.commit().unwrap_err();
        assert_eq!(err.code, Code::Io);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
