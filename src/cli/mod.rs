//! The headless command line: `zcon [--demo | --sim DIR] <command> …`.

pub mod table;
pub mod target;
pub mod views;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
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
    #[command(subcommand)]
    pub command: Option<Cmd>,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListKind {
    Zones,
}

#[derive(Debug, Subcommand)]
pub enum ShowCmd {
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
            let opts = sim::init::InitOptions {
                sizes: sim::seed::Sizes { zones, datasets },
                seed,
                force,
                exe: None,
            };
            let host = sim::init::init(&dir, &opts)?;
            println!("created sim host at {}", host.dir().display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::List { kind, json }) => list(&cli.target, kind, json),
        Some(Cmd::Show(ShowCmd::Zone { name, json })) => show_zone(&cli.target, &name, json),
        None => {
            use clap::CommandFactory;
            Cli::command().print_help()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Read the chosen parts of the host on a small runtime.
fn snapshot(target: &Target, sources: Sources) -> anyhow::Result<Inventory> {
    let runner = target.runner()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok(rt.block_on(Inventory::refresh(&runner, sources)))
}

/// Print problems as warnings; fail when a whole source is missing.
fn report(problems: &[Problem]) -> anyhow::Result<()> {
    for p in problems.iter().filter(|p| !p.fatal) {
        eprintln!("zcon: warning: {}: {}", p.source, p.message);
    }
    match problems.iter().find(|p| p.fatal) {
        Some(p) => bail!("{}: {}", p.source, p.message),
        None => Ok(()),
    }
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn list(target: &Target, kind: ListKind, json: bool) -> anyhow::Result<ExitCode> {
    let sources = match kind {
        ListKind::Zones => Sources {
            zones: true,
            ..Sources::default()
        },
    };
    let inv = snapshot(target, sources)?;
    report(&inv.problems)?;
    match kind {
        ListKind::Zones if json => {
            print_json(&inv.zones.iter().map(views::zones::json).collect::<Vec<_>>())?
        }
        ListKind::Zones => print!("{}", views::zones::table(&inv.zones)),
    }
    Ok(ExitCode::SUCCESS)
}

fn show_zone(target: &Target, name: &str, json: bool) -> anyhow::Result<ExitCode> {
    let inv = snapshot(
        target,
        Sources {
            zones: true,
            ..Sources::default()
        },
    )?;
    report(&inv.problems)?;
    let Some(zone) = inv.zone(name) else {
        bail!("no zone named '{name}' on this host");
    };
    if json {
        print_json(&views::zones::detail_json(zone))?;
    } else {
        print!("{}", views::zones::detail(zone));
    }
    Ok(ExitCode::SUCCESS)
}
