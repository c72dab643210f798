#!/usr/bin/env python3
"""add_vlan.py — copy a classic pcap of Ethernet frames, inserting an 802.1Q tag (VLAN 42)
after the MAC addresses of each frame. Made pcap/vlan.pcap from pcapgen's EN10MB output of
scripts/link-linux-sll.txt with its link line changed (pcapgen writes no VLAN tags)."""
import struct
import sys

src, dst = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
magic = data[:4]
endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
if struct.unpack(endian + "I", data[20:24])[0] != 1:
    sys.exit("add_vlan.py: not an EN10MB capture")
out = bytearray(data[:24])
off = 24
while off + 16 <= len(data):
    sec, frac, caplen, wirelen = struct.unpack(endian + "IIII", data[off:off + 16])
    frame = data[off + 16:off + 16 + caplen]
    tagged = frame[:12] + b"\x81\x00" + struct.pack(">H", 42) + frame[12:]
    out += struct.pack(endian + "IIII", sec, frac, caplen + 4, wirelen + 4) + tagged
    off += 16 + caplen
open(dst, "wb").write(out)
