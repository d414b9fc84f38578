//! Where each pane goes for a terminal size: pure arithmetic, so the
//! responsive rules are testable and the core knows the reading pane's size
//! for scrolling.

use crate::config::PaneOrder;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Rect {
    pub const fn new(x: u16, y: u16, width: u16, height: u16) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// The rectangle inside a one-cell border.
    pub fn inner(self) -> Rect {
        Rect {
            x: self.x + 1,
            y: self.y + 1,
            width: self.width.saturating_sub(2),
            height: self.height.saturating_sub(2),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    List,
    Reader,
    Entities,
}

/// Below these the screen only says it is too small.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// Below this width panes are shown one at a time.
pub const NARROW_WIDTH: u16 = 60;
/// From this width on the entity sidebar is shown unless folded.
pub const ENTITIES_WIDTH: u16 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub entities: Option<Rect>,
    /// The bottom line: progress, prompts, messages.
    pub status: Rect,
    pub too_small: bool,
}

impl Geometry {
    /// `screen` is the pane shown when the terminal is narrow; `list` is
    /// false when a single article was opened (there is no list to show).
    pub fn compute(
        width: u16,
        height: u16,
        order: PaneOrder,
        list: bool,
        entities: bool,
        screen: Pane,
    ) -> Geometry {
        let full = Rect::new(0, 0, width, height);
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return Geometry {
                list: None,
                reader: None,
                entities: None,
                status: full,
                too_small: true,
            };
        }
        let body_h = height - 1;
        let status = Rect::new(0, body_h, width, 1);
        let mut g = Geometry {
            list: None,
            reader: None,
            entities: None,
            status,
            too_small: false,
        };
        if width < NARROW_WIDTH {
            let r = Rect::new(0, 0, width, body_h);
            match screen {
                Pane::List => g.list = Some(r),
                Pane::Reader => g.reader = Some(r),
                Pane::Entities => g.entities = Some(r),
            }
            return g;
        }
        let list_w = if list {
            (width * 28 / 100).clamp(22, 40)
        } else {
            0
        };
        let ent_w = if entities {
            (width * 22 / 100).clamp(20, 32)
        } else {
            0
        };
        let reader_w = width - list_w - ent_w;
        // Logical order list, reader, entities; mirrored for right-to-left.
        let widths = [list_w, reader_w, ent_w];
        let order_idx: [usize; 3] = match order {
            PaneOrder::Ltr => [0, 1, 2],
            PaneOrder::Rtl => [2, 1, 0],
        };
        let mut x = 0;
        for i in order_idx {
            let w = widths[i];
            if w == 0 {
                continue;
            }
            let r = Some(Rect::new(x, 0, w, body_h));
            match i {
                0 => g.list = r,
                1 => g.reader = r,
                _ => g.entities = r,
            }
            x += w;
        }
        g
    }

    pub fn rect(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::List => self.list,
            Pane::Reader => self.reader,
            Pane::Entities => self.entities,
        }
    }

    pub fn narrow(width: u16) -> bool {
        width < NARROW_WIDTH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtl_mirrors_the_panes() {
        let g = Geometry::compute(120, 36, PaneOrder::Rtl, true, true, Pane::List);
        let (l, r, e) = (g.list.unwrap(), g.reader.unwrap(), g.entities.unwrap());
        assert!(e.x < r.x && r.x < l.x, "{g:?}");
        assert_eq!(l.x + l.width, 120);
        assert_eq!(e.width + r.width + l.width, 120);
        let g = Geometry::compute(120, 36, PaneOrder::Ltr, true, true, Pane::List);
        assert_eq!(g.list.unwrap().x, 0);
    }

    #[test]
    fn responsive_steps() {
        let g = Geometry::compute(80, 24, PaneOrder::Rtl, true, false, Pane::List);
        assert!(g.entities.is_none() && g.list.is_some() && g.reader.is_some());
        let g = Geometry::compute(50, 16, PaneOrder::Rtl, true, false, Pane::Reader);
        assert!(g.list.is_none() && g.reader.unwrap().width == 50);
        assert!(Geometry::compute(39, 20, PaneOrder::Rtl, true, false, Pane::List).too_small);
        let g = Geometry::compute(80, 24, PaneOrder::Rtl, false, false, Pane::Reader);
        assert!(g.list.is_none() && g.reader.unwrap().width == 80);
        assert!(Geometry::compute(80, 11, PaneOrder::Rtl, true, false, Pane::List).too_small);
    }
}
