#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: system packages, Python environment, sample builds.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint (HarfBuzz subsetting: 5x faster PDFs)
  fonts-noto-cjk fonts-arphic-ukai fonts-lxgw-wenkai      # free CJK fonts: 宋/黑 (Noto), 楷 (AR PL UKai, LXGW WenKai)
  libreoffice-writer-nogui                                # .docx -> PDF check of the notices
  chromium                                                # browser tests of the site
  poppler-utils                                           # pdftoppm / pdftotext for looking at PDFs
  fonts-dejavu-core
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  [[ "$p" == \#* ]] && continue
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "安装系统软件包：${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

echo "构建示例企业……"
.venv/bin/anquan build --all content/ -j 2
echo "完成。输出在 build/ 下；站点首页：build/index/index.html"
