//! `qari doctor` reports what it detects and what to set, per terminal.

mod support;

fn doctor(env: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = support::qari_command(home.path());
    cmd.arg("doctor");
    for k in [
        "VTE_VERSION",
        "TERM_PROGRAM",
        "KITTY_WINDOW_ID",
        "WT_SESSION",
        "KONSOLE_VERSION",
        "MLTERM",
        "TMUX",
        "STY",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn kitty_gets_force_ltr_and_app_mode() {
    let out = doctor(&[("KITTY_WINDOW_ID", "1"), ("TERM", "xterm-kitty")]);
    assert!(out.contains("TERM          xterm-kitty"), "{out}");
    assert!(out.contains("kitty         yes"), "{out}");
    assert!(out.contains("Suggested: qari --bidi app"), "{out}");
    assert!(out.contains("force_ltr yes"), "{out}");
    // Not a terminal: no BDSM sequences around the test line.
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

#[test]
fn konsole_gets_terminal_mode() {
    let out = doctor(&[("KONSOLE_VERSION", "230804")]);
    assert!(out.contains("Suggested: qari --bidi terminal"), "{out}");
    assert!(out.contains("BDSM (CSI 8 l) honoured: no"), "{out}");
}

#[test]
fn tmux_and_vte_are_reported() {
    let out = doctor(&[("VTE_VERSION", "7402"), ("TMUX", "/tmp/tmux-1/default,1,0")]);
    assert!(out.contains("VTE_VERSION   7402"), "{out}");
    assert!(out.contains("tmux          yes"), "{out}");
    assert!(out.contains("set-clipboard on"), "{out}");
    assert!(out.contains("BDSM (CSI 8 l) honoured: yes"), "{out}");
}

#[test]
fn hostile_environment_values_are_cleaned() {
    let out = doctor(&[("TERM_PROGRAM", "evil\u{1b}]0;pwned\u{7}")]);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
}
