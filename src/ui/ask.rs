//! The start-up questions asked of the terminal (see [`crate::term`]) and
//! the wait for their replies, 100 ms at most in all.
//!
//! terminal-colorsaurus asks OSC 11 + DA1 the same way but takes no other
//! question with it; over SSH a second round trip would cost the link's
//! latency again, so the questions are written and the replies read here,
//! through the crates it uses (terminal-trx for the terminal and its raw
//! mode, mio to wait; xterm-color reads the colour in `term`).

use crate::term::{may_ask, parse_replies, Answers, Query};
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// Ask `query` of the terminal, waiting `timeout` at most in all. Nothing
/// is asked where standard I/O is not a terminal or `TERM` says not to; an
/// error or silence gives no answer.
pub fn ask(query: Query, timeout: Duration) -> Answers {
    use std::io::IsTerminal;
    if query == Query::default()
        || !io::stdout().is_terminal()
        || !may_ask(std::env::var("TERM").ok().as_deref())
    {
        return Answers::default();
    }
    ask_terminal(query, timeout).unwrap_or_default()
}

#[cfg(unix)]
fn ask_terminal(query: Query, timeout: Duration) -> io::Result<Answers> {
    use mio::unix::SourceFd;
    use mio::{Events, Interest, Poll, Token};
    use std::os::fd::AsRawFd;
    let mut tty = terminal_trx::terminal()?;
    if !tty.has_connected_stdio_stream() {
        return Ok(Answers::default());
    }
    let mut lock = tty.lock();
    let mut raw = lock.enable_raw_mode()?;
    let deadline = Instant::now() + timeout;
    raw.write_all(&query.bytes())?;
    raw.flush()?;
    let mut poll = Poll::new()?;
    let fd = raw.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(0), Interest::READABLE)?;
    let mut events = Events::with_capacity(4);
    let mut replies = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match poll.poll(&mut events, Some(left)) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => r?,
        }
        if events.is_empty() {
            break;
        }
        let n = raw.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        replies.extend_from_slice(&chunk[..n]);
        let (answers, done) = parse_replies(&replies);
        if done {
            return Ok(answers);
        }
    }
    Ok(parse_replies(&replies).0)
}

#[cfg(not(unix))]
fn ask_terminal(_query: Query, _timeout: Duration) -> io::Result<Answers> {
    Ok(Answers::default())
}
