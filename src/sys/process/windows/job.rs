//! A job object: the child and every process it starts, ended together.

use std::io;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::process::Child;

use windows_sys::Win32::Foundation::HANDLE;
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    SetInformationJobObject, TerminateJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
};

/// The exit code of a process ended through its job: the one `std`'s
/// `Child::kill` gives, so a killed child reads the same either way.
pub(super) const KILLED_EXIT_CODE: u32 = 1;

/// A job whose processes all end when its last handle closes.
#[derive(Debug)]
pub(super) struct Job {
    handle: OwnedHandle,
}

impl Job {
    /// Creates an unnamed job with `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`.
    pub(super) fn new() -> io::Result<Job> {
        let job = Job {
            handle: create_job()?,
        };
        job.kill_on_close()?;
        Ok(job)
    }

    fn raw(&self) -> HANDLE {
        self.handle.as_raw_handle()
    }

    fn kill_on_close(&self) -> io::Result<()> {
        // All zero is "no limits"; only the one flag is set.
        let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        set_extended_limits(self.raw(), &limits)
    }

    /// Puts `child` (still unreaped, so its handle is valid) into the job;
    /// the processes it starts from then on join the job too.
    pub(super) fn assign(&self, child: &Child) -> io::Result<()> {
        assign(self.raw(), child.as_raw_handle())
    }

    /// Ends every process in the job with [`KILLED_EXIT_CODE`]; a job whose
    /// processes have all exited is not an error.
    pub(super) fn terminate(&self) -> io::Result<()> {
        terminate(self.raw(), KILLED_EXIT_CODE)
    }
}

/// `true` from a Win32 call, or the thread's last error.
fn check(ok: windows_sys::core::BOOL) -> io::Result<()> {
    if ok == 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

#[expect(unsafe_code, reason = "CreateJobObjectW has no safe wrapper")]
fn create_job() -> io::Result<OwnedHandle> {
    // SAFETY: both pointers may be null (default security, no name).
    let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
    if raw.is_null() {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `raw` is a fresh handle that nothing else owns or closes.
    Ok(unsafe { OwnedHandle::from_raw_handle(raw) })
}

#[expect(unsafe_code, reason = "SetInformationJobObject has no safe wrapper")]
fn set_extended_limits(
    job: HANDLE,
    limits: &JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
) -> io::Result<()> {
    let size = std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32;
    // SAFETY: `job` is a live job handle owned by the caller, and the
    // pointer and size describe one initialised structure of the class
    // named, which the call only reads.
    check(unsafe {
        SetInformationJobObject(
            job,
            JobObjectExtendedLimitInformation,
            std::ptr::from_ref(limits).cast(),
            size,
        )
    })
}

#[expect(unsafe_code, reason = "AssignProcessToJobObject has no safe wrapper")]
fn assign(job: HANDLE, process: HANDLE) -> io::Result<()> {
    // SAFETY: both handles are live for the call: the job is owned by the
    // caller and the process handle by its `Child`, which is borrowed.
    check(unsafe { AssignProcessToJobObject(job, process) })
}

#[expect(unsafe_code, reason = "TerminateJobObject has no safe wrapper")]
fn terminate(job: HANDLE, exit_code: u32) -> io::Result<()> {
    // SAFETY: `job` is a live job handle owned by the caller.
    check(unsafe { TerminateJobObject(job, exit_code) })
}
