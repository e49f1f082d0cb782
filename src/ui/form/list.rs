//! List sections: items of the same fields (disks, NICs) added and removed in a form. An
//! item's heading has the key `SECTION.N`, its fields `SECTION.N.NAME`; the section's add
//! button, when it has one, `SECTION.add`, and new items go just before it.

use super::{Field, Form};

/// The item a key belongs to in a section: `nics.2.mac` → 2.
pub fn item_of(key: &str, section: &str) -> Option<usize> {
    let rest = key.strip_prefix(section)?.strip_prefix('.')?;
    let index = rest.split('.').next()?;
    index.parse().ok()
}

/// A field's key with its item index replaced.
fn renumber(key: &str, section: &str, to: usize) -> String {
    let rest = &key[section.len() + 1..];
    match rest.split_once('.') {
        Some((_, name)) => format!("{section}.{to}.{name}"),
        None => format!("{section}.{to}"),
    }
}

impl Form {
    pub fn item_count(&self, section: &str) -> usize {
        self.fields
            .iter()
            .filter_map(|f| item_of(&f.key, section))
            .max()
            .map_or(0, |n| n + 1)
    }

    /// The item the focus is in.
    pub fn focused_item(&self, section: &str) -> Option<usize> {
        item_of(self.fields.get(self.focus)?.key.as_str(), section)
    }

    /// Add an item of `fields` (keys given without the section and index) under a heading
    /// "NOUN N"; the focus goes to its first field. Returns the item's index.
    pub fn add_item(&mut self, section: &str, noun: &str, fields: Vec<Field>) -> usize {
        let n = self.item_count(section);
        let at = self
            .position(&format!("{section}.add"))
            .or_else(|| {
                self.fields
                    .iter()
                    .rposition(|f| item_of(&f.key, section).is_some())
                    .map(|i| i + 1)
            })
            .unwrap_or(self.fields.len());
        let mut item = vec![Field::heading(
            &format!("{section}.{n}"),
            &format!("{noun} {}", n + 1),
        )];
        item.extend(fields.into_iter().map(|mut f| {
            f.key = format!("{section}.{n}.{}", f.key);
            f
        }));
        let first = item.iter().position(Field::focusable).map(|i| at + i);
        self.fields.splice(at..at, item);
        if let Some(i) = first {
            self.focus = i;
        }
        n
    }

    /// Remove an item; the later ones move up (keys and headings renumbered). The focus
    /// stays on its field, or goes to what took the removed item's place.
    pub fn remove_item(&mut self, section: &str, noun: &str, index: usize) {
        let removed: Vec<bool> = self
            .fields
            .iter()
            .map(|f| item_of(&f.key, section) == Some(index))
            .collect();
        let Some(first) = removed.iter().position(|r| *r) else {
            return;
        };
        let focus_removed = removed.get(self.focus).copied().unwrap_or(false);
        let before = removed[..self.focus.min(removed.len())]
            .iter()
            .filter(|r| **r)
            .count();
        let mut keep = removed.iter().map(|r| !r);
        self.fields.retain(|_| keep.next().unwrap_or(true));
        for field in &mut self.fields {
            if let Some(i) = item_of(&field.key, section).filter(|i| *i > index) {
                field.key = renumber(&field.key, section, i - 1);
                if field.key.matches('.').count() == 1 {
                    field.label = format!("{noun} {i}");
                }
            }
        }
        self.focus = if focus_removed {
            first
        } else {
            self.focus - before
        };
        self.fix_focus();
    }
}
