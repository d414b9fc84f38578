//! Starting the reader: which articles to show, the config, theme and
//! reading state, with every problem turned into a message.

use super::library_index::LibraryIndex;
use super::loader::{list_library, FsLoader, Loader};
use super::recognition::Recognition;
use super::State;
use crate::article::{Rules, RulesError};
use crate::config::{BidiMode, Config, ScrollMargins};
use crate::state::StateFile;
use crate::store::Dirs;
use crate::term::{Answers, ModeState, Query};
use crate::theme::{ColorDepth, Theme};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// What the command line asked for, and the user's setup the program
/// loaded once at start-up (nothing here reads `~/.config` on its own).
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub path: Option<PathBuf>,
    pub theme: Option<String>,
    pub bidi: Option<BidiMode>,
    /// The user's directories; `None` without a home (nothing is saved).
    pub dirs: Option<Dirs>,
    /// The cleaning rules, and why the user's `cleaning.toml` was ignored.
    pub rules: Rules,
    pub rules_error: Option<RulesError>,
}

/// Everything the UI needs to start.
pub struct Startup {
    pub state: State,
    pub theme: Theme,
    pub bidi: BidiMode,
    /// Left/right margin mode (DECLRMM) as the terminal reported it.
    pub margins: Option<ModeState>,
    /// Problems worth telling the user (config, theme, state, library).
    pub warnings: Vec<String>,
}

/// Where the articles come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Folder(PathBuf),
    File(PathBuf),
}

/// PATH, else `$QARI_LIBRARY`, else `./articles`, else the built-in samples
/// (written once to the cache directory so they open like any folder).
pub fn resolve(path: Option<&Path>, dirs: Option<&Dirs>) -> Result<Source, String> {
    let explicit = path.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("QARI_LIBRARY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if let Some(p) = explicit {
        let shown = crate::text::sanitize_line(&p.to_string_lossy()).into_owned();
        return match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => Ok(Source::Folder(p)),
            Ok(m) if m.is_file() => Ok(Source::File(p)),
            Ok(_) => Err(format!("{shown} is neither a folder nor a file")),
            Err(e) => Err(format!("cannot open {shown}: {e}")),
        };
    }
    let local = PathBuf::from("articles");
    if local.is_dir() && std::fs::read_dir(&local).is_ok_and(|mut d| d.next().is_some()) {
        return Ok(Source::Folder(local));
    }
    let base = match dirs {
        Some(d) => d.cache.join("samples"),
        None => std::env::temp_dir().join(format!("qari-samples-{}", std::process::id())),
    };
    write_samples(&base).map_err(|e| {
        format!(
            "cannot write the sample articles to {}: {e}",
            base.display()
        )
    })?;
    Ok(Source::Folder(base))
}

fn write_samples(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, bytes) in SAMPLES {
        let path = dir.join(name);
        if crate::store::read_regular(&path, crate::store::MAX_SETTINGS_BYTES)
            .ok()
            .as_deref()
            != Some(*bytes)
        {
            crate::store::write_atomic(&path, bytes)?;
        }
    }
    Ok(())
}

/// Load config, theme and state, find the articles, build the state.
/// `ask` puts the start-up questions to the terminal (all of them in one
/// round trip): its background when the theme is "auto", whether it has
/// left/right margins unless `scroll_margins = "off"`.
pub fn prepare(req: Request, ask: impl FnOnce(Query) -> Answers) -> Result<Startup, String> {
    let dirs = req.dirs;
    let mut warnings = Vec::new();
    let (config, diags) = match &dirs {
        Some(d) => Config::load(&d.config.join("config.toml")),
        None => (Config::defaults(), Vec::new()),
    };
    warnings.extend(diags.iter().map(|d| d.to_string()));
    let depth = ColorDepth::from_env();
    let theme_name = match &req.theme {
        Some(t) => t.clone(),
        None if depth == ColorDepth::None => "mono".to_string(),
        None => config.theme.clone(),
    };
    let term = std::env::var("TERM").ok();
    let answers = ask(Query {
        background: theme_name == "auto",
        margins: config.scroll_margins == ScrollMargins::Auto
            && crate::term::has_scroll_regions(term.as_deref()),
    });
    let theme_name = if theme_name == "auto" {
        crate::theme::auto_theme(
            answers.background,
            std::env::var("COLORFGBG").ok().as_deref(),
        )
        .to_string()
    } else {
        theme_name
    };
    let theme_dir = dirs.as_ref().map(|d| d.config.join("themes"));
    let (theme, diags) = Theme::load(&theme_name, theme_dir.as_deref());
    warnings.extend(diags.iter().map(|d| d.to_string()));
    let theme = theme.for_depth(depth);
    let bidi = req.bidi.unwrap_or(config.bidi);
    let mut config = config;
    config.bidi = bidi;

    let source = resolve(req.path.as_deref(), dirs.as_ref())?;
    let (store, warning) = match &dirs {
        Some(d) => StateFile::load(&d.state),
        None => (StateFile::in_memory(), None),
    };
    warnings.extend(warning);
    let (loader, warning) = FsLoader::new(dirs.as_ref(), req.rules.clone());
    warnings.extend(warning);
    // A broken cleaning.toml is ignored for the built-in rules; say so here
    // as `qari show` does, or the reader would clean differently unseen.
    if let Some(e) = &req.rules_error {
        warnings.push(e.to_string());
    }
    let loader = Box::new(loader);
    // The recognizer loads on its worker while the library is listed and
    // the first article imported here.
    let mut recognition = Recognition::new(loader.finder());
    recognition.warm_up();
    let mut state = match &source {
        Source::Folder(dir) => {
            let scratch;
            let cache_dirs = match &dirs {
                Some(d) => d,
                None => {
                    scratch = Dirs::under(&std::env::temp_dir().join("qari-cache"));
                    &scratch
                }
            };
            let (entries, notes) = list_library(dir, cache_dirs, &req.rules);
            warnings.extend(notes);
            State::new(config, entries, store, loader, recognition).with_library_index(
                LibraryIndex::new(dir.clone(), cache_dirs.clone(), req.rules.clone()),
            )
        }
        Source::File(path) => {
            let mut state = State::new(config, Vec::new(), store, loader, recognition);
            state.single = true;
            if !state.open_path(path) {
                let msg = state.message.take().map(|m| m.text).unwrap_or_default();
                return Err(msg);
            }
            state
        }
    };
    if let Some(first) = warnings.first() {
        let more = if warnings.len() > 1 {
            format!(" (+{} more, shown on exit)", warnings.len() - 1)
        } else {
            String::new()
        };
        state.warn(format!("{first}{more}"));
    }
    Ok(Startup {
        state,
        theme,
        bidi,
        margins: answers.margins,
        warnings,
    })
}
