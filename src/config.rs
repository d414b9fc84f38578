//! Configuration: embedded defaults (`src/config.toml`) overridden, key
//! by key, by the user's `~/.config/qari/config.toml`.
//!
//! A broken setting never stops qari: it is reported with the file, line and
//! column, and the default is used for that setting only.

use crate::action::Action;
pub use crate::diagnostic::Diagnostic;
use crate::keymap::{Key, Keymap};
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

const DEFAULT_CONFIG: &str = include_str!("config.toml");

/// Which side the article list goes on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PaneOrder {
    /// List on the right, reader in the middle, entities on the left.
    #[default]
    Rtl,
    Ltr,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LangPref {
    /// Arabic interface for Arabic articles, English otherwise.
    #[default]
    Auto,
    Ar,
    En,
}

/// Whether the reading pane may scroll on its own, between left and right
/// margins, where the terminal says it has them (DECLRMM).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScrollMargins {
    /// Ask the terminal at start-up; use them if it has them.
    #[default]
    Auto,
    /// Never: no question asked, whole rows scroll as on any terminal.
    Off,
}

/// Who reorders right-to-left text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BidiMode {
    /// qari lays out visually and switches the terminal's own bidi off.
    #[default]
    App,
    /// The terminal reorders; qari sends logical text and no BDSM.
    Terminal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub theme: String,
    pub layout: PaneOrder,
    pub lang: LangPref,
    pub shaping: bool,
    pub bidi: BidiMode,
    /// Whether `y` may write to the clipboard (OSC 52).
    pub clipboard: bool,
    /// Whether web addresses are written as terminal hyperlinks (OSC 8).
    pub links: bool,
    pub scroll_margins: ScrollMargins,
    pub keymap: Keymap,
}

impl Diagnostic {
    /// A diagnostic at byte `offset` of `source`.
    pub fn at(file: &Path, source: &str, offset: usize, message: impl Into<String>) -> Diagnostic {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Diagnostic {
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    pub fn whole_file(file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }

    /// From a TOML parse error, which carries a byte span.
    pub fn from_toml(file: &Path, source: &str, err: &toml::de::Error) -> Diagnostic {
        let offset = err.span().map_or(0, |s| s.start);
        let message = err.message().trim().to_string();
        Diagnostic::at(file, source, offset, message)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

type RawTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

impl Default for Config {
    fn default() -> Config {
        Config::defaults()
    }
}

impl Config {
    /// The embedded defaults.
    pub fn defaults() -> Config {
        let mut config = Config {
            theme: "auto".into(),
            layout: PaneOrder::Rtl,
            lang: LangPref::Auto,
            shaping: true,
            bidi: BidiMode::App,
            clipboard: true,
            links: true,
            scroll_margins: ScrollMargins::Auto,
            keymap: Keymap::default(),
        };
        let diags = config.merge_str(DEFAULT_CONFIG, Path::new("<built-in config>"));
        debug_assert!(diags.is_empty(), "built-in config: {diags:?}");
        config
    }

    /// Defaults overridden by the file at `path`. A missing file is not an
    /// error; anything else wrong is reported and that part ignored.
    pub fn load(path: &Path) -> (Config, Vec<Diagnostic>) {
        let mut config = Config::defaults();
        let diags = match crate::store::read_regular(path, crate::store::MAX_SETTINGS_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(source) => config.merge_str(&source, path),
                Err(e) => vec![Diagnostic::whole_file(
                    path,
                    format!(
                        "not UTF-8 (byte {}); using the defaults",
                        e.utf8_error().valid_up_to()
                    ),
                )],
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => vec![Diagnostic::whole_file(
                path,
                format!("cannot read: {e}; using the defaults"),
            )],
        };
        (config, diags)
    }

    /// Apply the settings in `source` on top of `self`.
    pub fn merge_str(&mut self, source: &str, file: &Path) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let table: RawTable = match toml::from_str(source) {
            Ok(t) => t,
            Err(e) => {
                let mut d = Diagnostic::from_toml(file, source, &e);
                d.message.push_str("; using the defaults");
                return vec![d];
            }
        };
        for (key, value) in table {
            let at = |span: std::ops::Range<usize>, msg: String| {
                Diagnostic::at(file, source, span.start, msg)
            };
            let span = value.span();
            let v = value.get_ref();
            match key.get_ref().as_str() {
                "theme" => match v.as_str() {
                    Some(name) if !name.is_empty() => self.theme = name.to_string(),
                    _ => diags.push(at(span, "theme must be a theme name".into())),
                },
                "layout" => match v.as_str() {
                    Some("rtl") => self.layout = PaneOrder::Rtl,
                    Some("ltr") => self.layout = PaneOrder::Ltr,
                    _ => diags.push(at(span, "layout must be \"rtl\" or \"ltr\"".into())),
                },
                "lang" => match v.as_str() {
                    Some("auto") => self.lang = LangPref::Auto,
                    Some("ar") => self.lang = LangPref::Ar,
                    Some("en") => self.lang = LangPref::En,
                    _ => diags.push(at(span, "lang must be \"auto\", \"ar\" or \"en\"".into())),
                },
                "clipboard" => match v.as_bool() {
                    Some(b) => self.clipboard = b,
                    None => diags.push(at(span, "clipboard must be true or false".into())),
                },
                "links" => match v.as_bool() {
                    Some(b) => self.links = b,
                    None => diags.push(at(span, "links must be true or false".into())),
                },
                "shaping" => match v.as_bool() {
                    Some(b) => self.shaping = b,
                    None => diags.push(at(span, "shaping must be true or false".into())),
                },
                "bidi" => match v.as_str() {
                    Some("app") => self.bidi = BidiMode::App,
                    Some("terminal") => self.bidi = BidiMode::Terminal,
                    _ => diags.push(at(span, "bidi must be \"app\" or \"terminal\"".into())),
                },
                "scroll_margins" => match v.as_str() {
                    Some("auto") => self.scroll_margins = ScrollMargins::Auto,
                    Some("off") => self.scroll_margins = ScrollMargins::Off,
                    _ => diags.push(at(
                        span,
                        "scroll_margins must be \"auto\" or \"off\"".into(),
                    )),
                },
                "keys" => self.merge_keys(v, span, source, file, &mut diags),
                other => diags.push(at(key.span(), format!("unknown setting {other:?}"))),
            }
        }
        diags
    }

    fn merge_keys(
        &mut self,
        value: &toml::Value,
        span: std::ops::Range<usize>,
        source: &str,
        file: &Path,
        diags: &mut Vec<Diagnostic>,
    ) {
        if !value.is_table() {
            diags.push(Diagnostic::at(
                file,
                source,
                span.start,
                "keys must be a table",
            ));
            return;
        }
        // Re-parse the table with spans per entry: toml::Value drops them.
        let Some(keys) = keys_table_with_spans(source) else {
            return;
        };
        for (name, list) in keys {
            let Some(action) = Action::from_name(name.get_ref()) else {
                diags.push(Diagnostic::at(
                    file,
                    source,
                    name.span().start,
                    format!("unknown action {:?}", name.get_ref()),
                ));
                continue;
            };
            let names: Vec<&str> = match list.get_ref() {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(items) if items.iter().all(|i| i.is_str()) => {
                    items.iter().filter_map(|i| i.as_str()).collect()
                }
                _ => {
                    diags.push(Diagnostic::at(
                        file,
                        source,
                        list.span().start,
                        "keys must be a string or a list of strings",
                    ));
                    continue;
                }
            };
            let mut parsed = Vec::new();
            let mut ok = true;
            for n in names {
                match Key::parse(n) {
                    Ok(k) => parsed.push(k),
                    Err(e) => {
                        diags.push(Diagnostic::at(file, source, list.span().start, e));
                        ok = false;
                    }
                }
            }
            if ok {
                self.keymap.bind(action, &parsed);
            }
        }
    }
}

fn keys_table_with_spans(source: &str) -> Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>> {
    #[derive(serde::Deserialize)]
    struct Outer {
        keys: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    }
    toml::from_str::<Outer>(source).ok().map(|o| o.keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_bind_every_action() {
        let config = Config::defaults();
        for action in Action::ALL {
            assert!(
                !config.keymap.keys_for(action).is_empty(),
                "{action:?} has no key"
            );
        }
        assert_eq!(config.keymap.action(&Key::char('j')), Some(Action::Next));
        assert_eq!(config.keymap.action(&Key::ctrl('l')), Some(Action::Redraw));
        assert_eq!(config.layout, PaneOrder::Rtl);
    }

    #[test]
    fn user_file_overrides_part_of_the_defaults() {
        let mut config = Config::defaults();
        let src = "layout = \"ltr\"\n[keys]\nnext = [\"J\"]\n";
        let diags = config.merge_str(src, Path::new("config.toml"));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.layout, PaneOrder::Ltr);
        assert_eq!(config.keymap.action(&Key::char('J')), Some(Action::Next));
        assert_eq!(config.keymap.action(&Key::char('j')), None);
        assert_eq!(config.keymap.action(&Key::char('k')), Some(Action::Prev));
        assert_eq!(config.theme, "auto");
    }

    #[test]
    fn scroll_margins_are_auto_unless_turned_off() {
        let mut config = Config::defaults();
        assert_eq!(config.scroll_margins, ScrollMargins::Auto);
        let diags = config.merge_str("scroll_margins = \"off\"\n", Path::new("c.toml"));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.scroll_margins, ScrollMargins::Off);
        let diags = config.merge_str("scroll_margins = true\n", Path::new("c.toml"));
        assert_eq!(diags.len(), 1);
        assert!(diags[0].to_string().contains("c.toml:1:18"), "{}", diags[0]);
        assert_eq!(config.scroll_margins, ScrollMargins::Off, "kept as it was");
    }

    #[test]
    fn bad_values_name_line_and_column_and_keep_defaults() {
        let mut config = Config::defaults();
        let src = "theme = \"light\"\nlayout = \"up\"\n[keys]\nnxt = \"j\"\nprev = \"Hyper\"\n";
        let diags = config.merge_str(src, Path::new("/home/u/.config/qari/config.toml"));
        let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(config.theme, "light");
        assert_eq!(config.layout, PaneOrder::Rtl);
        assert!(
            text.contains(
                &"/home/u/.config/qari/config.toml:2:10: layout must be \"rtl\" or \"ltr\""
                    .to_string()
            ),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains(":4:1: unknown action \"nxt\"")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains(":5:8: unknown key name")),
            "{text:?}"
        );
        assert_eq!(config.keymap.action(&Key::char('k')), Some(Action::Prev));
    }

    #[test]
    fn syntax_error_falls_back_to_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "theme = \"light\"\nlayout = [\n").unwrap();
        let (config, diags) = Config::load(&path);
        assert_eq!(config, Config::defaults());
        assert_eq!(diags.len(), 1);
        assert!(diags[0].line >= 2, "{:?}", diags[0]);
        assert!(diags[0]
            .to_string()
            .starts_with(&format!("{}:", path.display())));
    }

    #[test]
    fn missing_file_is_silent_and_binary_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (c, d) = Config::load(&dir.path().join("nope.toml"));
        assert_eq!(c, Config::defaults());
        assert!(d.is_empty());
        let path = dir.path().join("bin.toml");
        std::fs::write(&path, b"\xff\xfe\x00junk").unwrap();
        let (c, d) = Config::load(&path);
        assert_eq!(c, Config::defaults());
        assert_eq!(d.len(), 1);
    }
}
