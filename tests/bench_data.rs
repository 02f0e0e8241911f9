//! Files for the benchmark (`cargo xtask bench`), made by the same generator the demo
//! mode uses: the sending unit's card, a transfer of generated cases addressed to the
//! demo unit (in clear, `transfer-clear.json`, which the plain-JS baseline reads; then
//! sealed to the benchmark browser's own card by [`seal_bench_import`] once that
//! browser has a key), and search terms drawn from each demo data set. Ignored in
//! `cargo test`; the benchmark runs it with `BENCH_DIR`, `BENCH_TODAY`, `BENCH_SIZES`,
//! `BENCH_IMPORT` and (for the sealing) `BENCH_RECEIVER_CARD` set.
#![cfg(not(target_arch = "wasm32"))]
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::PathBuf;

use serde_json::json;
use xinfang::demo::{demo_unit, Generator, Plan, DEMO_SEED, DEMO_SPAN_DAYS};
use xinfang::domain::calendar::WorkCalendar;
use xinfang::domain::case::{fold, CaseState};
use xinfang::domain::time::parse_date;
use xinfang::domain::vocab::UnitLevel;
use xinfang::domain::{Timestamp, UnitProfile};
use xinfang::exchange::card::{seal_unit_card, UnitCard, UnitRef};
use xinfang::exchange::read::read_unit_card;
use xinfang::exchange::recipient::Decryptor;
use xinfang::exchange::transfer::{seal_transfer, transfer, Purpose, Transfer};
use xinfang::exchange::Identity;

/// A published benchmark seed, never a real key.
const SENDER_SEED: [u8; 32] = *b"xinfang bench seed: city sender!";

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn states(plan: Plan) -> Vec<CaseState> {
    let mut g = Generator::new(plan, WorkCalendar::official());
    std::iter::from_fn(|| g.next_case())
        .map(|events| fold(&events).expect("generated cases fold"))
        .collect()
}

#[test]
#[ignore = "writes benchmark input files; run by cargo xtask bench"]
fn write_bench_data() {
    let dir = PathBuf::from(env("BENCH_DIR", "target/bench"));
    fs::create_dir_all(&dir).unwrap();
    let today = parse_date(&env("BENCH_TODAY", "2026-11-26")).expect("BENCH_TODAY is YYYY-MM-DD");
    let import: usize = env("BENCH_IMPORT", "10000").parse().unwrap();
    let sender = UnitProfile {
        name: "演示市信访局".into(),
        level: UnitLevel::County,
        code: "SHI01".into(),
        townships: demo_unit().townships,
        departments: vec![],
        operator: "基准测试".into(),
        parent: String::new(),
    };
    let identity = Identity::from_seed(SENDER_SEED);
    let card = seal_unit_card(&UnitCard::of(&sender, &identity), &identity).unwrap();
    fs::write(dir.join("sender-card.json"), card).unwrap();
    // The citizens' page the benchmark opens on a phone is configured for the same unit.
    let config = xinfang::exchange::citizen::page::write_config(
        &UnitCard::of(&sender, &identity),
        &identity,
        &sender.townships,
    )
    .unwrap();
    fs::write(dir.join("citizen-config.json"), config).unwrap();
    // Yesterday's cases: a file may not carry events dated after the importing
    // browser's clock, and the generator dates today's events up to 17:00.
    let cases = states(Plan {
        seed: 99,
        count: import,
        today: today.pred_opt().unwrap_or(today),
        span_days: 365,
        unit: sender.clone(),
    });
    let demo = demo_unit();
    let to = UnitRef {
        code: demo.code.clone(),
        name: demo.name.clone(),
    };
    let at = Timestamp::start_of_china_date(today);
    let t = transfer(&sender, &to, Purpose::Forward, &cases, at).unwrap();
    fs::write(
        dir.join("transfer-clear.json"),
        serde_json::to_string(&json!({ "payload": t })).unwrap(),
    )
    .unwrap();

    for size in env("BENCH_SIZES", "10000")
        .split(',')
        .map(|s| s.trim().parse::<usize>().unwrap())
    {
        let all = states(Plan {
            seed: DEMO_SEED,
            count: size,
            today,
            span_days: DEMO_SPAN_DAYS,
            unit: demo.clone(),
        });
        // Forty terms of each kind, spread over the whole data set.
        let step = (size / 40).max(1);
        let mut queries = Vec::new();
        for s in all.iter().step_by(step).take(40) {
            let p = &s.petition;
            if let Some(person) = p.petitioners.first() {
                queries.push(json!({ "kind": "身份证号", "q": person.id_number }));
                queries.push(json!({ "kind": "电话", "q": person.phone }));
                queries.push(json!({ "kind": "姓名", "q": person.name }));
            }
            let text: String = p.facts.chars().skip(4).take(4).collect();
            queries.push(json!({ "kind": "内容", "q": text }));
        }
        fs::write(
            dir.join(format!("queries-{size}.json")),
            serde_json::to_string_pretty(&queries).unwrap(),
        )
        .unwrap();
    }
}

/// Seals the clear transfer to the card at `BENCH_RECEIVER_CARD` (the benchmark
/// browser's own, downloaded from its 交换 page): `import.json`, as a sender would.
#[test]
#[ignore = "seals the benchmark's transfer to the browser's key; run by the benchmark"]
fn seal_bench_import() {
    let dir = PathBuf::from(env("BENCH_DIR", "target/bench"));
    let card = read_unit_card(&fs::read(env("BENCH_RECEIVER_CARD", "")).unwrap()).unwrap();
    fs::write(dir.join("import.json"), sealed_import(&dir, &card)).unwrap();
}

/// The clear transfer, encrypted to `card` and signed by the sender.
fn sealed_import(dir: &std::path::Path, card: &UnitCard) -> String {
    let clear: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("transfer-clear.json")).unwrap()).unwrap();
    let t: Transfer = serde_json::from_value(clear["payload"].clone()).unwrap();
    seal_transfer(
        &t,
        &Identity::from_seed(SENDER_SEED),
        &card.encryption().unwrap(),
        [3; 32],
    )
    .unwrap()
}

/// Milliseconds `f` takes (the best of `runs`), and its result.
fn timed<R>(runs: usize, mut f: impl FnMut() -> R) -> (f64, R) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs.max(1) {
        let t = std::time::Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        out = Some(r);
    }
    (best, out.expect("ran at least once"))
}

/// Where the time of the two heaviest operations goes, natively (the same Rust the
/// browser runs as wasm): the dashboard for a year of the demo county, and reading a
/// 10,000-case transfer. `cargo xtask bench` writes the table to `profile.md` beside
/// its results; the browser's own figures divided by these give the wasm factor.
#[test]
#[ignore = "profiles the domain work behind the benchmark; run by cargo xtask bench"]
fn profile_domain() {
    use xinfang::domain::measures::{Accountable, Judged, Period};
    use xinfang::domain::patterns::{clusters, frequent_petitioners};
    use xinfang::domain::search::CaseSummary;
    use xinfang::exchange::envelope::canonical;
    use xinfang::exchange::merge::plan;
    use xinfang::exchange::read::read;
    use xinfang::exchange::{open, strict};

    let dir = PathBuf::from(env("BENCH_DIR", "target/bench"));
    let today = parse_date(&env("BENCH_TODAY", "2026-11-26")).expect("BENCH_TODAY is YYYY-MM-DD");
    let size: usize = env("BENCH_PROFILE_SIZE", "100000").parse().unwrap();
    let cal = WorkCalendar::official();
    let mut md = format!(
        "| Step (native, release, {} cores) | ms |\n|---|---:|\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let mut row = |label: &str, ms: f64| md += &format!("| {label} | {ms:.1} |\n");

    let rows: Vec<CaseSummary> = states(Plan {
        seed: DEMO_SEED,
        count: size,
        today,
        span_days: DEMO_SPAN_DAYS,
        unit: demo_unit(),
    })
    .iter()
    .map(|s| CaseSummary::of(s, &cal))
    .collect();
    let facts: Vec<_> = rows.iter().map(|r| r.facts.clone()).collect();
    let matchers: Vec<_> = rows.iter().map(|r| r.matcher.clone()).collect();
    let year = Period::year_of(today);
    let (ms, judged) = timed(3, || Judged::new(facts.clone(), today));
    row(
        &format!("Dashboard, {size} cases: judge every case once (on load)"),
        ms,
    );
    let (ms, _) = timed(3, || judged.measure(year));
    row("— measures of the year", ms);
    let (ms, _) = timed(3, || {
        (
            judged.measure(year.previous()),
            judged.measure(year.last_year()),
        )
    });
    row(
        "— measures of the previous and the same period a year before",
        ms,
    );
    let (ms, _) = timed(3, || {
        (
            judged.scorecard(year, Accountable::Township),
            judged.scorecard(year, Accountable::Unit),
        )
    });
    row("— two scorecards (township, unit)", ms);
    let (ms, _) = timed(3, || frequent_petitioners(&matchers, year.from, year.to, 2));
    row("— repeat petitioners", ms);
    let (ms, _) = timed(3, || {
        clusters(
            matchers
                .iter()
                .map(|r| &**r)
                .filter(|r| year.contains(r.received_on)),
        )
    });
    row("— similar-matter clusters (township and category)", ms);
    let (ms, _) = timed(3, || {
        matchers
            .iter()
            .filter(|r| year.contains(r.received_on))
            .map(|r| xinfang::domain::patterns::bigrams(&r.matter).len())
            .sum::<usize>()
    });
    row(
        "— — of which: the bigram sets of every matter of the year",
        ms,
    );

    // A backup does more than read: the baseline reads and writes the same records
    // without sealing a key or signing anything.
    use xinfang::exchange::backup::{
        seal_key, BackupInput, BackupWriter, KDF_ITERATIONS, VOLUME_CASES,
    };
    let identity = Identity::from_seed([7; 32]);
    let pass = "基准测试备份口令2026";
    let (ms, _) = timed(3, || {
        seal_key(&identity, pass, [1; 16], [2; 12], KDF_ITERATIONS)
    });
    row(
        &format!("Backup: seal the signing key (PBKDF2, {KDF_ITERATIONS} rounds)"),
        ms,
    );
    let unit = demo_unit();
    let input = BackupInput {
        profile: &unit,
        calendar: &cal,
        directory: &[],
        sensitive_dates: &[],
        screening: &[],
        plans: &[],
        receptions: &[],
        agreements: &[],
        identity: &identity,
        at: xinfang::domain::Timestamp(0),
    };
    let writer = BackupWriter::new(&input, pass, ([1; 16], [2; 12], [3; 16]), 2);
    let mut g = Generator::new(
        Plan {
            seed: DEMO_SEED,
            count: VOLUME_CASES,
            today,
            span_days: DEMO_SPAN_DAYS,
            unit: demo_unit(),
        },
        cal.clone(),
    );
    let logs: Vec<_> = std::iter::from_fn(|| g.next_case()).collect();
    let (ms, _) = timed(3, || writer.volume(2, &logs, [2; 12]).unwrap());
    row(
        &format!("— one volume of {VOLUME_CASES} cases: typed, canonical form, signature"),
        ms,
    );

    // Natively, the transfer is sealed to a test receiver's key.
    let receiver = Identity::from_seed([0x52; 32]);
    let demo = demo_unit();
    if dir.join("transfer-clear.json").exists() {
        let bytes = sealed_import(&dir, &UnitCard::of(&demo, &receiver)).into_bytes();
        let me = Decryptor::of(&receiver);
        let (ms, value) = timed(3, || strict::parse(&bytes).unwrap());
        row(
            &format!(
                "Import, {:.0} MB transfer: strict parse",
                bytes.len() as f64 / 1e6
            ),
            ms,
        );
        let (ms, _) = timed(3, || canonical(&value["payload"]).unwrap());
        row("— canonical form of the payload (RFC 8785)", ms);
        let (ms, _) = timed(3, || open(&bytes).unwrap());
        row("— open: parse, canonical form and signature together", ms);
        let opened = open(&bytes).unwrap();
        let (ms, _) = timed(3, || {
            xinfang::exchange::recipient::clear_payload(&opened, &me).unwrap()
        });
        row(
            "— decrypt: HPKE open of every piece, strict parse of the plaintext",
            ms,
        );
        let clear = xinfang::exchange::recipient::clear_payload(&opened, &me).unwrap();
        let sent: Transfer = serde_json::from_value(clear).unwrap();
        let (ms, _) = timed(3, || {
            xinfang::exchange::authors::check_signatures(
                &sent.cases,
                &sent.from.code,
                &opened.signer,
                opened.version,
                xinfang::exchange::authors::Share::ALL,
            )
            .unwrap()
        });
        let events: usize = sent.cases.iter().map(|c| c.events.len()).sum();
        row(
            &format!("— every event's author signature verified ({events} events)"),
            ms,
        );
        let mut unsigned = sent.cases.clone();
        let (ms, _) = timed(3, || {
            xinfang::exchange::authors::sign_own(
                &mut unsigned,
                &sent.from.code,
                &Identity::from_seed(SENDER_SEED),
            )
            .unwrap()
        });
        row(
            "Export of the same cases: every event signed by its author",
            ms,
        );
        let (ms, contents) = timed(3, || read(&bytes, &me).unwrap());
        row(
            "— read: open, decrypt, typed payload, every case folded and checked",
            ms,
        );
        if let (_, xinfang::exchange::read::Contents::Transfer { events, .. }) = contents {
            // The demo county imports it, now.
            let unit = demo_unit();
            let importer = xinfang::domain::authorship::Importer {
                unit_code: &unit.code,
                unit_name: &unit.name,
                now: Timestamp(i64::MAX / 2),
            };
            let (ms, _) = timed(3, || plan(&events, &Default::default(), &importer).unwrap());
            row("— plan against an empty store", ms);
        }
    }
    println!("{md}");
    fs::write(dir.join("profile.md"), md).unwrap();
}
