"""ARM's deterministic template functions, `uniqueString()` and `guid()`, computed as ARM computes them.

Both the sandbox (evaluating templates) and the wizard (previewing the AI Factory's names, whose
`salt5` is the first five characters of `uniqueString(<common resource group id>)`) need them, so
they live here, in a module that imports nothing but the standard library.

`uniqueString` (Azure.Deployments.Expression and Microsoft.WindowsAzure.ResourceStack; the
algorithm is not documented, this is what public reimplementations agree on):

1. the string arguments are joined with "-";
2. the UTF-8 bytes are hashed with ResourceStack's `MurmurHash64`. Despite the name this is
   *not* Appleby's MurmurHash64A: it is the two-lane 32-bit MurmurHash3 (x86) construction with
   the x86_128 multipliers, seed 0, whose two 32-bit halves are mixed together and returned as
   one 64-bit value (high half = second lane);
3. the 64-bit value is written as 13 base-32 digits, most significant 5 bits first (the 13th
   digit holds the last 4 bits shifted left by one), alphabet `a-z2-7`.

Exactness: the result matches ARM outputs published by two independent sources (outputs of
real deployments quoted in Kingsland.ArmLinter's sources, and the Bicep-verified self-test of a
public `uniquestring.sh`); see tests/test_naming.py. Input is hashed as given: ARM ids are
case-insensitive, the hash is not, so pass ids exactly as ARM renders them (`/subscriptions/
<lowercase guid>/resourceGroups/<name as created>`).

`guid` is documented (Bicep's string functions): a name-based version 5 UUID (SHA-1, RFC 9562
§5.5) of the arguments joined with "-", in ARM's fixed namespace `GUID_NAMESPACE`.
"""

from __future__ import annotations

import functools
import uuid

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
"""ARM's base-32 digits, lowercase RFC 4648."""

_MASK32 = 0xFFFFFFFF
_C1 = 0x239B961B
_C2 = 0xAB0E9789
_F1 = 0x85EBCA6B
_F2 = 0xC2B2AE35


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK32


def _fmix(value: int) -> int:
    """MurmurHash3's 32-bit finaliser: spreads every input bit over the output."""
    value ^= value >> 16
    value = (value * _F1) & _MASK32
    value ^= value >> 13
    value = (value * _F2) & _MASK32
    return value ^ (value >> 16)


def _lane1(word: int) -> int:
    return (_rotl((word * _C1) & _MASK32, 15) * _C2) & _MASK32


def _lane2(word: int) -> int:
    return (_rotl((word * _C2) & _MASK32, 17) * _C1) & _MASK32


def murmur_hash64(data: bytes) -> int:
    """ResourceStack's 64-bit Murmur hash of `data` (seed 0), as ARM's uniqueString uses it."""
    length = len(data)
    h1 = h2 = 0
    full = length - length % 8
    for offset in range(0, full, 8):
        k1 = int.from_bytes(data[offset : offset + 4], "little")
        k2 = int.from_bytes(data[offset + 4 : offset + 8], "little")
        h1 = _rotl(h1 ^ _lane1(k1), 19)
        h1 = ((h1 + h2) * 5 + 0x561CCD1B) & _MASK32
        h2 = _rotl(h2 ^ _lane2(k2), 13)
        h2 = ((h2 + h1) * 5 + 0x0BCAA747) & _MASK32
    tail = data[full:]
    if tail:
        h1 ^= _lane1(int.from_bytes(tail[:4], "little"))
        if len(tail) > 4:
            h2 ^= _lane2(int.from_bytes(tail[4:], "little"))
    h1 ^= length
    h2 ^= length
    h1 = (h1 + h2) & _MASK32
    h2 = (h2 + h1) & _MASK32
    h1 = _fmix(h1)
    h2 = _fmix(h2)
    h1 = (h1 + h2) & _MASK32
    h2 = (h2 + h1) & _MASK32
    return (h2 << 32) | h1


def base32_13(value: int) -> str:
    """A 64-bit value as ARM writes it: 13 digits of 5 bits from the top (the last zero-filled)."""
    digits = []
    for _ in range(13):
        digits.append(ALPHABET[(value >> 59) & 31])
        value = (value << 5) & 0xFFFFFFFFFFFFFFFF
    return "".join(digits)


@functools.lru_cache(maxsize=4096)
def unique_string(*parts: str) -> str:
    """ARM's `uniqueString(parts...)`: 13 lowercase characters from a-z and 2-7.

    Cached: every generated name asks for its environment's salt, so the same few resource
    group ids are hashed over and over.

    >>> unique_string("test")
    'rbgf3xv4ufgzg'
    """
    if not parts:
        raise ValueError("uniqueString needs at least one string")
    return base32_13(murmur_hash64("-".join(parts).encode("utf-8")))


GUID_NAMESPACE = uuid.UUID("11fb06fb-712d-4ddd-98c7-e71bbd588830")
"""The namespace ARM's `guid()` hashes its arguments in."""


def guid(*parts: str) -> str:
    """ARM's `guid(parts...)`: a version 5 UUID of the arguments joined with "-", lower case."""
    if not parts:
        raise ValueError("guid needs at least one string")
    return str(uuid.uuid5(GUID_NAMESPACE, "-".join(parts)))
