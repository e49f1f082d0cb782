//! `zcon bench console`: the embedded console against tmux on the same machine, in one run.
//! Both show the same `zlogin ZONE` shell of a demo sim host, both draw to an outer
//! pseudo-terminal of the same size read by the same emulator: 50 MB of text is streamed
//! through each (`cat`), and keys are echoed one by one, directly on zlogin's pty too so that
//! what a multiplexer adds can be told.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use clap::Args;
use portable_pty::CommandBuilder;

use super::{median, summary};
use crate::termdrive::{Session, screen_text};

#[derive(Debug, Args)]
pub struct ConsoleBench {
    /// Megabytes of text streamed through each.
    #[arg(long, default_value_t = 50)]
    pub megabytes: usize,
    /// Streams timed per program (alternating).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Keys echoed per program.
    #[arg(long, default_value_t = 100)]
    pub keys: usize,
}

const COLS: u16 = 160;
const ROWS: u16 = 45;
const WAIT: Duration = Duration::from_secs(120);

/// The three ways the zone's shell is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    Zcon,
    Tmux,
    /// zlogin on the outer pty itself: the floor for key echo.
    Direct,
}

impl Via {
    fn name(self) -> &'static str {
        match self {
            Via::Zcon => "zcon console pane",
            Via::Tmux => "tmux",
            Via::Direct => "zlogin alone (no multiplexer)",
        }
    }
}

pub fn console(args: &ConsoleBench) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let temp = tempfile::tempdir()?;
    let host = temp.path().join("hv");
    crate::sim::init::init(
        &host,
        &crate::sim::init::InitOptions {
            contents: crate::sim::seed::Contents::Demo,
            exe: Some(exe.clone()),
            ..Default::default()
        },
    )?;
    let data = temp.path().join("stream.txt");
    write_text(&data, args.megabytes << 20)?;
    let bytes = std::fs::metadata(&data)?.len();
    println!(
        "zcon bench console: {} MB of text through a zlogin shell of a sim zone, outer pty {COLS}x{ROWS}",
        args.megabytes
    );
    let mut streams: Vec<(Via, Vec<Duration>)> =
        vec![(Via::Zcon, Vec::new()), (Via::Tmux, Vec::new())];
    for _ in 0..args.runs {
        for (via, times) in &mut streams {
            let mut s = open(*via, &exe, &host, temp.path())?;
            times.push(stream(&mut s, &data)?);
            close(*via, s, temp.path());
        }
    }
    for (via, times) in &mut streams {
        let d = median(times);
        let rate = bytes as f64 / d.as_secs_f64() / (1 << 20) as f64;
        println!(
            "  {:<30} {rate:>7.1} MB/s  {}",
            via.name(),
            summary(times, d)
        );
    }
    println!("key → echo on the outer screen, at a shell prompt");
    for via in [Via::Direct, Via::Tmux, Via::Zcon] {
        let mut s = open(via, &exe, &host, temp.path())?;
        let mut times = echoes(&mut s, args.keys)?;
        let d = median(&mut times);
        println!("  {:<30} {}", via.name(), summary(&times, d));
        close(via, s, temp.path());
    }
    Ok(())
}

/// Lines of varied text, some coloured, as logs and `ls --color` give.
fn write_text(path: &Path, size: usize) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0;
    let mut n = 0u64;
    while written < size {
        let line = if n.is_multiple_of(7) {
            format!(
                "\x1b[32m{n:>9}\x1b[0m  kernel: zone {} booted in {} ms \x1b[1;34mok\x1b[0m\n",
                n % 97,
                n % 1000
            )
        } else {
            format!(
                "{n:>9}  The quick brown fox jumps over the lazy dog; {:x}\n",
                n * 2654435761
            )
        };
        out.write_all(line.as_bytes())?;
        written += line.len();
        n += 1;
    }
    out.flush()?;
    Ok(())
}

fn tmux_socket(temp: &Path) -> String {
    temp.join("tmux.sock").to_string_lossy().into_owned()
}

/// The zone's shell shown `via`, at its prompt.
fn open(via: Via, exe: &Path, host: &Path, temp: &Path) -> anyhow::Result<Session> {
    let zlogin = host.join("bin/zlogin");
    let mut cmd = match via {
        Via::Zcon => {
            let mut cmd = CommandBuilder::new(exe);
            cmd.arg("--sim");
            cmd.arg(host);
            cmd.arg("--config-dir");
            cmd.arg(temp.join("config"));
            cmd
        }
        Via::Tmux => {
            let mut cmd = CommandBuilder::new("tmux");
            cmd.args(["-S", &tmux_socket(temp), "-f", "/dev/null", "new-session"]);
            cmd.arg(&zlogin);
            cmd.arg("web01");
            cmd
        }
        Via::Direct => {
            let mut cmd = CommandBuilder::new(&zlogin);
            cmd.arg("web01");
            cmd
        }
    };
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("ZCON_SIM_SPEED");
    let mut s = Session::spawn(cmd, COLS, ROWS)?;
    if via == Via::Zcon {
        s.wait_for("win2022", WAIT)?;
        s.send_keys("/web01")?;
        s.send_key("<Enter>")?;
        s.send_keys("gg")?;
        s.send_key("l")?;
        s.wait_for("<C-]> detaches", WAIT)?;
    }
    s.wait_for("root@web01:~#", WAIT)?;
    Ok(s)
}

fn close(via: Via, s: Session, temp: &Path) {
    let _ = s.kill();
    if via == Via::Tmux {
        let _ = std::process::Command::new("tmux")
            .args(["-S", &tmux_socket(temp), "kill-server"])
            .output();
    }
}

/// `cat` the file, timed until the line the shell prints after it is on the outer screen.
fn stream(s: &mut Session, data: &Path) -> anyhow::Result<Duration> {
    // The marker is computed by the shell, so the echoed command line does not match it.
    let line = format!("cat {}; echo stream-$((40+2))-done\r", data.display());
    let started = Instant::now();
    s.type_text(&line)?;
    s.wait_for("stream-42-done", WAIT)?;
    let took = started.elapsed();
    s.type_text("clear\r")?;
    s.wait_gone("stream-42-done", WAIT)?;
    Ok(took)
}

/// Type letters one at a time, each timed until it shows after the prompt.
fn echoes(s: &mut Session, keys: usize) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(keys);
    let mut typed = String::new();
    for i in 0..keys {
        if typed.len() == 20 {
            // Ctrl-U empties the line; wait until the shell has.
            s.send(&[0x15])?;
            s.wait_until(WAIT, |screen| {
                prompt_line(screen).is_some_and(|l| l.is_empty())
            })?;
            typed.clear();
        }
        let c = char::from(b'a' + (i % 26) as u8);
        typed.push(c);
        let want = typed.clone();
        let started = Instant::now();
        s.send(&[c as u8])?;
        s.wait_until(WAIT, move |screen| {
            prompt_line(screen).is_some_and(|l| l == want)
        })?;
        times.push(started.elapsed());
    }
    Ok(times)
}

/// What follows the last shell prompt on the screen.
fn prompt_line(screen: &vt100::Screen) -> Option<String> {
    let text = screen_text(screen);
    let line = text.lines().rev().find(|l| l.contains("root@web01:~#"))?;
    let after = line.rsplit("root@web01:~#").next()?;
    Some(
        after
            .trim_start_matches(' ')
            .trim_end_matches(['│', ' '])
            .to_string(),
    )
}
