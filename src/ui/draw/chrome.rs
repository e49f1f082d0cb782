//! Header (the host), tabs, and footer (keys and messages).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::app::{App, Level, Mode};
use crate::ui::config::{Action, Slot};
use crate::ui::panes::{NetView, PaneId};

pub fn header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let base = theme.get(Slot::Header);
    let dim = base.patch(theme.get(Slot::TextDim));
    let mut spans = vec![Span::styled(
        " zcon ",
        base.patch(theme.get(Slot::HeaderHost)),
    )];
    let sep = || Span::styled(" │ ", dim);
    for (text, style) in host_facts(app) {
        spans.push(sep());
        spans.push(Span::styled(text, base.patch(style)));
    }
    let narrow = area.width < 100;
    for pool in &app.inventory.pools {
        spans.push(sep());
        let slot = match pool.cap {
            90.. => Slot::StatusError,
            80.. => Slot::StatusWarning,
            _ => Slot::StatusOk,
        };
        let label = if narrow {
            format!("{} {}%", pool.name, pool.cap)
        } else {
            format!(
                "{} {}% of {}",
                pool.name,
                pool.cap,
                crate::sys::size::format_size(pool.size)
            )
        };
        spans.push(Span::styled(label, base.patch(theme.get(slot))));
    }
    if app.read_only {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" READ-ONLY ", theme.get(Slot::Badge)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
}

/// Hostname, OS release and uptime, as far as the host told them.
fn host_facts(app: &App) -> Vec<(String, Style)> {
    let theme = &app.settings.theme;
    let Some(sys) = &app.inventory.system else {
        return Vec::new();
    };
    let mut facts = vec![(sys.hostname.clone(), theme.get(Slot::HeaderHost))];
    if !sys.os_release.is_empty() {
        facts.push((sys.os_release.clone(), Style::new()));
    }
    if let Some(uptime) = app.uptime() {
        facts.push((format!("up {uptime}"), Style::new()));
    }
    facts
}

pub fn tab_label(app: &App, pane: PaneId) -> String {
    let inv = &app.inventory;
    let count = match pane {
        PaneId::Zones if app.loaded => format!(" {}", inv.zones.len()),
        PaneId::Datasets if app.loaded => format!(" {}", inv.datasets.len()),
        _ => String::new(),
    };
    format!(" {} {}{count} ", pane.index() + 1, pane.title())
}

pub fn tabs(frame: &mut Frame, area: Rect, app: &mut App) {
    let theme = &app.settings.theme;
    let spans: Vec<Span> = PaneId::ALL
        .iter()
        .map(|&p| {
            let slot = if p == app.focus {
                Slot::TabActive
            } else {
                Slot::Tab
            };
            Span::styled(tab_label(app, p), theme.get(slot))
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    app.hits.tabs = area;
}

/// The pane's title: which view, how many rows, the filter.
pub fn body_title(app: &App) -> String {
    if let Some(detail) = app.detail() {
        return detail.title.clone();
    }
    let (shown, total) = match app.focus {
        PaneId::Zones => (app.zones.len(), app.zones.table.rows.len()),
        PaneId::Datasets => (app.datasets.len(), app.inventory.datasets.len()),
        PaneId::Network => (app.net_list().len(), app.net_list().table.rows.len()),
        PaneId::Tasks => (app.task_list.len(), app.task_list.table.rows.len()),
    };
    let name = match app.focus {
        PaneId::Network => format!("Network · {}", app.net_view.title()),
        other => other.title().to_string(),
    };
    let filter = app.filter_text();
    if filter.is_empty() {
        format!("{name} ({total})")
    } else {
        format!("{name} ({shown} of {total}) /{filter}")
    }
}

/// The network views as a line of tabs.
pub fn net_views(app: &App) -> Line<'static> {
    let theme = &app.settings.theme;
    let spans: Vec<Span> = NetView::ALL
        .iter()
        .flat_map(|&v| {
            let slot = if v == app.net_view {
                Slot::TabActive
            } else {
                Slot::Tab
            };
            [
                Span::styled(v.title().to_string(), theme.get(slot)),
                Span::raw("  "),
            ]
        })
        .collect();
    Line::from(spans)
}

/// The actions worth a reminder in the footer, per situation.
fn hints(app: &App) -> Vec<Action> {
    match app.mode {
        Mode::Filter(_) => vec![Action::Accept, Action::Clear],
        Mode::Palette(_) => vec![Action::Run, Action::Complete, Action::Close],
        Mode::Help(_) => vec![Action::Down, Action::Up, Action::Cancel],
        Mode::Confirm(_) => vec![Action::NextField, Action::Confirm, Action::Cancel],
        Mode::Prompt(_) => vec![Action::Accept, Action::Clear],
        Mode::Wizard(ref w) => wizard_hints(w),
        Mode::Copy(_) => vec![
            Action::Down,
            Action::Up,
            Action::Select,
            Action::Copy,
            Action::Back,
        ],
        Mode::Sessions(_) => vec![Action::Down, Action::Up, Action::Confirm, Action::Cancel],
        Mode::Normal if app.console_locked() => vec![Action::Detach, Action::ScrollUp],
        Mode::Normal => {
            let mut v = vec![Action::Down, Action::Up];
            if app.detail().is_some() {
                v.extend([Action::Open, Action::Back]);
            } else {
                v.extend([Action::Open, Action::Filter, Action::SortNext]);
                match app.focus {
                    PaneId::Datasets => v.extend([Action::Expand, Action::Collapse]),
                    PaneId::Network => v.push(Action::ViewNext),
                    _ => {}
                }
            }
            match app.focus {
                PaneId::Zones => v.extend([
                    Action::Boot,
                    Action::Shutdown,
                    Action::Halt,
                    Action::Reboot,
                    Action::Exec,
                    Action::Attach,
                    Action::Login,
                ]),
                PaneId::Tasks => {
                    v.extend([Action::CancelTask, Action::Copy]);
                    if app.detail().is_some() {
                        v.push(Action::Follow);
                    }
                }
                _ => {}
            }
            v.extend([
                Action::PaneNext,
                Action::Palette,
                Action::Help,
                Action::Quit,
            ]);
            v
        }
    }
}

/// The form's keys worth a reminder: those that act on the focused field and step.
fn wizard_hints(w: &crate::ui::wizard::Wizard) -> Vec<Action> {
    use crate::ui::wizard::Overlay;
    match &w.overlay {
        Some(Overlay::Help(_)) => vec![Action::Down, Action::Up, Action::Cancel],
        Some(Overlay::Discard(_)) => vec![Action::NextField, Action::Confirm, Action::Cancel],
        Some(Overlay::Save(_)) => vec![Action::Accept, Action::Clear],
        None => [
            Action::Submit,
            Action::NextField,
            Action::ChoiceNext,
            Action::Toggle,
            Action::AddItem,
            Action::RemoveItem,
            Action::Save,
            Action::Back,
            Action::Help,
        ]
        .into_iter()
        .filter(|a| w.applies(*a))
        .collect(),
    }
}

/// What Enter and Space do where the wizard's focus is.
fn wizard_desc(app: &App, action: Action) -> Option<&'static str> {
    use crate::ui::form::Widget;
    let w = app.wizard().filter(|w| w.overlay.is_none())?;
    let review = w.step == crate::ui::wizard::Step::Review;
    let button = matches!(
        w.current().focused().map(|f| &f.widget),
        Some(Widget::Button)
    );
    match action {
        Action::Submit if review && button => Some("press"),
        Action::Submit if review && w.is_edit() => Some("apply"),
        Action::Submit if review => Some("create"),
        Action::Toggle if button => Some("press"),
        _ => None,
    }
}

fn short_desc(action: Action) -> &'static str {
    match action {
        Action::Down => "down",
        Action::Up => "up",
        Action::Open => "open",
        Action::Back => "back",
        Action::Filter => "filter",
        Action::SortNext => "sort",
        Action::Expand => "expand",
        Action::Collapse => "collapse",
        Action::ViewNext => "view",
        Action::PaneNext => "pane",
        Action::Palette => "commands",
        Action::Help => "help",
        Action::Quit => "quit",
        Action::Accept => "keep",
        Action::Clear => "clear",
        Action::Run => "run",
        Action::Complete => "complete",
        Action::Close | Action::Cancel => "close",
        Action::NextField => "switch",
        Action::Confirm => "press",
        Action::CancelTask => "cancel",
        Action::Submit => "next",
        Action::ChoiceNext => "pick",
        Action::AddItem => "add",
        Action::RemoveItem => "remove",
        Action::Detach => "detach",
        Action::ScrollUp => "scroll back",
        Action::Select => "mark",
        Action::Attach => "console",
        Action::Fullscreen => "full screen",
        other => other.name(),
    }
}

pub fn footer(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let base = theme.get(Slot::Footer);
    let badge = task_badge(app);
    let badge_width = badge.as_ref().map_or(0, |b| b.width() as u16);
    let [area, badge_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(badge_width)]).areas(area);
    if let Some(badge) = badge {
        frame.render_widget(Paragraph::new(badge).style(base), badge_area);
    }
    let line = match &app.mode {
        Mode::Filter(input) => input_line("/", input, app),
        Mode::Palette(palette) => input_line(":", &palette.input, app),
        Mode::Prompt(prompt) => input_line(&prompt.title, &prompt.input, app),
        _ => {
            let mut spans = Vec::new();
            if let Some(m) = &app.message {
                let slot = match m.level {
                    Level::Info => Slot::Info,
                    Level::Warning => Slot::Warning,
                    Level::Error => Slot::Error,
                };
                spans.push(Span::styled(
                    format!(" {} ", m.text),
                    base.patch(theme.get(slot)),
                ));
            } else if !app.pending.is_empty() {
                let keys: Vec<String> = app.pending.iter().map(|k| k.to_string()).collect();
                spans.push(Span::styled(
                    format!(" {} …", keys.join(" ")),
                    base.patch(theme.get(Slot::Info)),
                ));
            } else {
                let contexts = app.contexts();
                let hints: Vec<(String, &str)> = hints(app)
                    .into_iter()
                    .filter_map(|a| {
                        let binding = app
                            .settings
                            .keymap
                            .keys_for(&contexts, a)
                            .first()
                            .copied()?;
                        Some((
                            binding.keys_label(),
                            wizard_desc(app, a).unwrap_or(short_desc(a)),
                        ))
                    })
                    .collect();
                for (keys, desc) in fitting(hints, area.width as usize) {
                    // Actions that do not apply to the selection now are greyed out.
                    let enabled = Action::from_name(desc).is_none_or(|a| available(app, a));
                    let (key_style, desc_style) = if enabled {
                        (base.patch(theme.get(Slot::FooterKey)), base)
                    } else {
                        let dim = base.patch(theme.get(Slot::TextDim));
                        (dim, dim)
                    };
                    spans.push(Span::styled(format!(" {keys}"), key_style));
                    spans.push(Span::styled(format!(" {desc} "), desc_style));
                }
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line).style(base), area);
    let prompt_width = match &app.mode {
        Mode::Prompt(prompt) => prompt.title.chars().count() as u16,
        _ => 1,
    };
    if let Mode::Filter(input)
    | Mode::Palette(super::super::app::Palette { input, .. })
    | Mode::Prompt(super::super::app::Prompt { input, .. }) = &app.mode
    {
        let x = area.x + prompt_width + input.text().chars().take(input.cursor()).count() as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// Whether a zone or task action can act on the selection now.
fn available(app: &App, action: Action) -> bool {
    use crate::ops::zone::Lifecycle;
    let lifecycle = match action {
        Action::Boot => Lifecycle::Boot,
        Action::Shutdown => Lifecycle::Shutdown,
        Action::Halt => Lifecycle::Halt,
        Action::Reboot => Lifecycle::Reboot,
        Action::Restart => Lifecycle::Restart,
        Action::Poweroff => Lifecycle::Poweroff,
        Action::Exec => {
            return !app.read_only
                && app.focused_zone().is_some_and(|z| {
                    crate::ops::zone::check_exec(&crate::ops::zone::ZoneFacts::of(z)).is_ok()
                });
        }
        Action::CancelTask => {
            return app
                .focused_task()
                .and_then(|id| app.tasks.get(id))
                .is_some_and(|t| !t.status.is_final());
        }
        _ => return true,
    };
    !app.read_only && app.zone_action_state(lifecycle).is_ok()
}

/// Running and queued tasks, seen from every pane.
fn task_badge(app: &App) -> Option<Line<'static>> {
    let running = app.tasks.running();
    let queued = app.tasks.queued();
    if running + queued == 0 {
        return None;
    }
    let theme = &app.settings.theme;
    let mut text = format!(" ⚙ {running} running");
    if queued > 0 {
        text.push_str(&format!(", {queued} queued"));
    }
    text.push(' ');
    Some(Line::styled(text, theme.get(Slot::ZoneTransition)))
}

/// The hints that fit, keeping the last ones (palette, help, quit) and dropping from the
/// middle, in their order.
fn fitting(hints: Vec<(String, &str)>, room: usize) -> Vec<(String, &str)> {
    let width = |h: &(String, &str)| h.0.chars().count() + h.1.chars().count() + 3;
    let mut keep = vec![true; hints.len()];
    let mut total: usize = hints.iter().map(width).sum();
    // Drop from just before the closing trio, moving towards the start.
    let mut drop = hints.len().saturating_sub(4) as isize;
    while total > room && drop >= 0 {
        keep[drop as usize] = false;
        total -= width(&hints[drop as usize]);
        drop -= 1;
    }
    hints
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(h, _)| h)
        .collect()
}

fn input_line(prompt: &str, input: &crate::ui::input::LineInput, app: &App) -> Line<'static> {
    let theme = &app.settings.theme;
    Line::from(vec![
        Span::styled(prompt.to_string(), theme.get(Slot::FooterKey)),
        Span::styled(input.text().to_string(), theme.get(Slot::Text)),
    ])
}
