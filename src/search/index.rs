//! The library search index: every article's folded words as term ids, in
//! reading order, plus its title words and entities, in one compact file
//! under the XDG cache (`search-<hash of the folder>.bin`, beside the
//! library cache).
//!
//! Why our own index rather than `tantivy`: the library is small by search
//! engine standards (tens of thousands of articles), matching needs the
//! reader's own folding and clitic rules, and a forward list of term ids per
//! article answers words, clitic variants and phrases. tantivy would add
//! ~100 crates and a segment directory per library for no gain at this size
//! (see the README).
//!
//! The file keeps, per term, the list of articles using it with the term's
//! count and title flag, so a query of words is ranked from the lists and
//! reads only the shown results' words; a phrase reads the words of the
//! articles holding all its words. It is read in
//! sections, never whole: opening reads the header and the term, name and
//! article tables (each checksummed); a search then reads the article lists
//! of the matching terms and the word records of those articles, an entity
//! listing only the entity records, each record checked against its own
//! checksum as it is read. Memory therefore follows what a question needs,
//! not the size of the library.
//!
//! The file is written streaming (articles are parsed on all cores and
//! written one by one, in the listing's order) to a temporary file renamed
//! over the old one, so a crash leaves the old index or the new one. One
//! that does not parse is set aside with [`store::set_aside`] and rebuilt;
//! a record found damaged later is skipped, and the file set aside so the
//! next open rebuilds it ([`Index::damaged`]). Articles are matched to
//! their record by path, size and modification time, so only new or
//! changed files are read again; files that cannot be read are recorded
//! too, with the reason, so they are not tried again until they change. A
//! cache folder that cannot be written costs one warning: the index is
//! then built in a temporary file (or memory) for this search only.

use super::query::{matches_word, tokenize, Query};
use crate::article::library::{fnv1a, scan, ScannedFile};
use crate::article::{Note, OpenError, Rules};
use crate::entities::{Block, EntityKind, Mention, Recognizer, UserEntities};
use crate::store::{self, Dirs};
use crate::text::fold_arabic;
use rustc_hash::FxHashMap;
use std::io::{Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A note from building the index (a file skipped, the cache set aside).
pub type BuildNote = Note;

const MAGIC: &[u8; 8] = b"QARIIDX\0";
/// 3: articles per term, a table of entity names, words decoded lazily.
/// 4: mentions carry their block (0 the title, p + 1 paragraph p).
/// 5: read in sections with a checksum per record, written streaming,
/// unreadable files recorded.
/// 6: each article of a term's list with the term's count in its body and
/// whether it is in its title (a word query is ranked from the lists).
const VERSION: u64 = 6;

/// The sections of the file, in the header's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    /// The library folder the index is of.
    Root,
    /// Per term: the word, and the length and checksum of its article list.
    Terms,
    /// Entity names: kind and text as recognized.
    Names,
    /// Per file: path, size, mtime, then title, date, word count and where
    /// its records are (or why it could not be read).
    Docs,
    /// The article lists of the terms, one after the other: per article
    /// the delta from the previous one, then count << 1 | in the title.
    Postings,
    /// Per article: title words, paragraph starts, words (term ids).
    Words,
    /// Per article: its entities (name ids and mentions).
    Ents,
}
const SECTIONS: usize = 7;
/// Sections read whole at open, with one checksum each; the others are
/// checked record by record.
const TABLES: [Section; 4] = [Section::Root, Section::Terms, Section::Names, Section::Docs];
/// MAGIC, version, rules fingerprint, (offset, length, checksum) per
/// section, checksum of the header.
const HEADER_LEN: usize = 8 + 8 + 8 + SECTIONS * 24 + 8;

/// Where a section is in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    off: u64,
    len: u64,
    sum: u64,
}

/// Where a record is in its section, and its checksum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Rec {
    at: u64,
    len: u32,
    sum: u32,
}

/// One file of a loaded index: what a result line needs, and where its
/// records are. Strings are ranges of the article table's bytes.
#[derive(Clone, Debug, Default)]
struct DocMeta {
    /// Relative to the library folder.
    path: Range<u32>,
    size: u64,
    mtime_ns: u64,
    /// Why the file could not be read ("skipped: …"): not searched.
    failed: Option<Range<u32>>,
    title: Range<u32>,
    date: Option<Range<u32>>,
    words: u32,
    words_rec: Rec,
    ents_rec: Rec,
}

/// The distinct words while building, in order of first use.
#[derive(Debug, Default)]
struct Terms {
    list: Vec<String>,
    lookup: FxHashMap<String, u32>,
}

impl Terms {
    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.lookup.get(w) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(w.to_owned());
        self.lookup.insert(w.to_owned(), i);
        i
    }
}

/// Where an index's bytes are.
///
/// Read with positioned reads (`pread`), not memory-mapped: the file may be
/// replaced or truncated by another qari, and a mapped page past the new
/// end of a truncated file is a SIGBUS, not an error. A replaced file is
/// harmless (the open handle keeps the old one); a truncated one gives
/// short reads, which are reported as damage. Only the sections a question
/// needs are read, so memory does not follow the file's size either.
#[derive(Debug)]
enum Store {
    /// An open file and its length when opened.
    File(std::fs::File, u64),
    /// Built in memory (no file could be written anywhere).
    Mem(Vec<u8>),
}

impl Default for Store {
    fn default() -> Store {
        Store::Mem(Vec::new())
    }
}

impl Store {
    fn len(&self) -> u64 {
        match self {
            Store::File(_, len) => *len,
            Store::Mem(bytes) => bytes.len() as u64,
        }
    }

    /// `len` bytes at `at`; never more than the file holds, so a damaged
    /// length cannot ask for a huge buffer.
    fn read(&self, at: u64, len: u64) -> Result<Vec<u8>, Corrupt> {
        let end = at.checked_add(len).ok_or(Corrupt)?;
        if end > self.len() {
            return Err(Corrupt);
        }
        match self {
            Store::File(file, _) => {
                let mut buf = vec![0; usize::try_from(len).map_err(|_| Corrupt)?];
                read_exact_at(file, &mut buf, at).map_err(|_| Corrupt)?;
                Ok(buf)
            }
            Store::Mem(bytes) => Ok(bytes[at as usize..end as usize].to_vec()),
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// The index of one library folder: its tables, and where to read the
/// rest.
#[derive(Debug, Default)]
pub struct Index {
    pub root: PathBuf,
    store: Store,
    sections: [Span; SECTIONS],
    /// The term table's entries (after its count).
    terms: Vec<u8>,
    nterms: usize,
    /// Entity names: kind and text as recognized.
    names: Vec<(EntityKind, String)>,
    /// The article table's bytes.
    docs_bytes: Vec<u8>,
    /// Where each entry of the article table starts (checked at open,
    /// decoded when needed: a tenth of the memory of decoded entries).
    docs: Vec<u32>,
    /// Files that were read (not failed).
    articles: usize,
    total_words: u64,
    /// Articles read this time (the rest came from the cache).
    pub indexed: usize,
    /// A record did not read back; the file was set aside.
    damaged: AtomicBool,
    /// The cache file, set aside when a record is found damaged.
    file: Option<PathBuf>,
}

/// Where a query matched in an article: a run of `len` words starting at
/// word `word` of paragraph `paragraph` (title hits are not listed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordHit {
    pub paragraph: usize,
    pub word: usize,
    pub len: usize,
}

/// One matching article.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResult {
    pub path: PathBuf,
    pub title: String,
    pub date: Option<String>,
    /// BM25 over the body plus a bonus per query term found in the title.
    pub score: f64,
    /// Every term of the query is in the title.
    pub title_match: bool,
    /// Matches in the body, in reading order.
    pub hits: Vec<WordHit>,
}

/// Matches as byte ranges of the paragraphs' text.
pub type ArticleHits = Vec<super::Hit>;

impl SearchResult {
    /// The byte ranges of the hits in `paragraphs` (the article's paragraph
    /// texts, as read now). Hits beyond the text (the file changed since it
    /// was indexed) are dropped.
    pub fn ranges(&self, paragraphs: &[&str]) -> ArticleHits {
        word_ranges(&self.hits, paragraphs)
    }
}

/// Word hits as byte ranges of `paragraphs` (an article's paragraph texts,
/// as read now). Hits beyond the text (the file changed since it was
/// indexed) are dropped.
pub fn word_ranges(hits: &[WordHit], paragraphs: &[&str]) -> ArticleHits {
    let mut out = Vec::new();
    let mut cached: Option<(usize, Vec<super::Token>)> = None;
    for h in hits {
        let Some(text) = paragraphs.get(h.paragraph) else {
            continue;
        };
        if cached.as_ref().is_none_or(|(p, _)| *p != h.paragraph) {
            cached = Some((h.paragraph, tokenize(text)));
        }
        let toks = &cached.as_ref().expect("set above").1;
        let (Some(first), Some(last)) = (
            toks.get(h.word),
            toks.get((h.word + h.len).saturating_sub(1)),
        ) else {
            continue;
        };
        out.push(super::Hit {
            paragraph: h.paragraph,
            range: first.range.start..last.range.end,
        });
    }
    out
}

/// An article read and tokenized, before its words become term ids.
struct Parsed {
    title: String,
    date: Option<String>,
    /// Words of this article, each once; the lists below index into it.
    vocab: Vec<String>,
    title_words: Vec<u32>,
    words: Vec<u32>,
    /// Index in `words` of each paragraph's first word.
    para_starts: Vec<u32>,
    /// The article's entities ([`Recognizer::recognize_article`]).
    entities: Vec<crate::entities::Entity>,
}

/// What reading one file gave.
enum Outcome {
    Parsed(Parsed),
    /// It cannot be imported (binary, empty, too large…): recorded with
    /// the reason, and not read again until it changes.
    Failed(String),
    /// Deleted (or unreadable for now) since the listing: left out, read
    /// again next time.
    Gone,
}

fn parse_article(path: &Path, rules: &Rules, recognizer: &Recognizer) -> Outcome {
    let article = match crate::article::open_named(path, rules) {
        Ok(imported) => imported.article,
        Err(OpenError::NotFound { .. } | OpenError::Io { .. }) => return Outcome::Gone,
        Err(e) => return Outcome::Failed(format!("skipped: {}", e.reason())),
    };
    let entities = recognizer.recognize_article(&article);
    let mut local: FxHashMap<String, u32> = FxHashMap::default();
    let mut vocab = Vec::new();
    let mut id = |w: String| -> u32 {
        if let Some(&i) = local.get(&w) {
            return i;
        }
        let i = vocab.len() as u32;
        vocab.push(w.clone());
        local.insert(w, i);
        i
    };
    let title_words = tokenize(&article.title)
        .into_iter()
        .map(|t| id(t.word))
        .collect();
    let mut words = Vec::new();
    let mut para_starts = Vec::with_capacity(article.paragraphs.len());
    for p in &article.paragraphs {
        para_starts.push(words.len() as u32);
        words.extend(tokenize(&p.text).into_iter().map(|t| id(t.word)));
    }
    Outcome::Parsed(Parsed {
        title: article.title,
        date: article.date,
        vocab,
        title_words,
        words,
        para_starts,
        entities,
    })
}

impl Index {
    /// Where the index of `dir` lives.
    pub fn cache_path(dir: &Path, dirs: &Dirs) -> PathBuf {
        let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let hash = fnv1a(root.as_os_str().as_encoded_bytes());
        dirs.cache.join(format!("search-{hash:016x}.bin"))
    }

    /// The index of `dir`, from the cache where articles are unchanged and
    /// by reading the others (cleaned with `rules`) on all cores. `progress(done, total)` is called
    /// (from worker threads) as articles are read.
    ///
    /// One process builds a library's index at a time (two searches, the
    /// reader and a CLI): the other waits for its lock (up to
    /// [`LOCK_WAIT`]) and then reuses what it wrote, or past that builds
    /// its own without saving it.
    pub fn open(
        dir: &Path,
        dirs: &Dirs,
        rules: &Rules,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> (Index, Vec<BuildNote>) {
        Index::open_once(dir, dirs, rules, progress, true)
    }

    fn open_once(
        dir: &Path,
        dirs: &Dirs,
        rules: &Rules,
        progress: &(dyn Fn(usize, usize) + Sync),
        may_wait: bool,
    ) -> (Index, Vec<BuildNote>) {
        // The folder's files with one stat each (on all cores); no article
        // and no listing cache is read: the index has its own records.
        let (files, mut notes) = scan(dir);
        let (user, user_error) = UserEntities::load_or_default(dirs);
        if let Some(e) = user_error {
            notes.push(Note {
                path: UserEntities::path(dirs),
                message: e.to_string(),
            });
        }
        // Entities depend on the user's list too: a new list, new index.
        let user_bytes = store::read_regular(&UserEntities::path(dirs), store::MAX_SETTINGS_BYTES)
            .unwrap_or_default();
        let fingerprint = rules.fingerprint ^ fnv1a(&user_bytes).rotate_left(1);
        let cache_path = Index::cache_path(dir, dirs);
        let root_key = dir.to_string_lossy().into_owned();
        let mut old =
            Index::load_cached(&cache_path, fingerprint, &root_key, &mut notes).unwrap_or_default();
        old.root = dir.to_path_buf();
        old.indexed = 0;

        // The listing decides which files exist; a record is reused when
        // the file's size and mtime are unchanged. (Taken by the scan,
        // before any file is read: a file changed while indexing is read
        // again next time.)
        let keys: Vec<Option<&str>> = files
            .iter()
            .map(|f| f.path.strip_prefix(dir).ok().and_then(Path::to_str))
            .collect();
        let slots = old.match_files(&files, &keys);
        let reused = slots.iter().flatten().count();
        if reused == files.len() && reused == old.docs.len() {
            // Nothing changed: the tables as read, the records still on disk.
            old.file = Some(cache_path);
            notes.extend(old.failure_notes());
            return (old, notes);
        }
        let mut save = true;
        let lock = match build_lock(&cache_path, may_wait) {
            // Another process built it meanwhile: start again from its file.
            BuildLock::Waited => return Index::open_once(dir, dirs, rules, progress, false),
            BuildLock::Held(file) => Some(file),
            BuildLock::Busy => {
                save = false;
                notes.push(Note {
                    path: cache_path.clone(),
                    message: "another qari is still indexing this library; \
                              this search indexes it without saving"
                        .into(),
                });
                None
            }
            BuildLock::Unavailable => None,
        };
        let job = Job {
            files: &files,
            keys: &keys,
            slots: &slots,
            old: &old,
            rules,
            user: &user,
            fingerprint,
            root: &root_key,
            progress,
        };
        let built = if save {
            match job.build_saved(&cache_path) {
                Ok(built) => Ok(built),
                Err(e) => {
                    notes.push(Note {
                        path: cache_path.clone(),
                        message: format!(
                            "could not save the search index ({e}); searching without a saved index"
                        ),
                    });
                    save = false;
                    job.build_unsaved()
                }
            }
        } else {
            job.build_unsaved()
        };
        drop(lock);
        let (index, read, build_notes) = match built {
            Ok(built) => built,
            Err(e) => {
                notes.push(Note {
                    path: cache_path,
                    message: format!("could not build the search index ({e}); searching nothing"),
                });
                return (Index::default(), notes);
            }
        };
        notes.extend(build_notes);
        let mut index = index;
        index.root = dir.to_path_buf();
        index.indexed = read;
        index.file = save.then_some(cache_path);
        notes.extend(index.failure_notes());
        (index, notes)
    }

    /// The saved index if it is current (`None`: none, another version,
    /// other rules or folder); a corrupt one is set aside with a note.
    fn load_cached(
        cache_path: &Path,
        fingerprint: u64,
        root: &str,
        notes: &mut Vec<Note>,
    ) -> Option<Index> {
        let opened = std::fs::File::open(cache_path).and_then(|f| {
            let meta = f.metadata()?;
            if !meta.is_file() {
                return Err(std::io::Error::other("not a regular file"));
            }
            Ok(Store::File(f, meta.len()))
        });
        let store = match opened {
            Ok(store) => store,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                notes.push(Note {
                    path: cache_path.to_path_buf(),
                    message: format!("could not read the search index ({e}); rebuilding it"),
                });
                return None;
            }
        };
        #[cfg(not(any(unix, windows)))]
        let store = match store {
            Store::File(..) => Store::Mem(std::fs::read(cache_path).ok()?),
            s => s,
        };
        match Index::load(store, fingerprint, root) {
            Ok(index) => index,
            Err(Corrupt) => {
                let message = match store::set_aside(cache_path) {
                    Ok(to) => format!(
                        "the search index was corrupt; moved it to {} and rebuilt it",
                        to.display()
                    ),
                    Err(e) => format!(
                        "the search index was corrupt and could not be moved aside ({e}); rebuilt it"
                    ),
                };
                notes.push(Note {
                    path: cache_path.to_path_buf(),
                    message,
                });
                None
            }
        }
    }

    /// For each listed file, the record to reuse (same path, size and
    /// mtime). In step with the records' order while the two agree (a
    /// build writes them in the listing's order), by a lookup after.
    fn match_files(&self, files: &[ScannedFile], keys: &[Option<&str>]) -> Vec<Option<usize>> {
        let mut by_path: Option<FxHashMap<&str, usize>> = None;
        let mut taken = vec![false; self.docs.len()];
        files
            .iter()
            .zip(keys)
            .enumerate()
            .map(|(i, (f, key))| {
                let key = (*key)?;
                let j = match (i < self.docs.len()).then(|| self.doc(i)) {
                    Some(d) if by_path.is_none() && self.text(&d.path) == key => i,
                    _ => *by_path
                        .get_or_insert_with(|| {
                            (0..self.docs.len())
                                .map(|j| (self.text(&self.doc(j).path), j))
                                .collect()
                        })
                        .get(key)?,
                };
                let d = self.doc(j);
                let fresh = !std::mem::replace(&mut taken[j], true);
                (fresh && d.size == f.size && d.mtime_ns == f.mtime_ns).then_some(j)
            })
            .collect()
    }

    /// A note for each file recorded as unreadable (as the listing gives
    /// one on every scan).
    fn failure_notes(&self) -> Vec<Note> {
        (0..self.docs.len())
            .filter_map(|j| {
                let d = self.doc(j);
                Some(Note {
                    path: self.root.join(self.text(&d.path)),
                    message: self.text(d.failed.as_ref()?).to_owned(),
                })
            })
            .collect()
    }

    /// A string of the article table.
    fn text(&self, r: &Range<u32>) -> &str {
        self.docs_bytes
            .get(r.start as usize..r.end as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Entry `i` of the article table.
    fn doc(&self, i: usize) -> DocMeta {
        let mut r = Reader {
            bytes: &self.docs_bytes,
            at: self.docs.get(i).map_or(usize::MAX, |&at| at as usize),
        };
        let (words, ents) = (
            self.sections[Section::Words as usize],
            self.sections[Section::Ents as usize],
        );
        // Checked when the index was opened (UTF-8 too: `text` would give
        // "" for a bad range rather than fail).
        parse_doc(&mut r, &words, &ents, false).unwrap_or_default()
    }

    /// Articles in the index.
    pub fn len(&self) -> usize {
        self.articles
    }

    pub fn is_empty(&self) -> bool {
        self.articles == 0
    }

    /// Distinct words in the index.
    pub fn terms(&self) -> usize {
        self.nterms
    }

    /// Whether a record did not read back (a damaged or truncated file).
    /// The file has then been set aside, so the next [`Index::open`]
    /// rebuilds it; what this index answered left those articles out.
    pub fn damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    fn mark_damaged(&self) {
        if !self.damaged.swap(true, Ordering::Relaxed) {
            if let Some(path) = &self.file {
                let _ = store::set_aside(path);
            }
        }
    }

    /// One record of `section`, checked; `None` (and the index marked
    /// damaged) when it does not read back.
    fn read_rec(&self, section: Section, rec: Rec) -> Option<Vec<u8>> {
        let span = self.sections[section as usize];
        let bytes = (rec.at + u64::from(rec.len) <= span.len)
            .then(|| self.store.read(span.off + rec.at, u64::from(rec.len)).ok())
            .flatten()
            .filter(|b| checksum(b) as u32 == rec.sum);
        if bytes.is_none() {
            self.mark_damaged();
        }
        bytes
    }

    /// The records `recs` of `section` (in file order), read in runs of
    /// nearby records (one read each, at most a MiB), each checked: `f(k,
    /// record)` for the `k`th, `None` when it does not read back.
    fn read_recs(&self, section: Section, recs: &[Rec], mut f: impl FnMut(usize, Option<&[u8]>)) {
        const GAP: u64 = 16 << 10;
        const RUN: u64 = 1 << 20;
        let span = self.sections[section as usize];
        let mut k = 0;
        while k < recs.len() {
            let start = recs[k].at;
            let mut end = start + u64::from(recs[k].len);
            let mut last = k + 1;
            while last < recs.len()
                && recs[last].at >= end
                && recs[last].at - end <= GAP
                && recs[last].at + u64::from(recs[last].len) - start <= RUN
            {
                end = recs[last].at + u64::from(recs[last].len);
                last += 1;
            }
            let run = (end <= span.len)
                .then(|| self.store.read(span.off + start, end - start).ok())
                .flatten();
            for (n, rec) in recs[k..last].iter().enumerate() {
                let bytes = run.as_deref().and_then(|run| {
                    let at = (rec.at - start) as usize;
                    run.get(at..at + rec.len as usize)
                        .filter(|b| checksum(b) as u32 == rec.sum)
                });
                if bytes.is_none() {
                    self.mark_damaged();
                }
                f(k + n, bytes);
            }
            k = last;
        }
    }

    /// Each term entry: its id, the word and where its article list is.
    fn for_each_term<'s>(&'s self, mut f: impl FnMut(usize, &'s str, Rec)) {
        let mut r = Reader {
            bytes: &self.terms,
            at: 0,
        };
        let mut at = 0u64;
        for t in 0..self.nterms {
            let (Ok(word), Ok(len), Ok(sum)) = (r.str(), r.uint(), r.uint()) else {
                return;
            };
            let rec = Rec {
                at,
                len: len as u32,
                sum: sum as u32,
            };
            at += len;
            f(t, word, rec);
        }
    }

    fn term_list(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.nterms);
        self.for_each_term(|_, w, _| out.push(w));
        out
    }

    /// Articles containing every term of `query`, best first: those with
    /// the whole query in the title, then by score (BM25 over the body, a
    /// bonus for each term in the title), then newest.
    pub fn search(&self, query: &Query) -> Vec<SearchResult> {
        self.search_top(query, 0).0
    }

    /// The best `limit` results of [`Index::search`] (0: all of them) and
    /// the number of matching articles. Only the results returned are made
    /// (title, path, hits: their words are read a second time), so a
    /// common word in a large library costs little memory.
    pub fn search_top(&self, query: &Query, limit: usize) -> (Vec<SearchResult>, usize) {
        // Each word of the query gets a bit; a term's mask says which
        // query words it is (with clitics in front). The articles listed
        // under a matching term are the only ones read.
        let words: Vec<&str> = query
            .terms
            .iter()
            .flat_map(|t| t.words().iter().map(String::as_str))
            .collect();
        let mut mask = vec![0u32; self.nterms];
        // Per article, which query words it has (title or body), which in
        // its title, and (a word-only query ranked from the lists alone)
        // how often each is in its body.
        let nwords = words.len();
        let ndocs = self.docs.len();
        let all = limit == 0;
        let from_lists = !all && query.terms.iter().all(|t| t.words().len() == 1);
        let mut present = vec![0u32; ndocs];
        let mut in_title = vec![0u32; if from_lists { ndocs } else { 0 }];
        let mut counts = vec![0u32; if from_lists { ndocs * nwords } else { 0 }];
        let mut any = 0u32;
        self.for_each_term(|t, term, rec| {
            let mut m = 0u32;
            for (b, w) in words.iter().enumerate() {
                if matches_word(term, w) {
                    m |= 1 << b;
                }
            }
            if m == 0 {
                return;
            }
            mask[t] = m;
            any |= m;
            let Some(postings) = self.read_rec(Section::Postings, rec) else {
                return;
            };
            let mut r = Reader {
                bytes: &postings,
                at: 0,
            };
            let mut doc = 0usize;
            let mut first = true;
            while r.at < postings.len() {
                let (Ok(delta), Ok(tf)) = (r.uint(), r.uint()) else {
                    self.mark_damaged();
                    break;
                };
                doc = doc.saturating_add(delta as usize);
                if !first && delta == 0 || doc >= ndocs {
                    self.mark_damaged();
                    break;
                }
                first = false;
                present[doc] |= m;
                if from_lists {
                    if tf & 1 == 1 {
                        in_title[doc] |= m;
                    }
                    let n = u32::try_from(tf >> 1).unwrap_or(u32::MAX);
                    for b in 0..nwords {
                        if m & (1 << b) != 0 {
                            let c = &mut counts[doc * nwords + b];
                            *c = c.saturating_add(n);
                        }
                    }
                }
            }
        });
        if any == 0 {
            return (Vec::new(), 0);
        }
        // Only articles with every word of the query can match.
        let every = if nwords == 32 {
            u32::MAX
        } else {
            (1u32 << nwords) - 1
        };
        let list: Vec<usize> = (0..ndocs)
            .filter(|&d| present[d] == every && self.doc(d).failed.is_none())
            .collect();
        drop(present);
        // The candidates' words, read and matched on all cores.
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8);
        let matched = |list: &[usize], hits: bool| -> Vec<Cand> {
            let chunk = list.len().div_ceil(threads).max(64);
            if list.len() <= chunk {
                return self.match_docs(query, &mask, list, hits);
            }
            std::thread::scope(|s| {
                let handles: Vec<_> = list
                    .chunks(chunk)
                    .map(|part| {
                        let mask = &mask;
                        s.spawn(move || self.match_docs(query, mask, part, hits))
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        };
        let cands: Vec<Cand> = if from_lists {
            // Words only, the best few asked for: counted from the article
            // lists, no article's words read until the results are kept.
            list.iter()
                .map(|&doc| Cand {
                    doc,
                    tf: counts[doc * nwords..(doc + 1) * nwords].to_vec(),
                    in_title: (0..nwords).map(|b| in_title[doc] & (1 << b) != 0).collect(),
                    hits: Vec::new(),
                })
                .collect()
        } else {
            matched(&list, all)
        };
        drop((list, counts, in_title));
        let nterms = query.terms.len();
        let mut df = vec![0usize; nterms];
        for c in &cands {
            for (df, &tf) in df.iter_mut().zip(&c.tf) {
                if tf > 0 {
                    *df += 1;
                }
            }
        }
        let n = self.articles as f64;
        let avg = self.total_words as f64 / n.max(1.0);
        let (k1, b) = (1.2, 0.75);
        // (title match, score, candidate, date, path), best first.
        type Ranked = (bool, f64, usize, Option<Range<u32>>, Range<u32>);
        let mut ranked: Vec<Ranked> = cands
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let d = self.doc(c.doc);
                let len = f64::from(d.words);
                let mut score = 0.0;
                for (t, &df) in df.iter().enumerate() {
                    let idf = ((n - df as f64 + 0.5) / (df as f64 + 0.5) + 1.0).ln();
                    let tf = f64::from(c.tf[t]);
                    score += idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / avg.max(1.0)));
                    if c.in_title[t] {
                        score += 2.0 * idf;
                    }
                }
                let title_match = c.in_title.iter().all(|&t| t);
                (
                    title_match,
                    (score * 1000.0).round() / 1000.0,
                    k,
                    d.date,
                    d.path,
                )
            })
            .collect();
        // Ties are common (articles alike): their keys are at hand.
        let date = |r: &Ranked| r.3.as_ref().map(|r| self.text(r));
        let path = |r: &Ranked| Path::new(self.text(&r.4));
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then_with(|| date(b).cmp(&date(a)))
                .then_with(|| path(a).cmp(path(b)))
        });
        let total = ranked.len();
        if !all {
            ranked.truncate(limit);
        }
        // The hits of the results kept, when the first pass left them out.
        let mut hits: FxHashMap<usize, Vec<WordHit>> = FxHashMap::default();
        if !all {
            let mut docs: Vec<usize> = ranked.iter().map(|r| cands[r.2].doc).collect();
            docs.sort_unstable();
            hits = matched(&docs, true)
                .into_iter()
                .map(|c| (c.doc, c.hits))
                .collect();
        }
        let mut cands = cands;
        let out = ranked
            .into_iter()
            .map(|(title_match, score, k, _, _)| {
                let c = &mut cands[k];
                let d = self.doc(c.doc);
                SearchResult {
                    path: self.root.join(self.text(&d.path)),
                    title: self.text(&d.title).to_owned(),
                    date: d.date.as_ref().map(|r| self.text(r).to_owned()),
                    score,
                    title_match,
                    hits: if all {
                        std::mem::take(&mut c.hits)
                    } else {
                        hits.remove(&c.doc).unwrap_or_default()
                    },
                }
            })
            .collect();
        (out, total)
    }

    /// The articles `list` (candidates, in file order) that contain every
    /// term of `query`, with their term counts (and hits if asked for).
    fn match_docs(
        &self,
        query: &Query,
        mask: &[u32],
        list: &[usize],
        with_hits: bool,
    ) -> Vec<Cand> {
        // First bit of each term; phrase words follow one another.
        let mut first_bit = Vec::with_capacity(query.terms.len());
        let mut b = 0;
        for t in &query.terms {
            first_bit.push(b);
            b += t.words().len();
        }
        let at = |seq: &[u32], p: usize, term: usize| -> bool {
            let n = query.terms[term].words().len();
            p + n <= seq.len()
                && (0..n).all(|k| mask[seq[p + k] as usize] & (1 << (first_bit[term] + k)) != 0)
        };
        let nterms = query.terms.len();
        let recs: Vec<Rec> = list.iter().map(|&d| self.doc(d).words_rec).collect();
        let mut out = Vec::new();
        let (mut title, mut paras, mut body) = (Vec::new(), Vec::new(), Vec::new());
        self.read_recs(Section::Words, &recs, |k, bytes| {
            let Some(bytes) = bytes else { return };
            if decode_words(bytes, self.nterms, &mut title, &mut paras, &mut body).is_err() {
                self.mark_damaged();
                return;
            }
            let mut tf = vec![0u32; nterms];
            let mut hits = Vec::new();
            for p in 0..body.len() {
                if mask[body[p] as usize] == 0 {
                    continue;
                }
                for (t, (n, term)) in tf.iter_mut().zip(&query.terms).enumerate() {
                    if at(&body, p, t) {
                        *n += 1;
                        if !with_hits {
                            continue;
                        }
                        let para = paras
                            .partition_point(|&s| s as usize <= p)
                            .saturating_sub(1);
                        hits.push(WordHit {
                            paragraph: para,
                            word: p - paras.get(para).copied().unwrap_or(0) as usize,
                            len: term.words().len(),
                        });
                    }
                }
            }
            let in_title: Vec<bool> = (0..nterms)
                .map(|t| (0..title.len()).any(|p| at(&title, p, t)))
                .collect();
            if (0..nterms).all(|t| tf[t] > 0 || in_title[t]) {
                out.push(Cand {
                    doc: list[k],
                    tf,
                    in_title,
                    hits,
                });
            }
        });
        out
    }
}

/// An article that matched, before it is scored.
struct Cand {
    doc: usize,
    tf: Vec<u32>,
    in_title: Vec<bool>,
    hits: Vec<WordHit>,
}

/// A word record: title words, paragraph starts, words (ids checked
/// against `nterms`), into the buffers.
fn decode_words(
    bytes: &[u8],
    nterms: usize,
    title: &mut Vec<u32>,
    paras: &mut Vec<u32>,
    words: &mut Vec<u32>,
) -> Result<(), Corrupt> {
    let mut r = Reader { bytes, at: 0 };
    r.ids_into(title, nterms)?;
    r.ids_into(paras, u32::MAX as usize)?;
    r.ids_into(words, nterms)?;
    if r.at != bytes.len()
        || paras.windows(2).any(|w| w[0] > w[1])
        || paras.last().is_some_and(|&s| s as usize > words.len())
    {
        return Err(Corrupt);
    }
    Ok(())
}

/// An entity record: per entity its name id (below `nnames`), its number
/// of mentions, and the mentions when `mentions` is asked for.
fn decode_ents(
    bytes: &[u8],
    nnames: usize,
    mentions: bool,
) -> Result<Vec<(usize, usize, Vec<Mention>)>, Corrupt> {
    let mut r = Reader { bytes, at: 0 };
    let n = r.len()?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.uint()? as usize;
        if name >= nnames {
            return Err(Corrupt);
        }
        let k = r.len()?;
        let mut ms = Vec::new();
        for _ in 0..k {
            let block = match r.uint()? {
                0 => Block::Title,
                p => Block::Paragraph(usize::try_from(p - 1).map_err(|_| Corrupt)?),
            };
            let m = Mention {
                block,
                start: r.uint()? as usize,
                end: r.uint()? as usize,
            };
            if mentions {
                ms.push(m);
            }
        }
        out.push((name, k, ms));
    }
    if r.at != bytes.len() {
        return Err(Corrupt);
    }
    Ok(out)
}

/// What a build needs: the listing, which records to reuse, and how to
/// read the rest.
struct Job<'a> {
    files: &'a [ScannedFile],
    keys: &'a [Option<&'a str>],
    /// The old record for each file, if it is reused.
    slots: &'a [Option<usize>],
    old: &'a Index,
    rules: &'a Rules,
    user: &'a UserEntities,
    fingerprint: u64,
    root: &'a str,
    progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// A built index, the number of articles read, and the notes.
type Built = (Index, usize, Vec<Note>);

impl Job<'_> {
    /// Built into a temporary file beside `cache_path`, then renamed over
    /// it (synced first: a crash leaves the old file or the new one).
    fn build_saved(&self, cache_path: &Path) -> std::io::Result<Built> {
        let dir = cache_path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(cache_path.file_name().unwrap_or_default());
        prefix.push(".");
        let tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp);
        let (read, notes) = self.write(&mut out)?;
        let tmp = out.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        let file = tmp.persist(cache_path).map_err(|e| e.error)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        let len = file.metadata()?.len();
        Ok((self.reopen(Store::File(file, len))?, read, notes))
    }

    /// Built into an unnamed temporary file (gone when closed), or in
    /// memory when there is nowhere to write one.
    fn build_unsaved(&self) -> std::io::Result<Built> {
        if let Ok(file) = tempfile::tempfile() {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            if let Ok((read, notes)) = self.write(&mut out) {
                let file = out.into_inner().map_err(|e| e.into_error())?;
                let len = file.metadata()?.len();
                return Ok((self.reopen(Store::File(file, len))?, read, notes));
            }
        }
        let mut out = std::io::Cursor::new(Vec::new());
        let (read, notes) = self.write(&mut out)?;
        Ok((self.reopen(Store::Mem(out.into_inner()))?, read, notes))
    }

    fn reopen(&self, store: Store) -> std::io::Result<Index> {
        match Index::load(store, self.fingerprint, self.root) {
            Ok(Some(index)) => Ok(index),
            // Only a bug in the writer gets here.
            _ => Err(std::io::Error::other(
                "the search index just built does not read back",
            )),
        }
    }

    /// The whole file into `out`: the files in the listing's order, reused
    /// records copied (renumbered) from the old file, the others parsed on
    /// all cores and written as they come, so memory holds the term table
    /// and the article lists, never the articles.
    fn write<W: Write + Seek>(&self, out: &mut W) -> std::io::Result<(usize, Vec<Note>)> {
        let misses: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.slots[i].is_none())
            .collect();
        let total = misses.len();
        // Loading the gazetteer and the tagger is a third of a warm search:
        // made only when an article is read.
        let recognizer: OnceLock<Recognizer> = OnceLock::new();
        let recognizer = || recognizer.get_or_init(|| Recognizer::new(self.user.clone()));
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 16)
            .min(total.max(1));
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let mut b = Builder::new(self.old);
        out.write_all(&[0; HEADER_LEN])?;
        let mut notes = Vec::new();
        let mut read = 0;
        std::thread::scope(|s| {
            // Bounded: workers wait while the writer is behind.
            let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Outcome)>(threads * 4);
            if total > 0 {
                for _ in 0..threads {
                    let tx = tx.clone();
                    let (misses, next, done, recognizer) = (&misses, &next, &done, &recognizer);
                    s.spawn(move || loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = misses.get(k) else { break };
                        let o = parse_article(&self.files[i].path, self.rules, recognizer());
                        (self.progress)(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                        if tx.send((i, o)).is_err() {
                            break;
                        }
                    });
                }
            }
            drop(tx);
            // Results come nearly in order; the few ahead wait here.
            let mut ahead: FxHashMap<usize, Outcome> = FxHashMap::default();
            let result = (|| -> std::io::Result<()> {
                for (i, f) in self.files.iter().enumerate() {
                    let key = self.keys[i]
                        .map(std::borrow::Cow::Borrowed)
                        .unwrap_or_else(|| {
                            f.path
                                .strip_prefix(Path::new(self.root))
                                .unwrap_or(&f.path)
                                .to_string_lossy()
                        });
                    let outcome = match self.slots[i] {
                        Some(j) => {
                            if b.reuse(out, self.old, j)? {
                                continue;
                            }
                            // A record that does not read back: read the article again.
                            parse_article(&f.path, self.rules, recognizer())
                        }
                        None => loop {
                            if let Some(o) = ahead.remove(&i) {
                                break o;
                            }
                            match rx.recv() {
                                Ok((k, o)) => {
                                    ahead.insert(k, o);
                                }
                                // A worker died: its panic is raised when the scope ends.
                                Err(_) => break Outcome::Gone,
                            }
                        },
                    };
                    match outcome {
                        Outcome::Parsed(p) => {
                            b.add_parsed(out, &key, f, p)?;
                            read += 1;
                        }
                        Outcome::Failed(message) => b.add_failed(&key, f, &message),
                        Outcome::Gone => notes.push(Note {
                            path: f.path.clone(),
                            message: "changed or removed while indexing; left out of this search"
                                .into(),
                        }),
                    }
                }
                Ok(())
            })();
            // Stops the workers if writing failed.
            drop(rx);
            result
        })?;
        let header = b.finish(out, self.fingerprint, self.root)?;
        out.seek(SeekFrom::Start(0))?;
        out.write_all(&header)?;
        out.flush()?;
        Ok((read, notes))
    }
}

/// The tables of a file being written; the records go straight to the
/// output.
struct Builder {
    terms: Terms,
    /// Per term, the articles using it, delta-coded.
    postings: Vec<Vec<u8>>,
    /// Per term, the last article added to its list, plus one (0: none).
    last_doc: Vec<u32>,
    names: FxHashMap<(EntityKind, String), u32>,
    name_list: Vec<(EntityKind, String)>,
    /// The article table, without its count.
    docs: Writer,
    ndocs: u64,
    total_words: u64,
    /// Bytes of word records written so far.
    words_len: u64,
    /// The entity records (a small part of the file, kept apart from the
    /// words so an entity listing reads only them).
    ents: Writer,
    /// Old term id to new (u32::MAX: not met yet), for reused records.
    remap_terms: Vec<u32>,
    remap_names: Vec<u32>,
    old_terms: Vec<String>,
    scratch: Writer,
    ids: (Vec<u32>, Vec<u32>, Vec<u32>),
    /// The terms of the article being added: body count, in the title.
    here: FxHashMap<u32, (u32, bool)>,
}

impl Builder {
    fn new(old: &Index) -> Builder {
        let old_terms: Vec<String> = old.term_list().into_iter().map(str::to_owned).collect();
        Builder {
            terms: Terms::default(),
            postings: Vec::new(),
            last_doc: Vec::new(),
            names: FxHashMap::default(),
            name_list: Vec::new(),
            docs: Writer(Vec::new()),
            ndocs: 0,
            total_words: 0,
            words_len: 0,
            ents: Writer(Vec::new()),
            remap_terms: vec![u32::MAX; old_terms.len()],
            remap_names: vec![u32::MAX; old.names.len()],
            old_terms,
            scratch: Writer(Vec::new()),
            ids: Default::default(),
            here: FxHashMap::default(),
        }
    }

    fn name_id(&mut self, kind: EntityKind, text: &str) -> u32 {
        if let Some(&i) = self.names.get(&(kind, text.to_owned())) {
            return i;
        }
        let i = self.name_list.len() as u32;
        self.name_list.push((kind, text.to_owned()));
        self.names.insert((kind, text.to_owned()), i);
        i
    }

    /// The common part of an article's entry.
    fn doc_head(&mut self, key: &str, f: (u64, u64)) {
        self.docs.str(key);
        self.docs.uint(f.0);
        self.docs.uint(f.1);
        self.ndocs += 1;
    }

    fn add_failed(&mut self, key: &str, f: &ScannedFile, message: &str) {
        self.doc_head(key, (f.size, f.mtime_ns));
        self.docs.uint(1);
        self.docs.str(message);
    }

    /// An article whose words are term ids of this build (`self.ids`) and
    /// whose entity record (new name ids) is in `self.scratch`.
    fn add_article<W: Write>(
        &mut self,
        out: &mut W,
        key: &str,
        stamp: (u64, u64),
        title: &str,
        date: Option<&str>,
    ) -> std::io::Result<()> {
        let doc = u32::try_from(self.ndocs).map_err(|_| std::io::Error::other("too many files"))?;
        self.doc_head(key, stamp);
        let (title_words, para_starts, words) = std::mem::take(&mut self.ids);
        self.docs.uint(0);
        self.docs.str(title);
        match date {
            Some(d) => {
                self.docs.uint(1);
                self.docs.str(d);
            }
            None => self.docs.uint(0),
        }
        self.docs.uint(words.len() as u64);
        self.total_words += words.len() as u64;
        // The word record.
        let mut rec = Writer(Vec::with_capacity(words.len() * 2 + 16));
        rec.ids(title_words.iter().copied());
        rec.ids(para_starts.iter().copied());
        rec.ids(words.iter().copied());
        out.write_all(&rec.0)?;
        self.docs.uint(self.words_len);
        self.docs.uint(rec.0.len() as u64);
        self.docs.uint(u64::from(checksum(&rec.0) as u32));
        self.words_len += rec.0.len() as u64;
        // The entity record.
        self.docs.uint(self.ents.0.len() as u64);
        self.docs.uint(self.scratch.0.len() as u64);
        self.docs.uint(u64::from(checksum(&self.scratch.0) as u32));
        self.ents.0.extend_from_slice(&self.scratch.0);
        // The article lists of its terms: the article, then how often the
        // term is in its body and whether in its title (count << 1 | title).
        let mut here = std::mem::take(&mut self.here);
        here.clear();
        for (&t, title) in title_words
            .iter()
            .map(|t| (t, true))
            .chain(words.iter().map(|t| (t, false)))
        {
            let e = here.entry(t).or_insert((0, false));
            if title {
                e.1 = true;
            } else {
                e.0 += 1;
            }
        }
        for (&t, &(tf, title)) in &here {
            let t = t as usize;
            if t >= self.postings.len() {
                self.postings.resize_with(t + 1, Vec::new);
                self.last_doc.resize(t + 1, 0);
            }
            let last = self.last_doc[t];
            let delta = if last == 0 { doc } else { doc - (last - 1) };
            let mut p = Writer(std::mem::take(&mut self.postings[t]));
            p.uint(u64::from(delta));
            p.uint(u64::from(tf) << 1 | u64::from(title));
            self.postings[t] = p.0;
            self.last_doc[t] = doc + 1;
        }
        self.here = here;
        self.ids = (title_words, para_starts, words);
        Ok(())
    }

    fn add_parsed<W: Write>(
        &mut self,
        out: &mut W,
        key: &str,
        f: &ScannedFile,
        p: Parsed,
    ) -> std::io::Result<()> {
        let map: Vec<u32> = p.vocab.iter().map(|w| self.terms.intern(w)).collect();
        let (mut title, mut paras, mut words) = std::mem::take(&mut self.ids);
        title.clear();
        title.extend(p.title_words.iter().map(|&w| map[w as usize]));
        paras.clear();
        paras.extend_from_slice(&p.para_starts);
        words.clear();
        words.extend(p.words.iter().map(|&w| map[w as usize]));
        self.ids = (title, paras, words);
        let mut ents = Writer(std::mem::take(&mut self.scratch.0));
        ents.0.clear();
        ents.uint(p.entities.len() as u64);
        for e in &p.entities {
            let id = self.name_id(e.kind, &e.text);
            ents.uint(u64::from(id));
            ents.mentions(&e.mentions);
        }
        self.scratch = ents;
        self.add_article(out, key, (f.size, f.mtime_ns), &p.title, p.date.as_deref())
    }

    /// The old index's record `j`, renumbered into this build; `false` when
    /// it does not read back (the article is then read again).
    fn reuse<W: Write>(&mut self, out: &mut W, old: &Index, j: usize) -> std::io::Result<bool> {
        let d = old.doc(j);
        if let Some(failed) = &d.failed {
            let key = old.text(&d.path).to_owned();
            self.doc_head(&key, (d.size, d.mtime_ns));
            self.docs.uint(1);
            self.docs.str(old.text(failed));
            return Ok(true);
        }
        let (Some(words_rec), Some(ents_rec)) = (
            old.read_rec(Section::Words, d.words_rec),
            old.read_rec(Section::Ents, d.ents_rec),
        ) else {
            return Ok(false);
        };
        let (mut title, mut paras, mut words) = std::mem::take(&mut self.ids);
        let decoded = decode_words(&words_rec, old.nterms, &mut title, &mut paras, &mut words);
        let ents = decode_ents(&ents_rec, old.names.len(), true);
        let (Ok(()), Ok(ents)) = (decoded, ents) else {
            self.ids = (title, paras, words);
            return Ok(false);
        };
        for w in title.iter_mut().chain(words.iter_mut()) {
            let slot = &mut self.remap_terms[*w as usize];
            if *slot == u32::MAX {
                *slot = self.terms.intern(&self.old_terms[*w as usize]);
            }
            *w = *slot;
        }
        self.ids = (title, paras, words);
        let mut w = Writer(std::mem::take(&mut self.scratch.0));
        w.0.clear();
        w.uint(ents.len() as u64);
        for (name, _, mentions) in &ents {
            if self.remap_names[*name] == u32::MAX {
                let (kind, text) = &old.names[*name];
                self.remap_names[*name] = self.name_id(*kind, text);
            }
            w.uint(u64::from(self.remap_names[*name]));
            w.mentions(mentions);
        }
        self.scratch = w;
        let key = old.text(&d.path).to_owned();
        let title = old.text(&d.title).to_owned();
        let date = d.date.as_ref().map(|r| old.text(r).to_owned());
        self.add_article(out, &key, (d.size, d.mtime_ns), &title, date.as_deref())?;
        Ok(true)
    }

    /// The tables after the word records; returns the header.
    fn finish<W: Write + Seek>(
        self,
        out: &mut W,
        fingerprint: u64,
        root: &str,
    ) -> std::io::Result<Vec<u8>> {
        let mut spans = [Span::default(); SECTIONS];
        let mut at = HEADER_LEN as u64;
        spans[Section::Words as usize] = Span {
            off: at,
            len: self.words_len,
            sum: 0,
        };
        at += self.words_len;
        // The article lists, one after the other; the term table says
        // how long each is.
        let mut terms = Writer(Vec::new());
        terms.uint(self.terms.list.len() as u64);
        let mut postings = Writer(Vec::with_capacity(1 << 20));
        let mut plen = 0u64;
        for (t, word) in self.terms.list.iter().enumerate() {
            let p = self.postings.get(t).map(Vec::as_slice).unwrap_or_default();
            terms.str(word);
            terms.uint(p.len() as u64);
            terms.uint(u64::from(checksum(p) as u32));
            postings.0.extend_from_slice(p);
            if postings.0.len() >= 1 << 20 {
                out.write_all(&postings.0)?;
                plen += postings.0.len() as u64;
                postings.0.clear();
            }
        }
        out.write_all(&postings.0)?;
        plen += postings.0.len() as u64;
        spans[Section::Postings as usize] = Span {
            off: at,
            len: plen,
            sum: 0,
        };
        at += plen;
        let mut put = |out: &mut W, s: Section, bytes: &[u8], sum: bool| -> std::io::Result<()> {
            out.write_all(bytes)?;
            spans[s as usize] = Span {
                off: at,
                len: bytes.len() as u64,
                sum: if sum { checksum(bytes) } else { 0 },
            };
            at += bytes.len() as u64;
            Ok(())
        };
        put(out, Section::Ents, &self.ents.0, false)?;
        put(out, Section::Terms, &terms.0, true)?;
        let mut names = Writer(Vec::new());
        names.uint(self.name_list.len() as u64);
        for (kind, text) in &self.name_list {
            names.uint(kind_code(*kind));
            names.str(text);
        }
        put(out, Section::Names, &names.0, true)?;
        let mut docs = Writer(Vec::with_capacity(self.docs.0.len() + 20));
        docs.uint(self.ndocs);
        docs.uint(self.total_words);
        docs.0.extend_from_slice(&self.docs.0);
        put(out, Section::Docs, &docs.0, true)?;
        put(out, Section::Root, root.as_bytes(), true)?;
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&fingerprint.to_le_bytes());
        for s in &spans {
            for v in [s.off, s.len, s.sum] {
                header.extend_from_slice(&v.to_le_bytes());
            }
        }
        let sum = checksum(&header);
        header.extend_from_slice(&sum.to_le_bytes());
        debug_assert_eq!(header.len(), HEADER_LEN);
        Ok(header)
    }
}
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LibraryEntity {
    /// The fullest name it is mentioned by, the most frequent of those.
    pub text: String,
    pub kind: EntityKind,
    /// Articles that mention it.
    pub articles: usize,
    /// Mentions in all of them.
    pub mentions: usize,
}

/// An article mentioning an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityArticle {
    pub path: PathBuf,
    pub title: String,
    pub date: Option<String>,
    /// The mentions in the article's paragraphs, in reading order.
    pub mentions: Vec<Mention>,
}

type GroupKey = (EntityKind, String);

impl Index {
    /// Every entity record of the library: (article, name id, mentions),
    /// from the entity records alone (read in runs, not the words). u32s:
    /// at 100,000 articles there are millions.
    fn entity_records(&self) -> Vec<(u32, u32, u32)> {
        let list: Vec<usize> = (0..self.docs.len())
            .filter(|&d| self.doc(d).failed.is_none())
            .collect();
        let recs: Vec<Rec> = list.iter().map(|&d| self.doc(d).ents_rec).collect();
        let mut out = Vec::new();
        self.read_recs(Section::Ents, &recs, |k, bytes| {
            // An article whose record does not read back has no entities.
            match bytes.map(|b| decode_ents(b, self.names.len(), false)) {
                Some(Ok(es)) => out.extend(
                    es.into_iter()
                        .map(|(name, n, _)| (list[k] as u32, name as u32, n as u32)),
                ),
                Some(Err(Corrupt)) => self.mark_damaged(),
                None => {}
            }
        });
        out
    }

    /// The entities of article `d`: name id, number of mentions, and the
    /// mentions themselves when `mentions` is asked for.
    fn entities_of(
        &self,
        d: &DocMeta,
        mentions: bool,
    ) -> Result<Vec<(usize, usize, Vec<Mention>)>, Corrupt> {
        let bytes = self.read_rec(Section::Ents, d.ents_rec).ok_or(Corrupt)?;
        decode_ents(&bytes, self.names.len(), mentions).inspect_err(|_| self.mark_damaged())
    }

    /// Which library-wide group each name belongs to (an index into the
    /// returned keys): the folded name itself, or for a person's lone
    /// surname the full name that ends with it and is mentioned most (as
    /// [`Recognizer`] groups within one article: "السيسي" joins "عبد
    /// الفتاح السيسي").
    fn entity_groups(
        &self,
        recognizer: &Recognizer,
        records: &[(u32, u32, u32)],
    ) -> (Vec<usize>, Vec<GroupKey>) {
        let keys: Vec<GroupKey> = self
            .names
            .iter()
            .map(|(k, t)| (*k, fold_arabic(t).text))
            .collect();
        let mut counts: FxHashMap<&GroupKey, usize> = FxHashMap::default();
        for &(_, name, n) in records {
            *counts.entry(&keys[name as usize]).or_default() += n as usize;
        }
        // Surname → the most mentioned full name (then the first in order).
        let mut by_surname: FxHashMap<String, (usize, &String)> = FxHashMap::default();
        let mut persons: Vec<(&String, usize)> = counts
            .iter()
            .filter(|((k, _), _)| *k == EntityKind::Person)
            .map(|((_, t), &n)| (t, n))
            .collect();
        persons.sort();
        for (name, n) in persons {
            if let Some(surname) = recognizer.surname_of(name) {
                let slot = by_surname.entry(surname).or_insert((0, name));
                if n > slot.0 {
                    *slot = (n, name);
                }
            }
        }
        let mut groups: Vec<GroupKey> = Vec::new();
        let mut group_of: FxHashMap<GroupKey, usize> = FxHashMap::default();
        let of_name = keys
            .iter()
            .map(|key| {
                let group = match (key.0, by_surname.get(&key.1)) {
                    (EntityKind::Person, Some((_, full))) if **full != key.1 => {
                        (EntityKind::Person, (*full).clone())
                    }
                    _ => key.clone(),
                };
                *group_of.entry(group.clone()).or_insert_with(|| {
                    groups.push(group);
                    groups.len() - 1
                })
            })
            .collect();
        (of_name, groups)
    }

    /// Every entity of the library, most mentioned first (then in most
    /// articles, then by name).
    pub fn entities(&self, recognizer: &Recognizer) -> Vec<LibraryEntity> {
        let records = self.entity_records();
        let (of_name, groups) = self.entity_groups(recognizer, &records);
        struct Acc {
            articles: usize,
            mentions: usize,
            last_doc: usize,
            /// Mentions by name id.
            names: FxHashMap<usize, usize>,
        }
        let mut acc: Vec<Option<Acc>> = (0..groups.len()).map(|_| None).collect();
        for &(di, name, n) in &records {
            let (di, name, n) = (di as usize, name as usize, n as usize);
            let a = acc[of_name[name]].get_or_insert_with(|| Acc {
                articles: 0,
                mentions: 0,
                last_doc: usize::MAX,
                names: FxHashMap::default(),
            });
            if a.last_doc != di {
                a.articles += 1;
                a.last_doc = di;
            }
            a.mentions += n;
            *a.names.entry(name).or_default() += n;
        }
        let mut out: Vec<LibraryEntity> = acc
            .into_iter()
            .zip(groups)
            .filter_map(|(a, group)| {
                let a = a?;
                // The fullest name it is mentioned by, the most frequent of those.
                let text = a
                    .names
                    .into_iter()
                    .map(|(name, n)| (self.names[name].1.as_str(), n))
                    .max_by(|x, y| {
                        let words = |s: &str| s.split_whitespace().count();
                        (words(x.0), x.1)
                            .cmp(&(words(y.0), y.1))
                            .then_with(|| y.0.cmp(x.0))
                    })
                    .map(|(t, _)| t.to_owned())
                    .unwrap_or_else(|| group.1.clone());
                Some(LibraryEntity {
                    text,
                    kind: group.0,
                    articles: a.articles,
                    mentions: a.mentions,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then(b.articles.cmp(&a.articles))
                .then_with(|| a.text.cmp(&b.text))
                .then(a.kind.cmp(&b.kind))
        });
        out
    }

    /// The articles mentioning the entity `name` of `kind` (any name of its
    /// group: a surname finds the full name's articles too), newest first.
    pub fn articles_mentioning(
        &self,
        recognizer: &Recognizer,
        kind: EntityKind,
        name: &str,
    ) -> Vec<EntityArticle> {
        let records = self.entity_records();
        let (of_name, _) = self.entity_groups(recognizer, &records);
        let asked = (kind, fold_arabic(name.trim()).text);
        // The group of the name asked for, by any of its names.
        let Some(target) = self
            .names
            .iter()
            .enumerate()
            .find(|(_, (k, t))| *k == kind && fold_arabic(t).text == asked.1)
            .map(|(i, _)| of_name[i])
        else {
            return Vec::new();
        };
        let mut docs: Vec<usize> = records
            .iter()
            .filter(|r| of_name[r.1 as usize] == target)
            .map(|r| r.0 as usize)
            .collect();
        docs.dedup();
        let mut out: Vec<EntityArticle> = docs
            .into_iter()
            .filter_map(|di| {
                let d = self.doc(di);
                let mut mentions: Vec<Mention> = self
                    .entities_of(&d, true)
                    .ok()?
                    .into_iter()
                    .filter(|(name, _, _)| of_name[*name] == target)
                    .flat_map(|(_, _, ms)| ms)
                    .collect();
                if mentions.is_empty() {
                    return None;
                }
                mentions.sort_by_key(|m| (m.block, m.start));
                mentions.dedup();
                Some(EntityArticle {
                    path: self.root.join(self.text(&d.path)),
                    title: self.text(&d.title).to_owned(),
                    date: d.date.as_ref().map(|r| self.text(r).to_owned()),
                    mentions,
                })
            })
            .collect();
        // Newest first; undated last; then by title.
        out.sort_by(|a, b| {
            b.date
                .is_some()
                .cmp(&a.date.is_some())
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.title.cmp(&b.title))
        });
        out
    }
}

/// How long a second builder waits for the first one's lock.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

enum BuildLock {
    /// Ours until dropped.
    Held(std::fs::File),
    /// Another process held it and let it go: its index is on disk.
    Waited,
    /// Still held by another process after [`LOCK_WAIT`].
    Busy,
    /// No lock file (a read-only cache, which nobody can write either) or
    /// no locks on this file system: build as if alone.
    Unavailable,
}

/// The advisory lock beside the index file (`search-<hash>.lock`).
fn build_lock(cache_path: &Path, wait: bool) -> BuildLock {
    let path = cache_path.with_extension("lock");
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    else {
        return BuildLock::Unavailable;
    };
    let start = std::time::Instant::now();
    let mut waited = false;
    loop {
        match file.try_lock() {
            Ok(()) if waited => return BuildLock::Waited,
            Ok(()) => return BuildLock::Held(file),
            Err(std::fs::TryLockError::WouldBlock) if wait && start.elapsed() < LOCK_WAIT => {
                waited = true;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => return BuildLock::Busy,
            Err(std::fs::TryLockError::Error(_)) => return BuildLock::Unavailable,
        }
    }
}

// The file: MAGIC and the version, then varints and length-prefixed

// The file: a fixed header (MAGIC, the version, the rules' fingerprint,
// then offset, length and checksum of each section, then a checksum of
// the header), the word records (written first, as articles are read),
// the article lists of the terms, the entity records, then the tables:
// terms, entity names, articles, the folder. Numbers inside sections are
// varints, strings length-prefixed. Tables carry one checksum each, read
// whole at open; records are checked one by one when read, so a torn or
// edited file is noticed instead of misread.

/// A checksum 8 bytes a step (FNV-1a byte by byte was a tenth of a warm
/// search). Each step is a bijection of the state, so any one changed word
/// changes the sum; the length is mixed in for truncation.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn ids(&mut self, ids: impl ExactSizeIterator<Item = u32>) {
        self.uint(ids.len() as u64);
        for i in ids {
            self.uint(u64::from(i));
        }
    }
    fn mentions(&mut self, mentions: &[Mention]) {
        self.uint(mentions.len() as u64);
        for m in mentions {
            // 0 is the title, p + 1 paragraph p.
            self.uint(match m.block {
                Block::Title => 0,
                Block::Paragraph(p) => p as u64 + 1,
            });
            self.uint(m.start as u64);
            self.uint(m.end as u64);
        }
    }
}

fn kind_code(kind: EntityKind) -> u64 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
    }
}

/// The file does not parse.
#[derive(Debug)]
struct Corrupt;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn uint(&mut self) -> Result<u64, Corrupt> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or(Corrupt)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Corrupt)
    }
    fn len(&mut self) -> Result<usize, Corrupt> {
        let n = usize::try_from(self.uint()?).map_err(|_| Corrupt)?;
        // No count can exceed the bytes left: refuses absurd allocations.
        if n > self.bytes.len() - self.at {
            return Err(Corrupt);
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.len()?;
        let s = std::str::from_utf8(&self.bytes[self.at..self.at + n]).map_err(|_| Corrupt)?;
        self.at += n;
        Ok(s)
    }
    /// A string, as its range of the bytes (checked to be UTF-8 when
    /// `check`; bytes checked once need not be again).
    fn str_range(&mut self, check: bool) -> Result<Range<u32>, Corrupt> {
        let n = if check {
            self.str()?.len()
        } else {
            let n = self.len()?;
            self.at += n;
            n
        };
        let end = u32::try_from(self.at).map_err(|_| Corrupt)?;
        Ok(end - n as u32..end)
    }
    /// A list of ids below `limit` into `out` (cleared first).
    fn ids_into(&mut self, out: &mut Vec<u32>, limit: usize) -> Result<(), Corrupt> {
        let n = self.len()?;
        out.clear();
        out.reserve(n);
        for _ in 0..n {
            let v = self.uint()?;
            if v >= limit as u64 {
                return Err(Corrupt);
            }
            out.push(v as u32);
        }
        Ok(())
    }
    /// Where a record is, checked to lie inside its section.
    fn rec(&mut self, section: &Span) -> Result<Rec, Corrupt> {
        let at = self.uint()?;
        let len = u32::try_from(self.uint()?).map_err(|_| Corrupt)?;
        let sum = u32::try_from(self.uint()?).map_err(|_| Corrupt)?;
        if at
            .checked_add(u64::from(len))
            .is_none_or(|end| end > section.len)
        {
            return Err(Corrupt);
        }
        Ok(Rec { at, len, sum })
    }
}

/// One entry of the article table (`words`, `ents`: the sections its
/// records must lie in).
fn parse_doc(r: &mut Reader, words: &Span, ents: &Span, check: bool) -> Result<DocMeta, Corrupt> {
    let mut d = DocMeta {
        path: r.str_range(check)?,
        size: r.uint()?,
        mtime_ns: r.uint()?,
        ..DocMeta::default()
    };
    match r.uint()? {
        0 => {
            d.title = r.str_range(check)?;
            d.date = match r.uint()? {
                0 => None,
                1 => Some(r.str_range(check)?),
                _ => return Err(Corrupt),
            };
            d.words = u32::try_from(r.uint()?).map_err(|_| Corrupt)?;
            d.words_rec = r.rec(words)?;
            d.ents_rec = r.rec(ents)?;
        }
        1 => d.failed = Some(r.str_range(check)?),
        _ => return Err(Corrupt),
    }
    Ok(d)
}

fn le(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

impl Index {
    /// The index in `store`. `Ok(None)`: another version, other rules or
    /// another folder: rebuilt quietly. `Err`: the file is damaged. Only
    /// the header and the tables are read now.
    fn load(store: Store, rules: u64, root: &str) -> Result<Option<Index>, Corrupt> {
        let head = store.read(0, store.len().min(HEADER_LEN as u64))?;
        if head.len() < 16 || &head[..MAGIC.len()] != MAGIC {
            return Err(Corrupt);
        }
        // The version first: an older file has another layout.
        if le(&head, 8) != VERSION {
            return Ok(None);
        }
        if head.len() < HEADER_LEN || checksum(&head[..HEADER_LEN - 8]) != le(&head, HEADER_LEN - 8)
        {
            return Err(Corrupt);
        }
        if le(&head, 16) != rules {
            return Ok(None);
        }
        let mut sections = [Span::default(); SECTIONS];
        for (i, s) in sections.iter_mut().enumerate() {
            let at = 24 + i * 24;
            *s = Span {
                off: le(&head, at),
                len: le(&head, at + 8),
                sum: le(&head, at + 16),
            };
            if s.off.checked_add(s.len).is_none_or(|end| end > store.len()) {
                return Err(Corrupt);
            }
        }
        let table = |s: Section| -> Result<Vec<u8>, Corrupt> {
            let span = sections[s as usize];
            let bytes = store.read(span.off, span.len)?;
            if checksum(&bytes) != span.sum {
                return Err(Corrupt);
            }
            Ok(bytes)
        };
        debug_assert!(TABLES.contains(&Section::Root));
        if table(Section::Root)? != root.as_bytes() {
            return Ok(None);
        }
        let terms = table(Section::Terms)?;
        let names_bytes = table(Section::Names)?;
        let docs_bytes = table(Section::Docs)?;
        let mut index = Index {
            sections,
            ..Index::default()
        };
        // Terms: the lists must add up to the postings section.
        let mut r = Reader {
            bytes: &terms,
            at: 0,
        };
        index.nterms = r.len()?;
        let start = r.at;
        let mut plen = 0u64;
        for _ in 0..index.nterms {
            r.str()?;
            plen = plen.checked_add(r.uint()?).ok_or(Corrupt)?;
            u32::try_from(r.uint()?).map_err(|_| Corrupt)?;
        }
        if r.at != terms.len() || plen != sections[Section::Postings as usize].len {
            return Err(Corrupt);
        }
        // Kept without the count, for `for_each_term`.
        index.terms = terms;
        index.terms.drain(..start);
        let mut r = Reader {
            bytes: &names_bytes,
            at: 0,
        };
        for _ in 0..r.len()? {
            let kind = match r.uint()? {
                0 => EntityKind::Person,
                1 => EntityKind::Place,
                2 => EntityKind::Org,
                _ => return Err(Corrupt),
            };
            index.names.push((kind, r.str()?.to_owned()));
        }
        if r.at != names_bytes.len() {
            return Err(Corrupt);
        }
        let mut r = Reader {
            bytes: &docs_bytes,
            at: 0,
        };
        u32::try_from(docs_bytes.len()).map_err(|_| Corrupt)?;
        let ndocs = r.len()?;
        index.total_words = r.uint()?;
        index.docs.reserve(ndocs);
        let (words, ents) = (
            sections[Section::Words as usize],
            sections[Section::Ents as usize],
        );
        for _ in 0..ndocs {
            index.docs.push(u32::try_from(r.at).map_err(|_| Corrupt)?);
            if parse_doc(&mut r, &words, &ents, true)?.failed.is_none() {
                index.articles += 1;
            }
        }
        if r.at != docs_bytes.len() {
            return Err(Corrupt);
        }
        index.docs_bytes = docs_bytes;
        index.store = store;
        Ok(Some(index))
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse_query;
    use std::fs;

    fn library() -> (tempfile::TempDir, PathBuf, Dirs) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("lib");
        fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| fs::write(dir.join(name), text).unwrap();
        write(
            "a.txt",
            "زيارة إلى الإسكندرية\n\nوصل الوفد إلى الإسكندرية صباح اليوم.\n\nوقال المتحدث إن الزيارة ناجحة.\n",
        );
        write(
            "b.txt",
            "أخبار الاقتصاد\n\nارتفعت الأسعار في القاهرة.\n\nوفي الاسكندريه تراجعت الأسعار، وبالإسكندرية أيضاً.\n",
        );
        write(
            "c.txt",
            "الطقس\n\nأمطار غزيرة على السواحل الشمالية.\n\nالأسعار مستقرة في الأسواق الكبيرة.\n",
        );
        let dirs = Dirs::under(&tmp.path().join("home"));
        (tmp, dir, dirs)
    }

    fn none(_: usize, _: usize) {}

    fn titles(index: &Index, q: &str) -> Vec<String> {
        index
            .search(&parse_query(q).unwrap())
            .into_iter()
            .map(|r| r.title)
            .collect()
    }

    #[test]
    fn finds_folded_variants_and_clitics_title_first() {
        let (_tmp, dir, dirs) = library();
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(index.len(), 3);
        // Written three ways (with hamza, without, with و/ب in front).
        let found = titles(&index, "الاسكندرية");
        assert_eq!(found, ["زيارة إلى الإسكندرية", "أخبار الاقتصاد"]);
        // A word inside another is not a hit.
        assert!(titles(&index, "سكندرية").is_empty());
        // Every word must be there.
        assert_eq!(titles(&index, "الأسعار القاهرة"), ["أخبار الاقتصاد"]);
    }

    #[test]
    fn phrases_need_the_words_in_order_and_hits_map_to_text() {
        let (_tmp, dir, dirs) = library();
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(titles(&index, "\"تراجعت الأسعار\""), ["أخبار الاقتصاد"]);
        assert!(titles(&index, "\"الأسعار تراجعت\"").is_empty());
        let results = index.search(&parse_query("الإسكندرية").unwrap());
        let b = results.iter().find(|r| r.title == "أخبار الاقتصاد").unwrap();
        let article = crate::article::open(&b.path, &Rules::default()).unwrap();
        let paras: Vec<&str> = article.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let shown: Vec<&str> = b
            .ranges(&paras)
            .iter()
            .map(|h| &paras[h.paragraph][h.range.clone()])
            .collect();
        assert_eq!(shown, ["الاسكندريه", "وبالإسكندرية"]);
        let phrase = index.search(&parse_query("\"تراجعت الأسعار\"").unwrap());
        let h = phrase[0].ranges(&paras);
        assert_eq!(&paras[h[0].paragraph][h[0].range.clone()], "تراجعت الأسعار");
    }

    #[test]
    fn incremental_by_size_and_mtime() {
        let (_tmp, dir, dirs) = library();
        let calls = AtomicUsize::new(0);
        let count = |_: usize, total: usize| {
            assert_eq!(total, 3);
            calls.fetch_add(1, Ordering::Relaxed);
        };
        let (first, _) = Index::open(&dir, &dirs, &Rules::default(), &count);
        assert_eq!(first.indexed, 3);
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        let (warm, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!((warm.indexed, warm.len()), (0, 3), "{notes:?}");
        assert_eq!(titles(&warm, "الاسكندرية").len(), 2);
        fs::write(
            dir.join("c.txt"),
            "الطقس\n\nزار الوزير الإسكندرية أمس وتحدث طويلا.\n",
        )
        .unwrap();
        fs::remove_file(dir.join("a.txt")).unwrap();
        let (changed, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!((changed.indexed, changed.len()), (1, 2));
        assert_eq!(titles(&changed, "الاسكندرية"), ["أخبار الاقتصاد", "الطقس"]);
        assert!(titles(&changed, "أمطار").is_empty());
    }

    /// Overwrite bytes of the saved file in place (the open index reads
    /// the same file).
    fn spoil(path: &Path, at: u64, len: usize) {
        use std::os::unix::fs::FileExt;
        let f = fs::OpenOptions::new().write(true).open(path).unwrap();
        f.write_all_at(&vec![0xff; len], at).unwrap();
    }

    fn set_aside_count(dirs: &Dirs) -> usize {
        fs::read_dir(&dirs.cache)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".corrupt-")
            })
            .count()
    }

    #[test]
    fn a_corrupt_index_is_set_aside_and_rebuilt() {
        let (_tmp, dir, dirs) = library();
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        let path = Index::cache_path(&dir, &dirs);
        // A table: noticed when the file is opened.
        let docs = index.sections[Section::Docs as usize];
        spoil(&path, docs.off + docs.len / 2, 1);
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(index.indexed, 3);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("corrupt"), "{notes:?}");
        assert_eq!(set_aside_count(&dirs), 1);
        // Truncated: also noticed.
        let good = fs::read(&path).unwrap();
        fs::write(&path, &good[..good.len() - 3]).unwrap();
        let (_, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert!(notes.iter().any(|n| n.message.contains("corrupt")));
        assert_eq!(set_aside_count(&dirs), 2);
        // Cut in the header, or nothing but the magic: corrupt, no panic.
        for keep in [0, 8, 20, HEADER_LEN - 1] {
            Index::open(&dir, &dirs, &Rules::default(), &none);
            let good = fs::read(&path).unwrap();
            fs::write(&path, &good[..keep]).unwrap();
            let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
            assert_eq!(index.indexed, 3, "{keep}");
            assert!(
                notes.iter().any(|n| n.message.contains("corrupt")),
                "{keep}"
            );
        }
        // A word record: noticed by the search that reads it, which leaves
        // the article out and sets the file aside; the next open rebuilds.
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(index.indexed, 0, "{notes:?}");
        let b = (0..index.docs.len())
            .find(|&j| index.text(&index.doc(j).path) == "b.txt")
            .unwrap();
        let words = index.sections[Section::Words as usize];
        spoil(&path, words.off + index.doc(b).words_rec.at, 2);
        let before = set_aside_count(&dirs);
        assert_eq!(titles(&index, "الاسكندرية"), ["زيارة إلى الإسكندرية"]);
        assert!(index.damaged());
        assert_eq!(set_aside_count(&dirs), before + 1);
        let (again, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(again.indexed, 3);
        assert!(!again.damaged());
        assert_eq!(titles(&again, "الاسكندرية").len(), 2);
    }

    #[test]
    fn a_read_only_cache_still_searches_with_one_warning() {
        use std::os::unix::fs::PermissionsExt;
        let (_tmp, dir, dirs) = library();
        fs::create_dir_all(&dirs.cache).unwrap();
        fs::set_permissions(&dirs.cache, fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores permissions; nothing to test then.
        if fs::write(dirs.cache.join("probe"), b"x").is_ok() {
            return;
        }
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        fs::set_permissions(&dirs.cache, fs::Permissions::from_mode(0o755)).unwrap();
        let index_notes: Vec<_> = notes
            .iter()
            .filter(|n| n.message.contains("search index"))
            .collect();
        assert_eq!(index_notes.len(), 1, "{notes:?}");
        assert_eq!(titles(&index, "الاسكندرية").len(), 2);
    }

    #[test]
    fn an_incremental_build_equals_a_fresh_one_and_other_versions_are_rebuilt() {
        let (_tmp, dir, dirs) = library();
        let rec = Recognizer::builtin();
        let queries = ["الاسكندرية", "الأسعار", "\"تراجعت الأسعار\"", "أمطار"];
        Index::open(&dir, &dirs, &Rules::default(), &none);
        fs::write(
            dir.join("d.txt"),
            "خبر جديد\n\nزار الرئيس عبد الفتاح السيسي الإسكندرية وتحدث عن الأسعار.\n",
        )
        .unwrap();
        let (grown, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!((grown.indexed, grown.len()), (1, 4));
        let home2 = tempfile::tempdir().unwrap();
        let (fresh, _) = Index::open(&dir, &Dirs::under(home2.path()), &Rules::default(), &none);
        assert_eq!(fresh.indexed, 4);
        for q in queries {
            let q = parse_query(q).unwrap();
            assert_eq!(grown.search(&q), fresh.search(&q), "{q:?}");
        }
        assert_eq!(grown.entities(&rec), fresh.entities(&rec));
        assert_eq!(grown.terms(), fresh.terms());
        // Other rules or another folder: not this index (rebuilt quietly).
        let path = Index::cache_path(&dir, &dirs);
        let load = |rules: u64, root: &str| {
            let f = fs::File::open(&path).unwrap();
            let len = f.metadata().unwrap().len();
            Index::load(Store::File(f, len), rules, root)
        };
        let fp = le(&fs::read(&path).unwrap(), 16);
        let root = dir.to_string_lossy();
        assert!(load(fp, &root).unwrap().is_some());
        assert!(load(fp ^ 1, &root).unwrap().is_none());
        assert!(load(fp, "/elsewhere").unwrap().is_none());
        // An older version is rebuilt quietly, whatever its checksum.
        let mut older = fs::read(&path).unwrap();
        older[MAGIC.len()] = 4;
        assert!(Index::load(Store::Mem(older.clone()), fp, &root)
            .unwrap()
            .is_none());
        fs::write(&path, &older).unwrap();
        let (rebuilt, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(rebuilt.indexed, 4);
    }

    #[test]
    fn a_word_search_reads_only_the_articles_listed_under_its_terms() {
        let (_tmp, dir, dirs) = library();
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(titles(&index, "أمطار"), ["الطقس"]);
        // Spoil the words of every article but c.txt: the search still
        // finds c.txt, and reads nothing damaged, so it did not need to
        // read the others.
        let path = Index::cache_path(&dir, &dirs);
        let words = index.sections[Section::Words as usize];
        for d in (0..index.docs.len()).map(|j| index.doc(j)) {
            if index.text(&d.path) != "c.txt" {
                spoil(&path, words.off + d.words_rec.at, d.words_rec.len as usize);
            }
        }
        assert_eq!(titles(&index, "أمطار"), ["الطقس"]);
        assert!(!index.damaged());
        assert!(titles(&index, "الاسكندرية").is_empty());
        assert!(index.damaged());
    }

    #[test]
    fn the_top_results_are_the_first_of_all_with_their_hits() {
        let (_tmp, dir, dirs) = many(40);
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        for q in ["القاهرة", "\"الزيارة 17\"", "الوفد الأسعار", "برشلونة"]
        {
            let q = parse_query(q).unwrap();
            let all = index.search(&q);
            for limit in [1, 5, 100] {
                let (top, total) = index.search_top(&q, limit);
                assert_eq!(total, all.len(), "{q:?}");
                assert_eq!(top, all[..limit.min(all.len())], "{q:?} {limit}");
            }
        }
        let (top, _) = index.search_top(&parse_query("القاهرة").unwrap(), 3);
        assert!(top.iter().all(|r| r.hits.len() == 1), "{top:?}");
        // Ranked from the article lists (words) or the words (phrases),
        // with titles and folded variants: the same order and scores.
        let (_tmp, dir, dirs) = library();
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        for q in [
            "الاسكندرية",
            "الأسعار",
            "الأسعار الإسكندرية",
            "\"تراجعت الأسعار\"",
            "زيارة",
        ] {
            let q = parse_query(q).unwrap();
            let all = index.search(&q);
            assert!(!all.is_empty(), "{q:?}");
            for limit in [1, 2, 3] {
                let (top, total) = index.search_top(&q, limit);
                assert_eq!(total, all.len(), "{q:?}");
                assert_eq!(top, all[..limit.min(all.len())], "{q:?} {limit}");
            }
        }
    }

    #[test]
    fn unreadable_files_are_recorded_with_their_reason() {
        let (_tmp, dir, dirs) = library();
        fs::write(dir.join("empty.txt"), "  \n").unwrap();
        fs::write(dir.join("notes.pdf"), "x").unwrap();
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!((index.indexed, index.len()), (3, 3));
        let about =
            |notes: &[Note], name: &str| notes.iter().filter(|n| n.path.ends_with(name)).count();
        assert_eq!(about(&notes, "empty.txt"), 1, "{notes:?}");
        assert_eq!(about(&notes, "notes.pdf"), 1, "{notes:?}");
        // Warm: the same notes, nothing read again.
        let (warm, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!((warm.indexed, warm.len()), (0, 3));
        assert_eq!(about(&notes, "empty.txt"), 1, "{notes:?}");
        // Once it has words, it is read.
        fs::write(dir.join("empty.txt"), "عنوان\n\nأمطار في الصباح.\n").unwrap();
        let (grown, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!((grown.indexed, grown.len()), (1, 4));
        assert_eq!(titles(&grown, "أمطار").len(), 2);
    }

    #[test]
    fn entities_are_cached_and_merged_across_articles() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("lib");
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("one.txt"),
            "قمة في القاهرة\n\n2024-03-01\n\nاستقبل الرئيس المصري عبد الفتاح السيسي اليوم في القاهرة وفدا رسميا.\n",
        )
        .unwrap();
        fs::write(
            dir.join("two.txt"),
            "لقاء جديد\n\n2024-05-02\n\nوقال الرئيس السيسي إن المحادثات في القاهرة كانت مثمرة.\n",
        )
        .unwrap();
        let dirs = Dirs::under(&tmp.path().join("home"));
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        let rec = Recognizer::builtin();
        let all = index.entities(&rec);
        let sisi: Vec<_> = all.iter().filter(|e| e.text.contains("السيسي")).collect();
        assert_eq!(sisi.len(), 1, "{all:#?}");
        assert_eq!(sisi[0].text, "عبد الفتاح السيسي");
        assert_eq!((sisi[0].articles, sisi[0].mentions), (2, 2), "{all:#?}");
        let cairo = all.iter().find(|e| e.text == "القاهرة").expect("Cairo");
        assert_eq!((cairo.kind, cairo.articles), (EntityKind::Place, 2));
        // The surname alone finds both, newest first, with the offsets.
        let found = index.articles_mentioning(&rec, EntityKind::Person, "السيسي");
        let titles: Vec<&str> = found.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["لقاء جديد", "قمة في القاهرة"], "{found:#?}");
        let article = crate::article::open(&found[0].path, &Rules::default()).unwrap();
        let m = found[0].mentions[0];
        assert_eq!(
            &article.paragraphs[m.paragraph().unwrap()].text[m.start..m.end],
            "السيسي"
        );
        // Warm: the same from the saved file, nothing read again.
        let (warm, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(warm.indexed, 0);
        assert_eq!(warm.entities(&rec), all);
        assert!(index
            .articles_mentioning(&rec, EntityKind::Place, "برشلونة")
            .is_empty());
    }

    /// A library of `n` short articles, each naming its number.
    fn many(n: usize) -> (tempfile::TempDir, PathBuf, Dirs) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("lib");
        fs::create_dir_all(&dir).unwrap();
        for i in 0..n {
            fs::write(
                dir.join(format!("a{i:03}.txt")),
                format!("خبر رقم {i}\n\nوصل الوفد إلى القاهرة في الزيارة {i} وتحدث عن الأسعار.\n"),
            )
            .unwrap();
        }
        let dirs = Dirs::under(&tmp.path().join("home"));
        (tmp, dir, dirs)
    }

    #[test]
    fn two_builders_at_once_both_get_the_whole_index_and_one_good_file() {
        let (_tmp, dir, dirs) = many(80);
        let start = std::sync::Barrier::new(2);
        let (a, b) = std::thread::scope(|s| {
            let build = || {
                start.wait();
                Index::open(&dir, &dirs, &Rules::default(), &none)
            };
            let a = s.spawn(build);
            let b = s.spawn(build);
            (a.join().unwrap(), b.join().unwrap())
        });
        for (index, notes) in [&a, &b] {
            assert!(notes.is_empty(), "{notes:?}");
            assert_eq!(index.len(), 80);
            assert_eq!(titles(index, "القاهرة").len(), 80);
        }
        // One of them built it, the other read what the first wrote.
        assert_eq!(
            a.0.indexed + b.0.indexed,
            80,
            "{} {}",
            a.0.indexed,
            b.0.indexed
        );
        let (warm, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((warm.indexed, warm.len()), (0, 80));
        assert_eq!(titles(&warm, "\"الزيارة 17\""), ["خبر رقم 17"]);
    }

    #[test]
    fn a_builder_waits_for_the_lock_then_builds() {
        let (_tmp, dir, dirs) = many(5);
        let lock_path = Index::cache_path(&dir, &dirs).with_extension("lock");
        fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
        let held = fs::File::create(&lock_path).unwrap();
        held.lock().unwrap();
        std::thread::scope(|s| {
            let builder = s.spawn(|| Index::open(&dir, &dirs, &Rules::default(), &none));
            std::thread::sleep(std::time::Duration::from_millis(400));
            assert!(!builder.is_finished(), "built while the lock was held");
            drop(held);
            let (index, notes) = builder.join().unwrap();
            assert!(notes.is_empty(), "{notes:?}");
            assert_eq!((index.indexed, index.len()), (5, 5));
        });
        assert!(Index::cache_path(&dir, &dirs).exists());
    }

    #[test]
    fn files_deleted_or_rewritten_while_indexing_are_skipped_not_fatal() {
        let (_tmp, dir, dirs) = many(60);
        let first = std::sync::Once::new();
        // At the first article read, every file is deleted or rewritten.
        let meddle = |_: usize, _: usize| {
            first.call_once(|| {
                for i in 0..60 {
                    let path = dir.join(format!("a{i:03}.txt"));
                    if i % 2 == 0 {
                        let _ = fs::remove_file(&path);
                    } else {
                        let _ = fs::write(&path, "عنوان جديد\n\nنص آخر مختلف تماما عن الأمطار.\n");
                    }
                }
            })
        };
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &meddle);
        assert!(!notes.is_empty());
        for n in &notes {
            assert!(
                n.message.contains("changed or removed while indexing"),
                "{n}"
            );
        }
        // Every article is either in the index or has its note.
        assert_eq!(index.len() + notes.len(), 60, "{notes:?}");
        // The rewritten ones are read again next time, the deleted ones gone.
        let (again, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(again.len(), 30);
        assert_eq!(titles(&again, "الأمطار").len(), 30);
    }
}
