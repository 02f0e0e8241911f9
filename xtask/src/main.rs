//! Project tasks: `cargo xtask serve | build | test | setup`.
//!
//! Every task first installs what it needs and is missing (the wasm target, trunk,
//! a wasm-bindgen-cli matching `Cargo.lock`, npm tools, Chromium), so the README's
//! commands work on a machine that has only rustup. Plain std besides `sha2` and
//! `base64` (already in the lock, for the single-file build's CSP hashes), so this
//! compiles in seconds.

mod single;

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command, Stdio};

const TRUNK_VERSION: &str = "0.21.14";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMIUM_BINARY: &str = "/usr/lib/chromium/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const FIREFOX: &str = "/usr/bin/firefox-esr";

type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let outcome = match task {
        "setup" => setup_build().and_then(|_| setup_test()),
        "serve" => setup_build().and_then(|_| serve(rest)),
        "build" => setup_build().and_then(|_| build_release()),
        "test" => setup_build()
            .and_then(|_| setup_test())
            .and_then(|_| test(rest)),
        "bench" => setup_build()
            .and_then(|_| setup_test())
            .and_then(|_| bench(rest)),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n  serve [--release] [--port N]  build and serve the app on http://127.0.0.1:8080/\n  build                         build the static files for hosting into dist/\n  test [native|wasm|fuzz|e2e|bench-smoke]  run every test layer (or the ones named)\n  bench [--sizes 10000,100000] [--import 10000]  measure the release build in Chromium against a plain-JS baseline\n  setup                         only install what is missing"
            );
            Ok(())
        }
    };
    if let Err(e) = outcome {
        eprintln!("xtask: {e}");
        exit(1);
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo_bin() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// PATH with the npm tools (wasm-opt) and cargo's bin first, so trunk finds the pinned
/// tools and never downloads its own.
fn tool_path() -> OsString {
    let mut dirs = vec![root().join(".tools/node_modules/.bin"), cargo_bin()];
    dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    env::join_paths(dirs).unwrap_or_default()
}

fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", tool_path()).current_dir(root());
    c
}

fn run(c: &mut Command) -> Result {
    eprintln!("xtask: running {c:?}");
    let status = c
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", c.get_program()))
    }
}

fn output(c: &mut Command) -> Option<String> {
    c.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The version of a package in Cargo.lock.
fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_owned())
}

fn setup_build() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    if !root().join("Cargo.lock").exists() {
        run(cmd("cargo").args(["generate-lockfile"]))?;
    }
    let trunk = output(cmd("trunk").arg("--version")).unwrap_or_default();
    if trunk.trim() != format!("trunk {TRUNK_VERSION}") {
        run(cmd("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    }
    let wb = locked_version("wasm-bindgen")?;
    let have = output(cmd("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wb.as_str()) {
        // Not --locked: the CLI's own lock file names a crate version the registry lacks.
        run(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb]))?;
    }
    ensure_npm_tools()
}

fn ensure_npm_tools() -> Result {
    let tools = root().join(".tools");
    let fresh = [
        "node_modules/.bin/wasm-opt",
        "node_modules/playwright-core",
        "node_modules/puppeteer-core",
        "node_modules/xlsx",
    ]
    .iter()
    .all(|p| tools.join(p).exists());
    if fresh {
        return Ok(());
    }
    if output(Command::new("npm").arg("--version")).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    run(cmd("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tools))
}

fn apt_install(packages: &[&str]) -> Result {
    let as_root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = Command::new(if as_root { "apt-get" } else { "sudo" });
        if !as_root {
            c.arg("apt-get");
        }
        c.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        c
    };
    run(&mut apt(&["update"]))?;
    run(&mut apt(&[&["install", "-y"][..], packages].concat()))
}

fn setup_test() -> Result {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    // The single-file build is also tested in Firefox (Debian's ESR).
    if !Path::new(FIREFOX).exists() {
        apt_install(&["firefox-esr"])?;
    }
    Ok(())
}

fn serve(args: &[String]) -> Result {
    let mut c = cmd("trunk");
    c.args(["serve", "--address", "127.0.0.1"]);
    let mut port = "8080".to_owned();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--release" => {
                c.arg("--release");
            }
            "--port" => port = it.next().cloned().unwrap_or(port),
            other => return Err(format!("unknown option {other}")),
        }
    }
    c.args(["--port", &port]);
    eprintln!("xtask: the app will be at http://127.0.0.1:{port}/");
    run(&mut c)
}

fn build_release() -> Result {
    run(cmd("trunk").args(["build", "--release"]))?;
    // From the office page as trunk wrote it: the single file holds the whole app.
    write_single_file()?;
    build_citizen_page()?;
    write_service_worker()?;
    eprintln!(
        "xtask: static files are in {0}; the single-file build is {0}/xinfang.html",
        root().join("dist").display()
    );
    Ok(())
}

/// Builds the citizens' page on its own (`citizen.html`, the `citizen` binary: no office
/// screens, dashboard or demo generator) beside the office app in `dist/`, and names it
/// in `dist/index.html`, whose boot script sends `#/petition` there.
fn build_citizen_page() -> Result {
    let out = root().join("target/citizen-dist");
    run(cmd("trunk")
        .args(["build", "--release", "--dist"])
        .arg(&out)
        .arg("citizen.html"))?;
    let dist = root().join("dist");
    for entry in fs::read_dir(&out).map_err(|e| format!("{}: {e}", out.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        // Trunk names its page index.html whatever the source was called.
        let name = match path.file_name().and_then(|n| n.to_str()) {
            Some("index.html") => "citizen.html".to_owned(),
            Some(other) => other.to_owned(),
            None => continue,
        };
        fs::copy(&path, dist.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| format!("dist/index.html: {e}"))?;
    let charset = "<meta charset=\"utf-8\">";
    if !html.contains(charset) {
        return Err("dist/index.html has no charset meta tag".into());
    }
    let named = html.replacen(
        charset,
        &format!("{charset}\n  <meta name=\"xinfang-citizen\" content=\"citizen.html\">"),
        1,
    );
    fs::write(&index, named).map_err(|e| format!("dist/index.html: {e}"))
}

/// Writes `dist/sw.js` from `public/sw.js`: the files to keep offline (all of the
/// build but the single-file copy, which is for disks, not for this host) and a version
/// that changes whenever any of them does, so browsers see the update.
fn write_service_worker() -> Result {
    let dist = root().join("dist");
    let template = fs::read_to_string(root().join("public/sw.js"))
        .map_err(|e| format!("public/sw.js: {e}"))?;
    let mut names: Vec<String> = fs::read_dir(&dist)
        .map_err(|e| format!("dist: {e}"))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "sw.js" && n != "xinfang.html")
        .collect();
    names.sort();
    let mut files = vec!["./".to_owned()];
    let mut all = Vec::new();
    for name in &names {
        all.extend_from_slice(name.as_bytes());
        all.extend(fs::read(dist.join(name)).map_err(|e| format!("dist/{name}: {e}"))?);
        files.push(format!("./{name}"));
    }
    let list = files
        .iter()
        .map(|f| format!("'{f}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sw = template
        .replace("__VERSION__", &single::version(&all))
        .replace("__FILES__", &format!("[{list}]"));
    fs::write(dist.join("sw.js"), sw).map_err(|e| format!("dist/sw.js: {e}"))
}

/// Writes `dist/xinfang.html`, the whole app in one file (see `single.rs`).
fn write_single_file() -> Result {
    let dist = root().join("dist");
    let read = |name: &str| {
        fs::read(dist.join(name.trim_start_matches("./"))).map_err(|e| format!("dist/{name}: {e}"))
    };
    let text = |name: &str| {
        String::from_utf8(read(name)?).map_err(|_| format!("dist/{name} is not UTF-8"))
    };
    let index = text("index.html")?;
    let named = |html: &str, attr: &str| {
        single::attribute(html, attr)
            .map(str::to_owned)
            .ok_or(format!("dist/index.html has no {attr}"))
    };
    let css_tag = index
        .find("rel=\"stylesheet\"")
        .map(|i| &index[i..])
        .ok_or("dist/index.html has no stylesheet")?;
    let (glue, wasm, css) = (
        text(&named(&index, "data-js")?)?,
        read(&named(&index, "data-wasm")?)?,
        text(&named(css_tag, "href")?)?,
    );
    let page = single::assemble(&single::Build {
        index: &index,
        glue: &glue,
        wasm: &wasm,
        css: &css,
        icon: &read("favicon.svg")?,
        fallback: &text("fallback.js")?,
    })?;
    fs::write(dist.join("xinfang.html"), page).map_err(|e| format!("dist/xinfang.html: {e}"))
}

fn test(args: &[String]) -> Result {
    let layers: Vec<&str> = if args.is_empty() {
        vec!["lint", "native", "wasm", "fuzz", "e2e", "bench-smoke"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    for layer in layers {
        match layer {
            "lint" => lint()?,
            "native" => run(cmd("cargo").args(["test", "--workspace"]))?,
            "wasm" => test_wasm()?,
            "fuzz" => fuzz()?,
            "e2e" => {
                build_release()?;
                run(cmd("node")
                    .args(["--test", "--test-concurrency=1"])
                    .arg(root().join("tests/e2e")))?;
            }
            // The benchmark on a few hundred cases, so it cannot rot; its figures mean nothing.
            "bench-smoke" => run_bench("500", "200", false)?,
            other => {
                return Err(format!(
                    "unknown test layer {other} (lint, native, wasm, fuzz, e2e, bench-smoke)"
                ))
            }
        }
    }
    Ok(())
}

/// `cargo xtask bench [--sizes 10000,100000] [--import 10000]`.
fn bench(args: &[String]) -> Result {
    let value = |name: &str, default: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    run_bench(
        &value("--sizes", "10000,100000"),
        &value("--import", "10000"),
        true,
    )
}

/// Builds the release app and the benchmark's input files (generated cases, a signed
/// transfer, search terms), then drives Chromium over them; results land in
/// `target/bench/results.{md,json}`.
fn run_bench(sizes: &str, import: &str, release: bool) -> Result {
    build_release()?;
    let dir = root().join("target/bench");
    let today = china_today();
    let largest = sizes
        .split(',')
        .map(str::trim)
        .max_by_key(|s| s.parse::<usize>().unwrap_or(0));
    let data = |test: &str| {
        let mut c = cmd("cargo");
        c.arg("test");
        if release {
            // Generating 100,000 cases natively takes seconds optimised, minutes not.
            c.arg("--release");
        }
        c.args([
            "--test",
            "bench_data",
            "--",
            "--ignored",
            "--exact",
            "--nocapture",
            test,
        ])
        .env("BENCH_DIR", &dir)
        .env("BENCH_TODAY", &today)
        .env("BENCH_SIZES", sizes)
        .env("BENCH_IMPORT", import)
        .env("BENCH_PROFILE_SIZE", largest.unwrap_or("10000"));
        c
    };
    run(&mut data("write_bench_data"))?;
    let mut node = cmd("node");
    node.arg(root().join("tests/bench/bench.mjs"))
        .arg("--dir")
        .arg(&dir)
        .args(["--sizes", sizes]);
    if release {
        // The benchmark seals its transfer to the browser's key with the same build.
        node.env("BENCH_RELEASE", "1");
    }
    run(&mut node)?;
    // Where the time goes, natively: target/bench/profile.md.
    run(&mut data("profile_domain"))
}

/// Today's date in China (UTC+8), as the app's generator sees it.
fn china_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = (secs + 8 * 3600).div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Seconds the bundle-parser fuzz target runs in a test run.
const FUZZ_SECONDS: &str = "30";

/// Runs the bundle-parser fuzz target briefly (cargo-fuzz needs a nightly toolchain),
/// seeded with the test vectors; any crash fails the run.
fn fuzz() -> Result {
    let toolchains = output(Command::new("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    if output(cmd("cargo").args(["fuzz", "--version"])).is_none() {
        run(cmd("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    // A scratch corpus, so the committed vectors are only read.
    let corpus = root().join("target/fuzz-corpus/bundle_read");
    fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(root().join("tests/vectors"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let _ = fs::copy(entry.path(), corpus.join(entry.file_name()));
    }
    run(cmd("cargo")
        .args([
            "+nightly",
            "fuzz",
            "run",
            "--fuzz-dir",
            "tests/fuzz",
            "bundle_read",
        ])
        .arg(&corpus)
        .args([
            "--",
            &format!("-max_total_time={FUZZ_SECONDS}"),
            "-rss_limit_mb=2048",
            "-max_len=65536",
        ]))
}

/// Formatting and clippy with every warning an error, natively and for wasm. The wasm
/// pass covers the library, the binary and the browser tests; the library's own unit
/// tests are native-only (they test the domain), so `--all-targets` is the native pass.
fn lint() -> Result {
    let installed = output(Command::new("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    for component in ["rustfmt", "clippy"] {
        if !installed.lines().any(|l| l.starts_with(component)) {
            run(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    run(cmd("cargo").args(["fmt", "--all", "--check"]))?;
    run(cmd("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let mut wasm = cmd("cargo");
    wasm.args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "--lib",
        "--bins",
    ]);
    for name in browser_tests()? {
        wasm.args(["--test", &name]);
    }
    run(wasm.args(["--", "-D", "warnings"]))
}

/// The tests/*.rs that run in the browser: those that use wasm-bindgen-test.
fn browser_tests() -> Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(root().join("tests"))
        .map_err(|e| format!("cannot list tests/: {e}"))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            fs::read_to_string(root().join("tests").join(n))
                .is_ok_and(|t| t.contains("wasm_bindgen_test_configure!"))
        })
        .filter_map(|n| n.strip_suffix(".rs").map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

/// Browser tests of storage and operations: builds the wasm test binaries, then runs each in
/// headless Chromium through wasm-bindgen-test-runner and ChromeDriver.
fn test_wasm() -> Result {
    // The library's own unit tests and the other integration tests are native-only.
    let names = browser_tests()?;
    let mut build = cmd("cargo");
    build.args([
        "test",
        "--target",
        "wasm32-unknown-unknown",
        "--no-run",
        "--message-format=json",
    ]);
    for n in &names {
        build.args(["--test", n]);
    }
    // Cargo's progress and errors go to the terminal; only the JSON is captured.
    let out = build
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err("building the wasm tests failed".into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let wasm: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("\"executable\":\"") && l.contains("\"test\":true"))
        .filter_map(|l| l.split("\"executable\":\"").nth(1)?.split('"').next())
        .filter(|p| p.ends_with(".wasm"))
        .collect();
    if wasm.is_empty() {
        return Err("no wasm test binaries were built".into());
    }
    // The runner reads browser capabilities from webdriver.json in its working directory.
    let dir = root().join("target/webdriver");
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let caps = format!(
        r#"{{"goog:chromeOptions":{{"binary":"{CHROMIUM_BINARY}","args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run","--user-data-dir={}"]}}}}"#,
        dir.join("profile").display()
    );
    fs::write(dir.join("webdriver.json"), caps).map_err(|e| e.to_string())?;
    for w in wasm {
        let _ = fs::remove_dir_all(dir.join("profile"));
        run(cmd("wasm-bindgen-test-runner")
            .arg(w)
            .current_dir(&dir)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))?;
    }
    Ok(())
}
