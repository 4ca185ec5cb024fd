//! (being written)
#[derive(Debug, Default)]
pub struct Config;
#[derive(Debug)]
pub struct ConfigError;
