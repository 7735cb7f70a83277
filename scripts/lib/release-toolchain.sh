# Sourced by scripts/setup and scripts/lib/wasm-pack-build.sh: the pinned nightly toolchain of the
# release wasm builds (the client's module and the emulator's), which scripts/setup installs with
# the rust-src component and the wasm32-unknown-unknown target. Those builds rebuild the standard
# library with the package and pass flags only a nightly compiler accepts (-Zbuild-std,
# -Cpanic=immediate-abort, -Zlocation-detail=none; what each gives: bench/FINDINGS.md). Everything
# else (checks, tests, debug builds, the native emulator) uses the stable toolchain.
#
# Moving the pin: change the date, run scripts/setup and scripts/build, and compare pkg/SIZE and
# pkg/emulator/SIZE with the figures of the README's `scripts/build` paragraph (tier
# 60-size-budget holds the budgets).
RELEASE_TOOLCHAIN=nightly-2026-05-20

# Fails, naming what to run, when the pinned toolchain (with rust-src and the wasm32 target) is
# not installed: a release build must not fall back to another compiler unnoticed.
require_release_toolchain() {
  local sysroot
  if ! sysroot=$(rustup run "$RELEASE_TOOLCHAIN" rustc --print sysroot 2>/dev/null) \
    || [ ! -d "$sysroot/lib/rustlib/src/rust/library/std" ] \
    || [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ]; then
    echo "the release wasm build needs the $RELEASE_TOOLCHAIN toolchain with rust-src and the wasm32-unknown-unknown target: run scripts/setup (BUILD_STD=0 builds with the stable toolchain, without the size flags)" >&2
    return 1
  fi
}
