# Sourced by scripts/build: `emulator_wasm_build PROFILE OUT_DIR` builds the emulator's own module
# (crates/emulator-wasm, for `instaclustr-pg/emulator`) into OUT_DIR: emulator_core.js (the
# wasm-bindgen glue, --target web) and emulator_core_bg.wasm (release: wasm-opt -Oz). A module of
# its own, so that the client's .wasm and its size budget do not change and an app that never
# imports the emulator never loads it.
#
# A release build uses the flags of the client's (scripts/lib/wasm-pack-build.sh: std rebuilt
# with immediate-abort panics, no location strings, opt-level "z" for every crate): the same
# standard library build serves both, and the emulator's hot paths are not size-critical loops.
emulator_wasm_build() {
  local profile=$1 out=$2
  local wasm=target/wasm32-unknown-unknown/$profile/instaclustr_pg_emulator_wasm.wasm
  if [ "$profile" = release ] && [ "${BUILD_STD:-1}" = 1 ]; then
    require_release_toolchain || return 1
    RUSTUP_TOOLCHAIN=$RELEASE_TOOLCHAIN \
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
      cargo build --quiet --release --target wasm32-unknown-unknown -p instaclustr-pg-emulator-wasm \
      -Zbuild-std=std,panic_abort "${SIZE_PROFILE[@]}" \
      --config 'profile.release.package.instaclustr-pg-emulator-wasm.opt-level="z"'
  elif [ "$profile" = release ]; then
    cargo build --quiet --release --target wasm32-unknown-unknown -p instaclustr-pg-emulator-wasm
  else
    cargo build --quiet --target wasm32-unknown-unknown -p instaclustr-pg-emulator-wasm
    wasm=target/wasm32-unknown-unknown/debug/instaclustr_pg_emulator_wasm.wasm
  fi
  rm -rf "$out"
  mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name emulator_core "$wasm"
  if [ "$profile" = release ]; then
    wasm-opt -Oz --strip-producers --strip-debug "$out/emulator_core_bg.wasm" -o "$out/emulator_core_bg.wasm.opt" \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      --enable-reference-types --enable-multivalue
    mv "$out/emulator_core_bg.wasm.opt" "$out/emulator_core_bg.wasm"
  fi
}
