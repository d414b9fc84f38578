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
//! The file keeps, per term, the list of articles using it, so a search
//! decodes only the articles that can match; an article's words and
//! entities stay encoded in the file's bytes until a search or an entity
//! listing needs them (a warm open parses only the term and article
//! tables). Entities are stored as ids into one table of names, so the
//! library's entity list never decodes a mention.
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
use crate::store::{self, Dirs};
use crate::text::fold_arabic;
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A note from building the index (a file skipped, the cache set aside).
pub type BuildNote = Note;

const MAGIC: &[u8; 8] = b"QARIIDX\0";
/// 3: articles per term, a table of entity names, words decoded lazily.
/// 4: mentions carry their block (0 the title, p + 1 paragraph p).
const VERSION: u64 = 4;

/// One article while the index is built, its words as ids into
/// [`Terms`].
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

/// One article of a loaded index: what a result line needs, and where its
/// words and entities are in the file.
#[derive(Clone, Debug, Default)]
struct DocMeta {
    path: String,
    size: u64,
    mtime_ns: u64,
    title: String,
    date: Option<String>,
    words: u32,
    blob: Range<usize>,
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

/// The index of one library folder: the file's bytes (checksum checked)
/// and its article table.
#[derive(Debug, Default)]
pub struct Index {
    pub root: PathBuf,
    data: Vec<u8>,
    /// Term entries (word, then the articles using it) start here.
    terms_at: usize,
    nterms: usize,
    /// Entity names: kind and text as recognized.
    names: Vec<(EntityKind, String)>,
    docs: Vec<DocMeta>,
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
    doc: Doc,
    /// Words of this article, each once; `doc.words` index into it.
    vocab: Vec<String>,
}

fn parse_article(
    root: &Path,
    path: &Path,
    (size, mtime_ns): (u64, u64),
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
            size,
            mtime_ns,
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
    /// by reading the others (cleaned with `rules`) on all cores. `progress(done, total)` is called
    /// (from worker threads) as articles are read.
    ///
    /// One process builds a library's index at a time (two searches, the
    /// reader and a CLI): the other waits for its lock (up to
    /// [`LOCK_WAIT`]) and then reuses what it wrote, or past that builds
    /// its own in memory without saving it.
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
        let (library, mut notes) = Library::open(dir, dirs, rules);
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
        let old = match store::read_regular(&cache_path, store::MAX_STATE_BYTES) {
            Ok(bytes) => match Index::from_bytes(bytes, fingerprint, &root_key) {
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
        let mut old = old.unwrap_or_default();
        old.root = dir.to_path_buf();
        old.indexed = 0;

        // The listing decides which articles exist (and in which order);
        // a record is reused when the file's size and mtime are unchanged.
        // (Taken by the listing's scan, before any file is read: a file
        // changed while indexing is read again next time.)
        let stamps: Vec<Option<(u64, u64)>> = (0..library.entries.len())
            .map(|i| library.stamps.get(i).copied())
            .collect();
        let (slots, mut misses, removed) = {
            let mut by_path: FxHashMap<&str, usize> = old
                .docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.path.as_str(), i))
                .collect();
            let mut slots: Vec<Option<usize>> = Vec::with_capacity(library.entries.len());
            let mut misses = Vec::new();
            for (i, (e, stamp)) in library.entries.iter().zip(&stamps).enumerate() {
                let key = e.path.strip_prefix(dir).ok().and_then(Path::to_str);
                let reuse = key.and_then(|k| by_path.remove(k)).filter(|&j| {
                    let d = &old.docs[j];
                    *stamp == Some((d.size, d.mtime_ns))
                });
                if reuse.is_none() {
                    misses.push(i);
                }
                slots.push(reuse);
            }
            (slots, misses, !by_path.is_empty())
        };
        if misses.is_empty() && !removed && slots.len() == old.docs.len() {
            // Nothing changed: the file as it was read, still encoded.
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
                              this search indexes it in memory without saving"
                        .into(),
                });
                None
            }
            BuildLock::Unavailable => None,
        };

        // Reused records are decoded into the new term table; one that does
        // not decode is read again.
        let mut terms = Terms::default();
        let old_terms = old.term_list();
        let mut remap = vec![u32::MAX; old_terms.len()];
        let mut docs: Vec<Option<Doc>> = slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let d = slot.and_then(|j| old.doc_full(j, &old_terms, &mut remap, &mut terms));
                if slot.is_some() && d.is_none() {
                    misses.push(i);
                }
                d
            })
            .collect();
        drop(old_terms);
        let total = misses.len();
        // Loading the gazetteer and the tagger is a third of a warm search:
        // only a build that reads articles needs them.
        let recognizer = (total > 0).then(|| Recognizer::new(user));
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
                        let recognizer = recognizer.as_ref().expect("made when there are misses");
                        s.spawn(move || {
                            part.iter()
                                .map(|&i| {
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
                    let map: Vec<u32> = p.vocab.iter().map(|w| terms.intern(w)).collect();
                    let mut doc = p.doc;
                    for w in doc.words.iter_mut().chain(doc.title_words.iter_mut()) {
                        *w = map[*w as usize];
                    }
                    docs[i] = Some(doc);
                    read += 1;
                }
                None => notes.push(Note {
                    path: library.entries[i].path.clone(),
                    message: "changed or removed while indexing; left out of this search".into(),
                }),
            }
        }
        let docs: Vec<Doc> = docs.into_iter().flatten().collect();
        let bytes = encode(&docs, &terms.list, fingerprint, &root_key);
        drop((docs, terms));
        let written = if save {
            store::write_atomic(&cache_path, &bytes)
        } else {
            Ok(())
        };
        if let Err(e) = written {
            notes.push(Note {
                path: cache_path.clone(),
                message: format!(
                    "could not save the search index ({e}); searching without a saved index"
                ),
            });
        }
        drop(lock);
        let mut index = match Index::from_bytes(bytes, fingerprint, &root_key) {
            Ok(Some(index)) => index,
            // Only a bug in `encode` gets here; search nothing rather than fail.
            _ => {
                notes.push(Note {
                    path: cache_path,
                    message: "the search index just built does not read back; searching nothing"
                        .into(),
                });
                Index::default()
            }
        };
        index.root = dir.to_path_buf();
        index.indexed = read;
        (index, notes)
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
        self.nterms
    }

    fn reader(&self, at: Range<usize>) -> Reader<'_> {
        Reader {
            bytes: self.data.get(at.clone()).unwrap_or_default(),
            at: 0,
        }
    }

    /// Each term entry: the word and the bytes of its article list.
    fn for_each_term(&self, mut f: impl FnMut(usize, &str, &[u8])) {
        let mut r = Reader {
            bytes: &self.data,
            at: self.terms_at,
        };
        for t in 0..self.nterms {
            let (Ok(word), Ok(n)) = (r.str(), r.len()) else {
                return;
            };
            f(t, word, &r.bytes[r.at..r.at + n]);
            r.at += n;
        }
    }

    fn term_list(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.nterms);
        let data: &[u8] = &self.data;
        let mut r = Reader {
            bytes: data,
            at: self.terms_at,
        };
        for _ in 0..self.nterms {
            let (Ok(word), Ok(n)) = (r.str(), r.len()) else {
                break;
            };
            out.push(word);
            r.at += n;
        }
        out
    }

    /// The word lists of article `d` into the buffers (term ids checked).
    fn words_of(
        &self,
        d: &DocMeta,
        title: &mut Vec<u32>,
        paras: &mut Vec<u32>,
        words: &mut Vec<u32>,
    ) -> Result<(), Corrupt> {
        let mut r = self.reader(d.blob.clone());
        let skip = r.len()?;
        r.at += skip;
        r.ids_into(title, self.nterms)?;
        r.ids_into(paras, u32::MAX as usize)?;
        r.ids_into(words, self.nterms)?;
        if paras.windows(2).any(|w| w[0] > w[1])
            || paras.last().is_some_and(|&s| s as usize > words.len())
        {
            return Err(Corrupt);
        }
        Ok(())
    }

    /// The entities of article `d`: name id, number of mentions, and the
    /// mentions themselves when `mentions` is asked for.
    fn entities_of(
        &self,
        d: &DocMeta,
        mentions: bool,
    ) -> Result<Vec<(usize, usize, Vec<Mention>)>, Corrupt> {
        let mut r = self.reader(d.blob.clone());
        let len = r.len()?;
        r.bytes = &r.bytes[..r.at + len];
        let n = r.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.uint()? as usize;
            if name >= self.names.len() {
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
        Ok(out)
    }

    /// Article `j` decoded whole, its words renumbered into `terms`
    /// (`remap`: old id to new, filled as met).
    fn doc_full(
        &self,
        j: usize,
        old_terms: &[&str],
        remap: &mut [u32],
        terms: &mut Terms,
    ) -> Option<Doc> {
        let m = self.docs.get(j)?;
        let (mut title_words, mut para_starts, mut words) = (Vec::new(), Vec::new(), Vec::new());
        self.words_of(m, &mut title_words, &mut para_starts, &mut words)
            .ok()?;
        for w in words.iter_mut().chain(title_words.iter_mut()) {
            let slot = remap.get_mut(*w as usize)?;
            if *slot == u32::MAX {
                *slot = terms.intern(old_terms.get(*w as usize)?);
            }
            *w = *slot;
        }
        let entities = self
            .entities_of(m, true)
            .ok()?
            .into_iter()
            .map(|(name, count, mentions)| Entity {
                text: self.names[name].1.clone(),
                kind: self.names[name].0,
                count,
                mentions,
            })
            .collect();
        Some(Doc {
            path: m.path.clone(),
            size: m.size,
            mtime_ns: m.mtime_ns,
            title: m.title.clone(),
            date: m.date.clone(),
            title_words,
            words,
            para_starts,
            entities,
        })
    }

    /// Articles containing every term of `query`, best first: those with
    /// the whole query in the title, then by score (BM25 over the body, a
    /// bonus for each term in the title), then newest.
    pub fn search(&self, query: &Query) -> Vec<SearchResult> {
        // Each word of the query gets a bit; a term's mask says which
        // query words it is (with clitics in front). The articles listed
        // under a matching term are the only ones read.
        let words: Vec<&str> = query
            .terms
            .iter()
            .flat_map(|t| t.words().iter().map(String::as_str))
            .collect();
        let mut mask = vec![0u32; self.nterms];
        let mut cand = vec![false; self.docs.len()];
        let mut any = 0u32;
        self.for_each_term(|t, term, postings| {
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
            let mut r = Reader {
                bytes: postings,
                at: 0,
            };
            let mut doc = 0usize;
            while r.at < postings.len() {
                let Ok(delta) = r.uint() else { break };
                doc = doc.saturating_add(delta as usize);
                if let Some(c) = cand.get_mut(doc) {
                    *c = true;
                }
            }
        });
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
            hits: Vec<WordHit>,
        }
        let mut cands = Vec::new();
        let mut df = vec![0usize; nterms];
        let (mut title, mut paras, mut body) = (Vec::new(), Vec::new(), Vec::new());
        for (di, d) in self.docs.iter().enumerate() {
            if !cand[di] || self.words_of(d, &mut title, &mut paras, &mut body).is_err() {
                continue;
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
        let avg = self.docs.iter().map(|d| f64::from(d.words)).sum::<f64>() / n.max(1.0);
        let (k1, b) = (1.2, 0.75);
        let mut out: Vec<SearchResult> = cands
            .into_iter()
            .map(|c| {
                let d = &self.docs[c.doc];
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
                SearchResult {
                    path: self.root.join(&d.path),
                    title: d.title.clone(),
                    date: d.date.clone(),
                    score: (score * 1000.0).round() / 1000.0,
                    title_match: c.in_title.iter().all(|&t| t),
                    hits: c.hits,
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
    /// Every entity record of the library: (article, name id, mentions).
    fn entity_records(&self) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (di, d) in self.docs.iter().enumerate() {
            // An article whose record does not decode has no entities.
            if let Ok(es) = self.entities_of(d, false) {
                out.extend(es.into_iter().map(|(name, n, _)| (di, name, n)));
            }
        }
        out
    }

    /// Which library-wide group each name belongs to (an index into the
    /// returned keys): the folded name itself, or for a person's lone
    /// surname the full name that ends with it and is mentioned most (as
    /// [`Recognizer`] groups within one article: "السيسي" joins "عبد
    /// الفتاح السيسي").
    fn entity_groups(
        &self,
        recognizer: &Recognizer,
        records: &[(usize, usize, usize)],
    ) -> (Vec<usize>, Vec<GroupKey>) {
        let keys: Vec<GroupKey> = self
            .names
            .iter()
            .map(|(k, t)| (*k, fold_arabic(t).text))
            .collect();
        let mut counts: FxHashMap<&GroupKey, usize> = FxHashMap::default();
        for &(_, name, n) in records {
            *counts.entry(&keys[name]).or_default() += n;
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
            .filter(|r| of_name[r.1] == target)
            .map(|r| r.0)
            .collect();
        docs.dedup();
        let mut out: Vec<EntityArticle> = docs
            .into_iter()
            .filter_map(|di| {
                let d = &self.docs[di];
                let mut mentions: Vec<Mention> = self
                    .entities_of(d, true)
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
// strings: the rules' fingerprint and the folder; the terms, each with the
// articles using it (delta-coded); the entity names; the articles, each
// with its record (entities, then title, paragraph starts and words as
// term ids). Last, a checksum of everything before it (8 bytes,
// little-endian), so a torn or edited file is noticed instead of misread.

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
    fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

fn kind_code(kind: EntityKind) -> u64 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
    }
}

/// The file for `docs`, whose words are ids into `terms`. Terms are
/// renumbered in order of first use (unused ones dropped), so encoding a
/// decoded index gives the same bytes.
fn encode(docs: &[Doc], terms: &[String], rules: u64, root: &str) -> Vec<u8> {
    const UNUSED: u32 = u32::MAX;
    let mut map = vec![UNUSED; terms.len()];
    let mut order: Vec<usize> = Vec::new();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    let mut name_id: FxHashMap<(EntityKind, &str), u32> = FxHashMap::default();
    let mut names: Vec<(EntityKind, &str)> = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for &w in d.title_words.iter().chain(&d.words) {
            let slot = &mut map[w as usize];
            if *slot == UNUSED {
                *slot = order.len() as u32;
                order.push(w as usize);
                postings.push(Vec::new());
            }
            let p = &mut postings[*slot as usize];
            if p.last() != Some(&(di as u32)) {
                p.push(di as u32);
            }
        }
        for e in &d.entities {
            name_id.entry((e.kind, &e.text)).or_insert_with(|| {
                names.push((e.kind, &e.text));
                names.len() as u32 - 1
            });
        }
    }
    let mut w = Writer(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(MAGIC);
    w.uint(VERSION);
    w.uint(rules);
    w.str(root);
    w.uint(order.len() as u64);
    let mut p = Writer(Vec::new());
    for (&old, docs) in order.iter().zip(&postings) {
        w.str(&terms[old]);
        p.0.clear();
        let mut last = 0;
        for &d in docs {
            p.uint(u64::from(d - last));
            last = d;
        }
        w.bytes(&p.0);
    }
    w.uint(names.len() as u64);
    for (kind, text) in &names {
        w.uint(kind_code(*kind));
        w.str(text);
    }
    w.uint(docs.len() as u64);
    let mut blob = Writer(Vec::new());
    let mut ents = Writer(Vec::new());
    for d in docs {
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
        w.uint(d.words.len() as u64);
        ents.0.clear();
        ents.uint(d.entities.len() as u64);
        for e in &d.entities {
            ents.uint(u64::from(name_id[&(e.kind, e.text.as_str())]));
            ents.uint(e.mentions.len() as u64);
            for m in &e.mentions {
                // 0 is the title, p + 1 paragraph p.
                ents.uint(match m.block {
                    Block::Title => 0,
                    Block::Paragraph(p) => p as u64 + 1,
                });
                ents.uint(m.start as u64);
                ents.uint(m.end as u64);
            }
        }
        blob.0.clear();
        blob.bytes(&ents.0);
        blob.ids(d.title_words.iter().map(|&t| map[t as usize]));
        blob.ids(d.para_starts.iter().copied());
        blob.ids(d.words.iter().map(|&t| map[t as usize]));
        w.bytes(&blob.0);
    }
    let sum = checksum(&w.0);
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
}

impl Index {
    /// The index in `bytes` (a whole file). `Ok(None)`: another version,
    /// other rules or another folder: rebuilt quietly. `Err`: the file is
    /// damaged. Only the term and article tables are read now.
    fn from_bytes(mut bytes: Vec<u8>, rules: u64, root: &str) -> Result<Option<Index>, Corrupt> {
        if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(Corrupt);
        }
        // The version first: an older file has another layout (and sum).
        let mut r = Reader {
            bytes: &bytes,
            at: MAGIC.len(),
        };
        if r.uint()? != VERSION {
            return Ok(None);
        }
        let at = r.at;
        let body = bytes.len() - 8;
        if checksum(&bytes[..body]).to_le_bytes() != bytes[body..] {
            return Err(Corrupt);
        }
        bytes.truncate(body);
        let mut index = Index::default();
        let mut r = Reader { bytes: &bytes, at };
        if r.uint()? != rules || r.str()? != root {
            return Ok(None);
        }
        index.nterms = r.len()?;
        index.terms_at = r.at;
        for _ in 0..index.nterms {
            r.str()?;
            let n = r.len()?;
            r.at += n;
        }
        for _ in 0..r.len()? {
            let kind = match r.uint()? {
                0 => EntityKind::Person,
                1 => EntityKind::Place,
                2 => EntityKind::Org,
                _ => return Err(Corrupt),
            };
            index.names.push((kind, r.str()?.to_owned()));
        }
        let ndocs = r.len()?;
        index.docs.reserve(ndocs);
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
            let words = u32::try_from(r.uint()?).map_err(|_| Corrupt)?;
            let n = r.len()?;
            index.docs.push(DocMeta {
                path,
                size,
                mtime_ns,
                title,
                date,
                words,
                blob: r.at..r.at + n,
            });
            r.at += n;
        }
        if r.at != bytes.len() {
            return Err(Corrupt);
        }
        index.data = bytes;
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

    #[test]
    fn a_corrupt_index_is_set_aside_and_rebuilt() {
        let (_tmp, dir, dirs) = library();
        Index::open(&dir, &dirs, &Rules::default(), &none);
        let path = Index::cache_path(&dir, &dirs);
        let mut bytes = fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x55;
        fs::write(&path, &bytes).unwrap();
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
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
        let (_, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
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
        let (index, notes) = Index::open(&dir, &dirs, &Rules::default(), &none);
        fs::set_permissions(&dirs.cache, fs::Permissions::from_mode(0o755)).unwrap();
        let index_notes: Vec<_> = notes
            .iter()
            .filter(|n| n.message.contains("search index"))
            .collect();
        assert_eq!(index_notes.len(), 1, "{notes:?}");
        assert_eq!(titles(&index, "الاسكندرية").len(), 2);
    }

    /// Every article of `index` decoded whole, and its terms.
    fn decoded(index: &Index) -> (Vec<Doc>, Vec<String>) {
        let old_terms = index.term_list();
        let mut remap = vec![u32::MAX; old_terms.len()];
        let mut terms = Terms::default();
        let docs = (0..index.len())
            .map(|j| {
                index
                    .doc_full(j, &old_terms, &mut remap, &mut terms)
                    .unwrap()
            })
            .collect();
        (docs, terms.list)
    }

    #[test]
    fn the_file_round_trips() {
        let (_tmp, dir, dirs) = library();
        let (index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        let root = dir.to_string_lossy();
        let (docs, terms) = decoded(&index);
        assert_eq!(docs.len(), 3);
        assert!(docs.iter().all(|d| !d.words.is_empty()));
        assert!(docs.iter().any(|d| !d.entities.is_empty()));
        let bytes = encode(&docs, &terms, 7, &root);
        let back = Index::from_bytes(bytes.clone(), 7, &root).unwrap().unwrap();
        let (docs2, terms2) = decoded(&back);
        assert_eq!(docs2, docs);
        assert_eq!(terms2, terms);
        assert_eq!(encode(&docs2, &terms2, 7, &root), bytes);
        assert!(Index::from_bytes(bytes.clone(), 8, &root)
            .unwrap()
            .is_none());
        assert!(Index::from_bytes(bytes[..bytes.len() - 1].to_vec(), 7, &root).is_err());
        // An older version is rebuilt quietly, whatever its checksum.
        let mut older = bytes.clone();
        older[MAGIC.len()] = 2;
        assert!(Index::from_bytes(older, 7, &root).unwrap().is_none());
    }

    #[test]
    fn a_word_search_reads_only_the_articles_listed_under_its_terms() {
        let (_tmp, dir, dirs) = library();
        let (mut index, _) = Index::open(&dir, &dirs, &Rules::default(), &none);
        assert_eq!(titles(&index, "أمطار"), ["الطقس"]);
        // Spoil the words of every article but c.txt: the search still
        // finds c.txt, so it did not need to read the others.
        let c = index.docs.iter().position(|d| d.path == "c.txt").unwrap();
        for (i, d) in index.docs.clone().iter().enumerate() {
            if i != c {
                index.data[d.blob.clone()].fill(0xff);
            }
        }
        assert_eq!(titles(&index, "أمطار"), ["الطقس"]);
        assert!(titles(&index, "الاسكندرية").is_empty());
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
