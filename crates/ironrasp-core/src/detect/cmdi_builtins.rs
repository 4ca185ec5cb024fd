//! Shell words the command injection detector knows without looking at PATH.
//!
//! Builtins are chosen for what an attacker gains from them (printing, evaluating, changing
//! directory, signalling, reading the environment). Builtins that are also keywords of common
//! programming languages and give an attacker nothing (`return`, `break`, `continue`, `let`,
//! `local`, `exit`, `true`, `false`, `shift`, `wait`, `help`) are left out on purpose: pasted
//! code like `x = 1; return x;` must not look like a shell.

/// POSIX and bash builtins worth flagging at a command position (matched case-sensitively).
pub const POSIX: &[&str] = &[
    "alias", "bg", "builtin", "cd", "command", "declare", "disown", "echo", "enable", "eval",
    "exec", "export", "fg", "history", "jobs", "kill", "printf", "pushd", "popd", "pwd", "read",
    "set", "source", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset",
];

/// cmd.exe builtins (matched case-insensitively, as cmd.exe does). Only names that are not
/// everyday words or abbreviations: no `copy`, `move`, `start`, `call`, `title`, `color`,
/// `path`, `erase`, `del` (Spanish, Italian), `ver`, `vol`, `md`, `rd`, `ren`.
pub const WINDOWS: &[&str] = &[
    "assoc", "chdir", "cls", "dir", "endlocal", "ftype", "mkdir", "mklink", "popd", "pushd",
    "rmdir", "setlocal",
];

/// Words after which the next word is again at a command position (shell reserved words and
/// grouping). They are not commands themselves.
pub const KEYWORDS: &[&str] = &[
    "!", "{", "if", "then", "else", "elif", "do", "while", "until",
];

/// Commands that run the command given as their argument. The detector looks through them to
/// the wrapped command and falls back to the wrapper itself when that one is unknown.
pub const WRAPPERS: &[&str] = &[
    "busybox", "builtin", "command", "doas", "env", "exec", "nice", "nohup", "sudo", "time",
    "xargs",
];
