//! Delimiting escape sequences as vte does, and naming the ones the extension layer acts on.

use super::charset::Charset;

pub(super) const ESC: u8 = 0x1b;
const CAN: u8 = 0x18;
const SUB: u8 = 0x1a;
/// An unfinished sequence longer than this is not a real one: it is passed on, not held.
pub(super) const MAX_HELD: usize = 1024;
const MAX_PARAMS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Designate(usize, Charset),
    /// IND, which vt100 lacks.
    Index,
    /// NEL, which vt100 lacks.
    NextLine,
    /// RI (vt100's), for the background of the line it scrolls in.
    ReverseIndex,
    TabSet,
    TabClear(u16),
    Align,
    SaveCursor,
    RestoreCursor,
    Reset,
    SoftReset,
    /// HVP, which vt100 lacks, as CUP.
    Position(u16, u16),
    /// HPA, as CHA.
    Column(u16),
    /// HPR, as CUF.
    Forward(u16),
    /// VPR, as CUD.
    Down(u16),
    /// REP: the character before the cursor, again `n` times.
    Repeat(u16),
    /// SCOSC and SCORC (`CSI s`, `CSI u`), as DECSC and DECRC.
    ScoSave,
    ScoRestore,
    /// DECSTBM's parameters.
    Margins(u16, u16),
    /// ICH, DCH, IL, DL, SU, SD (vt100's): their blanks take the background colour.
    InsertChars(u16),
    DeleteChars(u16),
    InsertLines(u16),
    DeleteLines(u16),
    ScrollUp(u16),
    ScrollDown(u16),
    /// SGR: the background colour may have changed.
    Sgr,
    Modes {
        private: bool,
        set: bool,
        params: [u16; MAX_PARAMS],
        count: usize,
    },
}

pub(super) enum Scan {
    /// The output ends inside the sequence.
    Incomplete,
    /// A sequence of `len` bytes, with what it does beyond vt100 if anything.
    Sequence(usize, Option<Action>),
    /// The `len`-byte opening of a string (OSC, DCS, SOS, PM, APC) that runs to BEL or ESC.
    StringStart(usize),
}

/// Find the end of the escape sequence `data` starts with (`data[0]` is ESC), as vte
/// delimits it: C0 controls inside are executed along the way, ESC, CAN and SUB abort it.
pub(super) fn scan_escape(data: &[u8]) -> Scan {
    let Some(&second) = data.get(1) else {
        return Scan::Incomplete;
    };
    match second {
        b'[' => scan_csi(data),
        b']' | b'P' | b'X' | b'^' | b'_' => Scan::StringStart(2),
        0x20..=0x2f => {
            let mut j = 1;
            while let Some(&b) = data.get(j) {
                match b {
                    0x20..=0x2f => j += 1,
                    ESC => return Scan::Sequence(j, None),
                    CAN | SUB => return Scan::Sequence(j + 1, None),
                    0..=0x1f => j += 1,
                    _ => {
                        let action = match (second, b) {
                            (b'(', f) => Charset::from_final(f).map(|c| Action::Designate(0, c)),
                            (b')', f) => Charset::from_final(f).map(|c| Action::Designate(1, c)),
                            (b'#', b'8') => Some(Action::Align),
                            _ => None,
                        };
                        return Scan::Sequence(j + 1, action);
                    }
                }
            }
            Scan::Incomplete
        }
        0..=0x1f => Scan::Sequence(1, None),
        final_byte => {
            let action = match final_byte {
                b'D' => Some(Action::Index),
                b'E' => Some(Action::NextLine),
                b'M' => Some(Action::ReverseIndex),
                b'H' => Some(Action::TabSet),
                b'7' => Some(Action::SaveCursor),
                b'8' => Some(Action::RestoreCursor),
                b'c' => Some(Action::Reset),
                _ => None,
            };
            Scan::Sequence(2, action)
        }
    }
}

fn scan_csi(data: &[u8]) -> Scan {
    let mut params = [0u16; MAX_PARAMS];
    let mut count = 0;
    let mut index = 0;
    let mut private = false;
    let mut intermediate = None;
    let mut j = 2;
    while let Some(&b) = data.get(j) {
        j += 1;
        match b {
            b'0'..=b'9' => {
                let p = &mut params[index];
                *p = p.saturating_mul(10).saturating_add(u16::from(b - b'0'));
                count = count.max(index + 1);
            }
            b';' | b':' => {
                index = (index + 1).min(MAX_PARAMS - 1);
                count = index + 1;
            }
            b'<'..=b'?' => private = true,
            0x20..=0x2f => intermediate = Some(b),
            ESC => return Scan::Sequence(j - 1, None),
            CAN | SUB => return Scan::Sequence(j, None),
            0..=0x1f => {}
            0x40..=0x7e => {
                return Scan::Sequence(j, csi_action(private, intermediate, b, params, count));
            }
            _ => {}
        }
    }
    if j > MAX_HELD {
        return Scan::Sequence(j, None);
    }
    Scan::Incomplete
}

fn csi_action(
    private: bool,
    intermediate: Option<u8>,
    final_byte: u8,
    params: [u16; MAX_PARAMS],
    count: usize,
) -> Option<Action> {
    let n = params[0];
    Some(match (private, intermediate, final_byte) {
        (_, None, b'h' | b'l') => Action::Modes {
            private,
            set: final_byte == b'h',
            params,
            count,
        },
        (false, Some(b'!'), b'p') => Action::SoftReset,
        (false, None, f) => match f {
            b'g' => Action::TabClear(n),
            b'f' => Action::Position(n, params[1]),
            b'`' => Action::Column(n),
            b'a' => Action::Forward(n),
            b'e' => Action::Down(n),
            b'b' => Action::Repeat(n),
            b's' if count == 0 => Action::ScoSave,
            b'u' if count == 0 => Action::ScoRestore,
            b'r' => Action::Margins(n, params[1]),
            b'@' => Action::InsertChars(n.max(1)),
            b'P' => Action::DeleteChars(n.max(1)),
            b'L' => Action::InsertLines(n.max(1)),
            b'M' => Action::DeleteLines(n.max(1)),
            b'S' => Action::ScrollUp(n.max(1)),
            b'T' => Action::ScrollDown(n.max(1)),
            b'm' => Action::Sgr,
            _ => return None,
        },
        _ => return None,
    })
}
