//! The panes' lists and the detail pages.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::table::{self, TableSpec, highlighted};
use super::{chrome, empty};
use crate::sys::zfs::DatasetType;
use crate::sys::zoneadm::ZoneState;
use crate::ui::app::App;
use crate::ui::config::{Slot, Theme};
use crate::ui::detail::{DetailView, PageLine};
use crate::ui::list::{Cursor, TableList};
use crate::ui::panes::{NetView, PENDING_REBOOT, PaneId};
use crate::ui::tree;
use crate::views::detail::Detail;

pub fn zone_state_slot(state: &str) -> Slot {
    match ZoneState::parse(state) {
        Some(ZoneState::Running) => Slot::ZoneRunning,
        Some(ZoneState::Installed) => Slot::ZoneInstalled,
        Some(ZoneState::Configured) => Slot::ZoneConfigured,
        Some(ZoneState::Incomplete) => Slot::ZoneIncomplete,
        _ => Slot::ZoneTransition,
    }
}

/// Colours for cells whose value is a state.
fn cell_slot(pane: PaneId, view: NetView, column: &str, text: &str) -> Option<Slot> {
    match (pane, column) {
        (PaneId::Zones, "STATE") if text.ends_with(PENDING_REBOOT) => Some(Slot::StatusWarning),
        (PaneId::Zones, "STATE") => Some(zone_state_slot(text)),
        (PaneId::Network, "STATE") => Some(match text {
            "up" | "ok" => Slot::StatusOk,
            "down" | "failed" | "disabled" => Slot::StatusError,
            _ => Slot::StatusWarning,
        }),
        (PaneId::Network, "ACTIVE") if view == NetView::Nat => Some(match text {
            "yes" => Slot::StatusOk,
            "no" => Slot::StatusError,
            _ => Slot::StatusWarning,
        }),
        (PaneId::Tasks, "STATUS") => Some(match text {
            "succeeded" => Slot::StatusOk,
            "failed" | "interrupted" => Slot::StatusError,
            "cancelled" => Slot::StatusWarning,
            "queued" => Slot::TextDim,
            _ => Slot::ZoneTransition,
        }),
        (PaneId::Network, "CURRENT" | "FORWARDING") => Some(match text {
            "enabled" | "on" => Slot::StatusOk,
            _ => Slot::TextDim,
        }),
        _ => None,
    }
}

/// The focused pane's list; returns where its rows are (for the mouse).
pub fn pane(frame: &mut Frame, area: Rect, app: &mut App) -> Rect {
    let theme = app.settings.theme.clone();
    let dim = theme.get(Slot::TextDim);
    if !app.loaded {
        empty(frame, area, "Reading the host…", dim);
        return Rect::default();
    }
    match app.focus {
        PaneId::Tasks => {
            let filtering = !app.task_list.filter.is_empty();
            list(
                frame,
                area,
                &mut app.task_list,
                &theme,
                PaneId::Tasks,
                NetView::Links,
                || {
                    if filtering {
                        "No task matches the filter (Esc clears it).".into()
                    } else {
                        "No tasks yet.\n\nEvery change zcon makes to this host (boot, shutdown, \
                         halt, exec …) runs here as a task, with its progress, its log and the \
                         exact commands it ran. Tasks keep running when the console closes."
                            .into()
                    }
                },
            )
        }
        PaneId::Zones => {
            let inv = app.inventory.clone();
            list(
                frame,
                area,
                &mut app.zones,
                &theme,
                PaneId::Zones,
                NetView::Links,
                || {
                    if inv.zones.is_empty() {
                        "No zones are configured on this host.".into()
                    } else {
                        "No zone matches the filter (Esc clears it).".into()
                    }
                },
            )
        }
        PaneId::Network => {
            let [tabs, rest] =
                Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
            frame.render_widget(Paragraph::new(chrome::net_views(app)), tabs);
            let view = app.net_view;
            let inv = app.inventory.clone();
            let filtering = !app.net_list().filter.is_empty();
            let list_state = &mut app.net[view.index()];
            list(
                frame,
                rest,
                list_state,
                &theme,
                PaneId::Network,
                view,
                || {
                    if filtering {
                        "Nothing matches the filter (Esc clears it).".into()
                    } else {
                        view.empty_text(&inv)
                    }
                },
            )
        }
        PaneId::Datasets => datasets(frame, area, app, &theme),
    }
}

fn list(
    frame: &mut Frame,
    area: Rect,
    list: &mut TableList,
    theme: &Theme,
    pane: PaneId,
    view: NetView,
    empty_text: impl FnOnce() -> String,
) -> Rect {
    if list.is_empty() {
        empty(frame, area, &empty_text(), theme.get(Slot::TextDim));
        return Rect::default();
    }
    let len = list.len();
    let TableList {
        table,
        view: view_rows,
        cursor,
        sort,
        filter,
        widths,
    } = list;
    let spec = TableSpec {
        columns: &table.columns,
        widths,
        sort: *sort,
    };
    let base = theme.get(Slot::Text);
    let hit = theme.get(Slot::FilterMatch);
    let (rows, columns) = (&table.rows, &table.columns);
    table::draw(frame, area, &spec, cursor, len, theme, |i| {
        let row = &rows[view_rows[i]];
        row.iter()
            .zip(columns)
            .enumerate()
            .map(|(c, (text, column))| {
                let style =
                    cell_slot(pane, view, column.title, text).map_or(base, |s| theme.get(s));
                if c == 0 {
                    highlighted(text, &filter.positions(text), style, hit)
                } else {
                    Line::styled(text.clone(), style)
                }
            })
            .collect()
    })
}

fn datasets(frame: &mut Frame, area: Rect, app: &mut App, theme: &Theme) -> Rect {
    let t = &mut app.datasets;
    if t.is_empty() {
        let text = if app.inventory.datasets.is_empty() {
            "No ZFS datasets on this host."
        } else {
            "No dataset matches the filter (Esc clears it)."
        };
        empty(frame, area, text, theme.get(Slot::TextDim));
        return Rect::default();
    }
    let widths: Vec<usize> = vec![t.name_width.max(4), 10, 6, 6, 6, 7, 30];
    let spec = TableSpec {
        columns: &tree::COLUMNS,
        widths: &widths,
        sort: t.sort,
    };
    let len = t.len();
    let mut cursor = t.cursor;
    let base = theme.get(Slot::Text);
    let hit = theme.get(Slot::FilterMatch);
    let rect = table::draw(frame, area, &spec, &mut cursor, len, theme, |i| {
        let row = t.rows[i];
        let cells = t.cells(&row);
        let d = t.dataset(row.node);
        let kind = d.kind;
        let full = d.name.clone();
        let slot = match kind {
            _ if row.depth == 0 => Slot::TreePool,
            DatasetType::Filesystem => Slot::TreeFilesystem,
            DatasetType::Volume => Slot::TreeVolume,
            DatasetType::Snapshot | DatasetType::Bookmark => Slot::TreeSnapshot,
        };
        let name_style = theme.get(slot);
        let positions = name_positions(&mut t.filter, &cells[0], &full);
        let mut out = vec![highlighted(&cells[0], &positions, name_style, hit)];
        out.extend(cells[1..].iter().map(|c| Line::styled(c.clone(), base)));
        out
    });
    t.cursor = cursor;
    rect
}

/// Filter hits in the full name, moved onto the short name shown in the tree cell.
fn name_positions(filter: &mut crate::ui::filter::Filter, cell: &str, full: &str) -> Vec<u32> {
    if filter.is_empty() {
        return Vec::new();
    }
    let shown_chars = cell.chars().count() as u32;
    let short = cell.trim_start_matches([' ', '▸', '▾']);
    let short = short.split("  (+").next().unwrap_or(short);
    let lead = shown_chars - cell.trim_start_matches([' ', '▸', '▾']).chars().count() as u32;
    let start = (full.chars().count() - short.chars().count()) as u32;
    filter
        .positions(full)
        .into_iter()
        .filter(|&p| p >= start)
        .map(|p| p - start + lead)
        .collect()
}

/// The selected object's page beside the list (wide terminals).
pub fn preview(frame: &mut Frame, area: Rect, app: &mut App) {
    let Some(page) = app.preview_page() else {
        return;
    };
    let mut view = DetailView::new("", page);
    let theme = app.settings.theme.clone();
    draw_page(frame, area, &mut view, &theme, false);
}

pub fn detail(frame: &mut Frame, area: Rect, app: &mut App) -> Rect {
    let theme = app.settings.theme.clone();
    let Some(view) = app.detail_mut() else {
        return Rect::default();
    };
    draw_page(frame, area, view, &theme, true)
}

fn draw_page(
    frame: &mut Frame,
    area: Rect,
    view: &mut DetailView,
    theme: &Theme,
    focused: bool,
) -> Rect {
    let text = theme.get(Slot::Text);
    let heading = theme.get(Slot::TableHeader);
    let link = theme.get(Slot::Link);
    let dim = theme.get(Slot::TextDim);
    let width = crate::views::detail::KEY_WIDTH;
    let items: Vec<ListItem> = view
        .lines
        .iter()
        .map(|l| match l {
            PageLine::Heading(h) => ListItem::new(Line::styled(h.clone(), heading)),
            PageLine::Blank => ListItem::new(""),
            PageLine::Field(line) => {
                let key_style = if line.target.is_some() { link } else { dim };
                let value_style = if line.key == "state" {
                    theme.get(zone_state_slot(&line.value))
                } else {
                    text
                };
                let pad = if line.key.is_empty() {
                    0
                } else {
                    width.saturating_sub(line.key.chars().count()).max(1)
                };
                ListItem::new(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(line.key.clone(), key_style),
                    Span::raw(" ".repeat(pad)),
                    Span::styled(line.value.clone(), value_style),
                ]))
            }
        })
        .collect();
    let len = items.len();
    let mut cursor: Cursor = view.cursor;
    cursor.clamp(len);
    cursor.scroll_into_view(area.height as usize);
    view.cursor = cursor;
    let mut state = ListState::default().with_offset(cursor.offset);
    if focused {
        state.select(Some(cursor.selected));
    }
    let widget = List::new(items).highlight_style(if focused {
        theme.get(Slot::Selection)
    } else {
        Style::new()
    });
    frame.render_stateful_widget(widget, area, &mut state);
    area
}

impl App {
    /// The page of the focused list's selection, for the preview beside the list.
    fn preview_page(&self) -> Option<Detail> {
        let key = match self.focus {
            PaneId::Zones => self.zones.selected_key()?.to_string(),
            PaneId::Datasets => self.datasets.selected()?.name.clone(),
            PaneId::Network => self.net_list().selected_key()?.to_string(),
            PaneId::Tasks => return None,
        };
        self.page_for(self.focus, &key)
    }
}
