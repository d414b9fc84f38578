//! The library search index: every article's folded words as term ids, in
//! reading order, plus its title words, in one compact file under the XDG
//! cache (`search-<hash of the folder>.bin`, beside the library cache).
//!
//! Why our own index rather than `tantivy`: the library is small by search
//! engine standards (tens of thousands of articles), matching needs the
//! reader's own folding and clitic rules, and a forward list of term ids per
//! article answers words, clitic variants and phrases with one linear scan
//! of a few megabytes. tantivy would add ~100 crates and a segment
//! directory per library for no gain at this size (see the README).
//!
//! The file is written with [`store::write_atomic`]; one that does not
//! parse (or whose checksum fails) is set aside with [`store::set_aside`]
//! and rebuilt. Articles are matched to their record by path, size and
//! modification time, so only new or changed files are read again. A cache
//! folder that cannot be written costs one warning: the index is then
//! built in memory for this search only.

use super::query::{matches_word, tokenize, Query};
use crate::article::{library::fnv1a, Library, Note, Rules};
use crate::entities::{Block, Entity, EntityKind, Mention, Recognizer, UserEntities};
use crate::store::{self, Dirs, FileStamp};
use crate::text::fold_arabic;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A note from building the index (a file skipped, the cache set aside).
pub type BuildNote = Note;

const MAGIC: &[u8; 8] = b"QARIIDX\0";
const VERSION: u64 = 3;

/// One article in the index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Doc {
    /// Relative to the library folder.
    path: String,
    size: u64,
    mtime_ns: u64,
    title: String,
    date: Option<String>,
    title_words: Vec<u32>,
    words: Vec<u32>,
    /// Index in `words` of each paragraph's first word.
    para_starts: Vec<u32>,
    /// The article's entities ([`Recognizer::recognize_article`]).
    entities: Vec<Entity>,
}

/// The index of one library folder.
#[derive(Debug, Default)]
pub struct Index {
    pub root: PathBuf,
    terms: Vec<String>,
    lookup: FxHashMap<String, u32>,
    docs: Vec<Doc>,
    /// Articles read this time (the rest came from the cache).
    pub indexed: usize,
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
        let mut out = Vec::new();
        let mut cached: Option<(usize, Vec<super::Token>)> = None;
        for h in &self.hits {
            let Some(text) = paragraphs.get(h.paragraph) else {
                continue;
            };
            if cached.as_ref().is_none_or(|(p, _)| *p != h.paragraph) {
                cached = Some((h.paragraph, tokenize(text)));
            }
            let toks = &cached.as_ref().expect("set above").1;
            let (Some(first), Some(last)) = (toks.get(h.word), toks.get(h.word + h.len - 1)) else {
                continue;
            };
            out.push(super::Hit {
                paragraph: h.paragraph,
                range: first.range.start..last.range.end,
            });
        }
        out
    }
}

/// An article read and tokenized, before its words become term ids.
struct Parsed {
    doc: Doc,
    /// Words of this article, each once; `doc.words` index into it.
    vocab: Vec<String>,
}

fn parse_article(
    root: &Path,
    path: &Path,
    stamp: FileStamp,
    rules: &Rules,
    recognizer: &Recognizer,
) -> Option<Parsed> {
    let imported = crate::article::open_named(path, rules).ok()?;
    let article = imported.article;
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
    Some(Parsed {
        doc: Doc {
            path: path.strip_prefix(root).ok()?.to_str()?.to_owned(),
            size: stamp.len(),
            mtime_ns: stamp.modified_ns(),
            title: article.title,
            date: article.date,
            title_words,
            words,
            para_starts,
            entities,
        },
        vocab,
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
    /// by reading the others on all cores. `progress(done, total)` is called
    /// (from worker threads) as articles are read.
    pub fn open(
        dir: &Path,
        dirs: &Dirs,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> (Index, Vec<BuildNote>) {
        let rules = Rules::active();
        let (library, mut notes) = Library::open_with(dir, dirs, rules);
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
        let recognizer = Recognizer::new(user);
        let cache_path = Index::cache_path(dir, dirs);
        let root_key = dir.to_string_lossy().into_owned();
        let old = match store::read_regular(&cache_path, store::MAX_STATE_BYTES) {
            Ok(bytes) => match decode(&bytes, fingerprint, &root_key) {
                Ok(index) => index,
                Err(Corrupt) => {
                    let message = match store::set_aside(&cache_path) {
                        Ok(to) => format!(
                            "the search index was corrupt; moved it to {} and rebuilt it",
                            to.display()
                        ),
                        Err(e) => format!(
                            "the search index was corrupt and could not be moved aside ({e}); rebuilt it"
                        ),
                    };
                    notes.push(Note {
                        path: cache_path.clone(),
                        message,
                    });
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                notes.push(Note {
                    path: cache_path.clone(),
                    message: format!("could not read the search index ({e}); rebuilding it"),
                });
                None
            }
        };
        let mut index = old.unwrap_or_default();
        index.root = dir.to_path_buf();
        let mut by_path: FxHashMap<String, Doc> = std::mem::take(&mut index.docs)
            .into_iter()
            .map(|d| (d.path.clone(), d))
            .collect();
        let had = by_path.len();

        // The listing decides which articles exist (and in which order);
        // a record is reused when the file's size and mtime are unchanged.
        let stamps: Vec<Option<FileStamp>> = library
            .entries
            .iter()
            .map(|e| FileStamp::of(&e.path))
            .collect();
        let mut slots: Vec<Option<Doc>> = Vec::with_capacity(library.entries.len());
        let mut misses = Vec::new();
        for (i, (e, stamp)) in library.entries.iter().zip(&stamps).enumerate() {
            let key = e.path.strip_prefix(dir).ok().and_then(Path::to_str);
            let reuse = key.and_then(|k| by_path.remove(k)).filter(|d| {
                stamp.is_some_and(|s| s.len() == d.size && s.modified_ns() == d.mtime_ns)
            });
            if reuse.is_none() {
                misses.push(i);
            }
            slots.push(reuse);
        }
        let removed = !by_path.is_empty();
        drop(by_path);
        let total = misses.len();
        let done = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 16);
        let parsed: Vec<(usize, Option<Parsed>)> = if total == 0 {
            Vec::new()
        } else {
            let chunk = total.div_ceil(threads).max(1);
            std::thread::scope(|s| {
                let handles: Vec<_> = misses
                    .chunks(chunk)
                    .map(|part| {
                        let (library, stamps, done) = (&library, &stamps, &done);
                        let recognizer = &recognizer;
                        s.spawn(move || {
                            part.iter()
                                .map(|&i| {
                                    // The stamp is taken before the read: a
                                    // file changed meanwhile is read again
                                    // next time.
                                    let p = stamps[i].and_then(|st| {
                                        parse_article(
                                            dir,
                                            &library.entries[i].path,
                                            st,
                                            rules,
                                            recognizer,
                                        )
                                    });
                                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                                    (i, p)
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        };
        let mut read = 0;
        for (i, p) in parsed {
            match p {
                Some(p) => {
                    let map: Vec<u32> = p.vocab.into_iter().map(|w| index.intern(w)).collect();
                    let mut doc = p.doc;
                    for w in doc.words.iter_mut().chain(doc.title_words.iter_mut()) {
                        *w = map[*w as usize];
                    }
                    slots[i] = Some(doc);
                    read += 1;
                }
                None => notes.push(Note {
                    path: library.entries[i].path.clone(),
                    message: "changed or removed while indexing; left out of this search".into(),
                }),
            }
        }
        index.docs = slots.into_iter().flatten().collect();
        index.indexed = read;
        if read > 0 || removed || index.docs.len() != had {
            index.compact();
            let bytes = encode(&index, fingerprint, &root_key);
            if let Err(e) = store::write_atomic(&cache_path, &bytes) {
                notes.push(Note {
                    path: cache_path,
                    message: format!(
                        "could not save the search index ({e}); searching without a saved index"
                    ),
                });
            }
        }
        (index, notes)
    }

    fn intern(&mut self, w: String) -> u32 {
        if let Some(&i) = self.lookup.get(&w) {
            return i;
        }
        let i = self.terms.len() as u32;
        self.terms.push(w.clone());
        self.lookup.insert(w, i);
        i
    }

    /// Drop the terms no article uses any more and renumber the rest.
    fn compact(&mut self) {
        const UNUSED: u32 = u32::MAX;
        let mut map = vec![UNUSED; self.terms.len()];
        let mut terms = Vec::new();
        for d in &mut self.docs {
            for w in d.words.iter_mut().chain(d.title_words.iter_mut()) {
                let slot = &mut map[*w as usize];
                if *slot == UNUSED {
                    *slot = terms.len() as u32;
                    terms.push(std::mem::take(&mut self.terms[*w as usize]));
                }
                *w = *slot;
            }
        }
        self.lookup = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        self.terms = terms;
    }

    /// Articles in the index.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Distinct words in the index.
    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    /// Articles containing every term of `query`, best first: those with
    /// the whole query in the title, then by score (BM25 over the body, a
    /// bonus for each term in the title), then newest.
    pub fn search(&self, query: &Query) -> Vec<SearchResult> {
        // Each word of the query gets a bit; a term's mask says which
        // query words it is (with clitics in front).
        let words: Vec<&str> = query
            .terms
            .iter()
            .flat_map(|t| t.words().iter().map(String::as_str))
            .collect();
        let mut mask = vec![0u32; self.terms.len()];
        let mut any = 0u32;
        for (t, m) in self.terms.iter().zip(mask.iter_mut()) {
            for (b, w) in words.iter().enumerate() {
                if matches_word(t, w) {
                    *m |= 1 << b;
                }
            }
            any |= *m;
        }
        if any == 0 {
            return Vec::new();
        }
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
        struct Cand {
            doc: usize,
            tf: Vec<u32>,
            in_title: Vec<bool>,
            hits: Vec<(u32, u32)>,
        }
        let mut cands = Vec::new();
        let mut df = vec![0usize; nterms];
        for (di, d) in self.docs.iter().enumerate() {
            if !d.words.iter().any(|&w| mask[w as usize] != 0)
                && !d.title_words.iter().any(|&w| mask[w as usize] != 0)
            {
                continue;
            }
            let mut tf = vec![0u32; nterms];
            let mut hits = Vec::new();
            for p in 0..d.words.len() {
                if mask[d.words[p] as usize] == 0 {
                    continue;
                }
                for (t, (n, term)) in tf.iter_mut().zip(&query.terms).enumerate() {
                    if at(&d.words, p, t) {
                        *n += 1;
                        hits.push((p as u32, term.words().len() as u32));
                    }
                }
            }
            let in_title: Vec<bool> = (0..nterms)
                .map(|t| (0..d.title_words.len()).any(|p| at(&d.title_words, p, t)))
                .collect();
            if (0..nterms).all(|t| tf[t] > 0 || in_title[t]) {
                for (df, &tf) in df.iter_mut().zip(&tf) {
                    if tf > 0 {
                        *df += 1;
                    }
                }
                cands.push(Cand {
                    doc: di,
                    tf,
                    in_title,
                    hits,
                });
            }
        }
        let n = self.docs.len() as f64;
        let avg = self.docs.iter().map(|d| d.words.len()).sum::<usize>() as f64 / n.max(1.0);
        let (k1, b) = (1.2, 0.75);
        let mut out: Vec<SearchResult> = cands
            .into_iter()
            .map(|c| {
                let d = &self.docs[c.doc];
                let len = d.words.len() as f64;
                let mut score = 0.0;
                for (t, &df) in df.iter().enumerate() {
                    let idf = ((n - df as f64 + 0.5) / (df as f64 + 0.5) + 1.0).ln();
                    let tf = f64::from(c.tf[t]);
                    score += idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / avg.max(1.0)));
                    if c.in_title[t] {
                        score += 2.0 * idf;
                    }
                }
                let hits = c
                    .hits
                    .iter()
                    .map(|&(p, len)| {
                        let para = d.para_starts.partition_point(|&s| s <= p).saturating_sub(1);
                        WordHit {
                            paragraph: para,
                            word: (p - d.para_starts.get(para).copied().unwrap_or(0)) as usize,
                            len: len as usize,
                        }
                    })
                    .collect();
                SearchResult {
                    path: self.root.join(&d.path),
                    title: d.title.clone(),
                    date: d.date.clone(),
                    score: (score * 1000.0).round() / 1000.0,
                    title_match: c.in_title.iter().all(|&t| t),
                    hits,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.title_match
                .cmp(&a.title_match)
                .then(b.score.total_cmp(&a.score))
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.path.cmp(&b.path))
        });
        out
    }
}

/// One entity across the library.
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
    /// Which library-wide group each (kind, folded name) belongs to: the
    /// name itself, or for a person's lone surname the full name that ends
    /// with it and is mentioned most (as [`Recognizer`] groups within one
    /// article: "السيسي" joins "عبد الفتاح السيسي").
    fn entity_groups(&self, recognizer: &Recognizer) -> FxHashMap<GroupKey, GroupKey> {
        let mut counts: FxHashMap<GroupKey, usize> = FxHashMap::default();
        for d in &self.docs {
            for e in &d.entities {
                *counts
                    .entry((e.kind, fold_arabic(&e.text).text))
                    .or_default() += e.mentions.len();
            }
        }
        // Surname → the most mentioned full name (then the first in order).
        let mut by_surname: FxHashMap<String, (usize, String)> = FxHashMap::default();
        let mut persons: Vec<(&String, usize)> = counts
            .iter()
            .filter(|((k, _), _)| *k == EntityKind::Person)
            .map(|((_, t), &n)| (t, n))
            .collect();
        persons.sort();
        for (name, n) in persons {
            if let Some(surname) = recognizer.surname_of(name) {
                let slot = by_surname
                    .entry(surname)
                    .or_insert_with(|| (0, name.clone()));
                if n > slot.0 {
                    *slot = (n, name.clone());
                }
            }
        }
        counts
            .into_keys()
            .map(|key| {
                let group = match (key.0, by_surname.get(&key.1)) {
                    (EntityKind::Person, Some((_, full))) if *full != key.1 => {
                        (EntityKind::Person, full.clone())
                    }
                    _ => key.clone(),
                };
                (key, group)
            })
            .collect()
    }

    /// Every entity of the library, most mentioned first (then in most
    /// articles, then by name).
    pub fn entities(&self, recognizer: &Recognizer) -> Vec<LibraryEntity> {
        let groups = self.entity_groups(recognizer);
        struct Acc {
            articles: usize,
            mentions: usize,
            last_doc: usize,
            /// Display names by (words, mentions).
            names: FxHashMap<String, usize>,
        }
        let mut acc: FxHashMap<&GroupKey, Acc> = FxHashMap::default();
        for (di, d) in self.docs.iter().enumerate() {
            for e in &d.entities {
                let key = (e.kind, fold_arabic(&e.text).text);
                let Some(group) = groups.get(&key) else {
                    continue;
                };
                let a = acc.entry(group).or_insert(Acc {
                    articles: 0,
                    mentions: 0,
                    last_doc: usize::MAX,
                    names: FxHashMap::default(),
                });
                if a.last_doc != di {
                    a.articles += 1;
                    a.last_doc = di;
                }
                a.mentions += e.mentions.len();
                *a.names.entry(e.text.clone()).or_default() += e.mentions.len();
            }
        }
        let mut out: Vec<LibraryEntity> = acc
            .into_iter()
            .map(|(group, a)| {
                let text = a
                    .names
                    .into_iter()
                    .max_by(|x, y| {
                        let words = |s: &str| s.split_whitespace().count();
                        (words(&x.0), x.1)
                            .cmp(&(words(&y.0), y.1))
                            .then_with(|| y.0.cmp(&x.0))
                    })
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| group.1.clone());
                LibraryEntity {
                    text,
                    kind: group.0,
                    articles: a.articles,
                    mentions: a.mentions,
                }
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
        let groups = self.entity_groups(recognizer);
        let asked = (kind, fold_arabic(name.trim()).text);
        let Some(target) = groups.get(&asked).cloned() else {
            return Vec::new();
        };
        let mut out: Vec<EntityArticle> = self
            .docs
            .iter()
            .filter_map(|d| {
                let mut mentions: Vec<Mention> = d
                    .entities
                    .iter()
                    .filter(|e| groups.get(&(e.kind, fold_arabic(&e.text).text)) == Some(&target))
                    .flat_map(|e| e.mentions.iter().copied())
                    .collect();
                if mentions.is_empty() {
                    return None;
                }
                mentions.sort_by_key(|m| (m.block, m.start));
                mentions.dedup();
                Some(EntityArticle {
                    path: self.root.join(&d.path),
                    title: d.title.clone(),
                    date: d.date.clone(),
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

// The file: MAGIC, then varints and length-prefixed strings, then the
// FNV-1a of everything before it (8 bytes, little-endian), so a torn or
// edited file is noticed instead of misread.

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
    fn ids(&mut self, ids: &[u32]) {
        self.uint(ids.len() as u64);
        for &i in ids {
            self.uint(u64::from(i));
        }
    }
}

fn encode(index: &Index, rules: u64, root: &str) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(MAGIC);
    w.uint(VERSION);
    w.uint(rules);
    w.str(root);
    w.uint(index.terms.len() as u64);
    for t in &index.terms {
        w.str(t);
    }
    w.uint(index.docs.len() as u64);
    for d in &index.docs {
        w.str(&d.path);
        w.uint(d.size);
        w.uint(d.mtime_ns);
        w.str(&d.title);
        match &d.date {
            Some(s) => {
                w.uint(1);
                w.str(s);
            }
            None => w.uint(0),
        }
        w.ids(&d.title_words);
        w.ids(&d.para_starts);
        w.ids(&d.words);
        w.uint(d.entities.len() as u64);
        for e in &d.entities {
            w.uint(match e.kind {
                EntityKind::Person => 0,
                EntityKind::Place => 1,
                EntityKind::Org => 2,
            });
            w.str(&e.text);
            w.uint(e.mentions.len() as u64);
            for m in &e.mentions {
                // 0 is the title, p + 1 paragraph p.
                w.uint(match m.block {
                    Block::Title => 0,
                    Block::Paragraph(p) => p as u64 + 1,
                });
                w.uint(m.start as u64);
                w.uint(m.end as u64);
            }
        }
    }
    let sum = fnv1a(&w.0);
    w.0.extend_from_slice(&sum.to_le_bytes());
    w.0
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
    fn ids(&mut self, limit: usize) -> Result<Vec<u32>, Corrupt> {
        let n = self.len()?;
        (0..n)
            .map(|_| {
                let v = self.uint()?;
                if v as usize >= limit {
                    return Err(Corrupt);
                }
                Ok(v as u32)
            })
            .collect()
    }
}

/// `Ok(None)`: another version, other rules or another folder: rebuilt
/// quietly. `Err`: the file is damaged.
fn decode(bytes: &[u8], rules: u64, root: &str) -> Result<Option<Index>, Corrupt> {
    if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Corrupt);
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if fnv1a(body).to_le_bytes() != sum {
        return Err(Corrupt);
    }
    let mut r = Reader {
        bytes: body,
        at: MAGIC.len(),
    };
    if r.uint()? != VERSION || r.uint()? != rules || r.str()? != root {
        return Ok(None);
    }
    let nterms = r.len()?;
    let mut index = Index::default();
    for _ in 0..nterms {
        let t = r.str()?.to_owned();
        index.intern(t);
    }
    if index.terms.len() != nterms {
        return Err(Corrupt);
    }
    let ndocs = r.len()?;
    for _ in 0..ndocs {
        let path = r.str()?.to_owned();
        let size = r.uint()?;
        let mtime_ns = r.uint()?;
        let title = r.str()?.to_owned();
        let date = match r.uint()? {
            0 => None,
            1 => Some(r.str()?.to_owned()),
            _ => return Err(Corrupt),
        };
        let title_words = r.ids(nterms)?;
        let para_starts = r.ids(u32::MAX as usize)?;
        let words = r.ids(nterms)?;
        if para_starts.windows(2).any(|w| w[0] > w[1])
            || para_starts
                .last()
                .is_some_and(|&s| s as usize > words.len())
        {
            return Err(Corrupt);
        }
        let mut entities = Vec::new();
        for _ in 0..r.len()? {
            let kind = match r.uint()? {
                0 => EntityKind::Person,
                1 => EntityKind::Place,
                2 => EntityKind::Org,
                _ => return Err(Corrupt),
            };
            let text = r.str()?.to_owned();
            let n = r.len()?;
            let mentions = (0..n)
                .map(|_| {
                    Ok(Mention {
                        block: match r.uint()? {
                            0 => Block::Title,
                            p => Block::Paragraph(usize::try_from(p - 1).map_err(|_| Corrupt)?),
                        },
                        start: r.uint()? as usize,
                        end: r.uint()? as usize,
                    })
                })
                .collect::<Result<Vec<_>, Corrupt>>()?;
            entities.push(Entity {
                text,
                kind,
                count: n,
                mentions,
            });
        }
        index.docs.push(Doc {
            entities,
            path,
            size,
            mtime_ns,
            title,
            date,
            title_words,
            words,
            para_starts,
        });
    }
    if r.at != body.len() {
        return Err(Corrupt);
    }
    Ok(Some(index))
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
        let (index, notes) = Index::open(&dir, &dirs, &none);
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
        let (index, _) = Index::open(&dir, &dirs, &none);
        assert_eq!(titles(&index, "\"تراجعت الأسعار\""), ["أخبار الاقتصاد"]);
        assert!(titles(&index, "\"الأسعار تراجعت\"").is_empty());
        let results = index.search(&parse_query("الإسكندرية").unwrap());
        let b = results.iter().find(|r| r.title == "أخبار الاقتصاد").unwrap();
        let article = crate::article::open(&b.path).unwrap();
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
        let (first, _) = Index::open(&dir, &dirs, &count);
        assert_eq!(first.indexed, 3);
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        let (warm, notes) = Index::open(&dir, &dirs, &none);
        assert_eq!((warm.indexed, warm.len()), (0, 3), "{notes:?}");
        assert_eq!(titles(&warm, "الاسكندرية").len(), 2);
        fs::write(
            dir.join("c.txt"),
            "الطقس\n\nزار الوزير الإسكندرية أمس وتحدث طويلا.\n",
        )
        .unwrap();
        fs::remove_file(dir.join("a.txt")).unwrap();
        let (changed, _) = Index::open(&dir, &dirs, &none);
        assert_eq!((changed.indexed, changed.len()), (1, 2));
        assert_eq!(titles(&changed, "الاسكندرية"), ["أخبار الاقتصاد", "الطقس"]);
        assert!(titles(&changed, "أمطار").is_empty());
    }

    #[test]
    fn a_corrupt_index_is_set_aside_and_rebuilt() {
        let (_tmp, dir, dirs) = library();
        Index::open(&dir, &dirs, &none);
        let path = Index::cache_path(&dir, &dirs);
        let mut bytes = fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x55;
        fs::write(&path, &bytes).unwrap();
        let (index, notes) = Index::open(&dir, &dirs, &none);
        assert_eq!(index.indexed, 3);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("corrupt"), "{notes:?}");
        let aside = fs::read_dir(&dirs.cache)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".corrupt-")
            })
            .count();
        assert_eq!(aside, 1);
        // Truncated: also noticed.
        let good = fs::read(&path).unwrap();
        fs::write(&path, &good[..good.len() - 3]).unwrap();
        let (_, notes) = Index::open(&dir, &dirs, &none);
        assert!(notes.iter().any(|n| n.message.contains("corrupt")));
        assert_eq!(titles(&index, "الاسكندرية").len(), 2);
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
        let (index, notes) = Index::open(&dir, &dirs, &none);
        fs::set_permissions(&dirs.cache, fs::Permissions::from_mode(0o755)).unwrap();
        let index_notes: Vec<_> = notes
            .iter()
            .filter(|n| n.message.contains("search index"))
            .collect();
        assert_eq!(index_notes.len(), 1, "{notes:?}");
        assert_eq!(titles(&index, "الاسكندرية").len(), 2);
    }

    #[test]
    fn the_file_round_trips() {
        let (_tmp, dir, dirs) = library();
        let (index, _) = Index::open(&dir, &dirs, &none);
        let root = dir.to_string_lossy();
        let bytes = encode(&index, 7, &root);
        let back = decode(&bytes, 7, &root).unwrap().unwrap();
        assert_eq!(back.docs, index.docs);
        assert_eq!(back.terms, index.terms);
        assert!(decode(&bytes, 8, &root).unwrap().is_none());
        assert!(decode(&bytes[..bytes.len() - 1], 7, &root).is_err());
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
        let (index, _) = Index::open(&dir, &dirs, &none);
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
        let article = crate::article::open(&found[0].path).unwrap();
        let m = found[0].mentions[0];
        assert_eq!(
            &article.paragraphs[m.paragraph().unwrap()].text[m.start..m.end],
            "السيسي"
        );
        // Warm: the same from the saved file, nothing read again.
        let (warm, _) = Index::open(&dir, &dirs, &none);
        assert_eq!(warm.indexed, 0);
        assert_eq!(warm.entities(&rec), all);
        assert!(index
            .articles_mentioning(&rec, EntityKind::Place, "برشلونة")
            .is_empty());
    }
}
