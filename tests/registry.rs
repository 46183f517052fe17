//! The numbering registry under contention and faults: threads, processes, a killed process.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use wenshu::number::registry::{DocRecord, Registry};

const P: &str = "{prefix}〔{year}〕{seq}号";

fn wenshu(registry: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--registry").arg(registry);
    c
}

fn seqs(registry: &Path) -> Vec<u32> {
    let r = Registry::open(registry).expect("open");
    r.entries("发文", Some(2026))
        .expect("entries")
        .iter()
        .map(|e| e.seq)
        .collect()
}

#[test]
fn a_hundred_requests_from_four_processes_are_distinct_and_gap_free() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    Registry::open(&db).expect("create");
    let children: Vec<_> = (0..4)
        .map(|p| {
            wenshu(&db)
                .args([
                    "number",
                    "reserve",
                    "--prefix",
                    "仁府办发",
                    "--year",
                    "2026",
                    "--count",
                    "25",
                    "--key",
                ])
                .arg(format!("proc{p}"))
                .stdout(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut all = Vec::new();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        all.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_owned),
        );
    }
    assert_eq!(all.len(), 100);
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!(distinct.len(), 100, "no number issued twice");
    let mut s = seqs(&db);
    s.sort_unstable();
    assert_eq!(s, (1..=100).collect::<Vec<u32>>(), "gap-free");
    let audit = Registry::open(&db).expect("open").audit(7).expect("audit");
    assert!(audit.gaps.is_empty());
}

#[test]
fn threads_with_their_own_connections_never_share_a_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    Registry::open(&db).expect("create");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut r = Registry::open(&db).expect("open");
                (0..25)
                    .map(|i| {
                        r.reserve("发文", "仁府办发", 2026, &format!("t{t}-{i}"), P)
                            .expect("reserve")
                            .seq
                    })
                    .collect::<Vec<u32>>()
            })
        })
        .collect();
    let mut all: Vec<u32> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=200).collect::<Vec<u32>>());
}

#[test]
fn a_killed_process_loses_nothing_and_numbering_continues() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    Registry::open(&db).expect("create");
    let mut child = wenshu(&db)
        .args([
            "number",
            "reserve",
            "--prefix",
            "仁府办发",
            "--year",
            "2026",
            "--count",
            "100000",
            "--key",
            "bulk",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    // Let it issue some numbers, then kill it mid-stream.
    let start = std::time::Instant::now();
    while seqs(&db).len() < 20 && start.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let before = seqs(&db);
    assert!(before.len() >= 20);
    let mut r = Registry::open(&db).expect("reopen after the kill");
    let audit = r.audit(7).expect("audit");
    assert!(audit.gaps.is_empty(), "{:?}", audit.gaps);
    let next = r
        .reserve("发文", "仁府办发", 2026, "after", P)
        .expect("reserve");
    assert_eq!(
        next.seq as usize,
        before.len() + 1,
        "continues right after the last number on record"
    );
    // The reservations the killed process made are visible, and can be committed or voided.
    assert_eq!(audit.counts.0, before.len());
    r.commit("发文", "bulk-1", &DocRecord::default())
        .expect("commit");
    r.void("发文", "仁府办发〔2026〕2号", "进程中断，未生成文档")
        .expect("void");
    let audit = r.audit(0).expect("audit");
    assert_eq!(audit.counts.1, 1);
    assert_eq!(audit.counts.2, 1);
    assert_eq!(
        audit.stale.len(),
        before.len() - 1,
        "the rest are reported as stale with --days 0"
    );
}

#[test]
fn cli_void_list_audit_and_backup() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let out = wenshu(&db)
        .args([
            "number",
            "reserve",
            "--prefix",
            "仁卫发",
            "--year",
            "2026",
            "--key",
            "a",
        ])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "仁卫发〔2026〕1号"
    );
    assert!(
        wenshu(&db)
            .args([
                "number",
                "void",
                "仁卫发〔2026〕1号",
                "--reason",
                "重复发文"
            ])
            .status()
            .expect("run")
            .success()
    );
    let list = wenshu(&db).args(["number", "list"]).output().expect("run");
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("仁卫发〔2026〕1号\t作废") && text.contains("重复发文"),
        "{text}"
    );
    let again = wenshu(&db)
        .args([
            "number",
            "reserve",
            "--prefix",
            "仁卫发",
            "--year",
            "2026",
            "--key",
            "b",
        ])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        "仁卫发〔2026〕2号",
        "voided numbers are not reissued"
    );
    let audit = wenshu(&db)
        .args(["number", "audit", "--days", "0"])
        .output()
        .expect("run");
    assert_eq!(
        audit.status.code(),
        Some(1),
        "a reservation older than 0 days is reported"
    );
    let backup = dir.path().join("b.sqlite");
    assert!(
        wenshu(&db)
            .args(["number", "backup"])
            .arg(&backup)
            .status()
            .expect("run")
            .success()
    );
    assert_eq!(
        Registry::open(&backup)
            .expect("backup opens")
            .entries("", None)
            .expect("entries")
            .len(),
        2
    );
}
