//! The create wizard: drawn on ratatui's TestBackend from a demo host (snapshots of two steps
//! at 80×24 and the review at 160×45, the error colour of a wrong field), and end to end —
//! the real binary in a pseudo-terminal on a fresh sim host creates a bhyve zone through
//! the wizard, checked afterwards with the CLI. Every wait is for screen text, with a
//! timeout.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use zcon::host::inventory::{Inventory, Sources};
use zcon::host::{HostConfig, Runner};
use zcon::sim::init::{InitOptions, init};
use zcon::sim::seed::Contents;
use zcon::termdrive::Session;
use zcon::ui::app::App;
use zcon::ui::config::{Settings, Slot};
use zcon::ui::draw::draw;

#[path = "support/tui.rs"]
mod tui;
use tui::{TIMEOUT, console, host, wait_line};

/// A demo host read once: its root (ISOs are listed from it) and its inventory, with the
/// values that differ between installs pinned.
fn demo() -> &'static (PathBuf, Inventory) {
    static DEMO: OnceLock<(PathBuf, Inventory)> = OnceLock::new();
    DEMO.get_or_init(|| {
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
        (host.dir().join("root"), inv)
    })
}

fn app() -> App {
    let (root, inv) = demo();
    let mut app = App::new(Settings::builtin(), None, false);
    app.host_root = root.clone();
    let boot = inv.system.as_ref().and_then(|s| s.boot_time).unwrap();
    app.now = boot + 12 * 86_400 + 3 * 3600;
    app.set_inventory(inv.clone());
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn type_in(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn render(app: &mut App, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    terminal.backend().clone()
}

fn text_of(backend: &TestBackend) -> String {
    let buf = backend.buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// `c`, a name, and on to the step `steps` further.
fn open(app: &mut App, name: &str, steps: usize) {
    type_in(app, "c");
    assert!(app.wizard().is_some(), "c opens the wizard");
    key(app, KeyCode::Tab);
    type_in(app, name);
    for _ in 0..steps {
        key(app, KeyCode::Enter);
    }
}

#[test]
fn wizard_steps_at_80x24() {
    let mut app = app();
    open(&mut app, "web03", 0);
    insta::assert_snapshot!("wizard_basics_80x24", render(&mut app, 80, 24));
    let mut app = self::app();
    open(&mut app, "web03", 4);
    key(&mut app, KeyCode::Char(' ')); // Add a NIC
    insta::assert_snapshot!("wizard_network_80x24", render(&mut app, 80, 24));
}

#[test]
fn wizard_review_at_160x45() {
    let mut app = app();
    open(&mut app, "web03", 1);
    key(&mut app, KeyCode::Tab); // ram
    key(&mut app, KeyCode::Tab); // vcpus
    key(&mut app, KeyCode::Backspace);
    type_in(&mut app, "2");
    key(&mut app, KeyCode::Enter); // boot volume
    key(&mut app, KeyCode::Enter); // disks
    ctrl(&mut app, 'n');
    key(&mut app, KeyCode::Enter); // network
    ctrl(&mut app, 'n');
    for _ in 0..4 {
        key(&mut app, KeyCode::Enter); // CD-ROMs, cloud-init, options, review
    }
    let text = text_of(&render(&mut app, 160, 45));
    assert!(text.contains("step 9 of 9: Review"), "{text}");
    insta::assert_snapshot!("wizard_review_160x45", render(&mut app, 160, 45));
}

#[test]
fn a_wrong_field_says_why_in_the_error_colour() {
    let mut app = app();
    open(&mut app, "web 03!", 0);
    let backend = render(&mut app, 100, 30);
    let error = app.settings.theme.get(Slot::Error).fg.unwrap();
    let buf = backend.buffer();
    let mut found = false;
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        if let Some(at) = line.find("✗ ") {
            let x = line[..at].chars().count() as u16;
            assert!(line.contains("contains ' '"), "{line}");
            assert_eq!(buf[(x, y)].fg, error);
            assert_eq!(buf[(x + 3, y)].fg, error);
            found = true;
            break;
        }
    }
    assert!(found, "no error under the field:\n{}", text_of(&backend));
    // Enter does not go on, and says which field is wrong.
    key(&mut app, KeyCode::Enter);
    assert!(app.wizard().is_some());
    let message = app.message.as_ref().unwrap().text.clone();
    assert!(message.starts_with("Zone name: "), "{message}");
}

#[test]
fn read_only_mode_refuses_the_wizards() {
    let (_, inv) = demo();
    let mut app = App::new(Settings::builtin(), None, true);
    app.set_inventory(inv.clone());
    type_in(&mut app, "c");
    assert!(app.wizard().is_none());
    let message = &app.message.as_ref().unwrap().text;
    assert!(message.contains("read-only mode"), "{message}");
    type_in(&mut app, "e");
    assert!(app.wizard().is_none());
}

fn palette(app: &mut App, line: &str) {
    type_in(app, ":");
    type_in(app, line);
    key(app, KeyCode::Enter);
}

#[test]
fn create_from_a_guide_spec_file_and_edit_from_the_palette() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guide1.json");
    std::fs::write(
        &file,
        r#"{"name": "guide1", "brand": "bhyve", "ram": "2G", "vcpus": "2",
            "source": {"type": "template", "template_dataset": "rpool/templates/debian-12",
                       "clone_strategy": "copy"},
            "boot_volume": {"pool": "rpool", "dataset": "zones", "volume_name": "root"},
            "nics": [{"physical": "guide1_0", "global_nic": "igb0"}]}"#,
    )
    .unwrap();
    let mut app = app();
    palette(&mut app, &format!("create {}", file.display()));
    let w = app.wizard().expect("the wizard opens");
    let spec = w.spec();
    assert_eq!(spec.name, "guide1");
    assert_eq!(spec.attrs["ram"], "2G");
    assert_eq!(
        spec.boot_volume,
        Some(zcon::ops::spec::Volume::Template {
            snapshot: "rpool/templates/debian-12@base".into(),
            dataset: "rpool/zones/guide1/root".into(),
            copy: true,
        }),
        "the template's newest snapshot, copied"
    );
    assert!(!w.changed());
    key(&mut app, KeyCode::Esc);
    assert!(app.wizard().is_none(), "unchanged: Esc closes at once");

    palette(&mut app, "create /nonexistent.json");
    assert!(app.wizard().is_none());
    assert!(app.message.as_ref().unwrap().text.contains("cannot read"));

    palette(&mut app, "edit db01");
    let w = app.wizard().expect("the edit wizard opens");
    assert!(w.is_edit());
    assert_eq!(w.name(), "db01");
    assert_eq!(w.step, zcon::ui::wizard::Step::Resources);
}

#[test]
fn help_lists_the_form_keys_and_a_text_field_takes_printable_keys() {
    let mut app = app();
    type_in(&mut app, "c");
    key(&mut app, KeyCode::Tab);
    type_in(&mut app, "a?s ");
    assert_eq!(app.wizard().unwrap().name(), "a?s ", "typed, not run");
    key(&mut app, KeyCode::F(1));
    let text = text_of(&render(&mut app, 100, 40));
    assert!(text.contains("Help: keys of the wizard"), "{text}");
    assert!(
        text.contains("next_field") && text.contains("add_item"),
        "{text}"
    );
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::BackTab); // the brand: a choice, where ? is help
    type_in(&mut app, "?");
    let text = text_of(&render(&mut app, 100, 40));
    assert!(text.contains("Help: keys of the wizard"), "{text}");
}

fn wait_step(s: &Session, step: &str) {
    s.wait_for(step, TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}\n{}", s.screen_text()));
}

fn sim(host: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(host.join("bin").join(program))
        .args(args)
        .env_remove("ZCON_SIM_SPEED")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn create_a_bhyve_zone_through_the_wizard() {
    let host = host("0.05");
    let mut s = console(&host, 120, 40);
    s.send_key("c").unwrap();
    wait_step(&s, "step 1 of 9: Brand and name");
    s.send_key("<Tab>").unwrap();
    s.type_text("vm7").unwrap();
    s.wait_for("vm7", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    wait_step(&s, "step 2 of 9: Resources");
    // Zone path, then memory: typed over the default.
    s.send_keys("<Tab><Backspace><Backspace>1G<Tab><Backspace>2")
        .unwrap();
    s.send_key("<Enter>").unwrap();
    wait_step(&s, "step 3 of 9: Boot volume");
    // Kind (new), pool, parent, name, then the size.
    s.send_keys("<Tab><Tab><Tab><Tab><Backspace><Backspace><Backspace>10G")
        .unwrap();
    s.wait_for("10G", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    wait_step(&s, "step 4 of 9: Disks");
    s.send_key("<Space>").unwrap();
    s.wait_for("Disk 1", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    wait_step(&s, "step 5 of 9: Network");
    s.send_key("<Space>").unwrap();
    s.wait_for("NIC 1", TIMEOUT).unwrap();
    s.wait_for("igb0", TIMEOUT).unwrap();
    for step in ["6 of 9: CD-ROMs", "7 of 9: Cloud-init", "8 of 9: Options"] {
        s.send_key("<Enter>").unwrap();
        wait_step(&s, &format!("step {step}"));
    }
    s.send_key("<Enter>").unwrap();
    wait_step(&s, "step 9 of 9: Review");
    s.wait_for("No problems", TIMEOUT).unwrap();
    s.wait_for("-V 10G data/zones/vm7/root", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("create vm7: task #1 queued", TIMEOUT).unwrap();
    wait_line(&s, "vm7", "installed");

    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args(["--sim", host.sim.to_str().unwrap(), "zone", "export", "vm7"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(spec["brand"], "bhyve");
    assert_eq!(spec["attrs"]["ram"], "1G");
    assert_eq!(spec["attrs"]["vcpus"], "2");
    assert_eq!(spec["boot_volume"]["dataset"], "data/zones/vm7/root");
    assert_eq!(spec["disks"].as_array().unwrap().len(), 1);
    assert_eq!(spec["disks"][0]["dataset"], "data/zones/vm7/disk0");
    assert_eq!(spec["nics"][0]["physical"], "vm7_0");
    assert_eq!(spec["nics"][0]["global_nic"], "igb0");
    let volsize = sim(
        &host.sim,
        "zfs",
        &[
            "get",
            "-Hp",
            "-o",
            "value",
            "volsize",
            "data/zones/vm7/root",
        ],
    );
    assert_eq!(volsize.trim(), (10u64 << 30).to_string());
    let disk = sim(
        &host.sim,
        "zfs",
        &[
            "get",
            "-Hp",
            "-o",
            "value",
            "volsize",
            "data/zones/vm7/disk0",
        ],
    );
    assert_eq!(disk.trim(), (10u64 << 30).to_string());
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn edit_a_zone_through_the_wizard() {
    let host = host("0.05");
    let mut s = console(&host, 120, 40);
    s.send_keys("/obsd01").unwrap();
    s.wait_for("/obsd01", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    wait_line(&s, "obsd01", "installed");
    s.send_key("e").unwrap();
    wait_step(&s, "Edit zone obsd01 · step 1 of 8: Resources");
    // The zonepath is fixed: the focus starts on the memory; then the vCPUs.
    s.send_keys("<Tab><Backspace>2").unwrap();
    for _ in 0..7 {
        s.send_key("<Enter>").unwrap();
    }
    wait_step(&s, "step 8 of 8: Review");
    s.wait_for("Changes", TIMEOUT).unwrap();
    s.wait_for("select attr name=\"vcpus\"", TIMEOUT).unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("modify obsd01: task #1 queued", TIMEOUT)
        .unwrap();
    // The row shows the new vCPUs once the task has run (the success message may come and
    // go before a slow machine draws it).
    wait_line(&s, "obsd01", "2");
    let out = Command::new(env!("CARGO_BIN_EXE_zcon"))
        .args([
            "--sim",
            host.sim.to_str().unwrap(),
            "zone",
            "export",
            "obsd01",
        ])
        .output()
        .unwrap();
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(spec["attrs"]["vcpus"], "2");
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let host = host("0.05");
    let mut s = console(&host, 120, 40);
    s.send_key("c").unwrap();
    wait_step(&s, "step 1 of 9");
    s.send_key("<Tab>").unwrap();
    s.type_text("gone1").unwrap();
    s.wait_for("gone1", TIMEOUT).unwrap();
    s.send_key("<Esc>").unwrap();
    s.wait_for("Discard the changes?", TIMEOUT).unwrap();
    // Keep editing has the focus: Enter keeps the form.
    s.send_key("<Enter>").unwrap();
    s.wait_gone("Discard the changes?", TIMEOUT).unwrap();
    assert!(s.screen_text().contains("gone1"));
    s.send_key("<Esc>").unwrap();
    s.wait_for("Discard the changes?", TIMEOUT).unwrap();
    s.send_key("<Tab>").unwrap();
    s.send_key("<Enter>").unwrap();
    s.wait_for("changes discarded", TIMEOUT).unwrap();
    s.wait_gone("step 1 of 9", TIMEOUT).unwrap();
    // An untouched wizard closes without a question.
    s.send_key("c").unwrap();
    wait_step(&s, "step 1 of 9");
    s.send_key("<Esc>").unwrap();
    s.wait_gone("step 1 of 9", TIMEOUT).unwrap();
    s.send_key("q").unwrap();
    s.wait_exit(TIMEOUT).unwrap();
}
