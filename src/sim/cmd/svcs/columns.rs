//! svcs's columns: names, header widths and how each cell is printed (widths and padding
//! as svcs.c's sprint functions have them, including their small inconsistencies).

use std::cmp::Ordering;

use crate::sim::smf::Instance;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Ctid,
    Desc,
    Fmri,
    Inst,
    N,
    Nsta,
    Nstate,
    S,
    Scope,
    Sn,
    Svc,
    Sta,
    State,
    Stime,
    Zone,
}

/// Columns with their names and header widths, in svcs's table order.
pub const COLUMNS: [(Col, &str, usize); 15] = [
    (Col::Ctid, "CTID", 6),
    (Col::Desc, "DESC", 100),
    (Col::Fmri, "FMRI", 50),
    (Col::Inst, "INST", 20),
    (Col::N, "N", 1),
    (Col::Nsta, "NSTA", 4),
    (Col::Nstate, "NSTATE", 13),
    (Col::S, "S", 2),
    (Col::Scope, "SCOPE", 20),
    (Col::Sn, "SN", 2),
    (Col::Svc, "SVC", 20),
    (Col::Sta, "STA", 4),
    (Col::State, "STATE", 14),
    (Col::Stime, "STIME", 8),
    (Col::Zone, "ZONE", 16),
];

pub fn by_name(name: &str) -> Option<Col> {
    COLUMNS
        .iter()
        .find(|(_, n, _)| n.eq_ignore_ascii_case(name))
        .map(|(c, _, _)| *c)
}

/// One row's data.
pub struct Row<'a> {
    pub fmri: &'a str,
    pub inst: &'a Instance,
    /// A column showing the next state is displayed, so the state gets no `*`.
    pub nstate_shown: bool,
    pub now: i64,
}

fn state_char(state: &str) -> char {
    match state {
        "uninitialized" => 'u',
        "offline" => '0',
        "online" => '1',
        "maintenance" => 'm',
        "disabled" => 'd',
        "degraded" => 'D',
        "legacy_run" => 'L',
        _ => '?',
    }
}

fn state_abbrev(state: &str) -> &'static str {
    match state {
        "uninitialized" => "UN",
        "offline" => "OFF",
        "online" => "ON",
        "maintenance" => "MNT",
        "disabled" => "DIS",
        "degraded" => "DGD",
        "legacy_run" => "LRC",
        _ => "?",
    }
}

/// svcs's sort order for states: least interesting first.
pub fn state_rank(state: &str) -> u8 {
    match state {
        "disabled" => 1,
        "online" => 2,
        "degraded" => 3,
        "offline" => 4,
        "maintenance" => 5,
        "uninitialized" => 6,
        _ => 7,
    }
}

/// STIME: the time within 24 hours, the date within about a year, else the year.
pub fn stime(then: i64, now: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(then) else {
        return "-".into();
    };
    let local = ts.to_zoned(jiff::tz::TimeZone::system());
    let fmt = if now - then < 24 * 3600 {
        "%k:%M:%S"
    } else if now - then < 12 * 30 * 24 * 3600 {
        "%b_%d  "
    } else {
        "%Y    "
    };
    local.strftime(fmt).to_string()
}

fn component(fmri: &str, instance: bool) -> &str {
    let (svc, inst) = fmri
        .trim_start_matches("svc:/")
        .rsplit_once(':')
        .unwrap_or((fmri, ""));
    if instance { inst } else { svc }
}

/// The cell as svcs prints it, padding and separator included.
pub fn cell(col: Col, r: &Row) -> String {
    let i = r.inst;
    let star = !r.nstate_shown && i.transitioning();
    let nstate = i.next_state.as_deref();
    match col {
        Col::Ctid => match i.ctid {
            Some(c) => format!("{c:>6} "),
            None => format!("{:>6} ", "-"),
        },
        Col::Desc => {
            let d = if i.description.is_empty() {
                "-"
            } else {
                &i.description
            };
            format!("{d:<100} ")
        }
        Col::Fmri => format!("{:<50} ", r.fmri),
        Col::Inst => format!("{:<20} ", component(r.fmri, true)),
        Col::Svc => format!("{:<20} ", component(r.fmri, false)),
        Col::Scope => format!("{:<20} ", "localhost"),
        Col::Zone => format!("{:<16} ", "global"),
        Col::N => format!("{:<2} ", nstate.map_or('-', state_char)),
        Col::Nsta => format!("{:<4} ", nstate.map_or("-", state_abbrev)),
        Col::Nstate => format!("{:<13} ", nstate.unwrap_or("-")),
        Col::S => format!("{}{} ", state_char(&i.state), if star { '*' } else { ' ' }),
        Col::Sn => format!(
            "{}{}  ",
            state_char(&i.state),
            nstate.map_or('-', state_char)
        ),
        Col::Sta => {
            let mut s = state_abbrev(&i.state).to_string();
            if star {
                s.push('*');
            }
            format!("{s:<4} ")
        }
        Col::State => {
            let mut s = if i.state.is_empty() {
                "-".to_string()
            } else {
                i.state.clone()
            };
            if star {
                s.push('*');
            }
            format!("{s:<15} ")
        }
        Col::Stime => format!("{:<9} ", stime(i.state_time, r.now)),
    }
}

pub fn header(cols: &[Col]) -> String {
    let mut line = String::new();
    for c in cols {
        let (_, name, width) = COLUMNS.iter().find(|(k, _, _)| k == c).expect("known");
        line.push_str(&format!("{name:<width$} "));
    }
    line.trim_end().to_string()
}

pub fn line(cols: &[Col], r: &Row) -> String {
    let s: String = cols.iter().map(|c| cell(*c, r)).collect();
    s.trim_end().to_string()
}

/// Compare two rows by one sort column (ascending).
pub fn compare(col: Col, a: &Row, b: &Row) -> Ordering {
    match col {
        Col::State | Col::S | Col::Sta => state_rank(&a.inst.state).cmp(&state_rank(&b.inst.state)),
        Col::Nstate | Col::N | Col::Nsta => {
            let rank = |r: &Row| r.inst.next_state.as_deref().map_or(7, state_rank);
            rank(a).cmp(&rank(b))
        }
        Col::Sn => compare(Col::State, a, b).then(compare(Col::Nstate, a, b)),
        Col::Stime => a.inst.state_time.cmp(&b.inst.state_time),
        Col::Ctid => a.inst.ctid.unwrap_or(0).cmp(&b.inst.ctid.unwrap_or(0)),
        Col::Desc => Ordering::Equal,
        other => cell(other, a).cmp(&cell(other, b)),
    }
}
