//! The sim's zlogin as a real process: commands, refusals, logins and the zone console,
//! driven through pipes and through a pseudo-terminal.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use zcon::sim::SimHost;
use zcon::sim::init::{InitOptions, init};
use zcon::sim::zones::{self, ActiveZone};
use zcon::sys::zlogin::{self, Refusal};
use zcon::sys::zoneadm::ZoneState;
use zcon::sys::zonecfg::{Attr, AttrType, ZoneConfig};
use zcon::sys::zoneindex::{IndexEntry, IndexState};

const TIMEOUT: Duration = Duration::from_secs(10);

fn sim() -> (tempfile::TempDir, SimHost) {
    let dir = tempfile::tempdir().unwrap();
    let opts = InitOptions {
        exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_zcon"))),
        ..Default::default()
    };
    let host = init(&dir.path().join("h"), &opts).unwrap();
    (dir, host)
}

fn add_zone(host: &SimHost, name: &str, state: IndexState) {
    add_zone_with(host, name, state, "ipkg", &[]);
}

fn add_zone_with(
    host: &SimHost,
    name: &str,
    state: IndexState,
    brand: &str,
    attrs: &[(&str, &str)],
) {
    let _lock = host.lock_exclusive().unwrap();
    let mut index = zones::load_index(host).unwrap();
    index.entries.push(IndexEntry {
        name: name.into(),
        state,
        zonepath: format!("/zones/{name}"),
        uuid: "6a1c1d5e-1b7a-4c57-9d1e-0c5a3f0e8e11".into(),
    });
    zones::save_index(host, &index).unwrap();
    let cfg = ZoneConfig {
        name: name.into(),
        zonepath: format!("/zones/{name}"),
        brand: brand.into(),
        attrs: attrs
            .iter()
            .map(|(n, v)| Attr {
                name: n.to_string(),
                attr_type: AttrType::String,
                value: v.to_string(),
            })
            .collect(),
        ..Default::default()
    };
    zones::save_config(host, &cfg).unwrap();
}

/// Put the zone in the kernel's running state (boot `count`), or take it out (halted).
fn set_running(host: &SimHost, name: &str, count: Option<u64>) {
    let _lock = host.lock_exclusive().unwrap();
    let mut rt = zones::load_runtime(host).unwrap();
    match count {
        Some(boot_count) => {
            let id = rt.allocate_id();
            rt.zones.insert(
                name.into(),
                ActiveZone {
                    state: ZoneState::Running,
                    id,
                    booted_at: 1_700_000_000,
                    boot_count,
                },
            );
        }
        None => {
            rt.zones.remove(name);
        }
    }
    zones::save_runtime(host, &rt).unwrap();
}

fn running_zone(name: &str) -> (tempfile::TempDir, SimHost) {
    let (dir, host) = sim();
    add_zone(&host, name, IndexState::Installed);
    set_running(&host, name, Some(1));
    (dir, host)
}

fn zone_root(host: &SimHost, name: &str) -> PathBuf {
    host.host_path(&format!("/zones/{name}/root"))
}

fn zlogin(host: &SimHost, args: &[String]) -> Command {
    let mut cmd = Command::new(host.bin_dir().join("zlogin"));
    cmd.args(args).env("ZCON_SIM_SPEED", "0");
    cmd
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// A zlogin process on pipes, its output collected as it comes.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
}

fn collect(mut from: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = from.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

impl Session {
    fn start(mut cmd: Command) -> Session {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = collect(child.stdout.take().unwrap());
        let err = collect(child.stderr.take().unwrap());
        Session {
            stdin: child.stdin.take(),
            child,
            out,
            err,
        }
    }

    fn send(&mut self, bytes: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    fn out(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    fn err(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned()
    }

    /// Wait until stdout contains `needle` (counting from byte `from`); returns where it ends.
    fn wait_for(&self, needle: &str, from: usize) -> usize {
        let start = Instant::now();
        loop {
            let out = self.out();
            if let Some(pos) = out.get(from..).and_then(|rest| rest.find(needle)) {
                return from + pos + needle.len();
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "no {needle:?} in stdout {out:?} (stderr {:?})",
                self.err()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the readers take the last bytes.
                std::thread::sleep(Duration::from_millis(20));
                return status;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "zlogin did not exit; stdout {:?} stderr {:?}",
                self.out(),
                self.err()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_command_runs_in_the_zone_root_and_returns_its_status() {
    let (_d, host) = running_zone("web01");
    let cmd = zlogin::exec("web01", "sh", &["-c", "pwd; cat; echo oops >&2; exit 3"]);
    let mut s = Session::start(zlogin(&host, &cmd.args));
    s.send("from stdin\n");
    drop(s.stdin.take());
    let status = s.wait_exit();
    assert_eq!(status.code(), Some(3), "stderr {:?}", s.err());
    let root = std::fs::canonicalize(zone_root(&host, "web01")).unwrap();
    assert_eq!(s.out(), format!("{}\nfrom stdin\n", root.display()));
    assert_eq!(s.err(), "oops\n");
}

#[test]
fn the_builders_quoting_reaches_the_zone_literally() {
    let (_d, host) = running_zone("web01");
    let tricky = [
        "[%s]\n",
        "a;b",
        "$(touch pwned)",
        "it's",
        "two  words",
        "line\nbreak",
        "",
        "*",
        "`id`",
    ];
    let cmd = zlogin::exec("web01", "printf", &tricky);
    let out = zlogin(&host, &cmd.args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "[a;b]\n[$(touch pwned)]\n[it's]\n[two  words]\n[line\nbreak]\n[]\n[*]\n[`id`]\n"
    );
    let root = zone_root(&host, "web01");
    assert!(!root.join("pwned").exists());

    // The reason for the quoting: zlogin joins its arguments into a string for the zone's
    // shell, so an argument's `;` is interpreted there.
    let naive = strings(&["web01", "echo", "x;touch", "pwned"]);
    let out = zlogin(&host, &naive).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "x\n");
    assert!(
        root.join("pwned").exists(),
        "the naive form ran a second command"
    );
}

#[test]
fn zones_that_cannot_be_logged_into_are_refused() {
    let (_d, host) = sim();
    add_zone(&host, "idle", IndexState::Installed);
    add_zone(&host, "new", IndexState::Configured);
    let cases: [(&[&str], &str, Refusal); 4] = [
        (
            &["idle", "true"],
            "zlogin: login allowed only to running zones (idle is 'installed').\n",
            Refusal::NotRunning {
                zone: "idle".into(),
                state: ZoneState::Installed,
            },
        ),
        (
            &["-C", "new"],
            "zlogin: cannot login to a zone which is 'configured'\n",
            Refusal::NotInstalled {
                state: ZoneState::Configured,
            },
        ),
        (
            &["nosuch"],
            "zlogin: zone 'nosuch' unknown\n",
            Refusal::UnknownZone {
                zone: "nosuch".into(),
            },
        ),
        (
            &["global", "ls"],
            "zlogin: 'zlogin' not applicable to the global zone\n",
            Refusal::GlobalZone,
        ),
    ];
    for (args, stderr, refusal) in cases {
        let out = zlogin(&host, &strings(args)).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(err, stderr);
        assert_eq!(zlogin::parse_refusal(&err), Ok(Some(refusal)));
    }
    let out = zlogin(&host, &strings(&["-d", "idle"])).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "zlogin: -d may only be specified with console login\n\
         usage: zlogin [-dinCEINQS] [-e cmdchar] [-l user] zonename [command [args ...] ]\n"
    );
}

#[test]
fn a_login_without_a_terminal_reads_commands_from_stdin() {
    let (_d, host) = running_zone("web01");
    let mut s = Session::start(zlogin(&host, &strings(&["web01"])));
    s.send("echo \"$PS1\"; exit 4\n");
    drop(s.stdin.take());
    assert_eq!(s.wait_exit().code(), Some(4));
    assert_eq!(s.out(), "root@web01:~# \n");
}

#[test]
fn console_login_runs_a_shell_and_tilde_dot_disconnects() {
    let (_d, host) = running_zone("web01");
    let mut s = Session::start(zlogin(&host, &strings(&["-C", "web01"])));
    let at = s.wait_for("[Connected to zone 'web01' console]\n", 0);
    s.send("\n");
    let at = s.wait_for("\r\nweb01 console login: ", at);
    s.send("root\n");
    let at = s.wait_for("root\r\nPassword: ", at);
    s.send("secret\n");
    let at = s.wait_for("root@web01:~# ", at);
    s.send("echo hello\n");
    let at = s.wait_for("\r\nhello\r\n", at);
    let at = s.wait_for("root@web01:~# ", at);
    // The shell logs out: the login prompt comes back.
    s.send("exit\n");
    let at = s.wait_for("web01 console login: ", at);
    s.send("~.");
    assert_eq!(s.wait_exit().code(), Some(0));
    let out = s.out();
    assert_eq!(
        &out[at..],
        "~.\n[Connection to zone 'web01' console closed]\n"
    );
    assert!(!out.contains("secret"), "the password was echoed: {out:?}");
}

#[test]
fn the_console_shows_the_boot_log_and_the_halt() {
    let (_d, host) = sim();
    add_zone(&host, "web01", IndexState::Installed);
    let mut s = Session::start(zlogin(&host, &strings(&["-C", "web01"])));
    let at = s.wait_for("[Connected to zone 'web01' console]\n", 0);
    set_running(&host, "web01", Some(1));
    let at = s.wait_for("\r\n[NOTICE: Zone booting up]\r\n", at);
    let at = s.wait_for("SunOS Release 5.11 Version", at);
    let at = s.wait_for("Hostname: web01\r\n\r\nweb01 console login: ", at);
    set_running(&host, "web01", None);
    let at = s.wait_for("\r\n[NOTICE: Zone halted]\r\n", at);
    // Boot counts may start over after a halt: a boot is still a boot.
    set_running(&host, "web01", Some(1));
    let at = s.wait_for("[NOTICE: Zone booting up]", at);
    let at = s.wait_for("web01 console login: ", at);
    set_running(&host, "web01", Some(2));
    let at = s.wait_for("\r\n[NOTICE: Zone rebooting]\r\n", at);
    s.wait_for("web01 console login: ", at);
    s.send("~.");
    assert_eq!(s.wait_exit().code(), Some(0));
}

#[test]
fn only_one_console_client_at_a_time() {
    let (_d, host) = running_zone("web01");
    let mut first = Session::start(zlogin(&host, &strings(&["-C", "web01"])));
    first.wait_for("[Connected to zone 'web01' console]\n", 0);
    let out = zlogin(&host, &strings(&["-C", "web01"])).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        format!(
            "zlogin: Zone is already in use by process ID {}.\n",
            first.child.id()
        )
    );
    assert_eq!(
        zlogin::parse_refusal(&err),
        Ok(Some(Refusal::ConsoleInUse {
            pid: first.child.id()
        }))
    );
    assert!(out.stdout.is_empty(), "no banner for a refused client");
    first.send("~.");
    assert_eq!(first.wait_exit().code(), Some(0));
    let next = Session::start(zlogin(&host, &strings(&["-C", "web01"])));
    next.wait_for("[Connected to zone 'web01' console]\n", 0);
}

#[test]
fn dash_d_disconnects_when_the_zone_halts() {
    let (_d, host) = running_zone("web01");
    let mut s = Session::start(zlogin(&host, &strings(&["-C", "-d", "web01"])));
    let at = s.wait_for("[Connected to zone 'web01' console]\n", 0);
    set_running(&host, "web01", None);
    assert_eq!(s.wait_exit().code(), Some(0));
    assert_eq!(
        &s.out()[at..],
        "\r\n[NOTICE: Zone halted.  Disconnecting...]\r\n\n\
         [Connection to zone 'web01' console closed]\n"
    );
}

#[test]
fn dash_e_changes_the_escape_character() {
    let (_d, host) = sim();
    add_zone(&host, "web01", IndexState::Installed);
    let cmd = zlogin::console(
        "web01",
        &zlogin::ConsoleOptions {
            escape: zlogin::Escape::Char(b'#'),
            disconnect_on_halt: false,
        },
    );
    let mut s = Session::start(zlogin(&host, &cmd.args));
    s.wait_for("[Connected to zone 'web01' console]\n", 0);
    // `~.` now goes to the (halted) zone; `#.` disconnects.
    s.send("~.\n#.");
    assert_eq!(s.wait_exit().code(), Some(0));
    assert_eq!(
        s.out(),
        "[Connected to zone 'web01' console]\n#.\n[Connection to zone 'web01' console closed]\n"
    );
}

/// zlogin on a pseudo-terminal, as an operator's ssh session runs it.
struct Terminal {
    master: Box<dyn portable_pty::MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    out: Arc<Mutex<Vec<u8>>>,
}

impl Terminal {
    fn start(host: &SimHost, args: &[&str]) -> Terminal {
        let size = PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).unwrap();
        let mut cmd = CommandBuilder::new(host.bin_dir().join("zlogin"));
        cmd.args(args);
        cmd.env("ZCON_SIM_SPEED", "0");
        cmd.env("TERM", "xterm");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let out = collect(pair.master.try_clone_reader().unwrap());
        let writer = pair.master.take_writer().unwrap();
        Terminal {
            master: pair.master,
            writer,
            child,
            out,
        }
    }

    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_for(&self, needle: &str, from: usize) -> usize {
        let start = Instant::now();
        loop {
            let out = String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned();
            if let Some(pos) = out.get(from..).and_then(|rest| rest.find(needle)) {
                return from + pos + needle.len();
            }
            assert!(start.elapsed() < TIMEOUT, "no {needle:?} in {out:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The terminal's canonical-mode flag (raw mode clears it).
    fn canonical(&self) -> bool {
        let fd = self.master.as_raw_fd().unwrap();
        // SAFETY: the master stays open for the whole borrow.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let t = rustix::termios::tcgetattr(fd).unwrap();
        t.local_modes.contains(rustix::termios::LocalModes::ICANON)
    }

    fn wait_canonical(&self, want: bool) {
        let start = Instant::now();
        while self.canonical() != want {
            assert!(
                start.elapsed() < TIMEOUT,
                "terminal never became canonical={want}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(start.elapsed() < TIMEOUT, "zlogin did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn console_on_a_terminal_is_raw_and_follows_the_window_size() {
    let (_d, host) = running_zone("web01");
    let mut t = Terminal::start(&host, &["-C", "web01"]);
    let at = t.wait_for("[Connected to zone 'web01' console]", 0);
    t.wait_canonical(false);
    t.send("\r");
    let at = t.wait_for("web01 console login: ", at);
    t.send("admin\r");
    let at = t.wait_for("Password: ", at);
    t.send("pw\r");
    let at = t.wait_for("admin@web01:~$ ", at);
    t.master
        .resize(PtySize {
            rows: 40,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    // SIGWINCH reaches zlogin, which resizes the shell's terminal.
    let start = Instant::now();
    let mut at = at;
    loop {
        t.send("stty size\r");
        let next = t.wait_for("admin@web01:~$ ", at);
        let out = String::from_utf8_lossy(&t.out.lock().unwrap()[at..next]).into_owned();
        at = next;
        if out.contains("40 100") {
            break;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "window size never followed: {out:?}"
        );
    }
    t.send("~.");
    t.wait_for("[Connection to zone 'web01' console closed]", at);
    assert_eq!(t.wait_exit(), 0);
    t.wait_canonical(true);
}

#[test]
fn interactive_login_on_a_terminal() {
    let (_d, host) = running_zone("web01");
    let mut t = Terminal::start(&host, &["web01"]);
    let at = t.wait_for("[Connected to zone 'web01' pts/", 0);
    let at = t.wait_for("root@web01:~# ", at);
    t.send("cd /; exit 7\r");
    t.wait_for("[Connection to zone 'web01' pts/", at);
    assert_eq!(t.wait_exit(), 7);
    t.wait_canonical(true);
}

#[test]
fn a_bhyve_console_is_the_guests_serial_port() {
    let (_d, host) = sim();
    let attrs = [
        ("bootrom", "BHYVE_RELEASE"),
        ("bootdisk", "rpool/vm/debian12"),
    ];
    add_zone_with(&host, "vm1", IndexState::Installed, "bhyve", &attrs);
    // Paced like a real guest, 50 times faster.
    let mut cmd = zlogin(&host, &strings(&["-C", "vm1"]));
    cmd.env("ZCON_SIM_SPEED", "0.02");
    let mut s = Session::start(cmd);
    let at = s.wait_for("[Connected to zone 'vm1' console]\n", 0);
    set_running(&host, "vm1", Some(1));
    let at = s.wait_for("[NOTICE: Zone booting up]\r\nBdsDxe: loading Boot0001", at);
    let at = s.wait_for("Debian GNU/Linux 12 vm1 ttyS0\r\n\r\nvm1 login: ", at);
    s.send("root\nx\n");
    let at = s.wait_for("Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY", at);
    s.wait_for("root@vm1:~# ", at);
    s.send("~.");
    assert_eq!(s.wait_exit().code(), Some(0));
}
