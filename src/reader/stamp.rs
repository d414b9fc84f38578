//! What a pane's picture depends on, as a number: the shell keeps a pane's
//! cells from the last frame, without drawing or comparing them, while its
//! stamp stays the same. A stamp covers every input the pane's view reads
//! (besides its area and the theme, which the shell adds); a missing input
//! would leave a stale pane on screen, which the retained-frame replay test
//! (tests/screen_replay.rs) catches.

use super::doc::EntityStatus;
use super::geometry::Pane;
use super::State;
use std::hash::{Hash, Hasher};

fn finish(h: impl Hash) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    h.hash(&mut hasher);
    hasher.finish()
}

impl State {
    /// The entity sidebar's stamp: the article, its list of entities and
    /// their status, the cursor, the first row shown, the selected entity,
    /// whether the pane has the focus, and the interface language and
    /// output mode.
    pub fn sidebar_stamp(&self) -> u64 {
        let doc = self.doc.as_ref();
        let status = doc.map(|d| match &d.entity_status {
            EntityStatus::Finding => 0u8,
            EntityStatus::Found => 1,
            EntityStatus::Failed(_) => 2,
        });
        finish((
            &self.doc_id,
            status,
            self.sidebar.generation(),
            self.sidebar.cursor(),
            self.sidebar.top(),
            doc.and_then(|d| d.selected_entity),
            self.active_pane() == Pane::Entities,
            self.lang() as u8,
            self.layout_options(),
        ))
    }
}
