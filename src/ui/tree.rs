//! The datasets tree: pools → filesystems → volumes → snapshots, with collapse, sort and a
//! filter that keeps the ancestors of what matches. Built for 100,000 datasets: the visible
//! rows are an index list; cells are made only for the rows on screen.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::filter::Filter;
use super::list::{Cursor, Sort};
use crate::host::Inventory;
use crate::sys::zfs::{Dataset, DatasetType};
use crate::views::{Column, or_dash, storage::size};

pub const COLUMNS: [Column; 7] = [
    Column::text("NAME"),
    Column::text("TYPE"),
    Column::size("USED"),
    Column::size("AVAIL"),
    Column::size("REFER"),
    Column::size("VOLSIZE"),
    Column::text("MOUNTPOINT").wide(),
];

#[derive(Debug, Clone, Default)]
struct Node {
    parent: Option<u32>,
    children: Vec<u32>,
    depth: u16,
    snapshots: u32,
}

/// One visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub node: u32,
    pub depth: u16,
    pub has_children: bool,
    pub expanded: bool,
}

#[derive(Debug, Default)]
pub struct DatasetTree {
    inv: Arc<Inventory>,
    nodes: Vec<Node>,
    roots: Vec<u32>,
    /// Names whose expansion differs from the default (see `default_expanded`).
    toggled: HashSet<String>,
    pub rows: Vec<Row>,
    /// The widest name cell among the visible rows.
    pub name_width: usize,
    pub cursor: Cursor,
    pub sort: Option<Sort>,
    pub filter: Filter,
}

impl DatasetTree {
    pub fn dataset(&self, node: u32) -> &Dataset {
        &self.inv.datasets[node as usize]
    }

    pub fn selected(&self) -> Option<&Dataset> {
        self.rows
            .get(self.cursor.selected)
            .map(|r| self.dataset(r.node))
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn set_inventory(&mut self, inv: Arc<Inventory>) {
        let previous = self.selected().map(|d| d.name.clone());
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(inv.datasets.len());
        for (i, d) in inv.datasets.iter().enumerate() {
            index.insert(d.name.as_str(), i as u32);
        }
        let mut nodes = vec![Node::default(); inv.datasets.len()];
        let mut roots = Vec::new();
        for (i, d) in inv.datasets.iter().enumerate() {
            let parent = parent_name(&d.name).and_then(|p| index.get(p).copied());
            nodes[i].parent = parent;
            match parent {
                Some(p) => {
                    nodes[p as usize].children.push(i as u32);
                    if d.kind == DatasetType::Snapshot {
                        nodes[p as usize].snapshots += 1;
                    }
                }
                None => roots.push(i as u32),
            }
        }
        drop(index);
        self.nodes = nodes;
        self.roots = roots;
        self.inv = inv;
        self.set_depths();
        self.sort_children();
        self.rebuild();
        if let Some(name) = previous {
            self.select_name(&name);
        }
    }

    fn set_depths(&mut self) {
        let mut stack: Vec<(u32, u16)> = self.roots.iter().map(|&r| (r, 0)).collect();
        while let Some((n, depth)) = stack.pop() {
            self.nodes[n as usize].depth = depth;
            stack.extend(
                self.nodes[n as usize]
                    .children
                    .iter()
                    .map(|&c| (c, depth + 1)),
            );
        }
    }

    fn compare(&self, a: u32, b: u32) -> Ordering {
        let (da, db) = (self.dataset(a), self.dataset(b));
        // Snapshots stay after a dataset's children, in the order they were taken.
        let snap = |d: &Dataset| d.kind == DatasetType::Snapshot;
        let by_kind = snap(da).cmp(&snap(db));
        if by_kind != Ordering::Equal {
            return by_kind;
        }
        if snap(da) {
            return da.creation.cmp(&db.creation).then(da.name.cmp(&db.name));
        }
        let sort = self.sort.unwrap_or(Sort {
            column: 0,
            reverse: false,
        });
        let ord = match sort.column {
            1 => da.kind.as_str().cmp(db.kind.as_str()),
            2 => da.used.cmp(&db.used),
            3 => da.avail.cmp(&db.avail),
            4 => da.refer.cmp(&db.refer),
            5 => da.volsize.cmp(&db.volsize),
            6 => da.mountpoint.cmp(&db.mountpoint),
            _ => Ordering::Equal,
        }
        .then_with(|| da.name.cmp(&db.name));
        if sort.reverse { ord.reverse() } else { ord }
    }

    fn sort_children(&mut self) {
        let mut roots = std::mem::take(&mut self.roots);
        roots.sort_by(|&a, &b| self.compare(a, b));
        self.roots = roots;
        for i in 0..self.nodes.len() {
            if self.nodes[i].children.len() > 1 {
                let mut children = std::mem::take(&mut self.nodes[i].children);
                children.sort_by(|&a, &b| self.compare(a, b));
                self.nodes[i].children = children;
            }
        }
    }

    /// A dataset shows its children unless all of them are snapshots.
    fn default_expanded(&self, n: u32) -> bool {
        let node = &self.nodes[n as usize];
        node.children.len() as u32 > node.snapshots
    }

    fn expanded(&self, n: u32) -> bool {
        self.default_expanded(n) != self.toggled.contains(&self.dataset(n).name)
    }

    fn rebuild(&mut self) {
        let keep = (!self.filter.is_empty()).then(|| self.matching());
        let mut rows = Vec::new();
        let mut stack: Vec<u32> = self.roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            if keep.as_ref().is_some_and(|k| !k[n as usize]) {
                continue;
            }
            let node = &self.nodes[n as usize];
            // While filtering, everything that leads to a match is open.
            let expanded = keep.is_some() || self.expanded(n);
            rows.push(Row {
                node: n,
                depth: node.depth,
                has_children: !node.children.is_empty(),
                expanded,
            });
            if expanded {
                stack.extend(node.children.iter().rev().copied());
            }
        }
        self.name_width = rows
            .iter()
            .map(|r| self.cells_name(r).chars().count())
            .max()
            .unwrap_or(0);
        self.rows = rows;
        self.cursor.clamp(self.rows.len());
    }

    /// Nodes that match the filter or lead to one that does.
    fn matching(&mut self) -> Vec<bool> {
        let mut keep = vec![false; self.nodes.len()];
        for (i, d) in self.inv.datasets.iter().enumerate() {
            if self.filter.matches(&d.name) {
                let mut at = Some(i as u32);
                while let Some(n) = at {
                    if keep[n as usize] {
                        break;
                    }
                    keep[n as usize] = true;
                    at = self.nodes[n as usize].parent;
                }
            }
        }
        keep
    }

    pub fn select_name(&mut self, name: &str) -> bool {
        // Open the way to it first.
        if let Some(i) = self.inv.datasets.iter().position(|d| d.name == name) {
            let mut at = self.nodes[i].parent;
            let mut changed = false;
            while let Some(p) = at {
                if !self.expanded(p) {
                    let pname = self.dataset(p).name.clone();
                    if !self.toggled.remove(&pname) {
                        self.toggled.insert(pname);
                    }
                    changed = true;
                }
                at = self.nodes[p as usize].parent;
            }
            if changed {
                self.rebuild();
            }
            if let Some(pos) = self.rows.iter().position(|r| r.node == i as u32) {
                self.cursor.selected = pos;
                return true;
            }
        }
        false
    }

    fn set_expanded(&mut self, open: bool) -> bool {
        let Some(row) = self.rows.get(self.cursor.selected).copied() else {
            return false;
        };
        if !row.has_children || row.expanded == open || !self.filter.is_empty() {
            return false;
        }
        let name = self.dataset(row.node).name.clone();
        if !self.toggled.remove(&name) {
            self.toggled.insert(name);
        }
        self.rebuild();
        true
    }

    pub fn expand(&mut self) -> bool {
        self.set_expanded(true)
    }

    /// Collapse the selected node, or when it is closed (or a leaf), go to its parent.
    pub fn collapse(&mut self) -> bool {
        if self.set_expanded(false) {
            return true;
        }
        let Some(row) = self.rows.get(self.cursor.selected) else {
            return false;
        };
        match self.nodes[row.node as usize].parent {
            Some(p) => match self.rows.iter().position(|r| r.node == p) {
                Some(pos) => {
                    self.cursor.selected = pos;
                    true
                }
                None => false,
            },
            None => false,
        }
    }

    pub fn set_filter(&mut self, text: &str) {
        let previous = self.selected().map(|d| d.name.clone());
        self.filter.set(text);
        self.rebuild();
        let still_matches = previous
            .as_ref()
            .is_some_and(|p| text.is_empty() || self.filter.matches(p));
        match previous {
            Some(name) if still_matches && self.select_name(&name) => {}
            _ => {
                // The first dataset that matches itself, not the ancestor leading to it.
                let first = (0..self.rows.len()).find(|&i| {
                    let name = self.dataset(self.rows[i].node).name.clone();
                    self.filter.matches(&name)
                });
                self.cursor = Cursor {
                    selected: first.unwrap_or(0),
                    offset: 0,
                };
            }
        }
    }

    pub fn sort_next(&mut self) {
        let column = self.sort.map_or(1, |s| (s.column + 1) % COLUMNS.len());
        self.set_sort(Sort {
            column,
            reverse: false,
        });
    }

    pub fn sort_reverse(&mut self) {
        let mut sort = self.sort.unwrap_or(Sort {
            column: 0,
            reverse: false,
        });
        sort.reverse = !sort.reverse;
        self.set_sort(sort);
    }

    fn set_sort(&mut self, sort: Sort) {
        let previous = self.selected().map(|d| d.name.clone());
        self.sort = Some(sort);
        self.sort_children();
        self.rebuild();
        if let Some(name) = previous {
            self.select_name(&name);
        }
    }

    fn cells_name(&self, row: &Row) -> String {
        let d = self.dataset(row.node);
        let node = &self.nodes[row.node as usize];
        let marker = match (row.has_children, row.expanded) {
            (false, _) => "  ",
            (true, true) => "▾ ",
            (true, false) => "▸ ",
        };
        let short = match node.parent {
            Some(p) => {
                let parent = &self.dataset(p).name;
                d.name[parent.len()..].trim_start_matches('/')
            }
            None => d.name.as_str(),
        };
        let mut name = format!("{}{marker}{short}", "  ".repeat(row.depth as usize));
        if !row.expanded && node.snapshots > 0 && node.children.len() as u32 == node.snapshots {
            name.push_str(&format!("  (+{} snap)", node.snapshots));
        }
        name
    }

    /// The cells of one visible row; the name is the last component, indented.
    pub fn cells(&self, row: &Row) -> [String; 7] {
        let d = self.dataset(row.node);
        let node = &self.nodes[row.node as usize];
        let name = self.cells_name(row);
        let kind = if node.parent.is_none() {
            "pool".to_string()
        } else {
            d.kind.as_str().to_string()
        };
        [
            name,
            kind,
            size(d.used),
            size(d.avail),
            size(d.refer),
            size(d.volsize),
            or_dash(d.mountpoint.as_ref()),
        ]
    }
}

fn parent_name(name: &str) -> Option<&str> {
    if let Some((fs, _snap)) = name.split_once('@') {
        return Some(fs);
    }
    name.rsplit_once('/').map(|(parent, _)| parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(name: &str, kind: DatasetType, used: u64) -> Dataset {
        Dataset {
            name: name.into(),
            kind,
            used: Some(used),
            avail: None,
            refer: None,
            mountpoint: None,
            volsize: None,
            origin: None,
            creation: Some(used as i64),
        }
    }

    fn tree() -> DatasetTree {
        use DatasetType::*;
        let inv = Inventory {
            datasets: vec![
                ds("rpool", Filesystem, 100),
                ds("rpool/zones", Filesystem, 50),
                ds("rpool/zones/web01", Filesystem, 30),
                ds("rpool/zones/web01@a", Snapshot, 1),
                ds("rpool/zones/web01@b", Snapshot, 2),
                ds("rpool/zones/db01", Filesystem, 40),
                ds("rpool/zones/db01/disk0", Volume, 39),
                ds("data", Filesystem, 10),
            ],
            ..Inventory::default()
        };
        let mut t = DatasetTree::default();
        t.set_inventory(Arc::new(inv));
        t
    }

    fn names(t: &DatasetTree) -> Vec<String> {
        t.rows
            .iter()
            .map(|r| t.dataset(r.node).name.clone())
            .collect()
    }

    #[test]
    fn snapshots_start_folded_and_open_on_expand() {
        let mut t = tree();
        assert_eq!(
            names(&t),
            [
                "data",
                "rpool",
                "rpool/zones",
                "rpool/zones/db01",
                "rpool/zones/db01/disk0",
                "rpool/zones/web01"
            ]
        );
        let web = t
            .rows
            .iter()
            .position(|r| t.dataset(r.node).name == "rpool/zones/web01")
            .unwrap();
        assert!(t.cells(&t.rows[web])[0].ends_with("▸ web01  (+2 snap)"));
        t.cursor.selected = web;
        assert!(t.expand());
        assert_eq!(
            names(&t)[6..],
            ["rpool/zones/web01@a", "rpool/zones/web01@b"]
        );
        assert_eq!(t.cells(&t.rows[7])[0], "        @b");
        assert!(t.collapse());
        assert_eq!(t.len(), 6);
        assert!(t.collapse(), "a closed node goes to its parent");
        assert_eq!(t.selected().unwrap().name, "rpool/zones");
    }

    #[test]
    fn filter_keeps_ancestors_and_selection_survives_refresh() {
        let mut t = tree();
        t.set_filter("disk0");
        assert_eq!(
            names(&t),
            [
                "rpool",
                "rpool/zones",
                "rpool/zones/db01",
                "rpool/zones/db01/disk0"
            ]
        );
        t.cursor.selected = 3;
        t.set_filter("");
        assert_eq!(t.selected().unwrap().name, "rpool/zones/db01/disk0");
        let inv = t.inv.clone();
        t.set_inventory(inv);
        assert_eq!(t.selected().unwrap().name, "rpool/zones/db01/disk0");
    }

    #[test]
    fn sorts_siblings_by_column() {
        let mut t = tree();
        t.sort_next(); // TYPE
        t.sort_next(); // USED
        assert_eq!(names(&t)[3], "rpool/zones/web01", "30 < 40");
        t.sort_reverse();
        assert_eq!(names(&t)[0], "rpool", "100 > 10");
        assert!(
            t.select_name("rpool/zones/web01@b"),
            "selecting opens the way"
        );
        assert_eq!(t.selected().unwrap().name, "rpool/zones/web01@b");
    }
}
