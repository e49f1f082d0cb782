//! A detail page: titled sections of key/value lines, some of which point at another object.

/// Another object a line refers to (the console jumps there on Enter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Dataset(String),
    /// A datalink (VNIC, physical link, etherstub).
    Link(String),
    Zone(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Empty for a line that is only a value.
    pub key: String,
    pub value: String,
    pub target: Option<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Empty for the leading properties.
    pub title: String,
    pub lines: Vec<Line>,
}

impl Section {
    pub fn field(&mut self, key: &str, value: String) {
        self.lines.push(Line {
            key: key.to_string(),
            value,
            target: None,
        });
    }

    pub fn note(&mut self, value: &str) {
        self.field("", value.to_string());
    }

    pub fn linked(&mut self, key: &str, value: String, target: Target) {
        self.lines.push(Line {
            key: key.to_string(),
            value,
            target: Some(target),
        });
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub title: String,
    pub sections: Vec<Section>,
}

/// Keys are padded to this width in text (wider keys push their value along).
pub const KEY_WIDTH: usize = 12;

impl Detail {
    pub fn new(title: String) -> Detail {
        Detail {
            title,
            sections: Vec::new(),
        }
    }

    pub fn section(&mut self, title: &str) -> &mut Section {
        self.sections.push(Section {
            title: title.to_string(),
            lines: Vec::new(),
        });
        self.sections.last_mut().expect("just pushed")
    }

    pub fn drop_empty(&mut self) {
        self.sections
            .retain(|s| s.title.is_empty() || !s.lines.is_empty());
    }

    /// `key` and `value` as one text line (without indentation).
    pub fn line_text(line: &Line) -> String {
        match (line.key.is_empty(), line.value.is_empty()) {
            (true, _) => line.value.clone(),
            (false, true) => line.key.clone(),
            (false, false) => {
                let pad = KEY_WIDTH.saturating_sub(line.key.chars().count()).max(1);
                format!("{}{}{}", line.key, " ".repeat(pad), line.value)
            }
        }
    }

    /// The plain-text form `zcon show` prints.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for section in &self.sections {
            if !section.title.is_empty() {
                out.push_str(&section.title);
                out.push_str(":\n");
            }
            for line in &section.lines {
                out.push_str("  ");
                out.push_str(&Detail::line_text(line));
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_pads_keys_and_drops_empty_sections() {
        let mut d = Detail::new("zone web01".into());
        d.section("").field("state", "running".into());
        d.section("attrs");
        d.section("nets").linked(
            "web01_0",
            "allowed-address=10.0.0.5/24".into(),
            Target::Link("web01_0".into()),
        );
        d.drop_empty();
        assert_eq!(
            d.to_text(),
            "zone web01\n  state       running\nnets:\n  web01_0     allowed-address=10.0.0.5/24\n"
        );
    }
}
