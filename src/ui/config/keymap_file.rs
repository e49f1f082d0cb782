//! Keymap files (yazi style): a section per context with `keymap = [...]` entries such as
//! `{ on = ["g", "g"], run = "top", desc = "Go to top" }`. A user section may instead
//! `prepend_keymap` (tried before the defaults) or `append_keymap` to what is there.

use std::fmt::Write;

use toml::de::DeValue;

use super::Warning;
use super::key::Key;
use super::keymap::{Action, Binding, Context, Keymap};
use super::source::{Source, Value, expect_str, quote, sort_from};

/// The shipped keymaps, embedded: `default` says what `Keymap::builtin()` says.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../../keymaps/default.toml")),
    ("arrows", include_str!("../../../keymaps/arrows.toml")),
];

pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// The built-in keymap of that name; problems in its embedded file (there are none, a test
/// says so) would become warnings.
pub fn builtin(name: &str, warnings: &mut Vec<Warning>) -> Option<Keymap> {
    if name == "default" {
        return Some(Keymap::builtin());
    }
    let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    let mut map = Keymap::empty();
    apply(text, &format!("keymaps/{name}.toml"), &mut map, warnings);
    Some(map)
}

const SECTION_KEYS: &str = "keymap, prepend_keymap, append_keymap";
const ENTRY_KEYS: &str = "on, run, desc";

/// Applies a keymap file to `keymap`. Bad entries are skipped with a warning and the rest
/// applies; a file that is not TOML changes nothing.
pub fn apply(text: &str, file: &str, keymap: &mut Keymap, warnings: &mut Vec<Warning>) {
    let src = Source::new(file, text);
    let start = warnings.len();
    let table = match src.parse() {
        Ok(t) => t,
        Err(w) => {
            warnings.push(w);
            return;
        }
    };
    for (name, value) in &table {
        let Some(context) = Context::from_name(name.get_ref()) else {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            warnings.push(src.warning(
                name.span(),
                format!(
                    "unknown section [{}]; the sections are {}",
                    name.get_ref(),
                    known.join(", ")
                ),
            ));
            continue;
        };
        let Some(section) = value.get_ref().as_table() else {
            warnings.push(src.warning(
                name.span(),
                format!("[{}] must be a table of {SECTION_KEYS}", name.get_ref()),
            ));
            continue;
        };
        let mut replace = None;
        let mut prepend = Vec::new();
        let mut append = Vec::new();
        for (key, list) in section {
            let kind = key.get_ref().as_ref();
            if !matches!(kind, "keymap" | "prepend_keymap" | "append_keymap") {
                warnings.push(src.warning(
                    key.span(),
                    format!(
                        "unknown key {kind:?} in [{}]; expected {SECTION_KEYS}",
                        context.name()
                    ),
                ));
                continue;
            }
            let Some(items) = list.get_ref().as_array() else {
                warnings.push(src.warning(
                    list.span(),
                    format!(
                        "{kind} must be an array of bindings, not {}",
                        list.get_ref().type_str()
                    ),
                ));
                continue;
            };
            let entries: Vec<_> = items.iter().map(|v| entry(&src, v, warnings)).collect();
            match kind {
                "keymap" => replace = Some(entries),
                "prepend_keymap" => prepend.extend(entries.into_iter().filter_map(Result::ok)),
                _ => append.extend(entries.into_iter().filter_map(Result::ok)),
            }
        }
        let current = keymap.section_mut(context);
        if let Some(entries) = replace {
            let old = std::mem::take(current);
            for e in entries {
                match e {
                    Ok(b) => current.push(b),
                    // The keys of a skipped entry keep what they did before.
                    Err(Some(keys)) => current.extend(old.iter().filter(|b| b.on == keys).cloned()),
                    Err(None) => {}
                }
            }
        }
        prepend.append(current);
        prepend.append(&mut append);
        *current = prepend;
    }
    sort_from(warnings, start);
}

/// One binding; on failure, the keys it named when they could be read.
fn entry(
    src: &Source<'_>,
    value: &Value<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Binding, Option<Vec<Key>>> {
    let Some(fields) = value.get_ref().as_table() else {
        warnings.push(src.warning(
            value.span(),
            format!(
                "a binding must be a table such as {{ on = [\"q\"], run = \"quit\" }}, not {}",
                value.get_ref().type_str()
            ),
        ));
        return Err(None);
    };
    let (mut on, mut run, mut desc) = (None, None, None);
    for (key, v) in fields {
        match key.get_ref().as_ref() {
            "on" => on = Some(v),
            "run" => run = Some(v),
            "desc" => desc = Some(v),
            other => warnings.push(src.warning(
                key.span(),
                format!("unknown key {other:?} in a binding (ignored); expected {ENTRY_KEYS}"),
            )),
        }
    }
    let Some(on) = on else {
        warnings.push(src.warning(value.span(), "binding without `on`; skipped"));
        return Err(None);
    };
    let keys = match keys(src, on) {
        Ok(keys) => keys,
        Err(w) => {
            warnings.push(w);
            return Err(None);
        }
    };
    let label = keys
        .iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    let Some(run) = run else {
        warnings.push(src.warning(
            value.span(),
            format!("binding of {label} without `run`; the default stays in force"),
        ));
        return Err(Some(keys));
    };
    let action = match expect_str(src, run, "run") {
        Ok(name) => match Action::from_name(name) {
            Some(a) => a,
            None => {
                warnings.push(src.warning(
                    run.span(),
                    format!("unknown action {name:?} for {label}; the default stays in force"),
                ));
                return Err(Some(keys));
            }
        },
        Err(w) => {
            warnings.push(w);
            return Err(Some(keys));
        }
    };
    let desc = match desc.map(|d| expect_str(src, d, "desc")) {
        Some(Ok(d)) => d.to_string(),
        Some(Err(w)) => {
            warnings.push(w);
            action.name().to_string()
        }
        None => action.name().to_string(),
    };
    Ok(Binding {
        on: keys,
        run: action,
        desc,
    })
}

/// `on = "q"` or `on = ["g", "g"]`.
fn keys(src: &Source<'_>, on: &Value<'_>) -> Result<Vec<Key>, Warning> {
    let parse = |v: &Value<'_>| {
        let text = expect_str(src, v, "a key")?;
        Key::parse(text).map_err(|e| src.warning(v.span(), format!("{e}; binding skipped")))
    };
    match on.get_ref() {
        DeValue::Array(items) if items.is_empty() => {
            Err(src.warning(on.span(), "`on` is empty; binding skipped"))
        }
        DeValue::Array(items) => items.iter().map(parse).collect(),
        _ => parse(on).map(|k| vec![k]),
    }
}

/// The keymap in the file format, one `[PREFIXsection]` per context.
pub fn to_toml(keymap: &Keymap, prefix: &str) -> String {
    let mut out = String::new();
    for context in Context::ALL {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "[{prefix}{}]\nkeymap = [", context.name());
        for b in keymap.section(context) {
            let on: Vec<String> = b.on.iter().map(|k| quote(&k.to_string())).collect();
            let _ = writeln!(
                out,
                "  {{ on = [{}], run = {}, desc = {} }},",
                on.join(", "),
                quote(b.run.name()),
                quote(&b.desc)
            );
        }
        out.push_str("]\n");
    }
    out
}

#[cfg(test)]
#[path = "keymap_file_tests.rs"]
mod tests;
