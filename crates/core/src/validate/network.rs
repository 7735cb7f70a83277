//! IPv4 networks in CIDR notation (`10.1.0.0/16`). The address is parsed with
//! [`std::net::Ipv4Addr`]'s `FromStr` (strict dotted quad, no leading zeros, already in std so it
//! costs nothing extra in the wasm build); the `/prefix` part is parsed by hand.

use std::fmt;
use std::net::Ipv4Addr;

use super::json::{Out, Path};
use super::ViolationCode;

/// Shortest prefix allowed for a data centre network.
pub const MIN_PREFIX: u8 = 12;
/// Longest prefix allowed for a data centre network.
pub const MAX_PREFIX: u8 = 22;

/// The private address blocks of RFC 1918 a data centre network must lie in.
pub const PRIVATE_BLOCKS: [Ipv4Cidr; 3] = [
    Ipv4Cidr {
        addr: Ipv4Addr::new(10, 0, 0, 0),
        prefix: 8,
    },
    Ipv4Cidr {
        addr: Ipv4Addr::new(172, 16, 0, 0),
        prefix: 12,
    },
    Ipv4Cidr {
        addr: Ipv4Addr::new(192, 168, 0, 0),
        prefix: 16,
    },
];

/// An IPv4 network: its address and prefix length (host bits of `addr` are zero when built by
/// [`parse_cidr`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Cidr {
    /// Network address.
    pub addr: Ipv4Addr,
    /// Prefix length, 0..=32.
    pub prefix: u8,
}

impl Ipv4Cidr {
    /// The network mask as a number (`/16` = `0xFFFF_0000`).
    pub fn mask(&self) -> u32 {
        match self.prefix {
            0 => 0,
            p if p >= 32 => u32::MAX,
            p => u32::MAX << (32 - u32::from(p)),
        }
    }

    /// First address of the network, as a number.
    pub fn first(&self) -> u32 {
        u32::from(self.addr) & self.mask()
    }

    /// Last address of the network, as a number.
    pub fn last(&self) -> u32 {
        self.first() | !self.mask()
    }

    /// Whether `other` lies entirely inside this network.
    pub fn contains(&self, other: &Ipv4Cidr) -> bool {
        self.first() <= other.first() && other.last() <= self.last()
    }

    /// Whether the whole network lies in one of the [`PRIVATE_BLOCKS`].
    pub fn is_private(&self) -> bool {
        PRIVATE_BLOCKS.iter().any(|b| b.contains(self))
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Why a CIDR string was refused by [`parse_cidr`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidrError {
    /// Not `a.b.c.d/n` with a dotted-quad address and a prefix of 0..=32.
    Syntax,
    /// Well formed, but the address has bits set beyond the prefix; `network` is the network
    /// the user probably meant.
    HostBitsSet {
        /// The address with its host bits cleared.
        network: Ipv4Cidr,
    },
}

/// Parses `a.b.c.d/n` (prefix 0..=32, one or two digits, no spaces) with the host bits zero.
///
/// # Errors
/// [`CidrError::Syntax`] when malformed, [`CidrError::HostBitsSet`] when the address is not the
/// network's first address (`10.1.2.3/16`).
pub fn parse_cidr(s: &str) -> Result<Ipv4Cidr, CidrError> {
    let (addr, prefix) = s.split_once('/').ok_or(CidrError::Syntax)?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| CidrError::Syntax)?;
    if prefix.is_empty() || prefix.len() > 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::Syntax);
    }
    let prefix: u8 = prefix.parse().map_err(|_| CidrError::Syntax)?;
    if prefix > 32 {
        return Err(CidrError::Syntax);
    }
    let cidr = Ipv4Cidr { addr, prefix };
    let network = Ipv4Cidr {
        addr: Ipv4Addr::from(cidr.first()),
        prefix,
    };
    if network.addr != addr {
        return Err(CidrError::HostBitsSet { network });
    }
    Ok(cidr)
}

/// Whether two networks share at least one address.
pub fn networks_overlap(a: &Ipv4Cidr, b: &Ipv4Cidr) -> bool {
    a.first() <= b.last() && b.first() <= a.last()
}

/// Checks a well-formed CIDR (any range and prefix); reports a `format` violation otherwise.
pub(crate) fn check_cidr(s: &str, path: &Path<'_>, out: &mut Out) -> Option<Ipv4Cidr> {
    match parse_cidr(s) {
        Ok(c) => Some(c),
        Err(CidrError::Syntax) => {
            out.push(
                path,
                ViolationCode::Format,
                "must be an ipv4 network in cidr notation, e.g. 10.1.0.0/16",
            );
            None
        }
        Err(CidrError::HostBitsSet { network }) => {
            out.push(
                path,
                ViolationCode::Format,
                format!("must have its host bits zero (did you mean {network}?)"),
            );
            None
        }
    }
}

/// Checks a data centre network: well formed, prefix /12../22, inside a private block.
/// Returns the network when it is usable for overlap checks (well formed).
pub(crate) fn check_dc_network(s: &str, path: &Path<'_>, out: &mut Out) -> Option<Ipv4Cidr> {
    let c = check_cidr(s, path, out)?;
    if !(MIN_PREFIX..=MAX_PREFIX).contains(&c.prefix) {
        out.push(
            path,
            ViolationCode::Range,
            format!(
                "must have a prefix length between /{MIN_PREFIX} and /{MAX_PREFIX}, not /{}",
                c.prefix
            ),
        );
    }
    if !c.is_private() {
        out.push(
            path,
            ViolationCode::Range,
            "must be in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        );
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Ipv4Cidr {
        parse_cidr(s).unwrap()
    }

    #[test]
    fn parses() {
        assert_eq!(
            c("10.1.0.0/16"),
            Ipv4Cidr {
                addr: Ipv4Addr::new(10, 1, 0, 0),
                prefix: 16
            }
        );
        assert_eq!(c("0.0.0.0/0").prefix, 0);
        assert_eq!(c("1.2.3.4/32").prefix, 32);
        for s in [
            "",
            "10.1.0.0",
            "10.1.0.0/",
            "10.1.0.0/33",
            "10.1.0.0/016",
            "10.1.0/16",
            "010.1.0.0/16",
            "10.1.0.0/+1",
            " 10.1.0.0/16",
            "10.1.0.0/16 ",
            "10.1.0.0/1/6",
            "256.0.0.0/8",
            "::1/128",
            "a.b.c.d/8",
        ] {
            assert_eq!(parse_cidr(s), Err(CidrError::Syntax), "{s:?}");
        }
        assert_eq!(
            parse_cidr("10.1.2.3/16"),
            Err(CidrError::HostBitsSet {
                network: c("10.1.0.0/16")
            })
        );
    }

    #[test]
    fn overlap() {
        assert!(networks_overlap(&c("10.0.0.0/8"), &c("10.1.0.0/16")));
        assert!(networks_overlap(&c("10.1.0.0/16"), &c("10.1.0.0/16")));
        assert!(!networks_overlap(&c("10.1.0.0/16"), &c("10.2.0.0/16")));
        assert!(!networks_overlap(
            &c("192.168.0.0/18"),
            &c("192.168.64.0/18")
        ));
        assert!(networks_overlap(&c("0.0.0.0/0"), &c("255.255.255.255/32")));
    }

    fn dc(s: &str) -> Vec<ViolationCode> {
        let mut out = Out::default();
        check_dc_network(s, &Path::Root.key("network"), &mut out);
        out.0.into_iter().map(|v| v.code).collect()
    }

    #[test]
    fn data_centre_networks() {
        for s in [
            "10.0.0.0/12",
            "10.1.0.0/16",
            "172.16.0.0/12",
            "172.31.252.0/22",
            "192.168.0.0/16",
            "192.168.0.0/18",
        ] {
            assert_eq!(dc(s), [], "{s}");
        }
        assert_eq!(dc("10.1.0.0/24"), [ViolationCode::Range]);
        assert_eq!(dc("10.0.0.0/8"), [ViolationCode::Range]);
        assert_eq!(dc("11.0.0.0/16"), [ViolationCode::Range]);
        assert_eq!(dc("172.32.0.0/16"), [ViolationCode::Range]);
        assert_eq!(
            dc("8.0.0.0/24"),
            [ViolationCode::Range, ViolationCode::Range]
        );
        assert_eq!(dc("10.1.0.1/16"), [ViolationCode::Format]);
        assert_eq!(dc("nope"), [ViolationCode::Format]);
    }
}
