//! The sim host's `kstat`: the kstats zcon reads, `unix:0:system_misc` (boot time, CPUs,
//! clock ticks, load averages, processes) and `zones:ID:NAME` (class `zone_misc`: each
//! zone's boot time, init pid, CPU time …), consistent with `state/host.json` and the
//! zones in the kernel. Selected as the real command selects: `module:instance:name:statistic`
//! operands or `-m -i -n -s` (shell globs, an empty part matching anything), `-c class`;
//! printed as `-p` (`-l` names only, `-C` with a colon before the value), quietly (`-q`,
//! status only) or in the default human form.
//!
//! Not emulated (usage text and status 2 instead): JSON (`-j`), timestamps (`-T`),
//! `interval [count]` repetition and `/regex/` patterns.

use super::svcs::getopt::getopt;
use crate::sim::host::HostInfo;
use crate::sim::smf::pattern::fnmatch;
use crate::sim::zones::Runtime;
use crate::sim::{Ctx, SimHost};
use crate::sys::zoneadm::ZoneState;

const USAGE: &str = "Usage:
kstat [ -Cjlpq ] [ -T d|u ] [ -c class ]
      [ -m module ] [ -i instance ] [ -n name ] [ -s statistic ]
      [ interval [ count ] ]
kstat [ -Cjlpq ] [ -T d|u ] [ -c class ]
      [ module[:instance[:name[:statistic]]] ... ]
      [ interval [ count ] ]
";

/// Statistics of `unix:0:system_misc` in the order kstat prints them (sorted by name,
/// ignoring case). `class` exists only in the parseable forms.
const SYSTEM_MISC: &[&str] = &[
    "avenrun_15min",
    "avenrun_1min",
    "avenrun_5min",
    "boot_time",
    "class",
    "clk_intr",
    "crtime",
    "deficit",
    "lbolt",
    "ncpus",
    "nproc",
    "snaptime",
    "vac",
];

/// Clock ticks per second (illumos `hz`).
const HZ: u64 = 100;

#[derive(Debug, Clone)]
struct Selector {
    module: String,
    instance: String,
    name: String,
    statistic: String,
}

impl Default for Selector {
    fn default() -> Self {
        let any = || "*".to_string();
        Selector {
            module: any(),
            instance: any(),
            name: any(),
            statistic: any(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Human,
    /// `-p`: `key<TAB>value`; `-C`: `key:value`; `-l`: `key`.
    Parseable {
        sep: Option<char>,
    },
    Quiet,
}

fn usage(ctx: &mut Ctx, status: i32) -> i32 {
    let _ = write!(ctx.err, "{USAGE}");
    status
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    let parsed = match getopt(args, "h?CqjlpT:m:i:n:s:c:") {
        Ok(p) => p,
        // getopt returns '?' for a bad option, which kstat handles like -h: status 0.
        Err(msg) => {
            let _ = writeln!(ctx.err, "kstat: {msg}");
            return usage(ctx, 0);
        }
    };
    let (mut c, mut l, mut p, mut q, mut j) = (false, false, false, false, false);
    let mut named = Selector::default();
    let mut named_given = false;
    let mut class = "*".to_string();
    for (opt, arg) in parsed.opts {
        let arg = arg.unwrap_or_default();
        match opt {
            'h' | '?' => return usage(ctx, 0),
            'C' => (p, c) = (true, true),
            'q' => q = true,
            'j' => j = true,
            'l' => (p, l) = (true, true),
            'p' => p = true,
            // Valid on a real host but not emulated: see the module comment.
            'T' => return usage(ctx, 2),
            'c' => class = arg,
            sel => {
                named_given = true;
                let field = match sel {
                    'm' => &mut named.module,
                    'i' => &mut named.instance,
                    'n' => &mut named.name,
                    _ => &mut named.statistic,
                };
                *field = arg;
            }
        }
    }
    if q && (j || p) {
        let _ = writeln!(ctx.err, "-q and -lpj are mutually exclusive");
        return usage(ctx, 2);
    }
    if j {
        return usage(ctx, 2);
    }
    let mut selectors = Vec::new();
    for operand in &parsed.operands {
        if !operand.is_empty() && operand.bytes().all(|b| b.is_ascii_digit()) {
            // interval [count]: repeated output is not emulated.
            return usage(ctx, 2);
        }
        let parts: Vec<&str> = operand.split(':').collect();
        if parts.len() > 4 {
            return usage(ctx, 2);
        }
        let mut sel = Selector::default();
        let fields = [
            &mut sel.module,
            &mut sel.instance,
            &mut sel.name,
            &mut sel.statistic,
        ];
        for (field, part) in fields.into_iter().zip(parts) {
            if !part.is_empty() {
                *field = part.to_string();
            }
        }
        selectors.push(sel);
    }
    if selectors.is_empty() {
        selectors.push(named);
    } else if named_given {
        // The real message has no newline before the usage text.
        let _ = write!(
            ctx.err,
            "[module[:instance[:name[:statistic]]]] and -m -i -n -s are mutually exclusive"
        );
        return usage(ctx, 2);
    }
    let regex = |s: &String| s.len() >= 2 && s.starts_with('/') && s.ends_with('/');
    let patterns = selectors
        .iter()
        .flat_map(|s| [&s.module, &s.instance, &s.name, &s.statistic]);
    if patterns.chain([&class]).any(regex) {
        return usage(ctx, 2);
    }
    let mode = match (q, p, l, c) {
        (true, ..) => Mode::Quiet,
        (_, true, true, _) => Mode::Parseable { sep: None },
        (_, true, _, true) => Mode::Parseable { sep: Some(':') },
        (_, true, ..) => Mode::Parseable { sep: Some('\t') },
        _ => Mode::Human,
    };
    let info = match ctx.host.info() {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(ctx.err, "kstat_open: {e}");
            return 3;
        }
    };
    print(ctx, &info, &selectors, &class, mode)
}

/// What a kstat's statistics are drawn from.
enum Source {
    SystemMisc,
    Zone(zones::ZoneKstat),
}

/// One kstat the sim publishes.
struct Kstat {
    module: &'static str,
    instance: u64,
    name: String,
    class: &'static str,
    source: Source,
}

impl Kstat {
    fn statistics(&self) -> &'static [&'static str] {
        match self.source {
            Source::SystemMisc => SYSTEM_MISC,
            Source::Zone(_) => zones::ZONE_MISC,
        }
    }
}

/// The kstats some selector can pick, in kstat's order (module, instance, name). The zones
/// are read only when a selector can pick a `zones` kstat.
fn kstats(values: &mut Values, selectors: &[Selector], class: &str) -> Vec<Kstat> {
    let mut out = vec![Kstat {
        module: "unix",
        instance: 0,
        name: "system_misc".into(),
        class: "misc",
        source: Source::SystemMisc,
    }];
    let wants_zones =
        fnmatch(class, zones::CLASS) && selectors.iter().any(|s| fnmatch(&s.module, zones::MODULE));
    if wants_zones {
        let boot_time = values.info.boot_time;
        out.extend(
            zones::in_kernel(values.runtime(), boot_time)
                .into_iter()
                .map(|z| Kstat {
                    module: zones::MODULE,
                    instance: z.id,
                    name: z.kstat_name().to_string(),
                    class: zones::CLASS,
                    source: Source::Zone(z),
                }),
        );
    }
    out
}

/// Print what the selectors pick, selector by selector (kstat.c's ks_instances_print());
/// status 0 when anything matched, 1 (and no output) otherwise.
fn print(ctx: &mut Ctx, info: &HostInfo, selectors: &[Selector], class: &str, mode: Mode) -> i32 {
    let mut values = Values::new(ctx.host, info);
    let kstats = kstats(&mut values, selectors, class);
    let mut matched = false;
    for sel in selectors {
        for ks in &kstats {
            let instance = ks.instance.to_string();
            let picks = fnmatch(&sel.module, ks.module)
                && fnmatch(&sel.name, &ks.name)
                && fnmatch(&sel.instance, &instance)
                && fnmatch(class, ks.class);
            if !picks {
                continue;
            }
            let stats = ks
                .statistics()
                .iter()
                .filter(|s| **s != "class" || mode != Mode::Human)
                .filter(|s| fnmatch(&sel.statistic, s));
            let mut header = true;
            for stat in stats {
                matched = true;
                let value = match &ks.source {
                    Source::SystemMisc => values.get(stat),
                    Source::Zone(z) => z.value(stat, values.uptime_ns),
                };
                let (module, name) = (ks.module, &ks.name);
                let key = format!("{module}:{instance}:{name}:{stat}");
                match mode {
                    Mode::Quiet => {}
                    Mode::Parseable { sep: None } => {
                        let _ = writeln!(ctx.out, "{key}");
                    }
                    Mode::Parseable { sep: Some(sep) } => {
                        let _ = writeln!(ctx.out, "{key}{sep}{value}");
                    }
                    Mode::Human => {
                        if header {
                            let _ = writeln!(
                                ctx.out,
                                "module: {module:<30.30}  instance: {instance:<6}"
                            );
                            let _ = writeln!(
                                ctx.out,
                                "name:   {name:<30.30}  class:    {:.30}",
                                ks.class
                            );
                        }
                        let _ = writeln!(ctx.out, "\t{stat:<30}  {value}");
                    }
                }
                header = false;
            }
            // The human form ends each kstat with a blank line.
            if !header && mode == Mode::Human {
                let _ = writeln!(ctx.out);
            }
        }
    }
    i32::from(!matched)
}

/// An hrtime as kstat prints it: seconds with nine decimals, or `0`.
fn hrtime(ns: u64) -> String {
    if ns == 0 {
        return "0".to_string();
    }
    format!("{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000)
}

/// The statistics' values, read when first asked for (the zones only for the ones that
/// depend on them, and then once).
struct Values<'a> {
    host: &'a SimHost,
    info: &'a HostInfo,
    /// Nanoseconds since boot, at this read.
    uptime_ns: u64,
    runtime: Option<Runtime>,
}

impl<'a> Values<'a> {
    fn new(host: &'a SimHost, info: &'a HostInfo) -> Self {
        let now_ns = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let boot_ns = u128::try_from(info.boot_time).unwrap_or(0) * 1_000_000_000;
        let uptime_ns = u64::try_from(now_ns.saturating_sub(boot_ns)).unwrap_or(u64::MAX);
        Values {
            host,
            info,
            uptime_ns,
            runtime: None,
        }
    }

    /// The kernel's zones (an unreadable zone state counts none).
    fn runtime(&mut self) -> &Runtime {
        self.runtime.get_or_insert_with(|| {
            let _lock = self.host.lock_shared();
            crate::sim::zones::load_runtime(self.host).unwrap_or_default()
        })
    }

    fn running(&mut self) -> u64 {
        self.runtime()
            .zones
            .values()
            .filter(|z| z.state == ZoneState::Running)
            .count() as u64
    }

    /// A load average in the kernel's fixed point (FSCALE = 256): a little for the global
    /// zone, more for each running zone, the longer averages a bit lower.
    fn avenrun(&mut self, damping: f64) -> u64 {
        let load = (0.08 + 0.06 * self.running() as f64) * damping;
        (load * 256.0).round() as u64
    }

    fn get(&mut self, stat: &str) -> String {
        // lbolt and clk_intr are 32-bit counters of clock ticks since boot: they wrap.
        let ticks = (self.uptime_ns / (1_000_000_000 / HZ)) as u32;
        match stat {
            "avenrun_1min" => self.avenrun(1.0).to_string(),
            "avenrun_5min" => self.avenrun(0.9).to_string(),
            "avenrun_15min" => self.avenrun(0.8).to_string(),
            // A uint32 in the kernel.
            "boot_time" => (self.info.boot_time as u32).to_string(),
            "class" => "misc".to_string(),
            "clk_intr" | "lbolt" => ticks.to_string(),
            // Created before the clock started: an hrtime of zero prints as `0`.
            "crtime" => "0".to_string(),
            "deficit" | "vac" => "0".to_string(),
            "ncpus" => self.info.ncpus.to_string(),
            // The global zone's processes and about thirty in each running zone.
            "nproc" => (64 + 31 * self.running()).to_string(),
            "snaptime" => hrtime(self.uptime_ns),
            other => unreachable!("system_misc has no {other}"),
        }
    }
}

mod zones;

#[cfg(test)]
mod tests;
