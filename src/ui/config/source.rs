//! What every settings file shares: parsing with byte spans kept, spans turned into the line
//! numbers warnings name, and TOML spellings for writing the effective configuration.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Warning;

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// One file's text and the name its warnings carry.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl<'a> Source<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Source<'a> {
        Source { file, text }
    }

    /// The document's top-level table, or the parser's complaint as one warning.
    pub fn parse(&self) -> Result<DeTable<'a>, Warning> {
        DeTable::parse(self.text)
            .map(Spanned::into_inner)
            .map_err(|e| {
                let message = e
                    .message()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                Warning {
                    file: self.file.to_string(),
                    line: e.span().map(|s| self.line(s.start)),
                    message: format!("not valid TOML ({message}); the file is ignored"),
                }
            })
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub fn warning(&self, span: Range<usize>, message: impl Into<String>) -> Warning {
        Warning {
            file: self.file.to_string(),
            line: Some(self.line(span.start)),
            message: message.into(),
        }
    }
}

/// The value as a string, or a warning naming what was expected.
pub(crate) fn expect_str<'v>(
    src: &Source<'_>,
    value: &'v Value<'_>,
    what: &str,
) -> Result<&'v str, Warning> {
    value.get_ref().as_str().ok_or_else(|| {
        src.warning(
            value.span(),
            format!(
                "{what} must be a string, not {}",
                value.get_ref().type_str()
            ),
        )
    })
}

/// Warnings of one file in the order of its lines (tables iterate in key order).
pub(crate) fn sort_from(warnings: &mut [Warning], start: usize) {
    warnings[start..].sort_by_key(|w| w.line);
}

/// A TOML basic string (also a valid quoted key).
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let src = Source::new("f", "a = 1\nb = 2\n");
        assert_eq!(src.line(0), 1);
        assert_eq!(src.line(6), 2);
        assert_eq!(src.line(100), 3);
    }

    #[test]
    fn parse_errors_carry_the_line() {
        let src = Source::new("x.toml", "a = 1\nb = \n");
        let w = src.parse().unwrap_err();
        assert_eq!(w.file, "x.toml");
        assert_eq!(w.line, Some(2));
        assert!(w.message.contains("ignored"), "{w}");
    }

    #[test]
    fn quoted_strings_parse_back() {
        for s in ["plain", "a\"b", "back\\slash", "tab\there", "\u{1}"] {
            let doc = format!("k = {}\n", quote(s));
            let table: toml::Table = toml::from_str(&doc).unwrap();
            assert_eq!(table["k"].as_str(), Some(s));
        }
    }
}
