//! Zero-trust application access tokens: `<expiry>.<signature>`, where expiry is Unix seconds
//! and the signature is base64url(HMAC-SHA256(secret, "ironrasp-ztaa:" + expiry)). A gateway
//! or client that holds the secret mints short-lived tokens; the secret itself never travels.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

fn sign(secret: &str, expiry: u64) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key size");
    mac.update(b"ironrasp-ztaa:");
    mac.update(expiry.to_string().as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A token valid until `expiry` (Unix seconds).
pub fn make(secret: &str, expiry: u64) -> String {
    format!("{expiry}.{}", URL_SAFE_NO_PAD.encode(sign(secret, expiry)))
}

/// Why a presented value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Invalid,
    Expired,
}

/// Accepts the secret itself or an unexpired token signed with it.
pub fn verify(secret: &str, presented: Option<&str>, now: f64) -> Result<(), Refusal> {
    let Some(v) = presented.map(str::trim) else {
        return Err(Refusal::Missing);
    };
    if !secret.is_empty() && bool::from(v.as_bytes().ct_eq(secret.as_bytes())) {
        return Ok(());
    }
    let (exp, sig) = v.split_once('.').ok_or(Refusal::Invalid)?;
    let expiry: u64 = exp.parse().map_err(|_| Refusal::Invalid)?;
    let sig = URL_SAFE_NO_PAD.decode(sig).map_err(|_| Refusal::Invalid)?;
    if !bool::from(sig.ct_eq(&sign(secret, expiry))) {
        return Err(Refusal::Invalid);
    }
    if (expiry as f64) < now {
        return Err(Refusal::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = make("s3cret", 1000);
        assert_eq!(verify("s3cret", Some(&t), 999.0), Ok(()));
        assert_eq!(verify("s3cret", Some(&t), 1001.0), Err(Refusal::Expired));
        assert_eq!(verify("other", Some(&t), 999.0), Err(Refusal::Invalid));
        assert_eq!(verify("s3cret", Some("s3cret"), 5.0), Ok(()));
        assert_eq!(verify("s3cret", Some("s3cre"), 5.0), Err(Refusal::Invalid));
        assert_eq!(verify("s3cret", None, 5.0), Err(Refusal::Missing));
        let forged = format!("99999.{}", t.split_once('.').unwrap().1);
        assert_eq!(verify("s3cret", Some(&forged), 5.0), Err(Refusal::Invalid));
    }
}
