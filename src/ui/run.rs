//! The event loop: keys, mouse, paste and resize from a reader thread; inventory snapshots
//! from a background refresher; signals. A frame is drawn only after something changed.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use super::app::{App, Effect, Level};
use super::config::Settings;
use super::sessions::SessionKind;
use super::{draw, terminal};
use crate::exec::client::Client;
use crate::exec::journal::{Follower, Polled};
use crate::exec::model::TaskId;
use crate::host::Runner;
use crate::host::inventory::{Inventory, Sources};
use crate::sys::zfs::{self, PropertyValue};

pub struct Options {
    pub settings: Settings,
    pub config_dir: Option<std::path::PathBuf>,
    pub mouse: bool,
    pub read_only: bool,
    /// How tasks reach the worker; None leaves the Tasks pane empty and refuses changes.
    pub tasks: Option<Client>,
}

enum Msg {
    Input(Event),
    Inventory(Box<Inventory>),
    DatasetProps(String, Result<Vec<PropertyValue>, String>),
    ZoneTags(String, bool, Result<BTreeMap<String, String>, String>),
    Journal(Polled),
    Submitted(String, Result<Vec<TaskId>, String>),
    Answer(Level, String),
    /// An embedded console has new output.
    Console,
}

/// Console output is drawn at most this often: a stream is many reads, each would be a
/// frame, and a frame holds the emulator the reader is writing into.
const CONSOLE_FRAME: Duration = Duration::from_millis(8);

/// How often the journal is looked at for new entries (a stat when nothing changed).
const JOURNAL_POLL: Duration = Duration::from_millis(150);

/// Run the console until the operator quits or a signal ends it; returns the signal's
/// conventional exit status (128 + N) when one did.
pub fn run(runner: Runner, opts: Options) -> anyhow::Result<Option<u8>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mouse = opts.mouse || opts.settings.config.mouse;
    let mut term = terminal::enter(mouse)?;
    let result = rt.block_on(event_loop(&mut term, runner, opts));
    terminal::restore();
    // Blocked reads of the input thread and running commands must not hold up the exit.
    rt.shutdown_background();
    result
}

async fn event_loop(
    term: &mut terminal::Term,
    runner: Runner,
    opts: Options,
) -> anyhow::Result<Option<u8>> {
    let interval = opts.settings.config.refresh;
    let mut app = App::new(opts.settings, opts.config_dir, opts.read_only);
    app.host_root = runner.config().sys_root.clone();
    term.draw(|f| draw::draw(f, &mut app))?;

    let (tx, mut rx) = mpsc::unbounded_channel();
    spawn_input(tx.clone());
    let client = opts.tasks;
    if let Some(client) = &client {
        spawn_journal(Follower::new(client.state_dir()), tx.clone());
    }
    // Durations of running tasks move on: a frame a second while any runs.
    let mut second = tokio::time::interval(Duration::from_secs(1));
    let (force_tx, force_rx) = mpsc::unbounded_channel();
    let runner = runner.auditing_changes_only();
    tokio::spawn(refresher(runner.clone(), interval, force_rx, tx.clone()));
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut minute = tokio::time::interval_at(next_minute(), Duration::from_secs(60));
    let mut last_draw = Instant::now();
    let mut console_output = false;
    let mut cursor_shape = None;

    loop {
        let expiry = app.message.as_ref().map(|m| m.until);
        let console_due = console_output.then_some(last_draw + CONSOLE_FRAME);
        let mut dirty = tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => handle(&mut app, msg, &mut console_output),
                None => break,
            },
            _ = sleep_until(console_due), if console_due.is_some() => {
                console_output = false;
                app.sessions.take_dirty()
            }
            _ = sigterm.recv() => return Ok(Some(128 + 15)),
            _ = sighup.recv() => return Ok(Some(128 + 1)),
            _ = sleep_until(expiry) => app.expire_message(Instant::now()),
            _ = second.tick(), if app.tasks.running() > 0 => {
                app.refresh_task_views();
                true
            }
            _ = minute.tick() => {
                // The header's uptime moves on; it is drawn again only when its text changes.
                let before = app.uptime();
                app.now = jiff::Timestamp::now().as_second();
                app.uptime() != before
            }
        };
        // Whatever else is already queued (a paste, key repeat) goes into the same frame.
        while let Ok(msg) = rx.try_recv() {
            dirty |= handle(&mut app, msg, &mut console_output);
        }
        for effect in app.take_effects() {
            match effect {
                Effect::Quit => return Ok(None),
                Effect::Refresh => {
                    let _ = force_tx.send(());
                }
                Effect::Submit { what, tasks } => match &client {
                    Some(client) => {
                        let (client, tx) = (client.clone(), tx.clone());
                        tokio::task::spawn_blocking(move || {
                            let result = client.submit(tasks, "console").map_err(|e| e.to_string());
                            let _ = tx.send(Msg::Submitted(what, result));
                        });
                    }
                    None => app.notify(Level::Error, "tasks are not available on this host"),
                },
                Effect::CancelTask(id) => {
                    if let Some(client) = &client {
                        let (client, tx) = (client.clone(), tx.clone());
                        tokio::task::spawn_blocking(move || {
                            let answer = match client.cancel(id) {
                                Ok(message) => (Level::Info, message),
                                Err(e) => (Level::Error, e.to_string()),
                            };
                            let _ = tx.send(Msg::Answer(answer.0, answer.1));
                        });
                    }
                }
                Effect::Copy(text) => terminal::copy(&text),
                Effect::OpenSession { zone, kind } => {
                    let size = term.size().unwrap_or_default();
                    let (cols, rows) =
                        draw::console_size(size.width, size.height, app.sessions.full);
                    let opts = crate::console::SessionOptions {
                        cols,
                        rows,
                        scrollback: app.settings.config.scrollback,
                    };
                    let tx = tx.clone();
                    let notify = Box::new(move || {
                        let _ = tx.send(Msg::Console);
                    });
                    match open_session(&runner, &zone, kind, opts, notify) {
                        Ok(session) => {
                            app.add_session(&zone, kind, session);
                            dirty = true;
                        }
                        Err(e) => {
                            app.notify(Level::Error, format!("zlogin {zone}: {e:#}"));
                            dirty = true;
                        }
                    }
                }
                Effect::LoadZoneTags { zone, cleanup } => {
                    let query = app
                        .inventory
                        .zone(&zone)
                        .and_then(|z| crate::ops::delete::tag_query(&app.inventory, z));
                    let (runner, tx) = (runner.clone(), tx.clone());
                    tokio::spawn(async move {
                        let tags = match query {
                            None => Ok(BTreeMap::new()),
                            Some(cmd) => match runner.run(&cmd).await {
                                Ok(out) => crate::ops::delete::parse_tags(
                                    &String::from_utf8_lossy(&out.stdout),
                                )
                                .map_err(|e| e.to_string()),
                                Err(e) => Err(e.to_string()),
                            },
                        };
                        let _ = tx.send(Msg::ZoneTags(zone, cleanup, tags));
                    });
                }
                Effect::LoadDatasetProps(name) => {
                    let (runner, tx) = (runner.clone(), tx.clone());
                    tokio::spawn(async move {
                        let cmd = zfs::get(&["all"], &[name.as_str()]);
                        let result = match runner.run(&cmd).await {
                            Ok(out) => zfs::parse_get(&String::from_utf8_lossy(&out.stdout))
                                .map_err(|e| e.to_string()),
                            Err(e) => Err(e.to_string()),
                        };
                        let _ = tx.send(Msg::DatasetProps(name, result));
                    });
                }
            }
        }
        if dirty {
            // Drawn now: output that arrived meanwhile is on this frame too.
            app.sessions.take_dirty();
            term.draw(|f| draw::draw(f, &mut app))?;
            last_draw = Instant::now();
            if app.sessions.cursor != cursor_shape {
                cursor_shape = app.sessions.cursor;
                terminal::set_cursor_shape(cursor_shape);
            }
        }
    }
    Ok(None)
}

/// `zlogin -C -E ZONE` (zcon owns the detach key: zlogin's escape is off) or `zlogin ZONE`,
/// through pfexec or sudo as the host is configured, on a new pseudo-terminal.
fn open_session(
    runner: &Runner,
    zone: &str,
    kind: SessionKind,
    opts: crate::console::SessionOptions,
    notify: Box<dyn Fn() + Send + Sync>,
) -> anyhow::Result<crate::console::Session> {
    use crate::sys::zlogin;
    let command = match kind {
        SessionKind::Console => zlogin::console(
            zone,
            &zlogin::ConsoleOptions {
                escape: zlogin::Escape::Disabled,
                disconnect_on_halt: false,
            },
        ),
        SessionKind::Login => zlogin::login(zone),
    };
    let argv = runner.argv_for(&command)?;
    crate::console::Session::spawn(&argv, &[], opts, notify)
}

/// Apply one message; true when the screen must be drawn again. Console output sets
/// `console_output` instead, to be drawn at the next frame's time, unless it answers a key
/// typed into the console.
fn handle(app: &mut App, msg: Msg, console_output: &mut bool) -> bool {
    match msg {
        Msg::Input(Event::Key(key)) => {
            // A key a console takes shows only when the program echoes it.
            let locked = app.console_locked();
            let message = app.message.clone();
            app.on_key(key);
            !(locked && app.console_locked() && app.message == message)
        }
        Msg::Input(Event::Mouse(mouse)) => {
            app.on_mouse(mouse);
            true
        }
        Msg::Input(Event::Paste(text)) => {
            app.on_paste(&text);
            true
        }
        Msg::Input(Event::Resize(..)) => true,
        Msg::Input(_) => false,
        Msg::Inventory(inv) => app.set_inventory(*inv),
        Msg::DatasetProps(name, Ok(props)) => {
            app.set_dataset_props(name, props);
            true
        }
        Msg::DatasetProps(name, Err(e)) => {
            app.notify(Level::Error, format!("zfs get all {name}: {e}"));
            true
        }
        Msg::ZoneTags(zone, cleanup, tags) => {
            app.open_delete_dialog(&zone, cleanup, tags);
            true
        }
        Msg::Journal(polled) => app.apply_journal(polled),
        Msg::Submitted(what, result) => {
            app.submitted(&what, result);
            true
        }
        Msg::Answer(level, text) => {
            app.notify(level, text);
            true
        }
        Msg::Console if std::mem::take(&mut app.sessions.typed) => app.sessions.take_dirty(),
        Msg::Console => {
            *console_output = true;
            false
        }
    }
}

/// Follow the task journal on a thread of its own; an empty poll sends nothing.
fn spawn_journal(mut follower: Follower, tx: mpsc::UnboundedSender<Msg>) {
    std::thread::Builder::new()
        .name("journal".into())
        .spawn(move || {
            let mut first = true;
            loop {
                match follower.poll() {
                    Ok(polled) if first || polled.reset || !polled.entries.is_empty() => {
                        first = false;
                        if tx.send(Msg::Journal(polled)).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let text = format!("cannot read the task journal: {e}");
                        if tx.send(Msg::Answer(Level::Error, text)).is_err() {
                            return;
                        }
                        std::thread::sleep(Duration::from_secs(5));
                    }
                }
                if tx.is_closed() {
                    return;
                }
                std::thread::sleep(JOURNAL_POLL);
            }
        })
        .expect("spawn the journal thread");
}

fn spawn_input(tx: mpsc::UnboundedSender<Msg>) {
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                if tx.send(Msg::Input(ev)).is_err() {
                    break;
                }
            }
        })
        .expect("spawn the input thread");
}

/// Read the host now, then every `interval` (never when zero) and whenever asked; requests
/// that arrive during a refresh are served by one more refresh, not one each.
async fn refresher(
    runner: Runner,
    interval: Duration,
    mut force: mpsc::UnboundedReceiver<()>,
    tx: mpsc::UnboundedSender<Msg>,
) {
    loop {
        let inv = Inventory::refresh(&runner, Sources::ALL).await;
        let inv = tokio::task::spawn_blocking(move || {
            inv.prepare_index();
            inv
        })
        .await
        .expect("index builder panicked");
        if tx.send(Msg::Inventory(Box::new(inv))).is_err() {
            return;
        }
        let wait = async {
            if interval.is_zero() {
                std::future::pending::<()>().await
            } else {
                tokio::time::sleep(interval).await
            }
        };
        tokio::select! {
            _ = wait => {}
            asked = force.recv() => if asked.is_none() { return },
        }
        while force.try_recv().is_ok() {}
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

fn next_minute() -> tokio::time::Instant {
    let now = jiff::Timestamp::now().as_second();
    let wait = 60 - now.rem_euclid(60) as u64;
    tokio::time::Instant::now() + Duration::from_secs(wait)
}
