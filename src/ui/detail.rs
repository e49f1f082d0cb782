//! The detail page of the selected object, scrolled line by line; lines that point at another
//! object (a zone's datasets and VNICs) can be followed with Enter.

use super::list::Cursor;
use crate::views::detail::{Detail, Line, Target};

/// One screen line of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageLine {
    Heading(String),
    Field(Line),
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailView {
    pub title: String,
    pub lines: Vec<PageLine>,
    pub cursor: Cursor,
    /// The object shown, to rebuild the page after a refresh.
    pub key: String,
}

impl DetailView {
    pub fn new(key: &str, detail: Detail) -> DetailView {
        let mut view = DetailView {
            title: String::new(),
            lines: Vec::new(),
            cursor: Cursor::default(),
            key: key.to_string(),
        };
        view.replace(detail);
        view
    }

    /// New contents for the same object; the cursor stays where it was.
    pub fn replace(&mut self, detail: Detail) {
        let mut lines = Vec::new();
        for section in detail.sections {
            if !section.title.is_empty() {
                if !lines.is_empty() {
                    lines.push(PageLine::Blank);
                }
                lines.push(PageLine::Heading(section.title));
            }
            lines.extend(section.lines.into_iter().map(PageLine::Field));
        }
        self.title = detail.title;
        self.lines = lines;
        self.cursor.clamp(self.lines.len());
    }

    pub fn selected_target(&self) -> Option<&Target> {
        match self.lines.get(self.cursor.selected)? {
            PageLine::Field(line) => line.target.as_ref(),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_sections_and_finds_links() {
        let mut d = Detail::new("zone a".into());
        d.section("").field("state", "running".into());
        d.section("disks").linked(
            "disk0",
            "rpool/a/disk0".into(),
            Target::Dataset("rpool/a/disk0".into()),
        );
        let mut v = DetailView::new("a", d);
        assert_eq!(v.len(), 4);
        assert_eq!(v.lines[1], PageLine::Blank);
        assert_eq!(v.selected_target(), None);
        v.cursor.selected = 3;
        assert_eq!(
            v.selected_target(),
            Some(&Target::Dataset("rpool/a/disk0".into()))
        );
    }
}
