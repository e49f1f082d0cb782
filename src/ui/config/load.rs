//! Reading the user's settings: `config.toml`, `keymap.toml`, `theme.toml` and
//! `themes/NAME.toml` in the config directory, over the embedded defaults. Nothing here fails:
//! whatever cannot be used becomes a warning and the default stays in force.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::de::{DeTable, DeValue};

use super::keymap_file;
use super::source::{Source, quote, sort_from};
use super::theme_file::{self, ThemeFile};
use super::{Config, Keymap, Settings, TaskConfig, Theme, Warning};

/// `$XDG_CONFIG_HOME/zcon` (or its platform equivalent); None without a home directory.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "zcon").map(|d| d.config_dir().to_path_buf())
}

/// The effective settings: defaults, then whatever the files in `dir` change.
pub fn load(dir: Option<&Path>) -> Settings {
    let mut warnings = Vec::new();
    let config = match dir.and_then(|d| read(&d.join("config.toml"), &mut warnings)) {
        Some((file, text)) => parse_config(&text, &file, dir, &mut warnings),
        None => Config::default(),
    };

    let mut keymap =
        keymap_file::builtin(&config.keymap, &mut warnings).unwrap_or_else(Keymap::builtin);
    if let Some((file, text)) = dir.and_then(|d| read(&d.join("keymap.toml"), &mut warnings)) {
        keymap_file::apply(&text, &file, &mut keymap, &mut warnings);
    }

    let user = dir
        .and_then(|d| read(&d.join("theme.toml"), &mut warnings))
        .map(|(file, text)| ThemeFile::parse(&text, &file, &mut warnings));
    let theme = match user {
        None => resolve_or_default(&config.theme, dir, &mut Vec::new(), &mut warnings, None),
        Some(user) => {
            let base = user.inherits.clone();
            let name = base
                .as_ref()
                .map_or(config.theme.as_str(), |(n, _)| n.as_str());
            let at = base.as_ref().map(|(_, line)| (user.file.as_str(), *line));
            let mut theme = resolve_or_default(name, dir, &mut Vec::new(), &mut warnings, at);
            user.apply(&mut theme, &mut warnings);
            theme
        }
    };

    Settings {
        config,
        theme,
        keymap,
        warnings,
    }
}

/// The built-in themes, then the user's `themes/*.toml` that are not among them.
pub fn theme_names(dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = theme_file::builtin_names().map(String::from).collect();
    let mut user: Vec<String> = dir
        .and_then(|d| std::fs::read_dir(d.join("themes")).ok())
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let path = e.ok()?.path();
            if path.extension()? != "toml" {
                return None;
            }
            Some(path.file_stem()?.to_str()?.to_string())
        })
        .filter(|n| !n.starts_with('.') && !names.contains(n))
        .collect();
    user.sort();
    names.append(&mut user);
    names
}

/// The named theme with its `inherits` chain, without `theme.toml` (the `:theme NAME`
/// command); None when there is no such theme.
pub fn load_theme(name: &str, dir: Option<&Path>, warnings: &mut Vec<Warning>) -> Option<Theme> {
    resolve(name, dir, &mut Vec::new(), warnings)
}

/// Where a theme in an `inherits` chain came from: a user file shadows the built-in of the
/// same name, and may inherit from that built-in (helix allows the same).
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    User(String),
    Builtin(String),
}

fn user_theme_path(name: &str, dir: Option<&Path>) -> Option<PathBuf> {
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', '\0']);
    let path = dir?.join("themes").join(format!("{name}.toml"));
    (plain && path.is_file()).then_some(path)
}

fn theme_exists(name: &str, dir: Option<&Path>) -> bool {
    theme_file::builtin_source(name).is_some() || user_theme_path(name, dir).is_some()
}

/// The theme with its parents applied; None when the name is unknown or every theme of that
/// name is already in the chain (a cycle).
fn resolve(
    name: &str,
    dir: Option<&Path>,
    chain: &mut Vec<Origin>,
    warnings: &mut Vec<Warning>,
) -> Option<Theme> {
    let user = user_theme_path(name, dir).filter(|_| !chain.contains(&Origin::User(name.into())));
    let (origin, file, text) = if let Some(path) = user {
        let file = path.display().to_string();
        // An unreadable file was warned about; its theme is then just its parent.
        let text = read(&path, warnings).map(|(_, t)| t).unwrap_or_default();
        (Origin::User(name.into()), file, text)
    } else {
        let text = theme_file::builtin_source(name)
            .filter(|_| !chain.contains(&Origin::Builtin(name.into())))?;
        (
            Origin::Builtin(name.into()),
            format!("themes/{name}.toml"),
            text.to_string(),
        )
    };
    let parsed = ThemeFile::parse(&text, &file, warnings);
    chain.push(origin.clone());
    let mut theme = match (&parsed.inherits, &origin) {
        (Some((parent, line)), _) => {
            resolve_or_default(parent, dir, chain, warnings, Some((&file, *line)))
        }
        // The root of every chain: the code's default theme.
        (None, Origin::Builtin(n)) if n == "default" => Theme::builtin(),
        (None, _) => resolve_or_default("default", dir, chain, warnings, None),
    };
    chain.pop();
    parsed.apply(&mut theme, warnings);
    theme.name = name.to_string();
    Some(theme)
}

/// `resolve`, falling back to the default theme with a warning at `at` (file, line).
fn resolve_or_default(
    name: &str,
    dir: Option<&Path>,
    chain: &mut Vec<Origin>,
    warnings: &mut Vec<Warning>,
    at: Option<(&str, usize)>,
) -> Theme {
    if let Some(found) = resolve(name, dir, chain, warnings) {
        return found;
    }
    let message = if theme_exists(name, dir) {
        let mut names: Vec<&str> = chain
            .iter()
            .map(|o| match o {
                Origin::User(n) | Origin::Builtin(n) => n.as_str(),
            })
            .collect();
        names.push(name);
        format!(
            "theme {name:?} inherits from itself ({}); using the default theme",
            names.join(" -> ")
        )
    } else {
        format!("unknown theme {name:?}; using the default theme")
    };
    let (file, line) = at.map_or(("theme", None), |(f, l)| (f, Some(l)));
    warnings.push(Warning {
        file: file.to_string(),
        line,
        message,
    });
    resolve("default", dir, &mut Vec::new(), warnings).unwrap_or_else(Theme::builtin)
}

/// The file's text with the path its warnings name; None when it does not exist (fine) or
/// cannot be read (a warning).
fn read(path: &Path, warnings: &mut Vec<Warning>) -> Option<(String, String)> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Some((file, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            warnings.push(Warning {
                file,
                line: None,
                message: format!("cannot read the file ({e}); it is ignored"),
            });
            None
        }
    }
}

/// `config.toml`: theme, keymap, refresh, mouse, read_only.
fn parse_config(text: &str, file: &str, dir: Option<&Path>, warnings: &mut Vec<Warning>) -> Config {
    let mut config = Config::default();
    let src = Source::new(file, text);
    let start = warnings.len();
    let table = match src.parse() {
        Ok(t) => t,
        Err(w) => {
            warnings.push(w);
            return config;
        }
    };
    for (key, value) in &table {
        let v = value.get_ref();
        let wrong = |expected: &str| {
            src.warning(
                value.span(),
                format!(
                    "{} must be {expected}, not {}; the default stays in force",
                    key.get_ref(),
                    v.type_str()
                ),
            )
        };
        let result = match key.get_ref().as_ref() {
            "theme" => match v.as_str() {
                Some(name) if theme_exists(name, dir) => {
                    config.theme = name.to_string();
                    Ok(())
                }
                Some(name) => Err(src.warning(
                    value.span(),
                    format!(
                        "unknown theme {name:?} (known: {}); the default stays in force",
                        theme_names(dir).join(", ")
                    ),
                )),
                None => Err(wrong("a theme name")),
            },
            "keymap" => match v.as_str() {
                Some(name) if keymap_file::builtin_names().any(|n| n == name) => {
                    config.keymap = name.to_string();
                    Ok(())
                }
                Some(name) => Err(src.warning(
                    value.span(),
                    format!(
                        "unknown keymap {name:?} (known: {}); the default stays in force",
                        keymap_file::builtin_names().collect::<Vec<_>>().join(", ")
                    ),
                )),
                None => Err(wrong("a keymap name")),
            },
            "refresh" => refresh(v)
                .map(|d| config.refresh = d)
                .ok_or_else(|| wrong("a number of seconds (0 turns it off)")),
            "mouse" => v
                .as_bool()
                .map(|b| config.mouse = b)
                .ok_or_else(|| wrong("true or false")),
            "read_only" => v
                .as_bool()
                .map(|b| config.read_only = b)
                .ok_or_else(|| wrong("true or false")),
            "tasks" => match v.as_table() {
                Some(table) => {
                    tasks(table, &src, &mut config.tasks, warnings);
                    Ok(())
                }
                None => Err(wrong("a table ([tasks])")),
            },
            "console" => match v.as_table() {
                Some(table) => {
                    console(table, &src, &mut config, warnings);
                    Ok(())
                }
                None => Err(wrong("a table ([console])")),
            },
            other => Err(src.warning(
                key.span(),
                format!(
                    "unknown key {other:?}; the keys are theme, keymap, refresh, mouse, read_only, [tasks], [console]"
                ),
            )),
        };
        if let Err(w) = result {
            warnings.push(w);
        }
    }
    sort_from(warnings, start);
    config
}

fn whole_number(value: &DeValue<'_>) -> Option<u64> {
    match value {
        DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// More lines than anyone scrolls through, and a bound on the memory a console may take.
const MAX_SCROLLBACK: u64 = 1_000_000;

/// `[console]`: scrollback, a whole number of lines (0 keeps none).
fn console(table: &DeTable<'_>, src: &Source, config: &mut Config, warnings: &mut Vec<Warning>) {
    for (key, value) in table {
        if key.get_ref() != "scrollback" {
            let message = format!(
                "unknown key {:?} in [console]; the key is scrollback",
                key.get_ref()
            );
            warnings.push(src.warning(key.span(), message));
            continue;
        }
        match whole_number(value.get_ref()) {
            Some(n) if n <= MAX_SCROLLBACK => config.scrollback = n as usize,
            _ => warnings.push(src.warning(
                value.span(),
                format!(
                    "console.scrollback must be a whole number of lines up to {MAX_SCROLLBACK}; the default stays in force"
                ),
            )),
        }
    }
}

/// `[tasks]`: concurrency, history, shutdown_timeout — positive whole numbers.
fn tasks(table: &DeTable<'_>, src: &Source, tasks: &mut TaskConfig, warnings: &mut Vec<Warning>) {
    for (key, value) in table {
        let number = whole_number(value.get_ref());
        let slot = match key.get_ref().as_ref() {
            "concurrency" => number
                .filter(|n| *n >= 1)
                .map(|n| tasks.concurrency = n as usize),
            "history" => number
                .filter(|n| *n >= 1)
                .map(|n| tasks.history = n as usize),
            "shutdown_timeout" => number
                .filter(|n| *n >= 1)
                .map(|n| tasks.shutdown_timeout = n),
            other => {
                warnings.push(src.warning(
                    key.span(),
                    format!(
                        "unknown key {other:?} in [tasks]; the keys are concurrency, history, shutdown_timeout"
                    ),
                ));
                continue;
            }
        };
        if slot.is_none() {
            warnings.push(src.warning(
                value.span(),
                format!(
                    "tasks.{} must be a positive whole number; the default stays in force",
                    key.get_ref()
                ),
            ));
        }
    }
}

fn refresh(v: &DeValue<'_>) -> Option<Duration> {
    let secs: f64 = match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok()? as f64,
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs).ok()
}

/// The effective configuration as one TOML document (`zcon --print-config`).
pub fn effective_toml(settings: &Settings) -> String {
    let c = &settings.config;
    let mut out = String::from("# zcon: the effective configuration\n");
    let _ = writeln!(out, "refresh = {:?}", c.refresh.as_secs_f64());
    let _ = writeln!(out, "mouse = {}", c.mouse);
    let _ = writeln!(out, "read_only = {}", c.read_only);
    let _ = write!(
        out,
        "\n[tasks]\nconcurrency = {}\nhistory = {}\nshutdown_timeout = {}\n",
        c.tasks.concurrency, c.tasks.history, c.tasks.shutdown_timeout
    );
    let _ = write!(out, "\n[console]\nscrollback = {}\n", c.scrollback);
    let _ = write!(
        out,
        "\n[theme]\nname = {}\n\n{}",
        quote(&settings.theme.name),
        theme_file::styles_to_toml(&settings.theme, "theme.styles")
    );
    let _ = write!(
        out,
        "\n[keymap]\nname = {}\n\n{}",
        quote(&c.keymap),
        keymap_file::to_toml(&settings.keymap, "keymap.")
    );
    out
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
