//! Detail pages: opening one for the selection, following its links, and keeping open pages
//! current after a refresh.

use super::{App, Effect, Level};
use crate::sys::zfs::Dataset;
use crate::ui::detail::DetailView;
use crate::ui::panes::{NetView, PaneId};
use crate::views::detail::{Detail, Target};
use crate::views::{or_dash, storage::size, zones};

impl App {
    /// Enter: open the selection's page, or on a page follow the selected line's link.
    pub(super) fn open(&mut self) {
        if let Some(detail) = self.detail() {
            match detail.selected_target().cloned() {
                Some(target) => self.follow(&target),
                None => self.notify(Level::Info, "This line does not lead anywhere."),
            }
            return;
        }
        let key = match self.focus {
            PaneId::Zones => self.zones.selected_key().map(str::to_string),
            PaneId::Datasets => self.datasets.selected().map(|d| d.name.clone()),
            PaneId::Network => self.net_list().selected_key().map(str::to_string),
            PaneId::Tasks => self.task_list.selected_key().map(str::to_string),
        };
        let Some(key) = key else { return };
        if let Some(page) = self.page_for(self.focus, &key) {
            let mut view = DetailView::new(&key, page);
            if self.focus == PaneId::Tasks {
                self.follow = true;
                self.page_search.clear();
                view.cursor.to_bottom(view.len());
            }
            self.details[self.focus.index()] = Some(view);
            if self.focus == PaneId::Datasets {
                self.effects.push(Effect::LoadDatasetProps(key));
            }
        }
    }

    /// Jump to the object a page line points at, in its own pane.
    pub fn follow(&mut self, target: &Target) {
        let found = match target {
            Target::Zone(name) => {
                self.focus = PaneId::Zones;
                self.zones.set_filter("");
                self.zones.select_key(name)
            }
            Target::Dataset(name) => {
                self.focus = PaneId::Datasets;
                self.datasets.set_filter("");
                self.datasets.select_name(name)
            }
            Target::Link(name) => {
                self.focus = PaneId::Network;
                let view = if self.inventory.vnics.iter().any(|v| &v.link == name) {
                    NetView::Vnics
                } else {
                    NetView::Links
                };
                self.net_view = view;
                let list = self.net_list_mut();
                list.set_filter("");
                list.select_key(name)
            }
        };
        self.details[self.focus.index()] = None;
        if !found {
            let name = match target {
                Target::Zone(n) | Target::Dataset(n) | Target::Link(n) => n,
            };
            self.notify(Level::Warning, format!("{name} is not on this host now."));
        }
    }

    /// Rebuild open pages from the current snapshot; a page whose object is gone closes.
    pub(super) fn refresh_details(&mut self) {
        for pane in PaneId::ALL {
            let Some(key) = self.details[pane.index()].as_ref().map(|d| d.key.clone()) else {
                continue;
            };
            match self.page_for(pane, &key) {
                Some(page) => {
                    if let Some(view) = self.details[pane.index()].as_mut() {
                        view.replace(page);
                    }
                }
                None => {
                    self.details[pane.index()] = None;
                    self.notify(Level::Warning, format!("{key} is gone from the host."));
                }
            }
        }
    }

    pub(crate) fn page_for(&self, pane: PaneId, key: &str) -> Option<Detail> {
        let inv = &self.inventory;
        match pane {
            PaneId::Zones => {
                let zone = inv.zone(key)?;
                let mut page = zones::detail(zone, &inv.zone_datasets(zone), &inv.zone_vnics(zone));
                if let Some((task, at)) = self.pending_reboots.get(key) {
                    let when = crate::views::tasks::time_text(*at, crate::exec::journal::now_ms());
                    let line = crate::views::detail::Line {
                        key: "pending".into(),
                        value: format!(
                            "reboot: changes of task #{task} ({when}) wait for the next boot"
                        ),
                        target: None,
                    };
                    page.sections[0].lines.insert(1, line);
                }
                Some(page)
            }
            PaneId::Datasets => {
                let dataset = inv.datasets.iter().find(|d| d.name == key)?;
                Some(self.dataset_page(dataset))
            }
            PaneId::Network => {
                let list = self.net_list();
                let row = list
                    .table
                    .rows
                    .iter()
                    .find(|r| r.first().map(String::as_str) == Some(key))?;
                let mut page = Detail::new(format!("{} {key}", self.net_view.title()));
                let s = page.section("");
                for (column, cell) in list.table.columns.iter().zip(row) {
                    s.field(&column.title.to_lowercase(), cell.clone());
                }
                if let Some(vnic) = inv.vnics.iter().find(|v| v.link == key) {
                    let s = page.section("related");
                    s.linked("over", vnic.over.clone(), Target::Link(vnic.over.clone()));
                    if let Some(zone) = vnic.zone.as_ref().filter(|z| inv.zone(z).is_some()) {
                        s.linked("zone", zone.clone(), Target::Zone(zone.clone()));
                    }
                }
                page.drop_empty();
                Some(page)
            }
            PaneId::Tasks => self.task_page(key),
        }
    }

    fn dataset_page(&self, d: &Dataset) -> Detail {
        let mut page = Detail::new(format!("{} {}", d.kind.as_str(), d.name));
        let s = page.section("");
        s.field("used", size(d.used));
        s.field("avail", size(d.avail));
        s.field("refer", size(d.refer));
        s.field("volsize", size(d.volsize));
        s.field("mountpoint", or_dash(d.mountpoint.as_ref()));
        if let Some(origin) = &d.origin {
            s.linked("origin", origin.clone(), Target::Dataset(origin.clone()));
        }
        if let Some(created) = d
            .creation
            .and_then(|t| jiff::Timestamp::from_second(t).ok())
        {
            s.field(
                "creation",
                created.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            );
        }
        if let Some(pool) = self.inventory.pools.iter().find(|p| p.name == d.name) {
            s.field("pool", format!("{}% full, {}", pool.cap, pool.health));
        }
        let users: Vec<&str> = self
            .inventory
            .zones_using(&d.name)
            .into_iter()
            .map(|z| z.name.as_str())
            .collect();
        if !users.is_empty() {
            let s = page.section("used by");
            for zone in users {
                s.linked(zone, String::new(), Target::Zone(zone.to_string()));
            }
        }
        let s = page.section("properties");
        match &self.dataset_props {
            Some((name, props)) if *name == d.name => {
                for p in props {
                    let value = p.value.as_deref().unwrap_or("-");
                    s.field(
                        &p.property,
                        format!("{value}  ({})", p.source.as_deref().unwrap_or("-")),
                    );
                }
            }
            _ => s.note("(reading zfs get all …)"),
        }
        page
    }
}
