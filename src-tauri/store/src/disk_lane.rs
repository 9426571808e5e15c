//! Why: the audit log and the bulk journal do blocking disk work (a line written, a sync)
//! thousands of times a second during a bulk job. On tokio's shared blocking pool each burst
//! of it grew the pool (26 threads during a 30,000-row run), and glibc gives each new thread a
//! malloc arena of its own whose freed blocks it keeps: the run's peak memory grew with the
//! job (docs/benchmarks.md). A lane is one named thread that runs its jobs in order: the
//! work it carries is serial anyway (one line at a time, one sync at a time).
//!
//! The thread starts on first use and ends when the lane is dropped. A job whose caller stops
//! waiting still runs to its end, as on the blocking pool.

use std::sync::Mutex;
use std::sync::mpsc::{Sender, channel};

type Job = Box<dyn FnOnce() + Send>;

#[derive(Debug)]
pub struct DiskLane {
    name: &'static str,
    jobs: Mutex<Option<Sender<Job>>>,
}

impl DiskLane {
    /// `name` is the thread's name (seen in `top -H`, crash reports).
    pub const fn new(name: &'static str) -> DiskLane {
        DiskLane {
            name,
            jobs: Mutex::new(None),
        }
    }

    /// Runs `job` on the lane's thread after the jobs queued before it, and returns its
    /// result without holding a runtime thread while it waits.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> std::io::Result<T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Box::new(move || {
            // The caller may have stopped waiting: the job ran all the same.
            let _ = reply.send(job());
        }))?;
        answer.await.map_err(|_| {
            std::io::Error::other(format!(
                "the {} thread stopped before it finished the work",
                self.name
            ))
        })
    }

    /// Queues a job, starting the thread on first use (and again should it ever be gone).
    fn send(&self, job: Job) -> std::io::Result<()> {
        let mut jobs = crate::lock(&self.jobs);
        let job = match jobs.as_ref() {
            Some(tx) => match tx.send(job) {
                Ok(()) => return Ok(()),
                Err(unsent) => unsent.0,
            },
            None => job,
        };
        let (tx, rx) = channel::<Job>();
        std::thread::Builder::new()
            .name(self.name.to_owned())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    // A panicking job drops its reply (its caller hears of it); the lane
                    // goes on with the next one.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })?;
        tx.send(job)
            .map_err(|_| std::io::Error::other(format!("the {} thread ended", self.name)))?;
        *jobs = Some(tx);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::DiskLane;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_run_in_order_on_one_named_thread() {
        let lane = Arc::new(DiskLane::new("test-lane"));
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let (lane, order) = (lane.clone(), order.clone());
                tokio::spawn(async move {
                    lane.run(move || {
                        order.lock().unwrap().push(i);
                        std::thread::current().name().map(str::to_owned)
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().as_deref(), Some("test-lane"));
        }
        let mut seen = order.lock().unwrap().clone();
        assert_eq!(seen.len(), 16);
        seen.sort_unstable();
        assert_eq!(seen, (0..16).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_job_that_panics_is_reported_and_the_lane_goes_on() {
        let lane = DiskLane::new("test-lane");
        let err: std::io::Result<()> = lane.run(|| panic!("disk gone")).await;
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("test-lane thread stopped"),
            "the caller hears the work was not finished"
        );
        let ran = Arc::new(AtomicUsize::new(0));
        let r = ran.clone();
        lane.run(move || r.fetch_add(1, Ordering::SeqCst))
            .await
            .unwrap();
        assert_eq!(ran.load(Ordering::SeqCst), 1, "the lane ran the next job");
    }
}
