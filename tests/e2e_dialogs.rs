//! End to end: the real binary in a real X server (Xvfb), driven by keyboard through
//! xdotool, saving and opening a case through the real native file dialog. With no desktop
//! portal (as under Xvfb) rfd falls back to zenity, a GTK file chooser, which xdotool drives
//! too.
//!
//! Needs Xvfb, zenity and xdotool (and ImageMagick's `import` for screenshots). Without
//! them the test is skipped, unless `CI=true`, where it fails. Everything runs in a temporary
//! folder under the target dir, kept when the test fails, with screenshots and the app's log.
#![cfg(feature = "gui")]
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use precursor_desk::case_file;

const APP: &str = env!("CARGO_BIN_EXE_precursor-desk");
const NEEDED_TOOLS: &[&str] = &["Xvfb", "zenity", "xdotool"];
const DISPLAYS: std::ops::RangeInclusive<u32> = 91..=99;

/// A debug build on a busy 2-core machine can take a while to show its first frame.
const WINDOW_TIMEOUT: Duration = Duration::from_secs(90);
const DIALOG_TIMEOUT: Duration = Duration::from_secs(30);
const CHANGE_TIMEOUT: Duration = Duration::from_secs(20);
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
/// Time for egui to run a frame after a key (and for GTK to take a key).
const AFTER_KEY: Duration = Duration::from_millis(250);
/// What the app's log says when the X server refused its connection (winit's words).
const X_CONNECTION_REFUSED: &str = "Failed to open connection to X server";
/// Starts of the app before a refused connection fails the test.
const APP_STARTS: usize = 3;

/// One session at a time: two debug windows, two X servers and their zenity on a 2-core
/// machine slow each other down until typed keys arrive before the field has the focus.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

const SAVED_TITLE: &str = "e2e-case.ron - Precursor Desk";
const UNTITLED_TITLE: &str = "Untitled case - Precursor Desk";
const UNSAVED_MARK: &str = "● ";

fn find_in_path(tool: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(tool))
        .find(|path| path.is_file())
}

/// Runs a command to its end, killing it if it takes longer than `timeout`.
fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<Output, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{command:?} took longer than {timeout:?}"));
            }
            Err(e) => return Err(format!("waiting for {command:?}: {e}")),
        }
    }
    child
        .wait_with_output()
        .map_err(|e| format!("reading the output of {command:?}: {e}"))
}

/// Starts Xvfb on the first free display of `DISPLAYS`. `-displayfd` makes the server write
/// its display number once it accepts connections, so the number read back is our own
/// server's (a display taken meanwhile makes Xvfb exit without writing it).
fn start_xvfb(dir: &Path) -> Result<(Child, String), String> {
    let mut tried = Vec::new();
    for n in DISPLAYS {
        // A display in use makes Xvfb exit at once ("Server is already active").
        let log = File::create(dir.join(format!("xvfb-{n}.log"))).map_err(|e| e.to_string())?;
        let mut child = Command::new("Xvfb")
            .arg(format!(":{n}"))
            .args([
                "-screen",
                "0",
                "1440x900x24",
                "-nolisten",
                "tcp",
                "-displayfd",
                "1",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start Xvfb: {e}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.trim() == n.to_string() => return Ok((child, format!(":{n}"))),
            other => {
                tried.push(format!(":{n} ({other:?})"));
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
    Err(format!(
        "no display in {DISPLAYS:?} could be started (tried: {tried:?}); see the xvfb-*.log files in {}",
        dir.display()
    ))
}

/// Stops a child (`target`: its pid, or minus its process group id) with SIGTERM, then
/// SIGKILL if it is still there after a few seconds, and reaps it.
fn terminate(child: &mut Child, target: &str) {
    for signal in ["-TERM", "-KILL"] {
        let _ = run_with_timeout(
            Command::new("kill").args([signal, "--", target]),
            Duration::from_secs(5),
        );
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The X server, the app and the temporary folder. Dropping it stops the app (with the
/// zenity it started: the app leads its own process group) and the X server, even when a
/// check failed; the folder is kept after a failure, for its screenshots and logs.
struct Session {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
    display: String,
    xvfb: Option<Child>,
    app: Option<Child>,
    window: String,
}

impl Session {
    fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("e2e-dialogs-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a temporary folder");
        let path = dir.path().to_owned();
        let mut session = Session {
            dir: Some(dir),
            path,
            display: String::new(),
            xvfb: None,
            app: None,
            window: String::new(),
        };
        match start_xvfb(&session.path) {
            Ok((xvfb, display)) => {
                session.xvfb = Some(xvfb);
                session.display = display;
            }
            Err(error) => session.fail(&error),
        }
        session.start_app();
        session
    }

    fn start_app(&mut self) {
        let home = self.path.join("home");
        let runtime = self.path.join("runtime");
        for dir in [&home, &runtime] {
            std::fs::create_dir_all(dir).expect("a folder in the temporary folder");
        }
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
            .expect("a private runtime folder");
        for start in 1..=APP_STARTS {
            let log = File::create(self.path.join("app.log")).expect("the app log");
            let spawned = self
                .in_session(&mut Command::new(APP))
                .current_dir(&self.path)
                .env("RUST_BACKTRACE", "1")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("the app log"))
                .stderr(log)
                // Its own process group, so that the zenity it starts is stopped with it.
                .process_group(0)
                .spawn();
            match spawned {
                Ok(app) => self.app = Some(app),
                Err(error) => self.fail(&format!("cannot start {APP}: {error}")),
            }
            match self.wait_for_window() {
                Some(window) => {
                    self.window = window;
                    return;
                }
                None if start < APP_STARTS => {
                    println!(
                        "e2e: the X server on {} refused the app's connection; starting the app again",
                        self.display
                    );
                    std::thread::sleep(Duration::from_millis(500));
                }
                None => self.fail(&format!(
                    "the X server refused the app's connection {APP_STARTS} times"
                )),
            }
        }
    }

    /// The app's window, or `None` if the app exited because the X server refused its
    /// connection (Xvfb on a busy machine does now and then, right after saying it is
    /// ready; the start-up bench meets the same). Any other exit fails the test.
    fn wait_for_window(&mut self) -> Option<String> {
        let start = Instant::now();
        loop {
            if let Some(window) = self
                .xdotool(&["search", "--onlyvisible", "--name", "Precursor Desk"])
                .ok()
                .and_then(|out| out.lines().next().map(str::to_owned))
            {
                return Some(window);
            }
            if let Some(Ok(Some(status))) = self.app.as_mut().map(Child::try_wait) {
                let log = std::fs::read_to_string(self.path.join("app.log")).unwrap_or_default();
                if log.contains(X_CONNECTION_REFUSED) {
                    self.app = None;
                    return None;
                }
                self.fail(&format!(
                    "the app exited ({status}) while waiting for the app's window"
                ));
            }
            if start.elapsed() > WINDOW_TIMEOUT {
                self.fail(&format!(
                    "timed out after {WINDOW_TIMEOUT:?} waiting for the app's window"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The command with the session's display and its own home, config, data and runtime
    /// folders (so the app's rule packs folder is `home/.config/precursor-desk/packs`).
    fn in_session<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        let home = self.path.join("home");
        command
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("GTK_USE_PORTAL")
            .env("DISPLAY", &self.display)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_RUNTIME_DIR", self.path.join("runtime"))
            // No session bus: rfd finds no portal at once and falls back to zenity.
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
            .env("NO_AT_BRIDGE", "1")
            .env("GDK_BACKEND", "x11")
    }

    fn xdotool(&self, args: &[&str]) -> Result<String, String> {
        let output = run_with_timeout(
            Command::new("xdotool")
                .args(args)
                .env("DISPLAY", &self.display),
            COMMAND_TIMEOUT,
        )?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(format!(
                "xdotool {args:?}: {}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    fn must(&mut self, args: &[&str]) -> String {
        match self.xdotool(args) {
            Ok(out) => out,
            Err(error) => self.fail(&error),
        }
    }

    fn screenshot(&self, name: &str) -> String {
        let file = self.path.join(name);
        let taken = run_with_timeout(
            Command::new("import")
                .args(["-window", "root"])
                .arg(&file)
                .env("DISPLAY", &self.display),
            COMMAND_TIMEOUT,
        );
        match taken {
            Ok(output) if output.status.success() => file.display().to_string(),
            Ok(output) => format!(
                "(no screenshot: import {}: {})",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            Err(error) => format!("(no screenshot: {error})"),
        }
    }

    /// Fails the test with a screenshot of the screen and the end of the app's log.
    fn fail(&mut self, message: &str) -> ! {
        let screenshot = if self.display.is_empty() {
            "(no display)".to_owned()
        } else {
            self.screenshot("failure.png")
        };
        let log = std::fs::read_to_string(self.path.join("app.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "{message}\n  screenshot: {screenshot}\n  folder (kept): {}\n  app log (end):\n{}",
            self.path.display(),
            tail.join("\n")
        );
    }

    /// Polls `probe` until it gives a value; fails after `timeout` or if the app exits.
    fn wait_for<T>(
        &mut self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut(&mut Self) -> Option<T>,
    ) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = probe(self) {
                return value;
            }
            if let Some(Ok(Some(status))) = self.app.as_mut().map(Child::try_wait) {
                self.fail(&format!(
                    "the app exited ({status}) while waiting for {what}"
                ));
            }
            if start.elapsed() > timeout {
                self.fail(&format!("timed out after {timeout:?} waiting for {what}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn title(&self) -> String {
        self.xdotool(&["getwindowname", &self.window])
            .unwrap_or_else(|e| format!("(cannot read the title: {e})"))
    }

    fn wait_title(&mut self, what: &str, ok: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let title = self.title();
            if ok(&title) {
                return;
            }
            if start.elapsed() > CHANGE_TIMEOUT {
                self.fail(&format!(
                    "the window title should be {what} within {CHANGE_TIMEOUT:?}; it is {title:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn focus_app(&mut self) {
        let window = self.window.clone();
        self.must(&["windowfocus", "--sync", &window]);
        std::thread::sleep(AFTER_KEY);
    }

    fn key(&mut self, keys: &str) {
        self.must(&["key", "--delay", "80", keys]);
        std::thread::sleep(AFTER_KEY);
    }

    fn type_text(&mut self, text: &str) {
        self.must(&["type", "--delay", "40", text]);
        std::thread::sleep(AFTER_KEY);
    }

    fn zenity_window(&self) -> Option<String> {
        self.xdotool(&["search", "--onlyvisible", "--class", "zenity"])
            .ok()
            .and_then(|out| out.lines().next().map(str::to_owned))
    }

    /// Answers the zenity file chooser that is (about to be) on screen with `path`.
    fn answer_dialog(&mut self, path: &Path, save: bool) {
        let kind = if save { "save" } else { "open" };
        self.focus_dialog(kind);
        if save {
            // The Name field has the focus, with the default name in it.
            self.key("ctrl+a");
        } else {
            // The location field.
            self.key("ctrl+l");
        }
        self.type_text(&path.display().to_string());
        self.key("Return");
        self.wait_dialog_closed(kind);
    }

    /// Answers the save dialog as an officer does: typing a name straight over what GTK
    /// selected of the proposed one (its stem, not its extension).
    fn type_over_proposed_name(&mut self, name: &str) {
        self.focus_dialog("save");
        self.type_text(name);
        self.key("Return");
        self.wait_dialog_closed("save");
    }

    fn focus_dialog(&mut self, kind: &str) {
        let dialog = self.wait_for(
            &format!("the native {kind} dialog (zenity)"),
            DIALOG_TIMEOUT,
            |s| s.zenity_window(),
        );
        self.must(&["windowfocus", "--sync", &dialog]);
        // GTK finishes setting the chooser up after it is mapped.
        std::thread::sleep(Duration::from_millis(700));
    }

    fn wait_dialog_closed(&mut self, kind: &str) {
        self.wait_for(
            &format!("the {kind} dialog to close"),
            DIALOG_TIMEOUT,
            |s| s.zenity_window().is_none().then_some(()),
        );
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(mut app) = self.app.take() {
            // The whole group: the app and any zenity it started.
            let group = format!("-{}", app.id());
            terminate(&mut app, &group);
            // Whatever of the group outlived the app.
            let _ = run_with_timeout(
                Command::new("kill").args(["-KILL", "--", &group]),
                Duration::from_secs(5),
            );
        }
        if let Some(mut xvfb) = self.xvfb.take() {
            // SIGTERM lets the server remove its lock file and socket.
            let pid = xvfb.id().to_string();
            terminate(&mut xvfb, &pid);
        }
        if std::thread::panicking()
            && let Some(dir) = self.dir.as_mut()
        {
            dir.disable_cleanup(true);
            eprintln!("e2e: kept {} for inspection", self.path.display());
        }
    }
}

/// Whether the tools are here; `false` (with a note) to skip, a panic on CI.
fn tools_present() -> bool {
    let missing: Vec<&str> = NEEDED_TOOLS
        .iter()
        .copied()
        .filter(|tool| find_in_path(tool).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let why = format!(
        "missing {} (install xvfb, zenity and xdotool)",
        missing.join(", ")
    );
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the e2e dialog test cannot run on CI: {why}"
    );
    println!("e2e_dialogs: skipped, {why}");
    false
}

#[test]
fn save_as_and_open_through_the_native_dialog() {
    if !tools_present() {
        return;
    }
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let started = Instant::now();
    let mut s = Session::start();
    s.wait_title(&format!("{UNTITLED_TITLE:?}"), |t| t == UNTITLED_TITLE);
    println!(
        "e2e: window up on {} after {:?}",
        s.display,
        started.elapsed()
    );

    // A shipment, by keyboard: two lines from the catalogue search.
    s.focus_app();
    s.key("ctrl+f");
    s.type_text("npp");
    s.key("Return");
    s.wait_title("marked unsaved after adding npp", |t| {
        t == format!("{UNSAVED_MARK}{UNTITLED_TITLE}")
    });
    s.key("ctrl+f");
    s.key("ctrl+a");
    s.type_text("acetone");
    s.key("Return");
    let title = s.title();
    if !title.starts_with(UNSAVED_MARK) {
        s.fail(&format!("the title should mark unsaved changes: {title:?}"));
    }

    println!("e2e: shipment typed after {:?}", started.elapsed());

    // Save As, through the native dialog.
    let case = s.path.join("e2e-case.ron");
    s.key("ctrl+shift+s");
    s.answer_dialog(&case, true);
    let opened = s.wait_for("the saved case file", CHANGE_TIMEOUT, |_| {
        case_file::open(&case).ok()
    });
    let chemicals: Vec<&str> = opened
        .file
        .case
        .shipment
        .lines
        .iter()
        .map(|line| line.chemical.as_str())
        .collect();
    if opened.tampered || chemicals != ["N-phenethyl-4-piperidone", "acetone"] {
        let message = format!(
            "the saved case should hold the lines NPP (by name) and acetone and not be tampered; \
             it holds {chemicals:?}, tampered: {}",
            opened.tampered
        );
        s.fail(&message);
    }
    s.wait_title(&format!("{SAVED_TITLE:?}"), |t| t == SAVED_TITLE);

    println!(
        "e2e: saved through the dialog after {:?}",
        started.elapsed()
    );

    // Save As again, typing a name with its extension over the proposed one: GTK keeps the
    // proposed extension after what was typed, and the app takes the name as meant.
    s.focus_app();
    s.key("ctrl+shift+s");
    s.type_over_proposed_name("renamed.ron");
    let renamed = s.path.join("renamed.ron");
    s.wait_for("the case saved as renamed.ron", CHANGE_TIMEOUT, |_| {
        renamed.is_file().then_some(())
    });
    if s.path.join("renamed.ron.ron").exists() {
        s.fail("the typed extension was doubled: renamed.ron.ron");
    }
    s.wait_title("the renamed case", |t| t.starts_with("renamed.ron"));

    // A new case (no unsaved changes, so no question), then Open through the native dialog.
    s.focus_app();
    s.key("ctrl+n");
    s.wait_title(&format!("{UNTITLED_TITLE:?}"), |t| t == UNTITLED_TITLE);
    s.key("ctrl+o");
    s.answer_dialog(&case, false);
    s.wait_title(&format!("{SAVED_TITLE:?} after opening"), |t| {
        t == SAVED_TITLE
    });

    let screenshot = s.screenshot("final.png");
    let last = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e_dialogs-final.png");
    let _ = std::fs::copy(&screenshot, &last);
    println!(
        "e2e: passed in {:?}; last screenshot: {}",
        started.elapsed(),
        last.display()
    );
}

/// A pack naming acetone on China's Part I list (test content, not rule content).
const ANNEX: &str = "#![enable(implicit_some)]\nPack(pack: (id: \"e2e-annex\", version: \"1\", title: \"E2E annex\"),
    listings: [(chemical: \"acetone\", list: \"CN-specific-partI\", period: (from: \"2025-11-10\"),
        citation: (instrument: \"e2e test annex\", confidence: unverified))])";

#[test]
fn import_a_rule_pack_through_the_native_dialog() {
    if !tools_present() {
        return;
    }
    let _one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let started = Instant::now();
    let mut s = Session::start();
    s.wait_title(&format!("{UNTITLED_TITLE:?}"), |t| t == UNTITLED_TITLE);
    let downloads = s.path.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let pack = downloads.join("e2e-annex.ron");
    std::fs::write(&pack, ANNEX).unwrap();

    // Data → Import a rule pack…, by its shortcut, then the native dialog.
    s.focus_app();
    s.key("ctrl+shift+i");
    s.answer_dialog(&pack, false);
    let installed = s
        .path
        .join("home/.config/precursor-desk/packs/e2e-annex.ron");
    s.wait_for(
        "the pack copied into the user pack folder",
        CHANGE_TIMEOUT,
        |_| installed.is_file().then_some(()),
    );
    if std::fs::read_to_string(&installed).ok().as_deref() != Some(ANNEX) {
        s.fail("the imported pack should be a copy of the file picked");
    }

    // Listed: the same folders give the content in use with the pack's listing in it.
    let mut diff = Command::new(APP);
    s.in_session(&mut diff)
        .args(["data", "diff", "--effective"]);
    let listed = run_with_timeout(&mut diff, COMMAND_TIMEOUT)
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned());
    match listed {
        Ok(text) if text.contains("+ listing \"acetone\" on \"CN-specific-partI\"") => {}
        other => s.fail(&format!("the imported pack should be in use: {other:?}")),
    }
    let screenshot = s.screenshot("imported.png");
    let last = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e_dialogs-imported.png");
    let _ = std::fs::copy(&screenshot, &last);
    println!(
        "e2e: pack imported in {:?}; last screenshot: {}",
        started.elapsed(),
        last.display()
    );
}
