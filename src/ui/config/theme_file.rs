//! Theme files (helix style): an optional `inherits`, a `[palette]` of named colours and
//! `[styles]` keyed by slot name. A style entry replaces the slot's whole style; a slot the
//! file does not name keeps its parent's. A palette serves only the file that defines it:
//! inherited, `red` in a child of `default` would otherwise mean default's soft RGB red,
//! not the ANSI red the child (say, a 16-colour theme) asked for.

use std::collections::HashMap;
use std::fmt::Write;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use toml::de::{DeTable, DeValue};

use super::Warning;
use super::source::{Source, Value, expect_str, quote, sort_from};
use super::theme::{Slot, Theme};

/// The shipped themes, embedded; `default` says what `Theme::builtin()` says.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../../themes/default.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    ("basic", include_str!("../../../themes/basic.toml")),
];

pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

pub fn builtin_source(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The modifiers a theme may name, in the order they are written back.
pub const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
];

/// A theme file checked for shape; colours are looked up when it is applied.
#[derive(Debug, Clone, Default)]
pub struct ThemeFile {
    pub file: String,
    /// The parent theme's name and the line naming it.
    pub inherits: Option<(String, usize)>,
    palette: Vec<Named>,
    styles: Vec<StyleEntry>,
}

#[derive(Debug, Clone)]
struct Named {
    name: String,
    colour: String,
    line: usize,
}

#[derive(Debug, Clone)]
struct StyleEntry {
    slot: Slot,
    line: usize,
    fg: Option<String>,
    bg: Option<String>,
    modifiers: Modifier,
}

impl ThemeFile {
    /// Reads a theme file; problems become warnings and the parts in question are left out.
    /// A file that is not TOML gives one warning and an empty theme file.
    pub fn parse(text: &str, file: &str, warnings: &mut Vec<Warning>) -> ThemeFile {
        let src = Source::new(file, text);
        let start = warnings.len();
        let mut out = ThemeFile {
            file: file.to_string(),
            ..ThemeFile::default()
        };
        let table = match src.parse() {
            Ok(t) => t,
            Err(w) => {
                warnings.push(w);
                return out;
            }
        };
        for (key, value) in &table {
            match key.get_ref().as_ref() {
                "inherits" => match expect_str(&src, value, "inherits") {
                    Ok(name) => {
                        out.inherits = Some((name.to_string(), src.line(value.span().start)))
                    }
                    Err(w) => warnings.push(w),
                },
                "palette" => match value.get_ref().as_table() {
                    Some(t) => out.read_palette(&src, t, warnings),
                    None => warnings.push(src.warning(key.span(), "[palette] must be a table")),
                },
                "styles" => match value.get_ref().as_table() {
                    Some(t) => out.read_styles(&src, t, warnings),
                    None => warnings.push(src.warning(key.span(), "[styles] must be a table")),
                },
                other => warnings.push(src.warning(
                    key.span(),
                    format!("unknown key {other:?}; a theme has inherits, [palette] and [styles]"),
                )),
            }
        }
        sort_from(warnings, start);
        out
    }

    fn read_palette(&mut self, src: &Source<'_>, table: &DeTable<'_>, warnings: &mut Vec<Warning>) {
        for (name, value) in table {
            match expect_str(src, value, &format!("palette colour {:?}", name.get_ref())) {
                Ok(colour) => self.palette.push(Named {
                    name: name.get_ref().to_string(),
                    colour: colour.to_string(),
                    line: src.line(value.span().start),
                }),
                Err(w) => warnings.push(w),
            }
        }
    }

    fn read_styles(&mut self, src: &Source<'_>, table: &DeTable<'_>, warnings: &mut Vec<Warning>) {
        for (key, value) in table {
            let Some(slot) = Slot::from_name(key.get_ref()) else {
                warnings.push(src.warning(
                    key.span(),
                    format!("unknown style {:?}; ignored", key.get_ref()),
                ));
                continue;
            };
            match style_entry(src, slot, value) {
                Ok(entry) => self.styles.push(entry),
                Err(w) => warnings.push(w),
            }
        }
    }

    /// Sets every style this file names on `theme`.
    pub fn apply(&self, theme: &mut Theme, warnings: &mut Vec<Warning>) {
        let start = warnings.len();
        let mut palette = HashMap::new();
        let warn = |line: usize, message: String| Warning {
            file: self.file.clone(),
            line: Some(line),
            message,
        };
        for named in &self.palette {
            match Color::from_str(&named.colour) {
                Ok(c) => {
                    palette.insert(named.name.clone(), c);
                }
                Err(_) => warnings.push(warn(
                    named.line,
                    format!(
                        "unknown colour {:?} for palette name {:?}; {COLOUR_HELP}",
                        named.colour, named.name
                    ),
                )),
            }
        }
        let lookup = |name: &Option<String>| -> Result<Option<Color>, String> {
            match name {
                None => Ok(None),
                Some(n) => palette
                    .get(n)
                    .copied()
                    .or_else(|| Color::from_str(n).ok())
                    .map(Some)
                    .ok_or_else(|| n.clone()),
            }
        };
        for entry in &self.styles {
            match (lookup(&entry.fg), lookup(&entry.bg)) {
                (Ok(fg), Ok(bg)) => {
                    let mut style = Style::new().add_modifier(entry.modifiers);
                    style.fg = fg;
                    style.bg = bg;
                    theme.set(entry.slot, style);
                }
                (Err(bad), _) | (_, Err(bad)) => warnings.push(warn(
                    entry.line,
                    format!(
                        "unknown colour {bad:?} for {}; {COLOUR_HELP}; the inherited style stays",
                        entry.slot.name()
                    ),
                )),
            }
        }
        sort_from(warnings, start);
    }
}

const COLOUR_HELP: &str =
    "use a palette name, an ANSI colour name such as red or lightblue, #rrggbb or 0-255";

/// `"green"` (foreground only) or `{ fg = …, bg = …, modifiers = […] }`.
fn style_entry(src: &Source<'_>, slot: Slot, value: &Value<'_>) -> Result<StyleEntry, Warning> {
    let mut entry = StyleEntry {
        slot,
        line: src.line(value.span().start),
        fg: None,
        bg: None,
        modifiers: Modifier::empty(),
    };
    let fields = match value.get_ref() {
        DeValue::String(fg) => {
            entry.fg = Some(fg.to_string());
            return Ok(entry);
        }
        DeValue::Table(fields) => fields,
        other => {
            return Err(src.warning(
                value.span(),
                format!(
                    "style {} must be a colour or a table of fg, bg and modifiers, not {}",
                    slot.name(),
                    other.type_str()
                ),
            ));
        }
    };
    for (key, v) in fields {
        match key.get_ref().as_ref() {
            "fg" => entry.fg = Some(expect_str(src, v, "fg")?.to_string()),
            "bg" => entry.bg = Some(expect_str(src, v, "bg")?.to_string()),
            "modifiers" => {
                let Some(items) = v.get_ref().as_array() else {
                    return Err(src.warning(v.span(), "modifiers must be an array of names"));
                };
                for item in items.iter() {
                    let name = expect_str(src, item, "a modifier")?;
                    let Some((_, m)) = MODIFIERS.iter().find(|(n, _)| *n == name) else {
                        let known: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
                        return Err(src.warning(
                            item.span(),
                            format!(
                                "unknown modifier {name:?} for {}; expected {}; the inherited style stays",
                                slot.name(),
                                known.join(", ")
                            ),
                        ));
                    };
                    entry.modifiers |= *m;
                }
            }
            other => {
                return Err(src.warning(
                    key.span(),
                    format!(
                        "unknown key {other:?} in style {}; expected fg, bg, modifiers; the inherited style stays",
                        slot.name()
                    ),
                ));
            }
        }
    }
    Ok(entry)
}

/// A colour as a theme file spells it: `#rrggbb`, an ANSI name, or an index.
pub fn colour_name(colour: Color) -> String {
    match colour {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        named => named.to_string().to_lowercase(),
    }
}

/// A style in the `[styles]` format: `{ fg = "#88c0d0", modifiers = ["bold"] }`.
pub fn style_to_toml(style: Style) -> String {
    let mut fields = Vec::new();
    if let Some(fg) = style.fg {
        fields.push(format!("fg = {}", quote(&colour_name(fg))));
    }
    if let Some(bg) = style.bg {
        fields.push(format!("bg = {}", quote(&colour_name(bg))));
    }
    let mods: Vec<String> = MODIFIERS
        .iter()
        .filter(|(_, m)| style.add_modifier.contains(*m))
        .map(|(n, _)| quote(n))
        .collect();
    if !mods.is_empty() {
        fields.push(format!("modifiers = [{}]", mods.join(", ")));
    }
    if fields.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", fields.join(", "))
    }
}

/// Every slot of the theme as a `[TABLE]` of styles.
pub fn styles_to_toml(theme: &Theme, table: &str) -> String {
    let mut out = format!("[{table}]\n");
    for slot in Slot::ALL {
        let _ = writeln!(
            out,
            "{} = {}",
            quote(slot.name()),
            style_to_toml(theme.get(*slot))
        );
    }
    out
}

#[cfg(test)]
#[path = "theme_file_tests.rs"]
mod tests;
