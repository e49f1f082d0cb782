//! The panes and the Network pane's views, and the tables they show.

use std::collections::BTreeMap;

use crate::exec::model::{TaskBook, TaskId};
use crate::host::Inventory;
use crate::sys::zoneadm::ZoneState;
use crate::views::{Column, Table, network as net, zones};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    Zones,
    Tasks,
    Datasets,
    Network,
}

impl PaneId {
    pub const ALL: [PaneId; 4] = [
        PaneId::Zones,
        PaneId::Tasks,
        PaneId::Datasets,
        PaneId::Network,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneId::Zones => "Zones",
            PaneId::Tasks => "Tasks",
            PaneId::Datasets => "Datasets",
            PaneId::Network => "Network",
        }
    }

    /// The palette command that shows it.
    pub fn command(self) -> &'static str {
        match self {
            PaneId::Zones => "zones",
            PaneId::Tasks => "tasks",
            PaneId::Datasets => "datasets",
            PaneId::Network => "network",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn cycle(self, forward: bool) -> PaneId {
        let n = PaneId::ALL.len();
        let i = if forward {
            self.index() + 1
        } else {
            self.index() + n - 1
        };
        PaneId::ALL[i % n]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetView {
    Links,
    Vnics,
    Etherstubs,
    Addresses,
    Nat,
    Dhcp,
    Forwarding,
}

impl NetView {
    pub const ALL: [NetView; 7] = [
        NetView::Links,
        NetView::Vnics,
        NetView::Etherstubs,
        NetView::Addresses,
        NetView::Nat,
        NetView::Dhcp,
        NetView::Forwarding,
    ];

    pub fn title(self) -> &'static str {
        match self {
            NetView::Links => "Links",
            NetView::Vnics => "VNICs",
            NetView::Etherstubs => "Etherstubs",
            NetView::Addresses => "Addresses",
            NetView::Nat => "NAT",
            NetView::Dhcp => "DHCP",
            NetView::Forwarding => "Forwarding",
        }
    }

    /// `:network NAME`.
    pub fn name(self) -> &'static str {
        match self {
            NetView::Links => "links",
            NetView::Vnics => "vnics",
            NetView::Etherstubs => "etherstubs",
            NetView::Addresses => "addresses",
            NetView::Nat => "nat",
            NetView::Dhcp => "dhcp",
            NetView::Forwarding => "forwarding",
        }
    }

    pub fn from_name(name: &str) -> Option<NetView> {
        NetView::ALL.into_iter().find(|v| v.name() == name)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn table(self, inv: &Inventory) -> Table {
        match self {
            NetView::Links => net::links_table(inv),
            NetView::Vnics => net::vnics_table(inv),
            NetView::Etherstubs => net::etherstubs_table(inv),
            NetView::Addresses => net::addresses_table(inv),
            NetView::Nat => net::nat_table(inv),
            NetView::Dhcp => net::dhcp_hosts_table(inv),
            NetView::Forwarding => net::forwarding_overview(inv),
        }
    }

    /// What the view says when it has no rows.
    pub fn empty_text(self, inv: &Inventory) -> String {
        match self {
            NetView::Dhcp if inv.dhcp.is_none() => "No /etc/dhcpd.conf on this host.".into(),
            NetView::Nat => {
                net::nat_note(inv).unwrap_or_else(|| "No rules in /etc/ipf/ipnat.conf.".into())
            }
            _ => format!("No {} on this host.", self.title()),
        }
    }
}

/// Marks a zone's state when changes wait for its next boot.
pub const PENDING_REBOOT: &str = " ↻";

/// Running zones with changes that wait for their next boot: the task that made the
/// newest of them, and when it ended (ms). A zone that has the id it had when the task was
/// planned has not booted since.
pub fn pending_reboots(inv: &Inventory, book: &TaskBook) -> BTreeMap<String, (TaskId, i64)> {
    book.awaiting_boot()
        .into_iter()
        .filter(|(name, task)| {
            inv.zone(name).is_some_and(|z| {
                z.state == ZoneState::Running && task.zone_id.is_none_or(|id| z.id == Some(id))
            })
        })
        .map(|(name, task)| (name, (task.id, task.ended_at.unwrap_or_default())))
        .collect()
}

/// The zones list as the console shows it: the CLI's table without the columns the detail
/// page already carries, and the state of a zone awaiting a reboot marked.
pub fn zones_table(inv: &Inventory, pending: &BTreeMap<String, (TaskId, i64)>) -> Table {
    let mut full = zones::table(&inv.zones);
    let state = full.columns.iter().position(|c| c.title == "STATE");
    if let Some(col) = state {
        for row in &mut full.rows {
            if pending.contains_key(&row[0]) {
                row[col].push_str(PENDING_REBOOT);
            }
        }
    }
    let keep = [
        "NAME",
        "STATE",
        "ID",
        "BRAND",
        "RAM",
        "VCPUS",
        "ADDRESSES",
        "NICS",
        "AUTOBOOT",
    ];
    project(full, &keep)
}

/// The tasks as the Tasks pane shows them: the CLI's table with a gauge beside the percent.
pub fn tasks_table(book: &crate::exec::model::TaskBook, now_ms: i64) -> Table {
    let mut table = crate::views::tasks::table(book, now_ms);
    if let Some(col) = table.columns.iter().position(|c| c.title == "PROGRESS") {
        for row in &mut table.rows {
            let pct: usize = row[col].trim_end_matches('%').parse().unwrap_or(0);
            let filled = (pct.min(100) + 5) / 10;
            row[col] = format!(
                "{:>4} {}{}",
                row[col],
                "█".repeat(filled),
                "░".repeat(10 - filled)
            );
        }
    }
    table
}

/// Only the named columns of a table, in the given order.
fn project(table: Table, keep: &[&str]) -> Table {
    let picks: Vec<usize> = keep
        .iter()
        .filter_map(|k| table.columns.iter().position(|c| c.title == *k))
        .collect();
    let columns: Vec<Column> = picks.iter().map(|&i| table.columns[i].clone()).collect();
    let rows = table
        .rows
        .into_iter()
        .map(|row| picks.iter().map(|&i| row[i].clone()).collect())
        .collect();
    Table::new(columns, rows)
}
