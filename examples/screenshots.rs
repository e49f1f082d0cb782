//! Screenshots of the console for the README: runs the real binary on the demo host in a
//! pseudo-terminal and writes each screen as SVG. Run through `scripts/screenshots`.

use std::path::PathBuf;
use std::time::Duration;

use zcon::termdrive::{Session, svg};

const WAIT: Duration = Duration::from_secs(30);

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let exe = PathBuf::from(
        args.next()
            .ok_or_else(|| anyhow::anyhow!("usage: screenshots ZCON OUT_DIR"))?,
    );
    let exe = std::fs::canonicalize(&exe)?;
    let out = PathBuf::from(
        args.next()
            .ok_or_else(|| anyhow::anyhow!("usage: screenshots ZCON OUT_DIR"))?,
    );
    std::fs::create_dir_all(&out)?;
    let config = tempfile::tempdir()?;
    let mut cmd = portable_pty::CommandBuilder::new(&exe);
    cmd.args(["--demo", "--config-dir"]);
    cmd.arg(config.path());
    let mut s = Session::spawn(cmd, 160, 45)?;
    s.wait_for("win2022", WAIT)?;
    // Each step: keys, then the text that shows they took effect (`!text`: that is gone;
    // `~text`: send the keys again until it shows). An Esc is sent on its own: in the same
    // read as the next key, a terminal app takes it as Alt+key.
    let shots: &[(&str, &[(&str, &str)])] = &[
        ("zones", &[("jjj", "db01")]),
        ("datasets", &[("3", "Datasets (")]),
        ("network", &[("4]", "Network · VNICs")]),
        (
            "zone-detail",
            &[("1", "Zones ("), ("<Enter>", "vnics in use")],
        ),
        ("help", &[("<Esc>", "Zones ("), ("?", "Help: keys here")]),
        (
            "palette",
            &[("<Esc>", "!Help: keys here"), (":th", "Switch the theme")],
        ),
        (
            "console",
            &[
                ("<Esc>", "!Switch the theme"),
                ("/web01<Enter>", "/web01"),
                ("a", "[Connected to zone 'web01' console]"),
                // A key typed before zlogin has set up its terminal is flushed: again.
                ("<Enter>", "~web01 login:"),
                ("root<Enter>", "Password:"),
                ("secret<Enter>", "root@web01:~#"),
                ("<C-]>", "a attaches"),
            ],
        ),
        (
            "light-theme",
            &[(":theme light<Enter>", "theme light"), ("3", "Datasets (")],
        ),
    ];
    for (name, steps) in shots {
        for (keys, expect) in *steps {
            s.send_keys(keys)?;
            if let Some(text) = expect.strip_prefix('~') {
                let deadline = std::time::Instant::now() + WAIT;
                while s.wait_for(text, Duration::from_secs(2)).is_err() {
                    anyhow::ensure!(std::time::Instant::now() < deadline, "no {text:?}");
                    s.send_keys(keys)?;
                }
                continue;
            }
            match expect.strip_prefix('!') {
                Some(gone) => s.wait_gone(gone, WAIT)?,
                None => s.wait_for(expect, WAIT)?,
            }
        }
        // Let the frame that follows the keys finish drawing.
        s.wait_until(Duration::from_millis(300), |_| false).ok();
        let path = out.join(format!("{name}.svg"));
        std::fs::write(&path, svg(&s.screen(), &format!("zcon --demo · {name}")))?;
        println!("wrote {}", path.display());
    }
    s.send_key("<Esc>")?;
    s.wait_for("Datasets (", WAIT)?;
    s.send_key("q")?;
    s.wait_exit(WAIT)?;
    Ok(())
}
