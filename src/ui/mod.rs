//! The terminal shell: the only part of qari that imports ratatui or
//! crossterm. It turns keys into named actions, updates state, and draws it.
