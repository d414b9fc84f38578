//! Plain command output that a terminal can show.
//!
//! `qari show`, `list` and `entities` print text for people and for pipes.
//! Piped, text stays in logical order (what `grep`, `sort` and editors want).
//! On a terminal, which cannot lay out Arabic itself, each text goes through
//! the layout engine like the reader's: visual order, joined letters, mirrored
//! brackets. `QARI_BIDI=terminal` keeps logical order for terminals that do
//! their own bidi (see the README's terminal table).

use std::io::IsTerminal;

use qari::layout::{layout_line_truncated, layout_paragraph, BaseDirection, LayoutOptions};
use qari::text::{dominant_direction, sanitize_line, Dominant};

pub struct Visual {
    on: bool,
    width: usize,
    options: LayoutOptions,
}

impl Visual {
    /// Visual output when standard output is a terminal that does not do
    /// its own bidi.
    pub fn for_stdout() -> Visual {
        let tty = std::io::stdout().is_terminal();
        let terminal_bidi = std::env::var("QARI_BIDI").is_ok_and(|v| v == "terminal");
        let width = crossterm::terminal::size()
            .map(|(w, _)| usize::from(w))
            .unwrap_or(80);
        Visual {
            on: tty && !terminal_bidi,
            width: width.max(20),
            options: LayoutOptions::default(),
        }
    }

    /// Logical order, sanitised: for pipes and tests.
    #[cfg(test)]
    pub fn logical() -> Visual {
        Visual {
            on: false,
            width: 80,
            options: LayoutOptions::default(),
        }
    }

    #[cfg(test)]
    pub fn at_width(width: usize) -> Visual {
        Visual {
            on: true,
            width,
            options: LayoutOptions::default(),
        }
    }

    /// A paragraph as the lines to print: wrapped to the terminal and laid
    /// out (flush right when it reads right to left), or one sanitised line.
    pub fn paragraph(&self, text: &str) -> Vec<String> {
        if !self.on {
            return vec![sanitize_line(text).into_owned()];
        }
        let layout = layout_paragraph(text, self.width, direction_of(text), &[], &self.options);
        layout
            .lines
            .iter()
            .map(|line| {
                let mut s = " ".repeat(line.indent);
                for seg in &line.segments {
                    s.push_str(&seg.text);
                }
                s
            })
            .collect()
    }

    /// A table cell: at most `width` cells, cut at its logical end with an
    /// ellipsis, padded to `width` on its reading side's far end. Without
    /// visual output the text is only sanitised (no cutting or padding, so
    /// pipes get whole values).
    pub fn cell(&self, text: &str, width: usize) -> String {
        if !self.on {
            return sanitize_line(text).into_owned();
        }
        let direction = direction_of(text);
        let line = layout_line_truncated(text, width, direction, &[], &self.options);
        let mut shown = String::new();
        for seg in &line.segments {
            shown.push_str(&seg.text);
        }
        let pad = " ".repeat(width.saturating_sub(line.width));
        if direction == BaseDirection::Rtl {
            pad + &shown
        } else {
            shown + &pad
        }
    }

    pub fn is_visual(&self) -> bool {
        self.on
    }
}

fn direction_of(text: &str) -> BaseDirection {
    match dominant_direction([text]) {
        Some(Dominant::Rtl) => BaseDirection::Rtl,
        Some(Dominant::Ltr) => BaseDirection::Ltr,
        None => BaseDirection::Auto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn pipes_get_logical_sanitised_text() {
        let v = Visual::logical();
        assert_eq!(v.cell("القاهرة\u{1b}[2J", 3), "القاهرة[2J");
        assert_eq!(v.paragraph("مرحبا\tبكم"), ["مرحبا بكم"]);
    }

    #[test]
    fn terminals_get_visual_cells_of_the_asked_width() {
        let v = Visual::at_width(40);
        let cell = v.cell("القاهرة", 12);
        assert_eq!(cell.trim_start(), "ﺓﺮﻫﺎﻘﻟﺍ");
        assert_eq!(cell.width(), 12);
        let cut = v.cell("مؤتمر المناخ في باكو", 8);
        assert!(cut.starts_with('…'), "{cut}");
        assert_eq!(cut.width(), 8);
        assert_eq!(v.cell("Reuters", 10), "Reuters   ");
    }

    #[test]
    fn terminal_paragraphs_wrap_and_align_right() {
        let v = Visual::at_width(20);
        let lines = v.paragraph("قال وزير الخارجية إن المحادثات ستستأنف غدا");
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(line.width() <= 20, "{line}");
        }
        assert!(lines.iter().any(|l| l.starts_with(' ')));
    }
}
