//! Themes: one style (colours plus modifiers) per role on screen.
//!
//! Built-in themes are embedded from `themes/*.toml`; a file
//! `~/.config/qari/themes/NAME.toml` overrides or adds one. A user theme
//! only needs the roles it changes; the rest come from `dark`. Colours are
//! reduced to what the terminal can show (truecolour → 256 → 16) here, so
//! the UI only converts types.

use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

const BUILTIN: [(&str, &str); 5] = [
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    ("terminal", include_str!("../themes/terminal.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../themes/mono.toml")),
];

/// A colour as written in a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Color {
    /// The terminal's own foreground or background.
    Default,
    /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
    Ansi(u8),
    /// An index into the 256-colour palette.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

const ANSI_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "bright-black",
    "bright-red",
    "bright-green",
    "bright-yellow",
    "bright-blue",
    "bright-magenta",
    "bright-cyan",
    "bright-white",
];

/// xterm's default RGB values of the 16 ANSI colours, for nearest-colour
/// matching.
const ANSI_RGB: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

impl Color {
    pub fn parse(s: &str) -> Result<Color, String> {
        let t = s.trim().to_ascii_lowercase();
        if t == "default" || t == "reset" {
            return Ok(Color::Default);
        }
        if let Some(hex) = t.strip_prefix('#') {
            if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                let v = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
            }
            return Err(format!("bad colour {s:?}: expected #rrggbb"));
        }
        if let Some(i) = ANSI_NAMES.iter().position(|n| *n == t.replace('_', "-")) {
            return Ok(Color::Ansi(i as u8));
        }
        if let Ok(n) = t.parse::<u8>() {
            return Ok(Color::Indexed(n));
        }
        Err(format!(
            "bad colour {s:?}: expected #rrggbb, 0-255, a colour name or \"default\""
        ))
    }

    /// This colour as the best the terminal can show.
    pub fn for_depth(self, depth: ColorDepth) -> Option<Color> {
        match (depth, self) {
            (ColorDepth::None, _) => None,
            (_, Color::Default) => Some(self),
            (ColorDepth::Ansi8, Color::Ansi(i)) => Some(Color::Ansi(to_8(i))),
            (_, Color::Ansi(_)) => Some(self),
            (ColorDepth::TrueColor, c) => Some(c),
            (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Some(Color::Indexed(rgb_to_256(r, g, b))),
            (ColorDepth::Ansi256, c) => Some(c),
            (ColorDepth::Ansi16 | ColorDepth::Ansi8, c) => {
                let i = match c {
                    Color::Rgb(r, g, b) => hue_keeping_ansi(r, g, b),
                    Color::Indexed(i) if i < 16 => i,
                    Color::Indexed(i) => {
                        let (r, g, b) = indexed_rgb(i);
                        hue_keeping_ansi(r, g, b)
                    }
                    // Handled above.
                    Color::Default | Color::Ansi(_) => return Some(c),
                };
                if depth == ColorDepth::Ansi8 {
                    Some(Color::Ansi(to_8(i)))
                } else {
                    Some(Color::Ansi(i))
                }
            }
        }
    }
}

/// One of the 8 base colours for an ANSI colour: bright ones lose their
/// brightness, except the greys, which keep light or dark.
fn to_8(i: u8) -> u8 {
    match i {
        8 => 0,
        15 => 7,
        9..=14 => i - 8,
        _ => i & 7,
    }
}

/// The ANSI colour for `(r, g, b)` that keeps its hue. Plain nearest-RGB
/// matching turns pastels (the entity colours of the dark theme) into white
/// or grey, so people and places looked the same on 16-colour terminals: a
/// colour with a clear hue maps to the ANSI colour of that hue (normal or
/// bright, whichever is closer); only a near-grey maps to a grey.
fn hue_keeping_ansi(r: u8, g: u8, b: u8) -> u8 {
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let chroma = (max - min) as f32;
    // Very light tints (a light theme's selection or focus backgrounds)
    // read as light greys; as saturated ANSI colours they would drown the
    // text on them.
    if chroma < 40.0 || chroma < 0.2 * max as f32 || min > 160 {
        // Greys: black, bright-black, white, bright-white.
        return [0u8, 8, 7, 15]
            .into_iter()
            .min_by_key(|i| dist(ANSI_RGB[*i as usize], (r, g, b)))
            .unwrap_or(7);
    }
    let (rf, gf, bf) = (r as f32, g as f32, b as f32);
    let h = if max == r {
        60.0 * ((gf - bf) / chroma)
    } else if max == g {
        60.0 * ((bf - rf) / chroma) + 120.0
    } else {
        60.0 * ((rf - gf) / chroma) + 240.0
    };
    let h = h.rem_euclid(360.0);
    // ANSI order: red 1, yellow 3, green 2, cyan 6, blue 4, magenta 5, by
    // hue sector of 60° centred on 0, 60, 120, …
    const BY_SECTOR: [u8; 6] = [1, 3, 2, 6, 4, 5];
    let base = BY_SECTOR[(((h + 30.0) / 60.0) as usize) % 6];
    [base, base + 8]
        .into_iter()
        .min_by_key(|i| dist(ANSI_RGB[*i as usize], (r, g, b)))
        .unwrap_or(base)
}

fn cube_level(v: u8) -> u8 {
    // The 6×6×6 cube uses levels 0, 95, 135, 175, 215, 255.
    if v < 48 {
        0
    } else if v < 115 {
        1
    } else {
        (v - 35) / 40
    }
}

/// The nearest entry of the xterm 256-colour palette: the colour cube or the
/// grey ramp, whichever is closer.
pub fn rgb_to_256(r: u8, g: u8, b: u8) -> u8 {
    let (cr, cg, cb) = (cube_level(r), cube_level(g), cube_level(b));
    let cube = 16 + 36 * cr + 6 * cg + cb;
    let avg = (r as u32 + g as u32 + b as u32) / 3;
    let grey_idx = if avg > 238 {
        23
    } else {
        (avg.saturating_sub(3)) / 10
    };
    let grey = 232 + grey_idx as u8;
    if dist(indexed_rgb(grey), (r, g, b)) < dist(indexed_rgb(cube), (r, g, b)) {
        grey
    } else {
        cube
    }
}

fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => ANSI_RGB[i as usize],
        16..=231 => {
            let i = i - 16;
            (
                LEVELS[(i / 36) as usize],
                LEVELS[(i / 6 % 6) as usize],
                LEVELS[(i % 6) as usize],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (x as i32 - y as i32).pow(2) as u32;
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    None,
    /// The 8 base colours only (the Linux console).
    Ansi8,
    Ansi16,
    Ansi256,
    TrueColor,
}

impl ColorDepth {
    /// From `NO_COLOR`, `COLORTERM` and `TERM`, the way most terminal
    /// programs decide.
    pub fn detect(no_color: bool, colorterm: Option<&str>, term: Option<&str>) -> ColorDepth {
        if no_color {
            return ColorDepth::None;
        }
        let ct = colorterm.unwrap_or("").to_ascii_lowercase();
        if ct == "truecolor" || ct == "24bit" {
            return ColorDepth::TrueColor;
        }
        let term = term.unwrap_or("").to_ascii_lowercase();
        if term.contains("direct") || term.contains("truecolor") {
            ColorDepth::TrueColor
        } else if term.contains("256") {
            ColorDepth::Ansi256
        } else if term == "dumb" {
            ColorDepth::None
        } else if term == "linux" {
            ColorDepth::Ansi8
        } else {
            ColorDepth::Ansi16
        }
    }

    /// From the process environment.
    pub fn from_env() -> ColorDepth {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        ColorDepth::detect(
            no_color,
            std::env::var("COLORTERM").ok().as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Modifiers {
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    pub reverse: bool,
}

impl Modifiers {
    pub fn is_empty(&self) -> bool {
        *self == Modifiers::default()
    }

    fn set(&mut self, name: &str) -> Result<(), String> {
        match name {
            "bold" => self.bold = true,
            "dim" => self.dim = true,
            "italic" => self.italic = true,
            "underline" | "underlined" => self.underline = true,
            "reverse" | "reversed" => self.reverse = true,
            _ => {
                return Err(format!(
                    "unknown modifier {name:?} (bold, dim, italic, underline, reverse)"
                ))
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub fg: Option<Color>,
    pub bg: Option<Color>,
    pub mods: Modifiers,
}

impl Style {
    /// `other` drawn over `self`: its colours where it has them, modifiers
    /// combined.
    pub fn patch(self, other: Style) -> Style {
        Style {
            fg: other.fg.or(self.fg),
            bg: other.bg.or(self.bg),
            mods: Modifiers {
                bold: self.mods.bold || other.mods.bold,
                dim: self.mods.dim || other.mods.dim,
                italic: self.mods.italic || other.mods.italic,
                underline: self.mods.underline || other.mods.underline,
                reverse: self.mods.reverse || other.mods.reverse,
            },
        }
    }
}

macro_rules! roles {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Everything on screen that has a style of its own.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role { $($variant),* }

        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$variant),*];
            pub fn name(self) -> &'static str {
                match self { $(Role::$variant => $name),* }
            }
            /// The layout style id of this role.
            pub fn id(self) -> u16 {
                self as u16
            }
            pub fn from_id(id: u16) -> Option<Role> {
                Role::ALL.get(id as usize).copied()
            }
            pub fn from_name(name: &str) -> Option<Role> {
                match name { $($name => Some(Role::$variant),)* _ => None }
            }
        }
    };
}

roles! {
    Text => "text",
    Title => "title",
    Meta => "meta",
    Heading => "heading",
    Quote => "quote",
    Border => "border",
    BorderFocus => "border_focus",
    PaneTitle => "pane_title",
    Status => "status",
    Prompt => "prompt",
    Warning => "warning",
    ListTitle => "list_title",
    ListMeta => "list_meta",
    ListSelected => "list_selected",
    Unread => "unread",
    Focus => "focus",
    FocusBar => "focus_bar",
    SearchHit => "search_hit",
    SearchCurrent => "search_current",
    Person => "person",
    Place => "place",
    Org => "org",
    Mention => "mention",
    Help => "help",
    HelpKey => "help_key",
    StatusMeta => "status_meta",
}

impl Role {
    /// Roles that carry text (borders, the focus bar and the focused
    /// paragraph's background do not): they need 4.5:1.
    fn is_text(self) -> bool {
        !matches!(
            self,
            Role::Border | Role::BorderFocus | Role::Focus | Role::FocusBar
        )
    }

    /// The bars across the screen, drawn on a background of their own.
    fn is_bar(self) -> bool {
        matches!(self, Role::Status | Role::StatusMeta | Role::Prompt)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// The background the theme is meant for (`background = ...` in its
    /// file); `None` when it uses the terminal's own.
    pub background: Option<Color>,
    styles: BTreeMap<Role, Style>,
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles.get(&role).copied().unwrap_or_default()
    }

    /// Names of the built-in themes.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// A built-in theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (_, src) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        let mut theme = Theme {
            name: name.to_string(),
            background: None,
            styles: BTreeMap::new(),
        };
        let diags = theme.merge_str(src, &PathBuf::from(format!("<built-in theme {name}>")));
        debug_assert!(diags.is_empty(), "{diags:?}");
        Some(theme)
    }

    /// The default theme.
    pub fn dark() -> Theme {
        Theme::builtin("dark").unwrap_or(Theme {
            name: "dark".into(),
            background: None,
            styles: BTreeMap::new(),
        })
    }

    /// Theme `name`: `user_dir/NAME.toml` if it exists (on top of the
    /// built-in theme of that name, or of dark), else the built-in one. An
    /// unknown name or a broken file is reported and falls back.
    pub fn load(name: &str, user_dir: Option<&Path>) -> (Theme, Vec<Diagnostic>) {
        let base = Theme::builtin(name);
        let safe_name = !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
        let file = user_dir
            .filter(|_| safe_name)
            .map(|d| d.join(format!("{name}.toml")));
        match file
            .as_deref()
            .map(|f| crate::store::read_regular(f, crate::store::MAX_SETTINGS_BYTES))
        {
            Some(Ok(bytes)) => {
                let path = file.clone().unwrap_or_default();
                let mut theme = base.unwrap_or_else(Theme::dark);
                theme.name = name.to_string();
                let source = match String::from_utf8(bytes) {
                    Ok(s) => s,
                    Err(_) => {
                        return (
                            Theme::dark(),
                            vec![Diagnostic::whole_file(
                                &path,
                                "not UTF-8; using the dark theme",
                            )],
                        )
                    }
                };
                let diags = theme.merge_str(&source, &path);
                (theme, diags)
            }
            Some(Err(e)) if e.kind() != std::io::ErrorKind::NotFound => {
                let path = file.unwrap_or_default();
                let d = Diagnostic::whole_file(
                    &path,
                    format!("cannot read: {e}; using the dark theme"),
                );
                (base.unwrap_or_else(Theme::dark), vec![d])
            }
            _ => match base {
                Some(t) => (t, Vec::new()),
                None => {
                    let known: Vec<&str> = Theme::builtin_names().collect();
                    let d = Diagnostic::whole_file(
                        Path::new("--theme"),
                        format!(
                            "no theme named {name:?} (built in: {}); using dark",
                            known.join(", ")
                        ),
                    );
                    (Theme::dark(), vec![d])
                }
            },
        }
    }

    /// Apply the styles in `source` over this theme's.
    pub fn merge_str(&mut self, source: &str, file: &Path) -> Vec<Diagnostic> {
        let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> = match toml::from_str(source) {
            Ok(t) => t,
            Err(e) => {
                let mut d = Diagnostic::from_toml(file, source, &e);
                d.message.push_str("; theme not applied");
                return vec![d];
            }
        };
        let mut diags = Vec::new();
        for (key, value) in table {
            if key.get_ref() == "background" {
                match value.get_ref().as_str().map(Color::parse) {
                    Some(Ok(c)) => self.background = Some(c),
                    Some(Err(e)) => diags.push(Diagnostic::at(file, source, value.span().start, e)),
                    None => diags.push(Diagnostic::at(
                        file,
                        source,
                        value.span().start,
                        "background: expected a colour string".to_string(),
                    )),
                }
                continue;
            }
            let Some(role) = Role::from_name(key.get_ref()) else {
                diags.push(Diagnostic::at(
                    file,
                    source,
                    key.span().start,
                    format!("unknown style {:?}", key.get_ref()),
                ));
                continue;
            };
            match style_from_value(value.get_ref(), key.get_ref()) {
                Ok(style) => {
                    self.styles.insert(role, style);
                }
                // Spans inside a table value are not kept by toml::Value;
                // the style's own position is on the same line.
                Err(msg) => diags.push(Diagnostic::at(file, source, value.span().start, msg)),
            }
        }
        diags
    }

    /// The theme with colours reduced to `depth`. With no colour at all the
    /// modifiers are all that is left, which is why every highlight has one.
    ///
    /// Below 24 bits a colour is mapped on its own, so a pair that read well
    /// can come out the same (bright-black text on black with 8 colours) or
    /// faint (green on white with 16): then the foreground is replaced by the
    /// nearest colour of the palette that reads on the role's background (its
    /// own, else the theme's) at 4.5:1 for text, or at least differs from it.
    pub fn for_depth(&self, depth: ColorDepth) -> Theme {
        let background = self.background.and_then(|c| c.for_depth(depth));
        // People, places and organizations must not meet in one colour.
        let mut kinds_taken = Vec::new();
        let mut styles = BTreeMap::new();
        for (role, s) in &self.styles {
            let mut bg = s.bg.and_then(|c| c.for_depth(depth));
            // A bar (status line, prompt) that stood out from the
            // background keeps standing out: #2b2f38 and #1c1c1c are both
            // black with 16 colours, and the bar vanished.
            if let (true, Some(original), Some(mapped), Some(back)) =
                (role.is_bar(), s.bg, bg, background)
            {
                if mapped == back && Some(original) != self.background {
                    bg = Some(readable_fg(original, mapped, back, 1.0, depth, &[]));
                }
            }
            let kind = matches!(role, Role::Person | Role::Place | Role::Org);
            let fg = s.fg.and_then(|original| {
                let fg = original.for_depth(depth)?;
                let Some(on) = bg.or(background) else {
                    return Some(fg);
                };
                let min = if role.is_text() { TEXT_CONTRAST } else { 1.0 };
                let taken: &[Color] = if kind { &kinds_taken } else { &[] };
                Some(readable_fg(original, fg, on, min, depth, taken))
            });
            if let (true, Some(fg)) = (kind, fg) {
                kinds_taken.push(fg);
            }
            styles.insert(
                *role,
                Style {
                    fg,
                    bg,
                    mods: s.mods,
                },
            );
        }
        Theme {
            name: self.name.clone(),
            background: self.background,
            styles,
        }
    }
}

/// WCAG AA for text.
const TEXT_CONTRAST: f64 = 4.5;

/// Whether `fg` reads on `on`: a contrast above `min` (and strictly above 1,
/// so never the same colour). Unknown colours (the terminal's own) pass.
fn reads_on(fg: Color, on: Color, min: f64) -> bool {
    contrast(fg, on).is_none_or(|c| c >= min && c > 1.0)
}

/// `mapped` (`original` reduced to `depth`) if it reads on `on` and is not
/// `taken`, else the palette colour nearest to `original` that does: with 16
/// or 8 colours a hue for a hue and a grey for a grey if it can, else any,
/// else the palette's best. Truecolour is the theme author's choice and kept.
fn readable_fg(
    original: Color,
    mapped: Color,
    on: Color,
    min: f64,
    depth: ColorDepth,
    taken: &[Color],
) -> Color {
    if depth == ColorDepth::TrueColor || (reads_on(mapped, on, min) && !taken.contains(&mapped)) {
        return mapped;
    }
    let Some(target) = rgb_of(original) else {
        return mapped;
    };
    let (palette, wrap): (std::ops::RangeInclusive<u8>, fn(u8) -> Color) = match depth {
        // The cube and the grey ramp: entries 0-15 are the user's palette.
        ColorDepth::Ansi256 => (16..=255, Color::Indexed),
        ColorDepth::Ansi16 => (0..=15, Color::Ansi),
        _ => (0..=7, Color::Ansi),
    };
    let is_grey = |i: u8| matches!(i, 0 | 7 | 8 | 15);
    let same_kind = |i: u8| match (depth, mapped) {
        (ColorDepth::Ansi16 | ColorDepth::Ansi8, Color::Ansi(m)) => is_grey(i) == is_grey(m),
        _ => true,
    };
    let readable: Vec<u8> = palette
        .clone()
        .filter(|i| reads_on(wrap(*i), on, min) && !taken.contains(&wrap(*i)))
        .collect();
    let nearest =
        |pool: &mut dyn Iterator<Item = u8>| pool.min_by_key(|i| dist(indexed_rgb(*i), target));
    nearest(&mut readable.iter().copied().filter(|i| same_kind(*i)))
        .or_else(|| nearest(&mut readable.iter().copied()))
        .map(wrap)
        .or_else(|| {
            palette.map(wrap).max_by(|a, b| {
                let c = |x: &Color| contrast(*x, on).unwrap_or(0.0);
                c(a).total_cmp(&c(b))
            })
        })
        .unwrap_or(mapped)
}

fn rgb_of(c: Color) -> Option<(u8, u8, u8)> {
    match c {
        Color::Default => None,
        Color::Ansi(i) | Color::Indexed(i) => Some(indexed_rgb(i)),
        Color::Rgb(r, g, b) => Some((r, g, b)),
    }
}

/// The built-in theme for a terminal whose background is `bg` (as its OSC 11
/// answer), else as `COLORFGBG` says ("15;0": light text on black), else
/// "terminal", which uses the terminal's own text colour.
pub fn auto_theme(bg: Option<(u8, u8, u8)>, colorfgbg: Option<&str>) -> &'static str {
    let bg = bg.or_else(|| {
        // The last field is the background's ANSI index ("fg;bg" or
        // "fg;default;bg" in rxvt).
        let idx: u8 = colorfgbg?.rsplit(';').next()?.trim().parse().ok()?;
        (idx < 16).then(|| ANSI_RGB[idx as usize])
    });
    match bg {
        Some((r, g, b)) if luminance(Color::Rgb(r, g, b)).unwrap_or(0.0) > 0.18 => "light",
        Some(_) => "dark",
        None => "terminal",
    }
}

/// Relative luminance (WCAG 2) of a colour; `None` for the terminal's own.
pub fn luminance(c: Color) -> Option<f64> {
    let (r, g, b) = match c {
        Color::Default => return None,
        Color::Ansi(i) | Color::Indexed(i) => indexed_rgb(i),
        Color::Rgb(r, g, b) => (r, g, b),
    };
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    Some(0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b))
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color, b: Color) -> Option<f64> {
    let (x, y) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    Some((hi + 0.05) / (lo + 0.05))
}

fn style_from_value(value: &toml::Value, role: &str) -> Result<Style, String> {
    let table = value
        .as_table()
        .ok_or_else(|| format!("{role}: expected a table like {{ fg = \"#rrggbb\" }}"))?;
    let mut style = Style::default();
    for (k, v) in table {
        match k.as_str() {
            "fg" | "bg" => {
                let s = v
                    .as_str()
                    .ok_or_else(|| format!("{role}.{k}: expected a string"))?;
                let c = Color::parse(s).map_err(|e| format!("{role}: {e}"))?;
                if k == "fg" {
                    style.fg = Some(c);
                } else {
                    style.bg = Some(c);
                }
            }
            "modifiers" => {
                let items = v
                    .as_array()
                    .ok_or_else(|| format!("{role}.modifiers: expected a list"))?;
                for item in items {
                    let name = item
                        .as_str()
                        .ok_or_else(|| format!("{role}.modifiers: expected strings"))?;
                    style.mods.set(name).map_err(|e| format!("{role}: {e}"))?;
                }
            }
            other => {
                return Err(format!(
                    "{role}: unknown field {other:?} (fg, bg, modifiers)"
                ))
            }
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every colour depth a theme is drawn at.
    const EVERY_DEPTH: [ColorDepth; 5] = [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
        ColorDepth::Ansi8,
        ColorDepth::None,
    ];

    #[test]
    fn builtin_themes_parse_and_cover_every_role() {
        for name in Theme::builtin_names() {
            let theme = Theme::builtin(name).unwrap();
            for role in Role::ALL {
                assert!(
                    theme.styles.contains_key(role),
                    "{name} lacks {}",
                    role.name()
                );
            }
        }
    }

    #[test]
    fn every_highlight_has_a_modifier() {
        let highlights = [
            Role::SearchHit,
            Role::SearchCurrent,
            Role::Person,
            Role::Place,
            Role::Org,
            Role::Mention,
            Role::ListSelected,
            Role::FocusBar,
            Role::Unread,
        ];
        for name in Theme::builtin_names() {
            let theme = Theme::builtin(name).unwrap();
            for role in highlights {
                assert!(!theme.style(role).mods.is_empty(), "{name}/{}", role.name());
            }
        }
    }

    /// Every role reads against the background it is drawn on (its own,
    /// else the theme's) at every colour depth, after the reduction to
    /// 256, 16 and 8 colours: text roles at WCAG AA (4.5:1), other roles
    /// with both colours at 3:1, and no foreground ever equals its
    /// background (bright-black on black once hid the 8-colour meta line).
    #[test]
    fn roles_have_enough_contrast_at_every_depth() {
        use Role::*;
        let text_roles = [
            Text,
            Title,
            Meta,
            Heading,
            Quote,
            PaneTitle,
            Status,
            Prompt,
            Warning,
            ListTitle,
            ListMeta,
            ListSelected,
            Unread,
            SearchHit,
            SearchCurrent,
            Person,
            Place,
            Org,
            Mention,
            Help,
            HelpKey,
            StatusMeta,
        ];
        let mut checked = 0;
        for name in Theme::builtin_names() {
            let theme = Theme::builtin(name).unwrap();
            for depth in EVERY_DEPTH {
                let t = theme.for_depth(depth);
                let background = theme.background.and_then(|c| c.for_depth(depth));
                for &role in Role::ALL {
                    let st = t.style(role);
                    let (Some(fg), Some(bg)) = (st.fg, st.bg.or(background)) else {
                        // The terminal's own colours on one side: its own
                        // choice, nothing to check.
                        continue;
                    };
                    let at = format!("{name} {depth:?} {}: {fg:?} on {bg:?}", role.name());
                    assert_ne!(fg, bg, "{at}");
                    let Some(c) = contrast(fg, bg) else {
                        continue;
                    };
                    let min = if text_roles.contains(&role) {
                        4.5
                    } else if st.bg.is_some() {
                        3.0
                    } else {
                        1.01
                    };
                    assert!(c >= min, "{at}: {c:.2} < {min}");
                    checked += 1;
                }
                // The bars stand out from the background wherever they did
                // in 24 bits (the 16-colour status line was black on a
                // black terminal).
                for role in [Status, StatusMeta, Prompt] {
                    let (own, back) = (theme.style(role).bg, theme.background);
                    if own.is_some() && back.is_some() && own != back && depth != ColorDepth::None {
                        assert_ne!(
                            t.style(role).bg,
                            background,
                            "{name} {depth:?} {}",
                            role.name()
                        );
                    }
                }
            }
        }
        assert!(checked > 250, "{checked}");
    }

    /// The case seen in xterm with 8 colours: the dark theme's grey meta
    /// text must not turn into black on black.
    #[test]
    fn eight_colours_keep_grey_text_visible() {
        let t = Theme::dark().for_depth(ColorDepth::Ansi8);
        assert_eq!(t.style(Role::Meta).fg, Some(Color::Ansi(7)));
        let light = Theme::builtin("light")
            .unwrap()
            .for_depth(ColorDepth::Ansi16);
        // Green on white is 2.2:1 in xterm's palette; a readable hue instead.
        let person = light.style(Role::Person).fg.unwrap();
        assert!(
            contrast(person, Color::Ansi(15)).unwrap() >= 4.5,
            "{person:?}"
        );
        assert!(!matches!(person, Color::Ansi(0 | 7 | 8 | 15)), "{person:?}");
    }

    #[test]
    fn theme_follows_the_terminal_background() {
        assert_eq!(auto_theme(Some((255, 255, 255)), None), "light");
        assert_eq!(auto_theme(Some((0xfd, 0xf6, 0xe3)), Some("15;0")), "light");
        assert_eq!(auto_theme(Some((0x1e, 0x1e, 0x1e)), None), "dark");
        assert_eq!(auto_theme(None, Some("15;0")), "dark");
        assert_eq!(auto_theme(None, Some("0;15")), "light");
        assert_eq!(auto_theme(None, Some("0;default;7")), "light");
        assert_eq!(auto_theme(None, Some("garbage")), "terminal");
        assert_eq!(auto_theme(None, None), "terminal");
        assert!(
            (contrast(Color::Rgb(0, 0, 0), Color::Rgb(255, 255, 255)).unwrap() - 21.0).abs() < 0.01
        );
    }

    #[test]
    fn colours_degrade() {
        assert_eq!(Color::parse("#ff0000").unwrap(), Color::Rgb(255, 0, 0));
        assert_eq!(Color::parse("bright-red").unwrap(), Color::Ansi(9));
        assert_eq!(Color::parse("208").unwrap(), Color::Indexed(208));
        assert!(Color::parse("#ff00").is_err());
        assert_eq!(rgb_to_256(255, 0, 0), 196);
        assert_eq!(rgb_to_256(0, 0, 0), 16);
        assert_eq!(rgb_to_256(128, 128, 128), 244);
        let red = Color::Rgb(250, 10, 10);
        assert_eq!(red.for_depth(ColorDepth::Ansi16), Some(Color::Ansi(9)));
        assert_eq!(red.for_depth(ColorDepth::None), None);
        assert_eq!(
            Color::Indexed(196).for_depth(ColorDepth::Ansi16),
            Some(Color::Ansi(9))
        );
    }

    /// People, places and organizations stay apart at every colour depth:
    /// in 16 and 8 colours by a hue each (not white or grey), and with no
    /// colour at all by their modifiers.
    #[test]
    fn entity_kinds_stay_apart_at_every_depth() {
        let kinds = [Role::Person, Role::Place, Role::Org];
        let greys = [0, 7, 8, 15].map(Color::Ansi);
        for name in Theme::builtin_names() {
            let theme = Theme::builtin(name).unwrap();
            for depth in EVERY_DEPTH {
                let t = theme.for_depth(depth);
                let styles = kinds.map(|k| t.style(k));
                for (i, a) in styles.iter().enumerate() {
                    for b in &styles[i + 1..] {
                        assert_ne!(a.mods, b.mods, "{name} {depth:?}");
                        if a.fg.is_some() {
                            assert_ne!(a.fg, b.fg, "{name} {depth:?}");
                        }
                    }
                    // On white with 8 colours only red and blue read at
                    // 4.5:1, so the third kind is black there and stands
                    // apart by its modifier alone.
                    let hues_enough = !(name == "light" && depth == ColorDepth::Ansi8);
                    if name != "mono" && depth != ColorDepth::None {
                        let fg = a.fg.unwrap();
                        if depth <= ColorDepth::Ansi16 && hues_enough {
                            assert!(!greys.contains(&fg), "{name} {depth:?} {fg:?}");
                        }
                        if let (ColorDepth::Ansi8, Color::Ansi(i)) = (depth, fg) {
                            assert!(i < 8, "{name}: {i}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn sixteen_colours_keep_hue() {
        let c = |r, g, b| Color::Rgb(r, g, b).for_depth(ColorDepth::Ansi16);
        // The dark theme's pastels: green, light blue, pink.
        assert_eq!(c(0x8f, 0xd1, 0x8f), Some(Color::Ansi(2)));
        assert_eq!(c(0x7c, 0xc7, 0xe8), Some(Color::Ansi(6)));
        assert_eq!(c(0xe3, 0x9a, 0xe0), Some(Color::Ansi(5)));
        // Greys and light tints stay grey.
        assert_eq!(c(0xd7, 0xd3, 0xcb), Some(Color::Ansi(7)));
        assert_eq!(c(0xbc, 0xd4, 0xf0), Some(Color::Ansi(7)));
        assert_eq!(c(0x8f, 0x8a, 0x80), Some(Color::Ansi(8)));
        assert_eq!(c(0x10, 0x10, 0x10), Some(Color::Ansi(0)));
        let c8 = |c: Color| c.for_depth(ColorDepth::Ansi8);
        assert_eq!(c8(Color::Ansi(13)), Some(Color::Ansi(5)));
        assert_eq!(c8(Color::Ansi(8)), Some(Color::Ansi(0)));
        assert_eq!(c8(Color::Indexed(15)), Some(Color::Ansi(7)));
        assert_eq!(c8(Color::Default), Some(Color::Default));
    }

    #[test]
    fn depth_from_environment() {
        let d = ColorDepth::detect;
        assert_eq!(
            d(false, Some("truecolor"), Some("xterm")),
            ColorDepth::TrueColor
        );
        assert_eq!(d(false, None, Some("xterm-256color")), ColorDepth::Ansi256);
        assert_eq!(d(false, None, Some("xterm")), ColorDepth::Ansi16);
        assert_eq!(d(false, None, Some("linux")), ColorDepth::Ansi8);
        assert_eq!(
            d(true, Some("truecolor"), Some("xterm-256color")),
            ColorDepth::None
        );
    }

    #[test]
    fn user_theme_overrides_and_reports_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "text = { fg = \"#010203\" }\nfocus = { bg = \"purple-ish\" }\nsparkle = {}\n",
        )
        .unwrap();
        let (theme, diags) = Theme::load("mine", Some(dir.path()));
        assert_eq!(theme.style(Role::Text).fg, Some(Color::Rgb(1, 2, 3)));
        // Unset and broken roles keep dark's.
        assert_eq!(theme.style(Role::Focus), Theme::dark().style(Role::Focus));
        assert_eq!(theme.style(Role::Title), Theme::dark().style(Role::Title));
        let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("mine.toml:2:9: focus: bad colour")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("mine.toml:3:1: unknown style")),
            "{text:?}"
        );
    }

    #[test]
    fn broken_theme_file_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("light.toml"), "text = { fg = \n").unwrap();
        let (theme, diags) = Theme::load("light", Some(dir.path()));
        assert_eq!(
            theme.style(Role::Text),
            Theme::builtin("light").unwrap().style(Role::Text)
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 1);
        let (theme, diags) = Theme::load("nonesuch", Some(dir.path()));
        assert_eq!(theme, Theme::dark());
        assert_eq!(diags.len(), 1);
    }
}
