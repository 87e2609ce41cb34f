#!/bin/sh
# npm start's watchdog (scripts/orphans.ts): when npm start dies without stopping the servers it
# started (SIGKILL, out of memory), stops the ones recorded in its run folder, so none lingers.
# A shell loop, not a Node process: it costs about a megabyte while it waits.
# Usage: watchdog.sh <npm start pid> <its start time> <run folder>
parent=$1
parent_start=$2
run=$3
# Fields of /proc/<pid>/stat after the command name: 1 state, 20 start time (clock ticks since boot).
field() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f"$2"; }
# The very process recorded (pids are reused), and not a zombie.
running() { [ "$(field "$1" 20)" = "$2" ] && [ "$(field "$1" 1)" != Z ]; }

while running "$parent" "$parent_start"; do sleep 1; done

left=""
for f in "$run"/*.pid; do
  [ -f "$f" ] && [ "$f" != "$run/start.pid" ] || continue
  read -r pid start signal <"$f"
  if running "$pid" "$start"; then
    kill -s "$signal" "$pid" 2>/dev/null
    left="$left $pid:$start"
  fi
done
# What has not stopped after 15 s is killed.
i=0
while [ $i -lt 15 ]; do
  alive=""
  for p in $left; do running "${p%%:*}" "${p#*:}" && alive="$alive $p"; done
  [ -z "$alive" ] && exit 0
  left=$alive
  i=$((i + 1))
  sleep 1
done
for p in $left; do kill -s KILL "${p%%:*}" 2>/dev/null; done
