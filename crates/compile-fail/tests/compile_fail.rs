//! Runs the programs of `tests/ui`, each of which must fail to compile with
//! the error recorded in its `.stderr` file.
#![cfg(not(miri))]

/// Checks that every misuse in `tests/ui` is rejected, with the expected
/// error.
///
/// After a compiler upgrade changes the wording of a diagnostic, regenerate
/// the `.stderr` files with
/// `TRYBUILD=overwrite cargo test -p ring-compile-fail`, then read the diff
/// to make sure each program still fails for its intended reason (the same
/// error code, at the same line) and no other.
#[test]
fn misuses_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
