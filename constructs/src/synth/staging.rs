//! Writing a synth's files so that the output directory holds one synth's output, whole.
//!
//! The directory is switched as a whole, never file by file: [`Staging`] builds the new
//! generation in a fresh directory beside it (`.<DIR>.synth-new.<pid>`), then exchanges the two
//! in one `renameat2(RENAME_EXCHANGE)` call, which Linux performs atomically (see
//! `rename(2)`). A reader, or a synth killed at any point, sees the old directory or the new
//! one, each with its own manifest and templates, never a mix. Why not the alternatives:
//! renaming files one by one (what synth did before) leaves a mix when it is killed halfway;
//! a manifest naming the generation helps only readers that consult it, and the deploy
//! commands name template files directly; a symbolic link swapped in place of the directory
//! would turn `--out` into a link, which version control and tools that copy the directory
//! treat differently.
//!
//! Files are written on a background thread, so the disk works while synth validates and
//! serializes the next stack. A file that already holds what synth writes is not written: it
//! is hard-linked into the new generation, so it keeps its inode and modification time, and an
//! unchanged synth switches nothing at all. Whatever synth does not own (see `outdir`) is
//! hard-linked across too, so the user's files stay; the files an earlier synth wrote that this
//! one does not (its manifest lists them) are simply not carried over. After the switch the
//! old generation, now under the temporary name, is removed.
//!
//! A synth that is killed leaves at most that temporary directory beside the output directory;
//! the next synth removes it (under a lock on the parent directory, so it never removes the
//! one a synth running at the same time is building), and removes the `.<file>.tmp<pid>` files
//! older synths could leave inside. Where the exchange is not available (a system other than
//! Linux, a file system that does not support it), the old generation is renamed aside
//! (`.<DIR>.synth-old.<pid>`) and the new one renamed in: a synth killed between those two
//! renames leaves no directory under the name for an instant, and the next synth renames the
//! old generation back before anything else.
//!
//! Dropping a `Staging` instead of committing it (an error, a panic) removes what it wrote
//! and the directories it created. Every error synth can foresee (an invalid stack, a file that
//! cannot be written, a target that is not a file) is found before the switch.
//!
//! Files are not fsynced: the switch already makes a failed synth leave the old files, and
//! templates can be regenerated at will, so surviving a power cut is not worth the cost (a
//! per-file fsync was most of the time of a 400-stack synth; see BENCHMARKS.md).

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::diagnostics::{Code, Diagnostic};

use super::outdir::{self, Aside};

/// How many files may wait for the writing thread: enough to keep it busy, few enough that a
/// synth holds only a handful of stacks' output at a time.
const QUEUE: usize = 16;

/// Files being written into a new generation of one output directory.
pub(crate) struct Staging {
    out: PathBuf,
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

/// What a committed [`Staging`] did. Paths are under the output directory as it was given,
/// except `cleaned` generations, which are beside it.
#[derive(Debug, Default)]
pub(crate) struct Committed {
    /// Files written, in the order given.
    pub written: Vec<PathBuf>,
    /// Files left alone because they already held those bytes.
    pub unchanged: Vec<PathBuf>,
    /// Files an earlier synth wrote that this one does not, removed.
    pub removed: Vec<PathBuf>,
    /// Leftovers of interrupted synths, removed.
    pub cleaned: Vec<PathBuf>,
    /// Entries synth did not write, kept.
    pub foreign: Vec<PathBuf>,
}

/// Where the output directory is: its real path (links resolved), its parent and its name.
#[derive(Clone)]
struct Place {
    target: PathBuf,
    parent: PathBuf,
    name: OsString,
}

/// What the writing thread did.
struct Staged {
    /// The output directory as given, for the paths reported.
    out: PathBuf,
    /// Whether to try the one-step exchange (tests turn it off to cover the fallback).
    exchange: bool,
    /// Found when the first file comes.
    place: Option<Place>,
    /// The directories created to hold the output directory, outermost first.
    created: Vec<PathBuf>,
    /// Held from before the first file is compared until the switch is done.
    _lock: Option<fs::File>,
    /// The new generation, once a file had to be written.
    staging: Option<PathBuf>,
    /// Leftovers of interrupted synths removed before this one started.
    cleaned: Vec<PathBuf>,
    /// Each file, in the order given, and whether it was written (`false`: the same bytes
    /// are already there).
    files: Vec<(String, bool)>,
    /// The first error; nothing more is written after it.
    error: Option<Diagnostic>,
}

impl Staging {
    /// Stages files for `dir`, which is created when the synth is committed.
    pub fn new(dir: &Path) -> Self {
        Self::with_exchange(dir, !fault::no_exchange())
    }

    /// Like [`Staging::new`]; `exchange: false` always takes the two-rename fallback.
    fn with_exchange(dir: &Path, exchange: bool) -> Self {
        let (queue, files) = sync_channel(QUEUE);
        let staged = Staged {
            out: dir.to_path_buf(),
            exchange,
            place: None,
            created: Vec::new(),
            _lock: None,
            staging: None,
            cleaned: Vec::new(),
            files: Vec::new(),
            error: None,
        };
        let worker = std::thread::Builder::new()
            .name("synth-writer".into())
            .spawn(move || write_all(staged, files));
        match worker {
            Ok(worker) => Self {
                out: dir.to_path_buf(),
                queue: Some(queue),
                worker: Some(worker),
            },
            // No thread to be had: `write` and `commit` report it.
            Err(_) => Self {
                out: dir.to_path_buf(),
                queue: None,
                worker: None,
            },
        }
    }

    /// The output directory, as it was given.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// Queues file `name` with `body` for writing. An error shows at [`Staging::commit`].
    pub fn write(&mut self, name: String, body: impl Into<Body>) {
        if let Some(queue) = &self.queue {
            // A closed queue means the thread is gone; `commit` reports it.
            let _ = queue.send((name, body.into()));
        }
    }

    /// Waits for every file to be written, then switches the output directory to the new
    /// generation: the files given, and what the directory holds that synth does not own.
    pub fn commit(mut self) -> Result<Committed, Diagnostic> {
        let mut staged = self.finish_writing()?;
        let result = match staged.error.take() {
            Some(error) => Err(error),
            None => staged.switch(),
        };
        if result.is_err() {
            staged.abandon();
        }
        result
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
        if let Ok(mut staged) = self.finish_writing() {
            staged.abandon();
        }
    }
}

/// The writing thread: writes each queued file into the new generation until the queue
/// closes.
fn write_all(mut staged: Staged, files: Receiver<(String, Body)>) -> Staged {
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
    /// Finds the output directory, creates its parent when missing, takes the lock and
    /// removes what interrupted synths left beside it.
    fn prepare(&mut self) -> Result<Place, Diagnostic> {
        if let Some(place) = &self.place {
            return Ok(place.clone());
        }
        let place = resolve(&self.out, &mut self.created)?;
        refuse_working_directory(&place.target, &self.out)?;
        self._lock = lock(&place.parent);
        for (aside, kind) in outdir::asides(&place.target) {
            if kind == Aside::Old && fs::symlink_metadata(&place.target).is_err() {
                // Killed between moving the old generation aside and renaming the new one in
                // (the fallback's gap): the old one goes back, whole.
                op(fs::rename(&aside, &place.target))
                    .map_err(|e| io_error("cannot restore the output directory", &aside, e))?;
            } else {
                remove_tree(&aside).map_err(|e| io_error("cannot remove", &aside, e))?;
            }
            self.cleaned.push(aside);
        }
        self.place = Some(place.clone());
        Ok(place)
    }

    fn write(&mut self, name: &str, body: &[u8]) -> Result<(), Diagnostic> {
        let place = self.prepare()?;
        let target = place.target.join(name);
        // Found now, it changes nothing; found at the switch, the new generation would lack it.
        if fs::symlink_metadata(&target).is_ok_and(|meta| !meta.is_file()) {
            return Err(Diagnostic::error(
                Code::Io,
                self.out.join(name).display().to_string(),
                "cannot replace: something other than a file has this name",
            )
            .with_hint("move it away, or synth into another directory"));
        }
        if holds(&target, body) {
            self.files.push((name.to_owned(), false));
            return Ok(());
        }
        let staging = self.staging_dir(&place)?;
        let file = staging.join(name);
        make_parent(&file, &staging)?;
        self.files.push((name.to_owned(), true));
        op(fs::File::create(&file).and_then(|mut f| f.write_all(body)))
            .map_err(|e| io_error("cannot write", &file, e))
    }

    /// The new generation's directory, created on first use.
    fn staging_dir(&mut self, place: &Place) -> Result<PathBuf, Diagnostic> {
        if let Some(dir) = &self.staging {
            return Ok(dir.clone());
        }
        let dir = place
            .parent
            .join(Aside::New.name(&place.name, std::process::id()));
        op(fs::create_dir(&dir)).map_err(|e| io_error("cannot create", &dir, e))?;
        self.staging = Some(dir.clone());
        Ok(dir)
    }

    /// Completes the new generation and switches the output directory to it.
    fn switch(&mut self) -> Result<Committed, Diagnostic> {
        let place = self.prepare()?;
        let writes: HashSet<&str> = self.files.iter().map(|(n, _)| n.as_str()).collect();
        let survey = outdir::survey(&place.target, |n| writes.contains(n))
            .map_err(|e| io_error("cannot read", &place.target, e))?;
        let mut committed = Committed {
            cleaned: std::mem::take(&mut self.cleaned),
            foreign: survey.foreign.iter().map(|f| self.out.join(f)).collect(),
            ..Committed::default()
        };
        for (name, written) in &self.files {
            let list = match written {
                true => &mut committed.written,
                false => &mut committed.unchanged,
            };
            list.push(self.out.join(name));
        }
        let exists = place.target.is_dir();
        if exists
            && committed.written.is_empty()
            && survey.obsolete.is_empty()
            && survey.leftovers.is_empty()
        {
            // Nothing to change: the directory is this generation already.
            return Ok(committed);
        }
        let staging = self.staging_dir(&place)?;
        // Hard links: the files kept keep their inode and modification time, cost no copy,
        // and cannot differ from what the directory held.
        for (name, _) in self.files.iter().filter(|(_, written)| !written) {
            let to = staging.join(name);
            make_parent(&to, &staging)?;
            let from = place.target.join(name);
            op(fs::hard_link(&from, &to)).map_err(|e| io_error("cannot keep", &from, e))?;
        }
        for entry in &survey.foreign {
            let to = staging.join(entry);
            make_parent(&to, &staging)?;
            link_tree(&place.target.join(entry), &to)?;
        }
        if exists {
            let from = fs::metadata(&place.target)
                .map_err(|e| io_error("cannot read", &place.target, e))?;
            op(fs::set_permissions(&staging, from.permissions()))
                .map_err(|e| io_error("cannot set the permissions of", &staging, e))?;
            self.replace(&place, &staging)?;
        } else {
            op(fs::rename(&staging, &place.target))
                .map_err(|e| io_error("cannot move into place", &place.target, e))?;
            self.staging = None;
        }
        committed.removed = (survey.obsolete.iter())
            .map(|name| self.out.join(name))
            .collect();
        committed
            .cleaned
            .extend(survey.leftovers.iter().map(|name| self.out.join(name)));
        Ok(committed)
    }

    /// Replaces the existing output directory with `staging`, then removes the old generation.
    fn replace(&mut self, place: &Place, staging: &Path) -> Result<(), Diagnostic> {
        let moved = |e| io_error("cannot move into place", &place.target, e);
        if self.exchange {
            match op(exchange(staging, &place.target)) {
                Ok(()) => {
                    // `staging` now names the old generation. Failing to remove it is not this
                    // synth's failure: the next one removes it.
                    self.staging = None;
                    let _ = remove_tree(staging);
                    return Ok(());
                }
                Err(e) if !exchange_unsupported(&e) => return Err(moved(e)),
                Err(_) => {}
            }
        }
        let old = (place.parent).join(Aside::Old.name(&place.name, std::process::id()));
        op(fs::rename(&place.target, &old)).map_err(moved)?;
        if let Err(e) = op(fs::rename(staging, &place.target)) {
            let _ = fs::rename(&old, &place.target);
            return Err(moved(e));
        }
        self.staging = None;
        let _ = remove_tree(&old);
        Ok(())
    }

    /// Removes the new generation and the directories this synth created, if they are empty.
    fn abandon(&mut self) {
        if let Some(staging) = self.staging.take() {
            let _ = remove_tree(&staging);
        }
        for dir in self.created.drain(..).rev() {
            // Only succeeds when empty.
            let _ = op(fs::remove_dir(dir));
        }
    }
}

/// The output directory `out` really is (a link to a directory is followed: the directory is
/// switched, the link stays), creating the directories that are to hold it.
fn resolve(out: &Path, created: &mut Vec<PathBuf>) -> Result<Place, Diagnostic> {
    let target = if fs::symlink_metadata(out).is_ok() {
        let target = fs::canonicalize(out).map_err(|e| io_error("cannot resolve", out, e))?;
        if !target.is_dir() {
            return Err(Diagnostic::error(
                Code::Io,
                out.display().to_string(),
                "the output directory is not a directory",
            )
            .with_hint("give --out a directory, or a path that does not exist yet"));
        }
        target
    } else {
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut missing = Vec::new();
        let mut dir = parent;
        while fs::symlink_metadata(dir).is_err() {
            missing.push(dir.to_path_buf());
            match dir.parent() {
                Some(up) if !up.as_os_str().is_empty() => dir = up,
                _ => break,
            }
        }
        for dir in missing.into_iter().rev() {
            op(fs::create_dir(&dir))
                .map_err(|e| io_error("cannot create the output directory", &dir, e))?;
            created.push(dir);
        }
        let name = out.file_name().unwrap_or_default();
        fs::canonicalize(parent)
            .map_err(|e| io_error("cannot resolve", parent, e))?
            .join(name)
    };
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) => Ok(Place {
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            target,
        }),
        _ => Err(Diagnostic::error(
            Code::Io,
            out.display().to_string(),
            "the root directory cannot be an output directory",
        )
        .with_hint("synth into a directory of its own, such as synth.out")),
    }
}

/// Refuses an output directory that holds the working directory (`--out .`): synth replaces
/// the directory as a whole, which would carry the whole tree across and leave the process
/// (and the user's shell) in the removed old generation.
fn refuse_working_directory(target: &Path, out: &Path) -> Result<(), Diagnostic> {
    let cwd = std::env::current_dir().and_then(fs::canonicalize);
    match cwd {
        Ok(cwd) if cwd.starts_with(target) => Err(Diagnostic::error(
            Code::Io,
            out.display().to_string(),
            "the output directory holds the working directory; synth replaces the output \
             directory as a whole",
        )
        .with_hint("synth into a directory of its own, such as synth.out")),
        _ => Ok(()),
    }
}

/// An exclusive lock on the directory `parent`, so that two synths into directories there
/// take turns: a synth's new generation is never taken for a leftover by another. `None` where
/// the system or file system has no such lock; synths then must not run at the same time.
fn lock(parent: &Path) -> Option<fs::File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let dir = fs::File::open(parent).ok()?;
        loop {
            // SAFETY: `flock` only reads the descriptor, which `dir` keeps open.
            if unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Some(dir);
            }
            if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return None;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = parent;
        None
    }
}

/// Exchanges the directories `a` and `b` in one step: `renameat2(RENAME_EXCHANGE)`, through
/// the system call itself so that an older C library is no obstacle.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path holds a NUL byte"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call; the call reads
    // nothing else.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    match done {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether `e` says the exchange is not available here (an old kernel, a file system without
/// it), rather than that it failed.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if let Some(code) = e.raw_os_error() {
        return [libc::EINVAL, libc::ENOSYS, libc::EOPNOTSUPP].contains(&code);
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Creates the directories between `root` (which exists) and `file`.
fn make_parent(file: &Path, root: &Path) -> Result<(), Diagnostic> {
    let Some(parent) = file.parent() else {
        return Ok(());
    };
    if parent == root || parent.is_dir() {
        return Ok(());
    }
    make_parent(parent, root)?;
    op(fs::create_dir(parent)).map_err(|e| io_error("cannot create", parent, e))
}

/// Recreates `from` at `to`: directories made anew (with their permissions), everything else
/// hard-linked (a symbolic link is linked as the link, not followed).
fn link_tree(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    let meta = fs::symlink_metadata(from).map_err(|e| io_error("cannot read", from, e))?;
    if !meta.is_dir() {
        return op(fs::hard_link(from, to)).map_err(|e| {
            io_error("cannot keep", from, e)
                .with_hint("the output directory should hold synth's files alone; move this away")
        });
    }
    op(fs::create_dir(to)).map_err(|e| io_error("cannot create", to, e))?;
    for entry in fs::read_dir(from).map_err(|e| io_error("cannot read", from, e))? {
        let entry = entry.map_err(|e| io_error("cannot read", from, e))?;
        link_tree(&entry.path(), &to.join(entry.file_name()))?;
    }
    op(fs::set_permissions(to, meta.permissions()))
        .map_err(|e| io_error("cannot set the permissions of", to, e))
}

/// Removes `path` and everything under it, without following links.
fn remove_tree(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_dir() {
        return op(fs::remove_file(path));
    }
    for entry in fs::read_dir(path)? {
        remove_tree(&entry?.path())?;
    }
    op(fs::remove_dir(path))
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

fn io_error(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, path.display().to_string(), format!("{what}: {e}"))
}

/// Every change synth makes to the file system goes through here, once it is made, so that a
/// test can stop the process after any one of them (see `kill_test`).
fn op<T>(result: io::Result<T>) -> io::Result<T> {
    fault::tick();
    result
}

/// The test hooks: `CONSTRUCTS_TEST_ABORT_AFTER_FS_OPS=N` aborts the process right after its
/// Nth change to the file system, as a kill would; `CONSTRUCTS_TEST_NO_EXCHANGE` makes every
/// [`Staging`] take the fallback. Compiled into the crate's own tests only.
#[cfg(test)]
pub(crate) mod fault {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    pub(crate) const ABORT_AFTER: &str = "CONSTRUCTS_TEST_ABORT_AFTER_FS_OPS";
    pub(crate) const NO_EXCHANGE: &str = "CONSTRUCTS_TEST_NO_EXCHANGE";

    static DONE: AtomicU64 = AtomicU64::new(0);

    pub(crate) fn tick() {
        static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
        let done = DONE.fetch_add(1, Ordering::SeqCst) + 1;
        let limit = LIMIT.get_or_init(|| std::env::var(ABORT_AFTER).ok()?.parse().ok());
        if *limit == Some(done) {
            std::process::abort();
        }
    }

    /// How many changes this process has made.
    pub(crate) fn done() -> u64 {
        DONE.load(Ordering::SeqCst)
    }

    pub(crate) fn no_exchange() -> bool {
        std::env::var_os(NO_EXCHANGE).is_some()
    }
}

#[cfg(not(test))]
mod fault {
    #[inline(always)]
    pub(crate) fn tick() {}

    pub(crate) fn no_exchange() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn stage(out: &Path, files: &[(&str, &str)]) -> Staging {
        let mut staging = Staging::new(out);
        for (name, body) in files {
            staging.write((*name).to_owned(), body.as_bytes().to_vec());
        }
        staging
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
    }

    #[test]
    fn commit_switches_to_the_new_files_and_keeps_unchanged_ones_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let done = stage(&out, &[("a.json", "a1"), ("b.json", "b1")])
            .commit()
            .unwrap();
        assert_eq!(done.written, vec![out.join("a.json"), out.join("b.json")]);
        assert!(done.unchanged.is_empty());
        #[cfg(unix)]
        let a_inode = inode(&out.join("a.json"));

        let done = stage(&out, &[("a.json", "a1"), ("b.json", "b2")])
            .commit()
            .unwrap();
        assert_eq!(done.written, vec![out.join("b.json")]);
        assert_eq!(done.unchanged, vec![out.join("a.json")]);
        assert_eq!(
            (read(&out.join("a.json")), read(&out.join("b.json"))),
            ("a1".into(), "b2".into())
        );
        // The unchanged file is the same file: same inode, so the same modification time.
        #[cfg(unix)]
        assert_eq!(inode(&out.join("a.json")), a_inode);
        assert_eq!(names(&out), ["a.json", "b.json"]);
        assert_eq!(names(dir.path()), ["out"], "a generation is left beside it");
    }

    #[test]
    fn an_unchanged_synth_switches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        stage(&out, &[("a.json", "a")]).commit().unwrap();
        #[cfg(unix)]
        let dir_inode = inode(&out);
        let done = stage(&out, &[("a.json", "a")]).commit().unwrap();
        assert!(done.written.is_empty());
        #[cfg(unix)]
        assert_eq!(inode(&out), dir_inode, "the directory was replaced");
    }

    #[test]
    fn dropping_without_commit_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("deeper/out");
        drop(stage(&out, &[("a.json", "a")]));
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("a.json"), "old").unwrap();
        drop(stage(&out, &[("a.json", "new"), ("b.json", "b")]));
        assert_eq!(read(&out.join("a.json")), "old");
        assert_eq!(names(&out), ["a.json"]);
        assert_eq!(names(&dir.path().join("deeper")), ["out"]);
    }

    #[test]
    fn a_file_in_a_subdirectory_gets_it_created_and_removed_with_the_generation() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut staging = Staging::new(&out);
        staging.write("a.json".into(), b"a".to_vec());
        staging.write("assets/x.zip".into(), std::sync::Arc::from(&b"zip"[..]));
        let done = staging.commit().unwrap();
        assert_eq!(
            done.written,
            vec![out.join("a.json"), out.join("assets/x.zip")]
        );
        assert_eq!(read(&out.join("assets/x.zip")), "zip");

        // An earlier synth's zip that nothing writes any more goes, and so does its
        // directory once empty; a manifest says which files synth wrote.
        let hash = "ab".repeat(32);
        let zip = format!("assets/{hash}.zip");
        let manifest = format!(r#"{{"stacks": [{{"assets": [{{"file": "{zip}"}}]}}]}}"#);
        stage(&out, &[("manifest.json", &manifest), (&zip, "zip")])
            .commit()
            .unwrap();
        assert_eq!(
            names(&out.join("assets")),
            [format!("{hash}.zip"), "x.zip".into()]
        );
        let done = stage(&out, &[("manifest.json", "{}")]).commit().unwrap();
        assert_eq!(done.removed, vec![out.join(&zip)]);
        // x.zip was never listed in a manifest: it is kept, and reported.
        assert_eq!(
            done.foreign,
            vec![out.join("a.json"), out.join("assets/x.zip")]
        );
        assert_eq!(names(&out.join("assets")), ["x.zip"]);
    }

    #[test]
    fn a_target_that_is_not_a_file_fails_before_anything_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("a.json"), "old").unwrap();
        fs::create_dir(out.join("b.json")).unwrap();
        let err = stage(&out, &[("a.json", "new"), ("b.json", "b")])
            .commit()
            .unwrap_err();
        assert_eq!(err.code, Code::Io);
        assert_eq!(read(&out.join("a.json")), "old");
        assert_eq!(names(&out), ["a.json", "b.json"]);
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn a_write_error_is_reported_at_commit_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, "not a directory").unwrap();
        let err = stage(&blocker.join("out"), &[("a.json", "a")])
            .commit()
            .unwrap_err();
        assert_eq!(err.code, Code::Io);
        assert_eq!(names(dir.path()), ["file"]);
        let err = stage(&blocker, &[("a.json", "a")]).commit().unwrap_err();
        assert!(err.message.contains("not a directory"), "{err}");
    }

    #[test]
    fn only_files_an_earlier_manifest_lists_are_removed_and_leftovers_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = r#"{"stacks": [{"templates": ["A.template.json", "A.template.yaml"]},
                                   {"templates": ["B.template.json"]}]}"#;
        stage(
            &out,
            &[
                ("manifest.json", first),
                ("A.template.json", "a"),
                ("A.template.yaml", "a"),
                ("B.template.json", "b"),
            ],
        )
        .commit()
        .unwrap();
        // The user's files, a template synth never listed, and what killed synths left.
        fs::write(out.join("notes.txt"), "mine").unwrap();
        fs::write(out.join("C.template.json"), "mine too").unwrap();
        fs::create_dir_all(out.join("docs/deep")).unwrap();
        fs::write(out.join("docs/deep/x.md"), "x").unwrap();
        fs::write(out.join(".A.template.json.tmp123"), "half").unwrap();
        let aside = dir.path().join(".out.synth-new.999999");
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("A.template.json"), "half").unwrap();

        let second = r#"{"stacks": [{"templates": ["A.template.json"]}]}"#;
        let done = stage(
            &out,
            &[("manifest.json", second), ("A.template.json", "a2")],
        )
        .commit()
        .unwrap();
        assert_eq!(
            done.removed,
            vec![out.join("A.template.yaml"), out.join("B.template.json")]
        );
        assert_eq!(
            done.cleaned,
            vec![aside, out.join(".A.template.json.tmp123")]
        );
        assert_eq!(
            done.foreign,
            vec![
                out.join("C.template.json"),
                out.join("docs"),
                out.join("notes.txt")
            ]
        );
        assert_eq!(
            names(&out),
            [
                "A.template.json",
                "C.template.json",
                "docs",
                "manifest.json",
                "notes.txt"
            ]
        );
        assert_eq!(read(&out.join("docs/deep/x.md")), "x");
        assert_eq!(names(dir.path()), ["out"]);
    }

    #[test]
    fn the_fallback_switch_gives_the_same_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for body in ["1", "2"] {
            let mut staging = Staging::with_exchange(&out, false);
            staging.write("a.json".into(), body.as_bytes().to_vec());
            staging.commit().unwrap();
            assert_eq!(read(&out.join("a.json")), body);
            assert_eq!(names(dir.path()), ["out"]);
        }
        // Killed between its two renames, a synth leaves the old generation aside and no
        // directory: the next synth puts it back first.
        let old = dir.path().join(".out.synth-old.999999");
        fs::rename(&out, &old).unwrap();
        let done = stage(&out, &[("b.json", "b")]).commit().unwrap();
        assert_eq!(done.cleaned, vec![old]);
        assert_eq!(names(&out), ["a.json", "b.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_the_output_directory_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let done = stage(&link, &[("a.json", "a")]).commit().unwrap();
        assert_eq!(done.written, vec![link.join("a.json")]);
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(read(&real.join("a.json")), "a");
        assert_eq!(names(dir.path()), ["link", "real"]);
    }
}
