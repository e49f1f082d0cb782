use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The same binary serves as the sim host's commands (zoneadm, zfs, …) through symlinks.
    if let Some(code) = zcon::sim::run_multicall(&args) {
        return code;
    }
    zcon::cli::main(args)
}
