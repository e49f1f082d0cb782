//! The console drawn on ratatui's TestBackend from a real demo host's inventory: snapshots of
//! every pane, the detail pages, help and the palette at 80×24 and 160×45, and the colours of
//! key cells.

use std::sync::OnceLock;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use zcon::host::inventory::{Inventory, Sources};
use zcon::host::{HostConfig, Runner};
use zcon::sim::init::{InitOptions, init};
use zcon::sim::seed::Contents;
use zcon::ui::app::App;
use zcon::ui::config::{Settings, Slot};
use zcon::ui::draw::draw;

/// The demo host read once; values that differ between two installs (zone UUIDs, creation
/// times) are pinned so snapshots compare.
fn inventory() -> Inventory {
    static INV: OnceLock<Inventory> = OnceLock::new();
    INV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let opts = InitOptions {
            contents: Contents::Demo,
            exe: Some(env!("CARGO_BIN_EXE_zcon").into()),
            ..InitOptions::default()
        };
        let host = init(&dir.join("hv"), &opts).unwrap();
        let runner = Runner::new(HostConfig::sim(host.dir())).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let mut inv = rt.block_on(Inventory::refresh(&runner, Sources::ALL));
        assert!(inv.problems.is_empty(), "{:?}", inv.problems);
        for (i, z) in inv.zones.iter_mut().enumerate() {
            z.uuid = format!("00000000-0000-4000-8000-{i:012}");
        }
        for d in &mut inv.datasets {
            d.creation = Some(1_795_000_000);
        }
        inv
    })
    .clone()
}

fn app() -> App {
    let mut app = App::new(Settings::builtin(), None, false);
    let inv = inventory();
    // The uptime in the header: 12 days and 3 hours, whenever the test runs.
    let boot = inv
        .system
        .as_ref()
        .and_then(|s| s.boot_time)
        .expect("boot time");
    app.now = boot + 12 * 86_400 + 3 * 3600;
    app.set_inventory(inv);
    app
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn render(app: &mut App, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    terminal.backend().clone()
}

/// Snapshot one state of the app at both sizes.
fn snap(name: &str, setup: impl Fn(&mut App)) {
    for (w, h) in [(80, 24), (160, 45)] {
        let mut app = app();
        setup(&mut app);
        let backend = render(&mut app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), backend);
    }
}

#[test]
fn zones_pane() {
    snap("zones", |_| {});
}

#[test]
fn tasks_pane() {
    snap("tasks", |app| press(app, "2"));
}

#[test]
fn datasets_pane() {
    snap("datasets", |app| press(app, "3"));
}

#[test]
fn network_views() {
    snap("network_links", |app| press(app, "4"));
    snap("network_vnics", |app| press(app, "4]"));
    snap("network_nat", |app| press(app, "4]]]]"));
    snap("network_forwarding", |app| press(app, "4[")); // wraps to the last view
}

#[test]
fn zone_detail() {
    snap("zone_detail", |app| {
        press(app, "/db01");
        key(app, KeyCode::Enter);
        key(app, KeyCode::Enter);
    });
}

#[test]
fn dataset_detail() {
    snap("dataset_detail", |app| {
        press(app, "3/templates");
        key(app, KeyCode::Enter);
        key(app, KeyCode::Enter);
    });
}

#[test]
fn help_popup() {
    snap("help", |app| press(app, "?"));
}

#[test]
fn palette_popup() {
    snap("palette", |app| press(app, ":"));
    snap("palette_theme", |app| press(app, ":th"));
}

#[test]
fn filter_in_progress() {
    snap("filter", |app| press(app, "/web"));
}

fn fg_of(backend: &TestBackend, text: &str) -> Vec<Color> {
    let buf = backend.buffer();
    let area = buf.area;
    let mut out = Vec::new();
    for y in 0..area.height {
        let line: String = (0..area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(col) = line.find(text) {
            let x = line[..col].chars().count() as u16;
            out.push(buf[(x, y)].fg);
        }
    }
    out
}

#[test]
fn zone_states_have_their_colours() {
    let mut app = app();
    let theme = app.settings.theme.clone();
    let backend = render(&mut app, 160, 45);
    let expect = |slot: Slot| theme.get(slot).fg.unwrap();
    for (state, slot) in [
        ("running ", Slot::ZoneRunning),
        ("installed ", Slot::ZoneInstalled),
        ("configured ", Slot::ZoneConfigured),
        ("incomplete ", Slot::ZoneIncomplete),
    ] {
        let colours = fg_of(&backend, state);
        assert!(!colours.is_empty(), "{state} not on screen");
        assert!(
            colours.iter().all(|c| *c == expect(slot)),
            "{state}: {colours:?}"
        );
    }
    let distinct: std::collections::HashSet<_> = [
        Slot::ZoneRunning,
        Slot::ZoneInstalled,
        Slot::ZoneConfigured,
        Slot::ZoneIncomplete,
    ]
    .iter()
    .map(|s| expect(*s))
    .collect();
    assert_eq!(distinct.len(), 4);
}

#[test]
fn selection_is_highlighted_and_survives_a_refresh() {
    let mut app = app();
    press(&mut app, "jjj");
    let selected = app.zones.selected_key().unwrap().to_string();
    let backend = render(&mut app, 80, 24);
    let bg = app.settings.theme.get(Slot::Selection).bg.unwrap();
    let buf = backend.buffer();
    // Row 3 of the list: header, tabs, border, column titles, then rows.
    assert_eq!(buf[(2, 7)].bg, bg);
    assert!(buf[(2, 7)].symbol().len() == 1);
    let mut inv = inventory();
    inv.zones.remove(0);
    assert!(app.set_inventory(inv));
    assert_eq!(app.zones.selected_key(), Some(selected.as_str()));
    assert!(
        !app.set_inventory({
            let mut inv = inventory();
            inv.zones.remove(0);
            inv
        }),
        "an identical snapshot changes nothing"
    );
}

#[test]
fn following_a_link_opens_the_dataset() {
    let mut app = app();
    press(&mut app, "/db01");
    key(&mut app, KeyCode::Enter); // keep the filter
    key(&mut app, KeyCode::Enter); // open db01
    let detail = app.detail().unwrap();
    let at = detail
        .lines
        .iter()
        .position(|l| matches!(l, zcon::ui::detail::PageLine::Field(f) if f.key == "disk0" && f.target.is_some()))
        .unwrap();
    for _ in 0..at {
        press(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, zcon::ui::panes::PaneId::Datasets);
    assert_eq!(app.datasets.selected().unwrap().name, "data/db01/data");
}

#[test]
fn mouse_clicks_pick_tabs_and_rows() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    render(&mut app, 100, 30);
    let click = |column, row| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    app.on_mouse(click(4, 7));
    assert_eq!(app.zones.selected_key(), Some("db01"));
    app.on_mouse(click(29, 1));
    assert_eq!(app.focus, zcon::ui::panes::PaneId::Datasets);
}

#[test]
fn confirm_dialog_shows_the_exact_commands() {
    snap("confirm_halt", |app| {
        press(app, "/db01");
        key(app, KeyCode::Enter);
        press(app, "H");
    });
}

fn entry(task: u64, event: zcon::exec::model::Event) -> zcon::exec::model::Entry {
    zcon::exec::model::Entry {
        at: 1_795_000_000_000,
        task,
        event,
    }
}

#[test]
fn the_tasks_pane_lists_the_journal_with_status_colours_and_a_badge() {
    use zcon::exec::journal::Polled;
    use zcon::exec::model::{Event, StepStatus, TaskStatus};
    use zcon::ops::zone::{Lifecycle, ZoneFacts, lifecycle};
    let mut app = app();
    let inv = inventory();
    let plan = |action, zone: &str| {
        lifecycle(action, &ZoneFacts::of(inv.zone(zone).unwrap()), 60).unwrap()
    };
    let queued = |plan| Event::Queued {
        plan,
        depends_on: vec![],
        origin: "cli".into(),
    };
    let ended = |status| Event::Ended {
        status,
        error: None,
    };
    let entries = vec![
        entry(1, queued(plan(Lifecycle::Halt, "db01"))),
        entry(1, Event::Started),
        entry(1, ended(TaskStatus::Succeeded)),
        entry(2, queued(plan(Lifecycle::Reboot, "web01"))),
        entry(2, Event::Started),
        entry(2, ended(TaskStatus::Failed)),
        entry(3, queued(plan(Lifecycle::Shutdown, "web02"))),
        entry(3, Event::Started),
        entry(3, Event::StepStarted { step: 0 }),
        entry(
            3,
            Event::StepEnded {
                step: 0,
                status: StepStatus::Done,
                exit: Some(0),
                error: None,
            },
        ),
        entry(3, Event::StepStarted { step: 1 }),
    ];
    assert!(app.apply_journal(Polled {
        reset: false,
        entries
    }));
    press(&mut app, "2");
    let theme = app.settings.theme.clone();
    let backend = render(&mut app, 160, 45);
    let text: String = {
        let buf = backend.buffer();
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    };
    assert!(text.contains("Tasks (3)"), "{text}");
    assert!(text.contains("100% ██████████"), "{text}");
    assert!(text.contains(" 80% ████████░░"), "{text}");
    assert!(text.contains("Waiting for the zone to halt"), "{text}");
    let last = text.lines().last().unwrap();
    assert!(last.contains("⚙ 1 running"), "{last}");
    let fg = |slot: Slot| theme.get(slot).fg.unwrap();
    assert_eq!(fg_of(&backend, "succeeded "), [fg(Slot::StatusOk)]);
    assert_eq!(fg_of(&backend, "failed "), [fg(Slot::StatusError)]);
    // Newest first; Enter opens the running task's page with its steps.
    key(&mut app, KeyCode::Enter);
    let page = app.detail().unwrap();
    assert_eq!(page.title, "task #3 shutdown web02");
}

#[test]
fn a_zone_awaiting_a_reboot_is_marked_in_the_warning_colour() {
    use zcon::exec::journal::Polled;
    use zcon::exec::model::{Entry, Event, TaskStatus};
    let mut app = app();
    let id = inventory()
        .zone("web01")
        .unwrap()
        .id
        .expect("a running zone's id");
    let mut plan = zcon::ops::Plan::new("modify", "web01");
    plan.pending_reboot = true;
    plan.zone_id = Some(id);
    let at = 1_795_000_000_000;
    let events = [
        Event::Queued {
            plan,
            depends_on: vec![],
            origin: "cli".into(),
        },
        Event::Started,
        Event::Ended {
            status: TaskStatus::Succeeded,
            error: None,
        },
    ];
    let entries = events
        .into_iter()
        .map(|event| Entry { at, task: 1, event })
        .collect();
    app.apply_journal(Polled {
        reset: false,
        entries,
    });
    let backend = render(&mut app, 80, 24);
    let theme = app.settings.theme.clone();
    let warning = theme.get(Slot::StatusWarning).fg.unwrap();
    assert_eq!(fg_of(&backend, "running ↻"), [warning], "web01 only");
    press(&mut app, "/web01");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let page = app.detail().unwrap();
    assert_eq!(page.title, "zone web01");
    let pending = page
        .lines
        .iter()
        .find_map(|l| match l {
            zcon::ui::detail::PageLine::Field(f) if f.key == "pending" => Some(f),
            _ => None,
        })
        .expect("a pending line");
    assert!(
        pending.value.starts_with("reboot: changes of task #1 ("),
        "{}",
        pending.value
    );
    // A boot after the change (outside zcon: the journal has none) gives the zone a new id
    // and takes the mark off.
    let mut inv = inventory();
    inv.zones.iter_mut().find(|z| z.name == "web01").unwrap().id = Some(id + 100);
    app.set_inventory(inv);
    assert!(fg_of(&render(&mut app, 80, 24), "↻").is_empty());
}

/// A console session of a program that prints a boot line and a login prompt, then waits.
fn login_prompt_session() -> zcon::console::Session {
    let argv = [
        "/bin/sh",
        "-c",
        "printf 'OpenBSD 7.6 booting\\r\\nlogin: '; exec sleep 60",
    ]
    .map(String::from);
    let opts = zcon::console::SessionOptions {
        cols: 80,
        rows: 20,
        scrollback: 100,
    };
    let session = zcon::console::Session::spawn(&argv, &[], opts, Box::new(|| {})).unwrap();
    let start = std::time::Instant::now();
    while !session.with_screen(|s| s.contents().contains("login:")) {
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    session
}

#[test]
fn a_locked_console_takes_every_key_but_the_detach_key() {
    use zcon::ui::app::Effect;
    use zcon::ui::sessions::SessionKind;
    let mut app = app();
    app.add_session("obsd01", SessionKind::Console, login_prompt_session());
    assert!(app.console_locked());
    let text = |app: &mut App, w, h| {
        let backend = render(app, w, h);
        let buf = backend.buffer().clone();
        zcon::console::buffer_lines(&buf).join("\n")
    };
    let screen = text(&mut app, 80, 24);
    assert!(screen.contains("obsd01 console · #1"), "{screen}");
    assert!(screen.contains("login:"), "{screen}");
    assert!(screen.contains("<C-]> detaches"), "{screen}");
    // q, : and Tab are the guest's while locked.
    press(&mut app, "q:");
    key(&mut app, KeyCode::Tab);
    assert!(app.take_effects().is_empty());
    assert!(app.console_locked());
    // Ctrl-] (or the Ctrl-5 some terminals report for it) gives the keyboard back.
    app.on_key(KeyEvent::new(KeyCode::Char('5'), KeyModifiers::CONTROL));
    assert!(!app.console_locked());
    let screen = text(&mut app, 80, 24);
    assert!(screen.contains("a attaches"), "{screen}");
    // The list has the keys again; F puts the console on the whole body.
    press(&mut app, "F");
    let screen = text(&mut app, 80, 24);
    assert!(!screen.contains("NAME"), "{screen}");
    press(&mut app, "q");
    assert_eq!(app.take_effects(), [Effect::Quit]);
}
