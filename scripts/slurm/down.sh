#!/usr/bin/env bash
# Stop the Slurm daemons that up.sh started, by the PIDs it recorded in
# $SELFCONSUME_SLURM_STATE/pids (default /run/selfconsume-slurm); daemons it
# did not start are left alone. Jobs still queued on a controller it started
# are cancelled first.
set -uo pipefail
state=${SELFCONSUME_SLURM_STATE:-/run/selfconsume-slurm}
say() { echo "slurm down: $*"; }
if [ ! -s "$state/pids" ]; then
	say "up.sh recorded no daemons: nothing to stop"
	exit 0
fi
if grep -q '^slurmctld ' "$state/pids"; then
	jobs=$(timeout 5 squeue -h -o %A 2>/dev/null | sort -u)
	if [ -n "$jobs" ]; then
		say "cancelling jobs $(echo $jobs)"
		timeout 10 scancel $jobs
	fi
fi
# Each daemon takes about 2 s to stop: signal them all, then wait.
declare -A stopping=()
while read -r name pid; do
	# A recorded PID counts only while it is still the daemon we started.
	if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
		kill -TERM "$pid" && stopping[$pid]=$name
	else
		say "$name (pid $pid) is no longer running"
	fi
done <"$state/pids"
for _ in $(seq 100); do
	for pid in "${!stopping[@]}"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			say "stopped ${stopping[$pid]} (pid $pid)"
			unset "stopping[$pid]"
		fi
	done
	[ ${#stopping[@]} -eq 0 ] && break
	sleep 0.1
done
for pid in "${!stopping[@]}"; do
	kill -KILL "$pid" 2>/dev/null
	say "killed ${stopping[$pid]} (pid $pid): it did not stop within 10 s"
done
# slurmctld leaves its PID file behind; a stale one breaks package removal.
grep -q '^slurmctld ' "$state/pids" && rm -f /run/slurmctld.pid
rm -f "$state/pids"
