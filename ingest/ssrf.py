"""Which network addresses a fetch may connect to.

Feed URLs come from configuration and from redirects chosen by remote servers; without a guard a
redirect could point the monitor at the cloud metadata service or an internal admin page."""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddressError(ConnectionError):
    """A connection to a private, loopback, link-local or reserved address was refused."""


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; everything else is refused by default."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public_address(mapped)
        if address.teredo is not None:
            return is_public_address(address.teredo[1])
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to for a TCP connection, in resolver order, no duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # Scope ids ("fe80::1%eth0") are not part of the address itself.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    return seen


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """CIDR strings ("10.20.0.0/16", "127.0.0.1/32") to networks; raises ValueError if invalid."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def check_addresses(
    host: str,
    addresses: list[IPAddress],
    *,
    allow_private: bool,
    allowed_networks: tuple[Network, ...] = (),
) -> None:
    """Raise BlockedAddressError unless every address is public, inside an explicitly allowed
    network, or private addresses are allowed altogether.

    All addresses are checked, not just the first: a name resolving to one public and one private
    address would otherwise let the connection land on the private one."""
    if allow_private:
        return
    blocked = [
        str(a)
        for a in addresses
        if not is_public_address(a)
        and not any(a.version == net.version and a in net for net in allowed_networks)
    ]
    if blocked:
        raise BlockedAddressError(
            f"refused to connect to {host}: it resolves to a non-public address "
            f"({', '.join(blocked)}); set allow_private_addresses to permit this"
        )
