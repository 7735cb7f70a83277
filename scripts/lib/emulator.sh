# Sourced by scripts that run the emulator in the background (scripts/demo, test tiers).
# start_emulator LOG READY ARGS...: starts target/debug/instaclustr-pg-emulator with ARGS, its output
# in LOG, and waits up to 10 s until LOG has a line matching the regex READY. Sets EMU_PID and
# EMU_URL (http://127.0.0.1:<port>); prints LOG and returns 1 when the emulator exits or never
# gets ready. The caller stops it (kill "$EMU_PID").
start_emulator() {
  local log=$1 ready=$2
  shift 2
  ./target/debug/instaclustr-pg-emulator "$@" >"$log" 2>&1 &
  EMU_PID=$!
  EMU_URL=""
  for _ in $(seq 1 100); do
    if grep -qE "$ready" "$log"; then
      EMU_URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -n1)
      [ -n "$EMU_URL" ] && return 0
    fi
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  echo "the emulator exited or printed no address" >&2
  return 1
}
