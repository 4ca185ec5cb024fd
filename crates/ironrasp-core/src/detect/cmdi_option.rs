//! Argument injection: a value that an application passes to a tool as one argument (a host
//! name to `ssh`, a file name to `tar`, a repository URL to `git`) and that is instead an
//! option telling the tool to run a command. No shell metacharacter is needed, so the shell
//! readings of [`super::cmdi`] see nothing: `-oProxyCommand=id`, `--use-compress-program=sh`,
//! `--upload-pack=touch /tmp/x`, `-exec id ;`.

use super::needle::starts_with_nocase;

/// Options, lower-cased, that make a common tool run a program; the tool, for the evidence.
/// An entry ending in `=` needs a value after it; `-exec` a command ended by `;` or `+`.
const OPTIONS: [(&str, &str); 19] = [
    ("-oproxycommand=", "ssh"),
    ("-olocalcommand=", "ssh"),
    ("--use-compress-program=", "tar"),
    ("--to-command=", "tar"),
    ("--checkpoint-action=exec", "tar"),
    ("--info-script=", "tar"),
    ("--new-volume-script=", "tar"),
    ("--upload-pack=", "git"),
    ("--receive-pack=", "git"),
    ("--exec=", "git or rsync"),
    ("--rsh=", "rsync"),
    ("--rsync-path=", "rsync"),
    ("--unzip-command=", "zip"),
    ("-tt=", "zip"),
    ("--use-askpass=", "wget"),
    ("--gpu-launcher=", "Chromium"),
    ("--renderer-cmd-prefix=", "Chromium"),
    ("-exec ", "find"),
    ("-execdir ", "find"),
];

/// `-o ProxyCommand=...` with a space, as ssh also takes it.
const SPACED_SSH: [&str; 2] = ["proxycommand=", "localcommand="];

/// The option and its tool when a word of `text` (at its start or after white space) is one
/// of [`OPTIONS`] with a value.
pub(super) fn command_option(text: &str) -> Option<(&'static str, &'static str)> {
    let b = text.as_bytes();
    // Every option is a word starting with `-` (git's `core.sshCommand` comes after `-c`):
    // the `-` of hyphenated words, dates and ranges is skipped at once.
    for p in memchr::memchr_iter(b'-', b).take(64) {
        if p > 0 && !b[p - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &b[p..];
        if let Some(found) = option_at(rest) {
            return Some(found);
        }
        // `-c core.sshCommand=...` (git) and `-o ProxyCommand=...` (ssh): a separate value.
        let flag = rest
            .get(..2)
            .filter(|_| rest.get(2).is_some_and(u8::is_ascii_whitespace));
        let value = || rest[2..].trim_ascii_start();
        match flag {
            Some(b"-c")
                if starts_with_nocase(value(), GIT_SSH.as_bytes())
                    && value().len() > GIT_SSH.len() =>
            {
                return Some(("-c core.sshCommand", "git"));
            }
            Some(b"-o" | b"-O")
                if SPACED_SSH.iter().any(|o| {
                    starts_with_nocase(value(), o.as_bytes()) && value().len() > o.len()
                }) =>
            {
                return Some(("-o ProxyCommand", "ssh"));
            }
            _ => {}
        }
    }
    None
}

/// git's option that sets the program it runs for ssh, given after `-c`.
const GIT_SSH: &str = "core.sshcommand=";

/// The option of [`OPTIONS`] that `rest` starts with, if its value is there.
fn option_at(rest: &[u8]) -> Option<(&'static str, &'static str)> {
    OPTIONS.into_iter().find_map(|(opt, tool)| {
        if !starts_with_nocase(rest, opt.as_bytes()) {
            return None;
        }
        let value = &rest[opt.len()..];
        let ok = if opt.ends_with(' ') {
            // find's command runs to its `;` (or `+`).
            value.contains(&b';') || value.trim_ascii_end().ends_with(b"+")
        } else {
            !value.trim_ascii_start().is_empty()
        };
        ok.then(|| (opt.trim_end_matches(['=', ' ']), tool))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_that_run_commands() {
        for t in [
            "-oProxyCommand=id",
            "host -oProxyCommand=sh -c 'id'",
            "-o ProxyCommand='sh -c id' x",
            "--use-compress-program=id",
            "--to-command=id",
            "--checkpoint-action=exec=sh x.sh",
            "--upload-pack=touch /tmp/pwned",
            "--exec=id",
            "-c core.sshCommand=id",
            "x -exec id ;",
            "--rsync-path=sh -c id",
        ] {
            assert!(command_option(t).is_some(), "{t}");
        }
    }

    #[test]
    fn options_without_a_command_and_prose_pass() {
        for t in [
            "--verbose",
            "-o output.txt",
            "--exec",
            "-exec",
            "use the --exec flag to run it",
            "find -exec is powerful",
            "core.sshCommand is a git setting",
            "well-known",
            "-oStrictHostKeyChecking=no",
        ] {
            assert!(command_option(t).is_none(), "{t}");
        }
    }
}
