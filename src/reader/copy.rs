//! `y`: copy what has the focus, as the article has it (logical order,
//! original letters), not as the screen shows it (visual order,
//! presentation forms). The UI sends it to the terminal's clipboard.

use super::geometry::Pane;
use super::i18n::Msg;
use super::State;

impl State {
    /// What `y` copies here: the selected name when the entity sidebar
    /// has the focus and a name is selected, else the focused paragraph. Control characters are dropped so a paste
    /// cannot run anything.
    pub fn copy_text(&self) -> Option<String> {
        let doc = self.doc.as_ref()?;
        let name = doc
            .selected_entity
            .filter(|_| self.active_pane() == Pane::Entities)
            .and_then(|i| doc.entities.get(i));
        let text = match name {
            Some(e) => &e.text,
            None => &doc.article.paragraphs.get(doc.focused)?.text,
        };
        let clean: String = text
            .chars()
            .filter(|c| !(c.is_control() || crate::text::is_stripped_control(*c)))
            .collect();
        (!clean.trim().is_empty()).then_some(clean)
    }

    pub(super) fn copy(&mut self) {
        let lang = self.lang();
        if !self.config.clipboard {
            self.note(lang.text(Msg::CopyOff));
            return;
        }
        match self.copy_text() {
            Some(text) => {
                let n = text.chars().count();
                self.clipboard = Some(text);
                self.note(format!("{} ({})", lang.text(Msg::Copied), lang.number(n)));
            }
            None => self.note(lang.text(Msg::NothingToCopy)),
        }
    }
}
