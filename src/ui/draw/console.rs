//! The embedded console pane: the shown session's screen in a frame that says whose it is,
//! how to detach, and how it ended; and the `:sessions` list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState, Paragraph};

use super::popup::{centered, frame_block};
use crate::console::{CursorShape, TermView};
use crate::ui::app::{App, Mode};
use crate::ui::config::Slot;

/// Draw the shown session into `area`; the session follows the pane's size. The cursor
/// shape the guest wants, when the console has the keyboard and its cursor is drawn.
pub fn pane(frame: &mut Frame, area: Rect, app: &mut App) -> Option<CursorShape> {
    let locked = app.console_locked();
    let detach = app.detach_label();
    let theme = app.settings.theme.clone();
    let copy = match app.mode {
        Mode::Copy(c) => Some(c),
        _ => None,
    };
    let shown = app.sessions.shown()?;
    let ended = shown.ended();
    let back = shown.session.scroll_offset();
    let mut title = format!(" {} · #{} ", shown.title(), shown.number);
    let hint = match (&ended, copy, locked) {
        (Some(why), _, _) => format!(" ended: {why} · :close removes it "),
        (None, Some(_), _) => " copy: j/k move · v mark · y copy · Esc leave ".to_string(),
        (None, None, true) => format!(" {detach} detaches "),
        (None, None, false) => " a attaches · v copies lines · F full screen ".to_string(),
    };
    if back > 0 {
        title.push_str(&format!("· {back} lines back "));
    }
    let border = if locked {
        theme.get(Slot::BorderFocused)
    } else {
        theme.get(Slot::Border)
    };
    let hint_slot = if ended.is_some() {
        Slot::StatusWarning
    } else {
        Slot::TextDim
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(Line::styled(title, theme.get(Slot::PopupTitle)))
        .title_bottom(Line::styled(hint, theme.get(hint_slot)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    shown.session.resize(inner.width, inner.height);
    app.sessions.rows = inner.height;
    let shown = app.sessions.shown()?;
    let selection = copy.map(|c| c.rows());
    let cursor = shown.session.with_screen(|screen| {
        let view = TermView::new(screen).selection(selection);
        let at = view.cursor(inner).filter(|_| locked && copy.is_none());
        frame.render_widget(view, inner);
        at
    });
    if let Some(c) = copy {
        // The copy cursor's row, marked at the pane's left edge.
        let y = inner.y + c.cursor.min(inner.height.saturating_sub(1));
        if let Some(cell) = frame.buffer_mut().cell_mut((inner.x, y)) {
            cell.set_style(theme.get(Slot::Selection));
        }
    }
    let at = cursor?;
    frame.set_cursor_position(at);
    Some(shown.session.cursor_shape())
}

/// The body with the zone list and the shown console: side by side when there is room (the
/// console at least 80 columns inside its frame, as guests assume), else one above the
/// other; the console alone when full screen.
pub fn split(body: Rect, full: bool) -> (Option<Rect>, Rect) {
    if full {
        return (None, body);
    }
    if body.width >= 122 {
        let console = (body.width * 55 / 100).max(82);
        let [list, console] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(console)]).areas(body);
        (Some(list), console)
    } else {
        let [list, console] =
            Layout::vertical([Constraint::Percentage(35), Constraint::Percentage(65)]).areas(body);
        (Some(list), console)
    }
}

/// `:sessions`: every open console, the shown one marked.
pub fn sessions(frame: &mut Frame, body: Rect, app: &App) {
    let Mode::Sessions(selected) = app.mode else {
        return;
    };
    let theme = &app.settings.theme;
    let rows: Vec<ListItem> = app
        .sessions
        .list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let state = s
                .ended()
                .map_or("running".to_string(), |why| format!("ended: {why}"));
            let shown = if app.sessions.shown == Some(i) {
                "  (shown)"
            } else {
                ""
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:>3}  ", s.number), theme.get(Slot::TextDim)),
                Span::styled(format!("{:<24}", s.title()), theme.get(Slot::Text)),
                Span::styled(format!("{state}{shown}"), theme.get(Slot::TextDim)),
            ]))
        })
        .collect();
    let width = body.width.saturating_sub(4).min(90);
    let height = (rows.len() as u16 + 4).min(body.height);
    let area = centered(body, width, height);
    frame.render_widget(Clear, area);
    let block = frame_block(theme, "Sessions: Enter attaches · :close N ends one");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let list = List::new(rows).highlight_style(theme.get(Slot::Selection));
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, inner, &mut state);
    if app.sessions.list.is_empty() {
        frame.render_widget(Paragraph::new("No sessions."), inner);
    }
}
