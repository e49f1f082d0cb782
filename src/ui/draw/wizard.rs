//! The wizard over the body: its steps on the left, the step's form (each field's error under
//! it, in the error colour), the review with the spec and the plan's commands, and its
//! popups (help, discard the changes?, save to).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListState, Paragraph};

use super::popup::{centered, frame_block};
use crate::ui::app::{App, Mode};
use crate::ui::config::{Slot, Theme};
use crate::ui::form::{Form, Widget};
use crate::ui::wizard::{Overlay, Step, Wizard};

/// The marker and label column.
const LABEL_W: usize = 21;
/// The widest a value is drawn before its note.
const VALUE_W: usize = 28;
/// Below this width the steps go on one line above the form.
const SIDE_STEPS_MIN: u16 = 60;
/// From this width the review shows the spec and the commands side by side.
const REVIEW_COLUMNS_MIN: u16 = 110;

enum Row {
    Blank,
    Heading(String),
    Note(String),
    Field(usize),
    Error(String),
}

pub fn draw(frame: &mut Frame, body: Rect, app: &mut App) {
    let theme = app.settings.theme.clone();
    let Mode::Wizard(w) = &mut app.mode else {
        return;
    };
    let steps = w.steps();
    let at = steps.iter().position(|s| *s == w.step).unwrap_or(0);
    let title = format!(
        " {} · step {} of {}: {} ",
        w.title(),
        at + 1,
        steps.len(),
        w.step.title()
    );
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.get(Slot::BorderFocused))
        .title(Line::styled(title, theme.get(Slot::PopupTitle)));
    let inner = block.inner(body);
    frame.render_widget(Clear, body);
    frame.render_widget(block, body);
    let (steps_area, main) = if inner.width >= SIDE_STEPS_MIN {
        let [s, _, m] = Layout::horizontal([
            Constraint::Length(18),
            Constraint::Length(1),
            Constraint::Min(10),
        ])
        .areas(inner);
        (s, m)
    } else {
        let [s, m] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        (s, m)
    };
    step_list(
        frame,
        steps_area,
        &theme,
        w,
        &steps,
        inner.width >= SIDE_STEPS_MIN,
    );
    if w.step == Step::Review {
        review(frame, main, &theme, w);
    } else {
        let form_scroll = w.scroll;
        w.scroll = form(frame, main, &theme, w.current(), form_scroll);
    }
    match &w.overlay {
        Some(Overlay::Help(_)) => help(frame, body, &theme, w),
        Some(Overlay::Discard(on_discard)) => discard(frame, body, &theme, w, *on_discard),
        Some(Overlay::Save(_)) => save(frame, body, &theme, w),
        None => {}
    }
}

fn step_list(frame: &mut Frame, area: Rect, theme: &Theme, w: &Wizard, steps: &[Step], side: bool) {
    let line = |s: &Step| {
        let errors = w.form(*s).first_error().is_some() && *s <= w.step;
        let (mark, slot) = if *s == w.step {
            ("▸ ", Slot::Selection)
        } else if errors {
            ("! ", Slot::Warning)
        } else if *s < w.step {
            ("✓ ", Slot::StatusOk)
        } else {
            ("  ", Slot::TextDim)
        };
        Span::styled(format!("{mark}{}", s.title()), theme.get(slot))
    };
    if side {
        let lines: Vec<Line> = steps.iter().map(|s| Line::from(line(s))).collect();
        frame.render_widget(Paragraph::new(lines), area);
    } else {
        let mut spans = Vec::new();
        for s in steps {
            spans.push(line(s));
            spans.push(Span::raw(" "));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

/// Words of `text` in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// `text` cut to `width` characters (an ellipsis marks the cut).
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// How wide values are drawn: half of what the label leaves on a narrow screen.
fn value_width(width: u16) -> usize {
    let room = (width as usize).saturating_sub(LABEL_W + 1);
    VALUE_W.min(room.div_ceil(2).max(12)).min(room)
}

fn rows(form: &Form, width: usize) -> (Vec<Row>, Option<(usize, usize)>) {
    let mut rows = Vec::new();
    let mut focus = None;
    for (i, field) in form.fields.iter().enumerate() {
        if field.hidden {
            continue;
        }
        match field.widget {
            Widget::Heading => {
                if !rows.is_empty() {
                    rows.push(Row::Blank);
                }
                rows.push(Row::Heading(field.label.clone()));
            }
            Widget::Note => rows.push(Row::Note(field.label.clone())),
            _ => {
                let start = rows.len();
                rows.push(Row::Field(i));
                if let Some(error) = form.shown_error(field) {
                    let room = width.saturating_sub(LABEL_W + 2);
                    rows.extend(wrap(error, room).into_iter().map(Row::Error));
                }
                if i == form.focus {
                    focus = Some((start, rows.len()));
                }
            }
        }
    }
    (rows, focus)
}

/// Draw a form; returns the scroll that keeps the focused field (and its error) in view.
fn form(frame: &mut Frame, area: Rect, theme: &Theme, form: &Form, scroll: usize) -> usize {
    let mut area = area.inner(Margin::new(1, 0));
    let (rows, focus) = rows(form, area.width as usize);
    // A narrow screen cuts the notes after values short: the focused field's is shown whole
    // on the last line.
    let note = match form.focused() {
        Some(f) if f.note.is_empty() => match &f.widget {
            Widget::Choice(c) => c.selected_opt().map_or("", |o| o.note.as_str()),
            _ => "",
        },
        Some(f) => f.note.as_str(),
        None => "",
    };
    let cut = LABEL_W + value_width(area.width) + 1 + note.chars().count() > area.width as usize;
    if cut && !note.is_empty() && area.height > rows.len().min(6) as u16 + 1 {
        let last = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };
        let text = format!("  {note}");
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.get(Slot::TextDim))),
            last,
        );
        area.height -= 2;
    }
    let height = area.height as usize;
    let mut scroll = scroll.min(rows.len().saturating_sub(1));
    if let Some((start, end)) = focus {
        // A heading just above the focused field stays in view with it.
        let top = if start > 0 && matches!(rows[start - 1], Row::Heading(_)) {
            start - 1
        } else {
            start
        };
        if top < scroll {
            scroll = top;
        }
        if end > scroll + height {
            scroll = end.saturating_sub(height);
        }
    }
    for (n, row) in rows.iter().skip(scroll).take(height).enumerate() {
        let line_area = Rect {
            y: area.y + n as u16,
            height: 1,
            ..area
        };
        draw_row(frame, line_area, theme, form, row);
    }
    scroll
}

fn draw_row(frame: &mut Frame, area: Rect, theme: &Theme, form: &Form, row: &Row) {
    let line = match row {
        Row::Blank => Line::raw(""),
        Row::Heading(text) => Line::styled(text.clone(), theme.get(Slot::TableHeader)),
        Row::Note(text) => Line::styled(format!("  {text}"), theme.get(Slot::TextDim)),
        Row::Error(text) => Line::from(vec![
            Span::raw(" ".repeat(LABEL_W)),
            Span::styled(format!("✗ {text}"), theme.get(Slot::Error)),
        ]),
        Row::Field(i) => return field(frame, area, theme, form, *i),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn field(frame: &mut Frame, area: Rect, theme: &Theme, form: &Form, i: usize) {
    let f = &form.fields[i];
    let focused = form.focus == i && f.focusable();
    let marker = if focused { "▸ " } else { "  " };
    let label_style = if focused {
        theme.get(Slot::FooterKey)
    } else if f.read_only {
        theme.get(Slot::TextDim)
    } else {
        theme.get(Slot::Text)
    };
    let label = Span::styled(
        format!(
            "{marker}{:<w$}",
            fit(&f.label, LABEL_W - 3),
            w = LABEL_W - 2
        ),
        label_style,
    );
    let value_style = if f.read_only {
        theme.get(Slot::TextDim)
    } else {
        theme.get(Slot::Text)
    };
    let dim = theme.get(Slot::TextDim);
    let value_w = value_width(area.width);
    let spans = match &f.widget {
        Widget::Button => {
            let slot = if focused {
                Slot::Selection
            } else {
                Slot::FooterKey
            };
            vec![
                Span::raw(marker),
                Span::styled(format!("[ {} ]", f.label), theme.get(slot)),
            ]
        }
        Widget::Text(t) if focused => {
            frame.render_widget(Paragraph::new(Line::from(label)), area);
            let value = Rect {
                x: area.x + LABEL_W as u16,
                width: value_w as u16,
                ..area
            };
            let cursor = Style::new().add_modifier(ratatui::style::Modifier::REVERSED);
            let editor = t.editor(theme.get(Slot::Selection), cursor);
            frame.render_widget(&editor, value);
            let note = Rect {
                x: value.right() + 1,
                width: area.right().saturating_sub(value.right() + 1),
                ..area
            };
            frame.render_widget(Paragraph::new(Span::styled(f.note.clone(), dim)), note);
            return;
        }
        Widget::Text(t) => {
            let shown = t.display();
            vec![
                label,
                Span::styled(format!("{:<value_w$}", fit(&shown, value_w)), value_style),
                Span::raw(" "),
                Span::styled(f.note.clone(), dim),
            ]
        }
        Widget::Choice(c) => {
            let (text, note) = match c.selected_opt() {
                Some(o) => (o.label.clone(), o.note.clone()),
                None => ("(none on this host)".to_string(), String::new()),
            };
            let mut spans = vec![label];
            if focused {
                spans.push(Span::styled("◀ ", theme.get(Slot::FooterKey)));
                spans.push(Span::styled(text, theme.get(Slot::Selection)));
                spans.push(Span::styled(" ▶", theme.get(Slot::FooterKey)));
                let mut extra = format!("  {}/{}", c.selected + 1, c.options.len());
                if !note.is_empty() {
                    extra = format!("  {note}{extra}");
                }
                if !c.search.is_empty() {
                    extra.push_str(&format!("  search: {}", c.search));
                }
                spans.push(Span::styled(extra, dim));
            } else {
                spans.push(Span::styled(text, value_style));
                if !note.is_empty() {
                    spans.push(Span::styled(format!("  {note}"), dim));
                }
            }
            spans
        }
        Widget::Toggle(on) => {
            let text = if *on { "[x] yes" } else { "[ ] no" };
            let style = if focused {
                theme.get(Slot::Selection)
            } else {
                value_style
            };
            vec![
                label,
                Span::styled(text, style),
                Span::styled(format!("  {}", f.note), dim),
            ]
        }
        Widget::Heading | Widget::Note => vec![label],
    };
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn review(frame: &mut Frame, area: Rect, theme: &Theme, w: &mut Wizard) {
    let area = area.inner(Margin::new(1, 0));
    let form_rows = rows(w.current(), area.width as usize).0.len() as u16;
    let [top, rest] =
        Layout::vertical([Constraint::Length(form_rows), Constraint::Min(1)]).areas(area);
    let scroll = w.scroll;
    form(
        frame,
        top.outer(Margin::new(1, 0)),
        theme,
        w.current(),
        scroll,
    );
    let Some(review) = &w.review else {
        return;
    };
    let head = |text: &str| Line::styled(text.to_string(), theme.get(Slot::TableHeader));
    let mut lines: Vec<Line> = vec![Line::raw("")];
    if review.problems.is_empty() {
        let what = if w.is_edit() { "applies" } else { "queues" };
        lines.push(Line::styled(
            format!("✓ No problems: Enter {what} it. The commands it runs:"),
            theme.get(Slot::StatusOk),
        ));
    } else {
        lines.push(Line::styled(
            format!(
                "✗ {} problem(s): go back and fix them",
                review.problems.len()
            ),
            theme.get(Slot::Error),
        ));
        for p in &review.problems {
            for l in wrap(p, rest.width.saturating_sub(4) as usize) {
                lines.push(Line::styled(format!("  {l}"), theme.get(Slot::Error)));
            }
        }
    }
    if !review.changes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(head("Changes"));
        for (text, at_boot) in &review.changes {
            let mark = if *at_boot { "  (at next boot)" } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("  • {text}"), theme.get(Slot::Text)),
                Span::styled(mark, theme.get(Slot::Warning)),
            ]));
        }
    }
    let text = |l: &String| Line::styled(l.clone(), theme.get(Slot::Text));
    let commands: Vec<Line> = std::iter::once(head("Commands"))
        .chain(review.commands.iter().map(text))
        .collect();
    let spec: Vec<Line> = std::iter::once(head("Spec"))
        .chain(review.spec.iter().map(text))
        .collect();
    let columns = rest.width >= REVIEW_COLUMNS_MIN;
    let (left, right) = if columns {
        lines.push(Line::raw(""));
        (commands, spec)
    } else {
        lines.push(Line::raw(""));
        lines.extend(commands);
        lines.push(Line::raw(""));
        lines.extend(spec);
        (lines.split_off(lines.len()), Vec::new())
    };
    let header = lines.len() as u16;
    let [status, body] = if columns {
        Layout::vertical([Constraint::Length(header), Constraint::Min(1)]).areas(rest)
    } else {
        Layout::vertical([Constraint::Length(0), Constraint::Min(1)]).areas(rest)
    };
    let longest = if columns {
        left.len().max(right.len())
    } else {
        lines.len()
    };
    let max_scroll = longest.saturating_sub(body.height as usize);
    w.review_scroll = w.review_scroll.min(max_scroll);
    let scroll = w.review_scroll as u16;
    if columns {
        frame.render_widget(Paragraph::new(lines), status);
        let [l, _, r] = Layout::horizontal([
            Constraint::Percentage(58),
            Constraint::Length(2),
            Constraint::Min(10),
        ])
        .areas(body);
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
    } else {
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
    }
}

fn help(frame: &mut Frame, body: Rect, theme: &Theme, w: &Wizard) {
    let Some(Overlay::Help(help)) = &w.overlay else {
        return;
    };
    let area = centered(body, 76, body.height.saturating_sub(2).max(10));
    let block = frame_block(theme, "Help: keys of the wizard");
    let items = super::popup::help_items(&help.lines, theme);
    let inner = block.inner(area);
    let mut cursor = help.cursor;
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

fn discard(frame: &mut Frame, body: Rect, theme: &Theme, w: &Wizard, on_discard: bool) {
    let text = format!("{}: the changes made here are lost.", w.title());
    let width = (text.chars().count() as u16 + 6).clamp(44, body.width.max(20));
    let area = centered(body, width, 6);
    frame.render_widget(Clear, area);
    let block = frame_block(theme, "Discard the changes?");
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let button = |label: &str, focused: bool| {
        let slot = if focused {
            Slot::Selection
        } else {
            Slot::TextDim
        };
        Span::styled(format!("[ {label} ]"), theme.get(slot))
    };
    let lines = vec![
        Line::styled(text, theme.get(Slot::Text)),
        Line::raw(""),
        Line::from(vec![
            button("Keep editing", !on_discard),
            Span::raw("   "),
            button("Discard", on_discard),
        ])
        .centered(),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

fn save(frame: &mut Frame, body: Rect, theme: &Theme, w: &Wizard) {
    let Some(Overlay::Save(input)) = &w.overlay else {
        return;
    };
    let width = 64.min(body.width);
    let area = centered(body, width, 6);
    frame.render_widget(Clear, area);
    let block = frame_block(theme, "Save the spec to");
    let inner = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let [field, _, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
    ])
    .areas(inner);
    let cursor = Style::new().add_modifier(ratatui::style::Modifier::REVERSED);
    frame.render_widget(&input.editor(theme.get(Slot::Selection), cursor), field);
    frame.render_widget(
        Paragraph::new(Line::styled(
            "Enter saves (the password is not written), Esc closes",
            theme.get(Slot::TextDim),
        )),
        hint,
    );
}
