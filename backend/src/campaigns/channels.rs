//! Which adapter carries which channel, from the settings: email over SMTP when a relay is set;
//! everything else (and email without a relay) into the sealed message files.

use super::adapter::{Adapter, Message, Refusal};
use super::file_adapter::FileAdapter;
use super::smtp_adapter::SmtpAdapter;
use crate::config::Settings;
use crate::consent::purpose::MarketingChannel;
use crate::crypto::field::FieldCipher;

pub struct Channels {
    file: FileAdapter,
    email: Option<SmtpAdapter>,
}

impl Channels {
    pub fn from_settings(settings: &Settings, cipher: FieldCipher) -> Result<Channels, String> {
        let email = settings.smtp_url.as_deref().map(|url| SmtpAdapter::new(url, &settings.smtp_from)).transpose()?;
        Ok(Channels { file: FileAdapter::new(settings.data_dir.join("messages"), cipher), email })
    }
}

impl Adapter for Channels {
    /// A batch is one campaign's, so one channel's.
    fn send(&self, batch: &[Message]) -> Vec<Result<(), Refusal>> {
        match (batch.first().map(|m| m.channel), &self.email) {
            (Some(MarketingChannel::Email), Some(smtp)) => smtp.send(batch),
            _ => self.file.send(batch),
        }
    }
}
