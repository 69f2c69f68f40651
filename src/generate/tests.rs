use super::*;
use std::collections::HashSet;

use crate::domain::id::validate_resident_id;
use crate::domain::parse_date;

fn policy_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("policies")
        .join(name)
}

fn config(out: &Path, persons: u64, seed: u64, dirty: f64) -> GenerateConfig {
    GenerateConfig {
        persons,
        seed,
        policy: policy_path("ningxia-2026.toml"),
        out: out.to_path_buf(),
        as_of: None,
        plant: None,
        dirty,
    }
}

#[test]
fn same_seed_gives_byte_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    generate(&config(a.path(), 2_000, 7, 0.01)).unwrap();
    generate(&config(b.path(), 2_000, 7, 0.01)).unwrap();
    generate(&config(c.path(), 2_000, 8, 0.01)).unwrap();
    // Neither the thread count nor the chunk size matters.
    let d = tempfile::tempdir().unwrap();
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| generate_chunked(&config(d.path(), 2_000, 7, 0.01), &Progress::hidden(), 97))
        .unwrap();
    let mut differs = false;
    for f in OutFile::ALL {
        let x = std::fs::read(a.path().join(f.file_name())).unwrap();
        let y = std::fs::read(b.path().join(f.file_name())).unwrap();
        let z = std::fs::read(c.path().join(f.file_name())).unwrap();
        assert!(
            x == y,
            "{} differs between two runs of one seed",
            f.file_name()
        );
        let w = std::fs::read(d.path().join(f.file_name())).unwrap();
        assert!(x == w, "{} differs with one thread", f.file_name());
        differs |= x != z;
    }
    assert!(differs, "another seed should give other data");
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 7, "{names:?}");
}

#[test]
fn ids_are_unique_valid_and_in_their_county() {
    let dir = tempfile::tempdir().unwrap();
    let report = generate(&config(dir.path(), 100_000, 3, 0.0)).unwrap();
    let schemas = Schemas::embedded().unwrap();
    let policy = Policy::load(&policy_path("ningxia-2026.toml"), &schemas.vocab).unwrap();
    let text = std::fs::read_to_string(dir.path().join("persons.csv")).unwrap();
    let mut ids = HashSet::new();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(OutFile::Persons.header()));
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        let id = cols[0];
        assert_eq!(validate_resident_id(id, report.as_of).as_deref(), Ok(id));
        assert_eq!(&id[..6], cols[2], "ID county = 常住区划代码");
        assert!(policy.counties.contains_key(cols[2]));
        assert!(ids.insert(id.to_string()), "duplicate ID {id}");
    }
    assert_eq!(ids.len(), 100_000);
    assert_eq!(report.file(OutFile::Persons).rows, 100_000);
    // Roughly 1% newborns (born within 180 days of as-of).
    let newborns = ids
        .iter()
        .filter(|id| {
            let b = parse_date(&id[6..14]).unwrap();
            (report.as_of - b).num_days() <= 180
        })
        .count();
    assert!((700..1_400).contains(&newborns), "{newborns} newborns");
}

#[test]
fn rows_use_known_texts_and_parse() {
    let dir = tempfile::tempdir().unwrap();
    let report = generate(&config(dir.path(), 20_000, 11, 0.0)).unwrap();
    let schemas = Schemas::embedded().unwrap();
    let vocab = &schemas.vocab;
    let read = |f: OutFile| {
        let bytes = std::fs::read(dir.path().join(f.file_name())).unwrap();
        if f == OutFile::Civil {
            let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
            assert!(!bad);
            assert!(text.contains("\r\n"));
            text.replace("\r\n", "\n")
        } else {
            String::from_utf8(bytes).unwrap()
        }
    };
    let civil = read(OutFile::Civil);
    for line in civil.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        assert_eq!(c.len(), 10, "{line}");
        assert!(vocab.category_by_text(c[2]).is_some(), "{line}");
        assert!(parse_date(c[3]).is_some(), "{line}");
    }
    let agri = read(OutFile::Agri);
    for line in agri.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        assert_eq!(c.len(), 9, "{line}");
        assert!(vocab.category_by_text(c[3]).is_some(), "{line}");
        assert!(parse_date(c[4]).is_some(), "{line}");
    }
    let disability = read(OutFile::Disability);
    for line in disability.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let cert = c[0];
        assert!(cert.len() == 20 || cert.len() == 22, "{line}");
        assert_eq!(
            vocab.disability_kind(c[2]),
            Some(cert.as_bytes()[18] - b'0')
        );
        assert_eq!(vocab.grade(c[3]), Some(cert.as_bytes()[19] - b'0'));
    }
    let veterans = read(OutFile::Veterans);
    for line in veterans.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        assert!(vocab.category_by_text(c[2]).is_some(), "{line}");
    }
    let enrollment = read(OutFile::Enrollment);
    let mut years = HashSet::new();
    for line in enrollment.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        assert_eq!(c.len(), 14, "{line}");
        years.insert(c[0].to_string());
        assert!(
            vocab.is_ordinary_rating(c[6]) || vocab.category_by_text(c[6]).is_some(),
            "{line}"
        );
        if !c[8].is_empty() && c[8] != "0" && c[8] != "0.00" {
            assert!(
                parse_date(c[9]).is_some(),
                "paid row without a date: {line}"
            );
        }
    }
    assert_eq!(years.len(), 6, "five history years and Y");
    for f in OutFile::ALL {
        assert!(report.file(f).rows > 0, "{} is empty", f.file_name());
    }
}

#[test]
fn dirty_rows_are_spread_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let report = generate(&config(dir.path(), 20_000, 5, 0.02)).unwrap();
    let mut by_kind = [0u64; 5];
    for f in &report.files {
        for (k, n) in by_kind.iter_mut().zip(f.dirty) {
            *k += n;
        }
    }
    assert!(by_kind.iter().all(|n| *n > 0), "{by_kind:?}");
    let total: u64 = report.files.iter().map(|f| f.rows).sum();
    let dirty: u64 = by_kind.iter().sum();
    let share = dirty as f64 / total as f64;
    assert!((0.015..0.025).contains(&share), "share {share}");
}

#[test]
fn id_sequence_is_a_bijection() {
    for off in [0u32, 1, 499] {
        let seen: HashSet<u32> = (0..500u32).map(|c| (317 * c + off) % 500).collect();
        assert_eq!(seen.len(), 500);
    }
}
