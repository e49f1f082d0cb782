//! The headless command line: `zcon [--demo|--sim DIR] <command> …`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::sim;

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

/// Which host zcon talks to.
#[derive(Debug, Args)]
pub struct Target {
    /// Use the embedded demo host (a simulated illumos host, created on first use).
    #[arg(long, global = true, conflicts_with = "sim")]
    pub demo: bool,
    /// Use (or create) the simulated illumos host at DIR.
    #[arg(long, global = true, value_name = "DIR")]
    pub sim: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Manage simulated illumos hosts.
    #[command(subcommand)]
    Sim(SimCmd),
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
        None => {
            use clap::CommandFactory;
            Cli::command().print_help()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
