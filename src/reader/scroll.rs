//! How far the reading pane scrolled between two frames, as data, so the UI
//! can move the lines already on the terminal (a scroll region) instead of
//! writing them again. Only a hint: the UI's diff still repairs every cell,
//! so a wrong or missing hint costs bytes, never a wrong screen.

use super::doc::Pos;
use super::geometry::Rect;
use super::recognition::ArticleId;
use super::State;
use std::ops::Range;

/// What the reading pane showed in one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingView {
    article: ArticleId,
    logical: bool,
    text: Rect,
    top: Pos,
}

/// The reading pane's lines moved by `by` rows within the screen rows
/// `rows` and columns `cols` (the text area of the pane): positive when
/// they moved up (the reader went down the article), negative when they
/// moved down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScrollHint {
    pub rows: Range<u16>,
    pub cols: Range<u16>,
    pub by: i32,
}

impl State {
    /// The reading pane as it stands, when a scroll could be worth it: an
    /// article is open and no layer covers the panes.
    pub fn reading_view(&self) -> Option<ReadingView> {
        if !self.layers.is_empty() {
            return None;
        }
        Some(ReadingView {
            article: self.doc_id.clone()?,
            logical: self.logical_output(),
            text: self.reader_text_rect()?,
            top: self.doc.as_ref()?.top(),
        })
    }

    /// How the reading pane moved since `before`: the same article at the
    /// same place and width, only its top line moved, by less than the
    /// pane's height. (Mutable only for the layout cache.)
    pub fn scroll_hint(&mut self, before: &ReadingView) -> Option<ScrollHint> {
        let now = self.reading_view()?;
        if now.article != before.article
            || now.logical != before.logical
            || now.text != before.text
            || now.top == before.top
        {
            return None;
        }
        let (from, to, sign) = if before.top < now.top {
            (before.top, now.top, 1)
        } else {
            (now.top, before.top, -1)
        };
        let rows = self
            .doc
            .as_mut()?
            .rows_between(from, to, now.text.height as usize)?;
        Some(ScrollHint {
            rows: now.text.y..now.text.y + now.text.height,
            cols: now.text.x..now.text.x + now.text.width,
            by: sign * rows as i32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::keymap::Key;
    use crate::reader::loader::{list_library, FsLoader, Loader};
    use crate::reader::recognition::Recognition;
    use crate::state::StateFile;

    /// Which line of which block each row of the reading pane shows.
    fn row_ids(s: &mut State) -> Vec<(usize, Option<(usize, usize)>)> {
        let doc = s.doc.as_mut().unwrap();
        doc.rows()
            .into_iter()
            .map(|r| (r.block, r.content.map(|(_, part, line)| (part, line))))
            .collect()
    }

    #[test]
    fn the_hint_is_how_far_the_rows_moved() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib");
        std::fs::create_dir_all(&lib).unwrap();
        let sentence = "زرع المتطوعون مئات الأشجار على ضفة النهر في يوم واحد. ";
        let text: String = (0..30)
            .map(|i| format!("{} ({i})\n\n", sentence.repeat(i % 4 + 1)))
            .collect();
        std::fs::write(lib.join("a.txt"), format!("عنوان المقال\n\n{text}")).unwrap();
        let dirs = crate::store::Dirs::under(&dir.path().join("xdg"));
        let rules = crate::article::Rules::default();
        let (entries, _) = list_library(&lib, &dirs, &rules);
        let (fs, _) = FsLoader::new(Some(&dirs), rules);
        let recognition = Recognition::new(fs.finder());
        let mut s = State::new(
            Config::defaults(),
            entries,
            StateFile::in_memory(),
            Box::new(fs),
            recognition,
        );
        s.resize(50, 16);
        s.handle_key(Key::parse("Enter").unwrap());
        let (mut up, mut down) = (0, 0);
        for k in [
            "j", "j", "j", "Space", "j", "k", "k", "b", "k", "G", "b", "g",
        ] {
            let before = s.reading_view().expect("an article is open");
            let rows_before = row_ids(&mut s);
            s.handle_key(Key::parse(k).unwrap());
            let rows_after = row_ids(&mut s);
            let Some(h) = s.scroll_hint(&before) else {
                // No hint: the rows stayed, or moved by a pane or more.
                let n = rows_before.len().min(rows_after.len());
                let shifted = (1..n).any(|d| {
                    rows_after[..n - d] == rows_before[d..n]
                        || rows_after[d..n] == rows_before[..n - d]
                });
                assert!(
                    rows_after == rows_before || !shifted,
                    "{k}: a scroll without a hint"
                );
                continue;
            };
            let n = h.by.unsigned_abs() as usize;
            assert!(n > 0 && n < rows_before.len(), "{k}: {h:?}");
            let text = s.reader_text_rect().unwrap();
            assert_eq!(h.rows, text.y..text.y + text.height);
            assert_eq!(h.cols, text.x..text.x + text.width);
            if h.by > 0 {
                up += 1;
                assert_eq!(rows_after[..rows_after.len() - n], rows_before[n..], "{k}");
            } else {
                down += 1;
                assert_eq!(rows_after[n..], rows_before[..rows_before.len() - n], "{k}");
            }
        }
        assert!(up > 0 && down > 0, "up {up} down {down}");
        // A layer over the panes: no hint.
        let before = s.reading_view().unwrap();
        s.handle_key(Key::parse("?").unwrap());
        assert!(s.reading_view().is_none());
        assert_eq!(s.scroll_hint(&before), None);
    }
}
