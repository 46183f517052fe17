//! Integrity under real use (issue 11): voided numbers never printed, edited files are new
//! documents, the registry's smaller promises, PostgreSQL as an office runs it, limits checked
//! before layout, broken pipes, never a clobbered input or device, the umask, encodings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use wenshu::number::registry::{Registry, RegistryError};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--ignore-system-fonts");
    c
}

fn with_registry(db: &Path) -> Command {
    let mut c = bin();
    c.arg("--registry").arg(db);
    c
}

fn seal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/gongwen/seals/xingren-gov-office.png")
}

/// A one-page 通知 whose number comes from the registry (`issuer_code`) or is typed.
fn notice(dir: &Path, name: &str, number_line: &str, title: &str, date: &str) -> PathBuf {
    notice_with_seal(dir, name, number_line, title, date, &seal())
}

fn notice_with_seal(
    dir: &Path,
    name: &str,
    number_line: &str,
    title: &str,
    date: &str,
    seal: &Path,
) -> PathBuf {
    let text = format!(
        "kind = \"通知\"\n{number_line}\ntitle = \"{title}\"\nrecipients = [\"各乡（镇）人民政府\"]\ndate = \"{date}\"\nbody = [\"请各单位做好值班工作，确保安全。\"]\n[[issuers]]\nname = \"兴仁市人民政府办公室\"\nseal = \"{}\"\n",
        seal.display()
    );
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

const CODE: &str = "issuer_code = \"仁府办发\"";
const T1: &str = "兴仁市人民政府办公室关于做好节假日值班工作的通知";
const T2: &str = "兴仁市人民政府办公室关于做好元旦期间安全生产工作的通知";

fn gongwen(db: &Path, doc: &Path, out: &Path, extra: &[&str]) -> Output {
    with_registry(db)
        .args(["gongwen", "--assign-numbers"])
        .args(extra)
        .arg(doc)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The PDF's text layer as a reader searches it (poppler's pdftotext, which `.ci/run` installs);
/// `None`, saying so, where it is not installed.
fn pdf_text(pdf: &Path) -> Option<String> {
    match Command::new("pdftotext").arg(pdf).arg("-").output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            eprintln!(
                "SKIPPED: text-layer check needs pdftotext (poppler-utils; .ci/run installs it)"
            );
            None
        }
    }
}

fn state_of(db: &Path, number: &str) -> Option<(String, String, String)> {
    let mut r = Registry::open(db).expect("open");
    r.entries("发文", None)
        .expect("entries")
        .into_iter()
        .find(|e| e.number == number)
        .map(|e| (e.state, e.record.title, e.record.sha256))
}

// ---- 11.1 voided means never printed again --------------------------------------------------

#[test]
fn a_voided_number_is_never_printed_again() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let doc = notice(dir.path(), "a.toml", CODE, T1, "2026年12月1日");
    let first = dir.path().join("a.pdf");
    let out = gongwen(&db, &doc, &first, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("仁府办发〔2026〕1号"));

    let void = with_registry(&db)
        .args([
            "number",
            "void",
            "仁府办发〔2026〕1号",
            "--reason",
            "标题有误",
        ])
        .output()
        .expect("void");
    assert!(void.status.success(), "{}", text(&void));

    // The same document rendered again gets a new number; 1号 appears nowhere in its PDF.
    let second = dir.path().join("a2.pdf");
    let out = gongwen(&db, &doc, &second, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("仁府办发〔2026〕2号"), "{}", text(&out));
    if let Some(t) = pdf_text(&second) {
        assert!(
            t.contains("仁府办发〔2026〕2号") && !t.contains("〕1号"),
            "{t}"
        );
    }

    // A typed voided number is refused before any output is written.
    let typed = notice(
        dir.path(),
        "typed.toml",
        "doc_number = \"仁府办发〔2026〕1号\"",
        T2,
        "2026年12月2日",
    );
    let typed_pdf = dir.path().join("typed.pdf");
    let out = gongwen(&db, &typed, &typed_pdf, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("作废"), "{}", text(&out));
    assert!(!typed_pdf.exists());
    // …and without --assign-numbers too, when a registry exists.
    let out = with_registry(&db)
        .arg("gongwen")
        .arg(&typed)
        .arg("-o")
        .arg(&typed_pdf)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!typed_pdf.exists());
    let (state, _, _) = state_of(&db, "仁府办发〔2026〕1号").expect("row");
    assert_eq!(state, "void");
}

// ---- 11.2 an edited file is a new document ----------------------------------------------------

#[test]
fn last_months_file_edited_for_a_new_notice_does_not_take_its_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let doc = notice(dir.path(), "通知.toml", CODE, T1, "2026年11月20日");
    let first = dir.path().join("十一月.pdf");
    assert!(gongwen(&db, &doc, &first, &[]).status.success());
    let first_bytes = std::fs::read(&first).expect("pdf");
    let before = state_of(&db, "仁府办发〔2026〕1号").expect("row");

    // The office reuses the file for December's notice: new title, new date.
    notice(dir.path(), "通知.toml", CODE, T2, "2026年12月20日");
    let second = dir.path().join("十二月.pdf");
    let out = gongwen(&db, &doc, &second, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let msg = text(&out);
    assert!(msg.contains(T1) && msg.contains(T2), "names both: {msg}");
    assert!(
        msg.contains("doc_key") && msg.contains("--new-number"),
        "{msg}"
    );
    assert!(!second.exists());
    // The first document and its record are untouched.
    assert_eq!(std::fs::read(&first).expect("pdf"), first_bytes);
    assert_eq!(state_of(&db, "仁府办发〔2026〕1号").expect("row"), before);

    // Asked for, the registry issues the next number; the first record still stands.
    let out = gongwen(&db, &doc, &second, &["--new-number"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("仁府办发〔2026〕2号"), "{}", text(&out));
    assert_eq!(state_of(&db, "仁府办发〔2026〕1号").expect("row"), before);
    let (state, title, _) = state_of(&db, "仁府办发〔2026〕2号").expect("row");
    assert_eq!((state.as_str(), title.as_str()), ("committed", T2));

    // An explicit doc_key makes each notice its own document with no flag at all.
    let keyed = dir.path().join("keyed.toml");
    let mut t = std::fs::read_to_string(&doc).expect("read");
    t = format!("doc_key = \"2027-01 值班通知\"\n{t}").replace("2026年12月20日", "2027年1月5日");
    std::fs::write(&keyed, t).expect("write");
    let out = gongwen(&db, &keyed, &dir.path().join("k.pdf"), &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("仁府办发〔2027〕1号"), "{}", text(&out));
}

// ---- 11.4 the registry's smaller promises -----------------------------------------------------

fn number(db: &Path, args: &[&str]) -> Output {
    with_registry(db)
        .arg("number")
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn commit_without_title_keeps_it_and_a_second_void_keeps_the_first_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let r = number(
        &db,
        &[
            "reserve",
            "--prefix",
            "仁府办发",
            "--year",
            "2026",
            "--key",
            "k",
        ],
    );
    assert!(r.status.success());
    assert!(
        number(&db, &["commit", "--key", "k", "--title", "第一份"])
            .status
            .success()
    );
    let again = number(&db, &["commit", "--key", "k"]);
    assert!(again.status.success(), "{}", text(&again));
    let (_, title, _) = state_of(&db, "仁府办发〔2026〕1号").expect("row");
    assert_eq!(title, "第一份");

    assert!(
        number(&db, &["void", "仁府办发〔2026〕1号", "--reason", "重复"])
            .status
            .success()
    );
    let second = number(&db, &["void", "仁府办发〔2026〕1号", "--reason", "别的"]);
    assert!(!second.status.success());
    assert!(text(&second).contains("重复"), "{}", text(&second));
    let list = text(&number(&db, &["list"]));
    assert!(list.contains("重复") && !list.contains("别的"), "{list}");
}

#[test]
fn a_pattern_without_seq_is_refused_at_load() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let cfg = dir.path().join("wenshu.toml");
    std::fs::write(&cfg, "[numbering]\npattern = \"{prefix}〔{year}〕号\"\n").expect("cfg");
    let out = with_registry(&db)
        .arg("--config")
        .arg(&cfg)
        .args([
            "number", "reserve", "--prefix", "X", "--year", "2026", "--key", "a",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("{seq}"), "{}", text(&out));
    let mut r = Registry::open(&db).expect("open");
    assert!(matches!(
        r.reserve("发文", "X", 2026, "a", "{prefix}{year}"),
        Err(RegistryError::BadPattern(..))
    ));
}

#[test]
fn backup_never_deletes_its_target_first_and_never_overwrites_the_registry() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    assert!(
        number(
            &db,
            &["reserve", "--prefix", "X", "--year", "2026", "--key", "a"]
        )
        .status
        .success()
    );
    // Backing up onto the registry itself is refused and the registry stays intact.
    let out = number(&db, &["backup", db.to_str().expect("utf8")]);
    assert!(!out.status.success());
    assert_eq!(text(&number(&db, &["list"])).lines().count(), 1);
    let target = dir.path().join("bk.sqlite");
    std::fs::write(&target, "earlier backup").expect("write");
    // A folder is not a backup file: refused, nothing inside it touched.
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).expect("mkdir");
    assert!(
        !number(&db, &["backup", folder.to_str().expect("utf8")])
            .status
            .success()
    );
    assert!(folder.is_dir());
    // A good backup replaces it with a registry holding the same numbers.
    assert!(
        number(&db, &["backup", target.to_str().expect("utf8")])
            .status
            .success()
    );
    // Written beside the target and renamed: no temporary file is left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("r.sqlite"))
        .collect();
    names.sort();
    assert_eq!(names, ["bk.sqlite", "folder"]);
    let mut copy = Registry::open(&target).expect("open backup");
    assert_eq!(copy.entries("发文", Some(2026)).expect("entries").len(), 1);
}

#[test]
fn audit_shows_fresh_reservations_and_numbers_out_of_date_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    // A reservation a crashed run left behind shows at once, not only with --days 0.
    assert!(
        number(
            &db,
            &[
                "reserve",
                "--prefix",
                "仁府办发",
                "--year",
                "2026",
                "--key",
                "crash"
            ]
        )
        .status
        .success()
    );
    let audit = number(&db, &["audit"]);
    assert!(text(&audit).contains("未确认预留"), "{}", text(&audit));
    assert!(text(&audit).contains("crash"), "{}", text(&audit));
    // 3号 dated before 2号 is reported and fails the audit.
    let a = notice(dir.path(), "a.toml", CODE, T1, "2026年12月10日");
    assert!(
        gongwen(&db, &a, &dir.path().join("a.pdf"), &[])
            .status
            .success()
    );
    let b = notice(dir.path(), "b.toml", CODE, T2, "2026年12月1日");
    assert!(
        gongwen(&db, &b, &dir.path().join("b.pdf"), &[])
            .status
            .success()
    );
    let audit = number(&db, &["audit"]);
    assert_eq!(audit.status.code(), Some(1), "{}", text(&audit));
    assert!(text(&audit).contains("日期倒序"), "{}", text(&audit));
    assert!(
        text(&audit).contains("仁府办发〔2026〕3号"),
        "{}",
        text(&audit)
    );
}

// ---- 11.5 PostgreSQL as an office runs it --------------------------------------------------

fn postgres_url() -> Option<String> {
    match std::env::var("WENSHU_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("SKIPPED: PostgreSQL TLS tests need WENSHU_TEST_POSTGRES (set by .ci/run)");
            None
        }
    }
}

fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

#[test]
fn postgres_over_tls_and_its_errors_name_the_cause_without_the_password() {
    let Some(url) = postgres_url() else { return };
    // Without TLS on the server (the Debian cluster has it on) the TLS half cannot be tested.
    let tls = Registry::open(Path::new(&with_param(&url, "sslmode=require")));
    match tls {
        Ok(mut r) => {
            r.entries("发文", Some(2026)).expect("query over TLS");
            // The Debian snakeoil certificate names the host, not 127.0.0.1: verify-full must
            // refuse it, verify-ca (chain only) must accept it.
            let snakeoil = Path::new("/etc/ssl/certs/ssl-cert-snakeoil.pem");
            if snakeoil.exists() && url.contains("127.0.0.1") {
                let root = format!("sslrootcert={}", snakeoil.display());
                let full = with_param(&url, &format!("sslmode=verify-full&{root}"));
                let err = Registry::open(Path::new(&full))
                    .err()
                    .expect("verify-full refused");
                assert!(!err.to_string().contains(":wenshu@"), "{err}");
                let ca = with_param(&url, &format!("sslmode=verify-ca&{root}"));
                Registry::open(Path::new(&ca)).expect("verify-ca accepts the chain");
            } else {
                eprintln!("SKIPPED: verify-full check needs the Debian snakeoil certificate");
            }
        }
        Err(e) => eprintln!("SKIPPED: the server does not offer TLS ({e})"),
    }
    // A wrong password: the server's reason, never the password.
    let wrong = url.replacen(":wenshu@", ":s3cret-Pw@", 1);
    if wrong != url {
        let err = Registry::open(Path::new(&wrong)).err().expect("refused");
        let msg = err.to_string();
        assert!(!msg.contains("s3cret-Pw"), "{msg}");
        assert!(msg.contains("password") || msg.contains("28P01"), "{msg}");
        let out = with_registry(Path::new(&wrong))
            .args(["number", "list"])
            .output()
            .expect("run");
        assert!(!text(&out).contains("s3cret-Pw"), "{}", text(&out));
        // The password may stay out of the URL, in PGPASSWORD, as libpq reads it.
        let bare = url.replacen(":wenshu@", "@", 1);
        let out = with_registry(Path::new(&bare))
            .env("PGPASSWORD", "wenshu")
            .args(["number", "list"])
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", text(&out));
    }
}

// ---- 11.7 images are checked before layout ----------------------------------------------------

/// A valid PNG header claiming `w`×`h` pixels, with a tiny body.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        out.extend(crc32(&[kind, data].concat()).to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn check_refuses_a_giant_or_fake_seal_image_naming_the_field() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, bytes, needle) in [
        ("huge.png", png_header(40_000, 40_000), "40000×40000"),
        ("wide.png", png_header(30_000, 10), "30000×10"),
        ("fake.png", b"not an image at all".to_vec(), "不是"),
    ] {
        let img = dir.path().join(name);
        std::fs::write(&img, bytes).expect("img");
        let doc = notice_with_seal(
            dir.path(),
            "d.toml",
            "doc_number = \"仁府办发〔2026〕9号\"",
            T1,
            "2026年12月1日",
            &img,
        );
        let pdf = dir.path().join("d.pdf");
        let check = bin().arg("check").arg(&doc).output().expect("run");
        let render = bin()
            .arg("gongwen")
            .arg(&doc)
            .arg("-o")
            .arg(&pdf)
            .output()
            .expect("run");
        for (cmd, out) in [("check", check), ("gongwen", render)] {
            assert_eq!(out.status.code(), Some(1), "{cmd} {name}: {}", text(&out));
            let msg = text(&out);
            assert!(msg.contains("issuers[0].seal"), "{msg}");
            assert!(msg.contains(needle), "{msg}");
        }
        assert!(!dir.path().join("d.pdf").exists());
    }
    // The limits are configurable: a stricter side limit refuses the real seal.
    let cfg = dir.path().join("wenshu.toml");
    std::fs::write(&cfg, "[limits]\nimage_max_side = 100\n").expect("cfg");
    let doc = notice(
        dir.path(),
        "ok.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        T1,
        "2026年12月1日",
    );
    let plain = bin().arg("check").arg(&doc).output().expect("run");
    assert!(plain.status.success(), "{}", text(&plain));
    let strict = bin()
        .arg("--config")
        .arg(&cfg)
        .arg("check")
        .arg(&doc)
        .output()
        .expect("run");
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    assert!(
        text(&strict).contains("image_max_side"),
        "{}",
        text(&strict)
    );
}

// ---- 11.8 a closed pipe ends quietly --------------------------------------------------------

#[cfg(unix)]
#[test]
fn listing_into_a_closed_pipe_is_not_a_crash() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    assert!(
        number(
            &db,
            &[
                "reserve", "--prefix", "X", "--year", "2026", "--key", "k", "--count", "3000"
            ]
        )
        .status
        .success()
    );
    // `wenshu number list | head -1`: the reader goes away after one line.
    let mut child = with_registry(&db)
        .args(["number", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).expect("read");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    assert_ne!(out.status.code(), Some(101), "{}", text(&out));
    assert!(!text(&out).contains("panicked"), "{}", text(&out));
}

// ---- 11.10 control characters -----------------------------------------------------------------

#[test]
fn control_characters_are_refused_with_their_code_point() {
    let dir = tempfile::tempdir().expect("tmp");
    for (esc, cp) in [
        ("\\u0000", "U+0000"),
        ("\\u0007", "U+0007"),
        ("\\u001b", "U+001B"),
    ] {
        let title = format!("兴仁市人民政府办公室关于{esc}值班的通知");
        let doc = notice(
            dir.path(),
            "c.toml",
            "doc_number = \"仁府办发〔2026〕9号\"",
            &title,
            "2026年12月1日",
        );
        let out = bin().arg("check").arg(&doc).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let msg = text(&out);
        assert!(msg.contains("title") && msg.contains(cp), "{msg}");
        assert!(msg.contains("data.control_character"), "{msg}");
    }
    // JSON data files too, in the body.
    let json = dir.path().join("c.json");
    std::fs::write(
        &json,
        format!(
            r#"{{"kind":"通知","doc_number":"仁府办发〔2026〕9号","title":"{T1}","recipients":["各乡（镇）人民政府"],"date":"2026年12月1日","body":["第一段\u0008正文"],"issuers":[{{"name":"兴仁市人民政府办公室","seal":"{}"}}]}}"#,
            seal().display()
        ),
    )
    .expect("json");
    let out = bin().arg("check").arg(&json).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("U+0008") && text(&out).contains("body"),
        "{}",
        text(&out)
    );
}

// ---- 11.12 and 11.13: outputs ---------------------------------------------------------------

#[test]
fn an_output_path_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let doc = notice(
        dir.path(),
        "d.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        T1,
        "2026年12月1日",
    );
    let before = std::fs::read(&doc).expect("read");
    let out = bin()
        .arg("gongwen")
        .arg(&doc)
        .arg("-o")
        .arg(&doc)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(text(&out).contains("输入"), "{}", text(&out));
    assert_eq!(std::fs::read(&doc).expect("kept"), before);
    // The seal image is an input as well, also under another spelling of its path.
    let seal_copy = dir.path().join("seal.png");
    std::fs::copy(seal(), &seal_copy).expect("copy");
    let doc2 = notice_with_seal(
        dir.path(),
        "e.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        T1,
        "2026年12月1日",
        &seal_copy,
    );
    let sneaky = dir.path().join(".").join("seal.png");
    let seal_before = std::fs::read(&seal_copy).expect("read");
    let out = bin()
        .arg("gongwen")
        .arg(&doc2)
        .arg("-o")
        .arg(&sneaky)
        .output()
        .expect("run");
    assert!(!out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(&seal_copy).expect("kept"), seal_before);
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_written_through_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tmp");
    let doc = notice(
        dir.path(),
        "d.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        T1,
        "2026年12月1日",
    );
    let out = bin()
        .arg("gongwen")
        .arg(&doc)
        .arg("-o")
        .arg("/dev/null")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out));
    let meta = std::fs::metadata("/dev/null").expect("dev null");
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is still a device"
    );

    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read fifo"))
    };
    let out = bin()
        .arg("gongwen")
        .arg(&doc)
        .arg("-o")
        .arg(&fifo)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out));
    let bytes = reader.join().expect("reader");
    assert!(bytes.starts_with(b"%PDF-"), "the PDF went through the FIFO");
    let meta = std::fs::symlink_metadata(&fifo).expect("fifo");
    assert!(meta.file_type().is_fifo(), "the FIFO is still a FIFO");
}

#[cfg(unix)]
#[test]
fn outputs_honour_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let doc = notice(
        dir.path(),
        "d.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        T1,
        "2026年12月1日",
    );
    for (umask, mode) in [("002", 0o664), ("027", 0o640), ("022", 0o644)] {
        let pdf = dir.path().join(format!("u{umask}.pdf"));
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" --ignore-system-fonts gongwen \"$1\" -o \"$2\""
            ))
            .arg(env!("CARGO_BIN_EXE_wenshu"))
            .arg(&doc)
            .arg(&pdf)
            .status()
            .expect("sh");
        assert!(status.success());
        let got = std::fs::metadata(&pdf).expect("pdf").permissions().mode() & 0o777;
        assert_eq!(got, mode, "umask {umask}");
    }
}

// ---- 11.14 encodings --------------------------------------------------------------------------

#[test]
fn invalid_utf8_names_line_and_byte_and_suggests_gbk() {
    let dir = tempfile::tempdir().expect("tmp");
    let doc = notice(
        dir.path(),
        "d.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        T1,
        "2026年12月1日",
    );
    let utf8 = std::fs::read_to_string(&doc).expect("read");
    let (gbk, _, _) = encoding_rs::GBK.encode(&utf8);
    std::fs::write(&doc, &gbk).expect("write");
    let out = bin().arg("check").arg(&doc).output().expect("run");
    assert!(!out.status.success());
    let msg = text(&out);
    // The first non-ASCII byte is in line 2 (`doc_number = "仁…`).
    assert!(msg.contains("第 2 行"), "{msg}");
    assert!(msg.contains("GBK"), "{msg}");
    assert!(msg.contains("UTF-8"), "{msg}");
}
