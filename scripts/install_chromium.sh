#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers
# here) and need CJK fonts for the Chinese screens. Quick when both are present; installs
# them once otherwise (as root, or through sudo).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
for font in fonts-noto-cjk fonts-noto-color-emoji; do
    dpkg-query -W -f='${Status}' "$font" 2>/dev/null | grep -q "install ok installed" \
        || need+=("$font")
done
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${need[*]} for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
