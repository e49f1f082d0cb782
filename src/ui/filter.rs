//! The live fuzzy filter of a list (`/`): space-separated words, each matched fuzzily,
//! smart case.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

pub struct Filter {
    text: String,
    pattern: Pattern,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            text: String::new(),
            pattern: Pattern::default(),
            matcher: Matcher::new(Config::DEFAULT.match_paths()),
            buf: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Filter({:?})", self.text)
    }
}

impl Filter {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.pattern = Pattern::parse(text, CaseMatching::Smart, Normalization::Smart);
    }

    pub fn matches(&mut self, haystack: &str) -> bool {
        self.text.is_empty() || self.score(haystack).is_some()
    }

    /// How well `haystack` matches (higher is better); None when it does not.
    pub fn score(&mut self, haystack: &str) -> Option<u32> {
        let hay = Utf32Str::new(haystack, &mut self.buf);
        self.pattern.score(hay, &mut self.matcher)
    }

    /// Char positions of `haystack` that the filter matched (for highlighting).
    pub fn positions(&mut self, haystack: &str) -> Vec<u32> {
        if self.text.is_empty() {
            return Vec::new();
        }
        let mut indices = Vec::new();
        let hay = Utf32Str::new(haystack, &mut self.buf);
        self.pattern.indices(hay, &mut self.matcher, &mut indices);
        indices.sort_unstable();
        indices.dedup();
        indices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_words_and_smart_case() {
        let mut f = Filter::default();
        f.set("wb1");
        assert!(f.matches("web01 running"));
        assert!(!f.matches("db01 running"));
        f.set("web run");
        assert!(f.matches("web01 running"));
        assert!(!f.matches("web01 installed"));
        f.set("Web");
        assert!(!f.matches("web01"));
        f.set("");
        assert!(f.matches("anything"));
        f.set("db");
        assert_eq!(f.positions("db01"), vec![0, 1]);
    }
}
