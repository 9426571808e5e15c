//! Why: the register must work on one desk with nothing installed, like the cache and the
//! bulk journals, so its default home is a sled database in a directory the app chooses (owner-
//! only: requests name customers). sled refuses a second open of the same path; that becomes a
//! clear "open in another Card Desk" instead of an I/O error. Each write is flushed before it
//! is reported done.

use std::path::{Path, PathBuf};

use sled::CompareAndSwapError;

use super::{RequestFilter, RequestStore, deadline_order};
use crate::RequestError;
use crate::model::{Request, RequestId};

/// The stored format; a newer one is refused rather than misread.
const FORMAT: &[u8] = b"1";
const META_FORMAT: &[u8] = b"format";

/// The embedded register: one sled database in its own directory.
#[derive(Debug)]
pub struct SledRequestStore {
    db: sled::Db,
    requests: sled::Tree,
    path: PathBuf,
}

impl SledRequestStore {
    /// Opens (or creates) the register in `dir`. [`RequestError::Busy`] if another process has
    /// it open.
    pub fn open(dir: &Path) -> Result<SledRequestStore, RequestError> {
        let path = dir.to_path_buf();
        let (db, _meta) =
            desk_store::open_versioned(dir, META_FORMAT, FORMAT).map_err(|e| match e {
                desk_store::OpenError::Create(e) => {
                    RequestError::Storage(format!("cannot create {}: {e}", dir.display()))
                }
                desk_store::OpenError::Sled(e) => storage_error(&path, "open", e),
                desk_store::OpenError::NewerFormat(f) => RequestError::Storage(format!(
                    "{} was written in format {f} by a newer Card Desk: update the app",
                    path.display()
                )),
            })?;
        let store_error = |e| storage_error(&path, "open", e);
        let requests = db.open_tree("requests").map_err(store_error)?;
        Ok(SledRequestStore { db, requests, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn flush(&self) -> Result<(), RequestError> {
        self.db
            .flush()
            .map(|_| ())
            .map_err(|e| storage_error(&self.path, "write", e))
    }

    fn decode(&self, bytes: &[u8]) -> Result<Request, RequestError> {
        serde_json::from_slice(bytes).map_err(|e| {
            RequestError::Storage(format!(
                "{}: a stored request cannot be read: {e}",
                self.path.display()
            ))
        })
    }

    fn encode(request: &Request) -> Result<Vec<u8>, RequestError> {
        serde_json::to_vec(request)
            .map_err(|e| RequestError::Storage(format!("cannot encode a request: {e}")))
    }
}

fn storage_error(path: &Path, doing: &str, e: sled::Error) -> RequestError {
    if let sled::Error::Io(io) = &e
        && desk_store::is_lock_error(io)
    {
        return RequestError::Busy {
            path: path.to_path_buf(),
        };
    }
    if desk_store::disk_is_full(&e) {
        return RequestError::Storage(format!("{doing}: the disk is full ({})", path.display()));
    }
    RequestError::Storage(format!("{doing} {}: {e}", path.display()))
}

impl RequestStore for SledRequestStore {
    fn create(&self, request: &Request) -> Result<Request, RequestError> {
        if request.version() != 0 {
            return Err(RequestError::invalid(
                "version",
                "a new request must not have been stored before",
            ));
        }
        let stored = request.clone().stored_as(1);
        let bytes = Self::encode(&stored)?;
        let key = stored.id().as_str().as_bytes();
        match self
            .requests
            .compare_and_swap(key, None::<&[u8]>, Some(bytes))
            .map_err(|e| storage_error(&self.path, "write", e))?
        {
            Ok(()) => {
                self.flush()?;
                Ok(stored)
            }
            Err(CompareAndSwapError { .. }) => Err(RequestError::Exists {
                id: stored.id().clone(),
            }),
        }
    }

    fn get(&self, id: &RequestId) -> Result<Request, RequestError> {
        match self
            .requests
            .get(id.as_str().as_bytes())
            .map_err(|e| storage_error(&self.path, "read", e))?
        {
            Some(bytes) => self.decode(&bytes),
            None => Err(RequestError::NotFound { id: id.clone() }),
        }
    }

    fn list(&self, filter: &RequestFilter) -> Result<Vec<Request>, RequestError> {
        let mut out = Vec::new();
        for item in self.requests.iter() {
            let (_, bytes) = item.map_err(|e| storage_error(&self.path, "read", e))?;
            let request = self.decode(&bytes)?;
            if filter.matches(&request) {
                out.push(request);
            }
        }
        out.sort_by(deadline_order);
        Ok(out)
    }

    fn update(&self, request: &Request) -> Result<Request, RequestError> {
        let id = request.id();
        let key = id.as_str().as_bytes();
        let current = self
            .requests
            .get(key)
            .map_err(|e| storage_error(&self.path, "read", e))?
            .ok_or_else(|| RequestError::NotFound { id: id.clone() })?;
        let found = self.decode(&current)?.version();
        let stale = |found| RequestError::Stale {
            id: id.clone(),
            expected: request.version(),
            found,
        };
        if found != request.version() {
            return Err(stale(found));
        }
        let stored = request.clone().stored_as(found + 1);
        let bytes = Self::encode(&stored)?;
        // Compare against the exact bytes read: a write in between (this process or another
        // handle) makes the swap fail instead of being overwritten.
        match self
            .requests
            .compare_and_swap(key, Some(current), Some(bytes))
            .map_err(|e| storage_error(&self.path, "write", e))?
        {
            Ok(()) => {
                self.flush()?;
                Ok(stored)
            }
            Err(CompareAndSwapError { current, .. }) => {
                let found = match current {
                    Some(bytes) => self.decode(&bytes)?.version(),
                    None => 0,
                };
                Err(stale(found))
            }
        }
    }
}
