//! Crash-safe files and the XDG locations qari uses.
//!
//! Every file qari writes (reading state, library cache) goes through
//! [`write_atomic`]: a reader sees either the old contents or the new ones,
//! never half of each, even if the machine loses power mid-write.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically: a temporary file in the same
/// directory, fsync, rename over the target, then fsync the directory so the
/// rename itself is durable.
///
/// The temporary file has a random name and is created with `O_EXCL`
/// (`tempfile`), so two writers in one process (the UI and the signal
/// thread) or in two never share it, and a file or symlink planted under a
/// predictable name is never followed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // On failure the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    // Directory fsync makes the rename durable; not all filesystems allow
    // opening a directory for this, and the data is safe either way.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// An advisory lock on a lock file beside shared state, held until dropped.
/// A separate file, because the state file itself is replaced by rename
/// and a lock on the old inode would not stop the next writer.
#[derive(Debug)]
pub struct Lock(File);

impl Lock {
    /// Wait for exclusive use (a save: read, merge, write).
    pub fn exclusive(path: &Path) -> io::Result<Lock> {
        let file = Self::open(path)?;
        file.lock()?;
        Ok(Lock(file))
    }

    /// Wait until no one is writing (a read).
    pub fn shared(path: &Path) -> io::Result<Lock> {
        let file = Self::open(path)?;
        file.lock_shared()?;
        Ok(Lock(file))
    }

    fn open(path: &Path) -> io::Result<File> {
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Enough of a file's identity to notice that someone replaced or changed
/// it: a rename gives a new inode, an edit a new length or time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
    inode: u64,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
            inode,
        })
    }

    /// The size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Modification time in nanoseconds since the epoch (0 when unknown),
    /// for caches that store it.
    pub fn modified_ns(&self) -> u64 {
        self.modified
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }
}

/// Largest settings file qari reads (config, theme, cleaning rules, user
/// entities): far above any real one, small enough to never hurt.
pub const MAX_SETTINGS_BYTES: u64 = 16 * 1024 * 1024;

/// Largest state or cache file qari reads (reading positions, the library
/// index of tens of thousands of articles).
pub const MAX_STATE_BYTES: u64 = 256 * 1024 * 1024;

/// Read a whole settings, state or cache file, refusing what is not a
/// regular file (opening a FIFO blocks until someone writes to it, and a
/// link to `/dev/zero` never ends) and anything over `limit` bytes, so a
/// stray special file in `~/.config/qari` cannot hang or exhaust qari.
/// A missing file is the usual `NotFound` error.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a directory",
        ));
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, socket or device)",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} MiB", limit >> 20),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Move a file that could not be parsed out of the way, keeping it for the
/// user to inspect: `state.toml` becomes `state.toml.corrupt-<unix seconds>`.
/// Returns the new path.
pub fn set_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".corrupt-{stamp}"));
    let mut target = PathBuf::from(name);
    let mut n = 1;
    while target.exists() {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".corrupt-{stamp}-{n}"));
        target = PathBuf::from(name);
        n += 1;
    }
    fs::rename(path, &target)?;
    Ok(target)
}

/// Where qari keeps its files. Follows the XDG base directories
/// (`$XDG_CONFIG_HOME/qari`, `$XDG_CACHE_HOME/qari`, `$XDG_STATE_HOME/qari`).
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config: PathBuf,
    pub cache: PathBuf,
    pub state: PathBuf,
}

impl Dirs {
    /// The user's directories, or `None` when no home directory is known.
    pub fn discover() -> Option<Dirs> {
        let p = directories::ProjectDirs::from("", "", "qari")?;
        let state = p
            .state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| p.data_local_dir().to_path_buf());
        Some(Dirs {
            config: p.config_dir().to_path_buf(),
            cache: p.cache_dir().to_path_buf(),
            state,
        })
    }

    /// All three under one root (tests, and `--no-persist`-style sandboxes).
    pub fn under(root: &Path) -> Dirs {
        Dirs {
            config: root.join("config"),
            cache: root.join("cache"),
            state: root.join("state"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn concurrent_atomic_writes_all_succeed_and_never_tear() {
        // The SIGHUP thread and the UI thread may save the same file at
        // once: each write needs its own temporary file.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let versions: Vec<Vec<u8>> = (0..16u8).map(|i| vec![b'a' + i; 64 * 1024]).collect();
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let reader = s.spawn(|| {
                let mut seen = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    if let Ok(bytes) = fs::read(&path) {
                        assert!(
                            versions.contains(&bytes),
                            "torn file of {} bytes",
                            bytes.len()
                        );
                        seen += 1;
                    }
                }
                seen
            });
            let writers: Vec<_> = versions
                .iter()
                .map(|v| {
                    let path = &path;
                    s.spawn(move || {
                        for _ in 0..20 {
                            write_atomic(path, v).unwrap();
                        }
                    })
                })
                .collect();
            for w in writers {
                w.join().unwrap();
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(reader.join().unwrap() > 0);
        });
        assert!(versions.contains(&fs::read(&path).unwrap()));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "temporary files left: {names:?}");
    }

    #[test]
    fn atomic_write_does_not_follow_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        let path = dir.path().join("state.json");
        // The old temporary name was predictable: plant links under it.
        let planted = dir
            .path()
            .join(format!(".state.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn an_exclusive_lock_waits_for_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = Lock::exclusive(&path).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        let t = std::thread::spawn(move || {
            let _l = Lock::exclusive(&p).unwrap();
            tx.send(()).unwrap();
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn set_aside_keeps_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, b"{broken").unwrap();
        let moved = set_aside(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read(&moved).unwrap(), b"{broken");
        assert!(moved.to_string_lossy().contains(".corrupt-"));
    }

    #[test]
    fn read_regular_refuses_special_files_and_oversize() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.toml");
        fs::write(&ok, "theme = \"dark\"\n").unwrap();
        assert_eq!(read_regular(&ok, 100).unwrap(), b"theme = \"dark\"\n");
        let err = read_regular(&ok, 4).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let missing = read_regular(&dir.path().join("none"), 100).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let err = read_regular(dir.path(), 100).unwrap_err();
        assert!(err.to_string().contains("directory"), "{err}");
        // Would block forever if opened: no writer.
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = read_regular(&fifo, 100).unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
        // Would never end.
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(read_regular(&zero, 100).is_err());
    }
}
