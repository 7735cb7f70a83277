# Sourced by scripts/build and bench/build-ours: `wasm_pack_build PROFILE OUT_DIR [wasm-pack flags]`
# runs the one wasm-pack build of the package.
#
# A release build also rebuilds the standard library with the package (cargo -Zbuild-std) with
# the `immediate-abort` panic strategy: a panic (a bug, never an answer to input) traps at once,
# as `panic = "abort"` already makes it do, but without the panic machinery and location strings,
# and std is optimised for size together with our code. `-Zlocation-detail=none` leaves out the
# file names and lines `#[track_caller]` code still records (js-sys and wasm-bindgen's
# `unwrap_throw`, `RefCell` borrows). What each gives: bench/FINDINGS.md. These flags are
# unstable: the build runs on the pinned nightly of scripts/lib/release-toolchain.sh (installed by
# scripts/setup), through RUSTUP_TOOLCHAIN for wasm-pack's cargo and rustc only. BUILD_STD=0
# builds with the stable toolchain and none of them (the size budget of tier 60 then fails, so it
# cannot pass unnoticed).
. "$(dirname "${BASH_SOURCE[0]}")/release-toolchain.sh"

# That build also sets opt-level "z" (size) for every dependency (serde_json, js-sys,
# wasm-bindgen, std) and for the cdylib (the JS surface, the client futures), and leaves the core
# (the response check, the validation reader and the validators: the hot loops) at the
# workspace's "s": size where the time is not spent, speed where it is (the core at "z" as well
# is smaller but makes parses and validations slower; bench/FINDINGS.md). Passed as --config so
# that only this build changes (not the emulator's).
SIZE_PROFILE=(--config 'profile.release.package."*".opt-level="z"'
  --config 'profile.release.package.instaclustr-pg.opt-level="z"')
wasm_pack_build() {
  local profile=$1 out=$2
  shift 2
  if [ "$profile" = release ] && [ "${BUILD_STD:-1}" = 1 ]; then
    require_release_toolchain || return 1
    RUSTUP_TOOLCHAIN=$RELEASE_TOOLCHAIN \
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
      wasm-pack build "$@" --release --target web --out-dir "$out" --out-name instaclustr_pg --no-pack . \
      -- -Zbuild-std=std,panic_abort "${SIZE_PROFILE[@]}"
  else
    wasm-pack build "$@" "--$profile" --target web --out-dir "$out" --out-name instaclustr_pg --no-pack .
  fi
}
