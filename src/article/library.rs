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

use super::{open_detailed, Format, OpenError, Rules};
use crate::store::{self, Dirs};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// One article in the library listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(serialize_with = "super::model::serialize_path_lossy")]
    pub path: PathBuf,
    pub title: String,
    /// ISO date, when known.
    pub date: Option<String>,
    pub section: Option<String>,
    /// Words in the title and paragraphs.
    pub words: usize,
    /// The title was cut from the lead (the page had no headline): the
    /// list shows it as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub title_derived: bool,
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
    /// Size and modification time (ns since the epoch) of each entry's
    /// file, as stat-ed by this scan: the search index is matched on them
    /// without a second stat per file.
    pub stamps: Vec<(u64, u64)>,
}

const CACHE_VERSION: u32 = 4;

#[derive(Serialize, Deserialize)]
struct CacheFile<'a> {
    version: u32,
    rules: u64,
    #[serde(borrow)]
    root: Cow<'a, str>,
    /// In the order the folder walk meets them, so an unchanged library is
    /// matched file by file without hashing.
    #[serde(borrow)]
    files: Vec<CachedFile<'a>>,
    /// The listing order: indexes into `files`, newest first. An unchanged
    /// library needs no sorting.
    order: Vec<u32>,
}

// Strings borrow from the cache file's bytes where they can (serde_json
// borrows when a string has no escapes): a warm scan allocates only what
// the listing keeps.
//
// Records are written as JSON arrays, not objects (serde's derived
// Deserialize reads a struct from either): a third smaller and faster to
// parse, which is most of a warm scan after the stats.
#[derive(Clone, Deserialize)]
struct CachedFile<'a> {
    #[serde(borrow)]
    path: Cow<'a, str>,
    size: u64,
    mtime_ns: u64,
    #[serde(borrow)]
    entry: Option<CachedEntry<'a>>,
    /// Why the file could not be imported (reported again on every scan).
    #[serde(borrow)]
    error: Option<Cow<'a, str>>,
}

impl Serialize for CachedFile<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut t = s.serialize_tuple(5)?;
        t.serialize_element(&self.path)?;
        t.serialize_element(&self.size)?;
        t.serialize_element(&self.mtime_ns)?;
        t.serialize_element(&self.entry)?;
        t.serialize_element(&self.error)?;
        t.end()
    }
}

impl Serialize for CachedEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut t = s.serialize_tuple(5)?;
        t.serialize_element(&self.title)?;
        t.serialize_element(&self.date)?;
        t.serialize_element(&self.section)?;
        t.serialize_element(&self.words)?;
        t.serialize_element(&self.title_derived)?;
        t.end()
    }
}

#[derive(Clone, Deserialize)]
struct CachedEntry<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    section: Option<Cow<'a, str>>,
    words: usize,
    title_derived: bool,
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
    mtime_ns: u64,
}

/// An article file found by [`scan`], with its size and modification time
/// (ns since the epoch) as stat-ed by the scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedFile {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: u64,
}

/// The article files under `dir` in walk order, with the notes of the walk
/// (files of other kinds, unreadable folders), reading no file and no
/// cache: for the search index, which keeps its own record of each file
/// and so needs neither the listing's titles nor its sorting.
pub fn scan(dir: &Path) -> (Vec<ScannedFile>, Vec<Note>) {
    let mut notes = Vec::new();
    let files = walk(dir, &mut notes)
        .into_iter()
        .map(|c| ScannedFile {
            path: c.path,
            size: c.size,
            mtime_ns: c.mtime_ns,
        })
        .collect();
    (files, notes)
}

/// Nanoseconds since the epoch (u64 lasts until 2554).
fn mtime_ns(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
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
    // Walk order, with a hole for each regular file until it is stat-ed.
    let mut out: Vec<Option<Candidate>> = Vec::new();
    let mut pending: Vec<(usize, PathBuf, fs::DirEntry)> = Vec::new();
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
            return Vec::new();
        }
        Err(e) => {
            note(notes, root, format!("cannot open the folder: {e}"));
            return Vec::new();
        }
    }
    let root_canon = fs::canonicalize(root).ok();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let reader = match fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                note(notes, &dir, format!("skipped folder: {e}"));
                continue;
            }
        };
        let mut subdirs = Vec::new();
        // Directory order as the file system gives it: the listing is
        // sorted later, and the cache copes with any order.
        for item in reader {
            let de = match item {
                Ok(de) => de,
                Err(e) => {
                    note(notes, &dir, format!("error while listing the folder: {e}"));
                    continue;
                }
            };
            let path = de.path();
            if path
                .file_name()
                .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
            {
                continue;
            }
            let Ok(ft) = de.file_type() else {
                note(notes, &path, "skipped: cannot read the file type".into());
                continue;
            };
            // A regular file (known from the directory entry itself, no
            // stat): only its extension matters now; size and mtime are
            // read below, in parallel.
            if ft.is_file() {
                if let Some(message) = unsupported_note(&path) {
                    note(notes, &path, message);
                } else {
                    out.push(None);
                    pending.push((out.len() - 1, path, de));
                }
                continue;
            }
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
            } else if ft.is_dir() {
                match de.metadata() {
                    Ok(m) => m,
                    Err(e) => {
                        note(notes, &path, format!("skipped: {e}"));
                        continue;
                    }
                }
            } else {
                // FIFOs, sockets, devices: never opened (a FIFO would block).
                let kind = super::file_kind(&ft);
                note(
                    notes,
                    &path,
                    format!("skipped: a {kind}, not an article file"),
                );
                continue;
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
                // A link to `/`, `..` or any folder holding the library
                // would scan everything around it (all of `/`, for ever).
                if ft.is_symlink()
                    && root_canon.as_ref().is_some_and(|r| {
                        fs::canonicalize(&path).is_ok_and(|target| r.starts_with(target))
                    })
                {
                    note(
                        notes,
                        &path,
                        "skipped: a link to a folder that contains this library".into(),
                    );
                    continue;
                }
                // A folder is scanned even when its name looks like a file
                // (`news.txt/`): it may hold articles.
                subdirs.push(path);
                continue;
            }
            if !meta.is_file() {
                let kind = super::file_kind(&meta.file_type());
                note(
                    notes,
                    &path,
                    format!("skipped: a {kind}, not an article file"),
                );
                continue;
            }
            if let Some(message) = unsupported_note(&path) {
                note(notes, &path, message);
                continue;
            }
            out.push(Some(Candidate {
                size: meta.len(),
                mtime_ns: mtime_ns(&meta),
                path,
            }));
        }
        stack.extend(subdirs.into_iter().rev());
    }
    for (i, result) in stat_all(pending) {
        match result {
            Ok(c) => out[i] = Some(c),
            Err((path, e)) => note(notes, &path, format!("skipped: {e}")),
        }
    }
    out.into_iter().flatten().collect()
}

fn unsupported_note(path: &Path) -> Option<String> {
    if Format::of(path).is_some() {
        return None;
    }
    let what = match path.extension() {
        Some(e) => format!(".{} files", e.to_string_lossy()),
        None => "files without an extension".into(),
    };
    Some(format!(
        "skipped: qari does not read {what} (only .txt, .md, .html, .htm, .json)"
    ))
}

type Stat = (usize, Result<Candidate, (PathBuf, std::io::Error)>);

/// Size and mtime of every pending file: one `stat` each, spread over the
/// cores (the stats are the whole cost of a warm scan). The paths are moved,
/// not copied: at 100,000 files each copy is megabytes.
fn stat_all(pending: Vec<(usize, PathBuf, fs::DirEntry)>) -> Vec<Stat> {
    // Through the directory entry: a stat relative to the open directory,
    // without resolving the whole path again.
    let stat = |(i, path, de): (usize, PathBuf, fs::DirEntry)| -> Stat {
        let c = match de.metadata() {
            Ok(m) => Ok(Candidate {
                size: m.len(),
                mtime_ns: mtime_ns(&m),
                path,
            }),
            Err(e) => Err((path, e)),
        };
        (i, c)
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if threads <= 1 || pending.len() < 256 {
        return pending.into_iter().map(stat).collect();
    }
    let chunk = pending.len().div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    let mut rest = pending;
    while rest.len() > chunk {
        let tail = rest.split_off(rest.len() - chunk);
        parts.push(tail);
    }
    parts.push(rest);
    parts.reverse();
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || part.into_iter().map(stat).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

impl Library {
    /// Where the cache of `dir` lives.
    pub fn cache_path(dir: &Path, dirs: &Dirs) -> PathBuf {
        let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let hash = fnv1a(root.as_os_str().as_encoded_bytes());
        dirs.cache.join(format!("library-{hash:016x}.json"))
    }

    /// Scan `dir` with the cleaning `rules`, using and refreshing the cache
    /// under `dirs.cache` (built under other rules, it is not trusted).
    pub fn open(dir: &Path, dirs: &Dirs, rules: &Rules) -> (Library, Vec<Note>) {
        let cache_path = Library::cache_path(dir, dirs);
        let root_key = dir.to_string_lossy().into_owned();
        // Walking the folder (one stat per file) and parsing the cache are
        // independent; doing them at once hides one behind the other.
        let mut cache_notes = Vec::new();
        let cache_bytes = read_cache(&cache_path, &mut cache_notes);
        let (candidates, mut notes, cached) = std::thread::scope(|s| {
            let loader = s.spawn(|| {
                cache_bytes
                    .as_deref()
                    .map(|b| parse_cache(b, &cache_path, rules, &root_key))
            });
            let mut notes = Vec::new();
            let candidates = walk(dir, &mut notes);
            let loaded = loader
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (candidates, notes, loaded)
        });
        let cached = match cached.flatten() {
            Some(Ok(c)) => Some(c),
            Some(Err(note)) => {
                cache_notes.push(note);
                None
            }
            None => None,
        };
        notes.extend(cache_notes);
        let had_cache = cached.is_some();
        let (old_files, old_order) = match cached {
            Some(c) => (c.files, c.order),
            None => (Vec::new(), Vec::new()),
        };
        let mut old: Vec<Option<CachedFile>> = old_files.into_iter().map(Some).collect();
        // Built only when the folder changed shape since the last scan.
        let mut old_index: Option<HashMap<String, usize>> = None;

        // Match each file to its cache record: in step with the old walk
        // order while the two agree, by a hash lookup once they do not.
        // `keyed`: whether each file has a cache key (a UTF-8 relative path).
        let mut keyed: Vec<bool> = Vec::with_capacity(candidates.len());
        let mut records: Vec<Option<CachedFile>> = Vec::with_capacity(candidates.len());
        let mut misses: Vec<usize> = Vec::new();
        let mut in_step = true;
        for (i, c) in candidates.iter().enumerate() {
            // Cache keys are paths relative to the folder; paths that are
            // not UTF-8 are imported every time (the cache is JSON).
            let key = c.path.strip_prefix(dir).ok().and_then(Path::to_str);
            let mut slot = None;
            if let Some(k) = key {
                if in_step
                    && old
                        .get(i)
                        .is_some_and(|o| o.as_ref().is_some_and(|f| f.path == k))
                {
                    slot = Some(i);
                } else {
                    in_step = false;
                    let index = old_index.get_or_insert_with(|| {
                        old.iter()
                            .enumerate()
                            .filter_map(|(j, f)| f.as_ref().map(|f| (f.path.to_string(), j)))
                            .collect()
                    });
                    slot = index.get(k).copied();
                }
            }
            let hit = slot
                .and_then(|j| old[j].take())
                .filter(|f| f.size == c.size && f.mtime_ns == c.mtime_ns);
            if hit.is_none() {
                misses.push(i);
            }
            keyed.push(key.is_some());
            records.push(hit);
        }
        let stats = ScanStats {
            files: candidates.len(),
            imported: misses.len(),
            cached: candidates.len() - misses.len(),
        };
        let unchanged = had_cache
            && in_step
            && misses.is_empty()
            && old.len() == candidates.len()
            && old_order.len() <= candidates.len();
        let imported = import_all(&candidates, &misses, rules);
        for (i, mut record) in misses.into_iter().zip(imported) {
            let key = candidates[i]
                .path
                .strip_prefix(dir)
                .ok()
                .and_then(Path::to_str);
            record.path = Cow::Owned(key.unwrap_or_default().to_owned());
            records[i] = Some(record);
        }
        let sizes: Vec<(u64, u64)> = candidates.iter().map(|c| (c.size, c.mtime_ns)).collect();
        let paths: Vec<PathBuf> = candidates.into_iter().map(|c| c.path).collect();
        for (path, record) in paths.iter().zip(&records) {
            if let Some(err) = record.as_ref().and_then(|r| r.error.as_ref()) {
                notes.push(Note {
                    path: path.clone(),
                    message: err.to_string(),
                });
            }
        }

        // The stored order is used only if it is a permutation of exactly
        // the imported entries (a hand-edited cache must not drop or repeat
        // an article).
        let valid_order = unchanged && {
            let mut seen = vec![false; records.len()];
            old_order.iter().all(|&i| {
                let i = i as usize;
                let fresh = seen.get(i).is_some_and(|s| !s);
                if fresh {
                    seen[i] = true;
                }
                fresh && records[i].as_ref().is_some_and(|r| r.entry.is_some())
            }) && old_order.len()
                == records
                    .iter()
                    .flatten()
                    .filter(|r| r.entry.is_some())
                    .count()
        };
        let order: Vec<u32> = if valid_order {
            old_order
        } else {
            // Newest first (undated last), then title (Arabic-folded, so
            // أ/ا and harakat do not scatter titles), then path.
            let mut order: Vec<u32> = (0..records.len() as u32)
                .filter(|&i| {
                    records[i as usize]
                        .as_ref()
                        .is_some_and(|r| r.entry.is_some())
                })
                .collect();
            order.sort_by_cached_key(|&i| {
                let e = records[i as usize].as_ref().and_then(|r| r.entry.as_ref());
                (
                    std::cmp::Reverse(e.and_then(|e| e.date.clone())),
                    e.map(|e| crate::text::fold_arabic(&e.title).text),
                    paths[i as usize].clone(),
                )
            });
            order
        };
        let (entries, stamps): (Vec<Entry>, Vec<(u64, u64)>) = if unchanged && valid_order {
            // Nothing to write back: move the strings out instead of
            // copying them.
            let mut records = records;
            let mut paths: Vec<Option<PathBuf>> = paths.into_iter().map(Some).collect();
            let entries = order
                .iter()
                .filter_map(|&i| {
                    let e = records[i as usize].take()?.entry?;
                    let entry = Entry {
                        path: paths[i as usize].take()?,
                        title: e.title.into_owned(),
                        date: e.date.map(Cow::into_owned),
                        section: e.section.map(Cow::into_owned),
                        words: e.words,
                        title_derived: e.title_derived,
                    };
                    Some((entry, sizes[i as usize]))
                })
                .unzip();
            return (
                Library {
                    root: dir.to_path_buf(),
                    entries: entries.0,
                    stats,
                    stamps: entries.1,
                },
                notes,
            );
        } else {
            order
                .iter()
                .filter_map(|&i| {
                    let e = records[i as usize].as_ref()?.entry.as_ref()?;
                    let entry = Entry {
                        path: paths[i as usize].clone(),
                        title: e.title.to_string(),
                        date: e.date.as_deref().map(str::to_owned),
                        section: e.section.as_deref().map(str::to_owned),
                        words: e.words,
                        title_derived: e.title_derived,
                    };
                    Some((entry, sizes[i as usize]))
                })
                .unzip()
        };
        {
            // Only records with a text key are cached; `order` is rebuilt
            // over that subset.
            let mut new_index = vec![u32::MAX; records.len()];
            let mut files = Vec::with_capacity(records.len());
            for (i, (keyed, record)) in keyed.iter().zip(records).enumerate() {
                if let (true, Some(r)) = (*keyed, record) {
                    new_index[i] = files.len() as u32;
                    files.push(r);
                }
            }
            let order = order
                .iter()
                .map(|&i| new_index[i as usize])
                .filter(|&i| i != u32::MAX)
                .collect();
            let file = CacheFile {
                version: CACHE_VERSION,
                rules: rules.fingerprint,
                root: Cow::Borrowed(&root_key),
                files,
                order,
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
        (
            Library {
                root: dir.to_path_buf(),
                entries,
                stats,
                stamps,
            },
            notes,
        )
    }
}

/// Import the files at `which` (indexes into `candidates`), on as many
/// threads as the machine has cores (at most 8): a cold scan of a large
/// library is bound by parsing, not by the disk.
fn import_all(
    candidates: &[Candidate],
    which: &[usize],
    rules: &Rules,
) -> Vec<CachedFile<'static>> {
    let import_one = |c: &Candidate| {
        let (entry, error) = match open_detailed(&c.path, rules) {
            Ok(imp) => {
                let a = imp.article;
                let words = a.word_count();
                (
                    Some(CachedEntry {
                        title_derived: a.title_derived,
                        title: Cow::Owned(a.title),
                        date: a.date.map(Cow::Owned),
                        section: a.section.map(Cow::Owned),
                        words,
                    }),
                    None,
                )
            }
            Err(e) => (None, Some(Cow::Owned(skip_message(&e)))),
        };
        CachedFile {
            // Set by the caller (the key is relative to the folder).
            path: Cow::Borrowed(""),
            size: c.size,
            mtime_ns: c.mtime_ns,
            entry,
            error,
        }
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if threads <= 1 || which.len() < 64 {
        return which.iter().map(|&i| import_one(&candidates[i])).collect();
    }
    let chunk = which.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = which
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|&i| import_one(&candidates[i]))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // Importers do not panic on user data; if one ever does,
                // surface it rather than lose entries silently.
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    })
}

fn skip_message(e: &OpenError) -> String {
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

fn read_cache(path: &Path, notes: &mut Vec<Note>) -> Option<Vec<u8>> {
    match crate::store::read_regular(path, crate::store::MAX_STATE_BYTES) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            notes.push(Note {
                path: path.to_path_buf(),
                message: format!("could not read the library cache ({e}); rebuilding it"),
            });
            None
        }
    }
}

/// The cache if it is current; `None` when stale (another version, other
/// rules, another folder); a note when corrupt, after setting it aside.
fn parse_cache<'a>(
    bytes: &'a [u8],
    path: &Path,
    rules: &Rules,
    root: &str,
) -> Option<Result<CacheFile<'a>, Note>> {
    match serde_json::from_slice::<CacheFile>(bytes) {
        Ok(c) if c.version == CACHE_VERSION && c.rules == rules.fingerprint && c.root == root => {
            Some(Ok(c))
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
            Some(Err(Note {
                path: path.to_path_buf(),
                message,
            }))
        }
    }
}
