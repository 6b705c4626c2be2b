//! The server binary as an operator runs it: start-up failures and graceful shutdown.
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_server");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

#[test]
fn a_bad_configuration_value_stops_start_up_naming_the_setting() {
    let data = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .arg("serve")
        .env("TIANPING_DATA_DIR", data.path())
        .env("TIANPING_KIOSK_IDLE_SECS", "five")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("TIANPING_KIOSK_IDLE_SECS") && stderr.contains("whole number"), "{stderr}");
}

#[test]
fn an_unwritable_data_directory_stops_start_up_saying_what_to_fix() {
    let file = tempfile::NamedTempFile::new().expect("file");
    let out = Command::new(BIN)
        .arg("serve")
        .env("TIANPING_DATA_DIR", file.path().join("data"))
        .env("TIANPING_ADDR", format!("127.0.0.1:{}", free_port()))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TIANPING_DATA_DIR"));
}

#[test]
fn sigterm_lets_the_server_finish_and_exit_cleanly() {
    let data = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("TIANPING_DATA_DIR", data.path())
        .env("TIANPING_ADDR", format!("127.0.0.1:{port}"))
        .env("TIANPING_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "server still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn kiosk_link_prints_only_the_link_on_stdout() {
    let data = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .args(["kiosk-link", "--device", "lobby-1"])
        .env("TIANPING_DATA_DIR", data.path())
        .env("TIANPING_PUBLIC_URL", "https://court.example.cn")
        .output()
        .expect("run");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.trim().starts_with("https://court.example.cn/kiosk/enrol?device=lobby-1&sig="), "{stdout}");
    assert_eq!(stdout.trim().lines().count(), 1);
    // The generated secret is kept, so the same device gets the same link next time.
    let again = Command::new(BIN)
        .args(["kiosk-link", "--device", "lobby-1"])
        .env("TIANPING_DATA_DIR", data.path())
        .env("TIANPING_PUBLIC_URL", "https://court.example.cn")
        .output()
        .expect("run");
    assert_eq!(again.stdout, out.stdout);
}
