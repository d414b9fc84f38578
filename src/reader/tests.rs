//! Tests of the reader's core: keys to actions to state, with articles
//! built in memory and the stand-in layout (scrolling arithmetic only).

use super::doc::tests::fixed_layout;
use super::loader::{Entry, FindEntities, Loader, Opened};
use super::recognition::Version;
use super::*;
use crate::article::{Article, Paragraph};
use crate::entities::{Block, Entity, EntityKind, Mention};
use std::path::Path;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;

/// Articles built in memory; their entities are "found" by [`Canned`].
struct Memory {
    articles: Vec<Article>,
    finder: Arc<Canned>,
}

/// Entities by article path. With a gate, every call waits until the test
/// lets it through, so a test can look at the state in between.
struct Canned {
    entities: Vec<(PathBuf, Vec<Entity>)>,
    gate: Option<Mutex<Receiver<()>>>,
    /// The articles looked at, in order (as each look starts).
    calls: Mutex<Vec<PathBuf>>,
}

impl Canned {
    /// Wait until `n` looks have started.
    fn wait_started(&self, n: usize) {
        let deadline = std::time::Instant::now() + WAIT;
        while self.calls.lock().unwrap().len() < n {
            assert!(std::time::Instant::now() < deadline, "no look started");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

impl FindEntities for Canned {
    fn find(&self, article: &Article) -> Vec<Entity> {
        self.calls.lock().unwrap().push(article.path.clone());
        if let Some(gate) = &self.gate {
            let _ = gate.lock().unwrap().recv_timeout(WAIT);
        }
        self.entities
            .iter()
            .find(|(p, _)| *p == article.path)
            .map(|(_, e)| e.clone())
            .unwrap_or_default()
    }
}

impl Loader for Memory {
    fn open(&self, path: &Path) -> Result<Opened, crate::article::OpenError> {
        self.articles
            .iter()
            .find(|a| a.path == path)
            .map(|a| Opened {
                article: a.clone(),
                version: Version {
                    len: a.paragraphs.iter().map(|p| p.text.len() as u64).sum(),
                    modified: None,
                },
            })
            .ok_or_else(|| crate::article::OpenError::NotFound {
                path: path.to_path_buf(),
            })
    }

    fn finder(&self) -> Arc<dyn FindEntities> {
        self.finder.clone()
    }
}

fn article(title: &str, paras: &[&str]) -> Article {
    Article {
        title: title.into(),
        date: Some("2024-11-22".into()),
        paragraphs: paras.iter().map(|p| Paragraph::body(*p)).collect(),
        ..Article::default()
    }
}

/// The reader at 120x36 on `library`, its state in `dir/state`.
fn reader(dir: &Path, library: Vec<Entry>, loader: impl Loader + 'static) -> State {
    let (store, _) = StateFile::load(&dir.join("state"));
    let recognition = Recognition::new(loader.finder());
    let mut s = State::new(
        Config::defaults(),
        library,
        store,
        Box::new(loader),
        recognition,
    );
    s.resize(120, 36);
    s
}

fn setup(dir: &Path) -> State {
    setup_gated(dir, false).0
}

/// The reader on two articles ("a.txt" with a place, "b.txt" with none).
/// With `gated`, recognition waits for a message on the returned sender
/// before each article.
fn setup_gated(dir: &Path, gated: bool) -> (State, Option<Sender<()>>, Arc<Canned>) {
    let pa = dir.join("a.txt");
    let pb = dir.join("b.txt");
    let mut a = article(
        "زيارة الوزير",
        &["وصل الوزير إلى غزة", "ثم عاد إلى القاهرة", "وانتهت الزيارة"],
    );
    a.path = pa.clone();
    let gaza = a.paragraphs[0].text.find("غزة").unwrap();
    let mut b = article("Second story", &["One.", "Two."]);
    b.path = pb.clone();
    let entities = vec![Entity {
        text: "غزة".into(),
        kind: EntityKind::Place,
        count: 1,
        mentions: vec![Mention {
            block: Block::Paragraph(0),
            start: gaza,
            end: gaza + "غزة".len(),
        }],
    }];
    let library = vec![
        Entry {
            path: pa.clone(),
            title: a.title.clone(),
            date: a.date.clone(),
            section: None,
            words: 10,
            title_derived: false,
        },
        Entry {
            path: pb.clone(),
            title: b.title.clone(),
            date: None,
            section: None,
            words: 3,
            title_derived: false,
        },
    ];
    let (open, gate) = if gated {
        let (tx, rx) = mpsc::channel();
        (Some(tx), Some(Mutex::new(rx)))
    } else {
        (None, None)
    };
    let finder = Arc::new(Canned {
        entities: vec![(pa, entities), (pb, Vec::new())],
        gate,
        calls: Mutex::new(Vec::new()),
    });
    let loader = Memory {
        articles: vec![a, b],
        finder: finder.clone(),
    };
    let s = reader(dir, library, loader).with_layout_fn(fixed_layout);
    (s, open, finder)
}

fn visible(s: &State) -> Vec<usize> {
    s.list.visible().map(|(i, _)| i).collect()
}

const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Press keys; entities are waited for after each (they are found on a
/// thread, and these tests are about what happens once they are there).
fn keys(s: &mut State, names: &[&str]) {
    for n in names {
        s.handle_key(Key::parse(n).unwrap());
        assert!(s.wait_for_entities(WAIT), "entities never came");
    }
}

/// Press keys without waiting for anything.
fn press(s: &mut State, names: &[&str]) {
    for n in names {
        s.handle_key(Key::parse(n).unwrap());
    }
}

#[test]
fn open_move_back_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    assert_eq!(s.active_pane(), Pane::List);
    keys(&mut s, &["j", "k", "Enter"]);
    assert_eq!(s.active_pane(), Pane::Reader);
    assert_eq!(s.doc.as_ref().unwrap().article.title, "زيارة الوزير");
    keys(&mut s, &["j", "j"]);
    assert_eq!(s.doc.as_ref().unwrap().focused, 2);
    keys(&mut s, &["q"]);
    assert_eq!(s.active_pane(), Pane::List);
    assert!(!s.quit);
    // Reaching the end marked it read and the position was kept.
    assert!(s.is_read(0));
    keys(&mut s, &["Enter"]);
    assert_eq!(s.doc.as_ref().unwrap().focused, 2);
    keys(&mut s, &["q", "q"]);
    assert!(s.quit);
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["Enter", "j", "m"]);
    s.save().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["'"]);
    assert_eq!(s.bookmark_items().len(), 1);
    assert_eq!(s.bookmark_items()[0].bookmark.paragraph, 1);
    keys(&mut s, &["Enter"]);
    assert_eq!(s.doc.as_ref().unwrap().focused, 1);
    assert!(s.top_layer().is_none());
}

#[test]
fn filter_the_list_and_search_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["/", "s", "e", "c"]);
    assert_eq!(visible(&s), vec![1]);
    keys(&mut s, &["Enter"]);
    assert_eq!(s.prompt(), None);
    assert_eq!(s.list.filter(), "sec");
    keys(&mut s, &["Esc"]);
    assert_eq!(visible(&s), vec![0, 1]);
    // The filter kept the cursor on the second story; back to the first.
    keys(&mut s, &["g", "Enter", "/"]);
    for c in "القاهره".chars() {
        s.handle_key(Key::char(c));
    }
    keys(&mut s, &["Enter"]);
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.focused, 1);
    assert_eq!(doc.match_position(), Some((1, 1)));
    keys(&mut s, &["/", "x", "y", "z", "Enter"]);
    assert_eq!(s.message.as_ref().unwrap().text, "لا نتائج");
}

#[test]
fn entity_pane_selects_and_jumps() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["Enter", "G"]);
    assert!(s.entities_visible());
    keys(&mut s, &["Tab"]);
    assert_eq!(s.active_pane(), Pane::Entities);
    assert_eq!(
        s.side_rows(),
        vec![SideRow::Group(EntityKind::Place, 1), SideRow::Entity(0)]
    );
    keys(&mut s, &["Enter"]);
    assert_eq!(s.active_pane(), Pane::Reader);
    assert_eq!(s.doc.as_ref().unwrap().focused, 0);
    keys(&mut s, &["e"]);
    assert!(!s.entities_visible());
}

#[test]
fn narrow_screens_show_one_pane() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    s.resize(50, 16);
    let g = s.geometry();
    assert!(g.list.is_some() && g.reader.is_none());
    keys(&mut s, &["Enter"]);
    let g = s.geometry();
    assert!(g.list.is_none() && g.reader.is_some());
    keys(&mut s, &["e"]);
    assert!(s.geometry().entities.is_some());
    keys(&mut s, &["e", "q"]);
    assert!(s.geometry().list.is_some());
    s.resize(30, 10);
    assert!(s.geometry().too_small);
}

/// A note about the previous screen goes when another article opens; a
/// warning stays.
#[test]
fn opening_an_article_clears_a_note_but_not_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    s.note("مقالات تذكر القاهرة");
    keys(&mut s, &["Enter"]);
    assert!(s.doc.is_some());
    assert!(s.message.is_none());
    keys(&mut s, &["q"]);
    s.warn("تعذر الحفظ");
    keys(&mut s, &["j", "Enter"]);
    assert!(s.message.as_ref().is_some_and(|m| m.warning));
}

#[test]
fn open_failure_is_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    assert!(!s.open_path(Path::new("/nonexistent.txt")));
    assert!(s.message.as_ref().unwrap().warning);
    assert!(s.doc.is_none());
}

/// The article shows before its entities; they arrive later without moving
/// the reader, and reopening the article takes them from the cache.
#[test]
fn entities_arrive_later_without_moving_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, open, finder) = setup_gated(dir.path(), true);
    let open = open.unwrap();
    press(&mut s, &["Enter", "j"]);
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.article.title, "زيارة الوزير");
    assert_eq!(doc.entity_status, EntityStatus::Finding);
    assert!(s.awaiting_entities());
    assert!(s.side_rows().is_empty());
    let (focused, top) = (doc.focused, doc.top());
    assert_eq!(focused, 1);
    assert!(!s.receive_entities());

    open.send(()).unwrap();
    assert!(s.wait_for_entities(WAIT));
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.entity_status, EntityStatus::Found);
    assert_eq!(doc.entities[0].text, "غزة");
    assert_eq!((doc.focused, doc.top()), (focused, top));
    assert_eq!(s.active_pane(), Pane::Reader);
    assert_eq!(
        s.side_rows(),
        vec![SideRow::Group(EntityKind::Place, 1), SideRow::Entity(0)]
    );
    assert!(!s.awaiting_entities());

    // Reopened: from the cache, at once, no second look.
    press(&mut s, &["q", "Enter"]);
    assert_eq!(s.doc.as_ref().unwrap().entity_status, EntityStatus::Found);
    assert_eq!(s.side_rows().len(), 2);
    assert_eq!(finder.calls.lock().unwrap().len(), 1);
}

/// A result that arrives after the reader moved to another article is kept
/// for its own article but never shown on the other one.
#[test]
fn a_late_result_is_not_applied_to_another_article() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, open, finder) = setup_gated(dir.path(), true);
    let open = open.unwrap();
    // Open a (its recognition waits at the gate), then leave for b.
    press(&mut s, &["Enter"]);
    finder.wait_started(1);
    press(&mut s, &["q", "j", "Enter"]);
    assert_eq!(s.doc.as_ref().unwrap().article.title, "Second story");
    assert!(s.awaiting_entities());
    // a's result comes in while b is open: cached, not shown on b.
    open.send(()).unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while s.recognition.cached() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "a's result never came"
        );
        assert!(!s.receive_entities(), "a's result changed b's screen");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.entity_status, EntityStatus::Finding);
    assert!(doc.entities.is_empty() && s.side_rows().is_empty());
    // b's own (none) comes next.
    open.send(()).unwrap();
    assert!(s.wait_for_entities(WAIT));
    assert_eq!(s.doc.as_ref().unwrap().entity_status, EntityStatus::Found);
    assert!(s.side_rows().is_empty());
    // Back to a: its cached result, no third look.
    press(&mut s, &["q", "k", "Enter"]);
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.article.title, "زيارة الوزير");
    assert_eq!(doc.entity_status, EntityStatus::Found);
    assert_eq!(doc.entities.len(), 1);
    let calls = finder.calls.lock().unwrap().clone();
    assert_eq!(calls, [dir.path().join("a.txt"), dir.path().join("b.txt")]);
}

/// Keys still work while entities are being found: scrolling, the sidebar
/// (empty, saying it is looking) and quitting.
#[test]
fn nothing_waits_for_recognition() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _open, _) = setup_gated(dir.path(), true);
    press(&mut s, &["Enter", "j", "j", "Tab", "j", "n"]);
    assert!(s.awaiting_entities());
    assert_eq!(s.doc.as_ref().unwrap().focused, 2);
    assert_eq!(s.active_pane(), Pane::Entities);
    press(&mut s, &["Q"]);
    assert!(s.quit);
}

/// With the real file loader: an article is looked at once per version of
/// its file; an edited file (another size) is looked at again.
#[test]
fn an_edited_file_is_looked_at_again() {
    use super::loader::FsLoader;

    /// The file loader's import with a finder that names the first word.
    struct Files(FsLoader, Arc<FirstWord>);
    struct FirstWord(Mutex<usize>);
    impl Loader for Files {
        fn open(&self, path: &Path) -> Result<Opened, crate::article::OpenError> {
            self.0.open(path)
        }
        fn finder(&self) -> Arc<dyn FindEntities> {
            self.1.clone()
        }
    }
    impl FindEntities for FirstWord {
        fn find(&self, article: &Article) -> Vec<Entity> {
            *self.0.lock().unwrap() += 1;
            let text = &article.paragraphs[0].text;
            let word = text.split(' ').next().unwrap_or_default();
            vec![Entity {
                text: word.into(),
                kind: EntityKind::Place,
                count: 1,
                mentions: vec![Mention {
                    block: Block::Paragraph(0),
                    start: 0,
                    end: word.len(),
                }],
            }]
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "عنوان الخبر\n\nالقاهرة تستضيف المؤتمر\n").unwrap();
    let finder = Arc::new(FirstWord(Mutex::new(0)));
    let loader = Files(
        FsLoader::new(None, crate::article::Rules::default()).0,
        finder.clone(),
    );
    let mut s = reader(dir.path(), Vec::new(), loader);
    let names = |s: &State| -> Vec<String> {
        let doc = s.doc.as_ref().unwrap();
        doc.entities.iter().map(|e| e.text.clone()).collect()
    };
    assert!(s.open_path(&path));
    assert!(s.wait_for_entities(WAIT));
    assert_eq!(names(&s), ["القاهرة"]);
    // Unchanged: from the cache, no waiting.
    assert!(s.open_path(&path));
    assert!(!s.awaiting_entities());
    assert_eq!(*finder.0.lock().unwrap(), 1);
    // Edited: found again, for the new text.
    std::fs::write(&path, "عنوان الخبر\n\nدمشق تستضيف المؤتمر العام\n").unwrap();
    assert!(s.open_path(&path));
    assert!(s.awaiting_entities());
    assert!(s.wait_for_entities(WAIT));
    assert_eq!(names(&s), ["دمشق"]);
    assert_eq!(*finder.0.lock().unwrap(), 2);
}

#[test]
fn y_copies_the_paragraph_or_the_name_in_logical_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["Enter", "j", "y"]);
    assert_eq!(s.clipboard.take().as_deref(), Some("ثم عاد إلى القاهرة"));
    assert!(!s.message.as_ref().unwrap().warning);
    // The sidebar with nothing selected still copies the paragraph; with
    // a name selected, the name.
    keys(&mut s, &["Tab", "y"]);
    assert_eq!(s.active_pane(), Pane::Entities);
    assert_eq!(s.clipboard.take().as_deref(), Some("ثم عاد إلى القاهرة"));
    keys(&mut s, &["j", "y"]);
    assert_eq!(s.clipboard.take().as_deref(), Some("غزة"));
    s.config.clipboard = false;
    keys(&mut s, &["y"]);
    assert_eq!(s.clipboard, None);
    assert!(s
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("clipboard = false"));
}

#[test]
fn o_asks_for_the_source_address_only_when_there_is_a_web_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["Enter", "o"]);
    assert_eq!(s.open_request, None);
    let no_source = s.lang().text(crate::reader::i18n::Msg::NoSource);
    assert_eq!(s.message.as_ref().unwrap().text, no_source);
    let with_url = |url: &str, s: &mut State| {
        let doc = s.doc.as_mut().unwrap();
        let mut article = (*doc.article).clone();
        article.url = Some(url.into());
        doc.article = Arc::new(article);
    };
    with_url("https://example.com/news/1", &mut s);
    keys(&mut s, &["o"]);
    assert_eq!(
        s.open_request.take().as_deref(),
        Some("https://example.com/news/1")
    );
    // A scraped value that is no web address is never handed on.
    with_url("file:///etc/passwd", &mut s);
    keys(&mut s, &["o"]);
    assert_eq!(s.open_request, None);
}

#[test]
fn a_position_saved_before_reading_units_lands_in_the_same_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    // Paragraph 1 of the file was cut into three units at import.
    let mut a = article("خبر طويل", &["مقدمة", "أ.", "ب.", "ج.", "خاتمة", "تذييل"]);
    for p in &mut a.paragraphs[1..4] {
        p.part_of = Some(1);
    }
    a.path = path.clone();
    let key = crate::state::article_key(&path);
    let state_path = dir.path().join("state/reading.json");
    std::fs::create_dir_all(dir.path().join("state")).unwrap();
    {
        // Written by a build before units: 2 meant "خاتمة", 3 "تذييل".
        let old = format!(
            r#"{{"version":2,"articles":{{{}:{{"position":2,"position_at":5,"bookmarks":[{{"paragraph":3,"snippet":"تذييل"}}]}}}}}}"#,
            serde_json::to_string(&key).unwrap()
        );
        std::fs::write(&state_path, old).unwrap();
    }
    let open = |dir: &Path| {
        let finder = Arc::new(Canned {
            entities: Vec::new(),
            gate: None,
            calls: Mutex::new(Vec::new()),
        });
        let loader = Memory {
            articles: vec![a.clone()],
            finder,
        };
        let mut s = reader(dir, Vec::new(), loader).with_layout_fn(fixed_layout);
        assert!(s.open_path(&path));
        s
    };
    let mut s = open(dir.path());
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.article.paragraphs[doc.focused].text, "خاتمة");
    let marks: Vec<usize> = s
        .bookmark_items()
        .iter()
        .map(|b| b.bookmark.paragraph)
        .collect();
    assert_eq!(marks, vec![5]);
    s.save().unwrap();
    // Mapped once: opening again keeps it.
    let s = open(dir.path());
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.article.paragraphs[doc.focused].text, "خاتمة");
}

/// The reader on real files in `dir/lib` with the real loader and index.
fn library_reader(dir: &Path, files: &[(&str, &str)]) -> State {
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    for (name, text) in files {
        std::fs::write(lib.join(name), text).unwrap();
    }
    let dirs = crate::store::Dirs::under(&dir.join("xdg"));
    let rules = crate::article::Rules::default();
    let (entries, _) = loader::list_library(&lib, &dirs, &rules);
    let (fs, _) = loader::FsLoader::new(Some(&dirs), rules.clone());
    reader(dir, entries, fs).with_library_index(LibraryIndex::new(lib, dirs, rules))
}

fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        s.handle_key(Key::char(c));
    }
}

#[test]
fn enter_in_the_list_prompt_searches_every_article_and_opens_on_the_first_hit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = library_reader(
        dir.path(),
        &[
            (
                "a.txt",
                "معرض الكتاب يفتح أبوابه\n\nافتتح المعرض صباح اليوم.\n\nوتستمر الدورة في الإسكندرية أسبوعًا.\n\nوقال المنظمون إن زوار الإسكندرية كثر.\n",
            ),
            (
                "b.txt",
                "موسم الصيف\n\nازدحمت شواطئ الاسكندرية بالمصطافين.\n",
            ),
            ("c.txt", "أخبار الطقس\n\nأمطار خفيفة على العاصمة.\n"),
        ],
    );
    assert_eq!(s.list.visible_len(), 3);
    press(&mut s, &["/"]);
    // As typed, the prompt filters titles; no title has the word.
    type_text(&mut s, "الاسكندريه");
    assert_eq!(s.list.visible_len(), 0);
    press(&mut s, &["Enter"]);
    assert!(s.wait_for_library(WAIT), "the index was never built");
    let results = s
        .results
        .as_ref()
        .unwrap_or_else(|| panic!("no results: {:?}", s.message));
    let titles: Vec<&str> = results.items().iter().map(|r| r.title.as_str()).collect();
    // Both spellings (ranked by BM25: the short article's one hit may come
    // first); the filter is gone.
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(sorted, ["معرض الكتاب يفتح أبوابه", "موسم الصيف"]);
    let fair = titles.iter().position(|t| t.starts_with("معرض")).unwrap();
    let beach = 1 - fair;
    assert_eq!(results.items()[fair].count(), 2);
    assert_eq!(s.list.visible_len(), 3);
    for _ in 0..fair {
        press(&mut s, &["j"]);
    }
    press(&mut s, &["Enter"]);
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.article.title, "معرض الكتاب يفتح أبوابه");
    assert_eq!(doc.match_position(), Some((1, 2)));
    let first = doc.focused;
    let hit = &doc.search.as_ref().unwrap().hits[0];
    assert_eq!(
        &doc.article.paragraphs[hit.paragraph].text[hit.range.clone()],
        "الإسكندرية"
    );
    press(&mut s, &["n"]);
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.match_position(), Some((2, 2)));
    assert!(doc.focused > first);
    // Back: to the results, then to the whole list, then out.
    press(&mut s, &["q"]);
    assert_eq!(s.active_pane(), Pane::List);
    assert!(s.results.is_some());
    press(&mut s, &["g"]);
    for _ in 0..beach {
        press(&mut s, &["j"]);
    }
    press(&mut s, &["Enter"]);
    assert_eq!(s.doc.as_ref().unwrap().article.title, "موسم الصيف");
    press(&mut s, &["q", "q"]);
    assert!(s.results.is_none());
    assert!(!s.quit);
    assert_eq!(s.list.visible_len(), 3);
    // An article saved during the session is found once the index is old
    // enough to be opened again.
    std::fs::write(
        dir.path().join("lib/d.txt"),
        "رحلة بحرية\n\nأبحرت السفينة من الإسكندرية فجرًا.\n",
    )
    .unwrap();
    s.library_index.as_mut().unwrap().expire();
    press(&mut s, &["/"]);
    type_text(&mut s, "الإسكندرية");
    press(&mut s, &["Enter"]);
    assert!(s.wait_for_library(WAIT));
    let titles: Vec<&str> = s
        .results
        .as_ref()
        .unwrap()
        .items()
        .iter()
        .map(|r| r.title.as_str())
        .collect();
    assert!(titles.contains(&"رحلة بحرية"), "{titles:?}");
    assert_eq!(titles.len(), 3);
    press(&mut s, &["q"]);
    // A word no article has: a message, the list stays.
    press(&mut s, &["/"]);
    type_text(&mut s, "زلزال");
    press(&mut s, &["Enter"]);
    assert!(s.results.is_none());
    assert_eq!(s.message.as_ref().unwrap().text, "لا نتائج");
    press(&mut s, &["q"]);
    assert!(s.quit);
}

#[test]
fn enter_on_a_name_lists_the_other_articles_that_mention_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = library_reader(
        dir.path(),
        &[
            (
                "a.txt",
                "قمة في القاهرة\n\nاستقبل الرئيس المصري عبد الفتاح السيسي ضيوفه في القاهرة.\n\nوقال السيسي إن القمة ناجحة.\n",
            ),
            (
                "b.txt",
                "اتصال هاتفي\n\nتلقى الرئيس عبد الفتاح السيسي اتصالا من نظيره.\n",
            ),
            ("c.txt", "أخبار الطقس\n\nأمطار خفيفة على العاصمة.\n"),
        ],
    );
    let a = s
        .list
        .visible()
        .position(|(_, e)| e.title == "قمة في القاهرة")
        .unwrap();
    for _ in 0..a {
        press(&mut s, &["j"]);
    }
    keys(&mut s, &["Enter", "Tab"]);
    assert_eq!(s.active_pane(), Pane::Entities);
    let doc = s.doc.as_ref().unwrap();
    let sisi = doc
        .entities
        .iter()
        .position(|e| e.kind == EntityKind::Person && e.text.ends_with("السيسي"))
        .expect("the president is found");
    let row = s
        .side_rows()
        .iter()
        .position(|r| *r == SideRow::Entity(sisi))
        .unwrap();
    // The cursor starts on the first entity row.
    let first = s
        .side_rows()
        .iter()
        .position(|r| matches!(r, SideRow::Entity(_)))
        .unwrap();
    for _ in first..row {
        press(&mut s, &["j"]);
    }
    press(&mut s, &["Enter"]);
    // The reading pane jumped to the name at once, as before.
    assert_eq!(s.active_pane(), Pane::Reader);
    assert!(s.wait_for_library(WAIT));
    let results = s.results.as_ref().expect("the other articles");
    let titles: Vec<&str> = results.items().iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["اتصال هاتفي"], "the open article is not listed");
    // To the list and open it: the name is highlighted and n is on it.
    press(&mut s, &["q", "Enter"]);
    let doc = s.doc.as_ref().unwrap();
    assert_eq!(doc.article.title, "اتصال هاتفي");
    assert_eq!(doc.match_position(), Some((1, 1)));
    let hit = &doc.search.as_ref().unwrap().hits[0];
    assert!(doc.article.paragraphs[hit.paragraph].text[hit.range.clone()].ends_with("السيسي"));
}
