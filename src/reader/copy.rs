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

/// How `o` can show an article's address here.
#[derive(Debug, PartialEq, Eq)]
pub enum OpenPlan {
    /// Hand it to the system opener (`xdg-open`, macOS `open`).
    Opener(&'static str),
    /// Over SSH, or with no desktop to open it on: show it for copying.
    Show,
}

impl OpenPlan {
    /// From the environment: a browser opened over SSH would open on the
    /// server, where nobody sees it.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> OpenPlan {
        let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
        if set("SSH_CONNECTION") || set("SSH_TTY") {
            return OpenPlan::Show;
        }
        if cfg!(target_os = "macos") {
            return OpenPlan::Opener("open");
        }
        if set("DISPLAY") || set("WAYLAND_DISPLAY") {
            return OpenPlan::Opener("xdg-open");
        }
        OpenPlan::Show
    }
}

/// The article's address if it is one a browser should get: http(s) only,
/// so a scraped `file:` or `javascript:` value (or one starting with `-`,
/// which an opener would read as an option) is never passed on.
pub fn web_address(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    (web && !url.chars().any(|c| c.is_control() || c.is_whitespace())).then_some(url)
}

impl State {
    /// `o`: ask the UI to open (or show) the open article's source address.
    pub(super) fn open_source(&mut self) {
        let lang = self.lang();
        let url = self
            .doc
            .as_ref()
            .and_then(|d| d.article.url.as_deref())
            .and_then(web_address)
            .map(str::to_string);
        match url {
            Some(url) => self.open_request = Some(url),
            None => self.note(lang.text(Msg::NoSource)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_opened() {
        assert_eq!(
            web_address(" https://example.com/a?b=1 "),
            Some("https://example.com/a?b=1")
        );
        assert_eq!(
            web_address("HTTP://example.com"),
            Some("HTTP://example.com")
        );
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "-e",
            "https://a b",
            "https://a\x1b]0;x",
        ] {
            assert_eq!(web_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn over_ssh_the_address_is_shown_not_opened() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            OpenPlan::from_env(env(&[("SSH_CONNECTION", "1 2 3 4"), ("DISPLAY", ":0")])),
            OpenPlan::Show
        );
        if !cfg!(target_os = "macos") {
            assert_eq!(
                OpenPlan::from_env(env(&[("DISPLAY", ":0")])),
                OpenPlan::Opener("xdg-open")
            );
            assert_eq!(OpenPlan::from_env(env(&[])), OpenPlan::Show);
        }
    }
}
