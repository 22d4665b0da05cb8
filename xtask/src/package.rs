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

/// Packages the ring crates and verifies that each package builds, that
/// each carries its README and the licences, and that no shipped test
/// needs the unpublished `test-support` crate.
pub fn check() -> Result<(), String> {
    let mut command = cargo();
    // A dirty tree is allowed so that the check also runs before a commit;
    // CI runs it on a clean checkout.
    command.args(["package", "--allow-dirty"]);
    for package in RING_CRATES {
        command.args(["-p", package]);
    }
    run_step("package the crates and build each package", &mut command)?;
    let root = workspace_root();
    let version = env!("CARGO_PKG_VERSION");
    for package in RING_CRATES {
        let files = listed_files(package)?;
        let unpacked = root
            .join("target")
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
