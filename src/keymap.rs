//! Keys and the keymap: key names as written in the config ("j", "Down",
//! "C-l", "S-Tab"), and which action each key triggers.
//!
//! This is the core's own key type so that the keymap can be tested without
//! a terminal; the UI converts crossterm's key events into [`Key`].

use crate::action::Action;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Tab,
    /// Shift-Tab (terminals send it as a key of its own).
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Insert,
    Delete,
    F(u8),
}

/// A key with its modifiers. Shift is folded into the character for
/// printable keys ("G" is shift-g), so only Ctrl and Alt are kept for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// Parse a key name as written in the config file.
    pub fn parse(name: &str) -> Result<Key, String> {
        let mut rest = name;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        // A modifier prefix needs something after it: "C-" alone is not a key,
        // and "-" on its own is the minus key.
        while rest.len() > 2 && rest.as_bytes()[1] == b'-' {
            match &rest[..2] {
                "C-" => ctrl = true,
                "M-" | "A-" => alt = true,
                "S-" => shift = true,
                _ => break,
            }
            rest = &rest[2..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "backspace" => KeyCode::Backspace,
                "tab" if shift => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "insert" => KeyCode::Insert,
                "delete" | "del" => KeyCode::Delete,
                f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("unknown key name {name:?}")),
                },
                _ => return Err(format!("unknown key name {name:?}")),
            },
        };
        let code = match code {
            KeyCode::Char(c) if shift => KeyCode::Char(c.to_uppercase().next().unwrap_or(c)),
            // Ctrl-letters arrive lowercase whatever the shift state.
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("C-")?;
        }
        if self.alt {
            f.write_str("M-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}

/// Which action each key triggers, and the keys of each action (for help).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keymap {
    by_key: BTreeMap<Key, Action>,
}

impl Keymap {
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.by_key.get(key).copied()
    }

    /// Keys bound to `action`, in a stable order (characters first).
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.by_key
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Bind `keys` to `action`, replacing what the action had before. A key
    /// that another action had moves to this one: the later binding wins.
    pub fn bind(&mut self, action: Action, keys: &[Key]) {
        self.by_key.retain(|_, a| *a != action);
        for key in keys {
            self.by_key.insert(*key, action);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_parse() {
        assert_eq!(Key::parse("j").unwrap(), Key::char('j'));
        assert_eq!(Key::parse("G").unwrap(), Key::char('G'));
        assert_eq!(Key::parse("S-g").unwrap(), Key::char('G'));
        assert_eq!(Key::parse("Space").unwrap(), Key::char(' '));
        assert_eq!(Key::parse("C-l").unwrap(), Key::ctrl('l'));
        assert_eq!(Key::parse("C-L").unwrap(), Key::ctrl('l'));
        assert_eq!(Key::parse("S-Tab").unwrap(), Key::plain(KeyCode::BackTab));
        assert_eq!(
            Key::parse("PageDown").unwrap(),
            Key::plain(KeyCode::PageDown)
        );
        assert_eq!(Key::parse("F1").unwrap(), Key::plain(KeyCode::F(1)));
        assert_eq!(Key::parse("-").unwrap(), Key::char('-'));
        assert_eq!(Key::parse("'").unwrap(), Key::char('\''));
        assert!(Key::parse("C-").is_err());
        assert!(Key::parse("Hyper").is_err());
        assert!(Key::parse("F13").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn names_round_trip() {
        for name in ["j", "Down", "C-l", "S-Tab", "Space", "M-x", "F5", "?"] {
            let key = Key::parse(name).unwrap();
            assert_eq!(Key::parse(&key.to_string()).unwrap(), key, "{name}");
        }
    }

    #[test]
    fn later_binding_takes_the_key() {
        let mut map = Keymap::default();
        map.bind(Action::Next, &[Key::char('j'), Key::plain(KeyCode::Down)]);
        map.bind(Action::Prev, &[Key::char('j')]);
        assert_eq!(map.action(&Key::char('j')), Some(Action::Prev));
        assert_eq!(map.keys_for(Action::Next), vec![Key::plain(KeyCode::Down)]);
        map.bind(Action::Next, &[Key::char('x')]);
        assert_eq!(map.action(&Key::plain(KeyCode::Down)), None);
    }
}
