//! uname, hostname and pfexec.

use crate::sim::Ctx;

/// uname(1): `-a -s -n -r -v -m -p -i`, combined in any order (printed in the fixed order).
pub fn uname(ctx: &mut Ctx, args: &[String]) -> i32 {
    let info = match ctx.host.info() {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(ctx.err, "uname: {e}");
            return 1;
        }
    };
    let fields = [
        ('s', "SunOS".to_string()),
        ('n', info.hostname.clone()),
        ('r', info.release.clone()),
        ('v', info.version.clone()),
        ('m', "i86pc".to_string()),
        ('p', "i386".to_string()),
        ('i', "i86pc".to_string()),
    ];
    let mut wanted = Vec::new();
    for arg in args {
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            let _ = writeln!(
                ctx.err,
                "usage:\tuname [-snrvmapiX]\n\tuname [-S system_name]"
            );
            return 1;
        };
        for f in flags.chars() {
            match f {
                'a' => wanted.extend(fields.iter().map(|(c, _)| *c)),
                c if fields.iter().any(|(k, _)| *k == c) => wanted.push(c),
                c => {
                    let _ = writeln!(ctx.err, "uname: illegal option -- {c}");
                    let _ = writeln!(
                        ctx.err,
                        "usage:\tuname [-snrvmapiX]\n\tuname [-S system_name]"
                    );
                    return 1;
                }
            }
        }
    }
    if wanted.is_empty() {
        wanted.push('s');
    }
    let line: Vec<&str> = fields
        .iter()
        .filter(|(c, _)| wanted.contains(c))
        .map(|(_, v)| v.as_str())
        .collect();
    let _ = writeln!(ctx.out, "{}", line.join(" "));
    0
}

/// hostname(1): print the node name, or set it (`hostname NAME`).
pub fn hostname(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Ok(_lock) = ctx.host.lock_exclusive() else {
        return 1;
    };
    let mut info = match ctx.host.info() {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(ctx.err, "hostname: {e}");
            return 1;
        }
    };
    match args {
        [] => {
            let _ = writeln!(ctx.out, "{}", info.hostname);
            0
        }
        [name] if !name.starts_with('-') => {
            info.hostname = name.clone();
            let bytes = serde_json::to_vec_pretty(&info).unwrap_or_default();
            match crate::sim::host::write_atomic(&ctx.host.state_dir().join("host.json"), &bytes) {
                Ok(()) => 0,
                Err(e) => {
                    let _ = writeln!(ctx.err, "hostname: error in setting name: {e}");
                    1
                }
            }
        }
        _ => {
            let _ = writeln!(ctx.err, "usage: hostname [name]");
            1
        }
    }
}

/// pfexec(1): run the command with the profile's privileges; on the sim host that is simply
/// running it. A bare name is looked up in the sim's bin/ first, then on PATH.
pub fn pfexec(ctx: &mut Ctx, args: &[String]) -> i32 {
    let Some((program, rest)) = args.split_first() else {
        let _ = writeln!(ctx.err, "usage: pfexec [-P privset] cmd [arg ..]");
        return 1;
    };
    let path = if program.contains('/') {
        std::path::PathBuf::from(program)
    } else {
        let in_bin = ctx.host.bin_dir().join(program);
        let on_path = std::env::var_os("PATH").and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(program))
                .find(|c| c.is_file())
        });
        match (in_bin.exists(), on_path) {
            (true, _) => in_bin,
            (false, Some(p)) => p,
            (false, None) => {
                let _ = writeln!(ctx.err, "pfexec: {program}: No such file or directory");
                return 1;
            }
        }
    };
    let _ = ctx.out.flush();
    let err =
        std::os::unix::process::CommandExt::exec(std::process::Command::new(&path).args(rest));
    let _ = writeln!(ctx.err, "pfexec: {program}: {err}");
    1
}

#[cfg(test)]
mod tests {
    use crate::sim::run;

    #[test]
    fn uname_prints_in_its_fixed_order() {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::sim::init::init(&dir.path().join("h"), &Default::default())
            .unwrap()
            .with_speed(0.0);
        let info = host.info().unwrap();
        let nrv = format!("{} {} {}\n", info.hostname, info.release, info.version);
        for args in [&["-nrv"][..], &["-v", "-r", "-n"], &["-vn", "-r"]] {
            let out = run(&host, "uname", args);
            assert_eq!(
                (out.code, out.stdout.as_str()),
                (0, nrv.as_str()),
                "{args:?}"
            );
        }
        let parsed = crate::sys::uname::parse_nrv(&nrv).unwrap();
        assert_eq!(parsed.nodename, info.hostname);
        assert_eq!(run(&host, "uname", &[]).stdout, "SunOS\n");
        let out = run(&host, "uname", &["-a"]);
        assert_eq!(
            out.stdout,
            format!("SunOS {} i86pc i386 i86pc\n", nrv.trim_end())
        );
        let out = run(&host, "uname", &["-z"]);
        assert_eq!(out.code, 1);
        assert!(out.stderr.starts_with("uname: illegal option -- z\nusage:"));
    }
}
