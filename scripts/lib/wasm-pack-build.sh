# Sourced by scripts/build and bench/build-ours: `wasm_pack_build PROFILE OUT_DIR [wasm-pack flags]`
# runs the one wasm-pack build of the package.
#
# A release build also rebuilds the standard library with the package (cargo -Zbuild-std, the
# rust-src component of scripts/setup) with the `immediate-abort` panic strategy: a panic (a bug,
# never an answer to input) traps at once, as `panic = "abort"` already makes it do, but without
# the panic machinery and location strings, and std is optimised for size together with our code.
# Measured on the package at 93f0fa3: 191,628 -> 177,172 B gzip (-7.5 %; build-std alone gave
# -5.1 KB, the panic strategy -9.3 KB more; bench/FINDINGS.md). These are unstable flags of the
# machine's one stable toolchain (RUSTC_BOOTSTRAP); BUILD_STD=0 builds without them, e.g. if a
# toolchain refuses them (the size budget of tier 60 then fails, so it cannot pass unnoticed).
wasm_pack_build() {
  local profile=$1 out=$2
  shift 2
  if [ "$profile" = release ] && [ "${BUILD_STD:-1}" = 1 ]; then
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
      wasm-pack build "$@" --release --target web --out-dir "$out" --out-name instaclustr_pg --no-pack crates/wasm \
      -- -Zbuild-std=std,panic_abort
  else
    wasm-pack build "$@" "--$profile" --target web --out-dir "$out" --out-name instaclustr_pg --no-pack crates/wasm
  fi
}
