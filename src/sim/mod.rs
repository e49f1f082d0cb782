//! The simulated illumos host: a directory holding `bin/` (symlinks to this binary, one per
//! command), `root/` (the host's files: etc/zones, etc/ipf/ipnat.conf, etc/dhcpd.conf …) and
//! `state/` (what the kernel, ZFS, the datalinks and SMF would hold on a real host).
//!
//! Every command prints what the real one prints: same formats, messages and exit codes.
//! Commands take the state lock (shared to read, exclusive to change) and never sleep while
//! holding it, so a long install never stalls a listing.

pub mod cmd;
pub mod console;
pub mod fail;
pub mod host;
pub mod init;
pub mod net;
pub mod seed;
pub mod smf;
pub mod zfs;
pub mod zonecfg;
pub mod zones;

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub use host::SimHost;

/// Where a command writes: the process's stdout/stderr, or buffers in tests.
pub struct Ctx<'a> {
    pub host: &'a SimHost,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// The output of a command run in-process (tests, seeding).
#[derive(Debug, Clone)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run one sim command in this process, capturing its output.
pub fn run(host: &SimHost, program: &str, args: &[&str]) -> Output {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let code = match cmd::lookup(program) {
        Some(main) => main(
            &mut Ctx {
                host,
                out: &mut out,
                err: &mut err,
            },
            &args,
        ),
        None => {
            let _ = writeln!(err, "{program}: not found");
            127
        }
    };
    Output {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// When this binary was started under a sim command's name (argv[0]), run that command and
/// return its exit status; otherwise None.
pub fn run_multicall(args: &[OsString]) -> Option<ExitCode> {
    let argv0 = args.first()?.to_string_lossy().into_owned();
    let name = Path::new(&argv0)
        .file_name()?
        .to_string_lossy()
        .into_owned();
    let main = cmd::lookup(&name)?;
    let host = match host::locate(&argv0).and_then(|dir| SimHost::open(&dir)) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{name}: zcon sim host: {e}");
            return Some(ExitCode::from(1));
        }
    };
    let rest: Vec<String> = args[1..]
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = std::io::stderr();
    let code = main(
        &mut Ctx {
            host: &host,
            out: &mut out,
            err: &mut err,
        },
        &rest,
    );
    // A reader that stopped early (EPIPE) is not the command's failure.
    let _ = out.flush();
    Some(ExitCode::from(code.clamp(0, 255) as u8))
}
