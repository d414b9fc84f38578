//! `qari doctor`: what the terminal is, a test line laid out both ways, and
//! which `--bidi` mode and settings to use there.

use clap::Parser;
use qari::layout::{layout_paragraph, BaseDirection, LayoutOptions};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Parser, Debug)]
pub struct Args {}

/// The test line: joined letters, a number and a Latin word, so a wrong
/// order or missing shaping shows at once.
const SAMPLE: &str = "مرحبًا بكم في قارئ 2024 (qari) للأخبار";

/// What the environment says about the terminal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detected {
    pub term: Option<String>,
    pub vte_version: Option<u32>,
    pub term_program: Option<String>,
    pub kitty: bool,
    pub windows_terminal: bool,
    pub konsole: bool,
    pub mlterm: bool,
    pub tmux: bool,
    pub screen: bool,
    pub mosh: bool,
}

impl Detected {
    pub fn from_env() -> Detected {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let term = var("TERM");
        Detected {
            vte_version: var("VTE_VERSION").and_then(|v| v.parse().ok()),
            term_program: var("TERM_PROGRAM"),
            kitty: var("KITTY_WINDOW_ID").is_some() || term.as_deref() == Some("xterm-kitty"),
            windows_terminal: var("WT_SESSION").is_some(),
            konsole: var("KONSOLE_VERSION").is_some(),
            mlterm: var("MLTERM").is_some(),
            tmux: var("TMUX").is_some(),
            screen: var("STY").is_some(),
            mosh: parent_is_mosh(),
            term,
        }
    }
}

/// mosh sets no variable of its own; its server is the shell's parent.
fn parent_is_mosh() -> bool {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return false;
    };
    // Field 4 (after the parenthesised name, which may hold spaces) is the
    // parent's pid; its parent in turn is the shell's.
    let ppid = |stat: &str| -> Option<u32> {
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let mut pid = ppid(&stat);
    for _ in 0..3 {
        let Some(p) = pid else { return false };
        let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
        if comm.trim() == "mosh-server" {
            return true;
        }
        pid = std::fs::read_to_string(format!("/proc/{p}/stat"))
            .ok()
            .and_then(|s| ppid(&s));
    }
    false
}

/// What to set, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advice {
    /// The `--bidi` mode: "app" or "terminal".
    pub bidi: &'static str,
    /// Whether the terminal honours BDSM (CSI 8 l), where that is known.
    pub bdsm: Option<bool>,
    pub notes: Vec<String>,
}

pub fn advise(d: &Detected) -> Advice {
    let mut notes = Vec::new();
    let program = d.term_program.as_deref().unwrap_or("");
    let (bidi, bdsm) = if d.kitty {
        notes.push(
            "kitty shapes Arabic but does not reorder: keep --bidi app and set \
             `force_ltr yes` in kitty.conf so it leaves qari's order alone"
                .into(),
        );
        ("app", None)
    } else if d.konsole {
        notes.push(
            "Konsole reorders right-to-left text itself: turn off \"Bi-Directional \
             text rendering\" (profile, Advanced) and use --bidi app, or keep it on \
             and use --bidi terminal"
                .into(),
        );
        ("terminal", Some(false))
    } else if d.mlterm {
        notes.push("mlterm always reorders: use --bidi terminal".into());
        ("terminal", Some(false))
    } else if program == "Apple_Terminal" {
        notes.push("macOS Terminal always reorders and shapes: use --bidi terminal".into());
        ("terminal", Some(false))
    } else if program == "mintty" {
        notes.push(
            "mintty honours BDSM, which qari switches off while it runs: --bidi app \
             (or set Bidi=0 in ~/.minttyrc)"
                .into(),
        );
        ("app", Some(true))
    } else if let Some(v) = d.vte_version {
        if v >= 5800 {
            notes.push(format!(
                "VTE {}.{} (GNOME Terminal, Tilix, …) reorders but honours BDSM, which \
                 qari switches off while it runs: --bidi app",
                v / 10000,
                v / 100 % 100
            ));
            ("app", Some(true))
        } else {
            notes.push("this VTE predates bidi support and never reorders: --bidi app".into());
            ("app", None)
        }
    } else if d.windows_terminal {
        notes.push(
            "Windows Terminal: recent versions do not reorder (--bidi app); if line 1 \
             below is backwards and line 2 right, yours does: use --bidi terminal"
                .into(),
        );
        ("app", None)
    } else {
        ("app", None)
    };
    if d.tmux {
        notes.push(
            "inside tmux: what the outer terminal does decides (tmux passes BDSM on \
             only if that terminal gets it); for `y` (copy) set `set -g set-clipboard on`"
                .into(),
        );
    }
    if d.screen {
        notes.push("inside GNU screen: copy (OSC 52) and links (OSC 8) do not get through".into());
    }
    if d.mosh {
        notes.push(
            "over mosh: mosh redraws the screen itself and drops BDSM and OSC 8 links; \
             copy (OSC 52) works with mosh 1.4 and later"
                .into(),
        );
    }
    Advice { bidi, bdsm, notes }
}

fn layout_line(text: &str) -> String {
    let layout = layout_paragraph(
        text,
        200,
        BaseDirection::Rtl,
        &[],
        &LayoutOptions::default(),
    );
    layout
        .lines
        .first()
        .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect())
        .unwrap_or_default()
}

pub fn run(_: Args) -> ExitCode {
    let d = Detected::from_env();
    let a = advise(&d);
    let tty = std::io::stdout().is_terminal();
    let mut out = String::new();
    let show = |v: &Option<String>| {
        v.clone().map_or("(not set)".to_string(), |s| {
            qari::text::sanitize_line(&s).into_owned()
        })
    };
    out.push_str("Terminal\n");
    out.push_str(&format!("  TERM          {}\n", show(&d.term)));
    out.push_str(&format!(
        "  VTE_VERSION   {}\n",
        d.vte_version.map_or("(not set)".into(), |v| v.to_string())
    ));
    out.push_str(&format!("  TERM_PROGRAM  {}\n", show(&d.term_program)));
    for (name, on) in [
        ("kitty", d.kitty),
        ("Windows Terminal", d.windows_terminal),
        ("Konsole", d.konsole),
        ("mlterm", d.mlterm),
        ("tmux", d.tmux),
        ("screen", d.screen),
        ("mosh", d.mosh),
    ] {
        if on {
            out.push_str(&format!("  {name:<13} yes\n"));
        }
    }
    out.push_str("\nTest line (should read right to left, letters joined):\n");
    let visual = layout_line(SAMPLE);
    // Line 1 as the reader draws it: laid out by qari, with the terminal's
    // own reordering switched off (BDSM) for that line only.
    if tty {
        out.push_str(&format!("  1 (--bidi app)       \x1b[8l{visual}\x1b[8h\n"));
    } else {
        out.push_str(&format!("  1 (--bidi app)       {visual}\n"));
    }
    out.push_str(&format!("  2 (--bidi terminal)  {SAMPLE}\n"));
    out.push_str(
        "  Whichever line reads right is the mode for this terminal; if both do,\n  \
         use app.\n",
    );
    out.push_str(&format!(
        "\nBDSM (CSI 8 l) honoured: {}\n",
        match a.bdsm {
            Some(true) => "yes",
            Some(false) => "no",
            None => "cannot be known from here",
        }
    ));
    if tty && qari::term::has_scroll_regions(d.term.as_deref()) {
        // Asked as the reader asks it at start-up.
        let query = qari::term::Query {
            background: false,
            margins: true,
        };
        let answer = qari::ui::ask::ask(query, std::time::Duration::from_millis(100));
        out.push_str(&format!(
            "Left/right margins (DECLRMM, asked): {}\n",
            match answer.margins {
                Some(m) if m.usable() => "yes: the reading pane scrolls alone",
                Some(_) => "no: whole rows scroll",
                None => "no answer: whole rows scroll",
            }
        ));
    }
    out.push_str(&format!("Suggested: qari --bidi {}\n", a.bidi));
    for n in &a.notes {
        out.push_str(&format!("  - {n}\n"));
    }
    let mut stdout = std::io::stdout().lock();
    super::output_written(
        stdout
            .write_all(out.as_bytes())
            .and_then(|_| stdout.flush()),
        "doctor",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_per_terminal() {
        let d = Detected::default();
        assert_eq!(advise(&d).bidi, "app");
        let kitty = advise(&Detected {
            kitty: true,
            ..d.clone()
        });
        assert_eq!(kitty.bidi, "app");
        assert!(kitty.notes[0].contains("force_ltr"));
        let vte = advise(&Detected {
            vte_version: Some(7600),
            ..d.clone()
        });
        assert_eq!((vte.bidi, vte.bdsm), ("app", Some(true)));
        assert!(vte.notes[0].contains("0.76"), "{:?}", vte.notes);
        let old = advise(&Detected {
            vte_version: Some(5200),
            ..d.clone()
        });
        assert_eq!(old.bdsm, None);
        for t in [
            Detected {
                konsole: true,
                ..d.clone()
            },
            Detected {
                mlterm: true,
                ..d.clone()
            },
            Detected {
                term_program: Some("Apple_Terminal".into()),
                ..d.clone()
            },
        ] {
            assert_eq!(advise(&t).bidi, "terminal", "{t:?}");
        }
        let tmux = advise(&Detected {
            tmux: true,
            vte_version: Some(7600),
            ..d.clone()
        });
        assert!(tmux.notes.iter().any(|n| n.contains("set-clipboard")));
    }

    #[test]
    fn test_line_is_laid_out_for_app_mode() {
        let v = layout_line(SAMPLE);
        // Visual order: the last word comes first on the left, in
        // presentation forms; the Latin word and number keep their order.
        assert_ne!(v, SAMPLE);
        assert!(v.contains("2024") && v.contains("qari"));
        assert!(v.chars().any(|c| ('\u{FE70}'..='\u{FEFF}').contains(&c)));
        assert!(v.find("qari").unwrap() < v.find("2024").unwrap(), "{v}");
    }
}
