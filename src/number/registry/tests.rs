//! The issuing rules, on a SQLite file (the PostgreSQL backend runs the same logic; the
//! integration tests in `tests/registry.rs` run it against a real server).

use super::*;

const P: &str = "{prefix}〔{year}〕{seq}号";

fn open() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().expect("tmp");
    let r = Registry::open(&dir.path().join("r.sqlite")).expect("open");
    (dir, r)
}

fn notice(title: &str, date: &str) -> Identity {
    Identity::new(title, date)
}

#[test]
fn reserve_commit_void_and_rerender() {
    let (_dir, mut r) = open();
    let a = r.reserve("发文", "仁府办发", 2026, "a", P).unwrap();
    assert_eq!(
        (a.number.as_str(), a.seq, a.fresh),
        ("仁府办发〔2026〕1号", 1, true)
    );
    let again = r.reserve("发文", "仁府办发", 2026, "a", P).unwrap();
    assert_eq!((again.seq, again.fresh), (1, false));
    let b = r.reserve("发文", "仁府办发", 2026, "b", P).unwrap();
    assert_eq!(b.seq, 2);
    r.void("发文", &b.number, "标题错误").unwrap();
    let c = r.reserve("发文", "仁府办发", 2026, "c", P).unwrap();
    assert_eq!(c.seq, 3, "a voided number is never reissued");
    assert_eq!(
        r.reserve("发文", "仁府办发", 2027, "d", P).unwrap().seq,
        1,
        "new year, new sequence"
    );
    r.commit(
        "发文",
        "a",
        &DocRecord {
            title: "关于…的通知".into(),
            ..DocRecord::default()
        },
    )
    .unwrap();
    let audit = r.audit(0).unwrap();
    assert!(audit.gaps.is_empty());
    assert_eq!(audit.counts, (2, 1, 1));
    assert!(matches!(
        r.claim("发文", "仁府办发", 2026, 3, "x", P),
        Err(RegistryError::Taken { .. })
    ));
    assert!(matches!(
        r.claim("发文", "仁府办发", 2026, 9, "x", P),
        Err(RegistryError::OutOfSequence { expected: 4, .. })
    ));
    assert_eq!(
        r.claim("发文", "仁府办发", 2026, 4, "x", P).unwrap().number,
        "仁府办发〔2026〕4号"
    );
}

#[test]
fn a_voided_number_is_never_claimed_committed_or_given_back_to_its_document() {
    let (_dir, mut r) = open();
    let id = notice("关于开展安全检查的通知", "2026年3月2日");
    let first = r
        .reserve_for(
            "发文",
            "仁府办发",
            2026,
            "doc.toml",
            &id,
            OnChange::Refuse,
            P,
        )
        .unwrap();
    r.void("发文", &first.number, "标题有误").unwrap();
    // The same document comes back: it gets a new number, not the voided one.
    let second = r
        .reserve_for(
            "发文",
            "仁府办发",
            2026,
            "doc.toml",
            &id,
            OnChange::Refuse,
            P,
        )
        .unwrap();
    assert_eq!((second.seq, second.fresh), (2, true));
    // Committing under the voided reservation is impossible; the live one commits.
    assert_eq!(
        r.commit("发文", "doc.toml", &DocRecord::default()).unwrap(),
        second.number
    );
    // A typed voided number is refused, whoever asks.
    for key in ["doc.toml", "other.toml"] {
        assert!(matches!(
            r.claim_for("发文", "仁府办发", 2026, 1, key, &id, OnChange::Refuse, P),
            Err(RegistryError::Voided { .. })
        ));
    }
}

#[test]
fn a_reused_file_with_a_new_title_is_a_new_document() {
    let (_dir, mut r) = open();
    let march = notice("关于开展三月安全检查的通知", "2026年3月2日");
    let april = notice("关于开展四月安全检查的通知", "2026年4月1日");
    let n = r
        .reserve_for(
            "发文",
            "仁府办发",
            2026,
            "通知.toml",
            &march,
            OnChange::Refuse,
            P,
        )
        .unwrap();
    r.commit(
        "发文",
        &n.key,
        &DocRecord {
            title: march.title.clone(),
            date: march.date.clone(),
            sha256: "aa".into(),
            ..DocRecord::default()
        },
    )
    .unwrap();
    // The same file reused for the next notice: refused, naming both.
    let err = r
        .reserve_for(
            "发文",
            "仁府办发",
            2026,
            "通知.toml",
            &april,
            OnChange::Refuse,
            P,
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("三月安全检查")
            && text.contains("四月安全检查")
            && text.contains("仁府办发〔2026〕1号"),
        "{text}"
    );
    // Asked for: a new number under a derived key; the first record is untouched.
    let next = r
        .reserve_for(
            "发文",
            "仁府办发",
            2026,
            "通知.toml",
            &april,
            OnChange::NewDocument,
            P,
        )
        .unwrap();
    assert_eq!((next.seq, next.key.as_str()), (2, "通知.toml#2"));
    // Both documents are recognised on later runs without the flag.
    for (id, seq) in [(&march, 1), (&april, 2)] {
        let again = r
            .reserve_for(
                "发文",
                "仁府办发",
                2026,
                "通知.toml",
                id,
                OnChange::Refuse,
                P,
            )
            .unwrap();
        assert_eq!((again.seq, again.fresh), (seq, false));
    }
    // The same date written another way is the same document.
    let iso = notice("关于开展三月安全检查的通知", "2026-03-02");
    assert_eq!(
        r.reserve_for(
            "发文",
            "仁府办发",
            2026,
            "通知.toml",
            &iso,
            OnChange::Refuse,
            P
        )
        .unwrap()
        .seq,
        1
    );
    let first = &r.entries("发文", Some(2026)).unwrap()[0];
    assert_eq!(
        (first.record.title.as_str(), first.record.sha256.as_str()),
        (march.title.as_str(), "aa")
    );
}

#[test]
fn a_draft_never_produced_may_change_its_title_and_keep_its_number() {
    let (_dir, mut r) = open();
    let draft = notice("关于开展安全检查的通知", "2026年3月2日");
    let fixed = notice("关于开展安全生产检查的通知", "2026年3月2日");
    let n = r
        .reserve_for("发文", "仁府办发", 2026, "k", &draft, OnChange::Refuse, P)
        .unwrap();
    let m = r
        .reserve_for("发文", "仁府办发", 2026, "k", &fixed, OnChange::Refuse, P)
        .unwrap();
    assert_eq!(n.number, m.number);
    assert_eq!(
        r.entries("发文", None).unwrap()[0].record.title,
        fixed.title
    );
}

#[test]
fn committed_records_are_final() {
    let (_dir, mut r) = open();
    let n = r.reserve("发文", "仁府办发", 2026, "k", P).unwrap();
    let rec = |title: &str, sha: &str| DocRecord {
        title: title.into(),
        sha256: sha.into(),
        output: format!("/out/{sha}.pdf"),
        ..DocRecord::default()
    };
    r.commit("发文", "k", &rec("关于开展安全检查的通知", "aa"))
        .unwrap();
    // A later commit (a re-render, or `number commit` without --title) changes nothing on record.
    r.commit("发文", "k", &rec("", "bb")).unwrap();
    r.commit("发文", "k", &DocRecord::default()).unwrap();
    let e = &r.entries("发文", None).unwrap()[0];
    assert_eq!(
        (
            e.number.as_str(),
            e.record.title.as_str(),
            e.record.sha256.as_str()
        ),
        (n.number.as_str(), "关于开展安全检查的通知", "aa")
    );
    // Not even SQL behind wenshu's back can rewrite or delete it.
    let Backend::Sqlite(conn, _) = &r.backend else {
        unreachable!()
    };
    assert!(conn.execute("UPDATE numbers SET title = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM numbers", []).is_err());
}

#[test]
fn a_second_void_keeps_the_first_reason() {
    let (_dir, mut r) = open();
    let n = r.reserve("发文", "仁府办发", 2026, "k", P).unwrap();
    r.void("发文", &n.number, "标题有误").unwrap();
    let err = r.void("发文", &n.number, "另一个原因").unwrap_err();
    assert!(matches!(err, RegistryError::AlreadyVoid { ref reason, .. } if reason == "标题有误"));
    assert_eq!(
        r.entries("发文", None).unwrap()[0].reason.as_deref(),
        Some("标题有误")
    );
}

#[test]
fn patterns_without_a_sequence_are_refused() {
    let (_dir, mut r) = open();
    for bad in ["{prefix}〔{year}〕号", "第号", "{year}"] {
        assert!(matches!(
            r.reserve("发文", "仁府办发", 2026, "k", bad),
            Err(RegistryError::BadPattern(..))
        ));
    }
    for good in [P, "{prefix}{year}-{seq:03}", "第{seq}号"] {
        assert!(check_pattern(good).is_ok(), "{good}");
    }
}

#[test]
fn audit_lists_open_reservations_and_numbers_out_of_date_order() {
    let (_dir, mut r) = open();
    for (i, date) in [
        "2026年3月1日",
        "2026年3月5日",
        "2026年3月9日",
        "2026年3月3日",
    ]
    .iter()
    .enumerate()
    {
        let key = format!("k{i}");
        r.reserve_for(
            "发文",
            "仁府办发",
            2026,
            &key,
            &notice("通知", date),
            OnChange::Refuse,
            P,
        )
        .unwrap();
        if i != 2 {
            r.commit("发文", &key, &DocRecord::default()).unwrap();
        }
    }
    // A fresh reservation (a crash a minute ago) shows without --days 0.
    let a = r.audit(7).unwrap();
    assert_eq!(a.open.len(), 1);
    assert!(a.stale.is_empty());
    assert_eq!(a.date_order.len(), 1, "{:?}", a.date_order);
    assert_eq!(
        (
            a.date_order[0].earlier.as_str(),
            a.date_order[0].later.as_str()
        ),
        ("仁府办发〔2026〕3号", "仁府办发〔2026〕4号")
    );
    assert!(a.has_problems());
}

#[test]
fn backup_replaces_an_old_copy_only_with_a_complete_one_and_never_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let mut r = Registry::open(&db).unwrap();
    r.reserve("发文", "仁府办发", 2026, "k", P).unwrap();
    let copy = dir.path().join("copy.sqlite");
    std::fs::write(&copy, b"an older backup").unwrap();
    r.backup(&copy).unwrap();
    assert_eq!(
        Registry::open(&copy)
            .unwrap()
            .entries("", None)
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(r.backup(&db), Err(RegistryError::Backup(_))));
    assert_eq!(r.entries("", None).unwrap().len(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".wenshu"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_version_1_file_is_migrated_keeping_every_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v1.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(sqlite::MIGRATIONS_FOR_TESTS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO numbers (scheme, prefix, year, seq, number, doc_key, state, title, reserved_at) VALUES ('发文', '仁府办发', 2026, 1, '仁府办发〔2026〕1号', 'a', 'committed', '旧通知', '2026-01-01T00:00:00Z');
             INSERT INTO numbers (scheme, prefix, year, seq, number, doc_key, state, reason, reserved_at) VALUES ('发文', '仁府办发', 2026, 2, '仁府办发〔2026〕2号', 'b', 'void', '作废', '2026-01-01T00:00:00Z');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut r = Registry::open(&db).unwrap();
    assert_eq!(r.entries("", None).unwrap().len(), 2);
    // The voided number's document gets a new number now.
    assert_eq!(r.reserve("发文", "仁府办发", 2026, "b", P).unwrap().seq, 3);
}
