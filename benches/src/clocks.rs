//! The CPU clocks the waiting workloads read, from Linux's `/proc`, so that
//! no `unsafe` call is needed: a thread's own on-CPU time
//! (`/proc/thread-self/schedstat`, nanoseconds, the time base of
//! `CLOCK_THREAD_CPUTIME_ID`) and the whole machine's busy time
//! (`/proc/stat`, clock ticks). Thread clocks leave out what the kernel
//! spends on the thread's behalf elsewhere (waking it on another core,
//! entering and leaving idle), which the machine's busy time includes. On
//! other systems both read as unknown.

use std::time::Duration;

/// The calling thread's on-CPU time so far, or `None` where the kernel
/// does not tell.
pub fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The on-CPU time of the calling thread while `work` runs.
pub fn thread_cpu_of<R>(work: impl FnOnce() -> R) -> (R, Option<Duration>) {
    let before = thread_cpu_time();
    let result = work();
    let spent = thread_cpu_time()
        .zip(before)
        .map(|(after, before)| after.saturating_sub(before));
    (result, spent)
}

/// Clock ticks per second of `/proc/stat`: `USER_HZ`, which Linux fixes at
/// 100 on every architecture it exports to user space.
const TICKS_PER_SECOND: f64 = 100.0;

/// The busy time of every core of the machine together so far: user,
/// nice, system, interrupt and soft-interrupt ticks of `/proc/stat`. Idle
/// and I/O wait are not busy; steal is time the hypervisor gave to another
/// guest, so it is left out too.
pub fn machine_busy_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    let line = text.lines().find(|line| line.starts_with("cpu "))?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|field| field.parse().unwrap_or(0))
        .collect();
    // user nice system idle iowait irq softirq steal ...
    let busy = [0, 1, 2, 5, 6]
        .iter()
        .filter_map(|&index| ticks.get(index))
        .sum::<u64>();
    Some(Duration::from_secs_f64(busy as f64 / TICKS_PER_SECOND))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_thread_accumulates_cpu_time() {
        let Some(before) = thread_cpu_time() else {
            return; // Not Linux: nothing to check.
        };
        let started = std::time::Instant::now();
        let mut spins = 0u64;
        while started.elapsed() < Duration::from_millis(50) {
            spins = std::hint::black_box(spins + 1);
        }
        let spent = thread_cpu_time().unwrap() - before;
        assert!(
            spent >= Duration::from_millis(10),
            "{spent:?} after 50 ms of spinning"
        );
        assert!(machine_busy_time().is_some());
    }
}
