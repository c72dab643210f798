#!/bin/sh
# html_test.sh — tcpscope --format=html on the demo stories: a self-contained page showing each
# connection's paths and reasons (check_html.py); then opened in headless Chromium: its DOM has
# every connection's section and path, and its screenshot is not blank.
# usage: html_test.sh TCPSCOPE     (77: no Chromium, skipped; with CI set, a failure)
set -eu
tcpscope=$1
here=$(cd "$(dirname "$0")" && pwd)
pcap="$here/../../data/demo-stories.pcap"
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
"$tcpscope" -r "$pcap" --format=html >"$work/page.html"
"$tcpscope" -r "$pcap" --format=jsonl >"$work/page.jsonl"
python3 "$here/check_html.py" "$work/page.html" "$work/page.jsonl"
# same capture, same bytes
"$tcpscope" -r "$pcap" --format=html | cmp -s - "$work/page.html" || { echo "FAIL: not deterministic" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	[ -n "${CI:-}" ] && { echo "FAIL: no chromium (./kit deps installs it)" >&2; exit 1; }
	echo "no chromium: the browser part skipped"
	exit 77
fi
# a profile of its own, no network: the page must render from itself alone
flags="--headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=$work/profile
	--no-first-run --disable-extensions --proxy-server=127.0.0.1:9 --window-size=900,1600"
# shellcheck disable=SC2086
timeout 60 "$browser" $flags --dump-dom "file://$work/page.html" >"$work/dom.html" 2>"$work/chromium.err"
# shellcheck disable=SC2086
timeout 60 "$browser" $flags --screenshot="$work/shot.png" "file://$work/page.html" \
	>/dev/null 2>>"$work/chromium.err"
python3 "$here/check_html.py" "$work/page.html" "$work/page.jsonl" "$work/dom.html" "$work/shot.png"
