//! The packaging check of `cargo xtask test`: the four published crates
//! packaged together, each package then built on its own from its files
//! (cargo's verification build), so that what would be published builds
//! without the rest of the workspace.

use crate::command::{RING_CRATES, cargo, run_step};

/// Packages the ring crates and verifies that each package builds, and
/// that each carries its README and both licence files.
pub fn check() -> Result<(), String> {
    let mut command = cargo();
    // A dirty tree is allowed so that the check also runs before a commit;
    // CI runs it on a clean checkout.
    command.args(["package", "--allow-dirty"]);
    for package in RING_CRATES {
        command.args(["-p", package]);
    }
    run_step("package the crates and build each package", &mut command)?;
    for package in RING_CRATES {
        let output = cargo()
            .args(["package", "--allow-dirty", "--list", "-p", package])
            .output()
            .map_err(|error| format!("could not run cargo package --list: {error}"))?;
        let files = String::from_utf8_lossy(&output.stdout);
        for wanted in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            if !files.lines().any(|file| file == wanted) {
                return Err(format!("the package of {package} lacks {wanted}"));
            }
        }
    }
    eprintln!("package: every crate packages, builds alone and carries its README and licences");
    Ok(())
}
