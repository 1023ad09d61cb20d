//! The development adapter: every message appended to `<data dir>/messages/<campaign>.jsonl`,
//! one line each, sealed like every file that holds personal data (a line is the base64 of the
//! sealed JSON). `read` opens them again (tests, and a developer looking at what would be sent).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use base64::Engine as _;

use super::adapter::{Adapter, Message, Refusal};
use crate::crypto::field::FieldCipher;

pub struct FileAdapter {
    dir: PathBuf,
    cipher: FieldCipher,
    /// One writer at a time keeps lines whole.
    lock: Mutex<()>,
}

fn context(campaign_id: &str) -> String {
    format!("campaign-messages|{campaign_id}")
}

impl FileAdapter {
    pub fn new(dir: PathBuf, cipher: FieldCipher) -> FileAdapter {
        FileAdapter { dir, cipher, lock: Mutex::new(()) }
    }

    fn append(&self, batch: &[Message]) -> std::io::Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        std::fs::create_dir_all(&self.dir)?;
        let mut out = String::new();
        let mut campaign = None;
        for m in batch {
            let json = serde_json::to_vec(m).map_err(std::io::Error::other)?;
            let sealed = self.cipher.seal_bytes(&context(&m.campaign_id), &json);
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(sealed));
            out.push('\n');
            campaign = Some(&m.campaign_id);
        }
        let Some(campaign) = campaign else { return Ok(()) };
        let mut f =
            std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join(format!("{campaign}.jsonl")))?;
        f.write_all(out.as_bytes())?;
        f.sync_data()
    }

    /// Every message written for a campaign, in order.
    pub fn read(&self, campaign_id: &str) -> std::io::Result<Vec<Message>> {
        let path = self.dir.join(format!("{campaign_id}.jsonl"));
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        text.lines()
            .map(|line| {
                let sealed = base64::engine::general_purpose::STANDARD.decode(line).map_err(std::io::Error::other)?;
                let json = self
                    .cipher
                    .open_bytes(&context(campaign_id), &sealed)
                    .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
                serde_json::from_slice(&json).map_err(std::io::Error::other)
            })
            .collect()
    }
}

impl Adapter for FileAdapter {
    /// One batch is one campaign's (the send job's unit of work).
    fn send(&self, batch: &[Message]) -> Vec<Result<(), Refusal>> {
        let outcome = self.append(batch).map_err(|e| {
            tracing::warn!(error = %e.kind(), "the message file could not be written");
            "file_unwritable".to_owned()
        });
        batch.iter().map(|_| outcome.clone()).collect()
    }
}
