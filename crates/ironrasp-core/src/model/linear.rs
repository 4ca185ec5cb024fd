//! A hashed logistic-regression model: the file format written by `training/train.py` and
//! its scoring.
//!
//! File (little-endian): `IRML`, version u16 = 1, bits u8, char_n_min u8, char_n_max u8,
//! reserved u8, max_chars u16, scale f32, bias f32, then `2^bits` i8 weights (bucket order).
//! Weight of bucket b is `scale * w[b]`.

use super::features::{BITS, BUCKETS, CHAR_N_MAX, CHAR_N_MIN, MAX_CHARS};

const MAGIC: &[u8; 4] = b"IRML";
const VERSION: u16 = 1;
const HEADER_LEN: usize = 20;

/// A parsed model; the weights borrow the embedded bytes (no copy).
#[derive(Debug)]
pub struct LinearModel {
    pub scale: f32,
    pub bias: f32,
    weights: &'static [u8; BUCKETS],
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn f32_at(b: &[u8], i: usize) -> f32 {
    f32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

impl LinearModel {
    /// Parses a model file; refuses one built for another feature spec.
    pub fn parse(bytes: &'static [u8]) -> Result<Self, String> {
        if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
            return Err("not an IronRASP model file".into());
        }
        let version = u16_at(bytes, 4);
        if version != VERSION {
            return Err(format!("model version {version}, expected {VERSION}"));
        }
        let bits = u32::from(bytes[6]);
        let spec = (
            bits,
            usize::from(bytes[7]),
            usize::from(bytes[8]),
            usize::from(u16_at(bytes, 10)),
        );
        if spec != (BITS, CHAR_N_MIN, CHAR_N_MAX, MAX_CHARS) {
            return Err(format!("model built for feature spec {spec:?}"));
        }
        let (scale, bias) = (f32_at(bytes, 12), f32_at(bytes, 16));
        if !scale.is_finite() || !bias.is_finite() {
            return Err("non-finite scale or bias".into());
        }
        // A fixed-size array: indexing by a masked bucket needs no bounds check.
        let Ok(weights) = <&[u8; BUCKETS]>::try_from(&bytes[HEADER_LEN..]) else {
            return Err(format!(
                "{} weights, expected {BUCKETS}",
                bytes.len() - HEADER_LEN
            ));
        };
        Ok(Self {
            scale,
            bias,
            weights,
        })
    }

    /// The quantized weights in bucket order, each an `i8` stored as its byte.
    #[inline]
    pub fn weights(&self) -> &'static [u8; BUCKETS] {
        self.weights
    }

    /// Probability from the integer sum of the weights of the `distinct` buckets present,
    /// with each binary feature L2-normalized to `1/sqrt(distinct)`.
    pub fn probability(&self, weight_sum: i64, distinct: u32) -> f32 {
        let d = f64::from(distinct.max(1));
        let z = f64::from(self.bias) + f64::from(self.scale) * weight_sum as f64 / d.sqrt();
        (1.0 / (1.0 + (-z).exp())) as f32
    }
}
