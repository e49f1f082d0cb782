//! Named styles of the interface and the code's default (dark) theme.
//! Loading theme files (`inherits`, `[palette]`) is in `theme_file`.

use ratatui::style::{Color, Modifier, Style};

macro_rules! slots {
    ($($variant:ident = $name:literal,)*) => {
        /// A place in the interface that has a style (`[styles]` keys of a theme file).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Slot { $($variant,)* }

        impl Slot {
            pub const ALL: &[Slot] = &[$(Slot::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Slot::$variant => $name,)* }
            }
        }
    };
}

slots! {
    Background = "ui.background",
    Text = "ui.text",
    TextDim = "ui.text.dim",
    Header = "ui.header",
    HeaderHost = "ui.header.host",
    Footer = "ui.footer",
    FooterKey = "ui.footer.key",
    Border = "ui.border",
    BorderFocused = "ui.border.focused",
    Tab = "ui.tab",
    TabActive = "ui.tab.active",
    TableHeader = "ui.table.header",
    Selection = "ui.selection",
    FilterMatch = "ui.filter.match",
    Popup = "ui.popup",
    PopupTitle = "ui.popup.title",
    Link = "ui.link",
    Badge = "ui.badge",
    Info = "ui.message.info",
    Warning = "ui.message.warning",
    Error = "ui.message.error",
    ZoneRunning = "zone.running",
    ZoneInstalled = "zone.installed",
    ZoneConfigured = "zone.configured",
    ZoneIncomplete = "zone.incomplete",
    ZoneTransition = "zone.transition",
    TreePool = "tree.pool",
    TreeFilesystem = "tree.filesystem",
    TreeVolume = "tree.volume",
    TreeSnapshot = "tree.snapshot",
    StatusOk = "status.ok",
    StatusWarning = "status.warning",
    StatusError = "status.error",
}

impl Slot {
    pub fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.iter().copied().find(|s| s.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// Indexed by `Slot as usize`.
    styles: Vec<Style>,
}

impl Theme {
    pub fn get(&self, slot: Slot) -> Style {
        self.styles[slot as usize]
    }

    pub fn set(&mut self, slot: Slot, style: Style) {
        self.styles[slot as usize] = style;
    }

    /// The code's default theme (dark); `themes/default.toml` must say the same.
    pub fn builtin() -> Theme {
        let fg = |c: Color| Style::new().fg(c);
        let bold = Modifier::BOLD;
        let text = Color::Rgb(0xd8, 0xde, 0xe9);
        let dim = Color::Rgb(0x7b, 0x88, 0xa1);
        let bg = Color::Rgb(0x1d, 0x22, 0x2b);
        let bg_alt = Color::Rgb(0x2e, 0x34, 0x40);
        let sel = Color::Rgb(0x43, 0x4c, 0x5e);
        let accent = Color::Rgb(0x88, 0xc0, 0xd0);
        let green = Color::Rgb(0xa3, 0xbe, 0x8c);
        let yellow = Color::Rgb(0xeb, 0xcb, 0x8b);
        let red = Color::Rgb(0xbf, 0x61, 0x6a);
        let magenta = Color::Rgb(0xb4, 0x8e, 0xad);
        let blue = Color::Rgb(0x81, 0xa1, 0xc1);
        let orange = Color::Rgb(0xd0, 0x87, 0x70);
        let mut theme = Theme {
            name: "default".to_string(),
            styles: vec![Style::new(); Slot::ALL.len()],
        };
        let styles = [
            (Slot::Background, Style::new().fg(text).bg(bg)),
            (Slot::Text, fg(text)),
            (Slot::TextDim, fg(dim)),
            (Slot::Header, Style::new().fg(text).bg(bg_alt)),
            (Slot::HeaderHost, Style::new().fg(accent).add_modifier(bold)),
            (Slot::Footer, Style::new().fg(dim).bg(bg_alt)),
            (Slot::FooterKey, Style::new().fg(accent).add_modifier(bold)),
            (Slot::Border, fg(sel)),
            (Slot::BorderFocused, fg(accent)),
            (Slot::Tab, fg(dim)),
            (
                Slot::TabActive,
                Style::new()
                    .fg(accent)
                    .add_modifier(bold | Modifier::UNDERLINED),
            ),
            (Slot::TableHeader, Style::new().fg(blue).add_modifier(bold)),
            (Slot::Selection, Style::new().bg(sel).add_modifier(bold)),
            (
                Slot::FilterMatch,
                Style::new().fg(yellow).add_modifier(bold),
            ),
            (Slot::Popup, Style::new().fg(text).bg(bg_alt)),
            (Slot::PopupTitle, Style::new().fg(accent).add_modifier(bold)),
            (
                Slot::Link,
                Style::new().fg(accent).add_modifier(Modifier::UNDERLINED),
            ),
            (
                Slot::Badge,
                Style::new().fg(bg).bg(orange).add_modifier(bold),
            ),
            (Slot::Info, fg(accent)),
            (Slot::Warning, fg(yellow)),
            (Slot::Error, Style::new().fg(red).add_modifier(bold)),
            (Slot::ZoneRunning, Style::new().fg(green).add_modifier(bold)),
            (Slot::ZoneInstalled, fg(blue)),
            (Slot::ZoneConfigured, fg(dim)),
            (
                Slot::ZoneIncomplete,
                Style::new().fg(red).add_modifier(bold),
            ),
            (Slot::ZoneTransition, fg(magenta)),
            (Slot::TreePool, Style::new().fg(accent).add_modifier(bold)),
            (Slot::TreeFilesystem, fg(text)),
            (Slot::TreeVolume, fg(magenta)),
            (Slot::TreeSnapshot, fg(dim)),
            (Slot::StatusOk, fg(green)),
            (Slot::StatusWarning, fg(yellow)),
            (Slot::StatusError, fg(red)),
        ];
        for (slot, style) in styles {
            theme.set(slot, style);
        }
        theme
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_names_round_trip() {
        for s in Slot::ALL {
            assert_eq!(Slot::from_name(s.name()), Some(*s));
        }
    }
}
