//! One frame of the console: header, tabs, the focused pane (or its detail page), footer,
//! and any popup. Drawing reads the app; it only moves list windows to keep the selection
//! in view.

mod chrome;
mod console;
mod pages;
mod popup;
pub mod table;
mod wizard;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

pub use chrome::tab_label;

use super::app::{App, Mode};
use super::config::Slot;
use super::panes::PaneId;

/// Wide enough to show the selected object's page beside the list.
const PREVIEW_MIN_WIDTH: u16 = 150;

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    frame.render_widget(
        Block::new().style(app.settings.theme.get(Slot::Background)),
        area,
    );
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(frame, header, app);
    chrome::tabs(frame, tabs, app);
    app.sessions.cursor = None;
    if matches!(app.mode, Mode::Wizard(_)) {
        wizard::draw(frame, body, app);
    } else if app.focus == PaneId::Zones && app.sessions.shown().is_some() {
        let (list, pane) = console::split(body, app.sessions.full);
        if let Some(list) = list {
            draw_body(frame, list, app);
        }
        app.sessions.cursor = console::pane(frame, pane, app);
    } else {
        draw_body(frame, body, app);
    }
    chrome::footer(frame, footer, app);
    match &app.mode {
        Mode::Help(_) => popup::help(frame, body, app),
        Mode::Palette(_) => popup::palette(frame, body, app),
        Mode::Confirm(_) => popup::confirm(frame, body, app),
        Mode::Sessions(_) => console::sessions(frame, body, app),
        Mode::Filter(_) | Mode::Prompt(_) | Mode::Wizard(_) | Mode::Copy(_) | Mode::Normal => {}
    }
}

/// The size of the console pane's screen on a terminal of this size (before it is drawn).
pub fn console_size(width: u16, height: u16, full: bool) -> (u16, u16) {
    // The header, the tabs and the footer take a row each.
    let body = Rect::new(0, 0, width, height.saturating_sub(3));
    let (_, pane) = console::split(body, full);
    (
        pane.width.saturating_sub(2).max(1),
        pane.height.saturating_sub(2).max(1),
    )
}

fn draw_body(frame: &mut Frame, area: Rect, app: &mut App) {
    let theme = &app.settings.theme;
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.get(Slot::BorderFocused))
        .title(Line::styled(
            format!(" {} ", chrome::body_title(app)),
            theme.get(Slot::PopupTitle),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.detail().is_some() {
        app.page = inner.height.saturating_sub(1) as usize;
        app.hits.rows = pages::detail(frame, inner, app);
        return;
    }
    let preview = inner.width >= PREVIEW_MIN_WIDTH && app.focus != PaneId::Tasks;
    let (list_area, preview_area) = if preview {
        let [l, p] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
            .spacing(1)
            .areas(inner);
        (l, Some(p))
    } else {
        (inner, None)
    };
    app.page = list_area.height.saturating_sub(2) as usize;
    app.hits.rows = pages::pane(frame, list_area, app);
    if let Some(area) = preview_area {
        pages::preview(frame, area, app);
    }
}

/// A centred message in an empty pane.
fn empty(frame: &mut Frame, area: Rect, text: &str, style: Style) {
    let lines = text.lines().count() as u16;
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(lines + 1),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(text.to_string())
            .style(style)
            .centered()
            .wrap(Wrap { trim: true }),
        middle,
    );
}
