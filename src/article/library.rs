//! A folder of articles as a sorted list of entries, with the metadata
//! cached in the XDG cache directory so reopening a large library reads no
//! article bodies.
//!
//! The cache (`$XDG_CACHE_HOME/qari/library-<hash of the folder>.json`) maps
//! each file's path to its size, modification time and entry (or the reason
//! it could not be imported). A file whose size and mtime match is not read
//! again. The cache is written with [`store::write_atomic`]; one that does
//! not parse is moved aside with [`store::set_aside`], reported, and rebuilt.
//! Cache entries also carry the cleaning rules' fingerprint: new rules mean a
//! rebuild, since titles and dates may change.
//!
//! [`store::write_atomic`]: crate::store::write_atomic
//! [`store::set_aside`]: crate::store::set_aside

use super::{open_detailed, Format, ImportError, Rules};
use crate::store::{self, Dirs};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// One article in the library listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: PathBuf,
    pub title: String,
    /// ISO date, when known.
    pub date: Option<String>,
    pub section: Option<String>,
    /// Words in the title and paragraphs.
    pub words: usize,
}

/// Something the user should know about a library scan: a file skipped, a
/// cache set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::text::sanitize_line(&self.path.display().to_string()),
            crate::text::sanitize_line(&self.message)
        )
    }
}

/// What a scan did, for tests and the benchmark.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Article files found (supported extension, regular file).
    pub files: usize,
    /// Files whose bodies were read and imported this time.
    pub imported: usize,
    /// Files answered from the cache.
    pub cached: usize,
}

/// A folder of articles, sorted newest first, then by title.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub root: PathBuf,
    pub entries: Vec<Entry>,
    pub stats: ScanStats,
}

const CACHE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    rules: u64,
    root: String,
    files: Vec<CachedFile>,
}

#[derive(Clone, Serialize, Deserialize)]
struct CachedFile {
    path: String,
    size: u64,
    mtime_ns: u128,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<CachedEntry>,
    /// Why the file could not be imported (reported again on every scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct CachedEntry {
    title: String,
    date: Option<String>,
    section: Option<String>,
    words: usize,
}

/// 64-bit FNV-1a: a stable hash for cache file names and rule fingerprints
/// (std's hasher may change between Rust releases). Tiny, so hand-written.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

struct Candidate {
    path: PathBuf,
    size: u64,
    mtime_ns: u128,
}

fn mtime_ns(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn is_symlink_loop(e: &std::io::Error) -> bool {
    // ELOOP; std has no stable ErrorKind for it yet.
    #[cfg(target_os = "linux")]
    {
        e.raw_os_error() == Some(40)
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        e.raw_os_error() == Some(62)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

#[cfg(unix)]
fn dir_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_id(_meta: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Walk `root` without recursion, collecting article files and notes.
/// Hidden entries (names starting with `.`) are skipped silently, as are
/// the directories of version control they usually are.
fn walk(root: &Path, notes: &mut Vec<Note>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut visited: HashSet<(u64, u64)> = HashSet::new();
    let note = |notes: &mut Vec<Note>, path: &Path, message: String| {
        notes.push(Note {
            path: path.to_path_buf(),
            message,
        })
    };
    match fs::metadata(root) {
        Ok(m) if m.is_dir() => {
            if let Some(id) = dir_id(&m) {
                visited.insert(id);
            }
        }
        Ok(_) => {
            note(notes, root, "is not a folder".into());
            return out;
        }
        Err(e) => {
            note(notes, root, format!("cannot open the folder: {e}"));
            return out;
        }
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let reader = match fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                note(notes, &dir, format!("skipped folder: {e}"));
                continue;
            }
        };
        let mut children: Vec<fs::DirEntry> = Vec::new();
        for item in reader {
            match item {
                Ok(de) => children.push(de),
                Err(e) => note(notes, &dir, format!("error while listing the folder: {e}")),
            }
        }
        // Deterministic order regardless of the file system.
        children.sort_by_key(|de| de.file_name());
        let mut subdirs = Vec::new();
        for de in children {
            if de.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = de.path();
            let Ok(ft) = de.file_type() else {
                note(notes, &path, "skipped: cannot read the file type".into());
                continue;
            };
            // Follow symlinks, but only after seeing they are symlinks, so
            // a loop is reported rather than followed.
            let meta = if ft.is_symlink() {
                match fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) if is_symlink_loop(&e) => {
                        note(notes, &path, "skipped: symbolic link loop".into());
                        continue;
                    }
                    Err(e) => {
                        note(notes, &path, format!("skipped: broken symbolic link ({e})"));
                        continue;
                    }
                }
            } else {
                match de.metadata() {
                    Ok(m) => m,
                    Err(e) => {
                        note(notes, &path, format!("skipped: {e}"));
                        continue;
                    }
                }
            };
            if meta.is_dir() {
                if let Some(id) = dir_id(&meta) {
                    if !visited.insert(id) {
                        note(
                            notes,
                            &path,
                            "skipped: symbolic link loop (a folder already scanned)".into(),
                        );
                        continue;
                    }
                }
                // A folder is scanned even when its name looks like a file
                // (`news.txt/`): it may hold articles.
                subdirs.push(path);
                continue;
            }
            if !meta.is_file() {
                // FIFOs, sockets, devices: never opened (a FIFO would block).
                let kind = super::file_kind(&meta.file_type());
                note(
                    notes,
                    &path,
                    format!("skipped: a {kind}, not an article file"),
                );
                continue;
            }
            if Format::of(&path).is_none() {
                let what = match path.extension() {
                    Some(e) => format!(".{} files", e.to_string_lossy()),
                    None => "files without an extension".into(),
                };
                note(
                    notes,
                    &path,
                    format!(
                        "skipped: qari does not read {what} (only .txt, .md, .html, .htm, .json)"
                    ),
                );
                continue;
            }
            out.push(Candidate {
                size: meta.len(),
                mtime_ns: mtime_ns(&meta),
                path,
            });
        }
        stack.extend(subdirs.into_iter().rev());
    }
    out
}

impl Library {
    /// Scan `dir` with the active cleaning rules, using and refreshing the
    /// cache under `dirs.cache`.
    pub fn open(dir: &Path, dirs: &Dirs) -> (Library, Vec<Note>) {
        Library::open_with(dir, dirs, Rules::active())
    }

    /// Where the cache of `dir` lives.
    pub fn cache_path(dir: &Path, dirs: &Dirs) -> PathBuf {
        let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let hash = fnv1a(root.as_os_str().as_encoded_bytes());
        dirs.cache.join(format!("library-{hash:016x}.json"))
    }

    pub fn open_with(dir: &Path, dirs: &Dirs, rules: &Rules) -> (Library, Vec<Note>) {
        let mut notes = Vec::new();
        let candidates = walk(dir, &mut notes);
        let cache_path = Library::cache_path(dir, dirs);
        let root_key = dir.to_string_lossy().into_owned();
        let mut cached = load_cache(&cache_path, rules, &root_key, &mut notes);
        let mut dirty = cached.is_none();
        let mut old: HashMap<String, CachedFile> = cached
            .take()
            .map(|c| c.files.into_iter().map(|f| (f.path.clone(), f)).collect())
            .unwrap_or_default();

        let mut stats = ScanStats {
            files: candidates.len(),
            ..ScanStats::default()
        };
        let mut entries = Vec::with_capacity(candidates.len());
        let mut fresh: Vec<CachedFile> = Vec::with_capacity(candidates.len());
        for c in candidates {
            // Paths that are not UTF-8 are imported every time (the cache is
            // JSON, keyed by text).
            let key = c.path.to_str().map(str::to_owned);
            let hit = key
                .as_ref()
                .and_then(|k| old.remove(k))
                .filter(|f| f.size == c.size && f.mtime_ns == c.mtime_ns);
            let record = match hit {
                Some(f) => {
                    stats.cached += 1;
                    f
                }
                None => {
                    stats.imported += 1;
                    dirty = true;
                    let (entry, error) = match open_detailed(&c.path, rules) {
                        Ok(imp) => {
                            let a = imp.article;
                            let words = a.word_count();
                            (
                                Some(CachedEntry {
                                    title: a.title,
                                    date: a.date,
                                    section: a.section,
                                    words,
                                }),
                                None,
                            )
                        }
                        Err(e) => (None, Some(skip_message(&e))),
                    };
                    CachedFile {
                        path: key.clone().unwrap_or_default(),
                        size: c.size,
                        mtime_ns: c.mtime_ns,
                        entry,
                        error,
                    }
                }
            };
            if let Some(e) = &record.entry {
                entries.push(Entry {
                    path: c.path.clone(),
                    title: e.title.clone(),
                    date: e.date.clone(),
                    section: e.section.clone(),
                    words: e.words,
                });
            }
            if let Some(err) = &record.error {
                notes.push(Note {
                    path: c.path.clone(),
                    message: err.clone(),
                });
            }
            if key.is_some() {
                fresh.push(record);
            }
        }
        // Files gone since the last scan.
        if !old.is_empty() {
            dirty = true;
        }
        if dirty {
            let file = CacheFile {
                version: CACHE_VERSION,
                rules: rules.fingerprint,
                root: root_key,
                files: fresh,
            };
            let written = serde_json::to_vec(&file)
                .map_err(std::io::Error::other)
                .and_then(|bytes| store::write_atomic(&cache_path, &bytes));
            if let Err(e) = written {
                notes.push(Note {
                    path: cache_path.clone(),
                    message: format!("could not save the library cache: {e}"),
                });
            }
        }
        sort_entries(&mut entries);
        (
            Library {
                root: dir.to_path_buf(),
                entries,
                stats,
            },
            notes,
        )
    }
}

fn skip_message(e: &ImportError) -> String {
    format!("skipped: {}", e.reason())
}

/// Newest first (undated last), then by title (Arabic-folded, so أ/ا and
/// harakat do not scatter titles), then by path.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by_cached_key(|e| {
        (
            std::cmp::Reverse(e.date.clone()),
            crate::text::fold_arabic(&e.title).text,
            e.path.clone(),
        )
    });
}

fn load_cache(path: &Path, rules: &Rules, root: &str, notes: &mut Vec<Note>) -> Option<CacheFile> {
    let bytes = match crate::store::read_regular(path, crate::store::MAX_STATE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            notes.push(Note {
                path: path.to_path_buf(),
                message: format!("could not read the library cache ({e}); rebuilding it"),
            });
            return None;
        }
    };
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(c) if c.version == CACHE_VERSION && c.rules == rules.fingerprint && c.root == root => {
            Some(c)
        }
        // Another version or other rules: not corrupt, just stale.
        Ok(_) => None,
        Err(e) => {
            let message = match store::set_aside(path) {
                Ok(moved) => format!(
                    "the library cache was corrupt ({e}); moved it to {} and rebuilt it",
                    moved.display()
                ),
                Err(e2) => format!(
                    "the library cache was corrupt ({e}) and could not be moved aside ({e2}); rebuilt it"
                ),
            };
            notes.push(Note {
                path: path.to_path_buf(),
                message,
            });
            None
        }
    }
}
