//! Architecture invariants, checked on the source (as rust-analyzer's "tidy" tests do):
//! the layers depend one way (ARCHITECTURE.md states the rule), no module cycles, no
//! browser or UI crate below the layers that may use one, rooms of at most 700 lines,
//! and no user text ever set as HTML.
//!
//! Every `use` and every `crate::`/`super::` path of production code (test modules
//! aside) is resolved to the module file that defines it, following `pub use`
//! re-exports, so a path through a re-export counts as a path to where the item lives.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The layers, lowest first, and what each may use (itself always).
const LAYERS: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("exchange", &["domain"]),
    ("report", &["domain"]),
    ("demo", &["domain"]),
    ("store", &["domain", "exchange"]),
    ("platform", &["domain", "exchange"]),
    (
        "app",
        &["domain", "exchange", "report", "demo", "store", "platform"],
    ),
    (
        "ui",
        &[
            "domain", "exchange", "report", "demo", "store", "platform", "app",
        ],
    ),
];

/// Crates of the browser and of the UI, and the layers that may name them.
const BROWSER_CRATES: &[(&str, &[&str])] = &[
    ("leptos", &["ui"]),
    ("web_sys", &["store", "platform", "app", "ui"]),
    ("js_sys", &["store", "platform", "app", "ui"]),
    ("wasm_bindgen", &["store", "platform", "app", "ui"]),
    ("wasm_bindgen_futures", &["store", "platform", "app", "ui"]),
    ("indexed_db_futures", &["store"]),
    ("gloo_timers", &["store", "platform"]),
    ("gloo_file", &["platform"]),
    ("gloo_events", &["store", "platform"]),
];

const MAX_LINES: usize = 700;

/// One source file: its module path, and whether it is test code.
struct Source {
    module: Vec<String>,
    file: PathBuf,
    syntax: syn::File,
    is_test: bool,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    collect(&root(), &mut files);
    files
        .into_iter()
        // The entry points are binaries beside the library, not its modules.
        .filter(|f| f.file_name().is_some_and(|n| n != "main.rs"))
        .filter(|f| !f.starts_with(root().join("bin")))
        .map(|file| {
            let rel = file.strip_prefix(root()).unwrap_or(&file).to_path_buf();
            let mut module: Vec<String> = rel
                .with_extension("")
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            let text = fs::read_to_string(&file).unwrap_or_default();
            let syntax =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let is_test = module.last().is_some_and(|m| m == "tests");
            Source {
                module,
                file,
                syntax,
                is_test,
            }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The paths a module names: every `use` (with whether it re-exports) and every
/// `crate::`, `super::` or `self::` path in its code; test modules are left out.
#[derive(Default)]
struct Named {
    uses: Vec<(Vec<String>, bool)>,
    paths: Vec<Vec<String>>,
    crates: BTreeSet<String>,
}

fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => out.push(prefix.clone()),
        syn::UseTree::Name(n) => {
            let mut p = prefix.clone();
            p.push(n.ident.to_string());
            out.push(p);
        }
        syn::UseTree::Rename(r) => {
            let mut p = prefix.clone();
            p.push(r.ident.to_string());
            out.push(p);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Named {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_cfg_test(attrs) {
            return;
        }
        if let syn::Item::Use(u) = item {
            let mut paths = Vec::new();
            flatten(&u.tree, &mut Vec::new(), &mut paths);
            let public = matches!(u.vis, syn::Visibility::Public(_));
            for p in paths {
                if let Some(first) = p.first() {
                    self.crates.insert(first.clone());
                }
                self.uses.push((p, public));
            }
            return;
        }
        syn::visit::visit_item(self, item);
    }

    // `pub(super)` and `pub(crate)` name where an item is seen, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = segs.first() {
            if ["crate", "super", "self"].contains(&first.as_str()) {
                self.paths.push(segs.clone());
            } else if segs.len() > 1 {
                self.crates.insert(first.clone());
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// A path as written in `module`, made absolute from the crate root (no `crate`).
fn absolute(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") | Some("super") => {
            // In `a/b.rs` and in `a/b/mod.rs` alike (module a::b), `super` is `a`.
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "self" => rest = &rest[1..],
                    "super" => {
                        base.pop()?;
                        rest = &rest[1..];
                    }
                    _ => break,
                }
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

impl Crate {
    /// [`absolute`], plus a path that starts with a child module of `module` (the 2018
    /// edition's `use child::Item` in a `mod.rs`); `None` for other crates' paths.
    fn absolute_in(&self, module: &[String], path: &[String]) -> Option<Vec<String>> {
        absolute(module, path).or_else(|| {
            let mut child = module.to_vec();
            child.push(path.first()?.clone());
            self.modules.contains_key(&child).then(|| {
                let mut full = module.to_vec();
                full.extend(path.iter().cloned());
                full
            })
        })
    }
}

struct Crate {
    modules: BTreeMap<Vec<String>, usize>,
    sources: Vec<Source>,
    named: Vec<Named>,
}

impl Crate {
    fn load() -> Crate {
        let sources = sources();
        let named = sources
            .iter()
            .map(|s| {
                let mut n = Named::default();
                n.visit_file(&s.syntax);
                n
            })
            .collect();
        let modules = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.module.clone(), i))
            .collect();
        Crate {
            modules,
            sources,
            named,
        }
    }

    /// The file that defines what `path` (absolute) names, following re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        let (len, &file) = (1..=path.len())
            .rev()
            .find_map(|n| self.modules.get(&path[..n]).map(|f| (n, f)))?;
        let Some(name) = path.get(len) else {
            return Some(file);
        };
        if depth > 8 {
            return Some(file);
        }
        let source = &self.sources[file];
        for (used, public) in &self.named[file].uses {
            if *public && used.last() == Some(name) {
                if let Some(target) = self.absolute_in(&source.module, used) {
                    let mut full = target;
                    full.extend(path[len + 1..].iter().cloned());
                    return self.resolve(&full, depth + 1).or(Some(file));
                }
            }
        }
        Some(file)
    }

    /// Each production file's dependencies on other files of the crate.
    fn edges(&self) -> BTreeMap<usize, BTreeSet<usize>> {
        let mut out: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for (i, s) in self.sources.iter().enumerate() {
            let n = &self.named[i];
            let all = n
                .uses
                .iter()
                .map(|(p, _)| p)
                .chain(&n.paths)
                .filter_map(|p| self.absolute_in(&s.module, p));
            for path in all {
                if let Some(j) = self.resolve(&path, 0) {
                    if j != i && !self.sources[j].module.is_empty() {
                        out.entry(i).or_default().insert(j);
                    }
                }
            }
        }
        out
    }

    fn name(&self, i: usize) -> String {
        self.sources[i]
            .file
            .strip_prefix(root())
            .unwrap_or(&self.sources[i].file)
            .display()
            .to_string()
    }

    fn layer(&self, i: usize) -> Option<&str> {
        self.sources[i].module.first().map(String::as_str)
    }
}

#[test]
fn layers_depend_one_way() {
    let krate = Crate::load();
    let mut wrong = Vec::new();
    for (i, s) in krate.sources.iter().enumerate() {
        let Some(layer) = krate.layer(i) else {
            continue;
        };
        assert!(
            LAYERS.iter().any(|(l, _)| *l == layer),
            "{} is in no layer",
            krate.name(i)
        );
        let n = &krate.named[i];
        // Test modules may reach only what their layer may (fixtures of lower layers).
        let named: Vec<&Vec<String>> = n.uses.iter().map(|(p, _)| p).chain(&n.paths).collect();
        for path in named {
            let Some(abs) = krate.absolute_in(&s.module, path) else {
                continue;
            };
            let Some(target) = abs.first() else { continue };
            if !may_use(layer, target) {
                wrong.push(format!("{} uses {}", krate.name(i), abs.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "layers broken:\n{}", wrong.join("\n"));
}

#[test]
fn browser_and_ui_crates_stay_in_their_layers() {
    let krate = Crate::load();
    let mut wrong = Vec::new();
    for (i, _) in krate.sources.iter().enumerate() {
        let Some(layer) = krate.layer(i) else {
            continue;
        };
        for c in &krate.named[i].crates {
            if let Some((_, allowed)) = BROWSER_CRATES.iter().find(|(name, _)| name == c) {
                if !allowed.contains(&layer) {
                    wrong.push(format!("{} uses {c}", krate.name(i)));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The cycles of a directed graph over `0..n`: its strongly connected components of
/// more than one node (Tarjan's algorithm).
fn find_cycles(n: usize, edges: &BTreeMap<usize, BTreeSet<usize>>) -> Vec<Vec<usize>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<usize, BTreeSet<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        cycles: Vec<Vec<usize>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in self.edges.get(&v).into_iter().flatten() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut comp = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort_unstable();
                    self.cycles.push(comp);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        cycles: Vec::new(),
    };
    for v in 0..n {
        if walk.index[v].is_none() {
            walk.visit(v);
        }
    }
    walk.cycles
}

/// Whether code of `layer` may use `target`.
fn may_use(layer: &str, target: &str) -> bool {
    target == layer
        || LAYERS
            .iter()
            .find(|(l, _)| *l == layer)
            .is_some_and(|(_, allowed)| allowed.contains(&target))
}

#[test]
fn no_module_cycles() {
    let krate = Crate::load();
    // Test modules import what they test; only production code must not go round.
    let edges: BTreeMap<usize, BTreeSet<usize>> = krate
        .edges()
        .into_iter()
        .filter(|(i, _)| !krate.sources[*i].is_test)
        .map(|(i, to)| {
            let to = to
                .into_iter()
                .filter(|j| !krate.sources[*j].is_test)
                .collect();
            (i, to)
        })
        .collect();
    let named: Vec<String> = find_cycles(krate.sources.len(), &edges)
        .iter()
        .map(|c| {
            c.iter()
                .map(|&i| krate.name(i))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(named.is_empty(), "module cycles:\n{}", named.join("\n"));
}

#[test]
fn the_checks_see_a_cycle_and_a_layer_break() {
    // A cycle round three files, and a file beside it that only points in.
    let graph: BTreeMap<usize, BTreeSet<usize>> = [
        (0, BTreeSet::from([1])),
        (1, BTreeSet::from([2])),
        (2, BTreeSet::from([0])),
        (3, BTreeSet::from([0])),
    ]
    .into();
    assert_eq!(find_cycles(4, &graph), vec![vec![0, 1, 2]]);
    graph_without(&graph, 2);
    assert!(!may_use("domain", "ui"));
    assert!(!may_use("store", "app"));
    assert!(may_use("app", "store"));
    // A path through a re-export reaches the file that defines the item.
    let module = vec!["domain".to_owned(), "case".to_owned()];
    let path: Vec<String> = ["super", "workflow", "Step"].map(String::from).to_vec();
    assert_eq!(
        absolute(&module, &path),
        Some(["domain", "workflow", "Step"].map(String::from).to_vec())
    );
    let krate = Crate::load();
    let step = krate
        .resolve(&["domain", "workflow", "Step"].map(String::from), 0)
        .map(|i| krate.name(i));
    assert_eq!(step.as_deref(), Some("domain/workflow/steps.rs"));
    let edges = krate.edges();
    let file = |name: &str| {
        (0..krate.sources.len())
            .find(|&i| krate.name(i) == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert!(edges[&file("domain/workflow/flow.rs")].contains(&file("domain/workflow/steps.rs")));
    assert!(edges[&file("ui/shell.rs")].contains(&file("app/office.rs")));
}

/// Breaking the cycle anywhere leaves none.
fn graph_without(graph: &BTreeMap<usize, BTreeSet<usize>>, node: usize) {
    let cut: BTreeMap<usize, BTreeSet<usize>> = graph
        .iter()
        .filter(|(i, _)| **i != node)
        .map(|(i, to)| (*i, to.iter().copied().filter(|j| *j != node).collect()))
        .collect();
    assert!(find_cycles(4, &cut).is_empty());
}

#[test]
fn rooms_of_one_job_stay_small() {
    let big: Vec<String> = Crate::load()
        .sources
        .iter()
        .filter_map(|s| {
            let lines = fs::read_to_string(&s.file)
                .unwrap_or_default()
                .lines()
                .count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", s.file.display()))
        })
        .collect();
    assert!(
        big.is_empty(),
        "over {MAX_LINES} lines (split it; tests can go to a sibling tests.rs):\n{}",
        big.join("\n")
    );
}

#[test]
fn no_text_is_set_as_html() {
    let krate = Crate::load();
    let hits: Vec<String> = krate
        .sources
        .iter()
        .filter(|s| {
            fs::read_to_string(&s.file)
                .unwrap_or_default()
                .contains("inner_html")
        })
        .map(|s| s.file.display().to_string())
        .collect();
    assert!(hits.is_empty(), "inner_html in:\n{}", hits.join("\n"));
}
