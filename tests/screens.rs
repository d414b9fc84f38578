//! Snapshot tests of every screen of the reader (ratatui TestBackend +
//! insta) at 120×36, 80×24 and 50×16, with the real layout engine, article
//! import and entity recognizer on the fixture library.

mod support;

use qari::article::Rules;
use qari::config::Config;
use qari::keymap::Key;
use qari::reader::library_index::LibraryIndex;
use qari::reader::loader::Entry;
use qari::reader::loader::{list_library, FsLoader, Loader};
use qari::reader::recognition::Recognition;
use qari::reader::State;
use qari::state::StateFile;
use qari::store::Dirs;
use qari::theme::Role;
use qari::theme::Theme;
use qari::ui::draw::{draw, style};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;

const SIZES: [(u16, u16); 3] = [(120, 36), (80, 24), (50, 16)];

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/library"
    ))
}

fn new_state(cache: &Path) -> State {
    support::reader_state(fixtures(), cache).with_library_index(LibraryIndex::new(
        fixtures().to_path_buf(),
        Dirs::under(cache),
        Rules::default(),
    ))
}

/// How long a test waits for an article's entities (found on the reader's
/// worker thread; the snapshots are of the screen once they are there).
const WAIT: std::time::Duration = std::time::Duration::from_secs(30);

fn keys(s: &mut State, names: &[&str]) {
    for n in names {
        s.handle_key(Key::parse(n).unwrap());
        assert!(s.wait_for_entities(WAIT), "entities never came");
    }
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        s.handle_key(Key::char(c));
    }
}

/// The screen as text, then where the highlights are: runs of cells with
/// the background of a search hit, the current hit or an entity mention,
/// and runs in the foreground colour and modifiers of a person, place or
/// organization (both recorded), with the text they cover.
fn render(s: &mut State, w: u16, h: u16) -> String {
    render_with(s, w, h, &Theme::dark())
}

fn render_with(s: &mut State, w: u16, h: u16, theme: &Theme) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, s, theme)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let marks = [
        (Role::SearchHit, "search hit"),
        (Role::SearchCurrent, "current"),
        (Role::Mention, "mention"),
    ];
    let mut highlights = Vec::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let bg = buf[(x, y)].bg;
            let found = marks
                .iter()
                .find(|(role, _)| style(theme.style(*role)).bg == Some(bg));
            if let Some((_, name)) = found {
                let mut text = String::new();
                let start = x;
                while x < w && buf[(x, y)].bg == bg {
                    text.push_str(buf[(x, y)].symbol());
                    x += 1;
                }
                highlights.push(format!(
                    "{name} row {y} cols {start}..{x}: {:?}",
                    text.trim()
                ));
            } else {
                x += 1;
            }
        }
    }
    let kinds = [
        (Role::Person, "person"),
        (Role::Place, "place"),
        (Role::Org, "org"),
    ];
    // A kind's cells: its foreground and exactly its modifiers (the focused
    // paragraph's background may lie under them).
    let kind_of = |x: u16, y: u16| {
        let cell = &buf[(x, y)];
        kinds.iter().find(|(role, _)| {
            let st = style(theme.style(*role));
            st.fg.unwrap_or(ratatui::style::Color::Reset) == cell.fg
                && st.add_modifier == cell.modifier
                && !cell.modifier.is_empty()
        })
    };
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let Some((role, name)) = kind_of(x, y) else {
                x += 1;
                continue;
            };
            let start = x;
            let mut text = String::new();
            while x < w && kind_of(x, y).is_some_and(|(r, _)| r == role) {
                text.push_str(buf[(x, y)].symbol());
                x += 1;
            }
            let cell = &buf[(start, y)];
            highlights.push(format!(
                "{name} row {y} cols {start}..{x} fg {:?} {:?}: {:?}",
                cell.fg,
                cell.modifier,
                text.trim()
            ));
        }
    }
    if !highlights.is_empty() {
        out.push_str("--- highlights\n");
        for h in highlights {
            out.push_str(&h);
            out.push('\n');
        }
    }
    out
}

/// Run `script` on a fresh state at each size and snapshot the screen.
fn screens(name: &str, script: impl Fn(&mut State)) {
    for (w, h) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut s = new_state(dir.path());
        s.resize(w, h);
        script(&mut s);
        let screen = render(&mut s, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn list() {
    screens("list", |_| {});
}

#[test]
fn reader() {
    screens("reader", |s| keys(s, &["Enter", "j", "j"]));
}

#[test]
fn entities() {
    // At 80×24 the sidebar is folded and `e` opens it; at 50×16 `e` shows
    // the entity screen. Moving into the list selects and highlights.
    screens("entities", |s| {
        keys(s, &["Enter"]);
        if !s.entities_visible() || s.narrow() {
            keys(s, &["e"]);
        }
        if !s.narrow() {
            keys(s, &["Tab"]);
        }
        keys(s, &["j", "j", "j"]);
    });
}

/// The reader with entities in 256, 16 and 8 colours and with NO_COLOR
/// (the mono theme): each kind keeps a colour and modifiers of its own.
#[test]
fn entity_kinds_at_each_colour_depth() {
    use qari::theme::ColorDepth;
    let (w, h) = (120, 36);
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_state(dir.path());
    s.resize(w, h);
    keys(&mut s, &["Enter", "j"]);
    for (name, theme) in [
        ("256", Theme::dark().for_depth(ColorDepth::Ansi256)),
        ("16", Theme::dark().for_depth(ColorDepth::Ansi16)),
        ("8", Theme::dark().for_depth(ColorDepth::Ansi8)),
        (
            "light_16",
            Theme::builtin("light")
                .unwrap()
                .for_depth(ColorDepth::Ansi16),
        ),
        (
            "no_color",
            Theme::builtin("mono").unwrap().for_depth(ColorDepth::None),
        ),
    ] {
        let screen = render_with(&mut s, w, h, &theme);
        let kinds: Vec<&str> = screen
            .lines()
            .skip_while(|l| *l != "--- highlights")
            .filter(|l| l.starts_with("person") || l.starts_with("place") || l.starts_with("org"))
            .collect();
        for kind in ["person", "place", "org"] {
            assert!(
                kinds.iter().any(|l| l.starts_with(kind)),
                "{name}: no {kind} on screen"
            );
        }
        insta::assert_snapshot!(format!("entity_kinds_{name}"), kinds.join("\n"));
    }
}

#[test]
fn entity_mentions_in_the_text() {
    screens("mentions", |s| {
        keys(s, &["Enter"]);
        if !s.entities_visible() || s.narrow() {
            keys(s, &["e"]);
        }
        if !s.narrow() {
            keys(s, &["Tab"]);
        }
        keys(s, &["j", "j", "j", "Enter", "n"]);
        // Enter also asks the library which other articles mention the
        // name: the screen once it has answered.
        assert!(s.wait_for_library(WAIT), "the index was never built");
    });
}

/// While the entities are being found the article is already there and
/// the sidebar says it is looking (here recognition is held back until the
/// screen has been taken).
#[test]
fn finding_names() {
    use qari::article::Article;
    use qari::entities::Entity;
    use qari::reader::loader::{FindEntities, Loader, Opened};
    use std::sync::mpsc::{channel, Receiver};
    use std::sync::{Arc, Mutex};

    struct Held(FsLoader, Arc<Gate>);
    struct Gate(Mutex<Receiver<()>>);
    impl Loader for Held {
        fn open(&self, path: &Path) -> Result<Opened, qari::article::OpenError> {
            self.0.open(path)
        }
        fn finder(&self) -> Arc<dyn FindEntities> {
            self.1.clone()
        }
    }
    impl FindEntities for Gate {
        fn find(&self, _: &Article) -> Vec<Entity> {
            let _ = self.0.lock().unwrap().recv();
            Vec::new()
        }
    }
    for (w, h) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs::under(dir.path());
        let (entries, _) = list_library(fixtures(), &dirs, &Rules::default());
        let (release, held) = channel();
        let loader = Held(
            FsLoader::new(None, Rules::default()).0,
            Arc::new(Gate(Mutex::new(held))),
        );
        let recognition = Recognition::new(loader.finder());
        let mut s = State::new(
            Config::defaults(),
            entries,
            StateFile::in_memory(),
            Box::new(loader),
            recognition,
        );
        s.resize(w, h);
        s.handle_key(Key::parse("Enter").unwrap());
        if !s.entities_visible() || s.narrow() {
            s.handle_key(Key::parse("e").unwrap());
        }
        assert!(s.awaiting_entities());
        let screen = render(&mut s, w, h);
        insta::assert_snapshot!(format!("finding_names_{w}x{h}"), screen);
        release.send(()).unwrap();
        assert!(s.wait_for_entities(WAIT));
        // Found (nothing, here): the sidebar says so instead.
        assert_ne!(render(&mut s, w, h), screen);
    }
}

#[test]
fn search() {
    screens("search", |s| {
        keys(s, &["Enter", "/"]);
        typed(s, "الاسكندريه");
        keys(s, &["Enter", "n"]);
    });
}

#[test]
fn search_prompt() {
    screens("search_prompt", |s| {
        keys(s, &["Enter", "/"]);
        typed(s, "المياه");
    });
}

#[test]
fn filter() {
    screens("filter", |s| {
        keys(s, &["/"]);
        typed(s, "المنتخب");
    });
}

/// Enter in the list's prompt: every article's text is searched, the
/// results take the list's place with their hit counts; Enter opens one on
/// its first hit.
#[test]
fn library_search() {
    screens("library_search", |s| {
        keys(s, &["/"]);
        typed(s, "مدينة");
        keys(s, &["Enter"]);
        assert!(s.wait_for_library(WAIT), "the index was never built");
        assert_eq!(s.results.as_ref().map(|r| r.items().len()), Some(2));
    });
    screens("library_search_open", |s| {
        keys(s, &["/"]);
        typed(s, "مدينة");
        keys(s, &["Enter"]);
        assert!(s.wait_for_library(WAIT), "the index was never built");
        keys(s, &["Enter"]);
    });
}

#[test]
fn help() {
    screens("help", |s| keys(s, &["?"]));
}

#[test]
fn bookmarks() {
    screens("bookmarks", |s| {
        keys(s, &["Enter", "j", "m", "j", "j", "m", "'"])
    });
}

#[test]
fn english_interface() {
    screens("english", |s| {
        s.config.lang = qari::config::LangPref::En;
        keys(s, &["Enter", "j"]);
    });
}

#[test]
fn too_small() {
    for (w, h) in [(39, 20), (80, 11)] {
        let dir = tempfile::tempdir().unwrap();
        let mut s = new_state(dir.path());
        let screen = render(&mut s, w, h);
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), screen);
    }
}

/// No cell of any screen holds a control, escape or bidi formatting
/// character, whatever the article says.
#[test]
fn no_control_characters_reach_the_buffer() {
    for (w, h) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut s = new_state(dir.path());
        for script in [
            &["Enter", "j"][..],
            &["Enter", "?"],
            &["Enter", "e", "Tab", "j"],
        ] {
            keys(&mut s, script);
            let screen = render(&mut s, w, h);
            for c in screen.chars() {
                assert!(
                    c == '\n'
                        || !(qari::text::is_stripped_control(c) || qari::text::is_bidi_format(c)),
                    "{c:?} on screen"
                );
            }
            keys(&mut s, &["Esc", "q"]);
        }
    }
}

/// Text that reaches the reader without going through the importer (a
/// loader of its own) still cannot put a control, escape or bidi formatting
/// character into a cell: the engine cleans titles, paragraphs, entity
/// names and the chrome alike.
#[test]
fn raw_escapes_in_the_model_never_reach_a_cell() {
    use qari::article::{Article, Paragraph};
    use qari::entities::{Block, Entity, EntityKind, Mention};
    use qari::reader::loader::{Entry, FindEntities, Loader, Opened};
    use qari::reader::recognition::Version;
    use std::sync::Arc;

    struct Hostile;
    const EVIL: &str = "\u{1b}]0;PWNED\u{7}\u{1b}]52;c;SGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}\u{200f}";
    impl Loader for Hostile {
        fn open(&self, path: &Path) -> Result<Opened, qari::article::OpenError> {
            let para = format!("قال {EVIL}الوزير إن الخطة جاهزة");
            Ok(Opened {
                article: Article {
                    path: path.to_path_buf(),
                    title: format!("عنوان {EVIL}خبيث"),
                    date: Some(format!("2024{EVIL}")),
                    section: Some(EVIL.into()),
                    source: Some(EVIL.into()),
                    paragraphs: vec![Paragraph::body(para.clone()), Paragraph::body(EVIL)],
                    ..Article::default()
                },
                version: Version::default(),
            })
        }
        fn finder(&self) -> Arc<dyn FindEntities> {
            Arc::new(Hostile)
        }
    }
    impl FindEntities for Hostile {
        fn find(&self, article: &Article) -> Vec<Entity> {
            let start = article.paragraphs[0].text.find("الوزير").unwrap();
            vec![Entity {
                text: format!("الوزير{EVIL}"),
                kind: EntityKind::Person,
                count: 1,
                mentions: vec![Mention {
                    block: Block::Paragraph(0),
                    start,
                    end: start + "الوزير".len(),
                }],
            }]
        }
    }
    for (w, h) in SIZES {
        let entry = Entry {
            path: "/hostile.txt".into(),
            title: format!("{EVIL}عنوان"),
            date: Some(EVIL.into()),
            section: Some(EVIL.into()),
            words: 3,
            title_derived: false,
        };
        let mut s = State::new(
            Config::defaults(),
            vec![entry],
            StateFile::in_memory(),
            Box::new(Hostile),
            Recognition::new(Hostile.finder()),
        );
        s.resize(w, h);
        let mut screens = vec![render(&mut s, w, h)];
        for script in [
            &["Enter", "j"][..],
            &["e", "Tab", "j"],
            &["/"],
            &["Esc", "'"],
            &["Esc", "?"],
        ] {
            keys(&mut s, script);
            if script == ["/"] {
                typed(&mut s, "\u{1b}]0;x\u{7}الوزير");
            }
            screens.push(render(&mut s, w, h));
        }
        for screen in screens {
            for c in screen.chars() {
                assert!(
                    c == '\n'
                        || !(qari::text::is_stripped_control(c) || qari::text::is_bidi_format(c)),
                    "{c:?} on screen at {w}x{h}:\n{screen}"
                );
            }
        }
    }
}

/// A body that arrived as one block is cut into reading units: `j` moves
/// the focus from unit to unit.
#[test]
fn one_block_article_moves_by_reading_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = new_state(dir.path());
    s.resize(80, 24);
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/scraped/sudan-one-block.txt"
    ));
    assert!(s.open_path(path));
    assert!(s.wait_for_entities(WAIT));
    let parts: Vec<Option<usize>> = s
        .doc
        .as_ref()
        .unwrap()
        .article
        .paragraphs
        .iter()
        .map(|p| p.part_of)
        .collect();
    assert_eq!(parts, [Some(0), Some(0)]);
    let first = render(&mut s, 80, 24);
    keys(&mut s, &["j"]);
    assert_eq!(s.doc.as_ref().unwrap().focused, 1);
    let second = render(&mut s, 80, 24);
    assert_ne!(first, second, "the focus did not move");
    insta::assert_snapshot!("one_block_80x24", first);
    insta::assert_snapshot!("one_block_j_80x24", second);
}

#[test]
fn a_title_cut_from_the_lead_is_in_italics_in_the_list() {
    let entry = |title: &str, derived: bool| Entry {
        path: format!("/{title}.txt").into(),
        title: title.into(),
        date: None,
        section: None,
        words: 3,
        title_derived: derived,
    };
    let (loader, _) = FsLoader::new(None, Rules::default());
    let recognition = Recognition::new(loader.finder());
    let mut s = State::new(
        Config::defaults(),
        vec![entry("Headline", false), entry("Lead", true)],
        StateFile::in_memory(),
        Box::new(loader),
        recognition,
    );
    s.resize(100, 30);
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    term.draw(|f| draw(f, &mut s, &Theme::dark())).unwrap();
    let buf = term.backend().buffer();
    // The cells showing a word, and whether all of them are italic.
    let italic = |word: &str| -> bool {
        for y in 0..30 {
            let row: String = (0..100).map(|x| buf[(x, y)].symbol().to_string()).collect();
            if let Some(at) = row.find(word) {
                let x0 = row[..at].chars().count() as u16;
                return (x0..x0 + word.len() as u16).all(|x| {
                    buf[(x, y)]
                        .modifier
                        .contains(ratatui::style::Modifier::ITALIC)
                });
            }
        }
        panic!("{word} not on screen");
    };
    assert!(italic("Lead"));
    assert!(!italic("Headline"));
}
