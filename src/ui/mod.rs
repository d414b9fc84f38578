//! The terminal shell: the only part of qari that imports ratatui or
//! crossterm. It turns keys into named actions, updates state, and draws it.
//!
//! The loop blocks on the next terminal event and draws only after one, so
//! an idle reader uses no CPU. While an article's entities are being found
//! on the worker thread it also wakes every [`ENTITY_POLL`] to pick them up. The terminal is restored on every way out:
//! normal quit, panic (hook), SIGTERM and SIGHUP (a thread that saves the
//! reading state first), and around Ctrl-Z: the alternate screen, mouse,
//! cursor, BDSM and left/right margin mode are given back as found.

pub mod ask;
pub mod draw;
pub mod paint;
pub mod screen;
pub mod views;

use crate::config::BidiMode;
use crate::keymap::{Key, KeyCode as CoreKey};
use crate::reader::i18n::Msg;
use crate::reader::start::{prepare, Request};
use crate::reader::State;
use crate::term::ModeState;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};
use crossterm::{cursor, execute, terminal};
use screen::{Caps, Screen};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, OnceLock};

/// BDSM (ECMA-48 bi-directional support mode) reset: "explicit" mode, the
/// terminal must not reorder what qari already laid out.
const BDSM_EXPLICIT: &str = "\x1b[8l";
/// BDSM set: back to the terminal's own ("implicit") bidi.
const BDSM_IMPLICIT: &str = "\x1b[8h";

/// Whether qari switched the terminal's bidi off (and must switch it back).
static BDSM: OnceLock<bool> = OnceLock::new();

fn bdsm() -> bool {
    BDSM.get().copied().unwrap_or(false)
}

/// DECLRMM set and reset: left/right margins may be set (DECSLRM).
const LRMM_ON: &str = "\x1b[?69h";
const LRMM_OFF: &str = "\x1b[?69l";

/// Whether qari turned left/right margin mode on (it was off, and the
/// reading pane scrolls between margins) and must turn it off again.
static LRMM: OnceLock<bool> = OnceLock::new();

fn lrmm() -> bool {
    LRMM.get().copied().unwrap_or(false)
}

/// How long the start-up questions may hold up the first frame.
const STARTUP_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// Enter the reader's terminal mode.
fn setup(out: &mut impl Write) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    // VTE (GNOME Terminal, xfce4-terminal, Tilix) keeps a bidi mode per row
    // and takes it when the row is made: rows of an alternate screen entered
    // before BDSM was reset stay implicit, and VTE then mirrors every later
    // partial update of them (seen in xfce4-terminal 1.0.4, VTE 0.70).
    // Resetting BDSM first, and clearing the new screen after, gives every
    // row explicit mode.
    if bdsm() {
        out.write_all(BDSM_EXPLICIT.as_bytes())?;
    }
    execute!(
        out,
        terminal::EnterAlternateScreen,
        event::EnableMouseCapture,
        cursor::Hide
    )?;
    if bdsm() {
        execute!(out, terminal::Clear(terminal::ClearType::All))?;
    }
    if lrmm() {
        out.write_all(LRMM_ON.as_bytes())?;
    }
    out.flush()
}

/// Give the terminal back as it was. Safe to call more than once and from
/// any thread; errors are ignored because there is nowhere left to report
/// them.
fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        event::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    if bdsm() {
        let _ = out.write_all(BDSM_IMPLICIT.as_bytes());
    }
    if lrmm() {
        let _ = out.write_all(LRMM_OFF.as_bytes());
    }
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
}

/// What a signal thread needs to save the reading state without touching
/// the UI thread's data: a copy of the unsaved changes, merged into the
/// file on save like the store's own.
#[derive(Default)]
struct Snapshot {
    pending: crate::state::Pending,
    /// The store's generation when copied: an unchanged store is not
    /// copied again on every key.
    generation: Option<u64>,
}

fn update_snapshot(snapshot: &Mutex<Snapshot>, state: &mut State) {
    state.remember();
    if let Ok(mut s) = snapshot.lock() {
        let generation = Some(state.store.generation());
        if !state.store.is_dirty() {
            s.pending = Default::default();
        } else if s.generation != generation || s.pending.is_empty() {
            s.pending = state.store.pending();
        }
        s.generation = generation;
    }
}

/// Save the copied changes; what the user must hear is returned, to print
/// once the terminal is restored.
fn save_snapshot(snapshot: &Mutex<Snapshot>) -> Option<String> {
    let s = snapshot.lock().ok()?;
    match s.pending.save() {
        Ok(warning) => warning,
        Err(e) => Some(crate::state::not_saved(&e, s.pending.len())),
    }
}

/// SIGTERM and SIGHUP: save, restore the terminal, exit. Runs on its own
/// thread so the UI loop can block on input.
fn watch_signals(snapshot: Arc<Mutex<Snapshot>>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let message = save_snapshot(&snapshot);
            restore();
            if let Some(message) = message {
                eprintln!("qari: {message}");
            }
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The workers (entities, library index, the rest of a long
        // article) catch their own panics and report them in the reader;
        // restoring the terminal or printing over the screen there would
        // break a session that goes on.
        let worker = std::thread::current().name() == Some(crate::reader::loader::IMPORT_WORKER);
        if worker
            || crate::reader::recognition::on_worker_thread()
            || crate::reader::library_index::on_worker_thread()
        {
            return;
        }
        restore();
        previous(info);
    }));
}

/// How often the loop looks for the entity worker's result while one is
/// awaited. crossterm's blocking read cannot be woken from another thread
/// (its waker is private to the async event stream), so the loop polls
/// with this timeout, only while recognition is under way: a result shows
/// at most this late, and an idle reader still sleeps on input alone.
const ENTITY_POLL: std::time::Duration = std::time::Duration::from_millis(16);

/// A crossterm key as the core's key.
pub fn convert_key(k: &event::KeyEvent) -> Option<Key> {
    let code = match k.code {
        KeyCode::Char(c) => CoreKey::Char(c),
        KeyCode::Enter => CoreKey::Enter,
        KeyCode::Esc => CoreKey::Esc,
        KeyCode::Backspace => CoreKey::Backspace,
        KeyCode::Tab => CoreKey::Tab,
        KeyCode::BackTab => CoreKey::BackTab,
        KeyCode::Up => CoreKey::Up,
        KeyCode::Down => CoreKey::Down,
        KeyCode::Left => CoreKey::Left,
        KeyCode::Right => CoreKey::Right,
        KeyCode::PageUp => CoreKey::PageUp,
        KeyCode::PageDown => CoreKey::PageDown,
        KeyCode::Home => CoreKey::Home,
        KeyCode::End => CoreKey::End,
        KeyCode::Insert => CoreKey::Insert,
        KeyCode::Delete => CoreKey::Delete,
        KeyCode::F(n) => CoreKey::F(n),
        _ => return None,
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let code = match code {
        // Ctrl-letters are named in lowercase ("C-l").
        CoreKey::Char(c) if ctrl => CoreKey::Char(c.to_ascii_lowercase()),
        c => c,
    };
    Some(Key {
        code,
        ctrl,
        alt: k.modifiers.contains(KeyModifiers::ALT),
    })
}

/// Stop the process like a shell's Ctrl-Z would, and pick up again on `fg`.
#[cfg(unix)]
fn suspend() -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    // Execution continues here after SIGCONT.
    setup(&mut io::stdout())
}

#[cfg(not(unix))]
fn suspend() -> io::Result<()> {
    Ok(())
}

/// Run the reader. Returns the process exit code.
pub fn run(req: Request) -> ExitCode {
    let startup = match prepare(req, |q| ask::ask(q, STARTUP_WAIT)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("qari: {}", crate::text::sanitize_line(&e));
            return ExitCode::from(2);
        }
    };
    // Without a terminal there is nothing to draw on, and the set-up and
    // restore sequences would land in whatever file stdout is.
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        eprintln!(
            "qari: the reader needs a terminal on standard input and output; \
             for text output use `qari render`, `qari show` or `qari list`"
        );
        return ExitCode::from(2);
    }
    let mut state = startup.state;
    let theme = startup.theme;
    let _ = BDSM.set(startup.bidi == BidiMode::App);
    let mut caps = Caps::from_term(std::env::var("TERM").ok().as_deref(), state.config.links);
    caps.margins = caps.scroll && startup.margins.is_some_and(|m| m.usable());
    // Left as found: turned on for the session (and off on every way out)
    // only where it was off; a terminal that has it always on keeps it.
    let _ = LRMM.set(caps.margins && startup.margins == Some(ModeState::Reset));

    let snapshot = Arc::new(Mutex::new(Snapshot::default()));
    update_snapshot(&snapshot, &mut state);
    install_panic_hook();
    if let Err(e) = watch_signals(snapshot.clone()) {
        eprintln!("qari: cannot watch signals ({e}); an SSH drop may lose the reading position");
    }
    if let Err(e) = setup(&mut io::stdout()) {
        restore();
        eprintln!("qari: cannot set up the terminal: {e}");
        return ExitCode::from(1);
    }
    let result = event_loop(&mut state, &theme, &snapshot, caps);
    let saved = state.save();
    restore();
    for w in &startup.warnings {
        eprintln!("qari: {w}");
    }
    if let Err(e) = saved {
        eprintln!("qari: {e}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qari: terminal error: {e}");
            ExitCode::from(1)
        }
    }
}

fn event_loop(
    state: &mut State,
    theme: &crate::theme::Theme,
    snapshot: &Mutex<Snapshot>,
    caps: Caps,
) -> io::Result<()> {
    let (w, h) = terminal::size()?;
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let mut screen = Screen::new(out, (w, h), caps);
    state.resize(w, h);
    // The reading pane as the last frame showed it, to tell a scroll.
    let mut shown = None;
    loop {
        if state.full_redraw {
            screen.clear();
            state.full_redraw = false;
        }
        screen.draw(|c| {
            draw::draw_canvas(c, state, theme);
            let hint = shown.as_ref().and_then(|v| state.scroll_hint(v));
            shown = state.reading_view();
            hint
        })?;
        // Block until something happens that changes the screen.
        loop {
            if state.busy() && !event::poll(ENTITY_POLL)? {
                if state.receive() {
                    break;
                }
                continue;
            }
            let handled = match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if let Some(key) = convert_key(&k) {
                        state.handle_key(key);
                    }
                    true
                }
                Event::Mouse(m) => match m.kind {
                    MouseEventKind::ScrollDown => {
                        state.wheel(m.column, m.row, true);
                        true
                    }
                    MouseEventKind::ScrollUp => {
                        state.wheel(m.column, m.row, false);
                        true
                    }
                    _ => false,
                },
                Event::Resize(w, h) => {
                    state.resize(w, h);
                    screen.resize(w, h);
                    true
                }
                _ => false,
            };
            if handled {
                break;
            }
        }
        // Results that came in with the event.
        state.receive();
        update_snapshot(snapshot, state);
        if state.quit {
            return Ok(());
        }
        if state.suspend {
            state.suspend = false;
            // Saved before stopping: a stopped reader may be killed. A
            // failure is shown when it resumes; what is in memory stays.
            if let Err(e) = state.save() {
                state.warn(e);
            }
            suspend()?;
            state.full_redraw = true;
        }
        if let Some(url) = state.open_request.take() {
            open_source(state, &url);
        }
        if let Some(text) = state.clipboard.take() {
            use std::io::Write;
            let out = screen.writer();
            out.write_all(osc52(&text).as_bytes())?;
            out.flush()?;
        }
    }
}

/// `o`: start the system opener on `url`, or show it (and put it on the
/// clipboard) where opening it here would be no use.
fn open_source(state: &mut State, url: &str) {
    use crate::reader::copy::OpenPlan;
    let lang = state.lang();
    let shown = crate::text::sanitize_line(url).into_owned();
    let opened = match OpenPlan::from_env(|k| std::env::var(k).ok()) {
        OpenPlan::Opener(program) => std::process::Command::new(program)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            // Reaped on a thread of its own so it leaves no zombie.
            .map(|mut child| std::thread::spawn(move || child.wait()))
            .is_ok(),
        OpenPlan::Show => false,
    };
    if opened {
        state.note(format!("{}: {shown}", lang.text(Msg::Opening)));
    } else {
        if state.config.clipboard {
            state.clipboard = Some(url.to_string());
        }
        state.note(format!("{}: {shown}", lang.text(Msg::SourceIs)));
    }
}

/// OSC 52 "set clipboard" for `text`: base64, so nothing in it can reach
/// the terminal as a control (the terminal decodes it into the clipboard).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{data}\x07")
}
