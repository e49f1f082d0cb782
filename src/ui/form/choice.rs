//! A pick from a list of values, with type-to-search for long lists (a host's volumes).

/// One value a choice offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub value: String,
    /// What is shown (the value unless said otherwise).
    pub label: String,
    /// Dim text after it: "default", "used by web01", a size.
    pub note: String,
}

impl Opt {
    pub fn new(value: &str) -> Opt {
        Opt {
            value: value.to_string(),
            label: value.to_string(),
            note: String::new(),
        }
    }

    pub fn labelled(value: &str, label: &str) -> Opt {
        Opt {
            label: label.to_string(),
            ..Opt::new(value)
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Opt {
        self.note = note.into();
        self
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub options: Vec<Opt>,
    pub selected: usize,
    /// Typed while the choice has focus: the selection jumps to the first option that
    /// contains it.
    pub search: String,
}

impl Choice {
    pub fn new(options: Vec<Opt>) -> Choice {
        Choice {
            options,
            selected: 0,
            search: String::new(),
        }
    }

    /// The selected value; empty when there is nothing to choose from.
    pub fn value(&self) -> &str {
        self.options
            .get(self.selected)
            .map_or("", |o| o.value.as_str())
    }

    pub fn selected_opt(&self) -> Option<&Opt> {
        self.options.get(self.selected)
    }

    /// Select `value`; false when it is not offered.
    pub fn select(&mut self, value: &str) -> bool {
        match self.options.iter().position(|o| o.value == value) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Select `value`, adding it to the options (marked as the current value) when it is not
    /// one of them: a configuration may hold a value the list does not offer.
    pub fn select_or_add(&mut self, value: &str) {
        if !self.select(value) {
            self.options.push(Opt::new(value).note("as configured"));
            self.selected = self.options.len() - 1;
        }
    }

    /// Replace the options, keeping the selected value when it is still offered.
    pub fn set_options(&mut self, options: Vec<Opt>) {
        let keep = self.value().to_string();
        self.options = options;
        if !self.select(&keep) {
            self.selected = 0;
        }
    }

    /// The next or previous option, wrapping around; false when there is at most one.
    pub fn step(&mut self, forward: bool) -> bool {
        let n = self.options.len();
        if n < 2 {
            return false;
        }
        self.selected = if forward {
            (self.selected + 1) % n
        } else {
            (self.selected + n - 1) % n
        };
        self.search.clear();
        true
    }

    /// Add to (or, with None, take the last character off) the search; the selection moves
    /// to the first option whose label contains it, in any case. True when it moved.
    pub fn search(&mut self, c: Option<char>) -> bool {
        match c {
            Some(c) => self.search.push(c),
            None => {
                self.search.pop();
            }
        }
        let needle = self.search.to_lowercase();
        if needle.is_empty() {
            return false;
        }
        let hit = self
            .options
            .iter()
            .position(|o| o.label.to_lowercase().starts_with(&needle))
            .or_else(|| {
                self.options
                    .iter()
                    .position(|o| o.label.to_lowercase().contains(&needle))
            });
        match hit {
            Some(i) if i != self.selected => {
                self.selected = i;
                true
            }
            _ => false,
        }
    }
}
