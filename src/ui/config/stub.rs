//! Placeholders until the loader lands.
use std::path::Path;

use super::{Theme, Warning};

pub fn theme_names(_dir: Option<&Path>) -> Vec<String> {
    vec!["default".into()]
}

pub fn load_theme(name: &str, _dir: Option<&Path>, _w: &mut Vec<Warning>) -> Option<Theme> {
    (name == "default").then(Theme::builtin)
}

pub fn config_dir() -> Option<std::path::PathBuf> {
    None
}

pub fn load(_dir: Option<&Path>) -> super::Settings {
    super::Settings::builtin()
}

pub fn effective_toml(_s: &super::Settings) -> String {
    String::new()
}
