//! Where a webhook may connect: decided on the address actually connected to, not on how the URL
//! spells its host. A host is resolved, every resolved address is checked against the ranges an
//! outside receiver can never be on (loopback, private, link-local, CGNAT, unspecified, multicast,
//! documentation, reserved, and IPv4 hidden in IPv6), and the delivery connects to that very
//! address, so a DNS answer that changes between check and connect (rebinding) cannot redirect it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why a delivery did not reach its receiver; stored as the delivery's error. It never carries
/// the operating system's error text: the delivery log must not tell which internal ports are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// The host resolves to an address no webhook may reach.
    Refused,
    /// The host did not resolve, or the connection or the request failed.
    Failed,
}

impl Unreachable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unreachable::Refused => "refused",
            Unreachable::Failed => "failed",
        }
    }
}

/// True when no outside receiver can be at `ip`.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0                                          // "this network", unspecified
        || a == 10                                  // private
        || (a == 100 && (64..128).contains(&b))     // CGNAT 100.64.0.0/10
        || a == 127                                 // loopback
        || (a == 169 && b == 254)                   // link-local (cloud metadata)
        || (a == 172 && (16..32).contains(&b))      // private
        || (a == 192 && b == 0 && c == 0)           // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)           // documentation TEST-NET-1
        || (a == 192 && b == 88 && c == 99)         // 6to4 relay anycast
        || (a == 192 && b == 168)                   // private
        || (a == 198 && (b == 18 || b == 19))       // benchmarking
        || (a == 198 && b == 51 && c == 100)        // documentation TEST-NET-2
        || (a == 203 && b == 0 && c == 113)         // documentation TEST-NET-3
        || a >= 224 // multicast, reserved, broadcast
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = embedded_v4(ip) {
        return internal_v4(v4);
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || (s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0) // ::/80, IPv4-compatible and the like
        || (s[0] & 0xfe00) == 0xfc00                // unique local
        || (s[0] & 0xffc0) == 0xfe80                // link-local
        || (s[0] & 0xffc0) == 0xfec0                // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00                // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8)       // documentation
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0) // discard-only
}

/// The IPv4 address an IPv6 address carries: IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`
/// and 6to4 `2002:aabb:ccdd::`. Each is checked as the IPv4 address it reaches.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        Some(v4)
    } else if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        Some(tail)
    } else if s[0] == 0x2002 {
        Some(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8))
    } else {
        None
    }
}

/// Reads an IPv4 address the way the C resolver does (`inet_aton`): one to four parts, each
/// decimal, `0x` hex or `0` octal, the last filling the remaining bytes — so `2130706433`,
/// `0x7f000001`, `127.1` and `0177.0.0.1` are all 127.0.0.1, as a connect would see them.
pub fn parse_v4_loose(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if digits.is_empty() && radix != 16 {
            return None;
        }
        let n = if digits.is_empty() { 0 } else { u32::from_str_radix(digits, radix).ok()? };
        nums.push(n);
    }
    let (last, head) = nums.split_last()?;
    if head.iter().any(|&n| n > 255) {
        return None;
    }
    let tail_bits = 8 * (4 - head.len() as u32);
    if tail_bits < 32 && *last >= (1u32 << tail_bits) {
        return None;
    }
    let value = head.iter().enumerate().fold(*last, |acc, (i, &n)| acc | (n << (24 - 8 * i as u32)));
    Some(Ipv4Addr::from(value))
}

/// A host named in a URL that is internal without asking DNS: a local name or an address
/// literal in any spelling. (Other names are checked when they are resolved, at every delivery.)
pub fn host_is_internal(host: &str) -> bool {
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() || name == "localhost" || name.ends_with(".localhost") || name.ends_with(".local") {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        // A zone id (`fe80::1%eth0`) is only meaningful on a local link.
        return v6.contains('%') || v6.parse::<Ipv6Addr>().map_or(true, internal_v6);
    }
    parse_v4_loose(&name).is_some_and(internal_v4)
}

/// Resolves `host:port` and returns the address to connect to, if every address the name
/// resolves to may be reached (a name that also points inside is refused as a whole).
pub async fn checked(host: &str, port: u16, allow_internal: bool) -> Result<SocketAddr, Unreachable> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if !allow_internal && host_is_internal(host) {
        return Err(Unreachable::Refused);
    }
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((bare, port)).await.map_err(|_| Unreachable::Failed)?.collect();
    let first = *addrs.first().ok_or(Unreachable::Failed)?;
    if !allow_internal && addrs.iter().any(|a| is_internal(a.ip())) {
        return Err(Unreachable::Refused);
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_ipv4_spellings_read_as_the_resolver_reads_them() {
        let lo = Some(Ipv4Addr::new(127, 0, 0, 1));
        for s in ["127.0.0.1", "2130706433", "0x7f000001", "127.1", "0177.0.0.1", "0x7f.0.0.1", "127.0.1", "127.0.0.1."]
        {
            assert_eq!(parse_v4_loose(s), lo, "{s}");
        }
        assert_eq!(parse_v4_loose("0.1.2.3"), Some(Ipv4Addr::new(0, 1, 2, 3)));
        for s in ["example.com", "256.0.0.1", "1.2.3.4.5", "08.0.0.1", "1.2.65536", "", "1..2"] {
            assert_eq!(parse_v4_loose(s), None, "{s}");
        }
    }

    #[test]
    fn every_spelling_of_an_inside_address_is_internal() {
        for h in [
            "127.0.0.1",
            "2130706433",
            "0x7f000001",
            "127.1",
            "0177.0.0.1",
            "[::ffff:127.0.0.1]",
            "[::ffff:169.254.169.254]",
            "100.64.0.1",
            "0.1.2.3",
            "224.0.0.1",
            "localhost.",
            "LOCALHOST",
            "[::1]",
            "[fe80::1%25eth0]",
            "[fd00::1]",
            "[64:ff9b::a9fe:a9fe]",
            "[2002:7f00:1::]",
            "192.0.2.10",
            "198.51.100.1",
            "203.0.113.9",
            "10.0.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "255.255.255.255",
            "[ff02::1]",
            "[2001:db8::1]",
            "[::]",
            "printer.local",
        ] {
            assert!(host_is_internal(h), "{h}");
        }
        for h in ["93.184.216.34", "hooks.example.com", "[2606:4700::1111]", "100.128.0.1", "172.32.0.1", "8.8.8.8"] {
            assert!(!host_is_internal(h), "{h}");
        }
    }

    #[actix_web::test]
    async fn names_are_decided_on_what_they_resolve_to() {
        assert_eq!(checked("localhost", 80, false).await, Err(Unreachable::Refused));
        assert_eq!(checked("127.1", 80, false).await, Err(Unreachable::Refused));
        assert_eq!(checked("127.0.0.1", 80, true).await.map(|a| a.ip()), Ok(IpAddr::from([127, 0, 0, 1])));
        assert_eq!(checked("8.8.8.8", 443, false).await.map(|a| a.port()), Ok(443));
    }
}
