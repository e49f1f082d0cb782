//! The sim host's `svcs`: list service instances (`-a`, `-H`, `-o`, `-s`/`-S`, `-v`,
//! operands as FMRIs, abbreviations or globs), `-l` details and `-x` explanations.

mod columns;
mod detail;
pub(super) mod getopt;

use std::collections::BTreeSet;

use columns::{Col, Row};

use crate::sim::Ctx;
use crate::sim::smf::{SmfStore, resolve};

const USAGE_EXIT: i32 = 2;

fn usage(prog: &str) -> String {
    format!(
        "Usage: {prog} [-aHpv] [-o col[,col ... ]] [-R restarter] [-sS col] [-Z | -z zone ]\n            \
         [<service> ...]\n       {prog} -d | -D [-Hpv] [-o col[,col ... ]] [-sS col] [-Z | -z zone ]\n            \
         [<service> ...]\n       {prog} [-l | -L] [-Z | -z zone] <service> ...\n       \
         {prog} -x [-v] [-Z | -z zone] [<service> ...]\n       {prog} -?\n"
    )
}

fn help(prog: &str) -> String {
    let mut s = usage(prog);
    s.push_str(
        "\n\t-a  list all service instances rather than only those that are enabled\n\
         \t-d  list dependencies of the specified service(s)\n\
         \t-D  list dependents of the specified service(s)\n\
         \t-H  omit header line from output\n\
         \t-l  list detailed information about the specified service(s)\n\
         \t-L  list the log file associated with the specified service(s)\n\
         \t-o  list only the specified columns in the output\n\
         \t-p  list process IDs and names associated with each service\n\
         \t-R  list only those services with the specified restarter\n\
         \t-s  sort output in ascending order by the specified column(s)\n\
         \t-S  sort output in descending order by the specified column(s)\n\
         \t-v  list verbose information appropriate to the type of output\n\
         \t-x  explain the status of services that might require maintenance,\n\
         \t    or explain the status of the specified service(s)\n\
         \t-z  from global zone, show services in a specified zone\n\
         \t-Z  from global zone, show services in all zones\n",
    );
    s
}

struct Opts {
    mode: Option<char>,
    all: bool,
    header: bool,
    verbose: bool,
    zones: bool,
    columns: Option<String>,
    sort: Vec<(String, bool)>,
    restarter: Option<String>,
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let prog = "svcs";
    let parsed = match getopt::getopt(args, "aHpvno:R:s:S:dDlL?xZz:") {
        Ok(p) => p,
        Err(msg) => {
            let _ = write!(ctx.err, "{prog}: {msg}\n{}", usage(prog));
            return USAGE_EXIT;
        }
    };
    let mut o = Opts {
        mode: None,
        all: false,
        header: true,
        verbose: false,
        zones: false,
        columns: None,
        sort: Vec::new(),
        restarter: None,
    };
    for (c, _) in &parsed.opts {
        if "dDlLnx".contains(*c) {
            if o.mode.is_some_and(|m| m != *c) {
                let _ = write!(ctx.err, "{}", usage(prog));
                return USAGE_EXIT;
            }
            o.mode = Some(*c);
        }
    }
    for (c, arg) in parsed.opts {
        let bad = match c {
            '?' => {
                let _ = write!(ctx.out, "{}", help(prog));
                return 0;
            }
            'a' => {
                o.all = true;
                o.mode.is_some()
            }
            'H' => {
                o.header = false;
                matches!(o.mode, Some('l' | 'x'))
            }
            'p' => o.mode == Some('x'),
            'v' => {
                o.verbose = true;
                false
            }
            'o' => {
                o.columns = arg;
                matches!(o.mode, Some('l' | 'x'))
            }
            'R' => {
                o.restarter = arg;
                o.mode.is_some()
            }
            's' | 'S' => {
                o.sort.push((arg.unwrap_or_default(), c == 'S'));
                o.mode.is_some()
            }
            'z' => {
                let zone = arg.unwrap_or_default();
                if zone != "global" {
                    let _ = writeln!(ctx.err, "{prog}: invalid zone '{zone}'");
                    return 1;
                }
                o.zones
            }
            'Z' => {
                o.zones = true;
                false
            }
            _ => false,
        };
        if bad {
            let _ = write!(ctx.err, "{}", usage(prog));
            return USAGE_EXIT;
        }
    }
    let operands = parsed.operands;
    if o.all && !operands.is_empty() {
        let _ = writeln!(ctx.err, "{prog}: -a ignored when used with arguments.");
    }
    if matches!(o.mode, Some('l' | 'd' | 'D')) && operands.is_empty() {
        let _ = write!(ctx.err, "{}", usage(prog));
        return USAGE_EXIT;
    }
    let store = match SmfStore::load_for_reading(ctx.host) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                ctx.err,
                "{prog}: Could not bind to repository server: {e}.  Exiting."
            );
            return 1;
        }
    };
    let now = crate::sim::host::now();
    let mut status = 0;
    // The instances the operands select, in operand order, each once.
    let mut selected: Vec<String> = Vec::new();
    if operands.is_empty() {
        selected = store.instances.keys().cloned().collect();
    } else {
        let mut seen = BTreeSet::new();
        for op in &operands {
            let found = resolve(&store, op).instances;
            if found.is_empty() {
                let _ = writeln!(
                    ctx.err,
                    "{prog}: Pattern '{op}' doesn't match any instances"
                );
                status = 1;
            }
            for f in found {
                if seen.insert(f.clone()) {
                    selected.push(f);
                }
            }
        }
    }
    if let Some(r) = &o.restarter
        && !r.ends_with("restarter:default")
    {
        selected.clear();
    }
    match o.mode {
        Some('l') => {
            let paragraphs: Vec<String> = selected
                .iter()
                .map(|f| detail::long(f, &store.instances[f]))
                .collect();
            let _ = write!(ctx.out, "{}", paragraphs.join("\n"));
            return status;
        }
        Some('L') => {
            for f in &selected {
                let _ = writeln!(ctx.out, "{}", crate::sim::smf::methods::log_path(f));
            }
            return status;
        }
        Some('x') => {
            let paragraphs: Vec<String> = selected
                .iter()
                .filter(|f| !operands.is_empty() || detail::has_problem(&store.instances[*f]))
                .map(|f| detail::explain(f, &store.instances[f]))
                .collect();
            let _ = write!(ctx.out, "{}", paragraphs.join("\n"));
            return status;
        }
        // Dependencies are not modelled: nothing to list.
        Some('d' | 'D' | 'n') => selected.clear(),
        _ => {}
    }
    if operands.is_empty() && !o.all {
        selected.retain(|f| store.instances[f].effective_enabled());
    }
    list(ctx, &store, &selected, &o, now)
        .unwrap_or(1)
        .max(status)
}

/// Print the table; None after an error message for a bad column.
fn list(ctx: &mut Ctx, store: &SmfStore, selected: &[String], o: &Opts, now: i64) -> Option<i32> {
    let mut sort = o.sort.clone();
    let spec = match &o.columns {
        Some(c) => c.clone(),
        None => {
            if sort.is_empty() {
                if o.zones {
                    sort.push(("zone".into(), false));
                }
                for k in ["state", "stime", "fmri"] {
                    sort.push((k.into(), false));
                }
            }
            let base = if o.verbose {
                "state,nstate,stime,ctid,fmri"
            } else {
                "state,stime,fmri"
            };
            if o.zones {
                format!("zone,{base}")
            } else {
                base.to_string()
            }
        }
    };
    let mut sort_cols = Vec::new();
    for (name, rev) in &sort {
        let Some(c) = columns::by_name(name) else {
            let _ = writeln!(ctx.err, "svcs: Unrecognized sort column \"{name}\".");
            return None;
        };
        sort_cols.push((c, *rev));
    }
    let mut cols = Vec::new();
    for name in spec.split(',') {
        let Some(c) = columns::by_name(name) else {
            let _ = writeln!(ctx.err, "svcs: Unknown column \"{name}\".");
            return None;
        };
        cols.push(c);
    }
    let nstate_shown = cols
        .iter()
        .any(|c| matches!(c, Col::N | Col::Sn | Col::Nsta | Col::Nstate));
    let mut rows: Vec<Row> = selected
        .iter()
        .map(|f| Row {
            fmri: f,
            inst: &store.instances[f],
            nstate_shown,
            now,
        })
        .collect();
    rows.sort_by(|a, b| {
        sort_cols
            .iter()
            .map(|(c, rev)| {
                let ord = columns::compare(*c, a, b);
                if *rev { ord.reverse() } else { ord }
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    if o.header {
        let _ = writeln!(ctx.out, "{}", columns::header(&cols));
    }
    for r in &rows {
        let _ = writeln!(ctx.out, "{}", columns::line(&cols, r));
    }
    Some(0)
}

#[cfg(test)]
mod tests;
