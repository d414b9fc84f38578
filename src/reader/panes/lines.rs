//! Laid-out one-line rows of a pane (entity names, article titles and
//! their metadata) kept between frames: a paragraph move redraws the whole
//! screen, and laying out every sidebar row again through the engine was a
//! third of a frame's cost. A line depends only on its text, width,
//! direction and the layout options, so those are the key.

use crate::layout::{layout_line_truncated, BaseDirection, LayoutOptions, VisualLine};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Lines kept before the cache starts over: more than a screen shows, few
/// enough that a session scrolling through thousands of titles stays small.
const MAX_LINES: usize = 2048;

#[derive(Default)]
pub struct LineCache {
    inner: RefCell<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The options every kept line was laid out with.
    options: Option<LayoutOptions>,
    lines: HashMap<(usize, BaseDirection), HashMap<Box<str>, Rc<VisualLine>>>,
    len: usize,
}

impl LineCache {
    /// `text` on one line of `width` cells, cut with an ellipsis, as
    /// [`layout_line_truncated`] lays it out; from the cache when it was
    /// laid out before at that width and direction with these options.
    pub fn line(
        &self,
        text: &str,
        width: usize,
        dir: BaseDirection,
        options: &LayoutOptions,
    ) -> Rc<VisualLine> {
        let mut inner = self.inner.borrow_mut();
        if inner.options.as_ref() != Some(options) || inner.len >= MAX_LINES {
            inner.lines.clear();
            inner.len = 0;
            inner.options = Some(options.clone());
        }
        if let Some(line) = inner.lines.get(&(width, dir)).and_then(|m| m.get(text)) {
            return line.clone();
        }
        let line = Rc::new(layout_line_truncated(text, width, dir, &[], options));
        inner
            .lines
            .entry((width, dir))
            .or_default()
            .insert(text.into(), line.clone());
        inner.len += 1;
        line
    }

    /// Lines kept (for tests).
    pub fn len(&self) -> usize {
        self.inner.borrow().len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_laid_out_once_per_width_direction_and_options() {
        let cache = LineCache::default();
        let opts = LayoutOptions::default();
        let text = "وزارة الخارجية المصرية";
        let a = cache.line(text, 12, BaseDirection::Rtl, &opts);
        let b = cache.line(text, 12, BaseDirection::Rtl, &opts);
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!(cache.len(), 1);
        assert_eq!(
            *a,
            layout_line_truncated(text, 12, BaseDirection::Rtl, &[], &opts)
        );
        // Another width or direction is another line.
        let narrow = cache.line(text, 6, BaseDirection::Rtl, &opts);
        assert!(narrow.width <= 6 && narrow.width < a.width);
        cache.line(text, 12, BaseDirection::Ltr, &opts);
        assert_eq!(cache.len(), 3);
        // New options: nothing kept is right any more.
        let logical = LayoutOptions {
            reorder: false,
            ..LayoutOptions::default()
        };
        let c = cache.line(text, 12, BaseDirection::Rtl, &logical);
        assert_eq!(
            *c,
            layout_line_truncated(text, 12, BaseDirection::Rtl, &[], &logical)
        );
        assert_ne!(*c, *a);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn stays_bounded() {
        let cache = LineCache::default();
        let opts = LayoutOptions::default();
        for i in 0..MAX_LINES + 10 {
            cache.line(&format!("عنوان {i}"), 20, BaseDirection::Auto, &opts);
        }
        assert!(cache.len() <= MAX_LINES);
        assert!(!cache.is_empty());
    }
}
