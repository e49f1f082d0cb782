//! The character sets a VT100 program can designate (`ESC ( F`, `ESC ) F`) and shift between
//! (SI, SO).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Charset {
    #[default]
    Ascii,
    /// `0`: DEC Special Graphics, the VT100 line drawing set.
    DecGraphics,
    /// `A`: the United Kingdom set ('#' is '£').
    Uk,
}

impl Charset {
    /// The set a designation's final byte names; None for sets we show as ASCII.
    pub(super) fn from_final(b: u8) -> Option<Charset> {
        match b {
            b'0' => Some(Charset::DecGraphics),
            b'A' => Some(Charset::Uk),
            b'B' => Some(Charset::Ascii),
            _ => None,
        }
    }

    pub(super) fn map(self, c: char) -> char {
        match self {
            Charset::Ascii => c,
            Charset::Uk if c == '#' => '£',
            Charset::Uk => c,
            Charset::DecGraphics => match c {
                '_'..='~' => DEC_GRAPHICS[c as usize - '_' as usize],
                c => c,
            },
        }
    }
}

/// DEC Special Graphics for 0x5f..=0x7e, as xterm shows them.
const DEC_GRAPHICS: [char; 32] = [
    ' ', '◆', '▒', '␉', '␌', '␍', '␊', '°', '±', '␤', '␋', '┘', '┐', '┌', '└', '┼', '⎺', '⎻', '─',
    '⎼', '⎽', '├', '┤', '┴', '┬', '│', '≤', '≥', 'π', '≠', '£', '·',
];

/// G0 and G1 and which of them is shifted in (SI: G0, SO: G1); DECSC saves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Charsets {
    pub(super) g: [Charset; 2],
    pub(super) shifted_out: bool,
}

impl Charsets {
    pub(super) fn active(self) -> Charset {
        self.g[usize::from(self.shifted_out)]
    }
}
