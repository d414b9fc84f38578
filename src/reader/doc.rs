//! An open article as the reading pane sees it: blocks (the header, then one
//! per paragraph) laid out at the pane's width, a scroll position, the
//! focused paragraph, search hits and entity highlights.
//!
//! Laid-out blocks are cached per block for the current width and output
//! mode, and every movement only measures the blocks between the top of the
//! view and its target, so a keypress costs the same on a 3-paragraph
//! article and a 3000-paragraph one. A block's layout depends only on its
//! text, the width and the layout options: highlights (entities, search
//! hits, the selected entity) are decorations painted over the laid-out
//! clusters when drawn (see [`Doc::decorations`]), so entities arriving or a
//! search starting never lays anything out again.

use crate::article::{Article, ParagraphKind};
use crate::entities::{Block, Entity, EntityKind, Mention};
use crate::layout::{BaseDirection, LayoutOptions, ParagraphLayout, StyleSpan};
use crate::search::{self, Hit};
use crate::text::{dominant_direction, paragraph_direction, Dominant};
use crate::theme::Role;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

/// The layout engine's entry point, injectable for tests of the core.
pub type LayoutFn = fn(&str, usize, BaseDirection, &[StyleSpan], &LayoutOptions) -> ParagraphLayout;

/// A scroll position: line `line` of block `block`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub block: usize,
    pub line: usize,
}

/// One laid-out piece of a block (the header has a title and a metadata
/// line; a paragraph has one part).
#[derive(Debug)]
pub struct Part {
    pub layout: ParagraphLayout,
    pub role: Role,
}

#[derive(Debug)]
pub struct BlockLayout {
    pub parts: Vec<Part>,
    /// A blank line after the block (all but the last).
    pub blank_after: bool,
}

impl BlockLayout {
    fn text_lines(&self) -> usize {
        self.parts.iter().map(|p| p.layout.lines.len()).sum()
    }

    fn height(&self) -> usize {
        self.text_lines() + usize::from(self.blank_after)
    }

    /// The resolved direction of the block's main text.
    pub fn direction(&self) -> BaseDirection {
        self.parts
            .first()
            .map_or(BaseDirection::Rtl, |p| p.layout.direction)
    }
}

/// A screen row of the reading pane.
#[derive(Clone, Debug)]
pub struct Row {
    pub block: usize,
    /// `None` for the blank line between blocks.
    pub content: Option<(Rc<BlockLayout>, usize, usize)>,
}

impl Row {
    /// The paragraph this row belongs to (`None` for the header).
    pub fn paragraph(&self) -> Option<usize> {
        self.block.checked_sub(1)
    }
}

/// What `n` / `N` step through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Search,
    Entity,
}

#[derive(Clone, Debug, Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<Hit>,
    pub current: Option<usize>,
}

/// Where the article's entities stand (they are found off the UI thread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityStatus {
    /// Being looked for; the sidebar says so.
    Finding,
    Found,
    /// The recognizer failed; the message says why.
    Failed(String),
}

pub struct Doc {
    /// Shared with the entity worker while it looks at the text.
    pub article: Arc<Article>,
    /// The reading-state key of the article.
    pub key: crate::state::ArticleKey,
    /// Entities sorted by kind (people, places, organizations), then by
    /// frequency. Empty until [`Doc::set_entities`].
    pub entities: Vec<Entity>,
    pub entity_status: EntityStatus,
    /// Mention ranges and entity indexes per block: 0 the title, `p + 1`
    /// paragraph `p`.
    mentions_by_block: Vec<Vec<(Range<usize>, usize)>>,
    pub focused: usize,
    top: Pos,
    width: usize,
    height: usize,
    pub search: Option<SearchState>,
    pub selected_entity: Option<usize>,
    mention_cursor: Option<usize>,
    pub nav: Nav,
    /// Colour every mention by its kind (when the sidebar is shown).
    show_kinds: bool,
    /// New when the output mode or the text changes: cached layouts are
    /// then stale. Drawn from one counter ([`next_version`]), so no two
    /// documents share one and a row's stamp tells them apart.
    version: u64,
    cache: HashMap<usize, Rc<BlockLayout>>,
    cache_key: (usize, u64),
    layout_fn: LayoutFn,
    options: LayoutOptions,
    /// Bytes of text before each paragraph, for the percentage.
    prefix: Vec<usize>,
    /// Which way the article as a whole reads; each paragraph's base
    /// direction follows it (see [`paragraph_direction`]).
    direction: Option<Dominant>,
    /// While only the article's head is here: the bytes of text the whole
    /// one has (see [`Doc::replace_article`]).
    partial: Option<usize>,
}

/// Bytes of text before each paragraph, and the article's direction.
fn text_facts(article: &Article) -> (Vec<usize>, Option<Dominant>) {
    let mut prefix = Vec::with_capacity(article.paragraphs.len() + 1);
    let mut total = 0;
    prefix.push(0);
    for p in &article.paragraphs {
        total += p.text.len();
        prefix.push(total);
    }
    let direction = dominant_direction(
        std::iter::once(article.title.as_str())
            .chain(article.paragraphs.iter().map(|p| p.text.as_str())),
    );
    (prefix, direction)
}

/// The base direction to lay `text` out in, within an article that reads
/// `article`-wise.
pub fn base_direction(text: &str, article: Option<Dominant>) -> BaseDirection {
    match paragraph_direction(text, article) {
        Some(Dominant::Rtl) => BaseDirection::Rtl,
        Some(Dominant::Ltr) => BaseDirection::Ltr,
        None => BaseDirection::Auto,
    }
}

/// The block a mention is in: 0 the title, `p + 1` paragraph `p`.
fn block_index(m: &Mention) -> usize {
    m.paragraph().map_or(0, |p| p + 1)
}

fn kind_rank(k: EntityKind) -> u8 {
    match k {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
    }
}

/// A layout version no document has had.
fn next_version() -> u64 {
    static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub fn kind_role(k: EntityKind) -> Role {
    match k {
        EntityKind::Person => Role::Person,
        EntityKind::Place => Role::Place,
        EntityKind::Org => Role::Org,
    }
}

impl Doc {
    /// An article with no entities yet ([`EntityStatus::Finding`]).
    pub fn new(
        article: Arc<Article>,
        key: crate::state::ArticleKey,
        layout_fn: LayoutFn,
        options: LayoutOptions,
    ) -> Doc {
        let n = article.paragraphs.len();
        let (prefix, direction) = text_facts(&article);
        Doc {
            article,
            key,
            entities: Vec::new(),
            entity_status: EntityStatus::Finding,
            mentions_by_block: vec![Vec::new(); n + 1],
            focused: 0,
            top: Pos::default(),
            width: 60,
            height: 20,
            search: None,
            selected_entity: None,
            mention_cursor: None,
            nav: Nav::Search,
            show_kinds: false,
            version: next_version(),
            cache: HashMap::new(),
            cache_key: (0, 0),
            layout_fn,
            options,
            prefix,
            direction,
            partial: None,
        }
    }

    /// Mark this as the head of an article whose whole text has
    /// `whole_bytes` bytes: the percentage counts those, and the head's
    /// last paragraph is not the end (reaching it marks nothing read).
    pub fn set_partial(&mut self, whole_bytes: usize) {
        self.partial = Some(whole_bytes);
    }

    /// Whether only the article's head is here.
    pub fn is_partial(&self) -> bool {
        self.partial.is_some()
    }

    /// The whole article in place of its head (which it starts with):
    /// the focus and the scroll position stay where the reader moved them,
    /// the viewport and output mode stay; laid-out blocks, mentions and
    /// search hits (all of the head's) go.
    pub fn replace_article(&mut self, article: Arc<Article>) {
        let (prefix, direction) = text_facts(&article);
        self.mentions_by_block = vec![Vec::new(); article.paragraphs.len() + 1];
        self.article = article;
        self.prefix = prefix;
        self.direction = direction;
        self.partial = None;
        self.entities.clear();
        self.entity_status = EntityStatus::Finding;
        self.search = None;
        self.selected_entity = None;
        self.mention_cursor = None;
        self.cache.clear();
        self.version = next_version();
        let (top, focused) = (self.top, self.focused);
        self.focused = focused.min(self.paragraph_count().saturating_sub(1));
        // The top line may have moved if a block was laid out anew (a
        // caption known only from the whole text): keep its block.
        let block = top.block.min(self.blocks() - 1);
        let line = top.line.min(self.height_of(block).saturating_sub(1));
        self.top = Pos { block, line };
        self.ensure_visible();
    }

    /// The article's entities, found. Mentions from outside the article
    /// (bad offsets) are dropped here so nothing downstream has to check
    /// them again. Only highlights change: the scroll position and focus
    /// stay where they are.
    pub fn set_entities(&mut self, mut entities: Vec<Entity>) {
        let article = &self.article;
        for e in entities.iter_mut() {
            e.mentions.retain(|m| {
                let text = match m.block {
                    Block::Title => Some(article.title.as_str()),
                    Block::Paragraph(p) => article.paragraphs.get(p).map(|p| p.text.as_str()),
                };
                text.is_some_and(|t| {
                    m.start < m.end
                        && m.end <= t.len()
                        && t.is_char_boundary(m.start)
                        && t.is_char_boundary(m.end)
                })
            });
            e.mentions.sort_by_key(|m| (m.block, m.start));
        }
        entities.retain(|e| !e.mentions.is_empty() || e.count > 0);
        let freq = |e: &Entity| {
            if e.mentions.is_empty() {
                e.count
            } else {
                e.mentions.len()
            }
        };
        entities.sort_by(|a, b| {
            kind_rank(a.kind)
                .cmp(&kind_rank(b.kind))
                .then(freq(b).cmp(&freq(a)))
                .then(a.text.cmp(&b.text))
        });
        let mut mentions_by_block = vec![Vec::new(); self.paragraph_count() + 1];
        for (i, e) in entities.iter().enumerate() {
            for m in &e.mentions {
                mentions_by_block[block_index(m)].push((m.start..m.end, i));
            }
        }
        self.entities = entities;
        self.mentions_by_block = mentions_by_block;
        self.entity_status = EntityStatus::Found;
        self.selected_entity = None;
        self.mention_cursor = None;
    }

    /// The recognizer failed on this article.
    pub fn set_entities_failed(&mut self, why: String) {
        self.entity_status = EntityStatus::Failed(why);
    }

    /// Write lines in logical order, for terminals that reorder by
    /// themselves ([`LayoutOptions::reorder`] off).
    pub fn set_logical(&mut self, on: bool) {
        if on == self.options.reorder {
            self.options.reorder = !on;
            self.version = next_version();
        }
    }

    pub fn paragraph_count(&self) -> usize {
        self.article.paragraphs.len()
    }

    fn blocks(&self) -> usize {
        1 + self.paragraph_count()
    }

    pub fn top(&self) -> Pos {
        self.top
    }

    /// Text width and height of the reading pane. Keeps the focused
    /// paragraph in view across a resize.
    pub fn set_viewport(&mut self, width: usize, height: usize) {
        let (width, height) = (width.max(1), height.max(1));
        if (width, height) != (self.width, self.height) {
            self.width = width;
            self.height = height;
            // At another width the top block may have fewer lines than the
            // top line's number.
            let lines = self.height_of(self.top.block);
            self.top.line = self.top.line.min(lines.saturating_sub(1));
            self.ensure_visible();
        }
    }

    pub fn viewport(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    pub fn set_show_kinds(&mut self, on: bool) {
        self.show_kinds = on;
    }

    /// Percentage read: text up to the end of the focused paragraph.
    pub fn percent(&self) -> usize {
        let here = *self.prefix.last().unwrap_or(&0);
        let total = self.partial.map_or(here, |whole| whole.max(here));
        if total == 0 || self.paragraph_count() == 0 {
            return 100;
        }
        self.prefix[self.focused + 1] * 100 / total
    }

    /// Whether the reader has reached the end.
    pub fn at_end(&self) -> bool {
        self.partial.is_none()
            && (self.paragraph_count() == 0 || self.focused + 1 == self.paragraph_count())
    }

    // --- layout -------------------------------------------------------

    /// The highlights of block `b` (entity kinds, the selected entity's
    /// mentions, search hits), as styles over byte ranges of its text.
    /// They are painted over the laid-out clusters when drawn, so a new
    /// highlight never lays a paragraph out again; later spans win.
    pub fn decorations(&self, b: usize) -> Vec<StyleSpan> {
        if b <= self.paragraph_count() {
            self.spans_for(b)
        } else {
            Vec::new()
        }
    }

    fn spans_for(&self, b: usize) -> Vec<StyleSpan> {
        let mut spans = Vec::new();
        if self.show_kinds {
            for (range, e) in &self.mentions_by_block[b] {
                spans.push(StyleSpan {
                    range: range.clone(),
                    style: kind_role(self.entities[*e].kind).id(),
                });
            }
        }
        if let Some(sel) = self.selected_entity {
            let current = self
                .mention_cursor
                .and_then(|c| self.entities.get(sel)?.mentions.get(c).copied());
            for (range, e) in &self.mentions_by_block[b] {
                if *e == sel {
                    let is_current =
                        current.is_some_and(|m| block_index(&m) == b && m.start == range.start);
                    let role = if is_current && self.nav == Nav::Entity {
                        Role::SearchCurrent
                    } else {
                        Role::Mention
                    };
                    spans.push(StyleSpan {
                        range: range.clone(),
                        style: role.id(),
                    });
                }
            }
        }
        // Search hits are in paragraphs only.
        if let (Some(s), Some(p)) = (&self.search, b.checked_sub(1)) {
            let first = s.hits.partition_point(|h| h.paragraph < p);
            for (i, h) in s.hits.iter().enumerate().skip(first) {
                if h.paragraph != p {
                    break;
                }
                let role = if s.current == Some(i) && self.nav == Nav::Search {
                    Role::SearchCurrent
                } else {
                    Role::SearchHit
                };
                spans.push(StyleSpan {
                    range: h.range.clone(),
                    style: role.id(),
                });
            }
        }
        spans
    }

    fn meta_line(&self) -> String {
        let a = &self.article;
        [&a.date, &a.section, &a.source, &a.byline]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The laid-out block `b` at the current width (cached).
    pub fn block(&mut self, b: usize) -> Rc<BlockLayout> {
        if self.cache_key != (self.width, self.version) {
            self.cache.clear();
            self.cache_key = (self.width, self.version);
        }
        if let Some(l) = self.cache.get(&b) {
            return l.clone();
        }
        let lay = |text: &str, spans: &[StyleSpan], dir| {
            (self.layout_fn)(text, self.width, dir, spans, &self.options)
        };
        let block = if b == 0 {
            let title_dir = base_direction(&self.article.title, self.direction);
            let mut parts = vec![Part {
                layout: lay(&self.article.title, &[], title_dir),
                role: Role::Title,
            }];
            let meta = self.meta_line();
            if !meta.is_empty() {
                // The metadata line follows the title's direction, so a
                // leading date does not flip it.
                // Block 0's decorations are the title's mentions, painted
                // over every part of the block: the metadata line's
                // clusters point past the title's bytes so none lands there.
                let mut layout = lay(&meta, &[], title_dir);
                let shift = self.article.title.len();
                for c in layout.lines.iter_mut().flat_map(|l| l.clusters.iter_mut()) {
                    c.source = c.source.start + shift..c.source.end + shift;
                }
                parts.push(Part {
                    layout,
                    role: Role::Meta,
                });
            }
            BlockLayout {
                parts,
                blank_after: self.paragraph_count() > 0,
            }
        } else {
            let p = &self.article.paragraphs[b - 1];
            let role = match p.kind {
                ParagraphKind::Body => Role::Text,
                ParagraphKind::Heading => Role::Heading,
                ParagraphKind::Quote | ParagraphKind::Caption => Role::Quote,
            };
            BlockLayout {
                parts: vec![Part {
                    layout: lay(&p.text, &[], base_direction(&p.text, self.direction)),
                    role,
                }],
                blank_after: b + 1 < self.blocks(),
            }
        };
        let rc = Rc::new(block);
        self.cache.insert(b, rc.clone());
        rc
    }

    fn height_of(&mut self, b: usize) -> usize {
        self.block(b).height()
    }

    fn text_height_of(&mut self, b: usize) -> usize {
        self.block(b).text_lines()
    }

    /// Number of blocks laid out in the cache (for tests and benchmarks).
    pub fn cached_blocks(&self) -> usize {
        self.cache.len()
    }

    // --- scrolling ----------------------------------------------------

    fn advance(&mut self, mut pos: Pos, mut n: usize) -> Pos {
        let limit = self.max_top();
        while n > 0 && pos < limit {
            let rest = self.height_of(pos.block) - pos.line;
            if n < rest {
                pos.line += n;
                n = 0;
            } else {
                n -= rest;
                pos = Pos {
                    block: pos.block + 1,
                    line: 0,
                };
            }
        }
        pos.min(limit)
    }

    fn retreat(&mut self, mut pos: Pos, mut n: usize) -> Pos {
        while n > 0 {
            if pos.line >= n {
                pos.line -= n;
                return pos;
            }
            n -= pos.line;
            if pos.block == 0 {
                return Pos::default();
            }
            pos.block -= 1;
            pos.line = self.height_of(pos.block);
        }
        pos
    }

    /// The lowest top that still fills the view: the end of the article on
    /// the last line.
    fn max_top(&mut self) -> Pos {
        let end = Pos {
            block: self.blocks() - 1,
            line: self.height_of(self.blocks() - 1),
        };
        self.retreat(end, self.height)
    }

    /// Lines from the top of the view to the start of block `b` (`b` at or
    /// below the top), counting at most `cap`.
    fn lines_to(&mut self, b: usize, cap: usize) -> usize {
        let mut d = 0;
        let mut k = self.top.block;
        let mut first = true;
        while k < b && d < cap {
            d += self
                .height_of(k)
                .saturating_sub(if first { self.top.line } else { 0 });
            first = false;
            k += 1;
        }
        d
    }

    /// Scroll so the focused paragraph is on screen, moving as little as
    /// possible.
    pub fn ensure_visible(&mut self) {
        if self.paragraph_count() == 0 {
            self.top = Pos::default();
            return;
        }
        self.focused = self.focused.min(self.paragraph_count() - 1);
        let b = self.focused + 1;
        let start = Pos { block: b, line: 0 };
        if start <= self.top {
            self.top = if self.focused == 0 {
                Pos::default()
            } else {
                start
            };
            // The header fits above the first paragraph: show it.
            if self.focused == 0 {
                return;
            }
        } else {
            let h = self.height;
            let d = self.lines_to(b, h);
            let text = self.text_height_of(b);
            if d + text > h {
                self.top = if text >= h {
                    start
                } else {
                    self.retreat(
                        Pos {
                            block: b,
                            line: text,
                        },
                        h,
                    )
                };
            }
        }
        let limit = self.max_top();
        if self.top > limit {
            self.top = limit;
        }
    }

    /// The first paragraph whose first line is in view, else the one the
    /// top line belongs to.
    fn first_in_view(&mut self) -> usize {
        let n = self.paragraph_count();
        if n == 0 {
            return 0;
        }
        if self.top.line == 0 && self.top.block >= 1 {
            return self.top.block - 1;
        }
        let d = self.height_of(self.top.block) - self.top.line;
        if d < self.height && self.top.block + 1 < self.blocks() {
            return self.top.block;
        }
        self.top.block.saturating_sub(1).min(n - 1)
    }

    fn focused_bounds(&mut self) -> (bool, bool) {
        // (start above the view, end below the view)
        let b = self.focused + 1;
        let above = self.top > Pos { block: b, line: 0 };
        let h = self.height;
        let d = if above { 0 } else { self.lines_to(b, h) };
        let skipped = if self.top.block == b {
            self.top.line
        } else {
            0
        };
        let text = self.text_height_of(b);
        let below = d + text.saturating_sub(skipped) > h;
        (above, below)
    }

    pub fn next(&mut self) {
        if self.paragraph_count() == 0 {
            return;
        }
        let (_, below) = self.focused_bounds();
        if below {
            // A paragraph taller than the view: page through it first.
            let b = self.focused + 1;
            let text = self.text_height_of(b);
            let end_top = self.retreat(
                Pos {
                    block: b,
                    line: text,
                },
                self.height,
            );
            let step = self.advance(self.top, self.height.saturating_sub(1).max(1));
            self.top = step.min(end_top.max(self.top));
            return;
        }
        if self.focused + 1 < self.paragraph_count() {
            self.focused += 1;
        }
        self.ensure_visible();
    }

    pub fn prev(&mut self) {
        if self.paragraph_count() == 0 {
            return;
        }
        let (above, _) = self.focused_bounds();
        if above {
            let start = Pos {
                block: self.focused + 1,
                line: 0,
            };
            let step = self.retreat(self.top, self.height.saturating_sub(1).max(1));
            self.top = step.max(start);
            return;
        }
        if self.focused > 0 {
            self.focused -= 1;
        } else {
            self.top = Pos::default();
        }
        self.ensure_visible();
    }

    pub fn page_down(&mut self) {
        if self.paragraph_count() == 0 {
            return;
        }
        let limit = self.max_top();
        if self.top >= limit {
            self.focused = self.paragraph_count() - 1;
            self.ensure_visible();
            return;
        }
        self.top = self.advance(self.top, self.height.saturating_sub(1).max(1));
        self.focused = self.first_in_view();
    }

    pub fn page_up(&mut self) {
        if self.paragraph_count() == 0 {
            return;
        }
        if self.top == Pos::default() {
            self.focused = 0;
            return;
        }
        self.top = self.retreat(self.top, self.height.saturating_sub(1).max(1));
        self.focused = self.first_in_view();
    }

    pub fn go_top(&mut self) {
        self.focused = 0;
        self.top = Pos::default();
    }

    pub fn go_bottom(&mut self) {
        self.focused = self.paragraph_count().saturating_sub(1);
        self.top = self.max_top();
        self.ensure_visible();
    }

    /// Focus paragraph `p` and bring it into view.
    pub fn focus(&mut self, p: usize) {
        self.focused = p.min(self.paragraph_count().saturating_sub(1));
        self.ensure_visible();
    }

    /// Mouse wheel: scroll by lines; the focus follows if it left the view.
    pub fn scroll(&mut self, lines: isize) {
        self.top = if lines >= 0 {
            self.advance(self.top, lines as usize)
        } else {
            self.retreat(self.top, lines.unsigned_abs())
        };
        if self.paragraph_count() == 0 {
            return;
        }
        let b = self.focused + 1;
        let h = self.height;
        let gone_above =
            self.top.block > b || (self.top.block == b && self.top.line >= self.text_height_of(b));
        let gone_below =
            !gone_above && Pos { block: b, line: 0 } > self.top && self.lines_to(b, h) >= h;
        if gone_above || gone_below {
            self.focused = self.first_in_view();
        }
    }

    /// Screen rows from `from` down to `to` (`from <= to`), or `None` when
    /// there are `cap` or more.
    pub fn rows_between(&mut self, from: Pos, to: Pos, cap: usize) -> Option<usize> {
        let mut rows = 0;
        let mut pos = from;
        while pos.block < to.block {
            rows += self.height_of(pos.block).saturating_sub(pos.line);
            if rows >= cap {
                return None;
            }
            pos = Pos {
                block: pos.block + 1,
                line: 0,
            };
        }
        rows += to.line.checked_sub(pos.line)?;
        (rows < cap).then_some(rows)
    }

    /// What the text cells of a row on screen depend on, as a number: the
    /// document and its layout (text, width, output mode), which line of
    /// which block it shows (`content`: part and line, `None` for the blank
    /// after a block), whether it is in the focused paragraph, and the
    /// block's decorations `spans` (see [`Doc::decorations`]). The shell
    /// keeps the row's cells from the last frame, even where a scroll moved
    /// them, while it stays the same.
    pub fn row_stamp(
        &self,
        block: usize,
        content: Option<(usize, usize)>,
        focused: bool,
        spans: &[StyleSpan],
    ) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (self.version, self.width, block, content, focused).hash(&mut h);
        for s in spans {
            (s.range.start, s.range.end, s.style).hash(&mut h);
        }
        h.finish()
    }

    /// The rows on screen, top to bottom.
    pub fn rows(&mut self) -> Vec<Row> {
        let mut rows = Vec::with_capacity(self.height);
        let mut pos = self.top;
        while rows.len() < self.height && pos.block < self.blocks() {
            let block = self.block(pos.block);
            let text = block.text_lines();
            if pos.line < text {
                let mut line = pos.line;
                let mut part = 0;
                while line >= block.parts[part].layout.lines.len() {
                    line -= block.parts[part].layout.lines.len();
                    part += 1;
                }
                rows.push(Row {
                    block: pos.block,
                    content: Some((block.clone(), part, line)),
                });
            } else if pos.line < block.height() {
                rows.push(Row {
                    block: pos.block,
                    content: None,
                });
            }
            pos.line += 1;
            if pos.line >= block.height() {
                pos = Pos {
                    block: pos.block + 1,
                    line: 0,
                };
            }
        }
        rows
    }

    // --- search and entities ------------------------------------------

    /// Run a search; jumps to the first hit at or after the focused
    /// paragraph. Returns the number of hits.
    pub fn set_search(&mut self, query: &str, from: usize) -> usize {
        let hits = search::search(
            self.article.paragraphs.iter().map(|p| p.text.as_str()),
            query,
        );
        self.show_hits(query, hits, from)
    }

    /// Show hits found elsewhere (a library search, an entity's mentions
    /// from the index) as this article's search, `n`/`N` stepping through
    /// them, focused on the first. Ranges that do not fit the text as read
    /// now (the file changed since) are dropped. Returns how many are left.
    pub fn set_hits(&mut self, label: &str, hits: Vec<search::Hit>) -> usize {
        let paragraphs = &self.article.paragraphs;
        let mut hits: Vec<search::Hit> = hits
            .into_iter()
            .filter(|h| {
                paragraphs.get(h.paragraph).is_some_and(|p| {
                    let t = &p.text;
                    h.range.start < h.range.end
                        && h.range.end <= t.len()
                        && t.is_char_boundary(h.range.start)
                        && t.is_char_boundary(h.range.end)
                })
            })
            .collect();
        hits.sort_by_key(|h| (h.paragraph, h.range.start));
        hits.dedup();
        self.show_hits(label, hits, 0)
    }

    fn show_hits(&mut self, query: &str, hits: Vec<search::Hit>, from: usize) -> usize {
        let current = if hits.is_empty() {
            None
        } else {
            Some(hits.iter().position(|h| h.paragraph >= from).unwrap_or(0))
        };
        let n = hits.len();
        self.search = Some(SearchState {
            query: query.to_string(),
            hits,
            current,
        });
        self.nav = Nav::Search;
        if let Some(c) = current {
            let p = self.search.as_ref().map_or(0, |s| s.hits[c].paragraph);
            self.focus(p);
        }
        n
    }

    pub fn clear_highlights(&mut self) -> bool {
        let had = self.search.is_some() || self.selected_entity.is_some();
        self.search = None;
        self.selected_entity = None;
        self.mention_cursor = None;
        had
    }

    /// Highlight entity `i`'s mentions (or none).
    pub fn select_entity(&mut self, i: Option<usize>) {
        let i = i.filter(|i| *i < self.entities.len());
        if i != self.selected_entity {
            self.selected_entity = i;
            self.mention_cursor = None;
            self.nav = Nav::Entity;
        }
    }

    /// Jump to the selected entity's first mention at or after the focus.
    pub fn jump_to_mention(&mut self) {
        let Some(e) = self.selected_entity.and_then(|i| self.entities.get(i)) else {
            return;
        };
        if e.mentions.is_empty() {
            return;
        }
        let c = e
            .mentions
            .iter()
            .position(|m| m.paragraph().is_some_and(|p| p >= self.focused))
            .unwrap_or(0);
        // A title mention shows with the first paragraph.
        let p = e.mentions[c].paragraph().unwrap_or(0);
        self.mention_cursor = Some(c);
        self.nav = Nav::Entity;
        self.focus(p);
    }

    /// `n` / `N`: step through search hits or mentions, wrapping around.
    /// Returns false when there is nothing to step through.
    pub fn step_match(&mut self, forward: bool) -> bool {
        let focused = self.focused;
        let targets: Vec<usize> = match self.nav {
            Nav::Search => match &self.search {
                Some(s) if !s.hits.is_empty() => s.hits.iter().map(|h| h.paragraph).collect(),
                _ => return self.fallback_nav(Nav::Entity, forward),
            },
            Nav::Entity => match self.selected_entity.and_then(|i| self.entities.get(i)) {
                Some(e) if !e.mentions.is_empty() => e
                    .mentions
                    .iter()
                    .map(|m| m.paragraph().unwrap_or(0))
                    .collect(),
                _ => return self.fallback_nav(Nav::Search, forward),
            },
        };
        let cursor = match self.nav {
            Nav::Search => self.search.as_ref().and_then(|s| s.current),
            Nav::Entity => self.mention_cursor,
        };
        let len = targets.len();
        let next = match cursor {
            // Off the current target (the user moved): nearest from here.
            Some(c) if targets[c] == focused => {
                if forward {
                    (c + 1) % len
                } else {
                    (c + len - 1) % len
                }
            }
            _ if forward => targets.iter().position(|p| *p > focused).unwrap_or(0),
            _ => targets
                .iter()
                .rposition(|p| *p < focused)
                .unwrap_or(len - 1),
        };
        match self.nav {
            Nav::Search => {
                if let Some(s) = &mut self.search {
                    s.current = Some(next);
                }
            }
            Nav::Entity => self.mention_cursor = Some(next),
        }
        self.focus(targets[next]);
        true
    }

    fn fallback_nav(&mut self, other: Nav, forward: bool) -> bool {
        let has = match other {
            Nav::Search => self.search.as_ref().is_some_and(|s| !s.hits.is_empty()),
            Nav::Entity => self
                .selected_entity
                .and_then(|i| self.entities.get(i))
                .is_some_and(|e| !e.mentions.is_empty()),
        };
        if !has {
            return false;
        }
        self.nav = other;
        self.step_match(forward)
    }

    /// (current, total) of the active hits or mentions, 1-based.
    pub fn match_position(&self) -> Option<(usize, usize)> {
        match self.nav {
            Nav::Search => {
                let s = self.search.as_ref()?;
                Some((s.current.map_or(0, |c| c + 1), s.hits.len()))
            }
            Nav::Entity => {
                let e = self.entities.get(self.selected_entity?)?;
                Some((self.mention_cursor.map_or(0, |c| c + 1), e.mentions.len()))
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::article::Paragraph;
    use crate::entities::Mention;
    use crate::layout::{Segment, VisualLine};

    /// A stand-in layout for testing scrolling arithmetic only: left to
    /// right, `width` characters per line, no bidi. The real engine is
    /// exercised by the snapshot and end-to-end tests.
    pub fn fixed_layout(
        text: &str,
        width: usize,
        _: BaseDirection,
        _: &[StyleSpan],
        _: &LayoutOptions,
    ) -> ParagraphLayout {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut lines = Vec::new();
        for chunk in chars.chunks(width.max(1)) {
            let start = chunk[0].0;
            let end = chunk.last().map_or(start, |(i, c)| i + c.len_utf8());
            lines.push(VisualLine {
                logical: start..end,
                indent: 0,
                width: chunk.len(),
                segments: vec![Segment {
                    text: text[start..end].to_string(),
                    style: None,
                    col: 0,
                    width: chunk.len(),
                }],
                clusters: Vec::new(),
            });
        }
        if lines.is_empty() {
            lines.push(VisualLine {
                logical: 0..0,
                indent: 0,
                width: 0,
                segments: Vec::new(),
                clusters: Vec::new(),
            });
        }
        ParagraphLayout {
            direction: BaseDirection::Ltr,
            lines,
        }
    }

    /// An article whose paragraph i is `lines[i]` lines of 10 characters.
    pub fn doc_with(lines: &[usize]) -> Doc {
        let article = Article {
            title: "T".into(),
            paragraphs: lines
                .iter()
                .map(|n| Paragraph::body("x".repeat(10 * n)))
                .collect(),
            ..Article::default()
        };
        let mut d = Doc::new(
            Arc::new(article),
            "k".into(),
            fixed_layout,
            LayoutOptions::default(),
        );
        d.set_viewport(10, 10);
        d
    }

    #[test]
    fn paragraphs_take_the_articles_direction() {
        let article = Article {
            title: "Microsoft تستثمر في شركة أبوظبي".into(),
            paragraphs: vec![
                Paragraph::body("Google أعلنت اليوم عن مركز بيانات جديد في الرياض"),
                Paragraph::body("\"We are proud,\" the company said."),
                Paragraph::body("2024"),
            ],
            ..Article::default()
        };
        let mut d = Doc::new(
            Arc::new(article),
            "k".into(),
            crate::layout::layout_paragraph,
            LayoutOptions::default(),
        );
        d.set_viewport(60, 20);
        let dir = |d: &mut Doc, b: usize| d.block(b).parts[0].layout.direction;
        assert_eq!(dir(&mut d, 0), BaseDirection::Rtl, "title");
        assert_eq!(
            dir(&mut d, 1),
            BaseDirection::Rtl,
            "Arabic opening in English"
        );
        assert_eq!(dir(&mut d, 2), BaseDirection::Ltr, "an English quote");
        assert_eq!(
            dir(&mut d, 3),
            BaseDirection::Rtl,
            "no letters: the article's"
        );
    }

    fn visible(d: &mut Doc) -> Vec<Option<usize>> {
        d.rows().iter().map(|r| r.paragraph()).collect()
    }

    #[test]
    fn next_keeps_focus_in_view() {
        // Header: 1 title line + blank; paragraphs of 3 lines + blank.
        let mut d = doc_with(&[3; 20]);
        assert_eq!(d.rows().len(), 10);
        for i in 1..20 {
            d.next();
            assert_eq!(d.focused, i);
            let rows = visible(&mut d);
            let shown = rows.iter().filter(|p| **p == Some(i)).count();
            assert!(shown >= 3, "paragraph {i} not fully shown: {rows:?}");
        }
        d.next();
        assert_eq!(d.focused, 19);
        for i in (0..19).rev() {
            d.prev();
            assert_eq!(d.focused, i);
            assert!(visible(&mut d).contains(&Some(i)));
        }
        d.prev();
        assert_eq!(d.top(), Pos::default());
    }

    #[test]
    fn pages_move_by_a_screen() {
        let mut d = doc_with(&[2; 30]);
        // Header 2 lines, paragraphs 3 (with the blank): 9 lines down.
        d.page_down();
        assert_eq!(d.top(), Pos { block: 3, line: 1 });
        assert_eq!(d.focused, 3);
        d.page_down();
        d.page_up();
        assert_eq!(d.top(), Pos { block: 3, line: 1 });
        d.go_bottom();
        assert_eq!(d.focused, 29);
        let rows = d.rows();
        assert_eq!(rows.len(), 10);
        assert_eq!(rows.last().unwrap().paragraph(), Some(29));
        d.page_down();
        assert_eq!(d.focused, 29);
        d.go_top();
        assert_eq!((d.focused, d.top()), (0, Pos::default()));
    }

    #[test]
    fn tall_paragraph_is_paged_through_before_moving_on() {
        let mut d = doc_with(&[1, 25, 1]);
        d.next();
        assert_eq!(d.focused, 1);
        assert_eq!(d.top(), Pos { block: 2, line: 0 });
        let mut presses = 0;
        while d.focused == 1 {
            d.next();
            presses += 1;
            assert!(presses < 10);
        }
        assert!(presses >= 3, "{presses}");
        assert_eq!(d.focused, 2);
        d.prev();
        assert_eq!(d.focused, 1);
    }

    #[test]
    fn keypress_cost_does_not_grow_with_length() {
        let mut d = doc_with(&vec![3; 5000]);
        for _ in 0..10 {
            d.next();
        }
        d.page_down();
        d.page_down();
        assert!(d.cached_blocks() < 40, "{}", d.cached_blocks());
        d.go_bottom();
        assert!(d.cached_blocks() < 80, "{}", d.cached_blocks());
    }

    #[test]
    fn search_and_mentions_step_and_wrap() {
        let article = Article {
            title: "عنوان".into(),
            paragraphs: vec![
                Paragraph::body("زار الوزير غزة"),
                Paragraph::body("لا شيء هنا"),
                Paragraph::body("عاد من غزّة إلى القاهرة"),
            ],
            ..Article::default()
        };
        let ent = |text: &str, kind, ms: &[(usize, usize, usize)]| Entity {
            text: text.into(),
            kind,
            count: ms.len(),
            mentions: ms
                .iter()
                .map(|&(paragraph, start, end)| Mention {
                    block: Block::Paragraph(paragraph),
                    start,
                    end,
                })
                .collect(),
        };
        let gaza0 = article.paragraphs[0].text.find("غزة").unwrap();
        let cairo = article.paragraphs[2].text.find("القاهرة").unwrap();
        let entities = vec![
            ent(
                "القاهرة",
                EntityKind::Place,
                &[(2, cairo, cairo + "القاهرة".len())],
            ),
            ent(
                "غزة",
                EntityKind::Place,
                &[(0, gaza0, gaza0 + 6), (9, 0, 1)],
            ),
            ent("الوزير", EntityKind::Person, &[(0, 4, 99)]),
        ];
        let mut d = Doc::new(
            Arc::new(article),
            "k".into(),
            fixed_layout,
            LayoutOptions::default(),
        );
        assert_eq!(d.entity_status, EntityStatus::Finding);
        d.set_entities(entities);
        assert_eq!(d.entity_status, EntityStatus::Found);
        // Sorted by kind, then frequency; bad mentions dropped.
        let names: Vec<&str> = d.entities.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(names, ["الوزير", "القاهرة", "غزة"]);
        assert!(d.entities[0].mentions.is_empty());
        assert_eq!(d.entities[2].mentions.len(), 1);

        assert_eq!(d.set_search("غزه", 0), 2);
        assert_eq!(d.focused, 0);
        assert!(d.step_match(true));
        assert_eq!(d.focused, 2);
        assert_eq!(d.match_position(), Some((2, 2)));
        assert!(d.step_match(true));
        assert_eq!(d.focused, 0);
        assert!(d.step_match(false));
        assert_eq!(d.focused, 2);

        d.clear_highlights();
        assert!(!d.step_match(true));
        d.select_entity(Some(1));
        d.jump_to_mention();
        assert_eq!(d.focused, 2);
        let spans = d.spans_for(3);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            &d.article.paragraphs[2].text[spans[0].range.clone()],
            "القاهرة"
        );
    }

    static LAYOUTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    fn counting_layout(
        text: &str,
        width: usize,
        dir: BaseDirection,
        spans: &[StyleSpan],
        options: &LayoutOptions,
    ) -> ParagraphLayout {
        LAYOUTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        fixed_layout(text, width, dir, spans, options)
    }

    #[test]
    fn highlights_never_lay_a_paragraph_out_again() {
        let article = Article {
            title: "القاهرة اليوم".into(),
            paragraphs: vec![
                Paragraph::body("وصل الوفد إلى القاهرة"),
                Paragraph::body("ثم غادر القاهرة إلى عمان"),
            ],
            ..Article::default()
        };
        let mut d = Doc::new(
            Arc::new(article),
            "k".into(),
            counting_layout,
            LayoutOptions::default(),
        );
        d.set_viewport(12, 10);
        d.rows();
        let laid_out = LAYOUTS.load(std::sync::atomic::Ordering::SeqCst);
        assert!(laid_out >= 3, "title and two paragraphs: {laid_out}");
        let at = |p: usize| {
            let start = d.article.paragraphs[p].text.find("القاهرة").unwrap();
            Mention {
                block: Block::Paragraph(p),
                start,
                end: start + "القاهرة".len(),
            }
        };
        let (m0, m1) = (at(0), at(1));
        let title = Mention {
            block: Block::Title,
            start: 0,
            end: "القاهرة".len(),
        };
        d.set_entities(vec![Entity {
            text: "القاهرة".into(),
            kind: EntityKind::Place,
            count: 3,
            mentions: vec![m0, m1, title],
        }]);
        d.set_show_kinds(true);
        d.select_entity(Some(0));
        d.jump_to_mention();
        assert_eq!(d.set_search("عمان", 0), 1);
        d.step_match(true);
        d.rows();
        assert_eq!(LAYOUTS.load(std::sync::atomic::Ordering::SeqCst), laid_out);
        // The highlights are there, as decorations of the blocks.
        assert!(d
            .decorations(1)
            .iter()
            .any(|s| s.range == (m0.start..m0.end)));
        assert!(!d.decorations(2).is_empty());
        // The title's mention too, sorted first.
        assert_eq!(d.entities[0].mentions[0], title);
        assert!(d
            .decorations(0)
            .iter()
            .any(|s| s.range == (title.start..title.end)));
        assert!(d.decorations(3).is_empty());
    }
}
