//! The headless command line: `zcon [--demo | --sim DIR] <command> …`.

pub mod bench;
mod create;
mod edit;
pub mod table;
pub mod target;
pub mod tasks;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::host::inventory::{Inventory, Problem, Sources};
use crate::sim;
pub use target::Target;

#[derive(Debug, Parser)]
#[command(
    name = "zcon",
    version,
    about = "A console for illumos / OmniOS hypervisor hosts"
)]
pub struct Cli {
    #[command(flatten)]
    pub target: Target,
    #[command(flatten)]
    pub console: ConsoleArgs,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// How the console (and later every mutation) behaves.
#[derive(Debug, Clone, clap::Args)]
pub struct ConsoleArgs {
    /// Refuse every change to the host (also `read_only = true` in config.toml).
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Click to select and wheel to scroll in the console (also `mouse = true`).
    #[arg(long)]
    pub mouse: bool,
    /// Where config.toml, theme.toml and keymap.toml are read from.
    #[arg(long, global = true, env = "ZCON_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Print the effective configuration (config, theme, keymap) and exit.
    #[arg(long)]
    pub print_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// List the host's objects of one kind.
    List {
        #[arg(value_enum)]
        kind: ListKind,
        /// Print JSON (stable field names) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one object in detail.
    #[command(subcommand)]
    Show(ShowCmd),
    /// Manage simulated illumos hosts.
    #[command(subcommand)]
    Sim(SimCmd),
    /// Measure zcon on a scale sim host.
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Change a zone: lifecycle, autoboot, run a command in it. Each change is a task.
    #[command(subcommand)]
    Zone(tasks::ZoneCmd),
    /// The tasks zcon ran or runs: list, show, cancel.
    #[command(subcommand)]
    Task(tasks::TaskCmd),
    /// The background task worker (started on demand by zcon itself).
    #[command(hide = true)]
    Worker,
}

#[derive(Debug, Subcommand)]
pub enum BenchCmd {
    /// The full inventory refresh against its floor and against one zonecfg per zone.
    Refresh(bench::RefreshBench),
    /// The console: frame time at scale, first frame after start, idle activity.
    Tui(bench::TuiBench),
    /// The embedded console against tmux: 50 MB streamed through each, and key echo.
    Console(bench::ConsoleBench),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListKind {
    Zones,
    /// Every dataset: filesystems, volumes and snapshots.
    Datasets,
    Pools,
    Links,
    /// Physical links.
    Phys,
    Vnics,
    Etherstubs,
    Addresses,
    /// The rules of /etc/ipf/ipnat.conf, and whether each is active.
    Nat,
    /// Static DHCP host entries of /etc/dhcpd.conf.
    DhcpHosts,
    /// IP forwarding: routeadm and per interface.
    Forwarding,
    /// The SMF services zcon watches.
    Services,
}

impl ListKind {
    fn sources(self) -> Sources {
        let none = Sources::default();
        match self {
            ListKind::Zones => Sources {
                zones: true,
                ..none
            },
            ListKind::Datasets | ListKind::Pools => Sources {
                storage: true,
                ..none
            },
            ListKind::Links | ListKind::Phys | ListKind::Vnics | ListKind::Etherstubs => Sources {
                links: true,
                ..none
            },
            ListKind::Addresses => Sources {
                addresses: true,
                ..none
            },
            ListKind::Nat => Sources { nat: true, ..none },
            ListKind::DhcpHosts => Sources { dhcp: true, ..none },
            ListKind::Forwarding => Sources {
                forwarding: true,
                ..none
            },
            ListKind::Services => Sources {
                services: true,
                ..none
            },
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ShowCmd {
    /// The host: name, OS release, kernel, uptime and pools.
    Host {
        #[arg(long)]
        json: bool,
    },
    /// A zone's state and whole configuration.
    Zone {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SimCmd {
    /// Create a sim host at DIR: the demo host, or a scale host when sizes are given.
    Init {
        dir: PathBuf,
        /// Number of zones of a scale host.
        #[arg(long)]
        zones: Option<usize>,
        /// Number of datasets of a scale host.
        #[arg(long)]
        datasets: Option<usize>,
        /// Seed of the generated contents.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Replace an existing sim host at DIR.
        #[arg(long)]
        force: bool,
    },
}

pub fn main(args: Vec<OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zcon: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Cmd::Sim(SimCmd::Init {
            dir,
            zones,
            datasets,
            seed,
            force,
        })) => {
            let contents = match (zones, datasets) {
                (None, None) => sim::seed::Contents::Demo,
                (zones, datasets) => sim::seed::Contents::Scale {
                    zones: zones.unwrap_or(0),
                    datasets: datasets.unwrap_or(0),
                },
            };
            let opts = sim::init::InitOptions {
                contents,
                seed,
                force,
                exe: None,
            };
            let host = sim::init::init(&dir, &opts)
                .with_context(|| format!("cannot create a sim host at {}", dir.display()))?;
            println!("created sim host at {}", host.dir().display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::List { kind, json }) => list(&cli.target, kind, json),
        Some(Cmd::Bench(BenchCmd::Refresh(args))) => {
            bench::refresh(&args).map(|()| ExitCode::SUCCESS)
        }
        Some(Cmd::Bench(BenchCmd::Tui(args))) => bench::tui(&args).map(|()| ExitCode::SUCCESS),
        Some(Cmd::Bench(BenchCmd::Console(args))) => {
            bench::console(&args).map(|()| ExitCode::SUCCESS)
        }
        Some(Cmd::Show(ShowCmd::Zone { name, json })) => show_zone(&cli.target, &name, json),
        Some(Cmd::Show(ShowCmd::Host { json })) => show_host(&cli.target, json),
        Some(Cmd::Zone(cmd)) => zone(&cli.target, &cli.console, cmd),
        Some(Cmd::Task(cmd)) => tasks::task(&cli.target, &cli.console, cmd),
        Some(Cmd::Worker) => {
            crate::exec::worker::main()?;
            Ok(ExitCode::SUCCESS)
        }
        None => console(&cli.target, &cli.console),
    }
}

fn zone(target: &Target, args: &ConsoleArgs, cmd: tasks::ZoneCmd) -> anyhow::Result<ExitCode> {
    use crate::ops::zone::Lifecycle;
    use tasks::ZoneCmd;
    match cmd {
        ZoneCmd::Boot(act) => tasks::lifecycle(target, args, Lifecycle::Boot, act),
        ZoneCmd::Halt(act) => tasks::lifecycle(target, args, Lifecycle::Halt, act),
        ZoneCmd::Reboot(act) => tasks::lifecycle(target, args, Lifecycle::Reboot, act),
        ZoneCmd::Restart(act) => tasks::lifecycle(target, args, Lifecycle::Restart, act),
        ZoneCmd::Poweroff(act) => tasks::lifecycle(target, args, Lifecycle::Poweroff, act),
        other => tasks::zone(target, args, other),
    }
}

/// `zcon` with no command: the terminal UI, or `--print-config`.
fn console(target: &Target, args: &ConsoleArgs) -> anyhow::Result<ExitCode> {
    use crate::ui::config;
    let dir = args.config_dir.clone().or_else(config::config_dir);
    let settings = config::load(dir.as_deref());
    if args.print_config {
        for w in &settings.warnings {
            eprintln!("zcon: warning: {w}");
        }
        print!("{}", config::effective_toml(&settings));
        return Ok(ExitCode::SUCCESS);
    }
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        bail!(
            "the console needs a terminal; for scripts use a command such as `zcon list zones --json` (see zcon --help)"
        );
    }
    let runner = target.runner()?;
    let client = tasks::client(target, &settings.config.tasks)?;
    let opts = crate::ui::run::Options {
        settings,
        config_dir: dir,
        mouse: args.mouse,
        read_only: args.read_only,
        tasks: Some(client),
    };
    Ok(match crate::ui::run::run(runner, opts)? {
        Some(status) => ExitCode::from(status),
        None => ExitCode::SUCCESS,
    })
}

/// Read the chosen parts of the host on a small runtime.
pub(crate) fn snapshot(target: &Target, sources: Sources) -> anyhow::Result<Inventory> {
    let runner = target.runner()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok(rt.block_on(Inventory::refresh(&runner, sources)))
}

/// Print problems as warnings; fail when a whole source is missing.
pub(crate) fn report(problems: &[Problem]) -> anyhow::Result<()> {
    for p in problems.iter().filter(|p| !p.fatal) {
        eprintln!("zcon: warning: {}: {}", p.source, p.message);
    }
    match problems.iter().find(|p| p.fatal) {
        Some(p) => bail!("{}: {}", p.source, p.message),
        None => Ok(()),
    }
}

pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn list(target: &Target, kind: ListKind, json: bool) -> anyhow::Result<ExitCode> {
    let inv = snapshot(target, kind.sources())?;
    report(&inv.problems)?;
    use crate::views::{network as net, storage, zones};
    if json {
        match kind {
            ListKind::Zones => print_json(&inv.zones.iter().map(zones::json).collect::<Vec<_>>())?,
            ListKind::Datasets => print_json(&inv.datasets)?,
            ListKind::Pools => print_json(&inv.pools)?,
            ListKind::Links => print_json(&inv.links)?,
            ListKind::Phys => print_json(&inv.phys)?,
            ListKind::Vnics => print_json(&inv.vnics)?,
            ListKind::Etherstubs => print_json(&net::etherstubs_json(&inv))?,
            ListKind::Addresses => print_json(&inv.addresses)?,
            ListKind::Nat => print_json(&net::nat_json(&inv))?,
            ListKind::DhcpHosts => print_json(
                inv.dhcp
                    .as_ref()
                    .map(|d| d.hosts.as_slice())
                    .unwrap_or_default(),
            )?,
            ListKind::Forwarding => print_json(&inv.forwarding)?,
            ListKind::Services => print_json(&inv.services)?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = match kind {
        ListKind::Zones => table::render(&zones::table(&inv.zones)),
        ListKind::Datasets => table::render(&storage::datasets_table(&inv.datasets)),
        ListKind::Pools => table::render(&storage::pools_table(&inv)),
        ListKind::Links => table::render(&net::links_table(&inv)),
        ListKind::Phys => table::render(&net::phys_table(&inv)),
        ListKind::Vnics => table::render(&net::vnics_table(&inv)),
        ListKind::Etherstubs => table::render(&net::etherstubs_table(&inv)),
        ListKind::Addresses => table::render(&net::addresses_table(&inv)),
        ListKind::Nat => {
            let mut text = table::render(&net::nat_table(&inv));
            if let Some(note) = net::nat_note(&inv) {
                text.push_str(&note);
                text.push('\n');
            }
            text
        }
        ListKind::DhcpHosts => table::render(&net::dhcp_hosts_table(&inv)),
        ListKind::Forwarding => {
            let mut text = net::routing_table(&inv)
                .map(|t| table::render(&t) + "\n")
                .unwrap_or_default();
            text.push_str(&table::render(&net::interface_forwarding_table(&inv)));
            text
        }
        ListKind::Services => table::render(&net::services_table(&inv)),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn show_zone(target: &Target, name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let inv = snapshot(
        target,
        Sources {
            zones: true,
            storage: true,
            links: true,
            ..Sources::default()
        },
    )?;
    report(&inv.problems)?;
    let Some(zone) = inv.zone(name) else {
        bail!("no zone named '{name}' on this host");
    };
    let datasets = inv.zone_datasets(zone);
    if json {
        print_json(&crate::views::zones::detail_json(zone, &datasets))?;
    } else {
        let vnics = inv.zone_vnics(zone);
        let mut detail = crate::views::zones::detail(zone, &[], &vnics);
        // The datasets print as a table of their own below.
        detail.sections.retain(|s| s.title != "datasets used");
        print!("{}", detail.to_text());
        if !datasets.is_empty() {
            println!("datasets used:");
            for line in table::render(&crate::views::storage::datasets_table(datasets)).lines() {
                println!("  {line}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show_host(target: &Target, json: bool) -> anyhow::Result<ExitCode> {
    let sources = Sources {
        system: true,
        ..Sources::default()
    };
    let inv = snapshot(target, sources)?;
    report(&inv.problems)?;
    let Some(sys) = &inv.system else {
        bail!("the host's system information could not be read");
    };
    let now = jiff::Timestamp::now().as_second();
    if json {
        print_json(&crate::views::host::json(sys, &inv, now))?;
    } else {
        print!("{}", crate::views::host::detail(sys, now).to_text());
        if !inv.pools.is_empty() {
            println!("pools:");
            for line in table::render(&crate::views::storage::pools_table(&inv)).lines() {
                println!("  {line}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
