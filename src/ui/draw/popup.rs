//! Popups over the body: help, the command palette and confirmations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::ui::app::{App, HelpLine, Mode};
use crate::ui::config::{Slot, Theme};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [_, v, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height.min(area.height)),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, h, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width.min(area.width)),
        Constraint::Fill(1),
    ])
    .areas(v);
    h
}

pub(super) fn frame_block(theme: &Theme, title: &str) -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.get(Slot::BorderFocused))
        .style(theme.get(Slot::Popup))
        .title(Line::styled(
            format!(" {title} "),
            theme.get(Slot::PopupTitle),
        ))
}

pub fn help(frame: &mut Frame, body: Rect, app: &mut App) {
    let theme = app.settings.theme.clone();
    let area = centered(body, 76, body.height.saturating_sub(2).max(10));
    let block = frame_block(&app.settings.theme, "Help: keys here, then everywhere else");
    let Mode::Help(help) = &mut app.mode else {
        return;
    };
    let items = help_items(&help.lines, &theme);
    let inner = block.inner(area);
    let cursor = &mut help.cursor;
    cursor.clamp(items.len());
    cursor.scroll_into_view(inner.height as usize);
    let mut state = ListState::default().with_offset(cursor.offset);
    state.select(Some(cursor.selected));
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.get(Slot::Selection)),
        inner,
        &mut state,
    );
}

pub fn palette(frame: &mut Frame, body: Rect, app: &mut App) {
    let candidates = app.palette_candidates();
    let Mode::Palette(palette) = &app.mode else {
        return;
    };
    let theme = &app.settings.theme;
    let height = (candidates.len() as u16 + 2).clamp(3, body.height.saturating_sub(1).max(3));
    let width = body.width.min(90);
    let area = Rect {
        x: body.x,
        y: body.bottom().saturating_sub(height),
        width,
        height,
    };
    let key_width = candidates
        .iter()
        .map(|c| c.keys.chars().count())
        .max()
        .unwrap_or(0);
    let text_width = candidates
        .iter()
        .map(|c| c.text.chars().count())
        .max()
        .unwrap_or(0);
    let items: Vec<ListItem> = if candidates.is_empty() {
        vec![ListItem::new(Line::styled(
            "  no matching command",
            theme.get(Slot::TextDim),
        ))]
    } else {
        candidates
            .iter()
            .map(|c| {
                // What does not apply now is greyed out, with the reason.
                let (text_slot, desc) = match &c.unavailable {
                    Some(why) => (Slot::TextDim, format!("{} — {why}", c.desc)),
                    None => (Slot::Text, c.desc.clone()),
                };
                ListItem::new(Line::from(vec![
                    Span::styled(format!(" {:<text_width$}  ", c.text), theme.get(text_slot)),
                    Span::styled(
                        format!("{:<key_width$}  ", c.keys),
                        theme.get(Slot::FooterKey),
                    ),
                    Span::styled(
                        desc.trim_start_matches(" — ").to_string(),
                        theme.get(Slot::TextDim),
                    ),
                ]))
            })
            .collect()
    };
    let block = frame_block(&app.settings.theme, "Commands (Tab completes)");
    let inner = block.inner(area);
    let mut state = ListState::default();
    if !candidates.is_empty() {
        state.select(Some(palette.selected.min(candidates.len() - 1)));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.get(Slot::Selection)),
        inner,
        &mut state,
    );
}

/// A confirmation: what will run, then the buttons; the focused one is highlighted.
pub fn confirm(frame: &mut Frame, body: Rect, app: &App) {
    let theme = &app.settings.theme;
    let Mode::Confirm(confirm) = &app.mode else {
        return;
    };
    let widest = confirm
        .lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(20)
        .max(confirm.title.chars().count() + 4) as u16;
    let width = (widest + 6).clamp(40, body.width.saturating_sub(2).max(20));
    let height = confirm.lines.len() as u16 + 4;
    let area = centered(body, width, height);
    frame.render_widget(Clear, area);
    let block = frame_block(&app.settings.theme, &confirm.title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [text, _, buttons] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner.inner(ratatui::layout::Margin::new(1, 0)));
    let lines: Vec<Line> = confirm
        .lines
        .iter()
        .map(|l| Line::styled(l.clone(), theme.get(Slot::Text)))
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
    let button = |label: &str, focused: bool| {
        let slot = if focused {
            Slot::Selection
        } else {
            Slot::TextDim
        };
        Span::styled(format!("[ {label} ]"), theme.get(slot))
    };
    let line = Line::from(vec![
        button("Cancel", !confirm.on_run),
        Span::raw("   "),
        button(&confirm.run_label, confirm.on_run),
    ]);
    frame.render_widget(Paragraph::new(line).centered(), buttons);
}

/// The help popup's rows: headings, blank lines, and bindings with their keys aligned.
pub(super) fn help_items(lines: &[HelpLine], theme: &Theme) -> Vec<ListItem<'static>> {
    let key_width = lines
        .iter()
        .filter_map(|l| match l {
            HelpLine::Binding { keys, .. } => Some(keys.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(4);
    lines
        .iter()
        .map(|l| match l {
            HelpLine::Heading(h) => {
                ListItem::new(Line::styled(h.clone(), theme.get(Slot::TableHeader)))
            }
            HelpLine::Blank => ListItem::new(""),
            HelpLine::Binding { keys, desc } => ListItem::new(Line::from(vec![
                Span::styled(
                    format!("  {keys:<key_width$}  "),
                    theme.get(Slot::FooterKey),
                ),
                Span::styled(desc.clone(), theme.get(Slot::Text)),
            ])),
        })
        .collect()
}
