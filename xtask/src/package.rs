//! The packaging check of `cargo xtask test`: the four published crates
//! packaged together, each package then built on its own from its files
//! (cargo's verification build), so that what would be published builds
//! without the rest of the workspace.

use std::path::Path;

use crate::command::{RING_CRATES, cargo, run_step, workspace_root};

/// The files every package must carry, with the root file each licence
/// must equal byte for byte (the crates link to the root's, and a checkout
/// without symlinks would ship the link's text instead).
const REQUIRED: [(&str, Option<&str>); 3] = [
    ("README.md", None),
    ("LICENSE-MIT", Some("LICENSE-MIT")),
    ("LICENSE-APACHE", Some("LICENSE-APACHE")),
];

/// Where cargo's verification builds go, relative to the workspace root.
const VERIFY_TARGET_DIR: &str = "target/package-verify";

/// Packages the ring crates and verifies that each package builds, that
/// each carries its README and the licences, and that no shipped test
/// needs the unpublished `test-support` crate.
pub fn check() -> Result<(), String> {
    forget_stale_extractions()?;
    let mut command = cargo();
    // A dirty tree is allowed so that the check also runs before a commit;
    // CI runs it on a clean checkout. The verification builds get a target
    // directory of their own, emptied first (see `forget_stale_extractions`).
    command.args([
        "package",
        "--allow-dirty",
        "--target-dir",
        VERIFY_TARGET_DIR,
    ]);
    for package in RING_CRATES {
        command.args(["-p", package]);
    }
    run_step("package the crates and build each package", &mut command)?;
    let root = workspace_root();
    let version = env!("CARGO_PKG_VERSION");
    for package in RING_CRATES {
        let files = listed_files(package)?;
        let unpacked = root
            .join(VERIFY_TARGET_DIR)
            .join("package")
            .join(format!("{package}-{version}"));
        for (wanted, same_as) in REQUIRED {
            if !files.iter().any(|file| file == wanted) {
                return Err(format!("the package of {package} lacks {wanted}"));
            }
            if let Some(original) = same_as {
                same_bytes(&unpacked.join(wanted), &root.join(original))?;
            }
        }
        for test in files.iter().filter(|file| file.starts_with("tests/")) {
            let text = std::fs::read_to_string(unpacked.join(test)).unwrap_or_default();
            if text.contains("test_support") {
                return Err(format!(
                    "the package of {package} ships {test}, which needs the unpublished \
                     test-support crate: add it to the crate's `exclude`"
                ));
            }
        }
    }
    eprintln!(
        "package: every crate packages and builds alone, carries its README and the licences, \
         and ships no test that needs test-support"
    );
    Ok(())
}

/// The files of `package`'s package, as `cargo package --list` names them.
fn listed_files(package: &str) -> Result<Vec<String>, String> {
    let output = cargo()
        .args(["package", "--allow-dirty", "--list", "-p", package])
        .output()
        .map_err(|error| format!("could not run cargo package --list: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo package --list -p {package} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Fails unless the files at `packaged` and `original` hold the same bytes.
fn same_bytes(packaged: &Path, original: &Path) -> Result<(), String> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
    };
    if read(packaged)? == read(original)? {
        Ok(())
    } else {
        Err(format!(
            "{} differs from {} (a symlink packaged as its own text?)",
            packaged.display(),
            original.display()
        ))
    }
}

/// Removes what earlier packaging runs extracted of the ring crates.
///
/// Cargo's verification build reads the sibling packages from a temporary
/// registry in `target/package`, and extracts each into
/// `$CARGO_HOME/registry/src/-<hash of that path>/<crate>-<version>`. It
/// extracts only if that directory is missing, and the version does not
/// change between commits, so a second run from the same checkout path
/// built against the ring-core of the first run: the check failed on a
/// clean clone with a new ring-core API, against an old one.
///
/// The verification builds have the same blind spot (cargo fingerprints a
/// registry crate by name, version and source, not content), so their
/// target directory is emptied too.
fn forget_stale_extractions() -> Result<(), String> {
    let builds = workspace_root().join(VERIFY_TARGET_DIR);
    if builds.is_dir() {
        std::fs::remove_dir_all(&builds)
            .map_err(|error| format!("cannot remove {}: {error}", builds.display()))?;
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let sources = cargo_home.join("registry").join("src");
    let Ok(registries) = std::fs::read_dir(&sources) else {
        return Ok(()); // Nothing extracted yet.
    };
    let version = env!("CARGO_PKG_VERSION");
    for registry in registries.flatten() {
        // Local registries (cargo's temporary one among them) have no name:
        // their directory is `-<hash>`. crates.io's is never touched.
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for package in RING_CRATES {
            let extracted = registry.path().join(format!("{package}-{version}"));
            if extracted.is_dir() {
                std::fs::remove_dir_all(&extracted)
                    .map_err(|error| format!("cannot remove {}: {error}", extracted.display()))?;
            }
        }
    }
    Ok(())
}
