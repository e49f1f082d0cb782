//! `zcon bench tui`: the console's frame time with 2,000 zones and 100,000 datasets at
//! 200×60 (also with 100 queued tasks), its first frame after start on the demo host, what it
//! does while idle, and key latency in the real console while the worker holds a queue.

use std::path::Path;
use std::time::{Duration, Instant};

use clap::Args;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{median, summary};
use crate::exec::client::Client;
use crate::exec::engine::Submission;
use crate::exec::journal::{self, Polled};
use crate::exec::model::{Entry, Event};
use crate::exec::worker::{Launch, WorkerSettings};
use crate::host::inventory::{Inventory, Sources};
use crate::host::{HostConfig, Runner};
use crate::ops::zone::{self as zone_ops, Lifecycle, ZoneFacts};
use crate::ops::{Action, Plan, Step};
use crate::termdrive::Session;
use crate::ui::app::App;
use crate::ui::config::Settings;

#[derive(Debug, Args)]
pub struct TuiBench {
    #[command(flatten)]
    pub host: super::ScaleHost,
    /// Frames drawn per pane.
    #[arg(long, default_value_t = 300)]
    pub frames: usize,
    /// Starts of `zcon --demo` timed.
    #[arg(long, default_value_t = 10)]
    pub starts: usize,
    /// Seconds of idle watched, with the default refresh and with the refresh off.
    #[arg(long, default_value_t = 10)]
    pub idle: u64,
    /// Queued tasks the console holds while frames and key latency are measured again.
    #[arg(long, default_value_t = 100)]
    pub tasks: usize,
}

pub fn tui(args: &TuiBench) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = args.host.open_or_create(temp.path())?;
    let runner = Runner::new(HostConfig::sim(&dir))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let inv = rt.block_on(Inventory::refresh(&runner, Sources::ALL));
    anyhow::ensure!(
        inv.problems.is_empty(),
        "the refresh reported problems: {:?}",
        inv.problems
    );
    println!(
        "zcon bench tui: {} zones, {} datasets, 200x60",
        inv.zones.len(),
        inv.datasets.len()
    );
    let started = Instant::now();
    let mut app = App::new(Settings::builtin(), None, false);
    app.set_inventory(inv);
    println!(
        "  taking a snapshot      {:>8.1} ms (lists, tree, on a refresh)",
        ms(started.elapsed())
    );
    for (pane, key) in [("Zones", '1'), ("Datasets", '3')] {
        press(&mut app, KeyCode::Char(key));
        let (mut draw, mut key_to_frame) = frames(&mut app, args.frames)?;
        let d = median(&mut draw);
        println!("  {pane:<9} frame       {}", summary(&draw, d));
        let k = median(&mut key_to_frame);
        println!("  {pane:<9} key → frame {}", summary(&key_to_frame, k));
    }
    press(&mut app, KeyCode::Char('3'));
    let started = Instant::now();
    for c in "zone".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    println!(
        "  filter 100k datasets   {:>8.1} ms for 4 keys ('/zone' typed live)",
        ms(started.elapsed())
    );

    queued_tasks(&mut app, args)?;
    let exe = std::env::current_exe()?;
    start_and_idle(&exe, temp.path(), args)?;
    key_latency_with_queue(&exe, temp.path(), args)
}

/// The journal of `n` queued tasks and one running, on the host's zones.
fn task_entries(app: &App, n: usize) -> Vec<Entry> {
    let zones: Vec<ZoneFacts> = app.inventory.zones.iter().map(ZoneFacts::of).collect();
    let at = journal::now_ms();
    let mut entries = Vec::new();
    for i in 0..=n {
        let zone = &zones[i % zones.len()];
        let plan = zone_ops::lifecycle(
            Lifecycle::Restart,
            &ZoneFacts {
                state: crate::sys::zoneadm::ZoneState::Running,
                ..zone.clone()
            },
            60,
        )
        .expect("restart applies to a running zone");
        let task = i as u64 + 1;
        let queued = Event::Queued {
            plan,
            depends_on: vec![],
            origin: "bench".into(),
        };
        entries.push(Entry {
            at,
            task,
            event: queued,
        });
        if i == 0 {
            entries.push(Entry {
                at,
                task,
                event: Event::Started,
            });
            entries.push(Entry {
                at,
                task,
                event: Event::StepStarted { step: 0 },
            });
        }
    }
    entries
}

/// Frame time with many queued tasks in the book (Zones and Tasks panes).
fn queued_tasks(app: &mut App, args: &TuiBench) -> anyhow::Result<()> {
    let entries = task_entries(app, args.tasks);
    let started = Instant::now();
    app.apply_journal(Polled {
        reset: false,
        entries,
    });
    println!(
        "  {} queued tasks      {:>8.1} ms to apply their journal",
        args.tasks,
        ms(started.elapsed())
    );
    for (pane, key) in [("Zones", '1'), ("Tasks", '2')] {
        press(app, KeyCode::Char(key));
        let (mut draw, mut key_to_frame) = frames(app, args.frames)?;
        let d = median(&mut draw);
        println!(
            "  {pane:<9} frame       {} (with the tasks)",
            summary(&draw, d)
        );
        let k = median(&mut key_to_frame);
        println!("  {pane:<9} key → frame {}", summary(&key_to_frame, k));
    }
    Ok(())
}

/// Key → screen change in the real console while the worker holds `--tasks` queued tasks.
fn key_latency_with_queue(exe: &Path, temp: &Path, args: &TuiBench) -> anyhow::Result<()> {
    let dir = temp.join("queue-host");
    crate::sim::init::init(
        &dir,
        &crate::sim::init::InitOptions {
            contents: crate::sim::seed::Contents::Demo,
            exe: Some(exe.to_path_buf()),
            ..Default::default()
        },
    )?;
    // The host's commands are those of a sim: `sleep` joins them for a long first task.
    let sleep = ["/bin/sleep", "/usr/bin/sleep"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .ok_or_else(|| anyhow::anyhow!("no sleep(1) to hold the queue"))?;
    std::os::unix::fs::symlink(sleep, dir.join("bin/sleep"))?;
    let host = HostConfig::sim(&dir);
    let settings = WorkerSettings {
        concurrency: 1,
        history: 1000,
        idle_s: 5,
    };
    let client = Client::new(Launch { host, settings }, exe.to_path_buf());
    let hold = |name: &str| {
        Plan::new("hold", name)
            .object(format!("bench:{name}"))
            .step(Step::new(
                "Holding the queue",
                100,
                Action::run(crate::sys::Command::mutating("sleep").arg("120")),
            ))
    };
    let tasks = (0..=args.tasks)
        .map(|i| Submission {
            plan: hold(&format!("t{i}")),
            after: vec![],
        })
        .collect();
    let ids = client.submit(tasks, "bench")?;
    let config = temp.join("config");
    let mut cmd = portable_pty::CommandBuilder::new(exe);
    cmd.arg("--sim");
    cmd.arg(&dir);
    cmd.arg("--config-dir");
    cmd.arg(&config);
    let mut s = Session::spawn(cmd, 120, 40)?;
    let wait = Duration::from_secs(30);
    s.wait_for("win2022", wait)?;
    s.send_key("2")?;
    s.wait_for(&format!("{} queued", args.tasks), wait)?;
    let mut latency = Vec::new();
    for i in 0..50 {
        let before = highlight_row(&s.screen());
        let started = Instant::now();
        s.send_key(if i % 2 == 0 { "j" } else { "k" })?;
        s.wait_until(wait, move |screen| highlight_row(screen) != before)?;
        latency.push(started.elapsed());
    }
    let d = median(&mut latency);
    println!(
        "zcon bench tui: key → screen in the console with {} queued tasks (pty, 120x40)",
        args.tasks
    );
    println!("  j/k in the Tasks pane  {}", summary(&latency, d));
    for id in ids.iter().rev() {
        let _ = client.cancel(*id);
    }
    Ok(())
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Draw `n` frames, each after moving the selection (so every frame differs).
fn frames(app: &mut App, n: usize) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let mut terminal = Terminal::new(TestBackend::new(200, 60))?;
    terminal.draw(|f| crate::ui::draw::draw(f, app))?;
    let (mut draw, mut key_to_frame) = (Vec::new(), Vec::new());
    for i in 0..n {
        let started = Instant::now();
        press(
            app,
            if i % 50 < 25 {
                KeyCode::PageDown
            } else {
                KeyCode::Down
            },
        );
        let drawn = Instant::now();
        terminal.draw(|f| crate::ui::draw::draw(f, app))?;
        draw.push(drawn.elapsed());
        key_to_frame.push(started.elapsed());
    }
    Ok((draw, key_to_frame))
}

fn start_and_idle(exe: &Path, temp: &Path, args: &TuiBench) -> anyhow::Result<()> {
    let config = temp.join("config");
    std::fs::create_dir_all(&config)?;
    let spawn = |config: &Path| {
        let mut cmd = portable_pty::CommandBuilder::new(exe);
        cmd.args(["--demo", "--config-dir"]);
        cmd.arg(config);
        Session::spawn(cmd, 120, 40)
    };
    let wait = Duration::from_secs(30);
    // The first start may create the demo host; it is not timed.
    let warm = spawn(&config)?;
    warm.wait_for("win2022", wait)?;
    drop(warm);
    let (mut first, mut loaded) = (Vec::new(), Vec::new());
    for _ in 0..args.starts {
        let started = Instant::now();
        let s = spawn(&config)?;
        s.wait_for(" 1 Zones", wait)?;
        first.push(started.elapsed());
        s.wait_for("win2022", wait)?;
        loaded.push(started.elapsed());
    }
    println!("zcon bench tui: zcon --demo in a 120x40 pseudo-terminal");
    let d = median(&mut first);
    println!("  first frame           {}", summary(&first, d));
    let d = median(&mut loaded);
    println!("  zones on screen       {}", summary(&loaded, d));

    let off = temp.join("config-refresh-off");
    std::fs::create_dir_all(&off)?;
    std::fs::write(off.join("config.toml"), "refresh = 0\n")?;
    for (label, dir) in [("refresh every 2 s", &config), ("refresh off", &off)] {
        let s = spawn(dir)?;
        s.wait_for("win2022", wait)?;
        // Let the first refreshes settle before watching.
        std::thread::sleep(Duration::from_secs(3));
        let pid = s.pid().ok_or_else(|| anyhow::anyhow!("no pid"))?;
        let (bytes, cpu) = (s.bytes_received(), cpu_time(pid)?);
        std::thread::sleep(Duration::from_secs(args.idle));
        let bytes = s.bytes_received() - bytes;
        let cpu = cpu_time(pid)? - cpu;
        println!(
            "  idle {}s, {label:<18} {bytes} bytes written to the terminal, CPU {:.2}% ({:.0} ms, commands included)",
            args.idle,
            100.0 * cpu.as_secs_f64() / args.idle as f64,
            ms(cpu)
        );
    }
    Ok(())
}

/// The first screen row whose second cell has the selection's background (the highlight
/// moves while the text stays).
fn highlight_row(screen: &vt100::Screen) -> Option<u16> {
    let (rows, _) = screen.size();
    let base = screen.cell(rows - 2, 1).map(|c| c.bgcolor());
    (3..rows.saturating_sub(1))
        .find(|&r| screen.cell(r, 1).is_some_and(|c| Some(c.bgcolor()) != base))
}

/// User and system time of a process and of its waited-for children (the host commands the
/// refresh runs), from /proc.
fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may contain spaces; fields resume after its closing parenthesis.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks: u64 = fields.iter().sum();
    let per_second = rustix::param::clock_ticks_per_second();
    Ok(Duration::from_secs_f64(ticks as f64 / per_second as f64))
}
