//! Terminal colours to RGB: xterm's default 16 ANSI colours and its 256-colour palette, with
//! the default foreground and background of a dark terminal.

use vt100::Color;

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, lowercase, as it appears in the SVG.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// `self` faded halfway towards `toward` (the SGR 2 "dim" rendition).
    pub fn dimmed(self, toward: Rgb) -> Rgb {
        let mix = |a: u8, b: u8| u8::try_from((u16::from(a) + u16::from(b)) / 2).unwrap_or(b);
        Rgb(
            mix(self.0, toward.0),
            mix(self.1, toward.1),
            mix(self.2, toward.2),
        )
    }
}

pub const DEFAULT_FG: Rgb = Rgb(0xd8, 0xde, 0xe9);
pub const DEFAULT_BG: Rgb = Rgb(0x1d, 0x22, 0x2b);

/// xterm's defaults for colours 0–15 (black, red, green, yellow, blue, magenta, cyan, white,
/// then the bright variants).
pub const ANSI: [Rgb; 16] = [
    Rgb(0x00, 0x00, 0x00),
    Rgb(0xcd, 0x00, 0x00),
    Rgb(0x00, 0xcd, 0x00),
    Rgb(0xcd, 0xcd, 0x00),
    Rgb(0x00, 0x00, 0xee),
    Rgb(0xcd, 0x00, 0xcd),
    Rgb(0x00, 0xcd, 0xcd),
    Rgb(0xe5, 0xe5, 0xe5),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xff, 0x00, 0x00),
    Rgb(0x00, 0xff, 0x00),
    Rgb(0xff, 0xff, 0x00),
    Rgb(0x5c, 0x5c, 0xff),
    Rgb(0xff, 0x00, 0xff),
    Rgb(0x00, 0xff, 0xff),
    Rgb(0xff, 0xff, 0xff),
];

/// Colour `i` of the xterm 256-colour palette: the 16 ANSI colours, a 6×6×6 cube (16–231)
/// and a 24-step grey ramp (232–255).
pub fn xterm256(i: u8) -> Rgb {
    match i {
        0..=15 => ANSI[usize::from(i)],
        16..=231 => {
            let level = |n: u8| if n == 0 { 0 } else { 55 + 40 * n };
            let n = i - 16;
            Rgb(level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        232..=255 => {
            let v = 8 + 10 * (i - 232);
            Rgb(v, v, v)
        }
    }
}

/// The RGB of `color`, `default` standing for [`Color::Default`].
pub fn rgb(color: Color, default: Rgb) -> Rgb {
    match color {
        Color::Default => default,
        Color::Idx(i) => xterm256(i),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_matches_xterm() {
        assert_eq!(xterm256(1), Rgb(0xcd, 0, 0));
        assert_eq!(xterm256(16), Rgb(0, 0, 0));
        assert_eq!(xterm256(17), Rgb(0, 0, 0x5f));
        assert_eq!(xterm256(196), Rgb(0xff, 0, 0));
        assert_eq!(xterm256(231), Rgb(0xff, 0xff, 0xff));
        assert_eq!(xterm256(232), Rgb(8, 8, 8));
        assert_eq!(xterm256(255), Rgb(0xee, 0xee, 0xee));
        assert_eq!(rgb(Color::Default, DEFAULT_FG).hex(), "#d8dee9");
        assert_eq!(rgb(Color::Rgb(1, 2, 255), DEFAULT_FG).hex(), "#0102ff");
    }

    #[test]
    fn dim_moves_toward_background() {
        assert_eq!(Rgb(255, 255, 255).dimmed(Rgb(0, 0, 0)), Rgb(127, 127, 127));
    }
}
