//! What qari learns of the terminal before the first frame, as data: what
//! `TERM` names, the start-up questions (the background colour, OSC 11;
//! whether it has left and right margins, DECRQM for DECLRMM) and how
//! their replies read. They are asked in one round trip with a DA1 query
//! behind them: every terminal answers DA1, and answers in order, so its
//! reply ends the wait. The asking itself is terminal I/O, in `ui::ask`.

/// Whether `TERM` names a terminal known to have scroll regions (DECSTBM)
/// with scroll up / down (SU / SD). The Linux console and `dumb` lack
/// SU/SD, and an unknown terminal is not trusted with them (nor asked
/// about margins: a terminal that does not parse DECRQM may print it).
pub fn has_scroll_regions(term: Option<&str>) -> bool {
    let term = term.unwrap_or("").to_ascii_lowercase();
    let family = |names: &[&str]| names.iter().any(|n| term.starts_with(n));
    family(&[
        "xterm",
        "screen",
        "tmux",
        "rxvt",
        "alacritty",
        "foot",
        "kitty",
        "wezterm",
        "st-",
        "vte",
        "gnome",
        "konsole",
        "iterm",
        "putty",
        "contour",
        "mlterm",
        "ms-terminal",
    ]) || term == "st"
}

/// What to ask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The background colour (OSC 11).
    pub background: bool,
    /// The state of left/right margin mode (DECRQM `CSI ? 69 $ p`).
    pub margins: bool,
}

/// A DEC private mode's state as DECRPM reports it (`CSI ? mode ; Ps $ y`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeState {
    /// Ps 0: the terminal does not know the mode.
    Unknown,
    /// Ps 1.
    Set,
    /// Ps 2.
    Reset,
    /// Ps 3.
    AlwaysSet,
    /// Ps 4.
    AlwaysReset,
}

impl ModeState {
    fn from_ps(ps: u32) -> Option<ModeState> {
        Some(match ps {
            0 => ModeState::Unknown,
            1 => ModeState::Set,
            2 => ModeState::Reset,
            3 => ModeState::AlwaysSet,
            4 => ModeState::AlwaysReset,
            _ => return None,
        })
    }

    /// The mode is known and can be on.
    pub fn usable(self) -> bool {
        matches!(
            self,
            ModeState::Set | ModeState::Reset | ModeState::AlwaysSet
        )
    }
}

/// What the terminal answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    pub background: Option<(u8, u8, u8)>,
    /// DECLRMM's state, if the terminal reported it.
    pub margins: Option<ModeState>,
}

const QUERY_BG: &[u8] = b"\x1b]11;?\x07";
const QUERY_LRMM: &[u8] = b"\x1b[?69$p";
const QUERY_DA1: &[u8] = b"\x1b[c";

impl Query {
    /// The bytes written: the questions, then DA1. The OSC ends with BEL,
    /// which every terminal that knows OSC 11 takes (urxvt's release
    /// answers an ST-ended one with a bare ESC).
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.background {
            out.extend_from_slice(QUERY_BG);
        }
        if self.margins {
            out.extend_from_slice(QUERY_LRMM);
        }
        out.extend_from_slice(QUERY_DA1);
        out
    }
}

/// The answers in `replies`, and whether the DA1 reply (the last one) is
/// among them. Bytes that are no reply (a key typed meanwhile) are skipped;
/// a reply cut short is ignored until the rest comes.
pub fn parse_replies(replies: &[u8]) -> (Answers, bool) {
    let mut answers = Answers::default();
    let mut i = 0;
    while let Some(at) = replies[i..].iter().position(|&b| b == 0x1b) {
        let start = i + at;
        match replies.get(start + 1) {
            Some(b']') => {
                let body = &replies[start + 2..];
                let end = body.iter().enumerate().find_map(|(k, &b)| match b {
                    0x07 => Some((k, 1)),
                    0x1b if body.get(k + 1) == Some(&b'\\') => Some((k, 2)),
                    _ => None,
                });
                let Some((len, term)) = end else {
                    break;
                };
                if let Some(spec) = body[..len].strip_prefix(b"11;") {
                    if let Ok(c) = xterm_color::Color::parse(spec) {
                        answers.background = Some((to_u8(c.red), to_u8(c.green), to_u8(c.blue)));
                    }
                }
                i = start + 2 + len + term;
            }
            Some(b'[') => {
                let body = &replies[start + 2..];
                let Some(fin) = body.iter().position(|b| (0x40..=0x7e).contains(b)) else {
                    break;
                };
                let params = &body[..fin];
                match body[fin] {
                    b'c' if params.first() == Some(&b'?') => return (answers, true),
                    b'y' => {
                        if let Some(ps) = params
                            .strip_prefix(b"?69;")
                            .and_then(|p| p.strip_suffix(b"$"))
                            .and_then(|p| std::str::from_utf8(p).ok())
                            .and_then(|p| p.parse().ok())
                        {
                            answers.margins = ModeState::from_ps(ps);
                        }
                    }
                    _ => {}
                }
                i = start + 2 + fin + 1;
            }
            Some(_) => i = start + 1,
            None => break,
        }
    }
    (answers, false)
}

/// A 16-bit colour channel in 8 bits.
fn to_u8(channel: u16) -> u8 {
    (u32::from(channel) * 255 / 65535) as u8
}

/// Whether the terminal may be asked anything: not without a `TERM`, not
/// `dumb`; not GNU screen, which answers DA1 before the OSC 11 it passes on
/// (the late reply would arrive as keys), nor Eterm, which has no DA1.
pub fn may_ask(term: Option<&str>) -> bool {
    match term {
        None | Some("") | Some("dumb") | Some("Eterm") => false,
        Some(t) => t != "screen" && !t.starts_with("screen."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_questions_end_with_da1() {
        let q = Query {
            background: true,
            margins: true,
        };
        assert_eq!(q.bytes(), b"\x1b]11;?\x07\x1b[?69$p\x1b[c");
        let q = Query {
            background: false,
            margins: true,
        };
        assert_eq!(q.bytes(), b"\x1b[?69$p\x1b[c");
    }

    #[test]
    fn replies_are_read_in_any_mix() {
        // xterm: background (ST-ended), DECRPM reset, DA1.
        let xterm = b"\x1b]11;rgb:ffff/ffff/dddd\x1b\\\x1b[?69;2$y\x1b[?64;1;2;6;9;15;16;17;18;21;22;28;29c";
        assert_eq!(
            parse_replies(xterm),
            (
                Answers {
                    background: Some((255, 255, 221)),
                    margins: Some(ModeState::Reset),
                },
                true
            )
        );
        // A terminal that knows neither question: DA1 alone.
        assert_eq!(parse_replies(b"\x1b[?62;22c"), (Answers::default(), true));
        // One that does not know the mode says 0; BEL-ended colour.
        let (a, done) = parse_replies(b"\x1b]11;rgb:0000/0000/0000\x07\x1b[?69;0$y\x1b[?1;2c");
        assert!(done);
        assert_eq!(a.background, Some((0, 0, 0)));
        assert_eq!(a.margins, Some(ModeState::Unknown));
        assert!(!ModeState::Unknown.usable() && !ModeState::AlwaysReset.usable());
        assert!(ModeState::Reset.usable() && ModeState::Set.usable());
        // Cut short: what is whole counts, the end is not there yet.
        let (a, done) = parse_replies(b"\x1b[?69;1$y\x1b[?6");
        assert_eq!((a.margins, done), (Some(ModeState::Set), false));
        let (a, done) = parse_replies(b"\x1b]11;rgb:ff");
        assert_eq!((a, done), (Answers::default(), false));
        // A key typed meanwhile, another mode's report and a bad state are
        // skipped.
        let (a, done) = parse_replies(b"j\x1b[?2026;2$y\x1b[?69;7$y\x1bO\x1b[?1c");
        assert_eq!((a, done), (Answers::default(), true));
    }

    proptest::proptest! {
        /// Whatever comes back (a reply cut anywhere, noise, keys), reading
        /// it never panics, and what comes after the DA1 reply changes
        /// nothing.
        #[test]
        fn any_reply_reads(noise in proptest::collection::vec(proptest::num::u8::ANY, 0..64), cut in 0usize..40) {
            let xterm = b"\x1b]11;rgb:ffff/ffff/dddd\x1b\\\x1b[?69;2$y\x1b[?64;1c";
            let mut bytes = xterm[..cut.min(xterm.len())].to_vec();
            bytes.extend_from_slice(&noise);
            parse_replies(&bytes);
            let mut whole = xterm.to_vec();
            whole.extend_from_slice(&noise);
            proptest::prop_assert_eq!(parse_replies(&whole), parse_replies(xterm));
        }
    }

    #[test]
    fn some_terminals_are_never_asked() {
        for t in [
            None,
            Some(""),
            Some("dumb"),
            Some("screen"),
            Some("screen.xterm-256color"),
            Some("Eterm"),
        ] {
            assert!(!may_ask(t), "{t:?}");
        }
        assert!(may_ask(Some("xterm-256color")) && may_ask(Some("tmux-256color")));
        assert!(has_scroll_regions(Some("xterm")) && !has_scroll_regions(Some("linux")));
    }
}
