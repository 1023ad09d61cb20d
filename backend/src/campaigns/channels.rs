//! Which adapter carries which channel, from the settings: email over SMTP when a relay is set,
//! text messages and pushes through their HTTP gateways when set; everything else into the sealed
//! message files (development).

use super::adapter::{Adapter, Message, Refusal};
use super::file_adapter::FileAdapter;
use super::gateway_adapter::GatewayAdapter;
use super::smtp_adapter::SmtpAdapter;
use crate::config::Settings;
use crate::consent::purpose::MarketingChannel;
use crate::crypto::field::FieldCipher;

pub struct Channels {
    file: FileAdapter,
    email: Option<SmtpAdapter>,
    sms: Option<GatewayAdapter>,
    push: Option<GatewayAdapter>,
}

impl Channels {
    pub fn from_settings(settings: &Settings, cipher: FieldCipher) -> Result<Channels, String> {
        let email = settings.smtp_url.as_deref().map(|url| SmtpAdapter::new(url, &settings.smtp_from)).transpose()?;
        let secret = settings.gateway_secret.as_deref().unwrap_or_default();
        let gateway =
            |name: &str, url: &Option<String>| url.as_deref().map(|u| GatewayAdapter::new(name, u, secret)).transpose();
        Ok(Channels {
            file: FileAdapter::new(settings.data_dir.join("messages"), cipher),
            email,
            sms: gateway("GUANXI_SMS_GATEWAY_URL", &settings.sms_gateway_url)?,
            push: gateway("GUANXI_PUSH_GATEWAY_URL", &settings.push_gateway_url)?,
        })
    }
}

impl Adapter for Channels {
    /// A batch is one campaign's, so one channel's.
    fn send(&self, batch: &[Message]) -> Vec<Result<(), Refusal>> {
        let adapter: Option<&dyn Adapter> = match batch.first().map(|m| m.channel) {
            Some(MarketingChannel::Email) => self.email.as_ref().map(|a| a as &dyn Adapter),
            Some(MarketingChannel::Sms) => self.sms.as_ref().map(|a| a as &dyn Adapter),
            Some(MarketingChannel::Push) => self.push.as_ref().map(|a| a as &dyn Adapter),
            Some(MarketingChannel::Phone) | None => None,
        };
        adapter.unwrap_or(&self.file).send(batch)
    }
}
