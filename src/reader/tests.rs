//! Tests of the reader's core: keys to actions to state, with articles
//! built in memory and the stand-in layout (scrolling arithmetic only).

use super::doc::tests::fixed_layout;
use super::loader::{Entry, Loader, Opened};
use super::*;
use crate::article::{Article, Paragraph};
use crate::entities::{Entity, EntityKind, Mention};
use std::path::Path;

struct Memory(Vec<(PathBuf, Opened)>);

impl Loader for Memory {
    fn open(&self, path: &Path) -> Result<Opened, String> {
        self.0
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, o)| o.clone())
            .ok_or_else(|| format!("cannot open {}", path.display()))
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

fn setup(dir: &Path) -> State {
    let a = article(
        "زيارة الوزير",
        &["وصل الوزير إلى غزة", "ثم عاد إلى القاهرة", "وانتهت الزيارة"],
    );
    let gaza = a.paragraphs[0].text.find("غزة").unwrap();
    let b = article("Second story", &["One.", "Two."]);
    let entities = vec![Entity {
        text: "غزة".into(),
        kind: EntityKind::Place,
        count: 1,
        mentions: vec![Mention {
            paragraph: 0,
            start: gaza,
            end: gaza + "غزة".len(),
        }],
    }];
    let pa = dir.join("a.txt");
    let pb = dir.join("b.txt");
    let library = vec![
        Entry {
            path: pa.clone(),
            title: a.title.clone(),
            date: a.date.clone(),
            section: None,
            words: 10,
        },
        Entry {
            path: pb.clone(),
            title: b.title.clone(),
            date: None,
            section: None,
            words: 3,
        },
    ];
    let loader = Memory(vec![
        (
            pa,
            Opened {
                article: a,
                entities,
            },
        ),
        (
            pb,
            Opened {
                article: b,
                entities: Vec::new(),
            },
        ),
    ]);
    let (store, _) = StateFile::load(&dir.join("state"));
    let mut s = State::new(Config::defaults(), library, store, Box::new(loader))
        .with_layout_fn(fixed_layout);
    s.resize(120, 36);
    s
}

fn keys(s: &mut State, names: &[&str]) {
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
    assert!(s.overlay.is_none());
}

#[test]
fn filter_the_list_and_search_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    keys(&mut s, &["/", "s", "e", "c"]);
    assert_eq!(s.visible, vec![1]);
    keys(&mut s, &["Enter"]);
    assert_eq!(s.prompt, None);
    assert_eq!(s.filter, "sec");
    keys(&mut s, &["Esc"]);
    assert_eq!(s.visible, vec![0, 1]);
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

#[test]
fn open_failure_is_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = setup(dir.path());
    assert!(!s.open_path(Path::new("/nonexistent.txt")));
    assert!(s.message.as_ref().unwrap().warning);
    assert!(s.doc.is_none());
}
