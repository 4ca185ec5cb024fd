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
    "busybox", "builtin", "chrt", "command", "cpulimit", "doas", "env", "exec", "ionice", "nice",
    "nohup", "setsid", "stdbuf", "strace", "sudo", "taskset", "time", "timeout", "unbuffer",
    "xargs", // cmd.exe's `call` and `start` run the command after them.
    "call", "start",
];

/// Whether `word` is one of [`WRAPPERS`]. Every wrapper is 3 to 8 bytes long and starts and
/// ends with a lower-case letter (see the test below): most words fail that, or the pair of
/// their first and last letters in [`WRAPPER_ENDS`], before the list is walked.
pub fn is_wrapper(word: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (word.first(), word.last()) else {
        return false;
    };
    (3..=8).contains(&word.len())
        && first.is_ascii_lowercase()
        && last.is_ascii_lowercase()
        && WRAPPER_ENDS[usize::from(first - b'a')] >> (last - b'a') & 1 != 0
        && WRAPPERS.iter().any(|w| w.as_bytes() == word)
}

/// For each first letter of a wrapper, a bit per last letter it ends with.
const WRAPPER_ENDS: [u32; 26] = {
    let mut ends = [0u32; 26];
    let mut i = 0;
    while i < WRAPPERS.len() {
        let w = WRAPPERS[i].as_bytes();
        ends[(w[0] - b'a') as usize] |= 1 << (w[w.len() - 1] - b'a');
        i += 1;
    }
    ends
};

/// Wrappers that only ever run a command (unlike `time`, `nice` or `timeout`, also English
/// words): at the start of a value they are evidence by themselves.
pub const STRONG_WRAPPERS: &[&str] = &[
    "sudo", "doas", "nohup", "busybox", "xargs", "strace", "env", "cpulimit", "ionice", "stdbuf",
    "setsid", "taskset", "chrt", "unbuffer",
];

/// The sqlite3 shell's dot-commands that run their argument as a shell command (`.shell`,
/// `.system`), as the sqlite3 shell accepts them: any prefix of two letters or more. A value
/// fed to `sqlite3` on standard input reaches a shell through them.
/// The shell's tokenizer drops quotes around the name (`."shell`, `.\'system`, escaped by a
/// layer that backslashes quotes) and a quoted name may run on into its command
/// (`."shell whoami`): only the name is compared.
pub fn sqlite_shell(word: &str) -> bool {
    word.strip_prefix('.').is_some_and(sqlite_shell_name)
}

/// The name of a sqlite3 shell-running dot-command without its dot (after a lone `.` word:
/// `. shell id`).
pub fn sqlite_shell_name(word: &str) -> bool {
    let name = word.trim_start_matches(['"', '\'', '\\']);
    let name = name
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\\'))
        .next()
        .unwrap_or("");
    name.len() >= 2 && ("shell".starts_with(name) || "system".starts_with(name))
}

/// The command a quoted dot-command carries in its own word (`."shell whoami` lexes as one
/// word `.shell whoami`), if any.
pub fn sqlite_inline_command(word: &str) -> Option<&str> {
    let rest = word.strip_prefix('.')?;
    let rest = rest.trim_start_matches(['"', '\'', '\\']);
    let (_, command) = rest.split_once(char::is_whitespace)?;
    command
        .split_whitespace()
        .next()
        .map(|c| c.trim_matches(['"', '\'']))
}

/// `HH:MM` (optionally `am`/`pm`): the time `at` schedules a job for. `at` is also an English
/// word, so only `at <time> "<command>"` counts (see the command resolution in `cmdi`).
pub fn at_time(word: &str) -> bool {
    let t = word
        .strip_suffix("am")
        .or_else(|| word.strip_suffix("pm"))
        .unwrap_or(word);
    let Some((h, m)) = t.split_once(':') else {
        return false;
    };
    (1..=2).contains(&h.len())
        && m.len() == 2
        && h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit())
}

/// Commands that count even when this machine lacks them: the attempt is the attack, whether or
/// not the tool is installed here (network clients, reconnaissance, shells, interpreters).
/// Matched case-sensitively; apart from `sleep` (the blind-injection probe, lowercase only)
/// none of them is an everyday English word.
pub const TOOLS: &[&str] = &[
    "bash",
    "base64",
    "bsdtar",
    "busybox",
    "chmod",
    "chown",
    "crontab",
    "curl",
    "dash",
    "dig",
    "gcc",
    "getent",
    "ifconfig",
    "ip",
    "ksh",
    "lwp-download",
    "mkfifo",
    "nc",
    "ncat",
    "netcat",
    "netstat",
    "nmap",
    "node",
    "nslookup",
    "perl",
    "php",
    "ping",
    "ping6",
    "pwsh",
    "python",
    "python2",
    "python3",
    "ruby",
    "sh",
    "sleep",
    "socat",
    "ss",
    "strace",
    "sudo",
    "tcpdump",
    "telnet",
    "tftp",
    "traceroute",
    "uname",
    "useradd",
    "visudo",
    "wget",
    "whoami",
    "xterm",
    "zsh",
];

/// Administration tools an attacker runs to take over or reconfigure a host, absent from most
/// application servers' PATH, written here from general knowledge of Linux administration:
/// package managers, configuration management, service and firewall control. Like [`TOOLS`]
/// they only count at a command position reached through shell structure (a bare word never
/// counts: see `CmdiDetector::names_a_command` and the whole-value scoring). Names that are
/// everyday English words (`apt`, `pip`, `chef`, `salt`, `puppet`, `knife`, `gem`) are left out.
pub const ADMIN_TOOLS: &[&str] = &[
    "apt-get",
    "apt-cache",
    "aptitude",
    "dpkg",
    "yum",
    "dnf",
    "zypper",
    "pip3",
    "pipx",
    "npm",
    "htop",
    "irb",
    "systemctl",
    "journalctl",
    "iptables",
    "ip6tables",
    "nft",
    "ufw",
    "modprobe",
    "insmod",
    "usermod",
    "userdel",
    "groupadd",
    "passwd",
    "chpasswd",
    "cscli",
    // Configuration management: the tool and its `tool-subcommand` programs.
    "ansible",
    "ansible-playbook",
    "ansible-galaxy",
    "ansible-vault",
    "ansible-doc",
    "ansible-config",
    "ansible-console",
    "ansible-inventory",
    "ansible-pull",
    "chef-client",
    "chef-solo",
    "chef-shell",
    "chef-vault",
    "chef-run",
    "chef-apply",
    "salt-call",
    "salt-ssh",
    "salt-key",
    "kubectl",
    "docker",
    "ll",
];

/// Windows commands, matched case-insensitively (a Windows server runs them whatever this
/// machine is). Only names that are not everyday words.
pub const WINDOWS_TOOLS: &[&str] = &[
    "attrib",
    "bcdboot",
    "bcdedit",
    "bitsadmin",
    "diskpart",
    "wevtutil",
    "certutil",
    "cmd",
    "cscript",
    "findstr",
    "icacls",
    "ipconfig",
    "msiexec",
    "mshta",
    "net",
    "netsh",
    "nslookup",
    "powershell",
    "reg",
    "regedit",
    "regsvr32",
    "rundll32",
    "schtasks",
    "systeminfo",
    "taskkill",
    "tasklist",
    "vssadmin",
    "whoami",
    "wmic",
    "wscript",
    "iwr",
    "iex",
    "irm",
    "iwmi",
    "gwmi",
    // Signed Windows programs that run or load code given to them (the LOLBAS project's list):
    // only the names that are no English word, and none that developers type in build and CI
    // settings (`msbuild`, `regasm`, `installutil`).
    "conhost",
    "forfiles",
    "odbcconf",
    "pcalua",
    "cmstp",
    "esentutl",
    "mavinject",
    "msxsl",
    "ieexec",
];

/// Windows administration commands and the subcommands that make them unmistakable
/// (`net user`, `netsh firewall`, `reg query`, `wmic process`).
pub const ADMIN_SUBCOMMANDS: &[(&str, &[&str])] = &[
    (
        "net",
        &["view", "localgroup", "share", "session", "accounts"],
    ),
    (
        "netsh",
        &["firewall", "advfirewall", "interface", "wlan", "winhttp"],
    ),
    ("reg", &["query", "add", "delete", "export", "save"]),
    // Clearing an event log hides the attack.
    ("wevtutil", &["cl", "clear-log"]),
    (
        "wmic",
        &[
            "process",
            "os",
            "useraccount",
            "service",
            "shadowcopy",
            "nicconfig",
            "qfe",
        ],
    ),
];

/// Tools that reveal the machine when run with no argument at all: a value that is only one of
/// these names is a probe.
pub const PROBES: &[&str] = &[
    "whoami",
    "ifconfig",
    "ipconfig",
    "systeminfo",
    "netstat",
    "uname",
    "tasklist",
    "getuid",
];

/// Commands that run their input or argument as code: a pipe into one of them executes
/// whatever the previous command produced.
pub const INTERPRETERS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "zsh",
    "ksh",
    "python",
    "python2",
    "python3",
    "perl",
    "php",
    "ruby",
    "node",
    "powershell",
    "pwsh",
    "iex",
    "cmd",
];

/// Commands that fetch a URL (download and execute when piped into an interpreter).
pub const FETCHERS: &[&str] = &[
    "curl",
    "wget",
    "fetch",
    "lwp-download",
    "tftp",
    "certutil",
    "bitsadmin",
    "iwr",
    "invoke-webrequest",
    "invoke-restmethod",
];

/// PowerShell approved verbs: `Verb-Noun` at a command position is a cmdlet.
pub const PS_VERBS: &[&str] = &[
    "add",
    "clear",
    "convertfrom",
    "convertto",
    "copy",
    "export",
    "get",
    "import",
    "invoke",
    "new",
    "out",
    "remove",
    "set",
    "start",
    "stop",
    "write",
];

/// Files an attacker reads to take a machine over (lowercase, matched as substrings of a path
/// argument).
pub const SECRETS: &[&str] = &[
    "/etc/passwd",
    "/etc/shadow",
    "/etc/group",
    "/etc/sudoers",
    "/proc/self/",
    "/.ssh/",
    "id_rsa",
    ".bash_history",
    ".htpasswd",
    "\\repair\\",
    "\\system32\\config\\",
    "\\repair\\sam",
    "\\config\\sam",
    "win.ini",
    "boot.ini",
    "/etc/issue",
    "/etc/hostname",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_gate_keeps_every_wrapper() {
        for w in WRAPPERS {
            assert!(is_wrapper(w.as_bytes()), "{w}");
        }
        for w in ["OBrien", "Nice", "nicer", "ni", "", "xargs2", "unbuffered"] {
            assert!(!is_wrapper(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn wrapper_gate_changes_no_answer() {
        // Every wrapper with its first or last byte replaced by any byte: the gate's answer is
        // the list's.
        let mut tried = 0;
        for w in WRAPPERS {
            for at in [0, w.len() - 1] {
                for c in 0..=255u8 {
                    let mut b = w.as_bytes().to_vec();
                    b[at] = c;
                    let listed = WRAPPERS.iter().any(|x| x.as_bytes() == b.as_slice());
                    assert_eq!(is_wrapper(&b), listed, "{b:?}");
                    tried += 1;
                }
            }
        }
        assert!(tried > 10_000, "{tried}");
    }
}
