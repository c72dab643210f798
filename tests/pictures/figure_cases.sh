# figure_cases.sh — sourced: the golden figures, NAME:VARIANT (NAME a capture in
# tests/golden/pcap or a script in tests/golden/scripts). Read by CMakeLists.txt too.
figure_cases="
handshake-close:ladder handshake-close:diagram handshake-close:blank-ladder
handshake-close:blank-diagram
half-close:ladder half-close:diagram
ipv6:ladder ipv6:diagram
linger-rst:ladder linger-rst:diagram
refused:ladder refused:diagram
vlan:ladder
fin-acks-fin:ladder fin-acks-fin:diagram
simultaneous-open:ladder simultaneous-open:diagram
simultaneous-close:ladder simultaneous-close:diagram
retransmitted-fin:ladder
midstream:ladder midstream:diagram
out-of-window-rst:ladder
"
