//! Why: WebKitGTK 2.46 and later paint pages with Skia on the GPU by default. Card Desk's views
//! are forms, lists and small images, which the CPU paints at once, while GPU painting first
//! compiles a GL shader for every kind of layer a view draws: on a machine whose GL is software
//! (virtual desktops, remote sessions, many back-office PCs; Xvfb here) that made the first
//! view appear seconds late (docs/benchmarks.md, "Start-up"). So on Linux the web process is
//! told to paint with the CPU (`WEBKIT_SKIA_ENABLE_CPU_RENDERING=1`); compositing stays as
//! WebKit chooses. Whoever wants GPU painting back sets that variable to `0` before starting
//! the app; a value already set is never changed.

/// The variable WebKitGTK's web process reads when it starts (any value but `0` means CPU).
#[cfg(target_os = "linux")]
pub const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Chooses CPU painting unless the environment already chose. Call first thing in `run`,
/// while the process has one thread: the variable is read by the web process WebKit spawns,
/// which inherits this process's environment.
#[allow(unsafe_code)]
pub fn prefer_cpu_painting() {
    #[cfg(target_os = "linux")]
    if std::env::var_os(CPU_PAINTING).is_none() {
        // SAFETY: called at the top of `run`, before Tauri, the runtime or any other thread
        // exists, so nothing reads the environment concurrently.
        unsafe { std::env::set_var(CPU_PAINTING, "1") };
    }
}
