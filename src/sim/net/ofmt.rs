//! libinetutil's ofmt, which dladm and ipadm print through: field selection with `-o`,
//! human columns (a header every 24 rows when stdout is no terminal, `--` for empty values,
//! a value wider than its column pushes the next columns right and the following columns
//! give the space back), and the parseable form (`:`-separated, `\`-escaped when more than
//! one field is printed).

use std::io::Write;

/// A column: its header and width.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub width: usize,
}

pub const fn field(name: &'static str, width: usize) -> Field {
    Field { name, width }
}

/// Rows per "page" when stdout has no window size: ofmt prints the header again after it.
const ROWS: usize = 24;

/// Why `ofmt_open` complained, with whether the command must stop (always in parseable
/// mode, and when no field is left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError {
    pub message: String,
    pub fatal: bool,
}

/// An open formatter: the selected columns (indices into the template).
#[derive(Debug)]
pub struct Ofmt {
    template: &'static [Field],
    selected: Vec<usize>,
    parsable: bool,
    nrow: usize,
    overflow: usize,
}

impl Ofmt {
    /// Select the fields named in `spec` (`link,over`, case-insensitive, or `all`; None
    /// for every field). Unknown names are dropped; the error (if any) says what to print.
    pub fn open(
        spec: Option<&str>,
        template: &'static [Field],
        parsable: bool,
    ) -> (Ofmt, Option<OpenError>) {
        let mut ofmt = Ofmt {
            template,
            selected: Vec::new(),
            parsable,
            nrow: 0,
            overflow: 0,
        };
        let fatal = |message: &str| OpenError {
            message: message.into(),
            fatal: true,
        };
        if parsable {
            match spec {
                None | Some("") => {
                    return (
                        ofmt,
                        Some(fatal("output fields must be specified in parsable mode")),
                    );
                }
                Some("all") => {
                    return (
                        ofmt,
                        Some(fatal("output field `all' invalid in parsable mode")),
                    );
                }
                _ => {}
            }
        }
        let mut bad = Vec::new();
        match spec {
            Some(s) if s != "all" => {
                for name in s.split(',').filter(|n| !n.is_empty()) {
                    match template
                        .iter()
                        .position(|f| f.name.eq_ignore_ascii_case(name))
                    {
                        Some(i) => ofmt.selected.push(i),
                        None => bad.push(name.to_string()),
                    }
                }
            }
            _ => ofmt.selected = (0..template.len()).collect(),
        }
        if ofmt.selected.is_empty() {
            return (ofmt, Some(fatal("no valid output fields")));
        }
        if bad.is_empty() {
            return (ofmt, None);
        }
        let prefix = match (parsable, bad.len() > 1) {
            (false, true) => "ignoring unknown output fields:",
            (false, false) => "ignoring unknown output field:",
            (true, true) => "unknown output fields:",
            (true, false) => "unknown output field:",
        };
        let list: String = bad.iter().map(|b| format!(" `{b}'")).collect();
        let err = OpenError {
            message: format!("{prefix}{list}"),
            fatal: parsable,
        };
        (ofmt, Some(err))
    }

    /// Whether a field (by template name) was selected.
    pub fn has(&self, name: &str) -> bool {
        self.selected.iter().any(|&i| self.template[i].name == name)
    }

    /// Print one row; `values` holds a value for every template field, in template order.
    pub fn print<S: AsRef<str>>(&mut self, out: &mut dyn Write, values: &[S]) {
        let mut line = String::new();
        if self.nrow.is_multiple_of(ROWS) && !self.parsable {
            let names: Vec<&str> = self
                .selected
                .iter()
                .map(|&i| self.template[i].name)
                .collect();
            self.row(&mut line, &names);
            self.nrow += 1;
        }
        self.nrow += 1;
        let row: Vec<&str> = self
            .selected
            .iter()
            .map(|&i| values.get(i).map_or("", |v| v.as_ref()))
            .map(|v| {
                if v.is_empty() && !self.parsable {
                    "--"
                } else {
                    v
                }
            })
            .collect();
        self.row(&mut line, &row);
        let _ = out.write_all(line.as_bytes());
    }

    fn row(&mut self, line: &mut String, values: &[&str]) {
        let n = self.selected.len();
        for (pos, value) in values.iter().enumerate() {
            let last = pos + 1 == n;
            let width = self.template[self.selected[pos]].width;
            self.field(line, value, width, last, n > 1);
        }
        line.push('\n');
    }

    fn field(&mut self, line: &mut String, value: &str, width: usize, last: bool, escape: bool) {
        if self.parsable {
            if !escape {
                line.push_str(value);
                return;
            }
            for c in value.chars() {
                if c == ':' || c == '\\' {
                    line.push('\\');
                }
                line.push(c);
            }
            if !last {
                line.push(':');
            }
            return;
        }
        if last {
            line.push_str(value);
            self.overflow = 0;
            return;
        }
        let valwidth = value.len();
        if valwidth + self.overflow >= width {
            self.overflow = self.overflow + valwidth + 1 - width;
            line.push_str(value);
            line.push(' ');
            return;
        }
        let mut width = width;
        if self.overflow > 0 {
            let compress = self.overflow.min(width - valwidth);
            self.overflow -= compress;
            width -= compress;
        }
        line.push_str(&format!("{value:<width$}"));
    }
}

/// `ofmt_open` followed by the commands' `*_ofmt_check`: a fatal problem prints
/// `PROG: message` and gives the exit status 1; any other prints `PROG: warning: message`.
pub fn open_checked(
    err: &mut dyn Write,
    prog: &str,
    spec: Option<&str>,
    template: &'static [Field],
    parsable: bool,
) -> Result<Ofmt, i32> {
    let (ofmt, problem) = Ofmt::open(spec, template, parsable);
    match problem {
        Some(p) if p.fatal => {
            let _ = writeln!(err, "{prog}: {}", p.message);
            Err(1)
        }
        Some(p) => {
            let _ = writeln!(err, "{prog}: warning: {}", p.message);
            Ok(ofmt)
        }
        None => Ok(ofmt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &[Field] = &[field("LINK", 6), field("CLASS", 7), field("OVER", 10)];

    fn render(ofmt: &mut Ofmt, rows: &[[&str; 3]]) -> String {
        let mut out = Vec::new();
        for r in rows {
            ofmt.print(&mut out, r);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_columns_pad_and_print_dashes() {
        let (mut o, err) = Ofmt::open(None, T, false);
        assert!(err.is_none());
        let text = render(&mut o, &[["igb0", "phys", ""]]);
        assert_eq!(text, "LINK  CLASS  OVER\nigb0  phys   --\n");
    }

    #[test]
    fn overflow_pushes_right_and_is_given_back() {
        let (mut o, _) = Ofmt::open(None, T, false);
        let text = render(&mut o, &[["averylongname0", "vnic", "igb0"]]);
        // 14 chars in a 6-wide column: one space follows and the overflow (9) carries on,
        // so the 7-wide CLASS column overflows too.
        assert_eq!(text.lines().nth(1).unwrap(), "averylongname0 vnic igb0");
        // A smaller overflow (2) is taken back from the next column's padding.
        let text = render(&mut o, &[["abcdefg", "vnic", "x"]]);
        assert_eq!(text.lines().last().unwrap(), "abcdefg vnic x");
    }

    #[test]
    fn header_repeats_every_24_rows() {
        let (mut o, _) = Ofmt::open(Some("link"), T, false);
        let rows: Vec<[&str; 3]> = (0..30).map(|_| ["x0", "", ""]).collect();
        let text = render(&mut o, &rows);
        let headers: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "LINK")
            .map(|(i, _)| i)
            .collect();
        assert_eq!(headers, [0, 24]);
    }

    #[test]
    fn parsable_escapes_only_with_several_fields() {
        let (mut o, _) = Ofmt::open(Some("link,over"), T, true);
        assert_eq!(render(&mut o, &[["a:b", "", "c\\d"]]), "a\\:b:c\\\\d\n");
        let (mut o, _) = Ofmt::open(Some("over"), T, true);
        assert_eq!(
            render(&mut o, &[["", "", "2:8:20:0:0:1"]]),
            "2:8:20:0:0:1\n"
        );
    }

    #[test]
    fn open_errors_match_libinetutil() {
        let (_, e) = Ofmt::open(None, T, true);
        assert_eq!(
            e.unwrap().message,
            "output fields must be specified in parsable mode"
        );
        let (_, e) = Ofmt::open(Some("all"), T, true);
        assert!(e.unwrap().fatal);
        let (o, e) = Ofmt::open(Some("link,bogus"), T, false);
        let e = e.unwrap();
        assert_eq!(e.message, "ignoring unknown output field: `bogus'");
        assert!(!e.fatal && o.has("LINK"));
        let (_, e) = Ofmt::open(Some("x,y"), T, false);
        assert_eq!(e.unwrap().message, "no valid output fields");
        let (_, e) = Ofmt::open(Some("link,x,y"), T, true);
        assert_eq!(e.unwrap().message, "unknown output fields: `x' `y'");
    }
}
