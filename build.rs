//! Lets `wasm-pack test --headless --chrome` (or `--firefox`) run the `tests/*.rs` suites in the
//! browser, and `wasm-pack test --node` the same suites in Node, with no extra variable.
//!
//! A wasm-bindgen-test binary chooses its runtime when it is compiled
//! (`wasm_bindgen_test_configure!(run_in_browser)`), and the test runner skips, reporting
//! success, a suite built for the other runtime. wasm-pack tells which runtime it wants only
//! through the environment of the `cargo test` it starts (`WASM_BINDGEN_TEST_ONLY_WEB` for a
//! browser, `WASM_BINDGEN_TEST_ONLY_NODE` for Node), so this script turns that into the cfg
//! `wasm_test_browser`, which each suite reads.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(wasm_test_browser)");
    println!("cargo::rerun-if-env-changed=WASM_BINDGEN_TEST_ONLY_WEB");
    println!("cargo::rerun-if-env-changed=WASM_BINDGEN_USE_BROWSER");
    println!("cargo::rerun-if-changed=build.rs");
    let browser = std::env::var_os("WASM_BINDGEN_TEST_ONLY_WEB").is_some()
        || std::env::var_os("WASM_BINDGEN_USE_BROWSER").is_some();
    if browser {
        println!("cargo::rustc-cfg=wasm_test_browser");
    }
}
