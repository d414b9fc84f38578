//! What the reader remembers between runs: per article, the paragraph the
//! reader was on, whether it was read, and its bookmarks.
//!
//! One JSON file in the XDG state directory, shared by every qari running
//! for the user (two tmux windows, two SSH sessions). A save is never a blind
//! overwrite: under an advisory lock on `reading.json.lock` it reads what is
//! on disk now, applies only what this instance changed since it last read
//! the file (a three-way merge against that last read), and writes the
//! result with [`crate::store::write_atomic`]. So:
//! - bookmarks are a set per article: one added here survives another
//!   instance's save, and one stays removed only when this instance removed
//!   it;
//! - the read mark, like the title, is taken from whichever instance changed
//!   it;
//! - the reading position is the one set last (each carries the time it was
//!   set);
//! - an article this instance never touched is written as it was found.
//!
//! [`StateFile::refresh`] picks up what other instances saved while this one
//! runs. A file that cannot be parsed is moved aside (never silently
//! dropped) with a warning.

use crate::store::{set_aside, write_atomic, FileStamp, Lock};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub paragraph: usize,
    /// The start of the paragraph, so the bookmark list can show it
    /// without opening the article.
    pub snippet: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleState {
    #[serde(default)]
    pub position: usize,
    /// When `position` was set (milliseconds since the Unix epoch; 0 in
    /// files written before positions were merged): the later one wins.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub position_at: u64,
    #[serde(default)]
    pub read: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookmarks: Vec<Bookmark>,
    /// The article title, to list bookmarks across articles.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// `position` and bookmarks count reading units (long paragraphs are
    /// cut into units at import). Absent in states written before units,
    /// whose indices count whole paragraphs: see
    /// [`ArticleState::count_units`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub units: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The version of the file format this build writes. Version 1 (no
/// `version` field, no `position_at`) reads as is: every field it has keeps
/// its meaning, so migrating is writing it back with the new fields.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingState {
    #[serde(default = "version_one")]
    pub version: u32,
    #[serde(default)]
    pub articles: BTreeMap<ArticleKey, ArticleState>,
}

fn version_one() -> u32 {
    1
}

impl ArticleState {
    /// Set the reading position, stamped with the present time.
    pub fn set_position(&mut self, position: usize) {
        self.position = position;
        self.position_at = now_ms().max(self.position_at + 1);
    }

    /// Move indices saved when they counted whole paragraphs onto reading
    /// units: `sources[j]` is the paragraph unit `j` was cut from (see
    /// `article::units::sources`). An index goes to the first unit of its
    /// paragraph. Done once; afterwards `units` is set.
    pub fn count_units(&mut self, sources: &[usize]) {
        if self.units {
            return;
        }
        self.units = true;
        let unit = |i: usize| {
            sources
                .iter()
                .position(|&s| s >= i)
                .unwrap_or(sources.len().saturating_sub(1))
        };
        let position = unit(self.position);
        if position != self.position {
            self.set_position(position);
        }
        for b in &mut self.bookmarks {
            b.paragraph = unit(b.paragraph);
        }
        self.bookmarks.dedup_by_key(|b| b.paragraph);
    }

    /// Add a bookmark on `paragraph`, or remove the one there. Returns
    /// whether there is one now.
    pub fn toggle_bookmark(&mut self, paragraph: usize, snippet: String) -> bool {
        if let Some(i) = self.bookmarks.iter().position(|b| b.paragraph == paragraph) {
            self.bookmarks.remove(i);
            false
        } else {
            self.bookmarks.push(Bookmark { paragraph, snippet });
            self.bookmarks.sort_by_key(|b| b.paragraph);
            true
        }
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Apply what changed from `base` to `mine` onto `disk`: the three-way merge
/// of one article's state (see the module comment for the rules).
pub fn merge_article(
    base: Option<&ArticleState>,
    mine: &ArticleState,
    disk: Option<&ArticleState>,
) -> ArticleState {
    let empty = ArticleState::default();
    let base = base.unwrap_or(&empty);
    let mut out = disk.cloned().unwrap_or_default();
    if (mine.position, mine.position_at) != (base.position, base.position_at)
        && mine.position_at >= out.position_at
    {
        out.position = mine.position;
        out.position_at = mine.position_at;
    }
    if mine.read != base.read {
        out.read = mine.read;
    }
    if mine.title != base.title {
        out.title = mine.title.clone();
    }
    out.units |= mine.units;
    let paragraphs = |v: &[Bookmark]| v.iter().map(|b| b.paragraph).collect::<BTreeSet<_>>();
    let (had, have) = (paragraphs(&base.bookmarks), paragraphs(&mine.bookmarks));
    // Removed here: gone, whatever the file says.
    out.bookmarks
        .retain(|b| !had.contains(&b.paragraph) || have.contains(&b.paragraph));
    for b in &mine.bookmarks {
        if !had.contains(&b.paragraph) && !out.bookmarks.iter().any(|o| o.paragraph == b.paragraph)
        {
            out.bookmarks.push(b.clone());
        }
    }
    out.bookmarks.sort_by_key(|b| b.paragraph);
    out
}

/// The state file and what is in it.
#[derive(Debug, Clone)]
pub struct StateFile {
    path: Option<PathBuf>,
    /// What this instance sees: the file as last read, with this
    /// instance's changes on top.
    data: ReadingState,
    /// The file as last read or written: what the changes are measured
    /// against when merging.
    base: ReadingState,
    /// The file's identity when it was last read, to notice other writers.
    stamp: Option<FileStamp>,
    /// Articles changed here since the last save.
    touched: BTreeSet<ArticleKey>,
    /// Why the last save failed, while it keeps failing.
    failure: Option<String>,
    /// Problems to show the user once (a corrupt file set aside).
    warnings: Vec<String>,
    /// Counts changes to `data`, so a copy is taken only when it changed.
    generation: u64,
    /// Each article of `data` as last encoded (`"key":{…}`), dropped when
    /// the article changes: a save re-encodes only what changed. Encoding
    /// all 10,000 articles of a large file took 3.7 ms of the 5 ms a save
    /// may cost.
    encoded: BTreeMap<ArticleKey, Box<[u8]>>,
    /// The last encoding of the whole file, its memory reused by the next
    /// (a fresh 2 MB buffer costs a page fault per 4 KB).
    buffer: Vec<u8>,
}

/// The key for an article: its absolute path, so the same file opened
/// through different relative paths shares one state.
pub fn article_key(path: &Path) -> ArticleKey {
    ArticleKey(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Which article a state belongs to: its path, kept whole. In the file it
/// is the path as a string; a path that is not UTF-8 (possible on Unix) is
/// written as [`NON_UTF8`] and its bytes in base64 instead of being made
/// lossy, so it still finds its state. Keys written by older versions are
/// plain strings and read as paths.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleKey(PathBuf);

/// What starts a key holding a non-UTF-8 path's bytes: no path holds NUL.
pub const NON_UTF8: &str = "\0bytes:";

impl ArticleKey {
    /// The key for `path` as given (see [`article_key`] for a file's key).
    pub fn new(path: impl Into<PathBuf>) -> ArticleKey {
        ArticleKey(path.into())
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl From<&str> for ArticleKey {
    fn from(path: &str) -> ArticleKey {
        ArticleKey::new(path)
    }
}

impl Serialize for ArticleKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.to_str() {
            Some(text) => s.serialize_str(text),
            None => {
                use base64::Engine;
                let bytes = self.0.as_os_str().as_encoded_bytes();
                let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                s.serialize_str(&format!("{NON_UTF8}{b64}"))
            }
        }
    }
}

impl<'de> Deserialize<'de> for ArticleKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ArticleKey, D::Error> {
        let text = String::deserialize(d)?;
        let Some(b64) = text.strip_prefix(NON_UTF8) else {
            return Ok(ArticleKey(PathBuf::from(text)));
        };
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(serde::de::Error::custom)?;
        #[cfg(unix)]
        let path =
            PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes));
        #[cfg(not(unix))]
        let path = PathBuf::from(String::from_utf8_lossy(&bytes).into_owned());
        Ok(ArticleKey(path))
    }
}

/// What reading the file gave.
enum Disk {
    Missing,
    Parsed(ReadingState, Option<FileStamp>),
    /// Corrupt and moved aside (the message says where).
    SetAside(String),
}

impl StateFile {
    /// State kept only in memory (no state directory known).
    pub fn in_memory() -> StateFile {
        StateFile {
            path: None,
            data: ReadingState::default(),
            base: ReadingState::default(),
            stamp: None,
            touched: BTreeSet::new(),
            failure: None,
            warnings: Vec::new(),
            generation: 0,
            encoded: BTreeMap::new(),
            buffer: Vec::new(),
        }
    }

    /// Load `dir/reading.json`. Returns a warning when the file was corrupt
    /// and had to be moved aside, or could not be read.
    pub fn load(dir: &Path) -> (StateFile, Option<String>) {
        let path = dir.join("reading.json");
        let mut file = StateFile::in_memory();
        file.path = Some(path.clone());
        let read = {
            // Shared with other savers so a file is never read half moved
            // aside; a lock that cannot be had (read-only directory) is no
            // reason not to read.
            let _lock = Lock::shared(&lock_path(&path)).ok();
            read_disk(&path)
        };
        match read {
            Ok(Disk::Missing) => (file, None),
            Ok(Disk::Parsed(data, stamp)) => {
                file.data = data.clone();
                file.base = data;
                file.stamp = stamp;
                (file, None)
            }
            Ok(Disk::SetAside(warning)) => (file, Some(warning)),
            Err(warning) => {
                // Unreadable or corrupt and stuck: keep it, work in memory.
                file.path = None;
                (file, Some(warning))
            }
        }
    }

    /// Every article with a state, by key.
    pub fn articles(&self) -> impl Iterator<Item = (&ArticleKey, &ArticleState)> {
        self.data.articles.iter()
    }

    pub fn article(&self, key: &ArticleKey) -> Option<&ArticleState> {
        self.data.articles.get(key)
    }

    /// An article's state, to change it; the change is saved by the next
    /// [`StateFile::save`].
    pub fn article_mut(&mut self, key: &ArticleKey) -> &mut ArticleState {
        self.generation += 1;
        if !self.touched.contains(key) {
            self.touched.insert(key.clone());
        }
        self.encoded.remove(key);
        self.data.articles.entry(key.clone()).or_default()
    }

    /// Where the state is saved (`None` when kept in memory only).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        !self.touched.is_empty()
    }

    /// How many articles have changes not yet saved.
    pub fn unsaved_articles(&self) -> usize {
        self.touched.len()
    }

    /// Changes with every change to what this instance holds.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Why saving fails, while it does.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Warnings met while saving or refreshing, each given once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Take in what other instances saved since this one last read the
    /// file, keeping this instance's unsaved changes on top. Cheap when
    /// nothing changed (one `stat`). Returns whether anything new came in.
    pub fn refresh(&mut self) -> bool {
        let Some(path) = self.path.clone() else {
            return false;
        };
        let now = FileStamp::of(&path);
        if now.is_none() || now == self.stamp {
            return false;
        }
        let read = {
            let _lock = Lock::shared(&lock_path(&path)).ok();
            read_disk(&path)
        };
        match read {
            Ok(Disk::Parsed(disk, stamp)) => {
                self.take_in(disk);
                self.stamp = stamp;
                true
            }
            Ok(Disk::Missing) => false,
            Ok(Disk::SetAside(w)) | Err(w) => {
                self.warnings.push(w);
                self.stamp = None;
                false
            }
        }
    }

    /// `disk` becomes the new base, with this instance's unsaved changes
    /// merged onto it.
    fn take_in(&mut self, disk: ReadingState) {
        self.generation += 1;
        let mut data = disk.clone();
        for key in &self.touched {
            if let Some(mine) = self.data.articles.get(key) {
                let merged =
                    merge_article(self.base.articles.get(key), mine, disk.articles.get(key));
                data.articles.insert(key.clone(), merged);
            }
        }
        let old = &self.data.articles;
        self.encoded.retain(|key, _| {
            data.articles
                .get(key)
                .is_some_and(|new| old.get(key) == Some(new))
        });
        self.base = disk;
        self.data = data;
    }

    /// The file's bytes into `buffer`: what `serde_json::to_vec(&self.data)` gives, built
    /// from the kept encodings of unchanged articles.
    fn encode(&mut self) -> std::io::Result<()> {
        self.data.version = FORMAT_VERSION;
        let out = &mut self.buffer;
        out.clear();
        out.extend_from_slice(
            format!("{{\"version\":{},\"articles\":{{", self.data.version).as_bytes(),
        );
        // Both maps are sorted by key and `encoded` holds no key `data`
        // lacks, so one pass over both finds every kept encoding.
        let mut kept = self.encoded.iter().peekable();
        let mut fresh = Vec::new();
        for (i, (key, article)) in self.data.articles.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            while kept.next_if(|(k, _)| *k < key).is_some() {}
            if let Some((_, bytes)) = kept.next_if(|(k, _)| *k == key) {
                out.extend_from_slice(bytes);
                continue;
            }
            let start = out.len();
            serde_json::to_writer(&mut *out, key).map_err(std::io::Error::other)?;
            out.push(b':');
            serde_json::to_writer(&mut *out, article).map_err(std::io::Error::other)?;
            fresh.push((key.clone(), out[start..].into()));
        }
        out.extend_from_slice(b"}}");
        self.encoded.extend(fresh);
        Ok(())
    }

    /// Merge this instance's changes into the file, if there are any. On
    /// failure everything stays in memory and the next save tries again.
    pub fn save(&mut self) -> std::io::Result<()> {
        if self.touched.is_empty() {
            return Ok(());
        }
        let Some(path) = self.path.clone() else {
            self.touched.clear();
            return Ok(());
        };
        match self.merge_and_write(&path) {
            Ok(()) => {
                self.touched.clear();
                self.failure = None;
                Ok(())
            }
            Err(e) => {
                self.failure = Some(e.to_string());
                Err(e)
            }
        }
    }

    fn merge_and_write(&mut self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let _lock = Lock::exclusive(&lock_path(path))?;
        // Unchanged since this instance last read or wrote it (the usual
        // case: one reader): `data` already is the merge, no need to parse.
        let unchanged = self.stamp.is_some() && FileStamp::of(path) == self.stamp;
        if !unchanged {
            let disk = match read_disk(path) {
                Ok(Disk::Parsed(disk, _)) => disk,
                Ok(Disk::Missing) => ReadingState::default(),
                // Whatever was there is kept aside; what this instance last
                // read stands in for it so no other article is lost.
                Ok(Disk::SetAside(w)) => {
                    self.warnings.push(w);
                    self.base.clone()
                }
                Err(w) => return Err(std::io::Error::other(w)),
            };
            self.take_in(disk);
        }
        self.encode()?;
        write_atomic(path, &self.buffer)?;
        // `base` differs from `data` only in the touched articles.
        self.base.version = self.data.version;
        for key in &self.touched {
            if let Some(article) = self.data.articles.get(key) {
                self.base.articles.insert(key.clone(), article.clone());
            }
        }
        self.stamp = FileStamp::of(path);
        Ok(())
    }
}

/// This instance's unsaved changes alone, cheap to copy on every key: what
/// the signal handler saves when the process is told to end. Copying the
/// whole [`StateFile`] there would cost milliseconds per key on a large
/// file.
#[derive(Clone, Debug, Default)]
pub struct Pending {
    path: Option<PathBuf>,
    /// Each touched article: as last read, and as it is here.
    changes: Vec<(ArticleKey, Option<ArticleState>, ArticleState)>,
}

impl StateFile {
    pub fn pending(&self) -> Pending {
        Pending {
            path: self.path.clone(),
            changes: self
                .touched
                .iter()
                .filter_map(|key| {
                    let mine = self.data.articles.get(key)?;
                    Some((
                        key.clone(),
                        self.base.articles.get(key).cloned(),
                        mine.clone(),
                    ))
                })
                .collect(),
        }
    }
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many articles the changes concern.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Merge the changes into the file as it is now, like
    /// [`StateFile::save`]. A corrupt file is set aside (the returned
    /// warning says where) and the changes alone are written.
    pub fn save(&self) -> std::io::Result<Option<String>> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        if self.changes.is_empty() {
            return Ok(None);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let _lock = Lock::exclusive(&lock_path(path))?;
        let (mut disk, warning) = match read_disk(path) {
            Ok(Disk::Parsed(disk, _)) => (disk, None),
            Ok(Disk::Missing) => (ReadingState::default(), None),
            Ok(Disk::SetAside(w)) => (ReadingState::default(), Some(w)),
            Err(w) => return Err(std::io::Error::other(w)),
        };
        for (key, base, mine) in &self.changes {
            let merged = merge_article(base.as_ref(), mine, disk.articles.get(key));
            disk.articles.insert(key.clone(), merged);
        }
        disk.version = FORMAT_VERSION;
        let json = serde_json::to_vec(&disk).map_err(std::io::Error::other)?;
        write_atomic(path, &json)?;
        Ok(warning)
    }
}

/// What to tell the user when a save failed.
pub fn not_saved(e: &std::io::Error, articles: usize) -> String {
    format!("could not save the reading state: {e}; changes to {articles} article(s) are not saved")
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Read and parse the file. A corrupt file is moved aside
/// ([`Disk::SetAside`]); `Err` is a file that cannot be read, or is corrupt
/// and cannot be moved.
fn read_disk(path: &Path) -> Result<Disk, String> {
    let stamp = FileStamp::of(path);
    let bytes = match crate::store::read_regular(path, crate::store::MAX_STATE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Disk::Missing),
        Err(e) => {
            return Err(format!(
                "cannot read {}: {e}; reading positions will not be saved",
                path.display()
            ))
        }
    };
    match serde_json::from_slice::<ReadingState>(&bytes) {
        Ok(data) => Ok(Disk::Parsed(data, stamp)),
        Err(e) => match set_aside(path) {
            Ok(moved) => Ok(Disk::SetAside(format!(
                "reading state {} was corrupt ({e}); moved to {} and starting afresh",
                path.display(),
                moved.display()
            ))),
            Err(move_err) => Err(format!(
                "reading state {} is corrupt ({e}) and could not be moved aside ({move_err}); not saving this session",
                path.display()
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bookmark(p: usize) -> Bookmark {
        Bookmark {
            paragraph: p,
            snippet: format!("فقرة {p}"),
        }
    }

    fn k(path: &str) -> ArticleKey {
        ArticleKey::new(path)
    }

    fn marks(f: &StateFile, key: &str) -> Vec<usize> {
        f.article(&k(key))
            .map(|a| a.bookmarks.iter().map(|b| b.paragraph).collect())
            .unwrap_or_default()
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        let a = f.article_mut(&k("/a.txt"));
        a.set_position(4);
        a.read = true;
        a.bookmarks.push(Bookmark {
            paragraph: 2,
            snippet: "قال الوزير".into(),
        });
        f.save().unwrap();
        assert!(!f.is_dirty());
        let (g, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        assert_eq!(g.data, f.data);
        assert_eq!(g.data.version, FORMAT_VERSION);
    }

    /// A save reuses the encoding of unchanged articles; what it writes must
    /// still be exactly the whole state, also after another instance
    /// changed an article this one had encoded before.
    #[test]
    fn kept_encodings_never_write_a_stale_article() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reading.json");
        let (mut one, _) = StateFile::load(dir.path());
        for key in ["A", "B", "C \"quoted\" \u{627}"] {
            one.article_mut(&k(key)).set_position(1);
        }
        one.save().unwrap();
        let (mut two, _) = StateFile::load(dir.path());
        two.article_mut(&k("B")).toggle_bookmark(7, "ب".into());
        two.article_mut(&k("B")).title = "عنوان".into();
        two.article_mut(&k("D")).read = true;
        two.save().unwrap();
        one.article_mut(&k("A")).set_position(9);
        one.save().unwrap();
        let on_disk: ReadingState = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(on_disk, one.data);
        assert_eq!(marks(&one, "B"), [7]);
        assert_eq!(one.article(&k("B")).unwrap().title, "عنوان");
        assert!(one.article(&k("D")).unwrap().read);
        assert_eq!(one.article(&k("A")).unwrap().position, 9);
        // Byte for byte what serde writes for the whole state.
        assert_eq!(
            std::fs::read(&file).unwrap(),
            serde_json::to_vec(&one.data).unwrap()
        );
        // A change here after that, to the article the other one changed.
        one.article_mut(&k("B")).toggle_bookmark(8, "ج".into());
        one.save().unwrap();
        assert_eq!(
            std::fs::read(&file).unwrap(),
            serde_json::to_vec(&one.data).unwrap()
        );
        assert_eq!(marks(&StateFile::load(dir.path()).0, "B"), [7, 8]);
    }

    /// What the signal handler saves: only this instance's changes,
    /// merged into what another instance wrote meanwhile.
    #[test]
    fn pending_changes_merge_like_a_save() {
        let top = tempfile::tempdir().unwrap();
        let (mut first, _) = StateFile::load(&top.path().join("not/yet"));
        first.article_mut(&k("A")).set_position(2);
        first.pending().save().unwrap();
        assert_eq!(
            StateFile::load(&top.path().join("not/yet"))
                .0
                .article(&k("A"))
                .unwrap()
                .position,
            2
        );
        let dir = tempfile::tempdir().unwrap();
        let (mut seed, _) = StateFile::load(dir.path());
        seed.article_mut(&k("A")).bookmarks = vec![bookmark(1), bookmark(2)];
        seed.article_mut(&k("C")).read = true;
        seed.save().unwrap();
        let (mut one, _) = StateFile::load(dir.path());
        assert!(one.pending().is_empty());
        one.article_mut(&k("A")).toggle_bookmark(1, String::new());
        one.article_mut(&k("B")).toggle_bookmark(4, "ب".into());
        let pending = one.pending();
        let (mut two, _) = StateFile::load(dir.path());
        two.article_mut(&k("A")).toggle_bookmark(9, "ط".into());
        two.save().unwrap();
        assert_eq!(pending.save().unwrap(), None);
        let (three, _) = StateFile::load(dir.path());
        assert_eq!(marks(&three, "A"), [2, 9]);
        assert_eq!(marks(&three, "B"), [4]);
        assert!(three.article(&k("C")).unwrap().read);
    }

    #[test]
    fn two_instances_keep_each_others_bookmarks() {
        let dir = tempfile::tempdir().unwrap();
        let (mut one, _) = StateFile::load(dir.path());
        let (mut two, _) = StateFile::load(dir.path());
        one.article_mut(&k("A")).toggle_bookmark(1, "أ".into());
        two.article_mut(&k("B")).toggle_bookmark(3, "ب".into());
        two.article_mut(&k("A")).toggle_bookmark(5, "ج".into());
        one.save().unwrap();
        two.save().unwrap();
        let (three, _) = StateFile::load(dir.path());
        assert_eq!(marks(&three, "A"), [1, 5]);
        assert_eq!(marks(&three, "B"), [3]);
        // The second saver sees the first one's bookmark at once; the
        // first sees the second's after a refresh.
        assert_eq!(marks(&two, "A"), [1, 5]);
        assert_eq!(marks(&one, "A"), [1]);
        assert!(one.refresh());
        assert_eq!(marks(&one, "A"), [1, 5]);
        assert_eq!(marks(&one, "B"), [3]);
        assert!(!one.refresh(), "nothing new the second time");
    }

    #[test]
    fn a_removal_stays_removed_only_where_it_was_made() {
        let dir = tempfile::tempdir().unwrap();
        let (mut seed, _) = StateFile::load(dir.path());
        seed.article_mut(&k("A")).bookmarks = vec![bookmark(1), bookmark(2)];
        seed.save().unwrap();
        let (mut one, _) = StateFile::load(dir.path());
        let (mut two, _) = StateFile::load(dir.path());
        assert!(!one.article_mut(&k("A")).toggle_bookmark(1, String::new()));
        one.save().unwrap();
        // Two still has 1 in memory but never removed or added it: its save
        // must not bring it back; its own removal of 2 holds too.
        assert!(!two.article_mut(&k("A")).toggle_bookmark(2, String::new()));
        two.save().unwrap();
        let (three, _) = StateFile::load(dir.path());
        assert_eq!(marks(&three, "A"), Vec::<usize>::new());
        // Re-adding after a removal elsewhere is an addition.
        let (mut four, _) = StateFile::load(dir.path());
        four.article_mut(&k("A")).toggle_bookmark(1, "x".into());
        four.save().unwrap();
        assert_eq!(marks(&StateFile::load(dir.path()).0, "A"), [1]);
    }

    #[test]
    fn the_position_set_last_wins_and_untouched_articles_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (mut seed, _) = StateFile::load(dir.path());
        seed.article_mut(&k("C")).set_position(9);
        seed.article_mut(&k("C")).read = true;
        seed.save().unwrap();
        let (mut one, _) = StateFile::load(dir.path());
        let (mut two, _) = StateFile::load(dir.path());
        one.article_mut(&k("A")).set_position(3);
        std::thread::sleep(std::time::Duration::from_millis(2));
        two.article_mut(&k("A")).set_position(7);
        // Saved in the other order: the later move still wins.
        two.save().unwrap();
        one.save().unwrap();
        let (three, _) = StateFile::load(dir.path());
        assert_eq!(three.article(&k("A")).unwrap().position, 7);
        assert_eq!(one.article(&k("A")).unwrap().position, 7);
        // One marked C unread meanwhile; two never touched C.
        one.article_mut(&k("C")).read = false;
        one.save().unwrap();
        two.article_mut(&k("A")).read = true;
        two.save().unwrap();
        let (four, _) = StateFile::load(dir.path());
        let c = four.article(&k("C")).unwrap();
        assert_eq!((c.position, c.read), (9, false));
        assert!(four.article(&k("A")).unwrap().read);
    }

    /// Keys were `to_string_lossy` once: two names differing only in bytes
    /// that are not UTF-8 shared one state, and neither was its file's.
    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_keeps_its_own_state() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let a = ArticleKey::new(std::ffi::OsStr::from_bytes(b"/news/\xff.txt"));
        let b = ArticleKey::new(std::ffi::OsStr::from_bytes(b"/news/\xfe.txt"));
        let (mut f, _) = StateFile::load(dir.path());
        f.article_mut(&a).set_position(3);
        f.article_mut(&b).set_position(5);
        f.article_mut(&k("/news/plain.txt")).read = true;
        f.save().unwrap();
        // The signal handler's save writes the same keys.
        let (mut g, _) = StateFile::load(dir.path());
        g.article_mut(&b).read = true;
        g.pending().save().unwrap();
        let (h, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        assert_eq!(h.article(&a).unwrap().position, 3);
        assert!(!h.article(&a).unwrap().read);
        assert_eq!(h.article(&b).unwrap().position, 5);
        assert!(h.article(&b).unwrap().read);
        assert!(h.article(&k("/news/plain.txt")).unwrap().read);
        assert_eq!(h.articles().count(), 3);
        // Readable paths stay plain strings in the file.
        let text = std::fs::read_to_string(dir.path().join("reading.json")).unwrap();
        assert!(text.contains("\"/news/plain.txt\":"), "{text}");
    }

    #[test]
    fn version_one_files_migrate_keeping_everything() {
        let dir = tempfile::tempdir().unwrap();
        let old = r#"{"articles":{"/x.txt":{"position":4,"read":true,"bookmarks":[{"paragraph":2,"snippet":"قال"}],"title":"خبر"},"/y.txt":{"position":1,"read":false}}}"#;
        std::fs::write(dir.path().join("reading.json"), old).unwrap();
        let (mut f, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        assert_eq!(f.data.version, 1);
        let x = f.article(&k("/x.txt")).unwrap().clone();
        assert_eq!((x.position, x.read, x.title.as_str()), (4, true, "خبر"));
        f.article_mut(&k("/z.txt")).read = true;
        f.save().unwrap();
        let (g, _) = StateFile::load(dir.path());
        assert_eq!(g.data.version, FORMAT_VERSION);
        assert_eq!(g.article(&k("/x.txt")), Some(&x));
        assert_eq!(g.article(&k("/y.txt")).unwrap().position, 1);
        assert!(g.article(&k("/z.txt")).unwrap().read);
    }

    #[test]
    fn corrupt_file_is_moved_aside_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reading.json"), b"{\"articles\": [1,").unwrap();
        let (mut f, w) = StateFile::load(dir.path());
        let w = w.unwrap();
        assert!(w.contains("corrupt"), "{w}");
        assert!(f.data.articles.is_empty());
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read(dir.path().join(&aside[0])).unwrap(),
            b"{\"articles\": [1,"
        );
        f.article_mut(&k("x")).read = true;
        f.save().unwrap();
        assert!(dir.path().join("reading.json").exists());
    }

    #[test]
    fn a_file_corrupted_while_running_is_set_aside_and_nothing_known_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, _) = StateFile::load(dir.path());
        f.article_mut(&k("A")).toggle_bookmark(1, "أ".into());
        f.save().unwrap();
        std::fs::write(dir.path().join("reading.json"), b"\0\0garbage").unwrap();
        f.article_mut(&k("B")).read = true;
        f.save().unwrap();
        let w = f.take_warnings();
        assert!(w.len() == 1 && w[0].contains("corrupt"), "{w:?}");
        let (g, w) = StateFile::load(dir.path());
        assert!(w.is_none());
        assert_eq!(marks(&g, "A"), [1]);
        assert!(g.article(&k("B")).unwrap().read);
    }

    #[test]
    fn a_failed_save_keeps_everything_and_is_retried() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let (mut f, _) = StateFile::load(&state);
        // A directory appears where the file should be.
        std::fs::create_dir_all(state.join("reading.json")).unwrap();
        f.article_mut(&k("A")).toggle_bookmark(2, "ب".into());
        assert!(f.save().is_err());
        assert!(f.failure().is_some());
        assert!(f.is_dirty());
        assert_eq!(f.unsaved_articles(), 1);
        assert_eq!(marks(&f, "A"), [2]);
        std::fs::remove_dir(state.join("reading.json")).unwrap();
        f.save().unwrap();
        assert!(f.failure().is_none() && !f.is_dirty());
        assert_eq!(marks(&StateFile::load(&state).0, "A"), [2]);
    }
}
