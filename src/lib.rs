//! qari: a terminal reader for saved Arabic news articles.
//!
//! The crate is split the way helix splits `helix-core` from `helix-term`:
//! everything outside [`ui`] is a pure core with no terminal I/O (no ratatui,
//! no crossterm), so it can be tested, fuzzed and benchmarked on its own.
//!
//! - [`layout`]: the bidi layout engine (clean → itemize → shape → break →
//!   reorder → align), turning one logical paragraph into visual lines.
//! - [`article`]: article model, decoding, importers, scraped-text cleaning and
//!   the library index.
//! - [`entities`]: named people, places and organizations.
//! - [`text`]: small text utilities shared by the core (Arabic-aware folding
//!   for search and matching, terminal-safe sanitising).
//! - [`store`]: crash-safe files and the XDG locations qari uses.
//! - [`ui`]: the ratatui/crossterm shell.

pub mod action;
pub mod article;
pub mod config;
pub mod diagnostic;
pub mod entities;
pub mod keymap;
pub mod layout;
pub mod reader;
pub mod search;
pub mod state;
pub mod store;
pub mod term;
pub mod text;
pub mod theme;
pub mod ui;
