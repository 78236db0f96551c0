#!/usr/bin/env bash
# Start a real single-node Slurm on this machine (munged, slurmctld, slurmd;
# Debian 12's packages, installed with apt-get when missing), set up the way
# that works in a container: no systemd, no cgroups, one node "localhost"
# at 127.0.0.1 with this machine's cores. The PIDs of the daemons this script
# starts are recorded in $SELFCONSUME_SLURM_STATE/pids (default
# /run/selfconsume-slurm) so that down.sh stops those and nothing else.
# A Slurm that already answers is left as it is. Needs root; exits non-zero
# when Slurm cannot be brought up (the sweep's Slurm test then skips).
set -euo pipefail
state=${SELFCONSUME_SLURM_STATE:-/run/selfconsume-slurm}
conf=/etc/slurm/slurm.conf
mark="# written by selfconsume scripts/slurm/up.sh"
t0=$(date +%s.%N)
say() { echo "slurm up: $*"; }
took() { echo "$(date +%s.%N) $t0" | awk '{printf "%.1fs", $1 - $2}'; }
fail() {
	say "$*"
	for f in /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; do
		[ -s "$f" ] && { echo "--- tail of $f"; tail -n 15 "$f"; }
	done
	exit 1
}

# scontrol ping answers at once; sinfo waits about 9 s for a controller that is not there.
if command -v scontrol >/dev/null 2>&1 && timeout 5 scontrol ping >/dev/null 2>&1 &&
	nodes=$(timeout 5 sinfo -h -o %T 2>/dev/null) && [ -n "$nodes" ]; then
	say "Slurm already answers (nodes: $(echo $nodes)); starting nothing"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || fail "needs root to install and start Slurm"
mkdir -p "$state"

# Packages: slurmctld, slurmd, slurm-client (sbatch, squeue, sinfo...), munge.
missing=0
for f in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/sbatch; do
	[ -x "$f" ] || missing=1
done
if [ "$missing" = 1 ]; then
	say "installing slurmctld slurmd slurm-client munge (log: $state/apt.log)"
	export DEBIAN_FRONTEND=noninteractive
	pkgs="slurmctld slurmd slurm-client munge"
	if ! apt-get install -y --no-install-recommends $pkgs >"$state/apt.log" 2>&1; then
		apt-get update >>"$state/apt.log" 2>&1 &&
			apt-get install -y --no-install-recommends $pkgs >>"$state/apt.log" 2>&1 ||
			{ tail -n 5 "$state/apt.log"; fail "could not install $pkgs"; }
	fi
	say "installed in $(took)"
fi

# slurm.conf: ours, unless someone else's is there.
if [ ! -f "$conf" ] || grep -qF "$mark" "$conf"; then
	cpus=$(nproc)
	mem=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
	mkdir -p "$(dirname "$conf")"
	cat >"$conf.tmp" <<CONF
$mark
ClusterName=selfconsume
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
	mv "$conf.tmp" "$conf"
else
	say "keeping the existing $conf (not written by this script)"
fi
install -d -o slurm -g slurm /var/spool/slurmctld /var/log/slurm
install -d /var/spool/slurmd

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
# started NAME PIDFILE: wait for the daemon's PID file and record the PID.
started() {
	local pid=""
	for _ in $(seq 100); do
		pid=$(cat "$2" 2>/dev/null || true)
		alive "$pid" && break
		sleep 0.1
	done
	alive "$pid" || fail "$1 did not start"
	echo "$1 $pid" >>"$state/pids"
	say "started $1 (pid $pid)"
}

# munged, as user munge (it forks), unless one already answers.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
	if [ ! -s /etc/munge/munge.key ]; then
		mungekey --create --keyfile=/etc/munge/munge.key
		chown munge:munge /etc/munge/munge.key
		chmod 0400 /etc/munge/munge.key
	fi
	install -d -o munge -g munge -m 0755 /run/munge
	rm -f /run/munge/munged.pid
	runuser -u munge -- /usr/sbin/munged
	started munged /run/munge/munged.pid
	munge -n | unmunge >/dev/null || fail "munge -n | unmunge does not work"
fi

# slurmctld with a clean job state, then slurmd as node localhost.
if ! alive "$(cat /run/slurmctld.pid 2>/dev/null || true)"; then
	rm -f /run/slurmctld.pid
	/usr/sbin/slurmctld -c
	started slurmctld /run/slurmctld.pid
fi
if ! alive "$(cat /run/slurmd.pid 2>/dev/null || true)"; then
	rm -f /run/slurmd.pid
	/usr/sbin/slurmd -N localhost
	started slurmd /run/slurmd.pid
fi

for _ in $(seq 300); do
	s=$(timeout 5 sinfo -h -n localhost -o %T 2>/dev/null || true)
	if [ "$s" = idle ]; then
		say "node localhost idle after $(took)"
		exit 0
	fi
	sleep 0.2
done
fail "node localhost is not idle after $(took) (sinfo says: ${s:-nothing})"
